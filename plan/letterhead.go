package plan

import "fmt"

// Letterhead is how the ward's documents are headed and signed, as
// Nghị định 30/2020/NĐ-CP (Appendix I) lays them out: the issuing body
// top left, the national motto top right, the place in the date line,
// the signer's authority, title and name, and the recipients. It comes
// from the configuration (report:); what is not configured is shown as
// a visible placeholder, never invented.
type Letterhead struct {
	// Superior is the governing body above the issuer, when written
	// ("UBND THÀNH PHỐ QUẢNG NGÃI"); empty for none.
	Superior string
	// Issuer are the lines of the issuing body, in capitals:
	// "ỦY BAN NHÂN DÂN", "PHƯỜNG CHÁNH LỘ".
	Issuer []string
	// IssuerName names it in running text: "UBND phường Chánh Lộ".
	IssuerName string
	// Symbol is the document symbol after the number: "BC-UBND".
	Symbol string
	// Place is the place name of the date line: "Chánh Lộ".
	Place string
	// Authority is the signing authority line ("TM. ỦY BAN NHÂN DÂN",
	// "KT. CHỦ TỊCH"); Title the signer's title ("CHỦ TỊCH", "PHÓ CHỦ
	// TỊCH"); Signer the name ("" → a placeholder).
	Authority, Title, Signer string
	// Recipients are the "Nơi nhận" lines, without the leading dash.
	Recipients []string
	// PreparedBy names who prepared an appendix table ("" → a
	// placeholder under "Người lập biểu").
	PreparedBy string
}

// Placeholder marks a field the bot cannot know, for the secretariat to
// fill in.
const Placeholder = "…"

// NumberLine is "Số: …/BC-UBND" (the number is given when signing).
func (l Letterhead) NumberLine() string {
	return fmt.Sprintf("Số: %s/%s", Placeholder, l.Symbol)
}

// DateLine is "Chánh Lộ, ngày 05 tháng 01 năm 2024": days under 10 and
// months 1–2 with a leading zero, as the decree asks.
func (l Letterhead) DateLine(d Date) string {
	month := fmt.Sprint(int(d.Month))
	if d.Month <= 2 {
		month = fmt.Sprintf("%02d", int(d.Month))
	}
	return fmt.Sprintf("%s, ngày %02d tháng %s năm %d", l.Place, d.Day, month, d.Year)
}

// SignerName is the signer's name or a placeholder.
func (l Letterhead) SignerName() string {
	if l.Signer == "" {
		return "(Họ và tên người ký)"
	}
	return l.Signer
}

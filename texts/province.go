package texts

import (
	"fmt"
	"strings"

	"github.com/chanhlo/planbot/plan"
)

// Texts of the province's roll-up (/tonghop for Công an tỉnh or Văn phòng
// UBND tỉnh, and its workbook): every ward in a line, worst first, with
// its weakest figures, then what the wards share compared. Arguments are
// plain text; the chat functions escape.

// WardNoun names the level below the province: since 2025 a province
// oversees wards and communes alike.
const WardNoun = "xã, phường"

// ProvinceTitleRunes is how much of a task's or a section's title a
// roll-up line shows: a hundred wards make a long read already.
const ProvinceTitleRunes = 45

// ProvinceTitle is the first line: "📊 Tổng hợp thực hiện Kế hoạch Đề án
// 06 tại 98 xã, phường — tháng 7/2023". name may be empty.
func ProvinceTitle(name string, wards int, p plan.Period) string {
	if name == "" {
		name = "kế hoạch"
	}
	return fmt.Sprintf("📊 Tổng hợp thực hiện %s tại %d %s — %s", plan.EscapeHTML(name), wards, WardNoun, p.Vietnamese())
}

// ProvinceTotals is the headline: "Đơn vị báo cáo: 14/20 (70%) · 30
// nhiệm vụ: 8 hoàn thành · 5 quá hạn · 2 có vướng mắc." Zero parts after
// the tasks are left out.
func ProvinceTotals(unitsReported, unitsExpected, tasks, done, overdue, blocked int) string {
	parts := []string{fmt.Sprintf("%d nhiệm vụ: %d hoàn thành", tasks, done)}
	if overdue > 0 {
		parts = append(parts, fmt.Sprintf("%d quá hạn", overdue))
	}
	if blocked > 0 {
		parts = append(parts, fmt.Sprintf("%d có vướng mắc", blocked))
	}
	return fmt.Sprintf("Đơn vị đã báo cáo: %s · %s.", ReportingRate(unitsReported, unitsExpected), strings.Join(parts, " · "))
}

// ReportingRate is "14/20 (70%)", or "không có đơn vị phải báo cáo" when
// none was due.
func ReportingRate(reported, expected int) string {
	if expected == 0 {
		return "không có đơn vị phải báo cáo"
	}
	return fmt.Sprintf("%d/%d (%s%%)", reported, expected, Number(100*float64(reported)/float64(expected)))
}

// ProvinceNotReported names the wards from which no unit reported.
func ProvinceNotReported(wards []string) string {
	return fmt.Sprintf("<b>Chưa báo cáo (%d):</b> %s.", len(wards), plan.EscapeHTML(strings.Join(wards, ", ")))
}

// ProvinceNoData names the wards without a running plan or any data.
func ProvinceNoData(wards []string) string {
	return fmt.Sprintf("<b>Chưa có kế hoạch, số liệu (%d):</b> %s.", len(wards), plan.EscapeHTML(strings.Join(wards, ", ")))
}

// ProvinceWardsHeader introduces the wards, worst first; shown of all
// tells when the list is cut.
func ProvinceWardsHeader(shown, all int) string {
	if shown < all {
		return fmt.Sprintf("<b>%d %s chậm nhất (trong %d):</b>", shown, WardNoun, all)
	}
	return fmt.Sprintf("<b>Theo %s, chậm nhất trước (%d):</b>", WardNoun, all)
}

// ProvinceWard is a ward's line: "3. <b>Phường Chánh Lộ</b>: báo cáo 3/5
// đơn vị (60%) · hoàn thành 2/10 · 2 quá hạn · 1 vướng mắc".
func ProvinceWard(n int, name string, unitsReported, unitsExpected, tasks, done, overdue, blocked int) string {
	rate := "báo cáo " + ReportingRate(unitsReported, unitsExpected)
	if unitsExpected > 0 {
		rate = fmt.Sprintf("báo cáo %d/%d đơn vị (%s%%)", unitsReported, unitsExpected, Number(100*float64(unitsReported)/float64(unitsExpected)))
	}
	if unitsExpected > 0 && unitsReported == 0 {
		rate = fmt.Sprintf("chưa báo cáo (0/%d đơn vị)", unitsExpected)
	}
	parts := []string{rate, fmt.Sprintf("hoàn thành %d/%d", done, tasks)}
	if overdue > 0 {
		parts = append(parts, fmt.Sprintf("%d quá hạn", overdue))
	}
	if blocked > 0 {
		parts = append(parts, fmt.Sprintf("%d vướng mắc", blocked))
	}
	return fmt.Sprintf("%d. <b>%s</b>: %s", n, plan.EscapeHTML(name), strings.Join(parts, " · "))
}

// ProvinceWeak is one of a ward's weakest figures, under its line:
// "   – <b>2.e</b> Số hóa 100% dữ liệu hộ tịch — Tư pháp - Hộ tịch: 800/1.500
// hồ sơ (53,3%) / chỉ tiêu 1.500 hồ sơ". detail is WeakDetail's.
func ProvinceWeak(code, title string, units []string, detail string) string {
	s := fmt.Sprintf("   – <b>%s</b> %s", plan.EscapeHTML(code), plan.EscapeHTML(TitleIn(title, ProvinceTitleRunes)))
	if len(units) > 0 {
		s += " — " + plan.EscapeHTML(strings.Join(units, ", "))
	}
	return s + ": " + detail
}

// WeakDetail tells how far behind a task is, in plain text: the figure
// (or "chưa có số liệu"), the target when there is one, and the working
// days overdue when it is: "90%; quá hạn 21 ngày làm việc", "800/1.500
// hồ sơ (53,3%) / chỉ tiêu 1.500 hồ sơ". Escape it for chat.
// returned says the figure was a "done" the secretariat sent back.
func WeakDetail(figure *plan.Figure, returned bool, target *plan.Target, daysLate int) string {
	s := SummaryNoReport
	switch {
	case returned:
		s = "báo cáo hoàn thành " + SummaryReturned
	case figure != nil:
		s = SummaryFigure(*figure)
	}
	if target != nil {
		s += " / chỉ tiêu " + TargetText(*target)
	}
	if daysLate > 0 {
		s += "; quá hạn " + DaysLateNote(daysLate)
	}
	return s
}

// ProvinceMoreWards closes a cut list.
func ProvinceMoreWards(n int, attached bool) string {
	if attached {
		return fmt.Sprintf("… và %d %s khác: xem tệp đính kèm.", n, WardNoun)
	}
	return fmt.Sprintf("… và %d %s khác.", n, WardNoun)
}

// ProvinceIndicatorsHeader introduces the comparison: by the province's
// own indicators (a mapping) or by the sections the plans share.
func ProvinceIndicatorsHeader(n int, byMapping bool) string {
	if byMapping {
		return fmt.Sprintf("<b>So sánh theo chỉ tiêu của tỉnh (%d):</b>", n)
	}
	return fmt.Sprintf("<b>So sánh theo mục chung của các kế hoạch (%d):</b>", n)
}

// ProvinceIndicator is one indicator: "• Phục vụ giải quyết thủ tục hành
// chính… (3 xã, phường): hoàn thành 4/9, 1 quá hạn; chậm nhất: Phường B".
// slowest is empty when no ward lags the others.
func ProvinceIndicator(name string, wards, tasks, done, overdue int, slowest string) string {
	s := fmt.Sprintf("• %s (%d %s): hoàn thành %d/%d", plan.EscapeHTML(TitleIn(name, ProvinceTitleRunes)), wards, WardNoun, done, tasks)
	if overdue > 0 {
		s += fmt.Sprintf(", %d quá hạn", overdue)
	}
	if slowest != "" {
		s += "; chậm nhất: " + plan.EscapeHTML(slowest)
	}
	return s
}

// ProvinceUnmapped names the wards the province's mapping leaves out of
// the comparison.
func ProvinceUnmapped(wards []string) string {
	return fmt.Sprintf("Chưa có bảng đối chiếu chỉ tiêu, không so sánh (%d): %s.", len(wards), plan.EscapeHTML(strings.Join(wards, ", ")))
}

// MappingMiss is a code of the province's mapping a ward's plan lacks:
// "Xã Tịnh Khê: II.9". Plain text.
func MappingMiss(ward, code string) string { return ward + ": " + code }

// ProvinceMappingMisses lists them, for whoever keeps the mapping.
// misses are MappingMiss's.
func ProvinceMappingMisses(misses []string) string {
	return fmt.Sprintf("Bảng đối chiếu có mã không có trong kế hoạch của xã, phường (%d): %s.", len(misses), plan.EscapeHTML(strings.Join(misses, "; ")))
}

// ProvinceNoCommon says the wards' plans share no section to compare on.
const ProvinceNoCommon = "Kế hoạch của các xã, phường không có mục chung để so sánh."

// Workbook of the roll-up.
const (
	SheetProvince    = "Tổng hợp"
	SheetIndicators  = "So sánh"
	ProvinceFileStem = "tong-hop-tinh-"
	// NotReportedMark marks a ward without reports in its column.
	NotReportedMark = "Chưa báo cáo"
	NoDataMark      = "Chưa có số liệu"
	// WardSheetLink links a ward's row to its sheet.
	WardSheetLink = "Xem"
	// ProvinceTotalRow heads the totals under the wards.
	ProvinceTotalRow = "Tổng cộng"
)

// ReportingState is a ward's reporting in a cell: "Đủ", "Thiếu 2 đơn
// vị", NotReportedMark, or "" when no report was due.
func ReportingState(reported, expected int) string {
	switch {
	case expected == 0:
		return ""
	case reported == 0:
		return NotReportedMark
	case reported < expected:
		return fmt.Sprintf("Thiếu %d đơn vị", expected-reported)
	}
	return "Đủ"
}

// ProvinceColumns head the summary sheet: one row per ward.
var ProvinceColumns = []string{"STT", "Xã, phường", "Đơn vị đã báo cáo", "Tỷ lệ báo cáo", "Số nhiệm vụ", "Hoàn thành", "Quá hạn", "Có vướng mắc", "Tình trạng báo cáo", "Số liệu thấp nhất", "Chi tiết"}

// IndicatorColumns head the comparison sheet: under each section or
// indicator, a row per ward.
var IndicatorColumns = []string{"STT", "Xã, phường", "Mã nhiệm vụ", "Số nhiệm vụ", "Hoàn thành", "Quá hạn", "Có vướng mắc", "Số liệu thấp nhất"}

// ProvinceSheetTitle is the title row of the summary sheet.
func ProvinceSheetTitle(name string, wards int, p plan.Period) string {
	if name == "" {
		name = "kế hoạch"
	}
	return fmt.Sprintf("Tổng hợp thực hiện %s tại %d %s — %s", name, wards, WardNoun, p.Vietnamese())
}

// ProvinceSheetSubtitle tells the day judged and the ordering.
func ProvinceSheetSubtitle(asOf plan.Date) string {
	return "Tình trạng tính đến ngày " + asOf.Vietnamese() + "; xếp từ chậm nhất: chưa báo cáo, tỷ lệ nhiệm vụ quá hạn, tỷ lệ báo cáo, vướng mắc."
}

// IndicatorsSheetSubtitle tells the day judged and what the rows hold.
func IndicatorsSheetSubtitle(asOf plan.Date) string {
	return "Tình trạng tính đến ngày " + asOf.Vietnamese() + "; số liệu thấp nhất là số liệu mới nhất thấp nhất trong các nhiệm vụ của mục."
}

// IndicatorsSheetTitle is the title row of the comparison sheet.
func IndicatorsSheetTitle(byMapping bool, p plan.Period) string {
	if byMapping {
		return "So sánh theo chỉ tiêu của tỉnh — " + p.Vietnamese()
	}
	return "So sánh theo mục chung của các kế hoạch — " + p.Vietnamese()
}

// WardSheetTitle is the title row of a ward's sheet.
func WardSheetTitle(ward, name string, p plan.Period) string {
	return fmt.Sprintf("%s — %s — %s", ward, name, p.Vietnamese())
}

// WeakCell is a weakest figure in a cell, in plain text: "2.e Số hóa
// 100% dữ liệu hộ tịch — Tư pháp - Hộ tịch: 800/1.500 hồ sơ (53,3%) /
// chỉ tiêu 1.500 hồ sơ".
func WeakCell(code, title string, units []string, detail string) string {
	s := code + " " + TitleIn(title, ProvinceTitleRunes)
	if len(units) > 0 {
		s += " — " + strings.Join(units, ", ")
	}
	return s + ": " + detail
}

// The province's chat commands.
const (
	CmdProvince   = "Tổng hợp các xã, phường theo tháng, quý, năm"
	CmdProvinceEN = "Roll-up of every ward by month, quarter or year"
	// ProvinceNoWards answers /tonghop when the deployment has no ward.
	ProvinceNoWards = "Chưa có xã, phường nào trong hệ thống."
	// ProvinceMonthlyCaption heads the roll-up sent on its own each month.
	ProvinceMonthlyCaption = "Báo cáo tổng hợp định kỳ gửi cấp tỉnh (tự động)."
)

package xlsx

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/chanhlo/planbot/plan"
)

// With the letterhead, the first sheet is the báo cáo's appendix: the
// issuing body and the national motto, "Phụ lục", "(Kèm theo Báo cáo số
// …)", the table with a line per unit, the signature block; Times New
// Roman throughout; the chart's data hidden; the header row repeated.
func TestAppendixWorkbook(t *testing.T) {
	lh := plan.Letterhead{
		Issuer: []string{"ỦY BAN NHÂN DÂN", "PHƯỜNG CHÁNH LỘ"}, IssuerName: "UBND phường Chánh Lộ", Symbol: "BC-UBND",
		Place: "Chánh Lộ", Authority: "TM. ỦY BAN NHÂN DÂN", Title: "CHỦ TỊCH",
	}
	data, err := Bytes(testSummary(t), WithLetterhead(lh, plan.NewDate(2023, 8, 5)))
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := "Tổng hợp"
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	var all []string
	for _, r := range rows {
		all = append(all, strings.Join(r, " | "))
	}
	text := strings.Join(all, "\n")
	for _, want := range []string{"ỦY BAN NHÂN DÂN\nPHƯỜNG CHÁNH LỘ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc",
		"Phụ lục", "KẾT QUẢ THỰC HIỆN KẾ HOẠCH ĐỀ ÁN 06 THÁNG 7/2023",
		"(Kèm theo Báo cáo số …/BC-UBND ngày 05/08/2023 của UBND phường Chánh Lộ)",
		"Chánh Lộ, ngày 05 tháng 8 năm 2023", "Người lập biểu", "(Họ và tên người lập biểu)", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "(Họ và tên người ký)"} {
		if !strings.Contains(text, want) {
			t.Errorf("appendix sheet lacks %q", want)
		}
	}
	// The header row is 6: two lines for the letterhead and "Phụ lục",
	// the title, the subtitle.
	if got, _ := f.GetCellValue(sheet, "C6"); got != "Đơn vị chủ trì, thực hiện" {
		t.Errorf("C6 = %q", got)
	}
	// 1.b: a line for each of its two units, each with its own figure.
	for cell, want := range map[string]string{"C8": "Công an phường", "F8": "90%", "C9": "Văn phòng phường", "F9": "hoàn thành", "B9": "1.b. Triển khai Nghị định số 104/2022/NĐ-CP"} {
		if got, _ := f.GetCellValue(sheet, cell); got != want {
			t.Errorf("%s = %q, want %q", cell, got, want)
		}
	}
	for _, cell := range []string{"A1", "D1", "A6", "B8", "F8"} {
		id, err := f.GetCellStyle(sheet, cell)
		if err != nil {
			t.Fatal(err)
		}
		st, err := f.GetStyle(id)
		if err != nil || st.Font == nil || st.Font.Family != "Times New Roman" {
			t.Errorf("%s font %+v, want Times New Roman", cell, st.Font)
		}
	}
	if visible, err := f.GetSheetVisible("Dữ liệu biểu đồ"); err != nil || visible {
		t.Errorf("chart data sheet visible=%v (%v)", visible, err)
	}
	names := f.GetDefinedName()
	found := false
	for _, n := range names {
		if n.Name == "_xlnm.Print_Titles" && n.Scope == sheet && strings.HasSuffix(n.RefersTo, "$6:$6") {
			found = true
		}
	}
	if !found {
		t.Errorf("print titles of the appendix: %+v", names)
	}
}

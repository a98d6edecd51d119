package xlsx

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/summary"
)

// testProvince rolls up three wards: Chánh Lộ with July's reports (an
// overdue task, a blocker), Nghĩa Lộ with the same plan and no report,
// and Nghĩa Chánh without a plan; then names more wards with no plan.
func testProvince(t *testing.T, more ...string) *summary.Province {
	t.Helper()
	p, reports, loc := testPlan(t)
	july := plan.Month(2023, 7)
	wards := []summary.Ward{
		{ID: 1, Name: "UBND phường Chánh Lộ", Summary: summary.Compute(p, reports, summary.Options{Period: july, Loc: loc})},
		{ID: 2, Name: "Phường Nghĩa Lộ", Summary: summary.Compute(p, nil, summary.Options{Period: july, Loc: loc})},
		{ID: 3, Name: "Phường Nghĩa Chánh"},
	}
	for i, name := range more {
		wards = append(wards, summary.Ward{ID: int64(10 + i), Name: name, Summary: summary.Compute(p, reports, summary.Options{Period: july, Loc: loc})})
	}
	return summary.RollUpProvince(wards, summary.ProvinceOptions{Period: july})
}

func openProvince(t *testing.T, p *summary.Province) *excelize.File {
	t.Helper()
	var buf bytes.Buffer
	if err := Province(&buf, p); err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("PLANBOT_XLSX_DIR"); dir != "" {
		// To look at it as a user would (LibreOffice, then a PDF).
		path := filepath.Join(dir, fmt.Sprintf("province-%d.xlsx", len(p.Wards)))
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s", path)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatalf("read back: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func TestProvinceWorkbook(t *testing.T) {
	f := openProvince(t, testProvince(t))
	// Nghĩa Lộ sent nothing: first. Nghĩa Chánh has no data: no sheet.
	wantSheets := []string{"Tổng hợp", "So sánh", "Phường Nghĩa Lộ", "phường Chánh Lộ"}
	if got := f.GetSheetList(); !slices.Equal(got, wantSheets) {
		t.Fatalf("sheets %q, want %q", got, wantSheets)
	}
	cells := []struct{ sheet, cell, want string }{
		{"Tổng hợp", "A1", "Tổng hợp thực hiện Kế hoạch Đề án 06 tại 3 xã, phường — tháng 7/2023"},
		{"Tổng hợp", "A3", "STT"},
		{"Tổng hợp", "B3", "Xã, phường"},
		{"Tổng hợp", "J3", "Số liệu thấp nhất"},
		{"Tổng hợp", "K3", "Chi tiết"},
		{"Tổng hợp", "K4", "Xem"},
		{"Tổng hợp", "K6", ""},
		{"Tổng hợp", "B4", "Phường Nghĩa Lộ"},
		{"Tổng hợp", "C4", "0/4"},
		{"Tổng hợp", "I4", "Chưa báo cáo"},
		{"Tổng hợp", "B5", "UBND phường Chánh Lộ"},
		{"Tổng hợp", "C5", "3/4"},
		{"Tổng hợp", "E5", "4"},
		{"Tổng hợp", "F5", "1"},
		{"Tổng hợp", "G5", "1"},
		{"Tổng hợp", "H5", "1"},
		{"Tổng hợp", "I5", "Thiếu 1 đơn vị"},
		{"Tổng hợp", "B6", "Phường Nghĩa Chánh"},
		{"Tổng hợp", "I6", "Chưa có số liệu"},
		{"Tổng hợp", "B7", "Tổng cộng"},
		{"Tổng hợp", "C7", "3/8"},
		{"Tổng hợp", "E7", "8"},
		{"So sánh", "B3", "Xã, phường"},
		{"So sánh", "H3", "Số liệu thấp nhất"},
		{"So sánh", "I3", ""},
		{"So sánh", "A4", "Công tác tham mưu, chỉ đạo, triển khai"},
		{"So sánh", "B5", "UBND phường Chánh Lộ"},
		{"So sánh", "C5", "1.b, 1.c"},
		{"So sánh", "B6", "Phường Nghĩa Lộ"},
		{"phường Chánh Lộ", "A1", "UBND phường Chánh Lộ — Kế hoạch Đề án 06 — tháng 7/2023"},
		{"phường Chánh Lộ", "B5", "1.b. Triển khai Nghị định số 104/2022/NĐ-CP"},
	}
	for _, c := range cells {
		got, err := f.GetCellValue(c.sheet, c.cell)
		if err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("%s!%s = %q, want %q", c.sheet, c.cell, got, c.want)
		}
	}
	weak, _ := f.GetCellValue("Tổng hợp", "J5")
	// 2.e is 1.200 of 1.500 (20% short), 1.b at 90% (10%).
	if want := "2.e Số hóa 100% dữ liệu hộ tịch — Tư pháp - Hộ tịch: 1.200/1.500 hồ sơ (80%) / chỉ tiêu 1.500 hồ sơ\n" +
		"1.b Triển khai Nghị định số 104/2022/NĐ-CP — Công an phường, Văn phòng phường: 90%; quá hạn 21 ngày làm việc"; weak != want {
		t.Errorf("weakest of Chánh Lộ: %q", weak)
	}
	if ok, link, _ := f.GetCellHyperLink("Tổng hợp", "K5"); !ok || link != "'phường Chánh Lộ'!A1" {
		t.Errorf("link of Chánh Lộ: %v %q", ok, link)
	}
	if ok, _, _ := f.GetCellHyperLink("Tổng hợp", "K6"); ok {
		t.Error("a ward without data links to a sheet")
	}
}

// A province has about a hundred wards, named alike ("Phường 1" …
// "Phường 100") or at length: every sheet name is unique without regard
// to case, at most 31 characters, and every ward's link reaches its own
// sheet.
func TestProvinceWorkbookSheetNames(t *testing.T) {
	var names []string
	for i := 1; i <= 100; i++ {
		names = append(names, fmt.Sprintf("Phường %d", i))
	}
	for i := 1; i <= 12; i++ {
		names = append(names, fmt.Sprintf("Ủy ban nhân dân phường Nguyễn Nghiêm thành phố Quảng Ngãi %d", i))
	}
	names = append(names, "Xã Tịnh Khê", "XÃ TỊNH KHÊ", "Phường: [Trần/Phú]?", "'Xã Nghĩa Hà'")
	p := testProvince(t, names...)
	f := openProvince(t, p)
	sheets := f.GetSheetList()
	if want := 2 + 2 + len(names); len(sheets) != want {
		t.Fatalf("%d sheets, want %d", len(sheets), want)
	}
	seen := map[string]bool{}
	for _, s := range sheets {
		if n := utf8.RuneCountInString(s); n > 31 {
			t.Errorf("sheet %q: %d characters", s, n)
		}
		if strings.ContainsAny(s, `[]:*?/\`) || strings.HasPrefix(s, "'") {
			t.Errorf("sheet %q: a character Excel refuses", s)
		}
		if k := strings.ToLower(s); seen[k] {
			t.Errorf("sheet %q twice", s)
		} else {
			seen[k] = true
		}
	}
	linked := map[string]string{}
	for row := 4; row < 4+len(p.Wards); row++ {
		cell := fmt.Sprintf("B%d", row)
		ward, _ := f.GetCellValue("Tổng hợp", cell)
		ok, link, _ := f.GetCellHyperLink("Tổng hợp", fmt.Sprintf("K%d", row))
		if !ok {
			continue
		}
		sheet := strings.TrimSuffix(strings.TrimPrefix(link, "'"), "'!A1")
		title, _ := f.GetCellValue(sheet, "A1")
		if !strings.HasPrefix(title, ward+" — ") {
			t.Errorf("%s links to %q, titled %q", ward, sheet, title)
		}
		if other, dup := linked[sheet]; dup {
			t.Errorf("%s and %s link to %q", other, ward, sheet)
		}
		linked[sheet] = ward
	}
	if len(linked) != len(names)+2 {
		t.Errorf("%d wards linked, want %d", len(linked), len(names)+2)
	}
}

func TestWardSheetName(t *testing.T) {
	for in, want := range map[string]string{
		"UBND phường Chánh Lộ":            "phường Chánh Lộ",
		"Ủy ban nhân dân xã Tịnh Khê":     "xã Tịnh Khê",
		"Phường 1":                        "Phường 1",
		"UBND ":                           "UBND",
		"ubnd Phường Trần Phú":            "Phường Trần Phú",
		"Uỷ ban nhân dân phường Nghĩa Lộ": "phường Nghĩa Lộ",
		"Ủy ban nhân dân phường Nguyễn Nghiêm thành phố Quảng Ngãi 12": "phường Nguyễn…Quảng Ngãi 12",
	} {
		if got := wardSheetName(in); got != want {
			t.Errorf("wardSheetName(%q) = %q, want %q", in, got, want)
		}
	}
}

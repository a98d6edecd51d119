package xlsx

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/summary"
)

func testSummary(t *testing.T) *summary.Summary {
	t.Helper()
	p, reports, loc := testPlan(t)
	return summary.Compute(p, reports, summary.Options{Period: plan.Month(2023, 7), Loc: loc})
}

// testPlan is a cut-down plan of phường Chánh Lộ with July's reports.
func testPlan(t *testing.T) (*plan.Plan, []plan.Progress, *time.Location) {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	p := &plan.Plan{
		ID: 1, Year: 2023, Number: "/KH-UBND",
		Title:    "Triển khai thực hiện Đề án 06 trên địa bàn phường Chánh Lộ năm 2023",
		Sections: []plan.Section{{Number: "1", Title: "Công tác tham mưu, chỉ đạo, triển khai"}, {Number: "2", Title: "Phục vụ giải quyết thủ tục hành chính"}},
		Units:    []string{"Công an phường", "Văn phòng phường", "Tư pháp - Hộ tịch", "Đoàn phường: [Thanh niên]/xung kích tình nguyện"},
		Tasks: []plan.Task{
			{Code: "1.b", Section: "1", Title: "Triển khai Nghị định số 104/2022/NĐ-CP", Lead: []string{"Công an phường", "Văn phòng phường"},
				Support: []string{"Bộ phận Một cửa"}, Deadline: plan.Deadline{Kind: plan.DeadlineDate, Due: plan.NewDate(2023, 6, 30), Text: "Trong Quý II/2023"}},
			{Code: "1.c", Section: "1", Title: "Đăng ký nhiệm vụ Đề án 06 năm 2023", Lead: []string{"Công an phường"}, SupportAll: true,
				Deadline: plan.Deadline{Kind: plan.DeadlineDate, Due: plan.NewDate(2023, 4, 30)}},
			{Code: "2.e", Section: "2", Title: "Số hóa 100% dữ liệu hộ tịch", Lead: []string{"Tư pháp - Hộ tịch"}, Support: []string{"Văn phòng phường"},
				Deadline: plan.Deadline{Kind: plan.DeadlineRecurring, Recurrence: plan.RecurOngoing},
				Targets:  []plan.Target{{Value: 1500, Unit: "hồ sơ"}}},
			{Code: "7.b", Section: "2", Title: "Phát huy vai trò đoàn viên", Lead: []string{"Đoàn phường: [Thanh niên]/xung kích tình nguyện"},
				Deadline: plan.Deadline{Kind: plan.DeadlineRecurring, Recurrence: plan.RecurOngoing}},
		},
	}
	at := func(m time.Month, d int) time.Time { return time.Date(2023, m, d, 9, 0, 0, 0, loc) }
	reports := []plan.Progress{
		{TaskCode: "1.b", Unit: "Công an phường", Period: plan.Month(2023, 7), ReportedAt: at(7, 10), Figure: plan.Figure{Kind: plan.ProgressPercent, Percent: 90}},
		{TaskCode: "1.b", Unit: "Văn phòng phường", Period: plan.Month(2023, 7), ReportedAt: at(7, 5), Figure: plan.Figure{Kind: plan.ProgressDone, Percent: 100}, Confirm: plan.ConfirmPending},
		{TaskCode: "1.c", Unit: "Công an phường", Period: plan.Month(2023, 4), ReportedAt: at(4, 27), Figure: plan.Figure{Kind: plan.ProgressDone, Percent: 100}, Confirm: plan.ConfirmAccepted},
		{TaskCode: "2.e", Unit: "Tư pháp - Hộ tịch", Period: plan.Month(2023, 7), ReportedAt: at(7, 18),
			Figure: plan.Figure{Kind: plan.ProgressCount, Done: 1200, Total: 1500, CountUnit: "hồ sơ", Percent: 80, Blocker: "thiếu máy scan"}},
	}
	return p, reports, loc
}

func TestWorkbook(t *testing.T) {
	s := testSummary(t)
	data, err := Bytes(s)
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("read back: %v", err)
	}
	defer f.Close()

	wantSheets := []string{"Tổng hợp", "Theo đơn vị", "Công an phường", "Văn phòng phường", "Tư pháp - Hộ tịch", "Đoàn phường- -Thanh niên--xung", "Dữ liệu biểu đồ"}
	if got := f.GetSheetList(); strings.Join(got, "|") != strings.Join(wantSheets, "|") {
		t.Fatalf("sheets %q, want %q", got, wantSheets)
	}

	cells := []struct{ sheet, cell, want string }{
		{"Tổng hợp", "A1", "Tổng hợp thực hiện Kế hoạch Đề án 06 — tháng 7/2023"},
		{"Tổng hợp", "A2", "Tình trạng tính đến ngày 31/7/2023; số ngày quá hạn tính theo ngày làm việc."},
		{"Tổng hợp", "A3", "STT"},
		{"Tổng hợp", "B3", "Nhiệm vụ"},
		{"Tổng hợp", "C3", "Đơn vị chủ trì, thực hiện"},
		{"Tổng hợp", "D3", "Đơn vị phối hợp"},
		{"Tổng hợp", "E3", "Thời hạn"},
		{"Tổng hợp", "F3", "Kết quả (số liệu so với chỉ tiêu)"},
		{"Tổng hợp", "G3", "Tình trạng"},
		{"Tổng hợp", "H3", "Ghi chú"},
		{"Tổng hợp", "B4", "1. Công tác tham mưu, chỉ đạo, triển khai"},
		// 1.b has two units: a line each, the task's cells merged over both.
		{"Tổng hợp", "A5", "1"},
		{"Tổng hợp", "B5", "1.b. Triển khai Nghị định số 104/2022/NĐ-CP"},
		{"Tổng hợp", "C5", "Công an phường"},
		{"Tổng hợp", "D5", "Bộ phận Một cửa"},
		{"Tổng hợp", "E5", "30/6/2023"},
		{"Tổng hợp", "F5", "90%"},
		{"Tổng hợp", "G5", "Quá hạn, chưa hoàn thành (21 ngày làm việc)"},
		{"Tổng hợp", "A6", "1"},
		{"Tổng hợp", "B6", "1.b. Triển khai Nghị định số 104/2022/NĐ-CP"},
		{"Tổng hợp", "C6", "Văn phòng phường"},
		{"Tổng hợp", "F6", "hoàn thành"},
		{"Tổng hợp", "G6", "Đã hoàn thành quá hạn (3 ngày làm việc; chờ xác nhận)"},
		{"Tổng hợp", "A7", "2"},
		{"Tổng hợp", "D7", "Các ban ngành, đơn vị phường"},
		{"Tổng hợp", "G7", "Đã hoàn thành đúng hạn"},
		{"Tổng hợp", "B8", "2. Phục vụ giải quyết thủ tục hành chính"},
		{"Tổng hợp", "E9", "Thường xuyên"},
		{"Tổng hợp", "F9", "1.200/1.500 hồ sơ (80%); chỉ tiêu 1.500 hồ sơ: chưa đạt"},
		{"Tổng hợp", "G9", "Thường xuyên, đã báo cáo"},
		{"Tổng hợp", "H9", "vướng mắc “thiếu máy scan”"},
		{"Tổng hợp", "G10", "Thường xuyên, chưa báo cáo"},
		{"Theo đơn vị", "B3", "Đơn vị"},
		{"Theo đơn vị", "B4", "Công an phường"},
		{"Theo đơn vị", "C4", "2"}, // 1.b and 1.c
		{"Theo đơn vị", "D4", "1"}, // 1.c finished before July
		{"Theo đơn vị", "E4", "1"},
		{"Theo đơn vị", "G4", "1"},
		{"Theo đơn vị", "H4", "100%"},
		{"Văn phòng phường", "A1", "Văn phòng phường — tháng 7/2023"},
		{"Văn phòng phường", "G4", "Đã hoàn thành quá hạn (3 ngày làm việc; chờ xác nhận)"},
		{"Văn phòng phường", "F4", "hoàn thành"},
		{"Dữ liệu biểu đồ", "B1", "Đã hoàn thành đúng hạn"},
		{"Dữ liệu biểu đồ", "A2", "Công an phường"},
		{"Dữ liệu biểu đồ", "B2", "1"},
		{"Dữ liệu biểu đồ", "F2", "1"},
	}
	for _, c := range cells {
		got, err := f.GetCellValue(c.sheet, c.cell)
		if err != nil {
			t.Fatalf("%s!%s: %v", c.sheet, c.cell, err)
		}
		if got != c.want {
			t.Errorf("%s!%s = %q, want %q", c.sheet, c.cell, got, c.want)
		}
	}

	for _, sheet := range []string{"Tổng hợp", "Theo đơn vị", "Công an phường"} {
		panes, err := f.GetPanes(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if !panes.Freeze || panes.YSplit != 3 || panes.TopLeftCell != "A4" {
			t.Errorf("%s panes: %+v, want frozen above A4", sheet, panes)
		}
	}
	for i, w := range ColumnWidths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		got, err := f.GetColWidth("Tổng hợp", col)
		if err != nil {
			t.Fatal(err)
		}
		if got != w {
			t.Errorf("width of %s = %v, want %v", col, got, w)
		}
	}
	id, err := f.GetCellStyle("Tổng hợp", "B5")
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	if st.Alignment == nil || !st.Alignment.WrapText {
		t.Errorf("B5 does not wrap text: %+v", st.Alignment)
	}
	merged, err := f.GetMergeCells("Tổng hợp")
	if err != nil {
		t.Fatal(err)
	}
	if len(merged) == 0 || merged[0].GetStartAxis() != "A1" || merged[0].GetEndAxis() != "H1" {
		t.Errorf("title not merged over A1:H1: %v", merged)
	}
	charts := 0
	f.Pkg.Range(func(k, v any) bool {
		if strings.HasPrefix(k.(string), "xl/charts/chart") {
			charts++
			if !bytes.Contains(v.([]byte), []byte(`grouping val="stacked"`)) || !bytes.Contains(v.([]byte), []byte(`barDir val="bar"`)) {
				t.Errorf("chart is not a stacked bar chart: %.400s", v)
			}
		}
		return true
	})
	if charts != 1 {
		t.Errorf("%d charts, want 1", charts)
	}
}

func TestEmptySummary(t *testing.T) {
	s := summary.Compute(&plan.Plan{Year: 2023}, nil, summary.Options{Period: plan.Month(2023, 5)})
	if _, err := Bytes(s); err != nil {
		t.Fatal(err)
	}
}

// The chairman prints the report: A4 landscape, one page wide, the
// header repeated, and rows tall enough for their wrapped text (a
// generated file's rows are not grown by spreadsheet programs).
func TestPrintLayout(t *testing.T) {
	f, err := Workbook(testSummary(t))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := f.GetSheetName(0)
	pl, err := f.GetPageLayout(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if pl.Orientation == nil || *pl.Orientation != "landscape" || pl.Size == nil || *pl.Size != 9 ||
		pl.FitToWidth == nil || *pl.FitToWidth != 1 {
		t.Errorf("page layout = %+v, want A4 landscape, one page wide", pl)
	}
	names := f.GetDefinedName()
	found := false
	for _, n := range names {
		if n.Name == "_xlnm.Print_Titles" && n.Scope == sheet && strings.HasSuffix(n.RefersTo, "!$1:$3") {
			found = true
		}
	}
	if !found {
		t.Errorf("no print titles for %s: %+v", sheet, names)
	}
	// Rows: the section heading takes one line; a task row with text that
	// wraps takes more.
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	tall := 0
	for i := firstRow - 1; i < len(rows); i++ {
		h, err := f.GetRowHeight(sheet, i+1)
		if err != nil {
			t.Fatal(err)
		}
		if h < lineHeight {
			t.Errorf("row %d height %.1f, want at least one line", i+1, h)
		}
		if h > 2*lineHeight {
			tall++
		}
	}
	if tall == 0 {
		t.Error("no row was made taller for wrapped text")
	}
}

func TestWrappedLines(t *testing.T) {
	tests := []struct {
		text  string
		width float64
		want  int
	}{
		{"", 10, 1},
		{"Công an phường", 20, 1},
		{"Công an phường, Văn phòng phường", 10, 4},
		{"một\nhai\nba", 40, 3},
		{strings.Repeat("x", 50), 10, 5},
	}
	for _, tt := range tests {
		if got := wrappedLines(tt.text, tt.width); got != tt.want {
			t.Errorf("wrappedLines(%q, %v) = %d, want %d", tt.text, tt.width, got, tt.want)
		}
	}
}

package importer

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/chanhlo/planbot/plan"
)

// romanNumeral writes a section number as group rows number them.
func romanNumeral(s string) string {
	var n int
	fmt.Sscan(s, &n)
	return roman(n)
}

// splitTitle cuts a long title into two lines of a cell, where a Word
// user would have pressed Enter; never before a dash, which would read
// as a list item.
func splitTitle(s string) string {
	words := strings.Fields(s)
	if len(words) < 12 {
		return s
	}
	at := len(words) / 2
	for at < len(words) && bulletRe.MatchString(words[at]) {
		at++
	}
	return strings.Join(words[:at], " ") + "\n" + strings.Join(words[at:], " ")
}

// sampleAsTable lays the tasks of the parsed sample plan out as a Word
// table: the heading row and a row numbering the columns (both w:tblHeader,
// repeated before section 5), a group row per section (section 3's one cell
// merged across the table), the lead and deadline cells merged down where
// consecutive tasks share them. It returns the .docx and how many cells
// were merged down.
func sampleAsTable(t *testing.T, p *plan.Plan) ([]byte, int) {
	t.Helper()
	const cols = 8
	heading := []wRow{
		{header: true, cells: cellsOf("STT", "Nội dung công việc", "Cơ quan (đơn vị) chủ trì", "Đơn vị thực hiện", "Cơ quan phối hợp", "Thời hạn hoàn thành", "Sản phẩm,\nchỉ tiêu", "Ghi chú")},
		{header: true, cells: cellsOf("(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)")},
	}
	rows := append([]wRow{}, heading...)
	merged := 0
	for _, sec := range p.Sections {
		if sec.Number == "5" {
			rows = append(rows, heading...)
		}
		if sec.Number == "3" {
			rows = append(rows, wRow{cells: []wCell{{text: romanNumeral(sec.Number) + ". " + sec.Title, span: cols}}})
		} else {
			rows = append(rows, wRow{cells: cellsOf(romanNumeral(sec.Number), sec.Title, "", "", "", "", "", "")})
		}
		first := len(rows)
		for _, task := range p.Tasks {
			if task.Section != sec.Number {
				continue
			}
			stt := strings.TrimPrefix(task.Code, sec.Number+".")
			switch {
			case task.Code == sec.Number:
				stt = "" // the section's own task
			case stt >= "0" && stt <= "9":
				stt += "."
			}
			support := strings.Join(task.Support, ", ")
			if task.SupportAll {
				support = strings.TrimPrefix(support+"; Các ban ngành, đơn vị phường", "; ")
			}
			var targets []string
			for _, g := range task.Targets {
				targets = append(targets, g.Text)
			}
			result := strings.Join(targets, "; ")
			deadline := task.Deadline.Text
			if d, _ := ParseDeadline(deadline, p.Year); d != task.Deadline {
				// Read from the target line ("Năm 2023 đạt 70%"): it
				// stays there.
				result, deadline = strings.TrimSpace(deadline+" "+result), ""
			}
			rows = append(rows, wRow{cells: cellsOf(stt, splitTitle(task.Title), strings.Join(task.Lead, ", "), strings.Join(task.Execute, ", "), support, deadline, result, "")})
		}
		// Merge down equal lead and deadline cells of consecutive tasks.
		for _, c := range []int{2, 5} {
			for i := first + 1; i < len(rows); i++ {
				above := rows[i-1].cells[c]
				if rows[i].cells[c].text == "" || rows[i].cells[c].text != above.text {
					continue
				}
				if above.vmerge == "" {
					rows[i-1].cells[c].vmerge = "restart"
				}
				rows[i].cells[c].vmerge = "continue"
				merged++
			}
		}
	}
	var d wordDoc
	d.table([]wRow{
		{cells: cellsOf("ỦY BAN NHÂN DÂN\nPHƯỜNG CHÁNH LỘ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc")},
		{cells: cellsOf("Số: "+p.Number, "Chánh Lộ, ngày tháng 3 năm 2023")},
	})
	d.para("KẾ HOẠCH", "")
	d.para(p.Title, "")
	d.para("I. MỤC ĐÍCH, YÊU CẦU", "")
	d.para("Tập trung lãnh đạo, chỉ đạo thực hiện Đề án 06.", "")
	d.para("III. CÁC NHIỆM VỤ CỤ THỂ VÀ PHÂN CÔNG TRÁCH NHIỆM", "")
	d.para("(Chi tiết theo bảng dưới đây)", "")
	d.table(rows)
	d.para("IV. KINH PHÍ THỰC HIỆN", "")
	d.para("Kinh phí do ngân sách Nhà nước bảo đảm.", "")
	d.table([]wRow{
		{cells: cellsOf("Nơi nhận:\n- UBND thành phố;\n- Lưu VT.", "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n\nLê Việt Dũng")},
	})
	return d.bytes(t), merged
}

// TestTableSampleGolden reads the sample plan laid out as a Word table and
// checks that it gives the same plan as the prose, field by field.
func TestTableSampleGolden(t *testing.T) {
	prose := parseSample(t)
	data, merged := sampleAsTable(t, prose)
	if merged < 3 {
		t.Fatalf("only %d cells merged down; the test lost its merged cells", merged)
	}
	blocks, err := docxBlocks(data)
	if err != nil {
		t.Fatal(err)
	}
	var tables [][][]string
	for _, b := range blocks {
		if b.Table != nil {
			tables = append(tables, b.Table)
		}
	}
	if len(tables) != 3 {
		t.Fatalf("%d tables, want 3", len(tables))
	}
	heads := 0
	for _, r := range tables[1] {
		if r[0] == "STT" {
			heads++
		}
		if r[0] == "III. "+prose.Sections[2].Title && r[7] != r[0] {
			t.Errorf("merged group row not spread: %q", r)
		}
	}
	if heads != 1 {
		t.Errorf("heading row read %d times, want once", heads)
	}
	p, err := Parse(bytes.NewReader(data), "ke-hoach-bang.docx")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteReviewJSON(&buf, p); err != nil {
		t.Fatal(err)
	}
	golden(t, "table.golden.json", buf.Bytes())
	buf.Reset()
	if err := WriteReview(&buf, p); err != nil {
		t.Fatal(err)
	}
	golden(t, "table.golden.txt", buf.Bytes())

	if p.Number != prose.Number || p.Title != prose.Title || p.Year != prose.Year || p.Date != prose.Date {
		t.Errorf("header = %q %q %d %v, want %q %q %d %v", p.Number, p.Title, p.Year, p.Date, prose.Number, prose.Title, prose.Year, prose.Date)
	}
	if !slices.Equal(p.Sections, prose.Sections) {
		t.Errorf("sections =\n%q\nwant\n%q", p.Sections, prose.Sections)
	}
	if !slices.Equal(p.Units, prose.Units) {
		t.Errorf("units = %q\nwant %q", p.Units, prose.Units)
	}
	var codes, want []string
	for _, task := range p.Tasks {
		codes = append(codes, task.Code)
	}
	for _, task := range prose.Tasks {
		want = append(want, task.Code)
	}
	if !slices.Equal(codes, want) {
		t.Fatalf("codes = %q\nwant %q", codes, want)
	}
	for i, got := range p.Tasks {
		w := prose.Tasks[i]
		diff := func(field string, g, wv any) {
			t.Errorf("task %s: %s = %v\n\twant %v", w.Code, field, g, wv)
		}
		if got.Section != w.Section {
			diff("section", got.Section, w.Section)
		}
		if got.Title != w.Title {
			diff("title", got.Title, w.Title)
		}
		if !slices.Equal(got.Lead, w.Lead) {
			diff("lead", got.Lead, w.Lead)
		}
		if !slices.Equal(got.Execute, w.Execute) {
			diff("execute", got.Execute, w.Execute)
		}
		if !slices.Equal(got.Support, w.Support) || got.SupportAll != w.SupportAll {
			diff("support", fmt.Sprint(got.Support, got.SupportAll), fmt.Sprint(w.Support, w.SupportAll))
		}
		if got.Deadline != w.Deadline {
			diff("deadline", fmt.Sprintf("%+v", got.Deadline), fmt.Sprintf("%+v", w.Deadline))
		}
		if !slices.Equal(got.Targets, w.Targets) {
			diff("targets", got.Targets, w.Targets)
		}
	}
	notes := []string{
		"Bỏ qua bảng 1 (không phải danh sách nhiệm vụ: phần đầu văn bản có quốc hiệu).",
		"Bỏ qua bảng 3 (không phải danh sách nhiệm vụ: Nơi nhận).",
	}
	// The table document has no prose parts: the prose's notes of parts
	// left out are not expected of it.
	var proseW []string
	for _, w := range prose.Warnings {
		if !strings.HasPrefix(w, "Bỏ qua phần ") {
			proseW = append(proseW, w)
		}
	}
	var gotW []string
	for _, w := range p.Warnings {
		if !strings.HasPrefix(w, "Bỏ qua phần ") {
			gotW = append(gotW, w)
		}
	}
	if wantW := append(proseW, notes...); !slices.Equal(gotW, wantW) {
		t.Errorf("warnings =\n%s\nwant\n%s", strings.Join(gotW, "\n"), strings.Join(wantW, "\n"))
	}
}

// TestTablesIgnoredAndMixed reads a plan typed as prose with an appendix
// table of further tasks, a header table, a table that looks like a task
// list but is not one, and the signature table: the prose and appendix
// tasks both end in the plan, the other tables are reported.
func TestTablesIgnoredAndMixed(t *testing.T) {
	var d wordDoc
	d.table([]wRow{
		{cells: cellsOf("ỦY BAN NHÂN DÂN\nPHƯỜNG CHÁNH LỘ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc")},
		{cells: cellsOf("Số: 20/KH-UBND", "Chánh Lộ, ngày 02 tháng 4 năm 2024")},
	})
	for _, p := range []string{"KẾ HOẠCH", "Chuyển đổi số năm 2024", "III. NHIỆM VỤ CỤ THỂ", "1. Hạ tầng",
		"a) Mua máy scan.", "- Đơn vị chủ trì: Tài chính - Kế toán", "- Thời hạn: Quý II/2024",
		"b) Số hóa hồ sơ.", "- Đơn vị chủ trì: Bộ phận Một cửa", "- Thời hạn: Trong năm 2024"} {
		d.para(p, "")
	}
	// Looks like a task list (STT, content) but has no unit or deadline.
	d.table([]wRow{
		{cells: cellsOf("STT", "Nội dung", "Ghi chú")},
		{cells: cellsOf("1", "Máy scan", "02 chiếc")},
	})
	d.para("IV. TỔ CHỨC THỰC HIỆN", "")
	d.table([]wRow{{cells: cellsOf("Nơi nhận:\n- UBND thành phố;\n- Lưu VT.", "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH")}})
	d.para("PHỤ LỤC", "")
	d.para("(Kèm theo Kế hoạch số 20/KH-UBND ngày 02/4/2024 của UBND phường)", "")
	d.table([]wRow{
		{cells: []wCell{{text: "DANH MỤC NHIỆM VỤ", span: 6}}},
		{cells: cellsOf("TT", "Nội dung nhiệm vụ", "Đơn vị thực hiện", "Đơn vị thực hiện", "Tiến độ", "Kết quả")},
		{cells: cellsOf("TT", "Nội dung nhiệm vụ", "Chủ trì", "Phối hợp", "Tiến độ", "Kết quả")},
		{cells: cellsOf("1", "Đào tạo", "", "", "", "")},
		{cells: cellsOf("1.1", "Tập huấn kỹ năng số\n- cho công chức\n- cho tổ dân phố", "Văn phòng phường", "Đoàn phường", "Tháng 5/2024", "100% công chức")},
		{cells: cellsOf("1.2", "Hướng dẫn người dân", "Công an phường", "", "Thường xuyên", "")},
		{cells: cellsOf("2", "Hạ tầng", "", "", "", "")},
		{cells: cellsOf("a", "Mua máy tính", "Tài chính - Kế toán", "", "Quý III/2024", "")},
		{cells: cellsOf("", "", "", "Văn phòng phường", "", "")},
		{cells: cellsOf("c", "Kết nối mạng", "Văn phòng phường", "", "", "")},
	})
	p, err := Parse(bytes.NewReader(d.bytes(t)), "phu-luc.docx")
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, task := range p.Tasks {
		codes = append(codes, task.Code)
	}
	if want := []string{"1.a", "1.b", "1.1", "1.2", "2.a", "2.c"}; !slices.Equal(codes, want) {
		t.Fatalf("codes = %q, want %q", codes, want)
	}
	t11 := p.Task("1.1")
	if t11.Title != "Tập huấn kỹ năng số; cho công chức; cho tổ dân phố" || !slices.Equal(t11.Lead, []string{"Văn phòng phường"}) ||
		!slices.Equal(t11.Support, []string{"Đoàn phường"}) || t11.Deadline.Due != plan.NewDate(2024, 5, 31) ||
		len(t11.Targets) != 1 || t11.Targets[0].Value != 100 || t11.Section != "1" {
		t.Errorf("1.1 = %+v", t11)
	}
	if t2a := p.Task("2.a"); !slices.Equal(t2a.Support, []string{"Văn phòng phường"}) || t2a.Deadline.Due != plan.NewDate(2024, 9, 30) {
		t.Errorf("2.a = %+v (the row below adds a supporting unit)", t2a)
	}
	if !slices.Contains(p.Sections, plan.Section{Number: "2", Title: "Hạ tầng"}) {
		t.Errorf("sections = %q", p.Sections)
	}
	for _, w := range []string{
		"Nhiệm vụ 2.c: không ghi thời hạn.",
		"Mục 2: sau nhiệm vụ 2.a là 2.c (thiếu thứ tự); giữ nguyên mã như văn bản.",
		"Bảng 2 có cột số thứ tự và cột nội dung nhưng không có cột đơn vị chủ trì, phối hợp hay thời hạn nên không đọc được thành danh sách nhiệm vụ; cần kiểm tra, các dòng của bảng chưa được nhập.",
		"Bỏ qua bảng 1 (không phải danh sách nhiệm vụ: phần đầu văn bản có quốc hiệu).",
		"Bỏ qua bảng 3 (không phải danh sách nhiệm vụ: Nơi nhận).",
	} {
		if !slices.Contains(p.Warnings, w) {
			t.Errorf("no warning %q in\n%s", w, strings.Join(p.Warnings, "\n"))
		}
	}
	if p.Number != "20/KH-UBND" || p.Date != plan.NewDate(2024, 4, 2) {
		t.Errorf("header = %q %v (from the header table)", p.Number, p.Date)
	}
	var buf bytes.Buffer
	if err := WriteReview(&buf, p); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "Đã bỏ qua (3):\n- Bỏ qua phần IV. TỔ CHỨC THỰC HIỆN (không phải phần nhiệm vụ).\n- Bỏ qua bảng 1") {
		t.Errorf("review does not list the ignored tables apart:\n%s", buf.String())
	}
}

func TestTableDuplicateCodes(t *testing.T) {
	src := "III. NHIỆM VỤ CỤ THỂ\n\n1. Hạ tầng\n\na) Mua máy.\n\n- Chủ trì: Công an\n\n- Thời hạn: Quý II/2023\n"
	var d wordDoc
	for _, l := range strings.Split(src, "\n\n") {
		d.para(l, "")
	}
	d.table([]wRow{
		{cells: cellsOf("STT", "Nhiệm vụ", "Chủ trì", "Thời gian")},
		{cells: cellsOf("I", "Hạ tầng", "", "")},
		{cells: cellsOf("a)", "Mua máy khác", "Văn phòng", "Quý III/2023")},
	})
	p, err := Parse(bytes.NewReader(d.bytes(t)), "", WithYear(2023))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Tasks) != 2 || len(p.Sections) != 1 {
		t.Fatalf("tasks = %+v, sections = %q", p.Tasks, p.Sections)
	}
	if !slices.ContainsFunc(p.Warnings, func(s string) bool { return strings.Contains(s, "Mã nhiệm vụ 1.a xuất hiện 2 lần") }) {
		t.Errorf("warnings = %q", p.Warnings)
	}
}

func TestHeadingColumn(t *testing.T) {
	for h, want := range map[string]column{
		"STT": colSTT, "TT": colSTT, "Số TT": colSTT,
		"Nội dung": colContent, "Nhiệm vụ": colContent, "Nội dung công việc": colContent, "NỘI DUNG NHIỆM VỤ": colContent,
		"Cơ quan (đơn vị) chủ trì": colLead, "Chủ trì": colLead, "Đơn vị chủ trì": colLead, "Đơn vị thực hiện": colExecute,
		"Phối hợp": colSupport, "Cơ quan phối hợp": colSupport, "Đơn vị phối hợp": colSupport,
		"Thời gian": colDeadline, "Thời hạn hoàn thành": colDeadline, "Tiến độ": colDeadline, "Thời gian\nhoàn thành": colDeadline,
		"Sản phẩm": colResult, "Kết quả": colResult, "Chỉ tiêu": colResult, "Ghi chú": colNote, "Họ và tên": colNone,
	} {
		if got := headingColumn(h); got != want {
			t.Errorf("headingColumn(%q) = %d, want %d", h, got, want)
		}
	}
}

// FuzzTable reads tables built from fuzz strings, as task lists and as
// documents.
func FuzzTable(f *testing.F) {
	f.Add("I", "Công tác", "1.", "Rà soát\n- dữ liệu", "Công an phường", "Quý II/2023")
	f.Add("", "", "a)", "", "Các ban ngành", "Thường xuyên")
	f.Add("II. Hạ tầng", "II. Hạ tầng", "1", "(2)", "(3)", "đạt 100%")
	f.Fuzz(func(t *testing.T, a, b, c, d, e, g string) {
		rows := [][]string{
			{"STT", "Nội dung", "Chủ trì", "Phối hợp", "Thời hạn", "Kết quả"},
			{a, b, "", "", "", ""},
			{c, d, e, e, g, g},
			{a, a, a, a, a, a},
			{"", d, "", e, "", ""},
			{c, b, g, "", e, d},
		}
		blocks := []docBlock{{Text: a}, {Table: rows}, {Table: [][]string{{b, c}, {d}}}}
		for i := range blocks {
			blocks[i] = normalizeBlock(blocks[i])
		}
		_, tables := splitBlocks(blocks)
		ps := &parser{p: &plan.Plan{}, year: 2023, sectionDeadline: map[string]plan.Deadline{}}
		ps.tableTasks(tables)
		ps.finishPlan()
		for _, task := range ps.p.Tasks {
			if task.Code == "" || task.Deadline.Kind == "" {
				t.Errorf("task %+v", task)
			}
		}
		var d2 wordDoc
		d2.para(a, "")
		d2.table([]wRow{{cells: cellsOf(rows[0]...)}, {cells: cellsOf(rows[2]...)}, {cells: []wCell{{text: b, span: 3}, {text: c, vmerge: "restart"}}}, {cells: []wCell{{text: d, span: 3}, {vmerge: "continue"}}}})
		if _, err := Parse(bytes.NewReader(d2.bytes(t)), "fuzz", WithYear(2023)); err != nil && plan.ErrorCode(err) != plan.EInvalid {
			t.Fatalf("error without a user message: %v", err)
		}
	})
}

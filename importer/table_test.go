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
	if wantW := append(slices.Clone(prose.Warnings), notes...); !slices.Equal(p.Warnings, wantW) {
		t.Errorf("warnings =\n%s\nwant\n%s", strings.Join(p.Warnings, "\n"), strings.Join(wantW, "\n"))
	}
}

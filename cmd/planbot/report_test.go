package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gomutex/godocx/docx"
	"github.com/gomutex/godocx/packager"
	"github.com/gomutex/godocx/wml/ctypes"
	"github.com/xuri/excelize/v2"
)

var updateGolden = flag.Bool("update", false, "rewrite golden files in testdata/")

// The báo cáo on the demo's data: its text against golden files for May
// and Q2 2023; every number of the summary in it; the .docx opened and
// read back with another library (godocx): paragraphs and table cells.
func TestReportOnDemoData(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "demo.db")
	if code, _, errOut := runCLI(t, nil, "demo", "--db", db); code != 0 {
		t.Fatalf("demo: exit %d\n%s", code, errOut)
	}
	for _, tc := range []struct{ period, date, golden string }{
		{"2023-05", "2023-05-22", "report-2023-05.golden"},
		{"Q2/2023", "2023-07-05", "report-2023-Q2.golden"},
	} {
		t.Run(tc.golden, func(t *testing.T) {
			code, text, errOut := runCLI(t, nil, "--db", db, "report", "--period", tc.period, "--date", tc.date, "--text")
			if code != 0 {
				t.Fatalf("report: exit %d\n%s", code, errOut)
			}
			compareGolden(t, tc.golden, text)
			checkNumbers(t, db, tc.period, text)

			docxPath, xlsxPath := filepath.Join(dir, "r.docx"), filepath.Join(dir, "r.xlsx")
			if code, _, errOut := runCLI(t, nil, "--db", db, "report", "--period", tc.period, "--date", tc.date, "--docx", docxPath, "--xlsx", xlsxPath); code != 0 {
				t.Fatalf("report files: exit %d\n%s", code, errOut)
			}
			paras, cells := readDocx(t, docxPath)
			all := strings.Join(paras, "\n")
			for _, want := range []string{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Số: …/BC-UBND",
				"BÁO CÁO", "I. KẾT QUẢ THỰC HIỆN", "II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN", "III. NHIỆM VỤ TRỌNG TÂM THỜI GIAN TỚI",
				"IV. ĐỀ XUẤT, KIẾN NGHỊ", "Nơi nhận:", "- Lưu: VT.", "TM. ỦY BAN NHÂN DÂN", "(Họ và tên người ký)", "Phụ lục", "Người lập biểu"} {
				if !strings.Contains(all, want) {
					t.Errorf("docx lacks %q", want)
				}
			}
			// Every line of the text form is in the document, in order.
			at := 0
			for _, line := range strings.Split(strings.TrimSpace(text), "\n") {
				line = strings.Trim(line, "[]")
				if line == "" {
					continue
				}
				i := strings.Index(all[at:], strings.Split(line, "\n")[0])
				if i < 0 {
					t.Errorf("docx lacks, after offset %d, the line %q", at, line)
					continue
				}
				at += i
			}
			// The appendix: a header row, then one line per unit: 2.b is
			// answered for by several units, each on its own line.
			if len(cells) < 20 || cells[0][0] != "STT" || cells[0][2] != "Đơn vị chủ trì, thực hiện" {
				t.Fatalf("appendix cells %v", cells[:min(3, len(cells))])
			}
			units := 0
			for _, row := range cells {
				if len(row) == 8 && row[2] != "" && strings.HasPrefix(firstTaskCell(cells, row), "2.b.") {
					units++
				}
			}
			if units < 3 {
				t.Errorf("2.b has %d unit lines in the appendix, want one per unit", units)
			}
			checkAppendixWorkbook(t, xlsxPath)
		})
	}
}

func compareGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *updateGolden {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden (run with -update): %v", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (go test ./cmd/planbot -run TestReportOnDemoData -update):\n%s", name, firstDiff(string(want), got))
	}
}

func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			return fmt.Sprintf("line %d\nwant: %s\n got: %s", i+1, a, b)
		}
	}
	return ""
}

// checkNumbers: the totals of `planbot summary --json` are the báo cáo's,
// each task's latest figure is in its paragraph, and each blocker is in
// part II.
func checkNumbers(t *testing.T, db, period, text string) {
	t.Helper()
	code, out, errOut := runCLI(t, nil, "--db", db, "summary", "--period", period, "--json")
	if code != 0 {
		t.Fatalf("summary: exit %d\n%s", code, errOut)
	}
	var s struct {
		Totals map[string]int `json:"totals"`
		Tasks  []struct {
			Code   string `json:"code"`
			Latest string `json:"latest"`
			Status string `json:"status"`
		} `json:"tasks"`
		Blockers []struct {
			Code string `json:"code"`
			Unit string `json:"unit"`
			Text string `json:"text"`
		} `json:"blockers"`
	}
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatal(err)
	}
	tot := s.Totals
	overview := strings.TrimPrefix(between(t, text, "I. KẾT QUẢ THỰC HIỆN\n", "\n1. "), "I. KẾT QUẢ THỰC HIỆN\n")
	wants := []string{fmt.Sprintf("Kế hoạch có %d nhiệm vụ.", len(s.Tasks))}
	if n := tot["done_on_time"] + tot["done_late"]; n > 0 {
		wants = append(wants, fmt.Sprintf("%d nhiệm vụ đã hoàn thành", n))
	}
	for key, what := range map[string]string{"in_progress": "nhiệm vụ đang thực hiện trong hạn", "overdue": "nhiệm vụ quá hạn chưa hoàn thành",
		"not_reported": "nhiệm vụ chưa có báo cáo", "waiting": "nhiệm vụ chờ điều kiện thực hiện", "due_soon": "nhiệm vụ sắp đến hạn"} {
		if tot[key] > 0 {
			wants = append(wants, fmt.Sprintf("%d %s", tot[key], what))
		}
	}
	if n := tot["ongoing_reported"] + tot["ongoing_not_reported"]; n > 0 {
		wants = append(wants, fmt.Sprintf("%d nhiệm vụ thường xuyên (%d đã báo cáo)", n, tot["ongoing_reported"]))
	}
	for _, w := range wants {
		if !strings.Contains(overview, w) {
			t.Errorf("overview lacks %q:\n%s", w, overview)
		}
	}
	for _, task := range s.Tasks {
		para := ""
		for _, line := range strings.Split(text, "\n") {
			if strings.HasPrefix(line, "- Nhiệm vụ "+task.Code+" (") {
				para = line
				break
			}
		}
		if para == "" {
			t.Errorf("no paragraph for task %s", task.Code)
			continue
		}
		if task.Latest != "" && !strings.HasPrefix(task.Latest, "vướng") && !strings.Contains(para, strings.TrimPrefix(task.Latest, "hoàn thành, ")) &&
			!(strings.HasPrefix(task.Latest, "hoàn thành") && strings.Contains(para, "hoàn thành")) &&
			!(task.Latest == "đang thực hiện" && strings.Contains(para, "đang thực hiện")) {
			t.Errorf("task %s: latest figure %q not in %q", task.Code, task.Latest, para)
		}
	}
	part2 := between(t, text, "II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN\n", "III.")
	for _, b := range s.Blockers {
		if !strings.Contains(part2, b.Unit+" (nhiệm vụ "+b.Code) || !strings.Contains(part2, strings.TrimRight(b.Text, ".;")) {
			t.Errorf("blocker of %s on %s (%q) not in part II:\n%s", b.Unit, b.Code, b.Text, part2)
		}
	}
}

// readDocx opens the .docx with godocx and returns the text of every
// paragraph (those in tables too) and the cells of the last table.
func readDocx(t *testing.T, path string) ([]string, [][]string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rd, err := packager.Unpack(&b)
	if err != nil {
		t.Fatalf("godocx cannot open the .docx: %v", err)
	}
	var paras []string
	var cells [][]string
	for _, child := range rd.Document.Body.Children {
		switch {
		case child.Para != nil:
			paras = append(paras, paraText(child.Para.GetCT()))
		case child.Table != nil:
			var table [][]string
			for _, rc := range child.Table.GetCT().RowContents {
				if rc.Row == nil {
					continue
				}
				var row []string
				for _, cc := range rc.Row.Contents {
					if cc.Cell == nil {
						continue
					}
					var texts []string
					for _, bc := range cc.Cell.Contents {
						if bc.Paragraph != nil {
							texts = append(texts, paraText(bc.Paragraph))
						}
					}
					cell := strings.TrimSpace(strings.Join(texts, "\n"))
					row = append(row, cell)
					paras = append(paras, texts...)
				}
				table = append(table, row)
			}
			if len(table) > 0 && len(table[0]) > 0 && table[0][0] == "STT" {
				cells = table
			}
		}
	}
	return paras, cells
}

func paraText(p *ctypes.Paragraph) string {
	var b strings.Builder
	for _, c := range p.Children {
		if c.Run == nil {
			continue
		}
		for _, rc := range c.Run.Children {
			switch {
			case rc.Text != nil:
				b.WriteString(rc.Text.Text)
			case rc.Break != nil:
				b.WriteString("\n")
			}
		}
	}
	return b.String()
}

var _ = docx.Paragraph{}

// firstTaskCell returns the task cell of the task row belongs to: its own
// or, for a continuing unit line, the nearest one above.
func firstTaskCell(cells [][]string, row []string) string {
	idx := -1
	for i := range cells {
		if &cells[i][0] == &row[0] {
			idx = i
		}
	}
	for i := idx; i >= 0; i-- {
		if len(cells[i]) == 8 && cells[i][1] != "" {
			return cells[i][1]
		}
	}
	return ""
}

// checkAppendixWorkbook: the .xlsx beside it opens and holds the table.
func checkAppendixWorkbook(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("appendix workbook: %v", err)
	}
	defer f.Close()
	if len(f.GetSheetList()) == 0 {
		t.Error("appendix workbook has no sheet")
	}
}

package importer

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"github.com/chanhlo/planbot/plan"
)

// The fixtures under testdata/pdf were made once with LibreOffice by
// testdata/pdf/make.sh; the tests do not need it.

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/pdf/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// taskKey is what a PDF of the sample must give as the .txt does: the
// task's code and its lead units.
func taskKeys(p *plan.Plan) []string {
	var out []string
	for _, t := range p.Tasks {
		out = append(out, fmt.Sprintf("%s: %s", t.Code, strings.Join(t.Lead, "; ")))
	}
	return out
}

func TestPDFSamplePlan(t *testing.T) {
	want := taskKeys(parseSample(t))
	for _, name := range []string{"plan.pdf", "plan-txt.pdf"} {
		t.Run(name, func(t *testing.T) {
			p, err := Parse(bytes.NewReader(readFixture(t, name)), name)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			got := taskKeys(p)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("tasks from the PDF differ from the .txt:\n got %q\nwant %q", got, want)
			}
		})
	}
}

func TestPDFRunningHeaderDropped(t *testing.T) {
	blocks, err := readText(bytes.NewReader(readFixture(t, "plan.pdf")), "plan.pdf")
	if err != nil {
		t.Fatal(err)
	}
	lines := blockLines(blocks)
	for _, l := range lines {
		if strings.Contains(l, "UBND PHƯỜNG CHÁNH LỘ - Kế hoạch") || strings.HasPrefix(strings.TrimSpace(l), "Trang ") {
			t.Errorf("running header or footer kept: %q", l)
		}
	}
}

func TestPDFTable(t *testing.T) {
	blocks, err := pdfBlocks(readFixture(t, "table.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	var table [][]string
	var paras []string
	for _, b := range blocks {
		if b.Table != nil {
			if table != nil {
				t.Fatalf("two tables, want one: %q", blocks)
			}
			table = b.Table
		} else {
			paras = append(paras, b.Text)
		}
	}
	want := [][]string{
		{"STT", "Nội dung", "Chủ trì", "Phối hợp", "Thời hạn"},
		{"1", "Tuyên truyền, phổ\nbiến các tiện ích của\nĐề án 06 đến từng\nhộ gia đình trên địa\nbàn phường", "Văn hóa – Thông tin", "Công an phường;\nĐoàn Thanh niên", "Quý II/2023"},
		{"2", "Số hóa 100% dữ liệu\nhộ tịch", "Tư pháp – Hộ tịch", "Văn phòng phường", "Trong năm 2023"},
		{"3", "Rà soát, làm sạch dữ\nliệu tiêm chủng với\nCơ sở dữ liệu quốc\ngia về dân cư", "Trạm y tế phường", "Công an phường", "Thường xuyên"},
	}
	if !reflect.DeepEqual(table, want) {
		t.Errorf("table:\n got %q\nwant %q", table, want)
	}
	for _, row := range table {
		for _, c := range row {
			if !norm.NFC.IsNormalString(c) {
				t.Errorf("cell %q is not NFC", c)
			}
		}
	}
	wantParas := []string{"III. NHIỆM VỤ CỤ THỂ", "Các nhiệm vụ được giao theo bảng sau:", "Nơi nhận: như trên."}
	if !reflect.DeepEqual(paras, wantParas) {
		t.Errorf("paragraphs:\n got %q\nwant %q", paras, wantParas)
	}
	// readText keeps the table, one row a line, cells by tabs.
	read, err := readText(bytes.NewReader(readFixture(t, "table.pdf")), "table.pdf")
	if err != nil {
		t.Fatal(err)
	}
	lines := blockLines(read)
	if !strings.Contains(strings.Join(lines, "\n"), "2\tSố hóa 100% dữ liệu hộ tịch\tTư pháp – Hộ tịch\tVăn phòng phường\tTrong năm 2023") {
		t.Errorf("readText lost the table: %q", lines)
	}
}

func TestPDFRefused(t *testing.T) {
	plan0 := readFixture(t, "plan.pdf")
	encrypted := []byte("%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R /Encrypt 2 0 R >>\n%%EOF\n")
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"scan.pdf", readFixture(t, "scanned.pdf"), "Tệp “scan.pdf”: tệp PDF là bản quét, chưa có lớp chữ: đề nghị gửi bản .docx hoặc PDF có chữ"},
		{"half.pdf", plan0[:len(plan0)/2], "Tệp “half.pdf”: " + msgPDFBroken},
		{"", plan0[:1000], "Tệp: " + msgPDFBroken},
		{"locked.pdf", encrypted, "Tệp “locked.pdf”: " + msgPDFEncrypted},
	} {
		_, err := Parse(bytes.NewReader(tc.data), tc.name)
		var pe *plan.Error
		if !errors.As(err, &pe) || pe.Code != plan.EInvalid {
			t.Errorf("%s: err = %v, want a plan.EInvalid error", tc.name, err)
			continue
		}
		if err.Error() != tc.want {
			t.Errorf("%s: err = %q, want %q", tc.name, err.Error(), tc.want)
		}
	}
	_, err := Parse(bytes.NewReader([]byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest")), "kh.doc")
	if err == nil || !strings.Contains(err.Error(), "lưu lại thành .docx") {
		t.Errorf(".doc: err = %v, want the save-as-.docx message", err)
	}
}

func TestPDFRunningLines(t *testing.T) {
	page := func(n int) *pdfPage {
		return &pdfPage{top: 842, bottom: 0, lines: []pline{
			{words: []pword{{text: "Kế"}, {text: "hoạch"}, {text: "số"}, {text: "12/KH"}}, y: 810},
			{words: []pword{{text: fmt.Sprintf("Nội dung trang %d", n)}}, y: 500},
			{words: []pword{{text: fmt.Sprintf("%d", n)}}, y: 30},
		}}
	}
	pages := []*pdfPage{page(1), page(2), page(3)}
	dropRunning(pages)
	for i, p := range pages {
		if len(p.lines) != 1 || p.lines[0].text() != fmt.Sprintf("Nội dung trang %d", i+1) {
			t.Errorf("page %d: %+v", i+1, p.lines)
		}
	}
}

func FuzzPDFBlocks(f *testing.F) {
	for _, name := range []string{"table.pdf", "scanned.pdf", "plan-txt.pdf"} {
		f.Add(readFixture(f, name))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		blocks, err := pdfBlocks(data)
		if err == nil && len(blocks) == 0 {
			t.Fatal("no error and no block")
		}
		for _, b := range blocks {
			if !norm.NFC.IsNormalString(b.Text) {
				t.Fatalf("not NFC: %q", b.Text)
			}
		}
	})
}

// blockLines renders blocks as the lines the prose parser reads: each
// paragraph, then a blank line; a table one row a line, its cells joined
// by tabs (a cell's own line breaks become spaces).
func blockLines(blocks []docBlock) []string {
	var out []string
	for _, b := range blocks {
		if b.Table != nil {
			for _, row := range b.Table {
				cells := make([]string, len(row))
				for i, c := range row {
					cells[i] = strings.Join(strings.Fields(c), " ")
				}
				out = append(out, strings.Join(cells, "\t"))
			}
		} else {
			out = append(out, strings.Split(b.Text, "\n")...)
		}
		out = append(out, "")
	}
	return out
}

// A PDF's table is a task list, read like a Word table.
func TestPDFTableTasks(t *testing.T) {
	p, err := Parse(bytes.NewReader(readFixture(t, "table.pdf")), "table.pdf")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, task := range p.Tasks {
		got = append(got, task.Code+" "+strings.Join(task.Lead, ",")+" "+task.Deadline.Text)
	}
	want := []string{"1 Văn hóa - Thông tin", "2 Tư pháp - Hộ tịch", "3 Trạm y tế phường"}
	if len(got) != len(want) {
		t.Fatalf("tasks %q, want %d", got, len(want))
	}
	for i, w := range want {
		if !strings.HasPrefix(got[i], w) {
			t.Errorf("task %d = %q, want %q…", i, got[i], w)
		}
	}
}

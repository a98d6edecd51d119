package importer

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// numberedPlan is a plan whose section numbers and task letters are
// Word's automatic numbering: "%1." for sections (list 1), "%1)" in a
// lowerLetter list restarted in each section (lists 2 and 3), bullets for
// the labels (list 4), and a paragraph style carrying list 3.
func numberedPlan(t testing.TB) []byte {
	var d wordDoc
	d.numbering = abstractNum(0, [2]string{"decimal", "%1."}) +
		abstractNum(1, [2]string{"lowerLetter", "%1)"}) +
		abstractNum(2, [2]string{"bullet", "\uf0b7"}) +
		num(1, 0, false) + num(2, 1, true) + num(3, 1, true) + num(4, 2, false)
	d.styles = `<w:docDefaults><w:rPrDefault><w:rPr><w:lang w:val="vi-VN"/></w:rPr></w:rPrDefault></w:docDefaults>` +
		`<w:style w:type="paragraph" w:styleId="NhiemVu"><w:name w:val="Nhiệm vụ"/><w:pPr><w:numPr><w:numId w:val="3"/></w:numPr></w:pPr></w:style>` +
		`<w:style w:type="paragraph" w:styleId="NhiemVuCon"><w:name w:val="Nhiệm vụ con"/><w:basedOn w:val="NhiemVu"/></w:style>`
	d.para("Số: 15/KH-UBND\tChánh Lộ, ngày 21 tháng 3 năm 2023", "")
	d.para("KẾ HOẠCH", "")
	d.para("Triển khai Đề án 06 năm 2023", "")
	d.para("III. CÁC NHIỆM VỤ CỤ THỂ", "")
	task := func(list int, title, lead, deadline string) {
		if list > 0 {
			d.numbered(list, 0, title)
		} else {
			d.para(title, `<w:pStyle w:val="NhiemVuCon"/>`)
		}
		d.numbered(4, 0, "Đơn vị chủ trì: "+lead)
		d.numbered(4, 0, "Thời gian thực hiện: "+deadline)
	}
	d.numbered(1, 0, "Công tác tham mưu")
	task(2, "Tham mưu ban hành văn bản.", "Công an phường", "Trong tháng 4/2023")
	task(2, "Triển khai Nghị định 104.", "Văn phòng phường", "Quý II/2023")
	task(2, "Đăng ký nhiệm vụ.", "Công an phường", "Thường xuyên")
	task(2, "Số hóa dữ liệu.", "Tư pháp - Hộ tịch", "Trong năm 2023")
	task(2, "Bố trí trang thiết bị.", "Tài chính - Kế toán", "Thường xuyên")
	task(2, "Tập huấn cán bộ.", "Văn phòng phường", "Quý III/2023")
	d.numbered(1, 0, "Phục vụ thủ tục hành chính")
	task(3, "Tiếp tục thúc đẩy dịch vụ công.", "Bộ phận Một cửa", "Thường xuyên")
	task(0, "Tuyên truyền người dân.", "Văn hóa - Thông tin", "Thường xuyên") // list 3 through the style
	d.para("IV. KINH PHÍ", "")
	return d.bytes(t)
}

const typedPlan = `Số: 15/KH-UBND	Chánh Lộ, ngày 21 tháng 3 năm 2023
KẾ HOẠCH
Triển khai Đề án 06 năm 2023
III. CÁC NHIỆM VỤ CỤ THỂ
1. Công tác tham mưu
a) Tham mưu ban hành văn bản.
- Đơn vị chủ trì: Công an phường
- Thời gian thực hiện: Trong tháng 4/2023
b) Triển khai Nghị định 104.
- Đơn vị chủ trì: Văn phòng phường
- Thời gian thực hiện: Quý II/2023
c) Đăng ký nhiệm vụ.
- Đơn vị chủ trì: Công an phường
- Thời gian thực hiện: Thường xuyên
d) Số hóa dữ liệu.
- Đơn vị chủ trì: Tư pháp - Hộ tịch
- Thời gian thực hiện: Trong năm 2023
đ) Bố trí trang thiết bị.
- Đơn vị chủ trì: Tài chính - Kế toán
- Thời gian thực hiện: Thường xuyên
e) Tập huấn cán bộ.
- Đơn vị chủ trì: Văn phòng phường
- Thời gian thực hiện: Quý III/2023
2. Phục vụ thủ tục hành chính
a) Tiếp tục thúc đẩy dịch vụ công.
- Đơn vị chủ trì: Bộ phận Một cửa
- Thời gian thực hiện: Thường xuyên
b) Tuyên truyền người dân.
- Đơn vị chủ trì: Văn hóa - Thông tin
- Thời gian thực hiện: Thường xuyên
IV. KINH PHÍ
`

// TestAutoNumbering reads a plan numbered by Word and the same plan typed:
// the codes, sections and tasks are the same.
func TestAutoNumbering(t *testing.T) {
	auto, err := Parse(bytes.NewReader(numberedPlan(t)), "tu-dong.docx")
	if err != nil {
		t.Fatal(err)
	}
	typed, err := Parse(strings.NewReader(strings.ReplaceAll(typedPlan, "\n", "\n\n")), "go-tay.txt")
	if err != nil {
		t.Fatal(err)
	}
	var got, want []string
	for _, task := range auto.Tasks {
		got = append(got, task.Code)
	}
	for _, task := range typed.Tasks {
		want = append(want, task.Code)
	}
	if w := []string{"1.a", "1.b", "1.c", "1.d", "1.đ", "1.e", "2.a", "2.b"}; !slices.Equal(want, w) {
		t.Fatalf("typed codes = %q, want %q", want, w)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("codes = %q, want %q", got, want)
	}
	if !slices.Equal(auto.Sections, typed.Sections) {
		t.Errorf("sections = %q, want %q", auto.Sections, typed.Sections)
	}
	for i := range auto.Tasks {
		a, ty := auto.Tasks[i], typed.Tasks[i]
		if a.Title != ty.Title || !slices.Equal(a.Lead, ty.Lead) || a.Deadline != ty.Deadline {
			t.Errorf("task %s = %q %q %+v, want %q %q %+v", a.Code, a.Title, a.Lead, a.Deadline, ty.Title, ty.Lead, ty.Deadline)
		}
	}
	if !slices.Equal(auto.Warnings, typed.Warnings) {
		t.Errorf("warnings = %q, want %q", auto.Warnings, typed.Warnings)
	}
}

// TestNumberingLabels checks the labels of each numFmt, the restart of
// lower levels, overrides and the alphabet of letter lists.
func TestNumberingLabels(t *testing.T) {
	numXML := `<w:numbering ` + wNS + `>` +
		abstractNum(0, [2]string{"decimal", "%1."}, [2]string{"decimal", "%1.%2."}, [2]string{"lowerLetter", "%3)"}) +
		abstractNum(1, [2]string{"upperRoman", "%1."}, [2]string{"lowerRoman", "(%2)"}, [2]string{"upperLetter", "%3."}) +
		abstractNum(2, [2]string{"bullet", "o"}, [2]string{"bullet", "+"}, [2]string{"none", ""}) +
		num(1, 0, false) + num(2, 1, false) + num(3, 2, false) +
		`<w:num w:numId="4"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride></w:num>` +
		`</w:numbering>`
	type step struct {
		num, level int
		want       string
	}
	for _, tt := range []struct {
		name       string
		vietnamese bool
		steps      []step
	}{
		{"decimal levels", true, []step{{1, 0, "1."}, {1, 1, "1.1."}, {1, 1, "1.2."}, {1, 0, "2."}, {1, 1, "2.1."}, {1, 2, "a)"}, {1, 2, "b)"}, {1, 1, "2.2."}, {1, 2, "a)"}}},
		{"roman and letters", true, []step{{2, 0, "I."}, {2, 0, "II."}, {2, 0, "III."}, {2, 0, "IV."}, {2, 1, "(i)"}, {2, 1, "(ii)"}, {2, 2, "A."}, {2, 2, "B."}}},
		{"vietnamese letters", true, []step{{1, 2, "a)"}, {1, 2, "b)"}, {1, 2, "c)"}, {1, 2, "d)"}, {1, 2, "đ)"}, {1, 2, "e)"}, {1, 2, "g)"}, {1, 2, "h)"}}},
		{"english letters", false, []step{{1, 2, "a)"}, {1, 2, "b)"}, {1, 2, "c)"}, {1, 2, "d)"}, {1, 2, "e)"}, {1, 2, "f)"}}},
		{"bullets", true, []step{{3, 0, "-"}, {3, 1, "+"}, {3, 2, ""}}},
		{"start override", true, []step{{4, 0, "5."}, {4, 0, "6."}, {1, 0, "1."}}},
		{"unknown list", true, []step{{9, 0, ""}, {1, 9, ""}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			n := newNumbering([]byte(numXML), nil)
			n.vietnamese = tt.vietnamese
			for i, s := range tt.steps {
				if got := n.label(fmt.Sprint(s.num), s.level); got != s.want {
					t.Errorf("step %d: label(%d, %d) = %q, want %q", i, s.num, s.level, got, s.want)
				}
			}
		})
	}
}

func TestParagraphNumberingFromStyle(t *testing.T) {
	styles := `<w:styles ` + wNS + `>` +
		`<w:style w:type="paragraph" w:styleId="A"><w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="7"/></w:numPr></w:pPr></w:style>` +
		`<w:style w:type="paragraph" w:styleId="B"><w:basedOn w:val="A"/></w:style>` +
		`<w:style w:type="paragraph" w:styleId="Loop"><w:basedOn w:val="Loop"/></w:style>` +
		`</w:styles>`
	n := newNumbering(nil, []byte(styles))
	for _, tt := range []struct {
		style, numID, level, wantID string
		wantLevel                   int
	}{
		{"B", "", "", "7", 1},
		{"B", "", "2", "7", 2},
		{"B", "0", "", "", 0}, // numId 0 removes the style's numbering
		{"Loop", "", "", "", 0},
		{"", "3", "", "3", 0},
	} {
		id, lvl := n.paragraphNumbering(tt.style, tt.numID, tt.level)
		if id != tt.wantID || lvl != tt.wantLevel {
			t.Errorf("paragraphNumbering(%q, %q, %q) = %q, %d, want %q, %d", tt.style, tt.numID, tt.level, id, lvl, tt.wantID, tt.wantLevel)
		}
	}
}

func FuzzNumbering(f *testing.F) {
	f.Add("lowerLetter", "%1)", 1, []byte{0, 0, 1, 0, 2})
	f.Add("decimal", "%1.%2.%3.", 0, []byte{2, 1, 0})
	f.Add("upperRoman", "%9%1", -5, []byte{8, 8})
	f.Fuzz(func(t *testing.T, format, text string, start int, steps []byte) {
		numXML := fmt.Sprintf(`<w:numbering %s><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="%d"/><w:numFmt w:val="%s"/><w:lvlText w:val="%s"/></w:lvl><w:lvl w:ilvl="1"><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%%2)"/></w:lvl></w:abstractNum>%s</w:numbering>`,
			wNS, start, xmlText(format), xmlText(text), num(1, 0, true))
		n := newNumbering([]byte(numXML), nil)
		n.vietnamese = len(steps)%2 == 0
		for _, s := range steps {
			_ = n.label("1", int(s%12)-1)
		}
	})
}

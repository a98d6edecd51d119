package progress

import (
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/chanhlo/planbot/plan"
)

// want is one expected part: its head (code, list number, bare number),
// figure percent and note, or a piece of its refusal.
type want struct {
	code    string
	listNo  int
	bare    int
	percent float64
	kind    plan.ProgressKind
	note    string
	refused string
}

func TestSplit(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []want
	}{
		{"one figure", "80%", []want{{percent: 80, kind: plan.ProgressPercent}}},
		{"one task with note comma", "1.c 80%, không có vướng mắc", []want{{code: "1.c", percent: 80, kind: plan.ProgressPercent, note: "không có vướng mắc"}}},
		{"decimal comma", "2.a 1,5%", []want{{code: "2.a", percent: 1.5, kind: plan.ProgressPercent}}},
		{"thousands", "4.a 1.120/1.500 hồ sơ", []want{{code: "4.a", percent: 74.7, kind: plan.ProgressCount}}},
		{"issue lines", "2.a 75%\n2.b 60%\n4.a 1.120/1.500 hồ sơ", []want{
			{code: "2.a", percent: 75, kind: plan.ProgressPercent},
			{code: "2.b", percent: 60, kind: plan.ProgressPercent},
			{code: "4.a", percent: 74.7, kind: plan.ProgressCount}}},
		{"crlf", "2.a 75%\r\n2.b 60%\r\n", []want{{code: "2.a", percent: 75, kind: plan.ProgressPercent}, {code: "2.b", percent: 60, kind: plan.ProgressPercent}}},
		{"commas", "2.a 75%, 2.b 60%, 4.a xong", []want{
			{code: "2.a", percent: 75, kind: plan.ProgressPercent},
			{code: "2.b", percent: 60, kind: plan.ProgressPercent},
			{code: "4.a", percent: 100, kind: plan.ProgressDone}}},
		{"comma no space", "2.a 75%,2.b 60%", []want{{code: "2.a", percent: 75, kind: plan.ProgressPercent}, {code: "2.b", percent: 60, kind: plan.ProgressPercent}}},
		{"decimal commas in list", "2.a 1,5%, 2.b 2,5%", []want{{code: "2.a", percent: 1.5, kind: plan.ProgressPercent}, {code: "2.b", percent: 2.5, kind: plan.ProgressPercent}}},
		{"semicolons", "2.a 75%; 2.b đang thực hiện; 2.c chưa thực hiện", []want{
			{code: "2.a", percent: 75, kind: plan.ProgressPercent},
			{code: "2.b", kind: plan.ProgressInProgress},
			{code: "2.c", kind: plan.ProgressNotStarted}}},
		{"semicolon note", "80%; còn vướng thủ tục", []want{{percent: 80, kind: plan.ProgressPercent}}},
		{"bullets", "• 2.a 75%\n- 2.b 60%\n* 2.c xong\n+ 2.d 10%", []want{
			{code: "2.a", percent: 75, kind: plan.ProgressPercent},
			{code: "2.b", percent: 60, kind: plan.ProgressPercent},
			{code: "2.c", percent: 100, kind: plan.ProgressDone},
			{code: "2.d", percent: 10, kind: plan.ProgressPercent}}},
		{"bullet before minus", "- -5%", []want{{refused: "số âm"}}},
		{"numbered dot", "1. 80%\n2. xong\n3. 1.200/1.500", []want{
			{listNo: 1, percent: 80, kind: plan.ProgressPercent},
			{listNo: 2, percent: 100, kind: plan.ProgressDone},
			{listNo: 3, percent: 80, kind: plan.ProgressCount}}},
		{"numbered paren", "1) 80%\n2)xong", []want{{listNo: 1, percent: 80, kind: plan.ProgressPercent}, {listNo: 2, percent: 100, kind: plan.ProgressDone}}},
		{"numbered inline", "1. 80%, 2. 60%", []want{{listNo: 1, percent: 80, kind: plan.ProgressPercent}, {listNo: 2, percent: 60, kind: plan.ProgressPercent}}},
		{"bare number ambiguous", "3 80%", []want{{bare: 3, refused: "số thứ tự"}}},
		{"bare count is no head", "12 hồ sơ đã xong", []want{{refused: "Chưa hiểu"}}},
		{"tab rows", "2.a\t75%\n2.b\t60%\tđang làm", []want{{code: "2.a", percent: 75, kind: plan.ProgressPercent}, {code: "2.b", percent: 60, kind: plan.ProgressPercent, note: "đang làm"}}},
		{"tab row with number and name", "1\t2.a\tTuyên truyền đề án\t75%", []want{{code: "2.a", percent: 75, kind: plan.ProgressPercent}}},
		{"continuation note", "2.a 75%\ncòn vướng thủ tục\n2.b 60%", []want{{code: "2.a", percent: 75, kind: plan.ProgressPercent}, {code: "2.b", percent: 60, kind: plan.ProgressPercent}}},
		{"continuation plain words", "2.a 75%\nđã trình UBND\n2.b 60%", []want{{code: "2.a", percent: 75, kind: plan.ProgressPercent, note: "đã trình UBND"}, {code: "2.b", percent: 60, kind: plan.ProgressPercent}}},
		{"figure without code refused", "2.a 75%\n60%", []want{{code: "2.a", percent: 75, kind: plan.ProgressPercent}, {refused: "không rõ nhiệm vụ nào"}}},
		{"code then figure on next line", "2.a\n75%", []want{{code: "2.a", percent: 75, kind: plan.ProgressPercent}}},
		{"mixed good and bad", "2.a 75%\n2.b 120%\n2.c -5%\n2.d 1.600/1.500\n2.đ 20.000.000/30.000.000", []want{
			{code: "2.a", percent: 75, kind: plan.ProgressPercent},
			{code: "2.b", refused: "vượt quá 100%"},
			{code: "2.c", refused: "số âm"},
			{code: "2.d", refused: "lớn hơn tổng số"},
			{code: "2.đ", refused: "Số quá lớn"}}},
		{"not understood", "2.a 75%\n2.b hôm nay họp", []want{{code: "2.a", percent: 75, kind: plan.ProgressPercent}, {code: "2.b", refused: "Chưa hiểu"}}},
		{"header line", "Báo cáo tháng 5:\n2.a 75%", []want{{refused: "Chưa hiểu"}, {code: "2.a", percent: 75, kind: plan.ProgressPercent}}},
		{"blank lines", "\n\n2.a 75%\n\n\n2.b 60%\n", []want{{code: "2.a", percent: 75, kind: plan.ProgressPercent}, {code: "2.b", percent: 60, kind: plan.ProgressPercent}}},
		{"control characters", "2.a 75%\x00 đã\x07 xong bước 1", []want{{code: "2.a", percent: 75, kind: plan.ProgressPercent, note: "đã xong bước 1"}}},
		{"telex and roman code", "III.2.dd 75%\n2.đ: 60%", []want{{code: "2.đ", percent: 75, kind: plan.ProgressPercent}, {code: "2.đ", percent: 60, kind: plan.ProgressPercent}}},
		{"dash separator", "1.c - 80%\n1.d – xong", []want{{code: "1.c", percent: 80, kind: plan.ProgressPercent}, {code: "1.d", percent: 100, kind: plan.ProgressDone}}},
		{"numeric code 8.1", "8.1 80%", []want{{code: "8.1", percent: 80, kind: plan.ProgressPercent}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Split(tt.in).Parts
			if len(got) != len(tt.want) {
				t.Fatalf("Split(%q) gave %d parts, want %d: %+v", tt.in, len(got), len(tt.want), got)
			}
			for i, w := range tt.want {
				checkPart(t, i, got[i], w)
			}
		})
	}
}

func checkPart(t *testing.T, i int, p Part, w want) {
	t.Helper()
	if p.Code != w.code || p.ListNo != w.listNo || p.Bare != w.bare {
		t.Errorf("part %d %q: head %q/%d/%d, want %q/%d/%d", i, p.Text, p.Code, p.ListNo, p.Bare, w.code, w.listNo, w.bare)
	}
	if w.refused != "" {
		if !strings.Contains(p.Refused, w.refused) {
			t.Errorf("part %d %q: refused %q, want %q", i, p.Text, p.Refused, w.refused)
		}
		return
	}
	if !p.OK() {
		t.Fatalf("part %d %q refused: %s", i, p.Text, p.Refused)
	}
	if p.Figure.Kind != w.kind || p.Figure.Percent != w.percent {
		t.Errorf("part %d %q: %s %g, want %s %g", i, p.Text, p.Figure.Kind, p.Figure.Percent, w.kind, w.percent)
	}
	if w.note != "" && p.Figure.Note != w.note {
		t.Errorf("part %d %q: note %q, want %q", i, p.Text, p.Figure.Note, w.note)
	}
}

// kept is the text Split must not lose: every rune but spaces and the
// separators it splits at.
func kept(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || strings.ContainsRune(",;•·◦▪-–—*+", r) {
			return -1
		}
		return r
	}, s)
}

func FuzzSplit(f *testing.F) {
	for _, s := range []string{
		"2.a 75%\n2.b 60%\n4.a 1.120/1.500 hồ sơ", "1. 80%\n2) xong", "2.a 75%, 2.b 1,5%; 2.c xong",
		"• 2.a 75%\n- 2.b -5%", "1\t2.a\tTên\t75%", "3 80%", "2.a\n75%\ncòn vướng", "80%, không vướng", "\x00\r\n\t",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		if !utf8.ValidString(in) {
			return
		}
		r := Split(in)
		var got strings.Builder
		for _, p := range r.Parts {
			if p.Text == "" {
				t.Fatalf("empty part in %q", in)
			}
			got.WriteString(p.Text)
		}
		if kept(got.String()) != kept(in) {
			t.Fatalf("Split(%q) lost text:\n got %q\nwant %q", in, kept(got.String()), kept(in))
		}
	})
}

// A bare number that is one of the plan's task codes ("6") heads its own
// report, even when what follows is no figure.
func TestSplitWithBareCodes(t *testing.T) {
	isCode := func(c string) bool { return c == "6" || c == "8" }
	tests := []struct {
		in    string
		codes []string
	}{
		{"5.b 80%\n6 đã kiểm tra 12 máy trạm", []string{"5.b", "6"}},
		{"6 90%\n8 xong", []string{"6", "8"}},
		{"5.b 80%, 6 90%", []string{"5.b", "6"}},
		{"3 80%", []string{""}}, // no task 3: ambiguous, refused
	}
	for _, tt := range tests {
		var got []string
		for _, p := range SplitWith(tt.in, isCode).Parts {
			got = append(got, p.Code)
		}
		if !slices.Equal(got, tt.codes) {
			t.Errorf("SplitWith(%q) codes %q, want %q", tt.in, got, tt.codes)
		}
	}
	if p := SplitWith("3 80%", isCode).Parts[0]; p.OK() {
		t.Errorf("3 80%% with no task 3 was accepted: %+v", p)
	}
}

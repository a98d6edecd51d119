package progress

import (
	"math"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/chanhlo/planbot/plan"
)

func TestParse(t *testing.T) {
	pct := func(p float64, note string) plan.Figure {
		return plan.Figure{Kind: plan.ProgressPercent, Percent: p, Note: note}
	}
	count := func(d, tot, p float64, unit, note string) plan.Figure {
		return plan.Figure{Kind: plan.ProgressCount, Done: d, Total: tot, Percent: p, CountUnit: unit, Note: note}
	}
	done := plan.Figure{Kind: plan.ProgressDone, Percent: 100}
	tests := []struct {
		in   string
		want plan.Figure
	}{
		{"80%", pct(80, "")},
		{"80 %", pct(80, "")},
		{" 85,5% ", pct(85.5, "")},
		{"85.5%", pct(85.5, "")},
		{"0%", pct(0, "")},
		{"100%", done},
		{"đạt 100%", done},
		{"100% hoàn thành", done},
		{"100%, đã gửi báo cáo", plan.Figure{Kind: plan.ProgressDone, Percent: 100, Note: "đã gửi báo cáo"}},
		{"1.500/1.500 hồ sơ", plan.Figure{Kind: plan.ProgressDone, Percent: 100, Done: 1500, Total: 1500, CountUnit: "hồ sơ"}},
		{"xong 1.500/1.500 hồ sơ", plan.Figure{Kind: plan.ProgressDone, Percent: 100, Done: 1500, Total: 1500, CountUnit: "hồ sơ"}},
		{"1.499/1.500 hồ sơ", count(1499, 1500, 99.9, "hồ sơ", "")},
		{"99,9%", pct(99.9, "")},
		{"80% hoàn thành", pct(80, "")},
		// A figure below 100 after a done word is that figure, not done.
		{"xong 80%", pct(80, "")},
		{"đã xong 80%", pct(80, "")},
		{"xong 100%", done},
		{"xong, 1.200/1.500 hồ sơ", count(1200, 1500, 80, "hồ sơ", "")},
		// A figure after a status word.
		{"đang thực hiện 60%", pct(60, "")},
		{"đang triển khai, đạt 60%", pct(60, "")},
		{"chưa hoàn thành 60%", pct(60, "")},
		{"đang làm 2 hồ sơ", plan.Figure{Kind: plan.ProgressInProgress, Note: "2 hồ sơ"}},
		// "chưa đạt" is no status: only its figure counts.
		{"chưa đạt 60%", pct(60, "")},
		{"chưa đạt, mới đạt 60%", pct(60, "")},
		// No blocker.
		{"80%, khó khăn: không có", pct(80, "khó khăn: không có")},
		{"80%, không có vướng mắc", pct(80, "không có vướng mắc")},
		{"đang thực hiện, chưa gặp khó khăn gì", plan.Figure{Kind: plan.ProgressInProgress, Note: "chưa gặp khó khăn gì"}},
		{"80%, đồng chí Vượng phụ trách", pct(80, "đồng chí Vượng phụ trách")},
		// Blockers anywhere in the note.
		{"80% còn vướng thủ tục", plan.Figure{Kind: plan.ProgressPercent, Percent: 80, Blocker: "thủ tục"}},
		{"80%, đã gửi văn bản nhưng còn vướng thủ tục", plan.Figure{Kind: plan.ProgressPercent, Percent: 80, Note: "đã gửi văn bản", Blocker: "thủ tục"}},
		{"chưa thực hiện được vì vướng kinh phí", plan.Figure{Kind: plan.ProgressNotStarted, Blocker: "kinh phí"}},
		{"đang thực hiện, khó khăn về kinh phí", plan.Figure{Kind: plan.ProgressInProgress, Blocker: "khó khăn về kinh phí"}},
		{"1.200/1.500 hồ sơ, khó khăn: thiếu máy scan", plan.Figure{Kind: plan.ProgressCount, Done: 1200, Total: 1500, Percent: 80, CountUnit: "hồ sơ", Blocker: "thiếu máy scan"}},
		{"80% vuong thu tuc", plan.Figure{Kind: plan.ProgressPercent, Percent: 80, Blocker: "thu tuc"}},
		{"khó khăn về kinh phí", plan.Figure{Kind: plan.ProgressBlocked, Blocker: "khó khăn về kinh phí"}},
		{"khó khăn - thiếu kinh phí", plan.Figure{Kind: plan.ProgressBlocked, Blocker: "thiếu kinh phí"}},
		{"vướng thủ tục", plan.Figure{Kind: plan.ProgressBlocked, Blocker: "thủ tục"}},
		{"vướng: không có mẫu văn bản", plan.Figure{Kind: plan.ProgressBlocked, Blocker: "không có mẫu văn bản"}},
		{"80% đã gửi văn bản đăng ký", pct(80, "đã gửi văn bản đăng ký")},
		{"80%, đã gửi văn bản", pct(80, "đã gửi văn bản")},
		{"đạt 90%", pct(90, "")},
		{"hoàn thành 80%", pct(80, "")},
		{"80% vướng: thiếu máy scan", plan.Figure{Kind: plan.ProgressPercent, Percent: 80, Blocker: "thiếu máy scan"}},
		{"1.200/1.500", count(1200, 1500, 80, "", "")},
		{"1.200/1.500 hồ sơ", count(1200, 1500, 80, "hồ sơ", "")},
		{"1200/1500 hồ sơ", count(1200, 1500, 80, "hồ sơ", "")},
		{"1200 / 1500 hồ sơ đã số hóa", count(1200, 1500, 80, "hồ sơ", "đã số hóa")},
		{"45/60 hộ gia đình, còn 15 hộ vắng nhà", count(45, 60, 75, "hộ gia đình", "còn 15 hộ vắng nhà")},
		{"1/3", count(1, 3, 33.3, "", "")},
		{"xong", done},
		{"Xong.", done},
		{"đã xong", done},
		{"đã hoàn thành", done},
		{"Đã hoàn thành 100%", done},
		{"hoàn thành 100%", done},
		{"hoàn thành", done},
		{"da hoan thanh", done},
		{"xong, đã gửi báo cáo", plan.Figure{Kind: plan.ProgressDone, Percent: 100, Note: "đã gửi báo cáo"}},
		{"đang thực hiện", plan.Figure{Kind: plan.ProgressInProgress}},
		{"dang thuc hien", plan.Figure{Kind: plan.ProgressInProgress}},
		{"Đang làm, dự kiến xong tuần sau", plan.Figure{Kind: plan.ProgressInProgress, Note: "dự kiến xong tuần sau"}},
		{"chưa xong", plan.Figure{Kind: plan.ProgressInProgress}},
		{"chưa", plan.Figure{Kind: plan.ProgressNotStarted}},
		{"chưa thực hiện", plan.Figure{Kind: plan.ProgressNotStarted}},
		{"chua thuc hien do chua co kinh phi", plan.Figure{Kind: plan.ProgressNotStarted, Note: "do chua co kinh phi"}},
		{"vướng: chưa có mẫu văn bản", plan.Figure{Kind: plan.ProgressBlocked, Blocker: "chưa có mẫu văn bản"}},
		{"Vướng mắc: thiếu máy scan", plan.Figure{Kind: plan.ProgressBlocked, Blocker: "thiếu máy scan"}},
		{"khó khăn: chưa có kinh phí", plan.Figure{Kind: plan.ProgressBlocked, Blocker: "chưa có kinh phí"}},
		{"vuong: thieu may", plan.Figure{Kind: plan.ProgressBlocked, Blocker: "thieu may"}},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q) error: %v", tt.in, err)
			continue
		}
		if math.Abs(got.Percent-tt.want.Percent) < 0.05 {
			got.Percent = tt.want.Percent
		}
		if got != tt.want {
			t.Errorf("Parse(%q) =\n  %+v\nwant\n  %+v", tt.in, got, tt.want)
		}
	}
}

func TestParseInvalid(t *testing.T) {
	for _, in := range []string{"", "   ", "ok", "80", "120%", "1.500/1.200", "5/0", "abc 80%", "vướng", "vướng:", "khó khăn", "1,2,3%", "1.2.3%", "xongxong",
		"chưa đạt", "chưa đạt chỉ tiêu", "đang thực hiện 120%", "xong 1.600/1.500",
		"Vướng mắc: không", "khó khăn: không có", "không có vướng mắc", "chưa có vướng mắc", "không gặp khó khăn"} {
		_, err := Parse(in)
		if err == nil {
			t.Errorf("Parse(%q) succeeded, want an error", in)
			continue
		}
		if plan.ErrorCode(err) != plan.EInvalid || plan.ErrorMessage(err) == "" {
			t.Errorf("Parse(%q) error = %v, want an EInvalid *plan.Error with a message", in, err)
		}
	}
	_, err := Parse("Vướng mắc: không")
	if msg := plan.ErrorMessage(err); msg != NoBlockerNoFigure {
		t.Errorf("no-blocker message = %q", msg)
	}
	_, err = Parse("ok")
	if msg := plan.ErrorMessage(err); !strings.Contains(msg, "80%") || !strings.Contains(msg, "vướng") {
		t.Errorf("examples message = %q", msg)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"80%", "85,5 %", "1.200/1.500 hồ sơ", "xong", "vướng: x", "đang thực hiện", "chưa", "1/0", "9999999999999999999999%", "đạt 1.000.000/2.000.000", "xong 80%", "80% còn vướng thủ tục", "khó khăn: không có", "1.500/1.500 hồ sơ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fig, err := Parse(s)
		if err != nil {
			if plan.ErrorCode(err) != plan.EInvalid || plan.ErrorMessage(err) == "" {
				t.Fatalf("Parse(%q) error %v is not an EInvalid *plan.Error", s, err)
			}
			return
		}
		if fig.Percent < 0 || fig.Percent > 100 || math.IsNaN(fig.Percent) {
			t.Fatalf("Parse(%q) percent %v out of range", s, fig.Percent)
		}
		if fig.Kind == plan.ProgressCount && (fig.Total <= 0 || fig.Done > fig.Total) {
			t.Fatalf("Parse(%q) bad count %v/%v", s, fig.Done, fig.Total)
		}
		if fig.Kind == plan.ProgressDone && fig.Percent != 100 {
			t.Fatalf("Parse(%q) done at %v%%", s, fig.Percent)
		}
		if fig.Kind == plan.ProgressPercent && fig.Percent == 100 {
			t.Fatalf("Parse(%q) 100%% is not done", s)
		}
		if fig.Kind == plan.ProgressBlocked && fig.Blocker == "" {
			t.Fatalf("Parse(%q) blocked without blocker", s)
		}
		if utf8.ValidString(s) && (!utf8.ValidString(fig.Note) || !utf8.ValidString(fig.Blocker)) {
			t.Fatalf("Parse(%q) produced invalid UTF-8", s)
		}
	})
}

func TestParseRefusesImpossibleFigures(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"-5%", NegativeFigure},
		{"đạt -5%", NegativeFigure},
		{"−20/100", NegativeFigure},
		{"120%", "vượt quá 100%"},
		{"1.600/1.500", "lớn hơn tổng số"},
		{"20.000.000/30.000.000 hồ sơ", TooLarge},
		{"5/20.000.000", TooLarge},
		{"99999999999%", TooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := Parse(tt.in)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Parse(%q) = %v, want an error with %q", tt.in, err, tt.want)
			}
		})
	}
}

func TestCutTaskCodeKeepsMinus(t *testing.T) {
	for in, want := range map[string]string{"1.c -5%": "-5%", "1.c - 80%": "80%", "1.c: -3/10": "-3/10", "1.c — 80%": "80%"} {
		if _, rest, ok := CutTaskCode(in); !ok || rest != want {
			t.Errorf("CutTaskCode(%q) rest = %q, %v; want %q", in, rest, ok, want)
		}
	}
}

func TestCleanText(t *testing.T) {
	long := strings.Repeat("ă", MaxNote+10)
	tests := []struct {
		in, want string
		max      int
		cut      bool
	}{
		{"  xong\x00 rồi \x07", "xong rồi", MaxNote, false},
		{"dòng 1\r\n\r\n\r\ndòng\t2", "dòng 1\n\ndòng\t2", MaxNote, false},
		{"a\u200bb\u202ec", "abc", MaxNote, false},
		{long, strings.Repeat("ă", MaxNote-1) + "…", MaxNote, true},
		{"bad \xff utf8", "bad  utf8", 0, false},
	}
	for _, tt := range tests {
		got, cut := CleanText(tt.in, tt.max)
		if got != tt.want || cut != tt.cut {
			t.Errorf("CleanText(%q) = %q, %v; want %q, %v", tt.in, got, cut, tt.want, tt.cut)
		}
	}
}

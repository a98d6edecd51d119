package texts

import (
	"testing"
	"unicode/utf8"

	"github.com/chanhlo/planbot/plan"
)

func TestNumber(t *testing.T) {
	for _, tt := range []struct {
		in   float64
		want string
	}{{0, "0"}, {80, "80"}, {85.5, "85,5"}, {1200, "1.200"}, {1234567.25, "1.234.567,3"}, {85.96, "86"}, {33.333, "33,3"}, {-5, "-5"}} {
		if got := Number(tt.in); got != tt.want {
			t.Errorf("Number(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestShortenAndDeadline(t *testing.T) {
	if got := Shorten("Đăng ký và thực hiện một số nhiệm vụ", 20); got != "Đăng ký và thực hiện…" {
		t.Errorf("Shorten = %q", got)
	}
	if got := Shorten("ngắn", 20); got != "ngắn" {
		t.Errorf("Shorten(short) = %q", got)
	}
	for _, tt := range []struct {
		d    plan.Deadline
		want string
	}{
		{plan.Deadline{Kind: plan.DeadlineDate, Due: plan.NewDate(2023, 4, 30)}, "30/4/2023"},
		{plan.Deadline{Kind: plan.DeadlineRecurring, Recurrence: plan.RecurOngoing}, "Thường xuyên"},
		{plan.Deadline{Kind: plan.DeadlineConditional}, "Chờ điều kiện"},
		{plan.Deadline{Kind: plan.DeadlineOpen, Text: "<sớm>"}, "&lt;sớm&gt;"},
	} {
		if got := DeadlineText(tt.d); got != tt.want {
			t.Errorf("DeadlineText(%+v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

func TestPlanNames(t *testing.T) {
	tests := []struct {
		p           plan.Plan
		full, short string
	}{
		{plan.Plan{Number: "56/KH-UBND", Year: 2023, Title: "Triển khai thực hiện Đề án 06 năm 2023"},
			"Kế hoạch số 56/KH-UBND (năm 2023)", "Kế hoạch Đề án 06"},
		{plan.Plan{Number: "56/KH-UBND", Year: 2023, Title: "Thực hiện Đề án theo Quyết định số 06/QĐ-TTg"},
			"Kế hoạch số 56/KH-UBND (năm 2023)", "Kế hoạch Đề án 06"},
		{plan.Plan{Number: "12/KH-UBND", Title: "Cải cách hành chính"}, "Kế hoạch số 12/KH-UBND", "Kế hoạch số 12/KH-UBND"},
		{plan.Plan{Number: "/KH-UBND", Year: 2023, Title: "Cải cách hành chính"}, "Kế hoạch năm 2023", "Kế hoạch năm 2023"},
		{plan.Plan{Number: " ", Year: 2023}, "Kế hoạch năm 2023", "Kế hoạch năm 2023"},
		{plan.Plan{Number: " 56/KH-UBND ", Year: 2023}, "Kế hoạch số 56/KH-UBND (năm 2023)", "Kế hoạch số 56/KH-UBND"},
		{plan.Plan{Number: "/KH-UBND"}, "Kế hoạch", "Kế hoạch"},
	}
	for _, tt := range tests {
		if got := PlanName(&tt.p); got != tt.full {
			t.Errorf("PlanName(%q, %q) = %q, want %q", tt.p.Number, tt.p.Title, got, tt.full)
		}
		if got := PlanShortName(&tt.p); got != tt.short {
			t.Errorf("PlanShortName(%q, %q) = %q, want %q", tt.p.Number, tt.p.Title, got, tt.short)
		}
	}
}

func TestFigureTextDoneWithCount(t *testing.T) {
	tests := []struct {
		f    plan.Figure
		want string
	}{
		{plan.Figure{Kind: plan.ProgressDone, Percent: 100}, "hoàn thành"},
		{plan.Figure{Kind: plan.ProgressDone, Percent: 100, Done: 1500, Total: 1500, CountUnit: "hồ sơ"}, "hoàn thành, 1.500/1.500 hồ sơ (100%)"},
		{plan.Figure{Kind: plan.ProgressCount, Percent: 80, Done: 1200, Total: 1500, CountUnit: "hồ sơ"}, "1.200/1.500 hồ sơ (80%)"},
	}
	for _, tt := range tests {
		if got := FigureText(tt.f); got != tt.want {
			t.Errorf("FigureText(%+v) = %q, want %q", tt.f, got, tt.want)
		}
	}
}

// shortenCases are titles as plans write them, and the spaces and
// lengths around the cut that Shorten's fast path must treat as the
// rune-by-rune one does.
var shortenCases = []string{
	"", " ", "ngắn", "Đăng ký và thực hiện một số nhiệm vụ",
	"  Đăng ký\tvà thực\u00a0hiện  một số nhiệm vụ  ",
	"Triển khai thực hiện hiệu quả Nghị định số 104/2022/NĐ-CP ngày 21/12/2022 của Chính phủ.",
	"Rà soát, cập nhật dữ liệu dân cư; – tuyên truyền, vận động…",
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa bbbbb",
	"ab cd ef gh ij kl mn op qr st uv wx yz",
}

func TestShortenFastPathAgrees(t *testing.T) {
	for _, s := range shortenCases {
		for n := 0; n <= utf8.RuneCountInString(s)+1; n++ {
			if got, want := Shorten(s, n), shortenRunes(s, n); got != want {
				t.Errorf("Shorten(%q, %d) = %q, want %q", s, n, got, want)
			}
		}
	}
}

func FuzzShorten(f *testing.F) {
	for _, s := range shortenCases {
		f.Add(s, 20)
	}
	f.Fuzz(func(t *testing.T, s string, n int) {
		if n < 0 || n > 1000 || !utf8.ValidString(s) {
			t.Skip()
		}
		if got, want := Shorten(s, n), shortenRunes(s, n); got != want {
			t.Errorf("Shorten(%q, %d) = %q, want %q", s, n, got, want)
		}
	})
}

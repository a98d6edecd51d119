package texts

import (
	"testing"

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

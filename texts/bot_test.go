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

package texts

import (
	"strings"
	"testing"
	"time"

	"github.com/chanhlo/planbot/plan"
)

func TestChange(t *testing.T) {
	day := time.Date(2023, 4, 25, 2, 0, 0, 0, time.UTC)
	pr := func(f plan.Figure, at time.Time) plan.Progress { return plan.Progress{Figure: f, ReportedAt: at} }
	pct := func(v float64) plan.Figure { return plan.Figure{Kind: plan.ProgressPercent, Percent: v} }
	done := plan.Figure{Kind: plan.ProgressDone, Percent: 100}
	doing := plan.Figure{Kind: plan.ProgressInProgress}
	notYet := plan.Figure{Kind: plan.ProgressNotStarted}
	tests := []struct {
		name      string
		prev, now plan.Progress
		want      string
	}{
		{"rise same day", pr(pct(60), day), pr(pct(80), day.Add(time.Hour)), "Cập nhật: 60% → 80%"},
		{"rise to done", pr(pct(80), day), pr(done, day.Add(48*time.Hour)), "Cập nhật: 80% → hoàn thành"},
		{"lower same day is a correction", pr(pct(80), day), pr(pct(70), day.Add(time.Hour)), "Đã sửa: 80% → 70%"},
		{"done taken back same day", pr(done, day), pr(pct(90), day.Add(time.Hour)), "Đã sửa: hoàn thành → 90%"},
		{"status back to not started same day", pr(doing, day), pr(notYet, day.Add(time.Hour)), "Đã sửa: đang thực hiện → chưa thực hiện"},
		{"lower on a later day is an update", pr(pct(80), day), pr(pct(70), day.Add(24*time.Hour)), "Cập nhật: 80% → 70%"},
		{"same figure", pr(pct(80), day), pr(pct(80), day.Add(time.Hour)), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Change(&tt.prev, tt.now); got != tt.want {
				t.Errorf("Change = %q, want %q", got, tt.want)
			}
		})
	}
	if got := Change(nil, pr(pct(80), day)); got != "" {
		t.Errorf("Change(nil) = %q", got)
	}
}

func TestAcknowledgeHint(t *testing.T) {
	at := time.Date(2023, 4, 25, 2, 0, 0, 0, time.UTC)
	p := plan.Progress{Figure: plan.Figure{Kind: plan.ProgressPercent, Percent: 80}, Period: plan.MonthOf(plan.DateOf(at)), ReportedAt: at}
	prev := p
	prev.Percent = 60
	tests := []struct {
		name    string
		items   []AckItem
		refused []AckRefused
		hint    bool
	}{
		{"first report of the period", []AckItem{{Code: "1.a", Progress: p}, {Code: "1.b", Progress: p}}, nil, true},
		{"an update", []AckItem{{Code: "1.a", Progress: p}, {Code: "1.b", Progress: p, Previous: &prev}}, nil, false},
		{"with refusals", []AckItem{{Code: "1.a", Progress: p}}, []AckRefused{{Text: "60%", Reason: "không rõ"}}, false},
		{"nothing recorded", nil, []AckRefused{{Text: "60%", Reason: "không rõ"}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Acknowledge(tt.items, tt.refused, "", true)
			if strings.Contains(got, CorrectHint) != tt.hint {
				t.Errorf("hint shown = %v, want %v:\n%s", !tt.hint, tt.hint, got)
			}
		})
	}
}

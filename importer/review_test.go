package importer

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/chanhlo/planbot/plan"
)

// The table lines up in runes, so that "2.đ" and "Thời hạn" do not shift
// the columns (text/tabwriter counts runes; the importer's text is NFC).
func TestWriteReviewAligned(t *testing.T) {
	p := parseSample(t)
	var buf bytes.Buffer
	if err := WriteReview(&buf, p); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(buf.String(), "\n")
	header := -1
	for i, l := range lines {
		if strings.HasPrefix(l, "Mã ") {
			header = i
			break
		}
	}
	if header < 0 {
		t.Fatalf("no table header in\n%s", buf.String())
	}
	col := utf8.RuneCountInString(lines[header][:strings.Index(lines[header], "Thời hạn")])
	for _, task := range p.Tasks {
		row := lines[header+1]
		header++
		if !strings.HasPrefix(row, task.Code+" ") {
			t.Fatalf("row %q is not task %s", row, task.Code)
		}
		r := []rune(row)
		if len(r) <= col || r[col] == ' ' || r[col-1] != ' ' {
			t.Errorf("row %q: deadline does not start at rune %d", row, col)
		}
		if strings.HasSuffix(row, " ") {
			t.Errorf("row %q has trailing spaces", row)
		}
	}
	for _, w := range p.Warnings {
		if !strings.Contains(buf.String(), "- "+w+"\n") {
			t.Errorf("warning %q not printed", w)
		}
	}
}

func TestDeadlineVietnamese(t *testing.T) {
	tests := []struct {
		d    plan.Deadline
		want string
	}{
		{plan.Deadline{Kind: plan.DeadlineDate, Due: plan.NewDate(2023, 4, 28)}, "28/4/2023"},
		{plan.Deadline{Kind: plan.DeadlineRange, Start: plan.NewDate(2024, 4, 1), Due: plan.NewDate(2024, 9, 30)}, "1/4/2024 - 30/9/2024"},
		{plan.Deadline{Kind: plan.DeadlineRecurring, Recurrence: plan.RecurOngoing}, "Thường xuyên"},
		{plan.Deadline{Kind: plan.DeadlineRecurring, Recurrence: plan.RecurQuarterly}, "Hằng quý"},
		{plan.Deadline{Kind: plan.DeadlineRecurring, Recurrence: plan.RecurMonthly, Start: plan.NewDate(2023, 4, 1)}, "Hằng tháng từ 1/4/2023"},
		{plan.Deadline{Kind: plan.DeadlineConditional}, "Chờ điều kiện"},
		{plan.Deadline{Kind: plan.DeadlineConditional, Expected: plan.NewDate(2023, 6, 30)}, "Chờ điều kiện (dự kiến 30/6/2023)"},
		{plan.Deadline{Kind: plan.DeadlineOpen, Text: "Theo lộ trình"}, "Chưa rõ: Theo lộ trình"},
		{plan.Deadline{Kind: plan.DeadlineOpen}, "Chưa có"},
	}
	for _, tt := range tests {
		if got := DeadlineVietnamese(tt.d); got != tt.want {
			t.Errorf("DeadlineVietnamese(%+v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

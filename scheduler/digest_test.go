package scheduler

import (
	"strings"
	"testing"
	"time"

	"github.com/chanhlo/planbot/calendar"
	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/texts"
)

// TestDescribeOverdue: the overdue notice counts full working days past
// the plan's due date, as the weekly digest does, not calendar days.
// 30/4/2023 is a holiday; 29/4–3/5 are days off.
func TestDescribeOverdue(t *testing.T) {
	cal := calendar.New(calendar.Adjustments{})
	due := plan.NewDate(2023, 4, 30)
	task := &plan.Task{Code: "1.c", Title: "Đăng ký năm 2023.", Deadline: plan.Deadline{Kind: plan.DeadlineDate, Due: due},
		Lead: []string{"Công an phường"}}
	tests := []struct {
		kind  plan.ReminderKind
		today plan.Date
		late  int
		line  string
	}{
		// The first notice, on the first working day after the holiday.
		{plan.RemindOverdue, plan.NewDate(2023, 5, 4), 0, "hạn 30/4/2023, chưa báo cáo hoàn thành."},
		// A week later: 4, 5, 8, 9 and 10/5 (11 calendar days).
		{plan.RemindOverdue, plan.NewDate(2023, 5, 11), 5, "hạn 30/4/2023, đã quá 5 ngày làm việc, chưa báo cáo hoàn thành."},
		{plan.RemindEscalation, plan.NewDate(2023, 5, 11), 5, "hạn 30/4/2023, đã quá 5 ngày làm việc"},
	}
	for _, tt := range tests {
		// An overdue notice's occurrence is its nominal day, an
		// escalation's the due date.
		occ := tt.today.String()
		if tt.kind == plan.RemindEscalation {
			occ = due.String()
		}
		r := plan.Reminder{TaskCode: "1.c", Unit: "Công an phường", Kind: tt.kind, Occurrence: occ,
			At: time.Date(tt.today.Year, tt.today.Month, tt.today.Day, 8, 0, 0, 0, cal.Location())}
		it := Describe(cal, task, r, tt.today)
		if it.DaysLate != tt.late {
			t.Errorf("%s on %s: %d days late, want %d", tt.kind, tt.today.Vietnamese(), it.DaysLate, tt.late)
		}
		if line := texts.ReminderLine(it); !strings.Contains(line, tt.line) {
			t.Errorf("%s on %s:\n%s\nwant it to contain %q", tt.kind, tt.today.Vietnamese(), line, tt.line)
		}
	}
}

// TestDescribeReportDue: a report request names the plan's due date and,
// when that is not a working day, what day it is and the working day to
// finish by.
func TestDescribeReportDue(t *testing.T) {
	cal := calendar.New(calendar.Adjustments{})
	task := &plan.Task{Code: "2.e", Title: "Số hóa hồ sơ", Deadline: plan.Deadline{Kind: plan.DeadlineDate, Due: plan.NewDate(2023, 12, 31)},
		Lead: []string{"Bộ phận Một cửa"}}
	r := plan.Reminder{TaskCode: "2.e", Unit: "Bộ phận Một cửa", Kind: plan.RemindReportRequest, Occurrence: "2023-12"}
	it := Describe(cal, task, r, plan.NewDate(2023, 12, 18))
	want := "hạn <b>31/12/2023</b> (Chủ nhật), đề nghị hoàn thành chậm nhất thứ Sáu 29/12."
	if line := texts.ReminderLine(it); !strings.Contains(line, want) {
		t.Errorf("got\n%s\nwant it to contain %q", line, want)
	}
}

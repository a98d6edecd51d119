package summary

import (
	"testing"
	"time"

	"github.com/chanhlo/planbot/plan"
)

func TestJudge(t *testing.T) {
	q2 := plan.Period{Kind: plan.PeriodQuarter, Year: 2023, N: 2}
	may := plan.Month(2023, time.May)
	jun := plan.Month(2023, time.June)
	dateTask := plan.Task{Code: "1.c", Lead: []string{"CA"}, Deadline: due(2023, 6, 30)}
	ongoingTask := plan.Task{Code: "2.a", Execute: []string{"CA"}, Deadline: ongoing}
	condTask := plan.Task{Code: "1.a", Lead: []string{"CA"}, Deadline: plan.Deadline{Kind: plan.DeadlineConditional}}
	// 4.c: conditional until the secretariat's /sethan on 6/6 gave it 30/6.
	setTask := plan.Task{Code: "4.c", Lead: []string{"CA"}, Deadline: due(2023, 6, 30), DeadlineSetOn: plan.NewDate(2023, 6, 6)}
	setOngoing := plan.Task{Code: "4.d", Lead: []string{"CA"},
		Deadline:      plan.Deadline{Kind: plan.DeadlineRecurring, Recurrence: plan.RecurOngoing, Start: plan.NewDate(2023, 6, 1)},
		DeadlineSetOn: plan.NewDate(2023, 6, 6)}
	rangeTask := plan.Task{Code: "2.e", Lead: []string{"CA"},
		Deadline: plan.Deadline{Kind: plan.DeadlineRange, Start: plan.NewDate(2023, 9, 1), Due: plan.NewDate(2023, 12, 31)}}

	tests := []struct {
		name     string
		task     plan.Task
		period   plan.Period
		asOf     plan.Date
		reports  []plan.Progress
		condMet  bool
		status   Status
		pending  bool
		returned bool
		daysLate int
		expected bool
		reported int
	}{
		{name: "done on the due day, pending", task: dateTask, period: jun, asOf: plan.NewDate(2023, 6, 30),
			reports: []plan.Progress{confirmed(rep("1.c", "CA", at(2023, 6, 30), doneF()), plan.ConfirmPending, "")},
			status:  DoneOnTime, pending: true, expected: true, reported: 1},
		{name: "done three working days late (weekend between)", task: dateTask, period: plan.Month(2023, time.July), asOf: plan.NewDate(2023, 7, 31),
			reports: []plan.Progress{confirmed(rep("1.c", "CA", at(2023, 7, 5), doneF()), plan.ConfirmAccepted, "")},
			status:  DoneLate, daysLate: 3, expected: true, reported: 1},
		{name: "done repeated: dated by the first done", task: dateTask, period: plan.Month(2023, time.July), asOf: plan.NewDate(2023, 7, 31),
			reports: []plan.Progress{rep("1.c", "CA", at(2023, 6, 29), doneF()), rep("1.c", "CA", at(2023, 7, 3), doneF())},
			status:  DoneOnTime, expected: false, reported: 1},
		{name: "done before the period expects nothing", task: dateTask, period: plan.Month(2023, time.July), asOf: plan.NewDate(2023, 7, 31),
			reports: []plan.Progress{rep("1.c", "CA", at(2023, 6, 29), doneF())},
			status:  DoneOnTime, expected: false},
		{name: "returned done is open, overdue", task: dateTask, period: plan.Month(2023, time.July), asOf: plan.NewDate(2023, 7, 3),
			reports: []plan.Progress{confirmed(rep("1.c", "CA", at(2023, 6, 28), doneF()), plan.ConfirmReturned, "thiếu văn bản")},
			status:  Overdue, returned: true, daysLate: 1, expected: true},
		{name: "overdue counts working days only", task: dateTask, period: plan.Month(2023, time.July), asOf: plan.NewDate(2023, 7, 31),
			reports: []plan.Progress{rep("1.c", "CA", at(2023, 7, 10), pct(90))},
			status:  Overdue, daysLate: 21, expected: true, reported: 1},
		{name: "due in three working days is due soon", task: dateTask, period: jun, asOf: plan.NewDate(2023, 6, 27),
			reports: []plan.Progress{rep("1.c", "CA", at(2023, 6, 5), pct(50))},
			status:  DueSoon, expected: true, reported: 1},
		{name: "due in four working days, reported, in progress", task: dateTask, period: jun, asOf: plan.NewDate(2023, 6, 26),
			reports: []plan.Progress{rep("1.c", "CA", at(2023, 6, 5), pct(50))},
			status:  InProgress, expected: true, reported: 1},
		{name: "holidays stretch due soon", task: plan.Task{Code: "x", Lead: []string{"CA"}, Deadline: due(2023, 5, 5)},
			period: plan.Month(2023, time.April), asOf: plan.NewDate(2023, 4, 28),
			reports: []plan.Progress{rep("x", "CA", at(2023, 4, 3), pct(10))},
			// 29/4–3/5 are off: only 4/5 and 5/5 are working days.
			status: DueSoon, expected: true, reported: 1},
		{name: "within deadline, no report in the period", task: dateTask, period: may, asOf: plan.NewDate(2023, 5, 31),
			reports: []plan.Progress{rep("1.c", "CA", at(2023, 4, 20), pct(30))},
			status:  NotReported, expected: true},
		{name: "ongoing reported every month of the quarter", task: ongoingTask, period: q2, asOf: plan.NewDate(2023, 6, 30),
			reports: []plan.Progress{rep("2.a", "CA", at(2023, 4, 18), pct(1)), rep("2.a", "CA", at(2023, 5, 18), pct(2)), rep("2.a", "CA", at(2023, 6, 18), pct(3))},
			status:  OngoingReported, expected: true, reported: 3},
		{name: "ongoing missing a month", task: ongoingTask, period: q2, asOf: plan.NewDate(2023, 6, 30),
			reports: []plan.Progress{rep("2.a", "CA", at(2023, 4, 18), pct(1)), rep("2.a", "CA", at(2023, 6, 18), pct(3))},
			status:  OngoingNotReported, expected: true, reported: 2},
		{name: "ongoing mid-quarter counts begun months only", task: ongoingTask, period: q2, asOf: plan.NewDate(2023, 5, 20),
			reports: []plan.Progress{rep("2.a", "CA", at(2023, 4, 18), pct(1)), rep("2.a", "CA", at(2023, 5, 18), pct(2))},
			status:  OngoingReported, expected: true, reported: 2},
		{name: "ongoing done counts as reported", task: ongoingTask, period: may, asOf: plan.NewDate(2023, 5, 31),
			reports: []plan.Progress{confirmed(rep("2.a", "CA", at(2023, 5, 18), doneF()), plan.ConfirmPending, "")},
			status:  OngoingReported, expected: true, reported: 1},
		{name: "conditional not met waits", task: condTask, period: may, asOf: plan.NewDate(2023, 5, 31),
			status: Waiting},
		{name: "conditional met by another unit, none from this one", task: condTask, period: may, asOf: plan.NewDate(2023, 5, 31),
			condMet: true, status: NotReported, expected: true},
		{name: "conditional met and reported", task: condTask, period: may, asOf: plan.NewDate(2023, 5, 31),
			reports: []plan.Progress{rep("1.a", "CA", at(2023, 5, 10), pct(20))}, condMet: true,
			status: InProgress, expected: true, reported: 1},
		{name: "conditional done has no due day: on time", task: condTask, period: may, asOf: plan.NewDate(2023, 5, 31),
			reports: []plan.Progress{rep("1.a", "CA", at(2023, 5, 10), doneF())}, condMet: true,
			status: DoneOnTime, expected: true, reported: 1},
		{name: "deadline set after the month judged: still waiting", task: setTask, period: may, asOf: plan.NewDate(2023, 5, 31),
			status: Waiting},
		{name: "deadline set after the day judged mid-month: still waiting", task: setTask, period: jun, asOf: plan.NewDate(2023, 6, 5),
			status: Waiting},
		{name: "deadline set on the day judged applies", task: setTask, period: jun, asOf: plan.NewDate(2023, 6, 6),
			status: NotReported, expected: true},
		{name: "deadline set within the month judged applies", task: setTask, period: jun, asOf: plan.NewDate(2023, 6, 20),
			reports: []plan.Progress{rep("4.c", "CA", at(2023, 6, 12), pct(40))},
			status:  InProgress, expected: true, reported: 1},
		{name: "deadline set later, condition met by a report: judged by the deadline", task: setTask, period: may, asOf: plan.NewDate(2023, 5, 31),
			reports: []plan.Progress{rep("4.c", "CA", at(2023, 5, 20), pct(10))}, condMet: true,
			status: InProgress, expected: true, reported: 1},
		{name: "deadline set later, met by another unit, none from this one", task: setTask, period: may, asOf: plan.NewDate(2023, 5, 31),
			condMet: true, status: NotReported, expected: true},
		{name: "ongoing set after the month judged: still waiting", task: setOngoing, period: may, asOf: plan.NewDate(2023, 5, 31),
			status: Waiting},
		{name: "ongoing set within the month judged applies", task: setOngoing, period: jun, asOf: plan.NewDate(2023, 6, 30),
			status: OngoingNotReported, expected: true},
		{name: "range not begun", task: rangeTask, period: may, asOf: plan.NewDate(2023, 5, 31),
			status: InProgress},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := judge(judgeInput{task: &tt.task, unit: "CA", period: tt.period, asOf: tt.asOf, loc: hcm,
				work: holidays2023{}, soon: 3, reports: tt.reports, conditionMet: tt.condMet})
			if j.Status != tt.status || j.Pending != tt.pending || j.Returned != tt.returned || j.DaysLate != tt.daysLate {
				t.Errorf("status %s pending %v returned %v late %d; want %s %v %v %d",
					j.Status, j.Pending, j.Returned, j.DaysLate, tt.status, tt.pending, tt.returned, tt.daysLate)
			}
			if j.Expected != tt.expected || j.ReportedMonths != tt.reported {
				t.Errorf("expected %v reported months %d; want %v %d", j.Expected, j.ReportedMonths, tt.expected, tt.reported)
			}
		})
	}
}

func TestStatusSeverity(t *testing.T) {
	for i, a := range []Status{Overdue, NotReported, OngoingNotReported, DueSoon, InProgress, Waiting, DoneLate, OngoingReported, DoneOnTime} {
		for _, b := range []Status{Overdue, NotReported, OngoingNotReported, DueSoon, InProgress, Waiting, DoneLate, OngoingReported, DoneOnTime}[i+1:] {
			if !a.Worse(b) || b.Worse(a) {
				t.Errorf("%s should be worse than %s", a, b)
			}
		}
	}
	if len(Statuses) != len(severity) {
		t.Errorf("Statuses has %d entries, severity %d", len(Statuses), len(severity))
	}
}

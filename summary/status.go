package summary

import (
	"time"

	"github.com/chanhlo/planbot/plan"
)

// Status is how a task stands for a unit, or for the whole task. See the
// package documentation for the meaning of each.
type Status string

// Statuses, in the order summaries list them.
const (
	DoneOnTime         Status = "done_on_time"
	DoneLate           Status = "done_late"
	InProgress         Status = "in_progress"
	DueSoon            Status = "due_soon"
	Overdue            Status = "overdue"
	NotReported        Status = "not_reported"
	OngoingReported    Status = "ongoing_reported"
	OngoingNotReported Status = "ongoing_not_reported"
	Waiting            Status = "waiting"
)

// Statuses lists every status in display order.
var Statuses = []Status{DoneOnTime, DoneLate, InProgress, DueSoon, Overdue, NotReported, OngoingReported, OngoingNotReported, Waiting}

// severity orders statuses for judging a task by its worst unit.
var severity = map[Status]int{
	Overdue:            9,
	NotReported:        8,
	OngoingNotReported: 7,
	DueSoon:            6,
	InProgress:         5,
	Waiting:            4,
	DoneLate:           3,
	OngoingReported:    2,
	DoneOnTime:         1,
}

// Worse reports whether s is more serious than o.
func (s Status) Worse(o Status) bool { return severity[s] > severity[o] }

// Done reports whether s is a finished status.
func (s Status) Done() bool { return s == DoneOnTime || s == DoneLate }

// OnTime reports whether s counts as on time in the unit table: finished
// on time, open within the deadline, or a recurring task reported.
func (s Status) OnTime() bool {
	switch s {
	case DoneOnTime, InProgress, DueSoon, OngoingReported:
		return true
	}
	return false
}

// Late reports whether s counts as overdue in the unit table: open past
// the due day or finished after it.
func (s Status) Late() bool { return s == Overdue || s == DoneLate }

// Workdays tells working days from days off. *calendar.Calendar
// satisfies it.
type Workdays interface {
	IsWorkingDay(d plan.Date) bool
}

// WeekdaysOnly is a Workdays with Saturdays and Sundays off and no
// holidays, for tests and for running without a calendar.
type WeekdaysOnly struct{}

// IsWorkingDay reports whether d is Monday to Friday.
func (WeekdaysOnly) IsWorkingDay(d plan.Date) bool {
	wd := d.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// workingDaysAfter counts the working days d with from < d ≤ to; 0 when
// to is not after from.
func workingDaysAfter(w Workdays, from, to plan.Date) int {
	n := 0
	for d := from.AddDays(1); !d.After(to); d = d.AddDays(1) {
		if w.IsWorkingDay(d) {
			n++
		}
	}
	return n
}

// Judgement is how one task stands for one responsible unit.
type Judgement struct {
	Code   string
	Unit   string
	Role   plan.AssignmentRole
	Status Status
	// Pending is set when the unit's "done" awaits the secretariat.
	Pending bool
	// Returned is set, with ReturnNote, when the secretariat sent the
	// unit's "done" back.
	Returned   bool
	ReturnNote string
	// DaysLate is in working days (overdue or done late); 0 otherwise.
	DaysLate int
	// DoneOn is the day "done" was reported.
	DoneOn plan.Date
	// Latest is the newest report up to the day judged, if any.
	Latest *plan.Progress
	// Expected is set when a report was due from the unit in the period;
	// ExpectedMonths and ReportedMonths count the elapsed months of the
	// period in which one was due and in which one came.
	Expected       bool
	ExpectedMonths int
	ReportedMonths int
}

// Reported reports whether the unit reported on the task in the period.
func (j *Judgement) Reported() bool { return j.ReportedMonths > 0 }

// judgeInput is what judging one task for one unit needs.
type judgeInput struct {
	task   *plan.Task
	unit   string
	period plan.Period
	asOf   plan.Date
	loc    *time.Location
	work   Workdays
	soon   int
	// reports are the unit's reports on the task up to asOf, oldest first.
	reports []plan.Progress
	// conditionMet is set when some responsible unit reported on a
	// conditional task.
	conditionMet bool
}

func dayOf(t time.Time, loc *time.Location) plan.Date {
	if loc != nil {
		t = t.In(loc)
	}
	return plan.DateOf(t)
}

// judge decides the status of one task for one unit.
func judge(in judgeInput) Judgement {
	t := in.task
	j := Judgement{Code: t.Code, Unit: in.unit}
	j.Role, _ = t.RoleOf(in.unit)
	if n := len(in.reports); n > 0 {
		j.Latest = &in.reports[n-1]
	}

	// Months of the period that have begun by asOf, and those reported.
	var months []plan.Period
	for _, m := range in.period.Months() {
		if !m.Start().After(in.asOf) {
			months = append(months, m)
		}
	}
	reportedIn := map[string]bool{}
	for _, r := range in.reports {
		reportedIn[r.Period.String()] = true
	}
	reportedMonths := 0
	for _, m := range months {
		if reportedIn[m.String()] {
			reportedMonths++
		}
	}

	// "done": the latest report is done and was not returned; it dates
	// from the first report of the trailing run of "done" reports.
	done, doneAt := false, time.Time{}
	if j.Latest != nil && j.Latest.Kind == plan.ProgressDone {
		if j.Latest.Confirm == plan.ConfirmReturned {
			j.Returned, j.ReturnNote = true, j.Latest.ConfirmNote
		} else {
			done = true
			j.Pending = j.Latest.Confirm == plan.ConfirmPending
			for i := len(in.reports) - 1; i >= 0 && in.reports[i].Kind == plan.ProgressDone && in.reports[i].Confirm != plan.ConfirmReturned; i-- {
				doneAt = in.reports[i].ReportedAt
			}
			j.DoneOn = dayOf(doneAt, in.loc)
		}
	}

	d := t.Deadline
	switch {
	case d.Kind == plan.DeadlineRecurring:
		j.Expected = true
		j.ExpectedMonths = len(months)
		j.ReportedMonths = reportedMonths
		if j.ExpectedMonths > 0 && reportedMonths == j.ExpectedMonths {
			j.Status = OngoingReported
		} else {
			j.Status = OngoingNotReported
		}
		j.Pending = false
		return j

	case d.Kind == plan.DeadlineConditional && !in.conditionMet:
		j.Status = Waiting
		j.ReportedMonths = reportedMonths
		j.Pending = false
		return j
	}

	// A task finished before the period began expects no more reports.
	if done && j.DoneOn.Before(in.period.Start()) {
		j.Expected = false
	} else if d.Kind == plan.DeadlineRange && !d.Start.IsZero() && d.Start.After(in.asOf) {
		j.Expected = false // not begun yet
	} else {
		j.Expected = true
		j.ExpectedMonths = len(months)
	}
	j.ReportedMonths = reportedMonths

	if done {
		j.Status = DoneOnTime
		if d.HasDue() && j.DoneOn.After(d.Due) {
			j.Status = DoneLate
			j.DaysLate = workingDaysAfter(in.work, d.Due, j.DoneOn)
		}
		return j
	}
	j.Pending = false
	if d.HasDue() {
		switch {
		case in.asOf.After(d.Due):
			j.Status = Overdue
			j.DaysLate = workingDaysAfter(in.work, d.Due, in.asOf)
			return j
		case workingDaysAfter(in.work, in.asOf, d.Due) <= in.soon:
			j.Status = DueSoon
			return j
		}
	}
	switch {
	case !j.Expected || reportedMonths > 0:
		j.Status = InProgress
	default:
		j.Status = NotReported
	}
	return j
}

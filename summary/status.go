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
	// NoDeadline is a task whose deadline the plan's words did not give
	// (plan.DeadlineOpen): it is reported on monthly until the
	// secretariat sets one with /sethan.
	NoDeadline Status = "no_deadline"
)

// Statuses lists every status in display order.
var Statuses = []Status{DoneOnTime, DoneLate, InProgress, DueSoon, Overdue, NotReported, OngoingReported, OngoingNotReported, NoDeadline, Waiting}

// severity orders statuses for judging a task by its worst unit.
var severity = map[Status]int{
	Overdue:            9,
	NotReported:        8,
	OngoingNotReported: 7,
	DueSoon:            6,
	InProgress:         5,
	NoDeadline:         5,
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

// effectiveDue is the last day a task due on due may be finished on
// time: due itself when it is a working day, else the first working day
// after it (a due date on a day off stretches to the end of the next
// working day). It looks at most 60 days ahead.
func effectiveDue(w Workdays, due plan.Date) plan.Date {
	for d, i := due, 0; i < 60; d, i = d.AddDays(1), i+1 {
		if w.IsWorkingDay(d) {
			return d
		}
	}
	return due
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
	// DoneOn is the day "done" was reported; DoneInPeriod is set when
	// that report belongs to the period judged (by its stored period, or
	// by DoneOn when it has none).
	DoneOn       plan.Date
	DoneInPeriod bool
	// Latest is the newest report up to the day judged, if any.
	Latest *plan.Progress
	// Figure is the newest report that carries a figure (a percentage, a
	// count or "done" not returned), if any: what "Kết quả" shows.
	Figure *plan.Progress
	// Expected is set when a report was due from the unit in the period;
	// ExpectedMonths and ReportedMonths count the reporting slots of the
	// period (months; quarters or years for recurring tasks reported
	// quarterly or yearly) in which one was due and in which one came.
	Expected       bool
	ExpectedMonths int
	ReportedMonths int
}

// Reported reports whether the unit reported on the task in the period.
func (j *Judgement) Reported() bool { return j.ReportedMonths > 0 }

// Late reports whether the judgement counts in the unit table's overdue
// column: open past the due day, or finished late in the period judged
// (in later periods a task finished late is only done).
func (j *Judgement) Late() bool {
	return j.Status == Overdue || (j.Status == DoneLate && j.DoneInPeriod)
}

// judgeInput is what judging one task for one unit needs.
type judgeInput struct {
	task   *plan.Task
	unit   string
	period plan.Period
	asOf   plan.Date
	loc    *time.Location
	work   Workdays
	soon   int
	// since is the day the plan was imported: months before it expect
	// no report. Zero: every month of the period may.
	since plan.Date
	// reports are the unit's reports on the task known as of asOf,
	// oldest first.
	reports []plan.Progress
	// conditionMet is set when some responsible unit reported on a
	// conditional task (anything but "chưa thực hiện").
	conditionMet bool
}

func dayOf(t time.Time, loc *time.Location) plan.Date {
	if loc != nil {
		t = t.In(loc)
	}
	return plan.DateOf(t)
}

// reportPeriod is the month a report answers for: its stored period, or
// the month it was sent in when it has none.
func reportPeriod(r plan.Progress, loc *time.Location) plan.Period {
	if r.Period.Kind != "" {
		return r.Period
	}
	return plan.MonthOf(dayOf(r.ReportedAt, loc))
}

// slots returns the reporting slots of the period that have begun by
// asOf and do not end before since, for a task reported every slot of
// kind: months, quarters or years.
func slots(period plan.Period, kind plan.PeriodKind, asOf, since plan.Date) []plan.Period {
	var out []plan.Period
	seen := map[plan.Period]bool{}
	for _, m := range period.Months() {
		s := m
		switch kind {
		case plan.PeriodQuarter:
			s = plan.Period{Kind: plan.PeriodQuarter, Year: m.Year, N: (m.N-1)/3 + 1}
		case plan.PeriodYear:
			s = plan.Period{Kind: plan.PeriodYear, Year: m.Year}
		}
		if seen[s] || s.Start().After(asOf) || (!since.IsZero() && s.End().Before(since)) {
			continue
		}
		seen[s] = true
		out = append(out, s)
	}
	return out
}

// judge decides the status of one task for one unit.
func judge(in judgeInput) Judgement {
	t := in.task
	j := Judgement{Code: t.Code, Unit: in.unit}
	j.Role, _ = t.RoleOf(in.unit)
	if n := len(in.reports); n > 0 {
		j.Latest = &in.reports[n-1]
	}
	for i := len(in.reports) - 1; i >= 0; i-- {
		if r := &in.reports[i]; r.HasPercent() && !(r.Kind == plan.ProgressDone && r.Confirm == plan.ConfirmReturned) {
			j.Figure = r
			break
		}
	}

	// Reporting slots of the period: months, or quarters or years for a
	// recurring task reported that often; those begun by asOf and not
	// over before the plan was imported.
	d := t.Deadline
	kind := plan.PeriodMonth
	if d.Kind == plan.DeadlineRecurring {
		switch d.Recurrence {
		case plan.RecurQuarterly:
			kind = plan.PeriodQuarter
		case plan.RecurYearly:
			kind = plan.PeriodYear
		}
	}
	months := slots(in.period, kind, in.asOf, in.since)
	reportedMonths := 0
	for _, m := range months {
		for _, r := range in.reports {
			if rp := reportPeriod(r, in.loc); m.Contains(rp.Start()) {
				reportedMonths++
				break
			}
		}
	}

	// "done": the latest report is done and was not returned; it dates
	// from the first report of the trailing run of "done" reports.
	done, doneBefore := false, false
	if j.Latest != nil && j.Latest.Kind == plan.ProgressDone {
		if j.Latest.Confirm == plan.ConfirmReturned {
			j.Returned, j.ReturnNote = true, j.Latest.ConfirmNote
		} else {
			done = true
			j.Pending = j.Latest.Confirm == plan.ConfirmPending
			var first plan.Progress
			for i := len(in.reports) - 1; i >= 0 && in.reports[i].Kind == plan.ProgressDone && in.reports[i].Confirm != plan.ConfirmReturned; i-- {
				first = in.reports[i]
			}
			j.DoneOn = dayOf(first.ReportedAt, in.loc)
			fp := reportPeriod(first, in.loc)
			j.DoneInPeriod = in.period.Contains(fp.Start())
			doneBefore = fp.Start().Before(in.period.Start())
		}
	}

	// A deadline the secretariat set after the day judged did not exist
	// then: the task was still waiting for its condition.
	setLater := !t.DeadlineSetOn.IsZero() && t.DeadlineSetOn.After(in.asOf)

	switch {
	case (d.Kind == plan.DeadlineConditional || setLater) && !in.conditionMet:
		// Waiting for a condition: nobody is asked.
		j.Status = Waiting
		j.ReportedMonths = reportedMonths
		j.Pending = false
		return j

	case d.Kind == plan.DeadlineOpen:
		// The plan's words gave no deadline the importer could read: the
		// unit reports monthly (it is asked) until the secretariat sets
		// one; finished, it is done like any task.
		j.Expected = true
		j.ExpectedMonths = len(months)
		j.ReportedMonths = reportedMonths
		if done {
			j.Status = DoneOnTime
			return j
		}
		j.Status = NoDeadline
		return j

	case d.Kind == plan.DeadlineRecurring:
		j.Expected = true
		j.ExpectedMonths = len(months)
		j.ReportedMonths = reportedMonths
		if reportedMonths == j.ExpectedMonths {
			j.Status = OngoingReported
		} else {
			j.Status = OngoingNotReported
		}
		if j.ExpectedMonths == 0 {
			// Nothing was due yet (the plan came later): judged by
			// whether the unit has ever reported.
			j.Expected = false
			if len(in.reports) == 0 {
				j.Status = OngoingNotReported
			}
		}
		j.Pending = false
		return j
	}

	// A task finished before the period began expects no more reports.
	if done && doneBefore {
		j.Expected = false
	} else if d.Kind == plan.DeadlineRange && !d.Start.IsZero() && d.Start.After(in.asOf) {
		j.Expected = false // not begun yet
	} else {
		j.Expected = len(months) > 0
		j.ExpectedMonths = len(months)
	}
	j.ReportedMonths = reportedMonths

	if done {
		j.Status = DoneOnTime
		if d.HasDue() {
			if last := effectiveDue(in.work, d.Due); j.DoneOn.After(last) {
				j.Status = DoneLate
				j.DaysLate = workingDaysAfter(in.work, last, j.DoneOn)
			}
		}
		return j
	}
	j.Pending = false
	if d.HasDue() {
		last := effectiveDue(in.work, d.Due)
		switch {
		case in.asOf.After(last):
			j.Status = Overdue
			j.DaysLate = workingDaysAfter(in.work, last, in.asOf)
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

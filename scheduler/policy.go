package scheduler

import (
	"cmp"
	"slices"
	"strconv"
	"time"

	"github.com/chanhlo/planbot/calendar"
	"github.com/chanhlo/planbot/plan"
)

// Policy says when reminders go out. It is pure: given a plan, what the
// units have reported and a window of time, Due lists the reminders that
// fall in the window, the same list every time.
type Policy struct {
	// At is the time of day reminders go out.
	At calendar.TimeOfDay
	// BeforeDays are the working days before the due date to remind on.
	BeforeDays []int
	// OverdueEveryDays repeats the overdue notice every this many calendar
	// days after the first one (the working day after the due date),
	// moved onto working days; 0 sends the first notice only.
	OverdueEveryDays int
	// EscalateAfterDays: once a unit has let this many full working days
	// pass after the due date without reporting "done", the secretariat
	// is told on the next working day; 0 disables escalation.
	EscalateAfterDays int
	// ReportDay is the day of the month on which report requests go out
	// (moved to the previous working day): for recurring tasks, and each
	// month for dated and range tasks under way.
	ReportDay int
	// ChaserAfterDays: working days after the request before units that
	// have not reported are chased; 0 disables chasers.
	ChaserAfterDays int
	// Office bounds when messages may go out.
	Office calendar.OfficeHours
}

// DefaultPolicy is planbot's default policy (configs.Default's reminders).
func DefaultPolicy() Policy {
	return Policy{
		At:                calendar.TimeOf(8, 0),
		BeforeDays:        []int{7, 3, 1},
		OverdueEveryDays:  7,
		EscalateAfterDays: 3,
		ReportDay:         18,
		ChaserAfterDays:   2,
		Office:            calendar.DefaultOfficeHours,
	}
}

// Status tells the policy what units have reported. The runner builds it
// from the progress store; the preview uses NoReports.
type Status interface {
	// Done reports whether the unit's latest report on the task says it
	// is done (and the secretariat has not returned it).
	Done(planID int64, code, unit string) bool
	// Reported reports whether the unit reported on the task for the
	// period (for a quarter or a year: in any of its months).
	Reported(planID int64, code, unit string, p plan.Period) bool
}

// NoReports is the Status of a plan nobody has reported on.
var NoReports Status = noReports{}

type noReports struct{}

func (noReports) Done(int64, string, string) bool                  { return false }
func (noReports) Reported(int64, string, string, plan.Period) bool { return false }

// kindRank orders kinds as the preview lists them.
var kindRank = map[plan.ReminderKind]int{
	plan.RemindBefore:        0,
	plan.RemindDue:           1,
	plan.RemindOverdue:       2,
	plan.RemindEscalation:    3,
	plan.RemindStart:         4,
	plan.RemindReportRequest: 5,
	plan.RemindChaser:        6,
}

// KindRank returns k's place in the order before, due, overdue,
// escalation, start, report_request, chaser.
func KindRank(k plan.ReminderKind) int {
	if r, ok := kindRank[k]; ok {
		return r
	}
	return len(kindRank)
}

// SortReminders sorts by time, then kind (KindRank); reminders equal in
// both keep their order (the plan's task order, then unit order).
func SortReminders(rs []plan.Reminder) {
	slices.SortStableFunc(rs, func(a, b plan.Reminder) int {
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		return cmp.Compare(KindRank(a.Kind), KindRank(b.Kind))
	})
}

// EffectiveDue is the day a deadline is reminded on: due itself when it
// is a working day, else the working day before it (30/4/2023, a Sunday
// and a holiday, becomes Friday 28/4/2023).
func EffectiveDue(cal *calendar.Calendar, due plan.Date) plan.Date {
	if cal.IsWorkingDay(due) {
		return due
	}
	return cal.PrevWorkingDay(due)
}

// Due returns the reminders of p due in [from, to), sorted by SortReminders.
//
// The rules, for each task:
//
//   - date and range tasks: the lead and executing units (Task.Responsible)
//     get a "before" reminder BeforeDays working days before the effective
//     due date (EffectiveDue) and a "due" reminder on it; supporting units
//     (every plan unit when SupportAll) get the due-day notice only. A unit
//     that has reported the task done gets nothing more; supporting units
//     stop once every responsible unit has.
//   - overdue: each responsible unit not done gets an "overdue" notice on
//     the working day after the due date, then every OverdueEveryDays
//     calendar days (each moved to the next working day), and after
//     EscalateAfterDays full working days overdue one "escalation" for
//     the secretariat, which names the late unit in Reminder.Unit.
//   - range tasks also get a "start" notice on the start date; "before"
//     reminders that would fall before the start are skipped.
//   - recurring tasks: a "report_request" for each period (month for
//     ongoing and monthly tasks, quarter, year) on ReportDay of the
//     period's last month, moved to the previous working day, and a
//     "chaser" ChaserAfterDays working days later; each only to
//     responsible units that have not reported for the period yet.
//     Periods before the deadline's Start, and outside the plan's year
//     when the plan has one, are skipped.
//   - dated and range tasks under way are reported monthly too: the
//     standing body compiles every task's results each month (section V
//     of the plan). A responsible unit not done gets the month's
//     "report_request" on the report day when the task has started by the
//     month's end (a range's Start; a date task has no start) and its
//     effective due date is not before the request day, and the "chaser"
//     when it falls on or before the effective due date. Past the due
//     date the overdue notices and the escalation ask for the same "done"
//     report, so a request would only repeat them. Months before the
//     plan's year get nothing.
//   - conditional and open tasks get nothing (see Waiting).
//
// Occurrence is the due date for due, overdue and escalation reminders
// ("2023-04-30"; for overdue the nominal date of the notice), the due date
// and the day count for before ("2023-04-30/7"), the start date for start
// and the period key for report requests and chasers ("2023-04"). Every
// reminder is on a working day inside office hours: before and due
// reminders move earlier when At falls outside them, the others later.
func (pol Policy) Due(cal *calendar.Calendar, p *plan.Plan, st Status, from, to time.Time) []plan.Reminder {
	if st == nil {
		st = NoReports
	}
	// A report day asks three reminders or so a task; sized for that,
	// the list is not grown a dozen times.
	g := gen{pol: pol, cal: cal, p: p, st: st, from: from, to: to, out: make([]plan.Reminder, 0, 2*len(p.Tasks))}
	for i := range p.Tasks {
		t := &p.Tasks[i]
		switch t.Deadline.Kind {
		case plan.DeadlineDate, plan.DeadlineRange:
			if t.Deadline.HasDue() {
				g.dated(t)
				g.datedReports(t)
			}
		case plan.DeadlineRecurring, plan.DeadlineOpen:
			// A deadline the importer could not read: the unit reports
			// monthly until the secretariat sets one.
			g.recurring(t)
		}
	}
	SortReminders(g.out)
	return g.out
}

// Waiting returns the tasks of p that get no reminders because they wait
// for a condition ("Sau khi …", "Khi có hướng dẫn …"), in plan order.
// The secretariat gives them a date with /sethan.
func Waiting(p *plan.Plan) []*plan.Task {
	var out []*plan.Task
	for i := range p.Tasks {
		t := &p.Tasks[i]
		switch {
		case t.Deadline.Kind == plan.DeadlineConditional,
			(t.Deadline.Kind == plan.DeadlineDate || t.Deadline.Kind == plan.DeadlineRange) && !t.Deadline.HasDue():
			out = append(out, t)
		}
	}
	return out
}

// Undated returns the tasks of p whose deadline the importer could not
// read ("chưa có thời hạn"), in plan order: their units report monthly,
// and the secretariat is asked each week to set the date.
func Undated(p *plan.Plan) []*plan.Task {
	var out []*plan.Task
	for i := range p.Tasks {
		if p.Tasks[i].Deadline.Kind == plan.DeadlineOpen {
			out = append(out, &p.Tasks[i])
		}
	}
	return out
}

type gen struct {
	pol      Policy
	cal      *calendar.Calendar
	p        *plan.Plan
	st       Status
	from, to time.Time
	out      []plan.Reminder
	// periodsBuf is periods' result, reused task after task.
	periodsBuf []plan.Period
}

// earlier reports whether a reminder of kind k moves earlier (before the
// deadline it announces) when its time falls outside office hours.
func earlier(k plan.ReminderKind) bool { return k == plan.RemindBefore || k == plan.RemindDue }

// add plans a reminder for day d at the policy's time, moved into office
// hours, if it falls in the window.
func (g *gen) add(t *plan.Task, unit string, k plan.ReminderKind, occ string, d plan.Date) {
	if at, ok := g.in(k, d); ok {
		g.addAt(t, unit, k, occ, at)
	}
}

// in returns when a reminder of kind k for day d goes out, and whether
// that is in the window.
func (g *gen) in(k plan.ReminderKind, d plan.Date) (time.Time, bool) {
	at := g.cal.Adjust(g.pol.At.On(d, g.cal.Location()), g.pol.Office, earlier(k))
	return at, !at.Before(g.from) && at.Before(g.to)
}

// addAt plans a reminder at a time in the window (from in).
func (g *gen) addAt(t *plan.Task, unit string, k plan.ReminderKind, occ string, at time.Time) {
	g.out = append(g.out, plan.Reminder{
		PlanID: g.p.ID, TaskCode: t.Code, Unit: unit, Kind: k, Occurrence: occ, At: at,
	})
}

// supporters returns the task's supporting units that are not also
// responsible, in plan order for SupportAll.
func (g *gen) supporters(t *plan.Task, responsible []string) []string {
	names := t.Support
	if t.SupportAll {
		names = append(append([]string(nil), t.Support...), g.p.Units...)
	}
	var out []string
	for _, u := range names {
		if u != "" && !slices.Contains(responsible, u) && !slices.Contains(out, u) {
			out = append(out, u)
		}
	}
	return out
}

func (g *gen) dated(t *plan.Task) {
	dl := t.Deadline
	due := dl.Due
	eff := EffectiveDue(g.cal, due)
	resp := t.Responsible()
	allDone := len(resp) > 0
	for _, u := range resp {
		if g.st.Done(g.p.ID, t.Code, u) {
			continue
		}
		allDone = false
		if dl.Kind == plan.DeadlineRange && !dl.Start.IsZero() && !dl.Start.After(eff) {
			start := dl.Start
			if !g.cal.IsWorkingDay(start) {
				start = g.cal.NextWorkingDay(start)
			}
			if !start.After(eff) {
				g.add(t, u, plan.RemindStart, dl.Start.String(), start)
			}
		}
		for i, n := range g.pol.BeforeDays {
			if n <= 0 || slices.Contains(g.pol.BeforeDays[:i], n) {
				continue
			}
			d := g.cal.AddWorkingDays(eff, -n)
			if dl.Kind == plan.DeadlineRange && !dl.Start.IsZero() && d.Before(dl.Start) {
				continue
			}
			g.add(t, u, plan.RemindBefore, due.String()+"/"+strconv.Itoa(n), d)
		}
		g.add(t, u, plan.RemindDue, due.String(), eff)
		g.overdue(t, u, due)
	}
	if allDone {
		return
	}
	for _, u := range g.supporters(t, resp) {
		g.add(t, u, plan.RemindDue, due.String(), eff)
	}
}

func (g *gen) overdue(t *plan.Task, unit string, due plan.Date) {
	first := g.cal.NextWorkingDay(due)
	lastDay := plan.DateOf(g.to.In(g.cal.Location())).AddDays(1)
	for nominal := first; !nominal.After(lastDay); {
		d := nominal
		if !g.cal.IsWorkingDay(d) {
			d = g.cal.NextWorkingDay(d)
		}
		g.add(t, unit, plan.RemindOverdue, nominal.String(), d)
		if g.pol.OverdueEveryDays <= 0 {
			break
		}
		nominal = nominal.AddDays(g.pol.OverdueEveryDays)
	}
	if n := g.pol.EscalateAfterDays; n > 0 {
		g.add(t, unit, plan.RemindEscalation, due.String(), g.cal.AddWorkingDays(due, n+1))
	}
}

// periods returns the reporting periods of a recurrence that may have a
// request or chaser in the window. The slice is reused by the next call.
func (g *gen) periods(r plan.Recurrence) []plan.Period {
	loc := g.cal.Location()
	// A request is on ReportDay of the period's last month; a chaser
	// follows within a few weeks at most (Tết). Look one period around.
	first := plan.DateOf(g.from.In(loc)).AddDays(-45)
	last := plan.DateOf(g.to.In(loc)).AddDays(45)
	out := g.periodsBuf[:0]
	for d := plan.NewDate(first.Year, first.Month, 1); !d.After(last); d = plan.NewDate(d.Year, d.Month+1, 1) {
		var p plan.Period
		switch r {
		case plan.RecurQuarterly:
			if d.Month%3 != 0 {
				continue
			}
			p = plan.Period{Kind: plan.PeriodQuarter, Year: d.Year, N: int(d.Month) / 3}
		case plan.RecurYearly:
			if d.Month != time.December {
				continue
			}
			p = plan.Period{Kind: plan.PeriodYear, Year: d.Year}
		default:
			p = plan.MonthOf(d)
		}
		out = append(out, p)
	}
	g.periodsBuf = out
	return out
}

// requestDay is the day the report request of period per goes out:
// ReportDay of the period's last month, or the working day before it.
func (g *gen) requestDay(per plan.Period) plan.Date {
	lastMonth := per.End()
	day := g.pol.ReportDay
	if day < 1 || day > 28 {
		day = 18
	}
	req := plan.NewDate(lastMonth.Year, lastMonth.Month, day)
	if !g.cal.IsWorkingDay(req) {
		req = g.cal.PrevWorkingDay(req)
	}
	return req
}

// datedReports plans the monthly report requests and chasers of a dated
// or range task for its responsible units that are not done.
func (g *gen) datedReports(t *plan.Task) {
	dl := t.Deadline
	eff := EffectiveDue(g.cal, dl.Due)
	resp := t.Responsible()
	for _, per := range g.periods(plan.RecurMonthly) {
		if g.p.Year != 0 && per.End().Year < g.p.Year {
			continue
		}
		if dl.Kind == plan.DeadlineRange && !dl.Start.IsZero() && per.End().Before(dl.Start) {
			continue // not started yet
		}
		req := g.requestDay(per)
		if eff.Before(req) {
			continue // past due: the overdue notices ask for it
		}
		reqAt, reqIn := g.in(plan.RemindReportRequest, req)
		var chaseAt time.Time
		chaseIn := false
		if n := g.pol.ChaserAfterDays; n > 0 {
			if c := g.cal.AddWorkingDays(req, n); !c.After(eff) {
				chaseAt, chaseIn = g.in(plan.RemindChaser, c)
			}
		}
		g.periodReports(t, resp, per, reqAt, reqIn, chaseAt, chaseIn, true)
	}
}

// periodReports plans the report request and chaser of period per for
// the units in resp that have not reported for it (nor reported the task
// done, when done counts), those of the two that fall in the window. A
// tick's window holds one request day at most: the other periods cost
// nothing, not even a look at the reports.
func (g *gen) periodReports(t *plan.Task, resp []string, per plan.Period, reqAt time.Time, reqIn bool, chaseAt time.Time, chaseIn, done bool) {
	if !reqIn && !chaseIn {
		return
	}
	occ := per.String()
	for _, u := range resp {
		if (done && g.st.Done(g.p.ID, t.Code, u)) || g.st.Reported(g.p.ID, t.Code, u, per) {
			continue
		}
		if reqIn {
			g.addAt(t, u, plan.RemindReportRequest, occ, reqAt)
		}
		if chaseIn {
			g.addAt(t, u, plan.RemindChaser, occ, chaseAt)
		}
	}
}

func (g *gen) recurring(t *plan.Task) {
	resp := t.Responsible()
	for _, per := range g.periods(t.Deadline.Recurrence) {
		if g.p.Year != 0 && per.End().Year != g.p.Year {
			continue
		}
		if !t.Deadline.Start.IsZero() && per.End().Before(t.Deadline.Start) {
			continue
		}
		req := g.requestDay(per)
		reqAt, reqIn := g.in(plan.RemindReportRequest, req)
		var chaseAt time.Time
		chaseIn := false
		if n := g.pol.ChaserAfterDays; n > 0 {
			chaseAt, chaseIn = g.in(plan.RemindChaser, g.cal.AddWorkingDays(req, n))
		}
		g.periodReports(t, resp, per, reqAt, reqIn, chaseAt, chaseIn, t.Deadline.Kind == plan.DeadlineOpen)
	}
}

package summary

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/texts"
)

// Options say what to summarise and how to judge.
type Options struct {
	Period plan.Period
	// AsOf is the day statuses are judged on; zero means the last day of
	// the period. A day after the period's end is clamped to it.
	AsOf plan.Date
	// Loc is the zone report times are read in (Asia/Ho_Chi_Minh).
	Loc *time.Location
	// Workdays tells working days; nil means WeekdaysOnly.
	Workdays Workdays
	// DueSoonDays is how many working days before the due day a task
	// counts as due soon; 0 means 3.
	DueSoonDays int
	// Name is how the plan is called in the title ("Kế hoạch Đề án 06");
	// empty means PlanName(p).
	Name string
	// Unreachable are the units whose officer blocked the bot;
	// Unregistered those with nobody registered (from the officer store:
	// Source fills them). They are named apart from units that simply did
	// not report.
	Unreachable, Unregistered []string
}

// Summary is a plan's state for a period.
type Summary struct {
	// Loc is the zone dates are told in.
	Loc    *time.Location
	Name   string
	PlanID int64
	Period plan.Period
	AsOf   plan.Date
	// Totals counts tasks by status; every status has an entry.
	Totals map[Status]int
	// Pending counts finished tasks whose "done" awaits confirmation.
	Pending  int
	Tasks    []TaskRow
	Sections []SectionRow
	Units    []UnitRow
	// NotReported are the units from which a report was due in the
	// period and none came, in plan order.
	NotReported []string
	// Unreachable and Unregistered are Options' lists, for the units of
	// the plan.
	Unreachable, Unregistered []string
	Blockers                  []Blocker
}

// TaskRow is one task's state.
type TaskRow struct {
	Task    plan.Task
	Status  Status
	Pending bool
	// DaysLate is the largest of its units' (working days).
	DaysLate int
	// Units are the judgements of each responsible unit, in plan order.
	Units []Judgement
	// Latest is the newest report by any responsible unit.
	Latest *plan.Progress
	// TargetMet compares the latest figure with the first target: nil
	// when the task has no target or no comparable figure.
	TargetMet *bool
	// Trend is Latest's unit's figure at the end of each of the last
	// months up to the period's (at most three, oldest first), when they
	// carry a percentage: "55% → 62% → 68%".
	Trend []plan.Figure
}

// LateUnits returns the units for which the task is overdue or was
// finished late in the period (Judgement.Late).
func (r *TaskRow) LateUnits() []string {
	var out []string
	for _, j := range r.Units {
		if j.Late() {
			out = append(out, j.Unit)
		}
	}
	return out
}

// SectionRow counts a section's tasks by status.
type SectionRow struct {
	Number string
	Title  string
	Tasks  int
	Counts map[Status]int
}

// UnitRow is one unit's record for the period.
type UnitRow struct {
	Unit string
	// Assigned counts the tasks the unit answers for (lead or executing).
	Assigned int
	// Expected counts those a report was due on; Reported those reported
	// on in the period.
	Expected int
	Reported int
	// OnTime counts done on time, open within the deadline and recurring
	// tasks reported; Overdue counts open past the due day and done late.
	OnTime  int
	Overdue int
	// ExpectedMonths and ReportedMonths are task-months, the base of the
	// reporting rate.
	ExpectedMonths int
	ReportedMonths int
	// Statuses are the unit's judgements, in plan order.
	Statuses []Judgement
}

// ReportingRate is reported over expected task-months, 0–1, and false when
// nothing was expected.
func (u *UnitRow) ReportingRate() (float64, bool) {
	if u.ExpectedMonths == 0 {
		return 0, false
	}
	return float64(u.ReportedMonths) / float64(u.ExpectedMonths), true
}

// Blocker is a difficulty an officer reported, in their words.
type Blocker struct {
	Code string
	Unit string
	Text string
	At   time.Time
}

// PlanName names a plan briefly for the titles of summaries:
// texts.PlanShortName ("Kế hoạch Đề án 06").
func PlanName(p *plan.Plan) string { return texts.PlanShortName(p) }

// Compute judges every task of p for opt.Period from the reports (any
// order, any periods: those after the day judged are ignored).
func Compute(p *plan.Plan, reports []plan.Progress, opt Options) *Summary {
	if opt.Workdays == nil {
		opt.Workdays = WeekdaysOnly{}
	}
	if opt.DueSoonDays <= 0 {
		opt.DueSoonDays = 3
	}
	if opt.Loc == nil {
		opt.Loc = time.UTC
	}
	asOf := opt.AsOf
	if asOf.IsZero() || asOf.After(opt.Period.End()) {
		asOf = opt.Period.End()
	}
	name := opt.Name
	if name == "" {
		name = PlanName(p)
	}
	s := &Summary{Loc: opt.Loc, Name: name, PlanID: p.ID, Period: opt.Period, AsOf: asOf, Totals: map[Status]int{}}
	for _, st := range Statuses {
		s.Totals[st] = 0
	}

	var since plan.Date
	if !p.CreatedAt.IsZero() {
		since = dayOf(p.CreatedAt, opt.Loc)
	}

	// Reports known as of asOf, by task and unit, oldest first: those
	// sent by asOf and, once the period is over, those answering for a
	// month of the period sent after it ended (a unit answering April's
	// request on 4/5).
	over := asOf == opt.Period.End()
	type key struct{ code, unit string }
	// The known reports are grouped by task and unit, oldest first, by
	// sorting their indices and copying them once into one slice that
	// the groups share: appending each report, a large struct, to its
	// group's own slice was a third of Compute in a province's roll-up.
	// The sort is stable, so reports sent at the same instant with the
	// same id keep the order they were given in.
	known := make([]int, 0, len(reports))
	for i := range reports {
		r := &reports[i]
		if r.PlanID != 0 && p.ID != 0 && r.PlanID != p.ID {
			continue
		}
		if dayOf(r.ReportedAt, opt.Loc).After(asOf) && !(over && periodWithin(r.Period, opt.Period)) {
			continue
		}
		known = append(known, i)
	}
	slices.SortStableFunc(known, func(i, j int) int {
		a, b := &reports[i], &reports[j]
		if c := cmp.Compare(a.TaskCode, b.TaskCode); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Unit, b.Unit); c != 0 {
			return c
		}
		if c := a.ReportedAt.Compare(b.ReportedAt); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	sorted := make([]plan.Progress, len(known))
	for n, i := range known {
		sorted[n] = reports[i]
	}
	by := map[key][]plan.Progress{}
	for start := 0; start < len(sorted); {
		k := key{sorted[start].TaskCode, sorted[start].Unit}
		end := start + 1
		for end < len(sorted) && sorted[end].TaskCode == k.code && sorted[end].Unit == k.unit {
			end++
		}
		by[k] = sorted[start:end:end]
		start = end
	}
	tasks := make(map[string]*plan.Task, len(p.Tasks))
	for i := range p.Tasks {
		if _, ok := tasks[p.Tasks[i].Code]; !ok {
			tasks[p.Tasks[i].Code] = &p.Tasks[i]
		}
	}
	started := map[string]bool{} // conditional tasks whose condition is met
	for k, rs := range by {
		// A condition is met when a responsible unit reports anything
		// but "chưa thực hiện".
		if t := tasks[k.code]; t != nil && (slices.Contains(t.Lead, k.unit) || slices.Contains(t.Execute, k.unit)) {
			for _, r := range rs {
				if r.Kind != plan.ProgressNotStarted {
					started[k.code] = true
				}
			}
		}
	}

	units := map[string]*UnitRow{}
	var unitOrder []string
	unitRow := func(u string) *UnitRow {
		if r, ok := units[u]; ok {
			return r
		}
		r := &UnitRow{Unit: u}
		units[u] = r
		unitOrder = append(unitOrder, u)
		return r
	}
	for _, u := range p.Units {
		unitRow(u)
	}
	sections := map[string]*SectionRow{}
	for _, sec := range p.Sections {
		sr := &SectionRow{Number: sec.Number, Title: sec.Title, Counts: map[Status]int{}}
		sections[sec.Number] = sr
		s.Sections = append(s.Sections, *sr)
	}

	// Rows are large: growing their slices by appending was a sixth of
	// what Compute allocates.
	s.Tasks = make([]TaskRow, 0, len(p.Tasks))
	for i := range p.Tasks {
		t := &p.Tasks[i]
		row := TaskRow{Task: *t}
		responsible := t.Responsible()
		row.Units = make([]Judgement, 0, len(responsible))
		for _, u := range responsible {
			rs := by[key{t.Code, u}]
			j := judge(judgeInput{
				task: t, unit: u, period: opt.Period, asOf: asOf, loc: opt.Loc,
				work: opt.Workdays, soon: opt.DueSoonDays, since: since, reports: rs,
				conditionMet: started[t.Code],
			})
			if row.Status == "" || j.Status.Worse(row.Status) {
				row.Status = j.Status
			}
			row.DaysLate = max(row.DaysLate, j.DaysLate)
			row.Units = append(row.Units, j)

			ur := unitRow(u)
			ur.Assigned++
			ur.Statuses = append(ur.Statuses, j)
			if j.Expected {
				ur.Expected++
				ur.ExpectedMonths += j.ExpectedMonths
				ur.ReportedMonths += j.ReportedMonths
			}
			if j.Reported() {
				ur.Reported++
			}
			if j.Status.OnTime() {
				ur.OnTime++
			}
			if j.Late() {
				ur.Overdue++
			}
		}
		row.Latest = weakestFigure(t, row.Units)
		// Blockers of the period from every unit that reported on the
		// task (lead, executing or supporting): each unit's latest report
		// of the period, when it names a difficulty.
		for _, u := range reportingUnits(t, p.Units, func(u string) bool { return len(by[key{t.Code, u}]) > 0 }) {
			rs := by[key{t.Code, u}]
			for k := len(rs) - 1; k >= 0; k-- {
				r := rs[k]
				if !periodWithin(reportPeriod(r, opt.Loc), opt.Period) {
					continue
				}
				if r.Blocker != "" {
					s.Blockers = append(s.Blockers, Blocker{Code: t.Code, Unit: u, Text: r.Blocker, At: r.ReportedAt})
				}
				break
			}
		}
		if row.Status == "" {
			// A task with no responsible unit cannot be judged: it waits
			// for the secretariat to assign it.
			row.Status = Waiting
		}
		if row.Status.Done() {
			for _, j := range row.Units {
				row.Pending = row.Pending || j.Pending
			}
			if row.Pending {
				s.Pending++
			}
		}
		row.TargetMet = TargetMet(t, row.Latest)
		if row.Latest != nil {
			row.Trend = trend(by[key{t.Code, row.Latest.Unit}], opt.Period, asOf, opt.Loc)
		}
		s.Totals[row.Status]++
		if sr, ok := sections[t.Section]; ok {
			sr.Tasks++
			sr.Counts[row.Status]++
		}
		s.Tasks = append(s.Tasks, row)
	}
	for i := range s.Sections {
		s.Sections[i] = *sections[s.Sections[i].Number]
	}
	for _, u := range unitOrder {
		ur := units[u]
		if ur.Assigned == 0 {
			continue
		}
		s.Units = append(s.Units, *ur)
		switch {
		case slices.Contains(opt.Unregistered, u):
			s.Unregistered = append(s.Unregistered, u)
		case slices.Contains(opt.Unreachable, u):
			s.Unreachable = append(s.Unreachable, u)
		case ur.Expected > 0 && ur.Reported == 0:
			s.NotReported = append(s.NotReported, u)
		}
	}
	return s
}

// weakestFigure is what "Kết quả" shows and the target is judged on: of
// the responsible units' latest figures (Judgement.Figure, a blocker or
// "đang thực hiện" does not hide the figure before it), the lowest
// percentage — a task is only as far along as its slowest unit. Units
// without a figure are left out; with no figure at all it is the newest
// report of any responsible unit, or nil.
func weakestFigure(t *plan.Task, units []Judgement) *plan.Progress {
	var weakest, newest *plan.Progress
	for _, j := range units {
		if f := j.Figure; f != nil && (weakest == nil || f.Percent < weakest.Percent) {
			weakest = f
		}
		if j.Latest != nil && (newest == nil || j.Latest.ReportedAt.After(newest.ReportedAt)) {
			newest = j.Latest
		}
	}
	if weakest != nil {
		return weakest
	}
	return newest
}

// reportingUnits lists the units with reports on t (has), responsible
// units first, then supporting ones, then any other (the plan's order).
func reportingUnits(t *plan.Task, all []string, has func(string) bool) []string {
	var out []string
	add := func(us []string) {
		for _, u := range us {
			if has(u) && !slices.Contains(out, u) {
				out = append(out, u)
			}
		}
	}
	add(t.Responsible())
	add(t.Support)
	add(all)
	return out
}

// periodWithin reports whether the month m lies in p.
func periodWithin(m, p plan.Period) bool {
	return m.Kind != "" && p.Contains(m.Start())
}

// TargetMet compares a figure with the task's first target: nil when
// the task has no target, there is no figure, the figure is a returned
// "done", or the two cannot be compared (a count of another noun).
func TargetMet(t *plan.Task, latest *plan.Progress) *bool {
	if len(t.Targets) == 0 || latest == nil || latest.Confirm == plan.ConfirmReturned {
		return nil
	}
	tg := t.Targets[0]
	var met bool
	switch {
	case tg.Unit == "%" && latest.HasPercent():
		met = latest.Percent >= tg.Value
	case tg.Unit != "%" && latest.Total > 0 && strings.EqualFold(tg.Unit, latest.CountUnit):
		// A count, or a "done" that kept its count (1.500/1.500 hồ sơ).
		met = latest.Done >= tg.Value
	default:
		return nil
	}
	return &met
}

// Overdue returns the tasks open past their due day, most late first.
func (s *Summary) Overdue() []TaskRow {
	var out []TaskRow
	for _, r := range s.Tasks {
		if r.Status == Overdue {
			out = append(out, r)
		}
	}
	slices.SortStableFunc(out, func(a, b TaskRow) int { return b.DaysLate - a.DaysLate })
	return out
}

// DueSoon returns the tasks due within the due-soon window.
func (s *Summary) DueSoon() []TaskRow {
	var out []TaskRow
	for _, r := range s.Tasks {
		if r.Status == DueSoon {
			out = append(out, r)
		}
	}
	return out
}

// trendMonths is how many months a trend shows.
const trendMonths = 3

// trend returns the unit's figure at the end of each of the last months
// up to the period's last month (or asOf's), oldest first, when it has a
// percentage; months with no such report are left out. rs are the unit's
// reports on one task, oldest first.
func trend(rs []plan.Progress, period plan.Period, asOf plan.Date, loc *time.Location) []plan.Figure {
	last := plan.MonthOf(asOf)
	if end := plan.MonthOf(period.End()); end.Start().Before(last.Start()) {
		last = end
	}
	months := []plan.Period{last}
	for len(months) < trendMonths {
		months = append([]plan.Period{months[0].Prev()}, months...)
	}
	var out []plan.Figure
	for _, m := range months {
		var f *plan.Figure
		for k := range rs {
			if reportPeriod(rs[k], loc) == m && rs[k].HasPercent() {
				f = &rs[k].Figure
			}
		}
		if f != nil {
			out = append(out, *f)
		}
	}
	return out
}

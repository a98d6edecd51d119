package summary

import (
	"slices"
	"time"

	"github.com/chanhlo/planbot/plan"
)

// A summary judges each task and unit on a handful of reports: the
// latest, the latest figure, the run of "done" that dates a finished
// task, whether the task ever began, and the reports answering for the
// months it looks at (the period's, the reporting slots of recurring
// tasks, the trend's three months). Reading a plan's whole history to
// find them made a ward's summary cost more every month and a province's
// roll-up mostly a matter of loading rows (issue 15: ~90% of the time).
// scopeOf names what Compute reads, so that a store can select it in
// the database (plan.SummaryProgressStore); Compute given the scope's
// reports returns exactly what it returns given the whole history:
//
//   - the latest report, the latest figure and the latest report that is
//     not "chưa thực hiện" are the scope's by definition;
//   - the run of standing "done" reports ending with the latest is kept
//     whole, with the report before it, so walking back from the latest
//     stops where it stopped;
//   - reportedMonths, blockers and trend look only at reports whose
//     period starts in a month of Periods, all of which are kept.

// scopeOf returns what Compute reads of p's history for opt.
func scopeOf(p *plan.Plan, opt Options) plan.SummaryScope {
	loc := opt.Loc
	if loc == nil {
		loc = time.UTC
	}
	// As Compute: a missing or later day is the period's last.
	asOf := opt.AsOf
	if asOf.IsZero() || asOf.After(opt.Period.End()) {
		asOf = opt.Period.End()
	}
	next := asOf.AddDays(1)
	sc := plan.SummaryScope{OrgID: p.OrgID, PlanID: p.ID, Before: time.Date(next.Year, next.Month, next.Day, 0, 0, 0, 0, loc)}
	periodMonths := opt.Period.Months()
	if asOf == opt.Period.End() {
		// Once the period is over, a report answering for one of its
		// months counts whenever it came.
		sc.Late = periodKeys(periodMonths)
	}

	months := slices.Clone(periodMonths)
	// The reporting slots of recurring tasks reported quarterly or yearly
	// are the quarters or years around the period's months.
	quarterly, yearly := false, false
	for i := range p.Tasks {
		if d := p.Tasks[i].Deadline; d.Kind == plan.DeadlineRecurring {
			quarterly = quarterly || d.Recurrence == plan.RecurQuarterly
			yearly = yearly || d.Recurrence == plan.RecurYearly
		}
	}
	for _, m := range periodMonths {
		if quarterly {
			months = append(months, plan.Period{Kind: plan.PeriodQuarter, Year: m.Year, N: (m.N-1)/3 + 1}.Months()...)
		}
		if yearly {
			months = append(months, plan.Period{Kind: plan.PeriodYear, Year: m.Year}.Months()...)
		}
	}
	// The trend's months, as trend picks them.
	last := plan.MonthOf(asOf)
	if end := plan.MonthOf(opt.Period.End()); end.Start().Before(last.Start()) {
		last = end
	}
	for range trendMonths {
		months = append(months, last)
		last = last.Prev()
	}
	sc.Periods = periodKeys(months)
	return sc
}

// periodKeys returns the keys of every period (month, quarter, half,
// year) that starts in one of months: a report's period counts for a
// month when it starts in it. Sorted, without repeats.
func periodKeys(months []plan.Period) []string {
	var keys []string
	for _, m := range months {
		keys = append(keys, m.String())
		if (m.N-1)%3 == 0 {
			keys = append(keys, plan.Period{Kind: plan.PeriodQuarter, Year: m.Year, N: (m.N-1)/3 + 1}.String())
		}
		if (m.N-1)%6 == 0 {
			keys = append(keys, plan.Period{Kind: plan.PeriodHalf, Year: m.Year, N: (m.N-1)/6 + 1}.String())
		}
		if m.N == 1 {
			keys = append(keys, plan.Period{Kind: plan.PeriodYear, Year: m.Year}.String())
		}
	}
	slices.Sort(keys)
	return slices.Compact(keys)
}

package summary

import (
	"slices"
	"testing"
	"time"

	"github.com/chanhlo/planbot/plan"
)

// scopeOf names the months Compute looks at: the period's, the trend's,
// and the quarters or years of recurring tasks reported that often; late
// reports count only once the period is over.
func TestScopeOf(t *testing.T) {
	recurring := func(r plan.Recurrence) *plan.Plan {
		return &plan.Plan{ID: 3, OrgID: 2, Tasks: []plan.Task{
			{Code: "1", Deadline: plan.Deadline{Kind: plan.DeadlineDate, Due: plan.NewDate(2023, 6, 30)}},
			{Code: "2", Deadline: plan.Deadline{Kind: plan.DeadlineRecurring, Recurrence: r}},
		}}
	}
	may := plan.Month(2023, 5)
	for _, tc := range []struct {
		name       string
		p          *plan.Plan
		period     plan.Period
		asOf       plan.Date
		before     time.Time
		late, keys []string
	}{
		{"a month, as of its end", recurring(plan.RecurOngoing), may, plan.Date{},
			time.Date(2023, 6, 1, 0, 0, 0, 0, hcm), []string{"2023-05"}, []string{"2023-03", "2023-04", "2023-05", "2023-Q2"}},
		{"a month, as of a day after it", recurring(plan.RecurMonthly), may, plan.NewDate(2023, 7, 2),
			time.Date(2023, 6, 1, 0, 0, 0, 0, hcm), []string{"2023-05"}, []string{"2023-03", "2023-04", "2023-05", "2023-Q2"}},
		{"a month, as of a day inside it", recurring(plan.RecurOngoing), may, plan.NewDate(2023, 5, 20),
			time.Date(2023, 5, 21, 0, 0, 0, 0, hcm), nil, []string{"2023-03", "2023-04", "2023-05", "2023-Q2"}},
		{"a month, as of a day before it", recurring(plan.RecurOngoing), may, plan.NewDate(2023, 4, 20),
			time.Date(2023, 4, 21, 0, 0, 0, 0, hcm), nil, []string{"2023-02", "2023-03", "2023-04", "2023-05", "2023-Q2"}},
		{"a month of a plan with a quarterly task", recurring(plan.RecurQuarterly), may, plan.Date{},
			time.Date(2023, 6, 1, 0, 0, 0, 0, hcm), []string{"2023-05"}, []string{"2023-03", "2023-04", "2023-05", "2023-06", "2023-Q2"}},
		{"a month of a plan with a yearly task", recurring(plan.RecurYearly), may, plan.Date{},
			time.Date(2023, 6, 1, 0, 0, 0, 0, hcm), []string{"2023-05"},
			[]string{"2023", "2023-01", "2023-02", "2023-03", "2023-04", "2023-05", "2023-06", "2023-07", "2023-08", "2023-09", "2023-10", "2023-11", "2023-12", "2023-H1", "2023-H2", "2023-Q1", "2023-Q2", "2023-Q3", "2023-Q4"}},
		{"a quarter", recurring(plan.RecurOngoing), plan.Period{Kind: plan.PeriodQuarter, Year: 2023, N: 1}, plan.Date{},
			time.Date(2023, 4, 1, 0, 0, 0, 0, hcm), []string{"2023", "2023-01", "2023-02", "2023-03", "2023-H1", "2023-Q1"},
			[]string{"2023", "2023-01", "2023-02", "2023-03", "2023-H1", "2023-Q1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := scopeOf(tc.p, Options{Period: tc.period, AsOf: tc.asOf, Loc: hcm})
			if got.OrgID != 2 || got.PlanID != 3 {
				t.Errorf("organisation %d, plan %d; want 2, 3", got.OrgID, got.PlanID)
			}
			if !got.Before.Equal(tc.before) {
				t.Errorf("before %s, want %s", got.Before, tc.before)
			}
			if !slices.Equal(got.Late, tc.late) {
				t.Errorf("late %q, want %q", got.Late, tc.late)
			}
			if !slices.Equal(got.Periods, tc.keys) {
				t.Errorf("periods %q, want %q", got.Periods, tc.keys)
			}
		})
	}
}

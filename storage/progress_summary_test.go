package storage_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/storage"
	"github.com/chanhlo/planbot/storage/storagetest"
)

// SummaryProgress keeps, per task and unit, what plan.SummaryScope says
// and nothing else, oldest first.
func TestSummaryProgress(t *testing.T) {
	type rep struct {
		code, unit string
		kind       plan.ProgressKind
		confirm    plan.ConfirmState
		period     string // default: the month of at
		day        int    // of 2023, counted from 1 January
		plan       int64  // default: 1
	}
	jan, feb, mar, apr := 15, 46, 74, 105 // mid-month days
	before := func(day int) time.Time { return time.Date(2023, 1, day, 0, 0, 0, 0, time.UTC) }
	const a, b = "Công an phường", "Văn phòng phường"
	for _, tc := range []struct {
		name  string
		reps  []rep
		scope plan.SummaryScope // OrgID and PlanID: 1; Before: default after everything
		want  []int             // indexes into reps, oldest first
	}{
		{"the latest report",
			[]rep{{kind: plan.ProgressPercent, day: jan}, {kind: plan.ProgressPercent, day: feb}, {kind: plan.ProgressPercent, day: mar}},
			plan.SummaryScope{}, []int{2}},
		{"a run of done and the report before it",
			[]rep{{kind: plan.ProgressPercent, day: jan - 10}, {kind: plan.ProgressPercent, day: jan}, {kind: plan.ProgressDone, confirm: plan.ConfirmAccepted, day: feb}, {kind: plan.ProgressDone, confirm: plan.ConfirmPending, day: mar}},
			plan.SummaryScope{}, []int{1, 2, 3}},
		{"a history of nothing but done",
			[]rep{{kind: plan.ProgressDone, day: jan}, {kind: plan.ProgressDone, day: feb}},
			plan.SummaryScope{}, []int{0, 1}},
		{"a returned done ends the run",
			[]rep{{kind: plan.ProgressDone, day: jan}, {kind: plan.ProgressDone, confirm: plan.ConfirmReturned, day: feb}, {kind: plan.ProgressDone, day: mar}},
			plan.SummaryScope{}, []int{1, 2}},
		{"the figure behind a returned done",
			[]rep{{kind: plan.ProgressPercent, day: jan}, {kind: plan.ProgressPercent, day: feb}, {kind: plan.ProgressDone, confirm: plan.ConfirmReturned, day: mar}},
			plan.SummaryScope{}, []int{1, 2}},
		{"the figure behind newer words",
			[]rep{{kind: plan.ProgressCount, day: jan - 5}, {kind: plan.ProgressCount, day: jan}, {kind: plan.ProgressBlocked, day: feb}, {kind: plan.ProgressInProgress, day: mar}},
			plan.SummaryScope{}, []int{1, 3}},
		{"a task begun long ago",
			[]rep{{kind: plan.ProgressBlocked, day: jan - 5}, {kind: plan.ProgressInProgress, day: jan}, {kind: plan.ProgressNotStarted, day: feb}, {kind: plan.ProgressNotStarted, day: mar}},
			plan.SummaryScope{}, []int{1, 3}},
		{"every report of the periods",
			[]rep{{kind: plan.ProgressPercent, day: jan}, {kind: plan.ProgressPercent, day: feb}, {kind: plan.ProgressPercent, day: feb + 1}, {kind: plan.ProgressPercent, period: "2023-Q1", day: feb + 2}, {kind: plan.ProgressPercent, day: mar}, {kind: plan.ProgressPercent, day: apr}},
			plan.SummaryScope{Periods: []string{"2023-02", "2023-Q1"}}, []int{1, 2, 3, 5}},
		{"reports sent after Before are not known",
			[]rep{{kind: plan.ProgressPercent, day: jan}, {kind: plan.ProgressPercent, period: "2023-01", day: feb}, {kind: plan.ProgressPercent, day: feb + 1}},
			plan.SummaryScope{Before: before(feb)}, []int{0}},
		{"late reports for a period that is over are known",
			[]rep{{kind: plan.ProgressPercent, day: jan}, {kind: plan.ProgressPercent, period: "2023-01", day: feb}, {kind: plan.ProgressPercent, day: feb + 1}},
			plan.SummaryScope{Before: before(feb), Late: []string{"2023-01"}}, []int{1}},
		{"reports at one instant: the id decides",
			[]rep{{kind: plan.ProgressPercent, day: jan}, {kind: plan.ProgressPercent, day: jan}},
			plan.SummaryScope{}, []int{1}},
		{"each task and unit apart",
			[]rep{{kind: plan.ProgressPercent, day: jan}, {unit: b, kind: plan.ProgressPercent, day: jan + 1}, {code: "2.a", kind: plan.ProgressPercent, day: jan + 2},
				{kind: plan.ProgressPercent, day: feb}, {unit: b, kind: plan.ProgressPercent, day: feb + 1}, {code: "2.a", kind: plan.ProgressPercent, day: feb + 2}},
			plan.SummaryScope{}, []int{3, 4, 5}},
		{"oldest first, whatever order they were stored in",
			[]rep{{code: "2.a", kind: plan.ProgressPercent, day: mar}, {unit: b, kind: plan.ProgressPercent, day: jan}, {kind: plan.ProgressPercent, day: feb}},
			plan.SummaryScope{}, []int{1, 2, 0}},
		{"other plans are left out",
			[]rep{{kind: plan.ProgressPercent, day: jan}, {kind: plan.ProgressPercent, day: feb, plan: 2}},
			plan.SummaryScope{}, []int{0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			storagetest.ForEachEngine(t, func(t *testing.T, db *storage.DB) {
				ctx := context.Background()
				ps := make([]plan.Progress, len(tc.reps))
				for i, r := range tc.reps {
					at := time.Date(2023, 1, r.day, 2, 0, 0, 0, time.UTC)
					per := plan.MonthOf(plan.DateOf(at))
					if r.period != "" {
						var err error
						if per, err = plan.ParsePeriod(r.period); err != nil {
							t.Fatal(err)
						}
					}
					code, unit, pl := "1.a", a, int64(1)
					if r.code != "" {
						code = r.code
					}
					if r.unit != "" {
						unit = r.unit
					}
					if r.plan != 0 {
						pl = r.plan
					}
					ps[i] = plan.Progress{PlanID: pl, TaskCode: code, Unit: unit, Period: per, ReportedAt: at, Confirm: r.confirm,
						Figure: plan.Figure{Kind: r.kind, Percent: float64(i), Note: fmt.Sprint(i)}}
				}
				if err := db.AddProgressBatch(ctx, ps); err != nil {
					t.Fatal(err)
				}
				sc := tc.scope
				sc.OrgID, sc.PlanID = plan.DefaultOrg, 1
				if sc.Before.IsZero() {
					sc.Before = before(365)
				}
				got, err := db.SummaryProgress(ctx, sc)
				if err != nil {
					t.Fatal(err)
				}
				var gotIdx []int
				for _, g := range got {
					gotIdx = append(gotIdx, slices.IndexFunc(ps, func(p plan.Progress) bool { return p.ID == g.ID }))
				}
				if !slices.Equal(gotIdx, tc.want) {
					t.Fatalf("kept reports %v, want %v", gotIdx, tc.want)
				}
				for i, g := range got {
					if want := ps[tc.want[i]]; g.Note != want.Note || g.Kind != want.Kind || g.Period != want.Period || !g.ReportedAt.Equal(want.ReportedAt) {
						t.Errorf("report %d read back as %+v, stored %+v", tc.want[i], g, want)
					}
				}
			})
		})
	}
}

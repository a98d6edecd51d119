package summary_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/storage"
	"github.com/chanhlo/planbot/storage/storagetest"
	"github.com/chanhlo/planbot/summary"
)

var hcm = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		panic(err)
	}
	return loc
}()

// wholeHistory hides SummaryProgress: a Source over it reads the plan's
// whole history, as every summary did before.
type wholeHistory struct{ plan.ProgressStore }

const (
	congAn   = "Công an phường"
	vanPhong = "Văn phòng phường"
	tuPhap   = "Tư pháp - Hộ tịch"
	motCua   = "Bộ phận Một cửa"
	doan     = "Đoàn phường"
)

// scopePlan has every kind of deadline, recurring tasks reported monthly,
// quarterly and yearly, lead, executing and supporting units.
func scopePlan() *plan.Plan {
	d := func(m time.Month, day int) plan.Date { return plan.NewDate(2023, m, day) }
	recur := func(r plan.Recurrence) plan.Deadline {
		return plan.Deadline{Kind: plan.DeadlineRecurring, Recurrence: r, Text: string(r)}
	}
	return &plan.Plan{
		OrgID: plan.DefaultOrg, Number: "56/KH-UBND", Year: 2023, Title: "Kế hoạch Đề án 06 năm 2023",
		Sections: []plan.Section{{Number: "1", Title: "Thể chế"}, {Number: "2", Title: "Dịch vụ công"}},
		Units:    []string{congAn, vanPhong, tuPhap, motCua, doan},
		Tasks: []plan.Task{
			{Code: "1.a", Section: "1", Title: "Văn bản chỉ đạo", Lead: []string{congAn}, Support: []string{vanPhong},
				Deadline: plan.Deadline{Kind: plan.DeadlineConditional, Text: "Sau khi có văn bản"}},
			{Code: "1.b", Section: "1", Title: "Nghị định 104", Lead: []string{congAn, vanPhong}, Support: []string{motCua},
				Deadline: plan.Deadline{Kind: plan.DeadlineDate, Due: d(6, 30), Text: "Quý II"},
				Targets:  []plan.Target{{Value: 100, Unit: "%", Text: "100%"}}},
			{Code: "1.c", Section: "1", Title: "Số hóa hộ tịch", Lead: []string{tuPhap}, Execute: []string{motCua, congAn},
				Deadline: plan.Deadline{Kind: plan.DeadlineRange, Start: d(5, 1), Due: d(12, 31), Text: "Từ tháng 5"},
				Targets:  []plan.Target{{Value: 1500, Unit: "hồ sơ", Text: "1.500 hồ sơ"}}},
			{Code: "2.a", Section: "2", Title: "Thường xuyên", Execute: []string{motCua, congAn}, Deadline: recur(plan.RecurOngoing)},
			{Code: "2.b", Section: "2", Title: "Hằng tháng", Lead: []string{doan}, SupportAll: true, Deadline: recur(plan.RecurMonthly)},
			{Code: "2.c", Section: "2", Title: "Hằng quý", Lead: []string{vanPhong}, Support: []string{tuPhap}, Deadline: recur(plan.RecurQuarterly)},
			{Code: "2.d", Section: "2", Title: "Hằng năm", Lead: []string{tuPhap}, Deadline: recur(plan.RecurYearly)},
			{Code: "2.đ", Section: "2", Title: "Chưa rõ hạn", Lead: []string{doan}, Support: []string{congAn},
				Deadline: plan.Deadline{Kind: plan.DeadlineOpen, Text: "Theo lộ trình"}},
			{Code: "2.e", Section: "2", Title: "Hạn đặt sau", Lead: []string{congAn},
				Deadline: plan.Deadline{Kind: plan.DeadlineConditional, Text: "Khi có hướng dẫn"}},
		},
	}
}

// randomHistory is n reports on p from every unit (and one outside the
// plan), of every kind and confirmation, for months, quarters, halves and
// the year, some sent late, some at the same instant, some of another
// plan.
func randomHistory(r *rand.Rand, p *plan.Plan, n int) []plan.Progress {
	units := append(append([]string(nil), p.Units...), "Hội Phụ nữ")
	kinds := []plan.ProgressKind{plan.ProgressPercent, plan.ProgressCount, plan.ProgressDone, plan.ProgressDone, plan.ProgressDone,
		plan.ProgressInProgress, plan.ProgressNotStarted, plan.ProgressBlocked}
	confirms := []plan.ConfirmState{plan.ConfirmNone, plan.ConfirmPending, plan.ConfirmAccepted, plan.ConfirmReturned}
	start := time.Date(2022, 11, 1, 0, 0, 0, 0, hcm)
	var out []plan.Progress
	for range n {
		t := &p.Tasks[r.IntN(len(p.Tasks))]
		unit := units[r.IntN(len(units))]
		if rs := t.Responsible(); r.IntN(3) > 0 && len(rs) > 0 {
			unit = rs[r.IntN(len(rs))] // mostly the units that answer for it
		}
		at := start.Add(time.Duration(r.Int64N(int64(480 * 24 * time.Hour)))).Truncate(time.Second)
		if prev := len(out) - 1; prev >= 0 && r.IntN(10) == 0 {
			// Another report by the same unit at the same instant: the
			// id decides which is newer.
			t, unit, at = p.Task(out[prev].TaskCode), out[prev].Unit, out[prev].ReportedAt
		}
		per := plan.MonthOf(plan.DateOf(at.In(hcm)))
		switch r.IntN(12) {
		case 0:
			per = per.Prev() // last month's, sent late
		case 1:
			per = plan.Period{Kind: plan.PeriodQuarter, Year: per.Year, N: (per.N-1)/3 + 1}
		case 2:
			per = plan.Period{Kind: plan.PeriodHalf, Year: per.Year, N: (per.N-1)/6 + 1}
		case 3:
			per = plan.Period{Kind: plan.PeriodYear, Year: per.Year}
		case 4:
			per = per.Next() // next month's, sent early
		}
		k := kinds[r.IntN(len(kinds))]
		f := plan.Figure{Kind: k}
		switch k {
		case plan.ProgressPercent:
			f.Percent = float64(r.IntN(101))
		case plan.ProgressCount:
			f.Done, f.Total, f.CountUnit = float64(r.IntN(1500)), 1500, "hồ sơ"
			f.Percent = f.Done / 15
		case plan.ProgressDone:
			f.Percent = 100
		case plan.ProgressBlocked:
			f.Blocker = fmt.Sprintf("vướng %d", r.IntN(100))
		}
		pr := plan.Progress{OrgID: p.OrgID, PlanID: p.ID, TaskCode: t.Code, Unit: unit, Period: per, Figure: f, ReportedBy: 7, ReportedAt: at}
		if k == plan.ProgressDone {
			pr.Confirm = confirms[r.IntN(len(confirms))]
			if pr.Confirm == plan.ConfirmReturned {
				pr.ConfirmNote = "thiếu hồ sơ"
			}
		}
		if r.IntN(25) == 0 {
			pr.PlanID = p.ID + 1000 // another plan's
		}
		out = append(out, pr)
	}
	return out
}

// A summary read from its scope (SummaryProgress) is exactly the summary
// read from the whole history, for every kind of period, as of its end,
// a day inside it, a day before it and a day after it; on sparse
// histories (where what the scope keeps is far apart) and dense ones.
func TestSummaryScopeAgreesWithWholeHistory(t *testing.T) {
	var periods []plan.Period
	for m := plan.Month(2022, 12); m.Year < 2024 || m.N <= 1; m = m.Next() {
		periods = append(periods, m)
	}
	for q := 1; q <= 4; q++ {
		periods = append(periods, plan.Period{Kind: plan.PeriodQuarter, Year: 2023, N: q})
	}
	periods = append(periods, plan.Period{Kind: plan.PeriodHalf, Year: 2023, N: 1}, plan.Period{Kind: plan.PeriodHalf, Year: 2023, N: 2},
		plan.Period{Kind: plan.PeriodYear, Year: 2023})
	storagetest.ForEachEngine(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		for _, tc := range []struct {
			seed    uint64
			reports int
		}{
			{1, 30}, {2, 30}, {3, 60}, {4, 60}, {5, 150}, {6, 150}, {7, 400}, {8, 1500},
		} {
			t.Run(fmt.Sprintf("seed %d, %d reports", tc.seed, tc.reports), func(t *testing.T) {
				org, err := db.AddOrganisation(ctx, fmt.Sprintf("Phường %d", tc.seed))
				if err != nil {
					t.Fatal(err)
				}
				p := scopePlan()
				p.OrgID = org
				if _, err := db.SavePlan(ctx, p); err != nil {
					t.Fatal(err)
				}
				// 2.e got its deadline from the secretariat in June.
				if err := db.SetDeadline(ctx, p.ID, "2.e", plan.Deadline{Kind: plan.DeadlineDate, Due: plan.NewDate(2023, 9, 30), Text: "30/9"}, plan.NewDate(2023, 6, 12)); err != nil {
					t.Fatal(err)
				}
				ps, err := db.Plans(ctx, org)
				if err != nil || len(ps) != 1 {
					t.Fatalf("plans = %d, %v", len(ps), err)
				}
				stored := &ps[0]
				r := rand.New(rand.NewPCG(tc.seed, 15))
				if err := db.AddProgressBatch(ctx, randomHistory(r, stored, tc.reports)); err != nil {
					t.Fatal(err)
				}
				scoped := &summary.Source{Plans: db, Progress: db, Loc: hcm, Workdays: summary.WeekdaysOnly{}, OrgID: org}
				whole := &summary.Source{Plans: db, Progress: wholeHistory{db}, Loc: hcm, Workdays: summary.WeekdaysOnly{}, OrgID: org}
				for _, per := range periods {
					for _, asOf := range []struct {
						name string
						day  plan.Date
					}{
						{"end", plan.Date{}},
						{"inside", per.Start().AddDays(12)},
						{"before", per.Start().AddDays(-3)},
						{"after", per.End().AddDays(20)},
					} {
						want, err := whole.SummaryOf(ctx, stored, per, asOf.day)
						if err != nil {
							t.Fatal(err)
						}
						got, err := scoped.SummaryOf(ctx, stored, per, asOf.day)
						if err != nil {
							t.Fatal(err)
						}
						if !reflect.DeepEqual(got, want) {
							t.Errorf("%s as of %s: the scoped summary differs from the whole history's:\n%s", per, asOf.name, diffSummaries(got, want))
						}
					}
				}
			})
		}
	})
}

// diffSummaries names the first parts that differ.
func diffSummaries(got, want *summary.Summary) string {
	switch {
	case !reflect.DeepEqual(got.Totals, want.Totals):
		return fmt.Sprintf("totals %v, want %v", got.Totals, want.Totals)
	case !reflect.DeepEqual(got.Blockers, want.Blockers):
		return fmt.Sprintf("blockers %v, want %v", got.Blockers, want.Blockers)
	case !reflect.DeepEqual(got.Units, want.Units):
		return fmt.Sprintf("units %+v, want %+v", got.Units, want.Units)
	}
	for i := range got.Tasks {
		if i < len(want.Tasks) && !reflect.DeepEqual(got.Tasks[i], want.Tasks[i]) {
			return fmt.Sprintf("task %s: %+v, want %+v", got.Tasks[i].Task.Code, got.Tasks[i], want.Tasks[i])
		}
	}
	return fmt.Sprintf("%+v, want %+v", got, want)
}

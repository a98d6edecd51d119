package summary

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chanhlo/planbot/plan"
)

// forPeriod sets a report's stored period (a reply to an earlier
// month's request).
func forPeriod(r plan.Progress, p plan.Period) plan.Progress {
	r.Period = p
	return r
}

func rowOf(t *testing.T, s *Summary, code string) TaskRow {
	t.Helper()
	for _, r := range s.Tasks {
		if r.Task.Code == code {
			return r
		}
	}
	t.Fatalf("no task %s", code)
	return TaskRow{}
}

func unitOf(t *testing.T, s *Summary, unit string) UnitRow {
	t.Helper()
	for _, u := range s.Units {
		if u.Unit == unit {
			return u
		}
	}
	t.Fatalf("no unit %s", unit)
	return UnitRow{}
}

// The review's defects, each as a case: a small plan, reports, a period
// and what the summary must say.
func TestReviewedRules(t *testing.T) {
	apr, may := plan.Month(2023, time.April), plan.Month(2023, time.May)
	year := plan.Period{Kind: plan.PeriodYear, Year: 2023}
	q2 := plan.Period{Kind: plan.PeriodQuarter, Year: 2023, N: 2}
	task := func(code string, d plan.Deadline, lead []string, support ...string) plan.Task {
		return plan.Task{Code: code, Section: "1", Title: "Nhiệm vụ " + code, Lead: lead, Support: support, Deadline: d}
	}
	ca, vp, tp := "Công an phường", "Văn phòng phường", "Tư pháp - Hộ tịch"
	recur := func(r plan.Recurrence) plan.Deadline {
		return plan.Deadline{Kind: plan.DeadlineRecurring, Recurrence: r}
	}
	imported := at(2023, 4, 3)

	tests := []struct {
		name    string
		tasks   []plan.Task
		reports []plan.Progress
		period  plan.Period
		asOf    plan.Date
		check   func(t *testing.T, s *Summary)
	}{
		{
			name:  "1: April's reply sent on 4/5 counts for April, not as missing",
			tasks: []plan.Task{task("1.b", due(2023, 6, 30), []string{ca})},
			reports: []plan.Progress{
				forPeriod(rep("1.b", ca, at(2023, 5, 4), pct(40)), apr),
			},
			period: apr,
			check: func(t *testing.T, s *Summary) {
				if len(s.NotReported) != 0 || rowOf(t, s, "1.b").Status != InProgress {
					t.Errorf("not reported %v, status %s", s.NotReported, rowOf(t, s, "1.b").Status)
				}
				if u := unitOf(t, s, ca); u.Reported != 1 || u.ReportedMonths != 1 {
					t.Errorf("unit %+v", u)
				}
			},
		},
		{
			name:  "1: a late reply for April does not count for May",
			tasks: []plan.Task{task("1.b", due(2023, 6, 30), []string{ca})},
			reports: []plan.Progress{
				forPeriod(rep("1.b", ca, at(2023, 5, 4), pct(40)), apr),
			},
			period: may,
			check: func(t *testing.T, s *Summary) {
				if !slices.Equal(s.NotReported, []string{ca}) {
					t.Errorf("not reported %v", s.NotReported)
				}
			},
		},
		{
			name:  "1: April's done sent on 5/5 is judged by its day: late; May expects nothing more",
			tasks: []plan.Task{task("1.c", due(2023, 4, 28), []string{ca})},
			reports: []plan.Progress{
				forPeriod(rep("1.c", ca, at(2023, 5, 5), doneF()), apr),
			},
			period: may,
			check: func(t *testing.T, s *Summary) {
				r := rowOf(t, s, "1.c")
				if r.Status != DoneLate || r.DaysLate != 2 || len(s.NotReported) != 0 {
					t.Errorf("status %s late %d not reported %v", r.Status, r.DaysLate, s.NotReported)
				}
			},
		},
		{
			name:  "1: an explicit mid-period day ignores replies sent after it",
			tasks: []plan.Task{task("1.b", due(2023, 6, 30), []string{ca})},
			reports: []plan.Progress{
				rep("1.b", ca, at(2023, 4, 27), pct(40)),
			},
			period: apr, asOf: plan.NewDate(2023, 4, 25),
			check: func(t *testing.T, s *Summary) {
				if rowOf(t, s, "1.b").Status != NotReported {
					t.Errorf("status %s", rowOf(t, s, "1.b").Status)
				}
			},
		},
		{
			name:  "2: a supporting unit's blocker reaches the chairman, with its name",
			tasks: []plan.Task{task("1.c", due(2023, 6, 30), []string{ca}, vp, tp)},
			reports: []plan.Progress{
				rep("1.c", ca, at(2023, 5, 18), pct(50)),
				rep("1.c", tp, at(2023, 5, 19), blocked("thiếu máy scan khổ A3")),
				rep("1.c", vp, at(2023, 4, 19), blocked("chưa có kinh phí")), // April: not May's
			},
			period: may,
			check: func(t *testing.T, s *Summary) {
				if len(s.Blockers) != 1 || s.Blockers[0].Unit != tp || s.Blockers[0].Text != "thiếu máy scan khổ A3" {
					t.Errorf("blockers %+v", s.Blockers)
				}
			},
		},
		{
			name:   "3: a year of an ongoing task imported in April expects April to December",
			tasks:  []plan.Task{task("2.a", ongoing, []string{ca})},
			period: year,
			reports: func() []plan.Progress {
				var rs []plan.Progress
				for m := time.April; m <= time.December; m++ {
					rs = append(rs, rep("2.a", ca, at(2023, m, 18), pct(float64(m)*10)))
				}
				return rs
			}(),
			check: func(t *testing.T, s *Summary) {
				u := unitOf(t, s, ca)
				if u.ExpectedMonths != 9 || u.ReportedMonths != 9 || rowOf(t, s, "2.a").Status != OngoingReported {
					t.Errorf("expected %d reported %d status %s", u.ExpectedMonths, u.ReportedMonths, rowOf(t, s, "2.a").Status)
				}
			},
		},
		{
			name:    "3: a quarterly task expects one report per quarter",
			tasks:   []plan.Task{task("6", recur(plan.RecurQuarterly), []string{ca})},
			period:  year,
			reports: []plan.Progress{rep("6", ca, at(2023, 6, 18), pct(30)), rep("6", ca, at(2023, 8, 18), pct(60))},
			check: func(t *testing.T, s *Summary) {
				u := unitOf(t, s, ca)
				// Q2, Q3, Q4 (Q1 ended before the import); Q4 missed.
				if u.ExpectedMonths != 3 || u.ReportedMonths != 2 || rowOf(t, s, "6").Status != OngoingNotReported {
					t.Errorf("expected %d reported %d status %s", u.ExpectedMonths, u.ReportedMonths, rowOf(t, s, "6").Status)
				}
			},
		},
		{
			name:    "3: a yearly task reported once is reported for the year",
			tasks:   []plan.Task{task("7", recur(plan.RecurYearly), []string{ca})},
			period:  year,
			reports: []plan.Progress{rep("7", ca, at(2023, 11, 20), pct(100))},
			check: func(t *testing.T, s *Summary) {
				u := unitOf(t, s, ca)
				if u.ExpectedMonths != 1 || u.ReportedMonths != 1 || rowOf(t, s, "7").Status != OngoingReported {
					t.Errorf("expected %d reported %d status %s", u.ExpectedMonths, u.ReportedMonths, rowOf(t, s, "7").Status)
				}
			},
		},
		{
			// Issue 8: an undated task is never "chờ điều kiện": its unit
			// is asked monthly, and not reporting shows.
			name:   "4: an open deadline is 'chưa có thời hạn', and its unit owes reports",
			tasks:  []plan.Task{task("2.đ", plan.Deadline{Kind: plan.DeadlineOpen, Text: "Năm 2023 và các năm tiếp theo"}, []string{ca})},
			period: q2,
			check: func(t *testing.T, s *Summary) {
				if rowOf(t, s, "2.đ").Status != NoDeadline || len(s.NotReported) != 1 {
					t.Errorf("status %s not reported %v", rowOf(t, s, "2.đ").Status, s.NotReported)
				}
			},
		},
		{
			name:    "4: an open deadline someone reported on stays 'chưa có thời hạn'",
			tasks:   []plan.Task{task("2.đ", plan.Deadline{Kind: plan.DeadlineOpen}, []string{ca})},
			reports: []plan.Progress{rep("2.đ", ca, at(2023, 5, 18), pct(20))},
			period:  may,
			check: func(t *testing.T, s *Summary) {
				if rowOf(t, s, "2.đ").Status != NoDeadline || len(s.NotReported) != 0 {
					t.Errorf("status %s", rowOf(t, s, "2.đ").Status)
				}
			},
		},
		{
			name:  "5: a blocker does not hide the figure before it",
			tasks: []plan.Task{{Code: "2.d", Section: "1", Lead: []string{ca}, Deadline: due(2023, 6, 30), Targets: []plan.Target{{Value: 100, Unit: "%"}}}},
			reports: []plan.Progress{
				rep("2.d", ca, at(2023, 4, 18), pct(100)),
				rep("2.d", ca, at(2023, 5, 18), blocked("chờ văn bản")),
			},
			period: may,
			check: func(t *testing.T, s *Summary) {
				r := rowOf(t, s, "2.d")
				if r.Latest == nil || r.Latest.Percent != 100 || r.TargetMet == nil || !*r.TargetMet {
					t.Errorf("latest %+v met %v", r.Latest, r.TargetMet)
				}
				if len(s.Blockers) != 1 || s.Blockers[0].Text != "chờ văn bản" {
					t.Errorf("blockers %+v", s.Blockers)
				}
			},
		},
		{
			name:  "5: with two leads the weakest figure judges the target",
			tasks: []plan.Task{{Code: "8.1", Section: "1", Lead: []string{ca, vp}, Deadline: due(2023, 12, 31), Targets: []plan.Target{{Value: 90, Unit: "%"}}}},
			reports: []plan.Progress{
				rep("8.1", vp, at(2023, 5, 10), pct(70)),
				rep("8.1", ca, at(2023, 5, 18), pct(95)),
			},
			period: may,
			check: func(t *testing.T, s *Summary) {
				r := rowOf(t, s, "8.1")
				if r.Latest == nil || r.Latest.Unit != vp || r.TargetMet == nil || *r.TargetMet {
					t.Errorf("latest %+v met %v", r.Latest, r.TargetMet)
				}
			},
		},
		{
			name:    "6: done late counts as overdue in its own period",
			tasks:   []plan.Task{task("1.c", due(2023, 4, 28), []string{ca})},
			reports: []plan.Progress{rep("1.c", ca, at(2023, 5, 5), doneF())},
			period:  may,
			check: func(t *testing.T, s *Summary) {
				if u := unitOf(t, s, ca); u.Overdue != 1 || lateUnits(t, s, "1.c") != 1 {
					t.Errorf("unit %+v", u)
				}
			},
		},
		{
			name:    "6: done late is only done in later periods",
			tasks:   []plan.Task{task("1.c", due(2023, 4, 28), []string{ca})},
			reports: []plan.Progress{rep("1.c", ca, at(2023, 5, 5), doneF())},
			period:  plan.Month(2023, time.June),
			check: func(t *testing.T, s *Summary) {
				u := unitOf(t, s, ca)
				if u.Overdue != 0 || u.Expected != 0 || lateUnits(t, s, "1.c") != 0 || rowOf(t, s, "1.c").Status != DoneLate {
					t.Errorf("unit %+v status %s", u, rowOf(t, s, "1.c").Status)
				}
			},
		},
		{
			name:    "7: due on a holiday, done on the next holiday: on time",
			tasks:   []plan.Task{task("1.c", due(2023, 4, 30), []string{ca})},
			reports: []plan.Progress{rep("1.c", ca, at(2023, 5, 2), doneF())},
			period:  may,
			check: func(t *testing.T, s *Summary) {
				if r := rowOf(t, s, "1.c"); r.Status != DoneOnTime || r.DaysLate != 0 {
					t.Errorf("status %s late %d", r.Status, r.DaysLate)
				}
			},
		},
		{
			name:    "7: due on a holiday, done by the first working day after: on time",
			tasks:   []plan.Task{task("1.c", due(2023, 4, 30), []string{ca})},
			reports: []plan.Progress{rep("1.c", ca, at(2023, 5, 4), doneF())},
			period:  may,
			check: func(t *testing.T, s *Summary) {
				if r := rowOf(t, s, "1.c"); r.Status != DoneOnTime {
					t.Errorf("status %s late %d", r.Status, r.DaysLate)
				}
			},
		},
		{
			name:    "7: due on a holiday, done the second working day after: one day late",
			tasks:   []plan.Task{task("1.c", due(2023, 4, 30), []string{ca})},
			reports: []plan.Progress{rep("1.c", ca, at(2023, 5, 5), doneF())},
			period:  may,
			check: func(t *testing.T, s *Summary) {
				if r := rowOf(t, s, "1.c"); r.Status != DoneLate || r.DaysLate != 1 {
					t.Errorf("status %s late %d", r.Status, r.DaysLate)
				}
			},
		},
		{
			name:    "7: due on a holiday, open on the first working day after: not overdue yet",
			tasks:   []plan.Task{task("1.c", due(2023, 4, 30), []string{ca})},
			reports: []plan.Progress{rep("1.c", ca, at(2023, 4, 20), pct(80))},
			period:  may, asOf: plan.NewDate(2023, 5, 4),
			check: func(t *testing.T, s *Summary) {
				if r := rowOf(t, s, "1.c"); r.Status == Overdue {
					t.Errorf("status %s late %d", r.Status, r.DaysLate)
				}
			},
		},
		{
			name:  "8: a supporting unit's report does not meet the condition",
			tasks: []plan.Task{task("5.c", plan.Deadline{Kind: plan.DeadlineConditional}, []string{tp}, ca)},
			reports: []plan.Progress{
				rep("5.c", ca, at(2023, 5, 18), pct(10)),
			},
			period: may,
			check: func(t *testing.T, s *Summary) {
				if rowOf(t, s, "5.c").Status != Waiting || len(s.NotReported) != 0 {
					t.Errorf("status %s not reported %v", rowOf(t, s, "5.c").Status, s.NotReported)
				}
			},
		},
		{
			name:  "8: a responsible unit's \"chưa thực hiện\" does not meet the condition",
			tasks: []plan.Task{task("5.c", plan.Deadline{Kind: plan.DeadlineConditional}, []string{tp, vp})},
			reports: []plan.Progress{
				rep("5.c", tp, at(2023, 5, 18), plan.Figure{Kind: plan.ProgressNotStarted}),
			},
			period: may,
			check: func(t *testing.T, s *Summary) {
				if r := rowOf(t, s, "5.c"); r.Status != Waiting {
					t.Errorf("status %s", r.Status)
				}
			},
		},
		{
			name:  "8: a responsible unit's progress meets the condition",
			tasks: []plan.Task{task("5.c", plan.Deadline{Kind: plan.DeadlineConditional}, []string{tp, vp})},
			reports: []plan.Progress{
				rep("5.c", tp, at(2023, 5, 18), pct(10)),
			},
			period: may,
			check: func(t *testing.T, s *Summary) {
				if r := rowOf(t, s, "5.c"); r.Status != NotReported || !slices.Equal(s.NotReported, []string{vp}) {
					t.Errorf("status %s not reported %v", r.Status, s.NotReported)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &plan.Plan{ID: 1, OrgID: 1, Year: 2023, Title: "Đề án 06", CreatedAt: imported,
				Sections: []plan.Section{{Number: "1", Title: "Nhiệm vụ"}},
				Units:    []string{ca, vp, tp}, Tasks: tt.tasks}
			s := Compute(p, tt.reports, Options{Period: tt.period, AsOf: tt.asOf, Loc: hcm, Workdays: holidays2023{}})
			tt.check(t, s)
			if t.Failed() {
				t.Logf("summary:\n%s", strings.Join(s.Lines(false), "\n"))
			}
		})
	}
}

func lateUnits(t *testing.T, s *Summary, code string) int {
	t.Helper()
	r := rowOf(t, s, code)
	return len(r.LateUnits())
}

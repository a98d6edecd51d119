package scheduler

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chanhlo/planbot/calendar"
	"github.com/chanhlo/planbot/configs"
	"github.com/chanhlo/planbot/importer"
	"github.com/chanhlo/planbot/plan"
)

var loc = calendar.Location()

func samplePlan(t testing.TB) *plan.Plan {
	t.Helper()
	p, err := importer.Parse(bytes.NewReader(configs.SamplePlan), configs.SamplePlanName)
	if err != nil {
		t.Fatal(err)
	}
	p.ID = 1
	return p
}

// day returns 00:00 of "2006-01-02" in Vietnam.
func day(t testing.TB, s string) time.Time {
	t.Helper()
	d, err := plan.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d.In(loc)
}

// line renders a reminder compactly for comparisons:
// "2023-04-19 08:00 before 1.c Công an phường 2023-04-30/7".
func line(r plan.Reminder) string {
	return fmt.Sprintf("%s %s %s %s %s", r.At.In(loc).Format("2006-01-02 15:04"), r.Kind, r.TaskCode, r.Unit, r.Occurrence)
}

func lines(rs []plan.Reminder) []string {
	out := make([]string, 0, len(rs))
	for _, r := range rs {
		out = append(out, line(r))
	}
	return out
}

func only(rs []plan.Reminder, code string) []plan.Reminder {
	var out []plan.Reminder
	for _, r := range rs {
		if r.TaskCode == code {
			out = append(out, r)
		}
	}
	return out
}

func diffLines(t *testing.T, got, want []string) {
	t.Helper()
	if slices.Equal(got, want) {
		return
	}
	t.Errorf("got %d reminders, want %d", len(got), len(want))
	t.Errorf("got:\n\t%s", strings.Join(got, "\n\t"))
	t.Errorf("want:\n\t%s", strings.Join(want, "\n\t"))
}

// TestSamplePlan checks the reminders of the sample plan from 1/4/2023 to
// 1/7/2023 with nothing reported, with the holidays of 2023 as the Labor
// Code gives them: Giỗ Tổ Hùng Vương on Saturday 29/4, 30/4 on Sunday,
// 1/5 on Monday, compensatory days 2/5 and 3/5, so 29/4–3/5 are off.
func TestSamplePlan(t *testing.T) {
	cal := calendar.New(calendar.Adjustments{})
	p := samplePlan(t)
	rs := DefaultPolicy().Due(cal, p, NoReports, day(t, "2023-04-01"), day(t, "2023-07-01"))

	const cap = "Công an phường"
	tests := []struct {
		code string
		want []string
	}{
		// 1.c "Trong tháng 4/2023": due 30/4, a Sunday and a holiday,
		// so reminded as due on Friday 28/4; 7, 3 and 1 working days
		// before 28/4 are 19/4, 25/4 and 27/4. Supporting units get the
		// due-day notice only. Overdue from the first working day after
		// 30/4 (Thursday 4/5), then every Thursday; escalation after 3
		// full working days overdue (4/5, 5/5, 8/5), on 9/5. April's
		// report request (18/4) and chaser (20/4) go to the lead unit;
		// from May the overdue notices take over.
		{"1.c", []string{
			"2023-04-18 08:00 report_request 1.c " + cap + " 2023-04",
			"2023-04-19 08:00 before 1.c " + cap + " 2023-04-30/7",
			"2023-04-20 08:00 chaser 1.c " + cap + " 2023-04",
			"2023-04-25 08:00 before 1.c " + cap + " 2023-04-30/3",
			"2023-04-27 08:00 before 1.c " + cap + " 2023-04-30/1",
			"2023-04-28 08:00 due 1.c " + cap + " 2023-04-30",
			"2023-04-28 08:00 due 1.c Văn phòng phường 2023-04-30",
			"2023-04-28 08:00 due 1.c Tư pháp - Hộ tịch 2023-04-30",
			"2023-04-28 08:00 due 1.c Văn hóa - Xã hội 2023-04-30",
			"2023-04-28 08:00 due 1.c Địa chính - Xây dựng 2023-04-30",
			"2023-04-28 08:00 due 1.c Trạm y tế phường 2023-04-30",
			"2023-05-04 08:00 overdue 1.c " + cap + " 2023-05-04",
			"2023-05-09 08:00 escalation 1.c " + cap + " 2023-04-30",
			"2023-05-11 08:00 overdue 1.c " + cap + " 2023-05-11",
			"2023-05-18 08:00 overdue 1.c " + cap + " 2023-05-18",
			"2023-05-25 08:00 overdue 1.c " + cap + " 2023-05-25",
			"2023-06-01 08:00 overdue 1.c " + cap + " 2023-06-01",
			"2023-06-08 08:00 overdue 1.c " + cap + " 2023-06-08",
			"2023-06-15 08:00 overdue 1.c " + cap + " 2023-06-15",
			"2023-06-22 08:00 overdue 1.c " + cap + " 2023-06-22",
			"2023-06-29 08:00 overdue 1.c " + cap + " 2023-06-29",
		}},
		// 1.b "Trong Quý II/2023": due Friday 30/6, two lead units,
		// asked for each month's results on the report day.
		{"1.b", []string{
			"2023-04-18 08:00 report_request 1.b " + cap + " 2023-04",
			"2023-04-18 08:00 report_request 1.b Văn phòng phường 2023-04",
			"2023-04-20 08:00 chaser 1.b " + cap + " 2023-04",
			"2023-04-20 08:00 chaser 1.b Văn phòng phường 2023-04",
			"2023-05-18 08:00 report_request 1.b " + cap + " 2023-05",
			"2023-05-18 08:00 report_request 1.b Văn phòng phường 2023-05",
			"2023-05-22 08:00 chaser 1.b " + cap + " 2023-05",
			"2023-05-22 08:00 chaser 1.b Văn phòng phường 2023-05",
			"2023-06-16 08:00 report_request 1.b " + cap + " 2023-06",
			"2023-06-16 08:00 report_request 1.b Văn phòng phường 2023-06",
			"2023-06-20 08:00 chaser 1.b " + cap + " 2023-06",
			"2023-06-20 08:00 chaser 1.b Văn phòng phường 2023-06",
			"2023-06-21 08:00 before 1.b " + cap + " 2023-06-30/7",
			"2023-06-21 08:00 before 1.b Văn phòng phường 2023-06-30/7",
			"2023-06-27 08:00 before 1.b " + cap + " 2023-06-30/3",
			"2023-06-27 08:00 before 1.b Văn phòng phường 2023-06-30/3",
			"2023-06-29 08:00 before 1.b " + cap + " 2023-06-30/1",
			"2023-06-29 08:00 before 1.b Văn phòng phường 2023-06-30/1",
			"2023-06-30 08:00 due 1.b " + cap + " 2023-06-30",
			"2023-06-30 08:00 due 1.b Văn phòng phường 2023-06-30",
			"2023-06-30 08:00 due 1.b Bộ phận Một cửa 2023-06-30",
		}},
		// 2.a "Thường xuyên", three executing units: requests on the
		// 18th (18/6 is a Sunday: Friday 16/6), chasers 2 working days
		// later.
		{"2.a", []string{
			"2023-04-18 08:00 report_request 2.a Bộ phận Một cửa 2023-04",
			"2023-04-18 08:00 report_request 2.a " + cap + " 2023-04",
			"2023-04-18 08:00 report_request 2.a Trạm y tế phường 2023-04",
			"2023-04-20 08:00 chaser 2.a Bộ phận Một cửa 2023-04",
			"2023-04-20 08:00 chaser 2.a " + cap + " 2023-04",
			"2023-04-20 08:00 chaser 2.a Trạm y tế phường 2023-04",
			"2023-05-18 08:00 report_request 2.a Bộ phận Một cửa 2023-05",
			"2023-05-18 08:00 report_request 2.a " + cap + " 2023-05",
			"2023-05-18 08:00 report_request 2.a Trạm y tế phường 2023-05",
			"2023-05-22 08:00 chaser 2.a Bộ phận Một cửa 2023-05",
			"2023-05-22 08:00 chaser 2.a " + cap + " 2023-05",
			"2023-05-22 08:00 chaser 2.a Trạm y tế phường 2023-05",
			"2023-06-16 08:00 report_request 2.a Bộ phận Một cửa 2023-06",
			"2023-06-16 08:00 report_request 2.a " + cap + " 2023-06",
			"2023-06-16 08:00 report_request 2.a Trạm y tế phường 2023-06",
			"2023-06-20 08:00 chaser 2.a Bộ phận Một cửa 2023-06",
			"2023-06-20 08:00 chaser 2.a " + cap + " 2023-06",
			"2023-06-20 08:00 chaser 2.a Trạm y tế phường 2023-06",
		}},
		// Conditional: nothing.
		{"1.a", nil},
		{"2.h", nil},
		// Not understood ("chưa có thời hạn"): asked monthly, as ongoing.
		{"2.đ", []string{
			"2023-04-18 08:00 report_request 2.đ Tài chính - Kế toán 2023-04",
			"2023-04-20 08:00 chaser 2.đ Tài chính - Kế toán 2023-04",
			"2023-05-18 08:00 report_request 2.đ Tài chính - Kế toán 2023-05",
			"2023-05-22 08:00 chaser 2.đ Tài chính - Kế toán 2023-05",
			"2023-06-16 08:00 report_request 2.đ Tài chính - Kế toán 2023-06",
			"2023-06-20 08:00 chaser 2.đ Tài chính - Kế toán 2023-06",
		}},
		// Due 31/12/2023: no deadline reminder before July, but monthly
		// report requests and chasers.
		{"2.e", []string{
			"2023-04-18 08:00 report_request 2.e Tư pháp - Hộ tịch 2023-04",
			"2023-04-20 08:00 chaser 2.e Tư pháp - Hộ tịch 2023-04",
			"2023-05-18 08:00 report_request 2.e Tư pháp - Hộ tịch 2023-05",
			"2023-05-22 08:00 chaser 2.e Tư pháp - Hộ tịch 2023-05",
			"2023-06-16 08:00 report_request 2.e Tư pháp - Hộ tịch 2023-06",
			"2023-06-20 08:00 chaser 2.e Tư pháp - Hộ tịch 2023-06",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			diffLines(t, lines(only(rs, tt.code)), tt.want)
		})
	}

	var waiting []string
	for _, tk := range Waiting(p) {
		waiting = append(waiting, tk.Code)
	}
	if want := []string{"1.a", "2.h", "4.c", "5.c"}; !slices.Equal(waiting, want) {
		t.Errorf("Waiting = %v, want %v", waiting, want)
	}
	var undated []string
	for _, tk := range Undated(p) {
		undated = append(undated, tk.Code)
	}
	if want := []string{"2.đ"}; !slices.Equal(undated, want) {
		t.Errorf("Undated = %v, want %v", undated, want)
	}
	for _, r := range rs {
		if !cal.InOfficeHours(r.At, calendar.DefaultOfficeHours) {
			t.Errorf("outside office hours or on a day off: %s", line(r))
		}
	}
	if !slices.IsSortedFunc(rs, func(a, b plan.Reminder) int {
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		return KindRank(a.Kind) - KindRank(b.Kind)
	}) {
		t.Error("not sorted by time then kind")
	}
}

// fakeStatus answers from sets of "code|unit" and "code|unit|period".
type fakeStatus struct {
	done     map[string]bool
	reported map[string]bool
}

func (s fakeStatus) Done(_ int64, code, unit string) bool { return s.done[code+"|"+unit] }
func (s fakeStatus) Reported(_ int64, code, unit string, p plan.Period) bool {
	return s.reported[code+"|"+unit+"|"+p.String()]
}

func TestDueRules(t *testing.T) {
	cal := calendar.New(calendar.Adjustments{})
	date := func(s string) plan.Date {
		d, err := plan.ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	tests := []struct {
		name     string
		task     plan.Task
		units    []string
		pol      func(*Policy)
		st       Status
		from, to string
		want     []string
	}{
		{
			name: "range: start notice, before reminders not before the start",
			task: plan.Task{Code: "9", Lead: []string{"A"}, Deadline: plan.Deadline{
				Kind: plan.DeadlineRange, Start: date("2023-06-24"), Due: date("2023-06-30")}},
			from: "2023-06-01", to: "2023-07-01",
			want: []string{
				// Under way in June (start ≤ 30/6): June's request.
				"2023-06-16 08:00 report_request 9 A 2023-06",
				"2023-06-20 08:00 chaser 9 A 2023-06",
				// 24/6 is a Saturday: the start notice goes on Monday.
				"2023-06-26 08:00 start 9 A 2023-06-24",
				"2023-06-27 08:00 before 9 A 2023-06-30/3",
				"2023-06-29 08:00 before 9 A 2023-06-30/1",
				"2023-06-30 08:00 due 9 A 2023-06-30",
			},
		},
		{
			name: "done units get nothing; supporters stop when every responsible unit is done",
			task: plan.Task{Code: "9", Lead: []string{"A", "B"}, Support: []string{"C"}, Deadline: plan.Deadline{
				Kind: plan.DeadlineDate, Due: date("2023-06-30")}},
			st:   fakeStatus{done: map[string]bool{"9|A": true}},
			from: "2023-06-29", to: "2023-07-05",
			want: []string{
				"2023-06-29 08:00 before 9 B 2023-06-30/1",
				"2023-06-30 08:00 due 9 B 2023-06-30",
				"2023-06-30 08:00 due 9 C 2023-06-30",
				"2023-07-03 08:00 overdue 9 B 2023-07-03",
			},
		},
		{
			name: "all done: nothing",
			task: plan.Task{Code: "9", Lead: []string{"A"}, Support: []string{"C"}, Deadline: plan.Deadline{
				Kind: plan.DeadlineDate, Due: date("2023-06-30")}},
			st:   fakeStatus{done: map[string]bool{"9|A": true}},
			from: "2023-06-01", to: "2023-08-01",
		},
		{
			name: "support all: every plan unit but the responsible ones",
			task: plan.Task{Code: "9", Execute: []string{"A"}, SupportAll: true, Deadline: plan.Deadline{
				Kind: plan.DeadlineDate, Due: date("2023-06-30")}},
			units: []string{"A", "B", "C"},
			from:  "2023-06-30", to: "2023-07-01",
			want: []string{
				"2023-06-30 08:00 due 9 A 2023-06-30",
				"2023-06-30 08:00 due 9 B 2023-06-30",
				"2023-06-30 08:00 due 9 C 2023-06-30",
			},
		},
		{
			name: "overdue every 7 days moved onto working days, escalation",
			task: plan.Task{Code: "9", Lead: []string{"A"}, Deadline: plan.Deadline{
				Kind: plan.DeadlineDate, Due: date("2023-04-21")}},
			from: "2023-04-22", to: "2023-05-10",
			want: []string{
				"2023-04-24 08:00 overdue 9 A 2023-04-24",
				// 3 full working days overdue: 24, 25, 26/4.
				"2023-04-27 08:00 escalation 9 A 2023-04-21",
				// 1/5 is a holiday, so are 2/5 and 3/5: Thursday 4/5.
				"2023-05-04 08:00 overdue 9 A 2023-05-01",
				"2023-05-08 08:00 overdue 9 A 2023-05-08",
			},
		},
		{
			name: "no repeat, no escalation when disabled",
			task: plan.Task{Code: "9", Lead: []string{"A"}, Deadline: plan.Deadline{
				Kind: plan.DeadlineDate, Due: date("2023-04-21")}},
			pol:  func(p *Policy) { p.OverdueEveryDays, p.EscalateAfterDays = 0, 0 },
			from: "2023-04-22", to: "2023-06-01",
			want: []string{"2023-04-24 08:00 overdue 9 A 2023-04-24"},
		},
		{
			name: "recurring: units that reported get neither request nor chaser",
			task: plan.Task{Code: "9", Lead: []string{"A", "B"}, Deadline: plan.Deadline{
				Kind: plan.DeadlineRecurring, Recurrence: plan.RecurOngoing}},
			st:   fakeStatus{reported: map[string]bool{"9|A|2023-05": true}},
			from: "2023-05-01", to: "2023-06-01",
			want: []string{
				"2023-05-18 08:00 report_request 9 B 2023-05",
				"2023-05-22 08:00 chaser 9 B 2023-05",
			},
		},
		{
			name: "quarterly: once a quarter, on the report day of its last month",
			task: plan.Task{Code: "9", Lead: []string{"A"}, Deadline: plan.Deadline{
				Kind: plan.DeadlineRecurring, Recurrence: plan.RecurQuarterly}},
			from: "2023-04-01", to: "2023-10-01",
			want: []string{
				"2023-06-16 08:00 report_request 9 A 2023-Q2",
				"2023-06-20 08:00 chaser 9 A 2023-Q2",
				"2023-09-18 08:00 report_request 9 A 2023-Q3",
				"2023-09-20 08:00 chaser 9 A 2023-Q3",
			},
		},
		{
			name: "recurring from a start month, within the plan's year",
			task: plan.Task{Code: "9", Lead: []string{"A"}, Deadline: plan.Deadline{
				Kind: plan.DeadlineRecurring, Recurrence: plan.RecurMonthly, Start: date("2023-12-01")}},
			pol:  func(p *Policy) { p.ChaserAfterDays = 0 },
			from: "2023-01-01", to: "2024-03-01",
			want: []string{"2023-12-18 08:00 report_request 9 A 2023-12"},
		},
		{
			name: "dated: monthly requests until due, none once past due, chaser not after the due date",
			task: plan.Task{Code: "9", Lead: []string{"A"}, Execute: []string{"B"}, Support: []string{"C"}, Deadline: plan.Deadline{
				Kind: plan.DeadlineDate, Due: date("2023-06-19")}},
			pol:  func(p *Policy) { p.BeforeDays, p.OverdueEveryDays, p.EscalateAfterDays = nil, 0, 0 },
			st:   fakeStatus{reported: map[string]bool{"9|B|2023-05": true}},
			from: "2023-05-01", to: "2023-08-01",
			want: []string{
				// B reported for May: only A is asked and chased.
				"2023-05-18 08:00 report_request 9 A 2023-05",
				"2023-05-22 08:00 chaser 9 A 2023-05",
				// 18/6 is a Sunday: requests on Friday 16/6; the chaser
				// (20/6) would fall after the due date (19/6).
				"2023-06-16 08:00 report_request 9 A 2023-06",
				"2023-06-16 08:00 report_request 9 B 2023-06",
				"2023-06-19 08:00 due 9 A 2023-06-19",
				"2023-06-19 08:00 due 9 B 2023-06-19",
				"2023-06-19 08:00 due 9 C 2023-06-19",
				"2023-06-20 08:00 overdue 9 A 2023-06-20",
				"2023-06-20 08:00 overdue 9 B 2023-06-20",
				// July: past due, nothing more.
			},
		},
		{
			name: "dated: done units are not asked; range not started by the month's end is not asked",
			task: plan.Task{Code: "9", Lead: []string{"A", "B"}, Deadline: plan.Deadline{
				Kind: plan.DeadlineRange, Start: date("2023-06-01"), Due: date("2023-09-29")}},
			pol:  func(p *Policy) { p.BeforeDays = nil },
			st:   fakeStatus{done: map[string]bool{"9|A": true}},
			from: "2023-05-01", to: "2023-07-01",
			want: []string{
				"2023-06-01 08:00 start 9 B 2023-06-01",
				"2023-06-16 08:00 report_request 9 B 2023-06",
				"2023-06-20 08:00 chaser 9 B 2023-06",
			},
		},
		{
			name: "conditional: nothing",
			task: plan.Task{Code: "9", Lead: []string{"A"}, Deadline: plan.Deadline{
				Kind: plan.DeadlineConditional, Expected: date("2023-06-30")}},
			from: "2023-01-01", to: "2024-01-01",
		},
		{
			name: "a time before office hours moves to the previous working day for before and due",
			task: plan.Task{Code: "9", Lead: []string{"A"}, Deadline: plan.Deadline{
				Kind: plan.DeadlineDate, Due: date("2023-05-04")}},
			pol:  func(p *Policy) { p.At, p.BeforeDays, p.EscalateAfterDays = calendar.TimeOf(6, 0), []int{1}, 0 },
			from: "2023-04-01", to: "2023-05-06",
			want: []string{
				// report kinds move later: 07:30 of the same day.
				"2023-04-18 07:30 report_request 9 A 2023-04",
				"2023-04-20 07:30 chaser 9 A 2023-04",
				// before-1 is 28/4 (29/4–3/5 are off); 06:00 is too
				// early, so 17:00 of the working day before.
				"2023-04-27 17:00 before 9 A 2023-05-04/1",
				"2023-04-28 17:00 due 9 A 2023-05-04",
				// others move forward: 07:30 of the same day.
				"2023-05-05 07:30 overdue 9 A 2023-05-05",
			},
		},
		{
			name: "a time after office hours: before/due at 17:00, others the next working day",
			task: plan.Task{Code: "9", Lead: []string{"A"}, Deadline: plan.Deadline{
				Kind: plan.DeadlineDate, Due: date("2023-04-28")}},
			pol:  func(p *Policy) { p.At, p.BeforeDays, p.EscalateAfterDays = calendar.TimeOf(19, 0), nil, 0 },
			from: "2023-04-01", to: "2023-05-06",
			want: []string{
				"2023-04-19 07:30 report_request 9 A 2023-04",
				"2023-04-21 07:30 chaser 9 A 2023-04",
				"2023-04-28 17:00 due 9 A 2023-04-28",
				"2023-05-05 07:30 overdue 9 A 2023-05-04",
			},
		},
		{
			name: "window is [from, to)",
			task: plan.Task{Code: "9", Lead: []string{"A"}, Deadline: plan.Deadline{
				Kind: plan.DeadlineDate, Due: date("2023-06-30")}},
			from: "2023-06-27", to: "2023-06-29",
			want: []string{"2023-06-27 08:00 before 9 A 2023-06-30/3"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pol := DefaultPolicy()
			if tt.pol != nil {
				tt.pol(&pol)
			}
			p := &plan.Plan{ID: 3, Year: 2023, Units: tt.units, Tasks: []plan.Task{tt.task}}
			from, to := day(t, tt.from), day(t, tt.to)
			if tt.name == "window is [from, to)" {
				to = to.Add(8 * time.Hour) // 29/6 08:00 excluded
			}
			got := pol.Due(cal, p, tt.st, from, to)
			diffLines(t, lines(got), tt.want)
			for _, r := range got {
				if r.PlanID != 3 {
					t.Errorf("PlanID = %d", r.PlanID)
				}
			}
		})
	}
}

// TestDueNeverOffHours: whatever the policy and the deadlines, nothing is
// planned on a non-working day or outside office hours, and keys are
// unique.
func TestDueNeverOffHours(t *testing.T) {
	cal := calendar.New(calendar.Adjustments{
		DaysOff:     []calendar.Holiday{{Date: plan.NewDate(2024, 4, 29), Name: "Nghỉ hoán đổi"}},
		WorkingDays: []plan.Date{plan.NewDate(2024, 5, 4)},
	})
	rng := rand.New(rand.NewPCG(6, 2023))
	kinds := []plan.DeadlineKind{plan.DeadlineDate, plan.DeadlineRange, plan.DeadlineRecurring}
	recs := []plan.Recurrence{plan.RecurOngoing, plan.RecurMonthly, plan.RecurQuarterly, plan.RecurYearly}
	base := plan.NewDate(2023, 1, 1)
	total := 0
	for i := range 300 {
		pol := DefaultPolicy()
		pol.At = calendar.TimeOf(rng.IntN(24), rng.IntN(60))
		pol.Office = calendar.OfficeHours{Start: calendar.TimeOf(6+rng.IntN(3), 30*rng.IntN(2)), End: calendar.TimeOf(15+rng.IntN(4), 0)}
		pol.BeforeDays = []int{1 + rng.IntN(10), 1 + rng.IntN(3)}
		pol.OverdueEveryDays = rng.IntN(10)
		pol.EscalateAfterDays = rng.IntN(5)
		pol.ReportDay = 1 + rng.IntN(28)
		pol.ChaserAfterDays = rng.IntN(4)
		p := &plan.Plan{ID: int64(i), Units: []string{"A", "B", "C"}}
		for j := range 8 {
			due := base.AddDays(rng.IntN(3 * 365))
			tk := plan.Task{Code: fmt.Sprint(j), Lead: []string{"A"}, Support: []string{"B"}, SupportAll: rng.IntN(4) == 0,
				Deadline: plan.Deadline{Kind: kinds[rng.IntN(len(kinds))], Due: due, Start: due.AddDays(-rng.IntN(60)),
					Recurrence: recs[rng.IntN(len(recs))]}}
			p.Tasks = append(p.Tasks, tk)
		}
		from := base.AddDays(rng.IntN(3 * 365)).In(loc)
		to := from.Add(time.Duration(1+rng.IntN(120)) * 24 * time.Hour)
		rs := pol.Due(cal, p, NoReports, from, to)
		total += len(rs)
		seen := map[string]bool{}
		for _, r := range rs {
			if !cal.InOfficeHours(r.At, pol.Office) {
				t.Fatalf("policy %+v: %s is outside %s or on a day off", pol, line(r), pol.Office)
			}
			if r.At.Before(from) || !r.At.Before(to) {
				t.Fatalf("%s outside the window [%s, %s)", line(r), from, to)
			}
			if seen[r.Key()] {
				t.Fatalf("key %s planned twice", r.Key())
			}
			seen[r.Key()] = true
		}
	}
	if total < 1000 {
		t.Fatalf("only %d reminders planned; the property was hardly tested", total)
	}
}

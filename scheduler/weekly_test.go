package scheduler

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chanhlo/planbot/calendar"
	"github.com/chanhlo/planbot/plan"
)

// weeklyHarness is the runner harness with a chairman registered and a
// plan whose 1.d is due Thursday 20/4/2023 (escalated on 26/4) and 1.c
// 30/4 (escalated on 9/5).
func weeklyHarness(t *testing.T) *harness {
	t.Helper()
	p := testPlan(t, at(t, "1/4 10:00"))
	p.Tasks[1].Deadline.Due = plan.NewDate(2023, 4, 20)
	h := newHarness(t, p)
	h.officers.add(plan.Officer{ID: 7, Name: "Lê Chủ Tịch", Role: plan.RoleChairman, Address: plan.Address{Transport: "telegram", ChatID: "107"}})
	return h
}

// weekly runs WeeklyDigest at the given time (a fake clock: the test
// sets it) and returns the items it queued.
func (h *harness) weekly(when string) []plan.OutboxItem {
	h.t.Helper()
	return h.run(h.s.WeeklyDigest, when)
}

// run runs a scheduler job at the given time (a fake clock: the test
// sets it) and returns the items it queued.
func (h *harness) run(job func(context.Context, time.Time) error, when string) []plan.OutboxItem {
	h.t.Helper()
	now := at(h.t, when)
	h.mu.Lock()
	h.now = now
	h.mu.Unlock()
	if err := job(context.Background(), now); err != nil {
		h.t.Fatalf("job at %s: %v", when, err)
	}
	return h.ledger.take()
}

func TestWeeklyDigest(t *testing.T) {
	h := weeklyHarness(t)
	steps := []struct {
		when string
		do   func()
		want []string
	}{
		// Week of 24/4: 1.d is escalated on Wednesday 26/4, after the
		// week's first working day: nothing this week.
		{when: "24/4 08:00"},
		{when: "26/4 08:00"},
		{when: "28/4 08:00"},
		// Week of 1/5: Monday 1/5 is Labour Day and 2–3/5 are days off;
		// the first working day is Thursday 4/5.
		{when: "1/5 08:00"},
		{when: "3/5 08:00"},
		{when: "4/5 08:00", want: []string{"officer 7 summary [1.d]", "officer 9 summary [1.d]"}},
		// Once a week: later runs that week add nothing.
		{when: "4/5 16:30"},
		{when: "5/5 08:00"},
		// Saturday: not a working day.
		{when: "13/5 08:00"},
		// Week of 15/5: 1.c (escalated 9/5) and 1.d.
		{when: "15/5 08:00", want: []string{"officer 7 summary [1.c 1.d]", "officer 9 summary [1.c 1.d]"}},
		// 1.d reported done, 1.c returned by the secretariat: the week
		// of 22/5 lists 1.c only; nothing is sent before office hours.
		{when: "22/5 07:00", do: func() {
			h.progress.list = append(h.progress.list,
				plan.Progress{PlanID: 1, TaskCode: "1.d", Unit: unitA, Period: plan.MonthOf(plan.NewDate(2023, 5, 17)),
					Figure: plan.Figure{Kind: plan.ProgressDone, Percent: 100}, Confirm: plan.ConfirmPending, ReportedAt: at(t, "17/5 10:00")},
				plan.Progress{PlanID: 1, TaskCode: "1.c", Unit: unitA, Period: plan.MonthOf(plan.NewDate(2023, 5, 17)),
					Figure: plan.Figure{Kind: plan.ProgressDone, Percent: 100}, Confirm: plan.ConfirmReturned, ReportedAt: at(t, "17/5 11:00")})
		}, want: []string{"officer 7 summary [1.c]", "officer 9 summary [1.c]"}},
	}
	for _, st := range steps {
		if st.do != nil {
			st.do()
		}
		got := h.weekly(st.when)
		wantItems(t, st.when, got, st.want...)
		switch st.when {
		case "15/5 08:00":
			golden(t, "weekly", got)
			for _, it := range got {
				if !strings.HasPrefix(it.Key, "weekly|2023-W20|plan:1|officer:") {
					t.Errorf("key %q", it.Key)
				}
			}
		case "22/5 07:00":
			for _, it := range got {
				if !it.NotBefore.Equal(at(t, "22/5 07:30")) {
					t.Errorf("NotBefore = %s, want 22/5 07:30", it.NotBefore)
				}
			}
		}
	}
}

// TestWeeklyDigestCatchUp: the bot was down on Monday 15/5; Tuesday's run
// sends the week's digest under the same keys, as of Monday, and a task
// escalated on Tuesday waits for the next week.
func TestWeeklyDigestCatchUp(t *testing.T) {
	h := weeklyHarness(t)
	p := testPlan(t, at(t, "1/4 10:00"))
	p.Tasks[0].Deadline.Due = plan.NewDate(2023, 5, 8)  // 1.c: late 9, 10, 11/5 → escalated Friday 12/5
	p.Tasks[1].Deadline.Due = plan.NewDate(2023, 5, 10) // 1.d: late 11, 12, 15/5 → escalated Tuesday 16/5
	h.s.deps.Plans = &fakePlans{plans: []plan.Plan{p}}
	got := h.weekly("16/5 09:00")
	wantItems(t, "16/5 09:00", got, "officer 7 summary [1.c]", "officer 9 summary [1.c]")
	for _, it := range got {
		if !strings.HasPrefix(it.Key, "weekly|2023-W20|plan:1|officer:") {
			t.Errorf("key %q", it.Key)
		}
		if it.OfficerID == 7 && !strings.Contains(it.Message.Text, "quá <b>5 ngày làm việc</b>") {
			t.Errorf("1.c is 5 full working days late on 16/5:\n%s", it.Message.Text)
		}
		if it.OfficerID == 9 && !strings.Contains(it.Message.Text, "(bản gửi Văn phòng)") {
			t.Errorf("the secretariat's copy does not say so:\n%s", it.Message.Text)
		}
	}
	wantItems(t, "22/5 08:00", h.weekly("22/5 08:00"), "officer 7 summary [1.c 1.d]", "officer 9 summary [1.c 1.d]")
}

func TestWeeklyDigestNotLeading(t *testing.T) {
	p := testPlan(t, at(t, "1/4 10:00"))
	h := newHarness(t, p, WithLeader(leaderFunc(func() bool { return false })))
	h.officers.add(plan.Officer{ID: 7, Role: plan.RoleChairman, Address: plan.Address{Transport: "telegram", ChatID: "107"}})
	wantItems(t, "15/5 08:00", h.weekly("15/5 08:00"))
}

func TestFirstWorkingDayOfWeek(t *testing.T) {
	cal := calendar.New(calendar.Adjustments{})
	tests := []struct {
		day, want string
		ok        bool
	}{
		{"2023-05-10", "2023-05-08", true}, // Wednesday → Monday
		{"2023-05-14", "2023-05-08", true}, // Sunday belongs to the week before
		{"2023-05-03", "2023-05-04", true}, // 1–3/5 off → Thursday
		{"2023-04-29", "2023-04-24", true},
	}
	for _, tt := range tests {
		d, _ := plan.ParseDate(tt.day)
		got, ok := FirstWorkingDayOfWeek(cal, d)
		if got.String() != tt.want || ok != tt.ok {
			t.Errorf("FirstWorkingDayOfWeek(%s) = %s, %v; want %s, %v", tt.day, got, ok, tt.want, tt.ok)
		}
	}
	// A week entirely off.
	off := calendar.New(calendar.Adjustments{DaysOff: []calendar.Holiday{
		{Date: plan.NewDate(2023, 7, 10), Name: "x"}, {Date: plan.NewDate(2023, 7, 11), Name: "x"},
		{Date: plan.NewDate(2023, 7, 12), Name: "x"}, {Date: plan.NewDate(2023, 7, 13), Name: "x"},
		{Date: plan.NewDate(2023, 7, 14), Name: "x"}}})
	if _, ok := FirstWorkingDayOfWeek(off, plan.NewDate(2023, 7, 12)); ok {
		t.Error("a week with no working day has a first working day")
	}
}

// The weekly digest carries an overdue task's latest blocker, with its
// unit and day.
func TestWeeklyDigestBlocker(t *testing.T) {
	h := weeklyHarness(t)
	h.progress.list = append(h.progress.list,
		plan.Progress{PlanID: 1, TaskCode: "1.d", Unit: unitA, Figure: plan.Figure{Kind: plan.ProgressBlocked, Blocker: "chờ hướng dẫn cũ"},
			ReportedAt: at(t, "18/4 09:00")},
		plan.Progress{PlanID: 1, TaskCode: "1.d", Unit: unitA, Figure: plan.Figure{Kind: plan.ProgressBlocked, Blocker: "chờ Công an thành phố duyệt danh mục"},
			ReportedAt: at(t, "25/4 09:00")})
	items := h.weekly("4/5 08:00")
	if len(items) == 0 {
		t.Fatal("no weekly digest")
	}
	want := "Vướng mắc (Công an phường, 25/4): “chờ Công an thành phố duyệt danh mục”."
	for _, it := range items {
		if !strings.Contains(it.Message.Text, want) {
			t.Errorf("digest to %d lacks %q:\n%s", it.OfficerID, want, it.Message.Text)
		}
	}
}

// The secretariat is asked once a week to set a deadline the importer
// could not read.
func TestUndatedAsk(t *testing.T) {
	p := testPlan(t, at(t, "1/4 10:00"))
	p.Tasks = append(p.Tasks, plan.Task{Code: "2.đ", Title: "Bố trí trang thiết bị để số hóa", Lead: []string{unitB},
		Deadline: plan.Deadline{Kind: plan.DeadlineOpen, Text: "Năm 2023 và các năm tiếp theo"}})
	h := newHarness(t, p)
	ask := func(when string) []plan.OutboxItem {
		t.Helper()
		return h.run(h.s.UndatedAsk, when)
	}
	got := ask("3/4 08:00")
	if len(got) != 1 || got[0].OfficerID != 9 {
		t.Fatalf("3/4: %+v", got)
	}
	for _, w := range []string{"Nhiệm vụ chưa có thời hạn (1)", "<b>2.đ</b> Bố trí trang thiết bị để số hóa — Văn phòng phường",
		"kế hoạch ghi: “Năm 2023 và các năm tiếp theo”", "/sethan 2.đ 30/9/2023"} {
		if !strings.Contains(got[0].Message.Text, w) {
			t.Errorf("ask lacks %q:\n%s", w, got[0].Message.Text)
		}
	}
	if got := ask("4/4 08:00"); len(got) != 0 {
		t.Errorf("asked twice in a week: %+v", got)
	}
	if got := ask("10/4 08:00"); len(got) != 1 {
		t.Errorf("next week: %d asks, want 1", len(got))
	}
}

// TestWeeklyDigestStandingCopy: the standing body gets the secretariat's
// copy, named as its own.
func TestWeeklyDigestStandingCopy(t *testing.T) {
	h := weeklyHarness(t)
	h.s.standingUnit = unitB
	got := h.weekly("4/5 08:00")
	wantItems(t, "4/5 08:00", got, "officer 7 summary [1.d]", "officer 9 summary [1.d]", "officer 6 summary [1.d]")
	if len(got) == 3 && !strings.Contains(got[2].Message.Text, "(bản gửi cơ quan thường trực Văn phòng phường)") {
		t.Errorf("standing body's copy:\n%s", got[2].Message.Text)
	}
}

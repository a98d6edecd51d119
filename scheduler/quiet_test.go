package scheduler

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/chanhlo/planbot/plan"
)

// TestDailyNotice: the secretariat hears once a working day of what
// could not reach people; the tick no longer tells of each missed
// reminder.
func TestDailyNotice(t *testing.T) {
	h := newHarness(t, testPlan(t, at(t, "24/4 10:00")))
	blocked := "Forbidden: bot was blocked by the user"
	q := &fakeQuiet{ledger: h.ledger}
	for _, when := range []string{"4/5 08:00", "4/5 08:00", "4/5 09:00"} {
		q.failed = append(q.failed, plan.OutboxItem{OfficerID: 5, NotBefore: at(t, when), Status: plan.OutboxFailed, LastError: blocked})
	}
	// Given up before the window: told the day before, not again.
	q.failed = append(q.failed, plan.OutboxItem{OfficerID: 6, NotBefore: at(t, "28/4 09:00"), Status: plan.OutboxFailed, LastError: blocked})
	q.invites = []plan.Invite{
		{Code: "a", Unit: unitC, Role: plan.RoleOfficer, ExpiresAt: at(t, "3/5 12:00")},
		{Code: "b", Unit: unitC, Role: plan.RoleDeputy, ExpiresAt: at(t, "5/5 10:00")},
		{Code: "c", Unit: unitB, Role: plan.RoleDeputy, ExpiresAt: at(t, "20/5 10:00")},
	}
	h.s.deps.Quiet = q

	h.tick("27/4 08:00")
	h.tick("28/4 08:00")
	// The due-day notice of 28/4 to Trạm y tế phường (nobody registered)
	// is missed: recorded, not told at once.
	wantItems(t, "4/5 08:00", h.tick("4/5 08:00"), "officer 5 reminder [1.c 1.d]")
	dueC := plan.Reminder{PlanID: 1, TaskCode: "1.c", Unit: unitC, Kind: plan.RemindDue, Occurrence: "2023-04-30"}
	if st := h.ledger.state(dueC.Key()); st != StateMissed {
		t.Fatalf("state = %q, want missed", st)
	}

	ctx := context.Background()
	// 1/5 is Labour Day: no notice.
	if err := h.s.DailyNotice(ctx, at(t, "1/5 16:30")); err != nil {
		t.Fatal(err)
	}
	wantItems(t, "1/5 16:30", h.ledger.take())

	if err := h.s.DailyNotice(ctx, at(t, "4/5 16:30")); err != nil {
		t.Fatal(err)
	}
	got := h.ledger.take()
	wantItems(t, "4/5 16:30", got, "officer 9 notice []")
	golden(t, "daily_notice", got)
	if len(got) == 1 {
		text := got[0].Message.Text
		for _, want := range []string{
			"Công an phường (đồng chí Nguyễn Văn Công) — đã chặn bot: 3 tin.",
			"Trạm y tế phường — chưa có cán bộ đầu mối đăng ký: 1 nhắc việc (1.c).",
			"Đơn vị chưa có cán bộ đầu mối đăng ký: Trạm y tế phường.",
			"Mã mời đã hết hạn, chưa dùng: Trạm y tế phường (3/5/2023).",
			"Mã mời sắp hết hạn, chưa dùng: Trạm y tế phường (5/5/2023).",
		} {
			if !strings.Contains(text, want) {
				t.Errorf("daily notice lacks %q:\n%s", want, text)
			}
		}
		if strings.Count(text, "đã chặn bot") != 1 || strings.Contains(text, "20/5") {
			t.Errorf("daily notice:\n%s", text)
		}
	}

	// Not twice: neither later the same day nor from another replica.
	if err := h.s.DailyNotice(ctx, at(t, "4/5 16:45")); err != nil {
		t.Fatal(err)
	}
	other, err := New(h.s.deps, DefaultPolicy(), WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		t.Fatal(err)
	}
	if err := other.DailyNotice(ctx, at(t, "4/5 16:30")); err != nil {
		t.Fatal(err)
	}
	wantItems(t, "4/5 again", h.ledger.take())

	// The next day: nothing new but the unit still unregistered and the
	// invite expiring; the failures of 4/5 are not repeated.
	if err := h.s.DailyNotice(ctx, at(t, "5/5 16:30")); err != nil {
		t.Fatal(err)
	}
	got = h.ledger.take()
	wantItems(t, "5/5 16:30", got, "officer 9 notice []")
	if len(got) == 1 && (strings.Contains(got[0].Message.Text, "chặn bot") || strings.Contains(got[0].Message.Text, "3/5/2023")) {
		t.Errorf("5/5 repeats 4/5:\n%s", got[0].Message.Text)
	}

	// An unregistered unit alone is no news: told on the week's first
	// working day only.
	for _, day := range []string{"9/5", "10/5", "15/5"} {
		if err := h.s.DailyNotice(ctx, at(t, day+" 16:30")); err != nil {
			t.Fatal(err)
		}
	}
	got = h.ledger.take()
	wantItems(t, "9/5–15/5", got, "officer 9 notice []")
	if len(got) == 1 && !strings.Contains(got[0].Message.Text, "— 15/5/2023\nĐơn vị chưa có cán bộ đầu mối đăng ký: Trạm y tế phường.\n") {
		t.Errorf("15/5:\n%s", got[0].Message.Text)
	}
}

// TestDailyNoticeQuiet: nothing to say, no message; no source, no notice.
func TestDailyNoticeQuiet(t *testing.T) {
	p := testPlan(t, at(t, "24/4 10:00"))
	p.Units = p.Units[:2] // Trạm y tế phường is not in this plan
	p.Tasks[0].Support = p.Tasks[0].Support[:1]
	h := newHarness(t, p)
	ctx := context.Background()
	if err := h.s.DailyNotice(ctx, at(t, "4/5 16:30")); err != nil {
		t.Fatal(err)
	}
	h.s.deps.Quiet = &fakeQuiet{ledger: h.ledger}
	if err := h.s.DailyNotice(ctx, at(t, "4/5 16:30")); err != nil {
		t.Fatal(err)
	}
	wantItems(t, "4/5 16:30", h.ledger.take())
}

package main

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chanhlo/planbot/bot"
	"github.com/chanhlo/planbot/bot/local"
	"github.com/chanhlo/planbot/configs"
	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/storage"
	"github.com/chanhlo/planbot/storage/storagetest"
)

// TestWeeklyDigestJob: Main schedules the chairman's weekly digest and
// OfficeJobs (what the demo runs) sends it on the first working day of
// a week with an escalated task, once, to the chairman and the
// secretariat, and never on a day off.
func TestWeeklyDigestJob(t *testing.T) {
	ctx := context.Background()
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	clock := storagetest.NewClock(time.Date(2023, 4, 3, 9, 0, 0, 0, loc))
	db := storagetest.Open(t, storage.WithClock(clock))
	oneTaskWard(t, db, clock.Now(), local.Name)
	m := &Main{Config: configs.Default(), Logger: slog.New(slog.DiscardHandler), Clock: clock, Loc: loc, DB: db, Manual: true,
		Transports: []bot.Transport{local.New(clock)}}
	if err := m.Run(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	if !slices.Contains(m.Scheduler.Jobs(), "weekly digest") {
		t.Fatalf("jobs = %v, want a weekly digest", m.Scheduler.Jobs())
	}
	weekly := func(when time.Time) []plan.OutboxItem {
		t.Helper()
		clock.Add(when.Sub(clock.Now()))
		if err := m.OfficeJobs(ctx, when); err != nil {
			t.Fatal(err)
		}
		items, err := db.Claim(ctx, "t", when.Add(time.Hour), time.Minute, 100)
		if err != nil {
			t.Fatal(err)
		}
		var out []plan.OutboxItem
		for _, it := range items {
			if err := db.MarkSent(ctx, it.ID, "x", when); err != nil {
				t.Fatal(err)
			}
			if strings.HasPrefix(it.Key, "weekly|") {
				out = append(out, it)
			}
		}
		return out
	}
	// 1.c is due Sunday 30/4; 1–3/5 are days off; three full working days
	// late (4, 5, 8/5), it is escalated on 9/5: not in the week of 8/5.
	if got := weekly(time.Date(2023, 5, 8, 8, 0, 0, 0, loc)); len(got) != 0 {
		t.Errorf("8/5: %d weekly items before the escalation", len(got))
	}
	// Sunday: a day off.
	if got := weekly(time.Date(2023, 5, 14, 8, 0, 0, 0, loc)); len(got) != 0 {
		t.Errorf("Sunday 14/5: %d weekly items", len(got))
	}
	got := weekly(time.Date(2023, 5, 15, 8, 0, 0, 0, loc))
	if len(got) != 2 {
		t.Fatalf("15/5: %d weekly items, want 2 (chairman and secretariat)", len(got))
	}
	for _, it := range got {
		if !strings.Contains(it.Message.Text, "<b>1.c</b> Đăng ký nhiệm vụ — hạn 30/4/2023, quá <b>7 ngày làm việc</b>; đơn vị chủ trì: <b>Công an phường</b>.") {
			t.Errorf("weekly digest:\n%s", it.Message.Text)
		}
	}
	if got := weekly(time.Date(2023, 5, 15, 16, 30, 0, 0, loc)); len(got) != 0 {
		t.Errorf("15/5 16:30: sent again (%d items)", len(got))
	}
	if got := weekly(time.Date(2023, 5, 16, 8, 0, 0, 0, loc)); len(got) != 0 {
		t.Errorf("16/5: sent again (%d items)", len(got))
	}
}

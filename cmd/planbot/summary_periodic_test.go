package main

import (
	"context"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/storage"
	"github.com/chanhlo/planbot/storage/storagetest"
	"github.com/chanhlo/planbot/summary"
	"github.com/chanhlo/planbot/xlsx"
)

// SendPeriodic enqueues the current month's summary on the monthly day
// (and in a quarter's last month the quarter's) to the chairman and the
// secretariat once, however often it runs; a quarter missed while the bot
// was down goes out by the quarterly day of the next month.
func TestSendPeriodic(t *testing.T) {
	f := newPeriodicFixture(t, 22, 5)
	ctx, db, clock, keys, run := f.ctx, f.db, f.clock, f.keys, f.run
	steps := []struct {
		day  plan.Date
		want map[string]int
	}{
		// 21/4: too early; March ended before the import anyway.
		{plan.NewDate(2023, 4, 21), map[string]int{}},
		// 22/4: April, as of that day, to the chairman and the secretariat.
		{plan.NewDate(2023, 4, 22), map[string]int{"2023-04": 2}},
		// The bot is down from 23/4 to 2/7: May and June are lost; Q2
		// goes out after it ended, on the first office day of July.
		{plan.NewDate(2023, 7, 3), map[string]int{"2023-04": 2, "2023-Q2": 2}},
		// 6/7: past the catch-up day, nothing new.
		{plan.NewDate(2023, 7, 6), map[string]int{"2023-04": 2, "2023-Q2": 2}},
		// 22/7: July.
		{plan.NewDate(2023, 7, 22), map[string]int{"2023-04": 2, "2023-Q2": 2, "2023-07": 2}},
		// 22/9: September so far, not Q3: three weeks of it remain.
		{plan.NewDate(2023, 9, 22), map[string]int{"2023-04": 2, "2023-Q2": 2, "2023-07": 2, "2023-09": 2}},
		// 2/10: Q3, judged as of 30/9, now that it has ended.
		{plan.NewDate(2023, 10, 2), map[string]int{"2023-04": 2, "2023-Q2": 2, "2023-07": 2, "2023-09": 2, "2023-Q3": 2}},
	}
	for _, st := range steps {
		run(st.day, 2)
		if got := keys(); !maps.Equal(got, st.want) {
			t.Errorf("%s: keys by period %v, want %v", st.day.Vietnamese(), got, st.want)
		}
	}

	// The April summary went out as of 22/4, with its workbook.
	items, err := db.Claim(ctx, "t", clock.Now().Add(time.Hour), time.Millisecond, 100)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, it := range items {
		if !strings.HasPrefix(it.Key, "summary|2023-04|officer:") {
			continue
		}
		n++
		if it.Context.Kind != plan.ReplySummary || it.Context.Period != "2023-04" {
			t.Errorf("item %+v", it)
		}
		if !strings.Contains(it.Message.Text, "tháng 4/2023") || !strings.Contains(it.Message.Text, "Số liệu đến nay (ngày 22/4/2023)") ||
			it.Message.Document == nil || it.Message.Document.Name != "tong-hop-2023-04.xlsx" {
			t.Errorf("message %q doc %v", it.Message.Text, it.Message.Document)
		}
	}
	if n != 2 {
		t.Errorf("%d April items, want 2", n)
	}
}

// periodicFixture is a one-task ward imported on 3/4/2023 with a chairman
// and a secretariat, and a Periodic sending them summaries.
type periodicFixture struct {
	ctx   context.Context
	db    *storage.DB
	clock *storagetest.Clock
	// keys counts the pending items by period; run calls SendPeriodic
	// times times at 9:00 of day.
	keys func() map[string]int
	run  func(day plan.Date, times int)
}

func newPeriodicFixture(t *testing.T, monthlyDay, quarterlyDay int) periodicFixture {
	t.Helper()
	ctx := context.Background()
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	// The plan is imported in April.
	clock := storagetest.NewClock(time.Date(2023, 4, 3, 9, 0, 0, 0, loc))
	db := storagetest.Open(t, storage.WithClock(clock))
	officers := oneTaskWard(t, db, clock.Now(), "telegram")
	ps := &summary.Periodic{
		Source:   &summary.Source{Plans: db, Progress: db, Loc: loc},
		Officers: officers, Outbox: db, Document: func(s *summary.Summary) (*plan.Document, error) { return xlsx.Document(s) },
		Capabilities: func(string) plan.Capabilities {
			return plan.Capabilities{MaxText: 4096, Buttons: true, ReplyTo: true, Documents: true}
		},
		MonthlyDay: monthlyDay, QuarterlyDay: quarterlyDay,
	}
	// keys counts the pending items by period; it releases them so that
	// the next look sees them again.
	keys := func() map[string]int {
		t.Helper()
		items, err := db.Claim(ctx, "t", clock.Now().Add(time.Hour), time.Millisecond, 100)
		if err != nil {
			t.Fatal(err)
		}
		k := map[string]int{}
		for _, it := range items {
			if err := db.Release(ctx, it.ID, it.NotBefore); err != nil {
				t.Fatal(err)
			}
			k[strings.Split(it.Key, "|")[1]]++
		}
		return k
	}
	run := func(day plan.Date, times int) {
		t.Helper()
		clock.Add(day.At(9, 0, loc).Sub(clock.Now()))
		for range times {
			if err := ps.SendPeriodic(ctx, clock.Now()); err != nil {
				t.Fatal(err)
			}
		}
	}
	return periodicFixture{ctx: ctx, db: db, clock: clock, keys: keys, run: run}
}

// A month's and a quarter's summary due on one day are not sent back to
// back: the quarter's goes first, the month's on the next office day.
func TestSendPeriodicOneSummaryADay(t *testing.T) {
	f := newPeriodicFixture(t, 1, 5)
	f.run(plan.NewDate(2023, 7, 3), 3)
	if got, want := f.keys(), map[string]int{"2023-Q2": 2}; !maps.Equal(got, want) {
		t.Errorf("3/7: keys by period %v, want %v", got, want)
	}
	f.run(plan.NewDate(2023, 7, 6), 3)
	if got, want := f.keys(), map[string]int{"2023-Q2": 2, "2023-07": 2}; !maps.Equal(got, want) {
		t.Errorf("6/7: keys by period %v, want %v", got, want)
	}
}

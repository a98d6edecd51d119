package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/storage"
	"github.com/chanhlo/planbot/storage/storagetest"
	"github.com/chanhlo/planbot/summary"
	"github.com/chanhlo/planbot/xlsx"
)

// SendPeriodic enqueues last month's summary (and after a quarter the
// quarter's) to the chairman and the secretariat once, however often it
// runs.
func TestSendPeriodic(t *testing.T) {
	ctx := context.Background()
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	// The plan is imported in April; the summaries are sent in July.
	clock := storagetest.NewClock(time.Date(2023, 4, 3, 9, 0, 0, 0, loc))
	db := storagetest.Open(t, storage.WithClock(clock))
	officers := oneTaskWard(t, db, clock.Now(), "telegram")
	ps := &summary.Periodic{
		Source:   &summary.Source{Plans: db, Progress: db, Loc: loc},
		Officers: officers, Outbox: db, Document: xlsx.Document,
		Capabilities: func(string) plan.Capabilities {
			return plan.Capabilities{MaxText: 4096, Buttons: true, ReplyTo: true, Documents: true}
		},
		MonthlyDay: 22, QuarterlyDay: 5,
	}
	pending := func() []plan.OutboxItem {
		t.Helper()
		items, err := db.Claim(ctx, "t", clock.Now().Add(time.Hour), time.Millisecond, 100)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			if err := db.Release(ctx, it.ID, it.NotBefore); err != nil {
				t.Fatal(err)
			}
		}
		return items
	}
	// 22/4: March ended before the plan was imported: nothing to send.
	clock.Add(19 * 24 * time.Hour)
	if err := ps.SendPeriodic(ctx, clock.Now()); err != nil {
		t.Fatal(err)
	}
	if got := pending(); len(got) != 0 {
		t.Fatalf("22/4: %d items for a period before the import", len(got))
	}
	clock.Add(time.Date(2023, 7, 21, 9, 0, 0, 0, loc).Sub(clock.Now()))
	// 21/7: too early for June, but Q2 is due since 5/7.
	if err := ps.SendPeriodic(ctx, clock.Now()); err != nil {
		t.Fatal(err)
	}
	q2 := pending()
	if len(q2) != 2 || !strings.HasPrefix(q2[0].Key, "summary|2023-Q2|") {
		t.Fatalf("before the monthly day: %+v", q2)
	}
	// 22/7 and later, twice: June to the chairman and the secretariat, once.
	clock.Add(24 * time.Hour)
	for range 2 {
		if err := ps.SendPeriodic(ctx, clock.Now()); err != nil {
			t.Fatal(err)
		}
	}
	var items []plan.OutboxItem
	for _, it := range pending() {
		if !strings.Contains(it.Key, "Q2") {
			items = append(items, it)
		}
	}
	if len(items) != 2 {
		t.Fatalf("%d June items, want 2", len(items))
	}
	for _, it := range items {
		if !strings.HasPrefix(it.Key, "summary|2023-06|officer:") || it.Context.Kind != plan.ReplySummary || it.Context.Period != "2023-06" {
			t.Errorf("item %+v", it)
		}
		if !strings.Contains(it.Message.Text, "tháng 6/2023") || it.Message.Document == nil || it.Message.Document.Name != "tong-hop-2023-06.xlsx" {
			t.Errorf("message %q doc %v", it.Message.Text, it.Message.Document)
		}
	}
	// 5/10: Q3; 22/10: September as well.
	keys := func() map[string]int {
		k := map[string]int{}
		for _, it := range pending() {
			k[strings.Split(it.Key, "|")[1]]++
		}
		return k
	}
	clock.Add(75 * 24 * time.Hour)
	if err := ps.SendPeriodic(ctx, clock.Now()); err != nil {
		t.Fatal(err)
	}
	if k := keys(); k["2023-Q3"] != 2 || k["2023-09"] != 0 || len(k) != 3 {
		t.Errorf("5/10 keys by period: %v", k)
	}
	clock.Add(17 * 24 * time.Hour)
	if err := ps.SendPeriodic(ctx, clock.Now()); err != nil {
		t.Fatal(err)
	}
	if k := keys(); k["2023-09"] != 2 || k["2023-Q3"] != 2 || len(k) != 4 {
		t.Errorf("22/10 keys by period: %v", k)
	}
}

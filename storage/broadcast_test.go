package storage_test

import (
	"context"
	"testing"
	"time"

	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/storage"
	"github.com/chanhlo/planbot/storage/storagetest"
)

func TestBroadcasts(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		now := storagetest.Epoch
		b := &plan.Broadcast{OrgID: 1, Text: "Họp giao ban Đề án 06 lúc 14h thứ Sáu 12/5/2023", Units: []string{"Công an phường"}, CreatedBy: 9, CreatedAt: now}
		recips := []plan.BroadcastRecipient{
			{OfficerID: 1, Name: "Nguyễn Văn Công", Unit: "Công an phường"},
			{OfficerID: 2, Name: "Trần Thị Hà", Unit: "Trạm y tế phường"},
			{OfficerID: 3, Name: "Lê Văn Đoàn", Unit: "Đoàn phường"},
		}
		if err := db.CreateBroadcast(ctx, b, recips, nil); err != nil {
			t.Fatal(err)
		}
		if b.ID == 0 {
			t.Fatal("no id")
		}
		got, err := db.Broadcast(ctx, b.ID)
		if err != nil || got.Text != b.Text || len(got.Units) != 1 || got.CreatedBy != 9 {
			t.Fatalf("Broadcast = %+v, %v", got, err)
		}
		if _, err := db.Broadcast(ctx, b.ID+100); plan.ErrorCode(err) != plan.ENotFound {
			t.Errorf("missing broadcast: %v", err)
		}

		// The outbox settles two items: one sent, one failed; one pending.
		items := []plan.OutboxItem{}
		for _, r := range recips {
			items = append(items, plan.OutboxItem{OrgID: 1, Key: plan.BroadcastKey(b.ID, r.OfficerID), OfficerID: r.OfficerID,
				Address: plan.Address{Transport: "telegram", ChatID: "c"}, Message: plan.Message{Text: b.Text},
				Context: plan.ReplyContext{Kind: plan.ReplyBroadcast, BroadcastID: b.ID}, NotBefore: now})
		}
		if n, err := db.Enqueue(ctx, items...); err != nil || n != 3 {
			t.Fatalf("enqueue: %d, %v", n, err)
		}
		claimed, err := db.Claim(ctx, "test", now, time.Minute, 10)
		if err != nil || len(claimed) != 3 {
			t.Fatalf("claim: %d, %v", len(claimed), err)
		}
		byOfficer := map[int64]int64{}
		for _, it := range claimed {
			byOfficer[it.OfficerID] = it.ID
		}
		if err := db.MarkSent(ctx, byOfficer[1], "m1", now.Add(time.Second)); err != nil {
			t.Fatal(err)
		}
		if err := db.Fail(ctx, byOfficer[2], "Forbidden: bot was blocked by the user"); err != nil {
			t.Fatal(err)
		}

		first, err := db.Acknowledge(ctx, b.ID, 1, now.Add(time.Minute))
		if err != nil || !first {
			t.Fatalf("first ack: %v %v", first, err)
		}
		again, err := db.Acknowledge(ctx, b.ID, 1, now.Add(2*time.Minute))
		if err != nil || again {
			t.Fatalf("second ack: %v %v", again, err)
		}
		if _, err := db.Acknowledge(ctx, b.ID, 77, now); plan.ErrorCode(err) != plan.ENotFound {
			t.Errorf("ack by a stranger: %v", err)
		}

		rs, err := db.Recipients(ctx, b.ID)
		if err != nil || len(rs) != 3 {
			t.Fatalf("recipients: %v %v", rs, err)
		}
		if rs[0].DeliveredAt == nil || rs[0].AcknowledgedAt == nil || !rs[0].AcknowledgedAt.Equal(now.Add(time.Minute)) {
			t.Errorf("officer 1: %+v", rs[0])
		}
		if rs[1].UnreachableAt == nil || rs[1].DeliveredAt != nil || rs[1].Failure == "" {
			t.Errorf("officer 2: %+v", rs[1])
		}
		if rs[2].DeliveredAt != nil || rs[2].UnreachableAt != nil || rs[2].AcknowledgedAt != nil || rs[2].Name != "Lê Văn Đoàn" {
			t.Errorf("officer 3: %+v", rs[2])
		}

		un, err := db.Unacknowledged(ctx, 1, now.Add(time.Hour))
		if err != nil || len(un) != 1 || un[0].ID != b.ID {
			t.Fatalf("unacknowledged: %v %v", un, err)
		}
		if un, _ := db.Unacknowledged(ctx, 1, now.Add(-time.Hour)); len(un) != 0 {
			t.Errorf("unacknowledged before creation: %v", un)
		}
		if first, err := db.MarkChased(ctx, b.ID, now.Add(time.Hour)); err != nil || !first {
			t.Fatalf("chase: %v %v", first, err)
		}
		if first, _ := db.MarkChased(ctx, b.ID, now.Add(2*time.Hour)); first {
			t.Error("chased twice")
		}
		if un, _ := db.Unacknowledged(ctx, 1, now.Add(time.Hour)); len(un) != 0 {
			t.Errorf("chased broadcast still listed: %v", un)
		}
		latest, err := db.LatestUnacknowledged(ctx, 3, now.Add(-time.Hour))
		if err != nil || latest == nil || latest.ID != b.ID {
			t.Errorf("latest unacknowledged of officer 3: %v %v", latest, err)
		}
		if latest, _ := db.LatestUnacknowledged(ctx, 1, now.Add(-time.Hour)); latest != nil {
			t.Errorf("officer 1 acknowledged, got %v", latest)
		}
		list, err := db.Broadcasts(ctx, 1, 5)
		if err != nil || len(list) != 1 {
			t.Errorf("broadcasts: %v %v", list, err)
		}
	})
}

// A broadcast and its outbox items are stored together or not at all.
func TestCreateBroadcastQueuesAtomically(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		recips := []plan.BroadcastRecipient{{OfficerID: 1, Name: "Nguyễn Văn Công", Unit: "Công an phường"}}
		item := func(org int64) func(*plan.Broadcast) []plan.OutboxItem {
			return func(b *plan.Broadcast) []plan.OutboxItem {
				return []plan.OutboxItem{{OrgID: org, Key: plan.BroadcastKey(b.ID, 1), OfficerID: 1,
					Address: plan.Address{Transport: "telegram", ChatID: "101"}, Message: plan.Message{Text: "Họp giao ban"},
					Context: plan.ReplyContext{Kind: plan.ReplyBroadcast, BroadcastID: b.ID}}}
			}
		}
		// An item the outbox refuses (no organisation) undoes the broadcast.
		bad := &plan.Broadcast{OrgID: 1, Text: "Họp giao ban", CreatedAt: storagetest.Epoch}
		if err := db.CreateBroadcast(ctx, bad, recips, item(0)); err == nil {
			t.Fatal("CreateBroadcast with a refused item succeeded")
		}
		if list, err := db.Broadcasts(ctx, 1, 10); err != nil || len(list) != 0 {
			t.Fatalf("after a failed create: %d broadcasts, %v", len(list), err)
		}
		good := &plan.Broadcast{OrgID: 1, Text: "Họp giao ban", CreatedAt: storagetest.Epoch}
		if err := db.CreateBroadcast(ctx, good, recips, item(1)); err != nil {
			t.Fatal(err)
		}
		counts, err := db.OutboxCounts(ctx)
		if err != nil || counts[plan.OutboxPending] != 1 {
			t.Fatalf("outbox = %v, %v; want the one announcement pending", counts, err)
		}
	})
}

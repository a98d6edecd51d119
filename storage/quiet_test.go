package storage_test

import (
	"context"
	"testing"
	"time"

	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/storage"
	"github.com/chanhlo/planbot/storage/storagetest"
)

func TestQuietSource(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		day := time.Date(2023, 5, 16, 9, 0, 0, 0, vn)

		// Reminders: two missed in the day, one enqueued, one missed the day before.
		rs := reminders(4)
		if _, err := db.Record(ctx, rs); err != nil {
			t.Fatal(err)
		}
		settle := func(rs []plan.Reminder, state string, at time.Time) {
			t.Helper()
			if _, err := db.SettleReminders(ctx, keys(rs), state, at); err != nil {
				t.Fatal(err)
			}
		}
		settle(rs[:2], storage.LedgerMissed, day)
		settle(rs[2:3], storage.LedgerEnqueued, day)
		settle(rs[3:], storage.LedgerMissed, day.Add(-24*time.Hour))
		missed, err := db.MissedReminders(ctx, day.Add(-time.Hour), day.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if len(missed) != 2 || missed[0].Key() != rs[0].Key() || missed[1].Key() != rs[1].Key() {
			t.Errorf("MissedReminders = %+v, want the first two", missed)
		}

		// Deliveries: one given up in the day, one sent, one given up the day before.
		to := plan.Address{Transport: "telegram", ChatID: "7"}
		var items []plan.OutboxItem
		for i, at := range []time.Time{day, day, day.Add(-24 * time.Hour)} {
			items = append(items, plan.OutboxItem{OrgID: plan.DefaultOrg, Key: "k" + string(rune('a'+i)), OfficerID: 7, Address: to,
				Message: plan.Message{Text: "x"}, NotBefore: at})
		}
		if _, err := db.Enqueue(ctx, items...); err != nil {
			t.Fatal(err)
		}
		claimed, err := db.Claim(ctx, "me", day.Add(time.Minute), time.Minute, 10)
		if err != nil || len(claimed) != 3 {
			t.Fatalf("Claim = %d items, %v", len(claimed), err)
		}
		for _, it := range claimed {
			if it.Key == "kb" {
				if err := db.MarkSent(ctx, it.ID, "m1", day); err != nil {
					t.Fatal(err)
				}
			} else if err := db.Fail(ctx, it.ID, "Forbidden: bot was blocked by the user"); err != nil {
				t.Fatal(err)
			}
		}
		failed, err := db.FailedDeliveries(ctx, plan.DefaultOrg, day.Add(-time.Hour), day.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if len(failed) != 1 || failed[0].Key != "ka" || failed[0].LastError == "" || failed[0].OfficerID != 7 {
			t.Errorf("FailedDeliveries = %+v, want ka", failed)
		}

		// Invites: an open one, an expired one, a used one.
		s := db.OfficerStore()
		for _, inv := range []plan.Invite{
			{Code: "open", Unit: "Đoàn phường", ExpiresAt: day.Add(24 * time.Hour)},
			{Code: "expired", Unit: "Trạm y tế phường", ExpiresAt: day.Add(-time.Hour)},
			{Code: "used", Unit: "Công an phường", ExpiresAt: day.Add(48 * time.Hour)},
		} {
			inv.OrgID, inv.Role, inv.CreatedAt = plan.DefaultOrg, plan.RoleOfficer, day.Add(-7*24*time.Hour)
			if err := s.CreateInvite(ctx, &inv); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.RedeemInvite(ctx, "used", person("u"), day.Add(-2*time.Hour)); err != nil {
			t.Fatal(err)
		}
		open, err := db.OpenInvites(ctx, plan.DefaultOrg, day.Add(-2*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if len(open) != 2 || open[0].Code != "expired" || open[1].Code != "open" || open[1].Unit != "Đoàn phường" {
			t.Errorf("OpenInvites = %+v, want expired and open", open)
		}
	})
}

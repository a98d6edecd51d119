package storage_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/storage"
	"github.com/chanhlo/planbot/storage/storagetest"
)

var vn = time.FixedZone("ICT", 7*3600)

func reminders(n int) []plan.Reminder {
	var rs []plan.Reminder
	for i := range n {
		rs = append(rs, plan.Reminder{
			PlanID:     1,
			TaskCode:   fmt.Sprintf("1.%d", i),
			Unit:       "Công an phường",
			Kind:       plan.RemindBefore,
			Occurrence: "2023-04-28",
			At:         time.Date(2023, 4, 19, 8, 0, 0, 0, vn),
		})
	}
	return rs
}

func keys(rs []plan.Reminder) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Key())
	}
	return out
}

func TestLedgerRecord(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		rs := reminders(3)
		got, err := db.Record(ctx, rs)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(keys(got), keys(rs)) {
			t.Fatalf("first Record = %v, want all", keys(got))
		}
		// Recording again, with one new reminder and a duplicate inside
		// the batch, returns only the new one, once.
		extra := rs[0]
		extra.Kind = plan.RemindDue
		got, err = db.Record(ctx, append(append(rs, extra), extra))
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{extra.Key()}; !slices.Equal(keys(got), want) {
			t.Fatalf("second Record = %v, want %v", keys(got), want)
		}
		if got, err := db.Record(ctx, nil); err != nil || got != nil {
			t.Fatalf("Record(nil) = %v, %v", got, err)
		}
		st, err := db.ReminderState(ctx, rs[1].Key())
		if err != nil || st != storage.LedgerPending {
			t.Fatalf("state = %q, %v; want pending", st, err)
		}
		if st, _ := db.ReminderState(ctx, "nope"); st != "" {
			t.Fatalf("state of unknown key = %q", st)
		}
	})
}

// TestLedgerRecordMany: a report day's reminders take several
// statements; those recorded before, wherever they fall, are left out and
// the rest come back in the order given.
func TestLedgerRecordMany(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		rs := reminders(450)
		var before []plan.Reminder
		for i := 0; i < len(rs); i += 7 {
			before = append(before, rs[i])
		}
		if _, err := db.Record(ctx, before); err != nil {
			t.Fatal(err)
		}
		slices.Reverse(rs)
		got, err := db.Record(ctx, rs)
		if err != nil {
			t.Fatal(err)
		}
		var want []plan.Reminder
		for _, r := range rs {
			if !slices.Contains(keys(before), r.Key()) {
				want = append(want, r)
			}
		}
		if !slices.Equal(keys(got), keys(want)) {
			t.Fatalf("Record returned %d reminders, want the %d not recorded before, in order", len(got), len(want))
		}
	})
}

func TestLedgerUnsentAndSettle(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		rs := reminders(4)
		if _, err := db.Record(ctx, rs); err != nil {
			t.Fatal(err)
		}
		// The store's clock stands at storagetest.Epoch: nothing was
		// recorded before it.
		if got, err := db.UnsentReminders(ctx, []int64{1}, storagetest.Epoch); err != nil || len(got) != 0 {
			t.Fatalf("Unsent(before epoch) = %v, %v", got, err)
		}
		after := storagetest.Epoch.Add(time.Minute)
		got, err := db.UnsentReminders(ctx, []int64{1}, after)
		if err != nil {
			t.Fatal(err)
		}
		// Another ward's plan has its own reminders.
		if other, err := db.UnsentReminders(ctx, []int64{2, 3}, after); err != nil || len(other) != 0 {
			t.Fatalf("Unsent of plans 2 and 3 = %v, %v; want none: the reminders are plan 1's", keys(other), err)
		}
		if !slices.Equal(keys(got), keys(rs)) {
			t.Fatalf("Unsent = %v, want %v", keys(got), keys(rs))
		}
		if !got[0].At.Equal(rs[0].At) {
			t.Fatalf("At = %v, want %v", got[0].At, rs[0].At)
		}
		if got[0] != (plan.Reminder{PlanID: 1, TaskCode: "1.0", Unit: "Công an phường", Kind: plan.RemindBefore, Occurrence: "2023-04-28", At: rs[0].At.UTC()}) {
			t.Fatalf("round trip = %+v", got[0])
		}
		item := plan.OutboxItem{OrgID: 1, Key: "remind|2023-04-19|officer:5|abc", OfficerID: 5,
			Address: plan.Address{Transport: "telegram", ChatID: "5"}, Message: plan.Message{Text: "⏰"},
			Context: plan.ReplyContext{Kind: plan.ReplyReminder, TaskCodes: []string{"1.0", "1.1"}}, NotBefore: after}
		if n, err := db.SettleReminders(ctx, []string{rs[0].Key(), rs[1].Key()}, storage.LedgerEnqueued, after, item); err != nil || n != 1 {
			t.Fatalf("settle with item = %d, %v; want 1 added", n, err)
		}
		// The same item again (a retry) is not queued twice.
		if n, err := db.SettleReminders(ctx, []string{rs[1].Key(), rs[2].Key()}, storage.LedgerMissed, after, item); err != nil || n != 0 {
			t.Fatalf("settle again = %d, %v; want 0 added", n, err)
		}
		if _, err := db.SettleReminders(ctx, []string{"x"}, "sent", after); err == nil {
			t.Fatal("unknown state accepted")
		}
		due, err := db.Claim(ctx, "test", after.Add(time.Hour), time.Minute, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(due) != 1 || due[0].Key != item.Key || !slices.Equal(due[0].Context.TaskCodes, item.Context.TaskCodes) {
			t.Fatalf("outbox = %+v, want the one item", due)
		}
		for i, want := range []string{storage.LedgerEnqueued, storage.LedgerEnqueued, storage.LedgerMissed, storage.LedgerPending} {
			if st, err := db.ReminderState(ctx, rs[i].Key()); err != nil || st != want {
				t.Errorf("state of %d = %q, %v; want %q", i, st, err, want)
			}
		}
		got, err = db.UnsentReminders(ctx, []int64{1, 2}, after)
		if err != nil {
			t.Fatal(err)
		}
		if want := keys(rs[3:]); !slices.Equal(keys(got), want) {
			t.Fatalf("Unsent after settle = %v, want %v", keys(got), want)
		}
	})
}

// A tick bigger than one statement (more reminders than one UPDATE
// settles, more items than one INSERT adds) is settled whole, and the
// statement of an ordinary tick (PostgreSQL's single statement) settles
// and queues as the transaction does.
func TestSettleRemindersAnySize(t *testing.T) {
	for _, tc := range []struct{ reminders, items int }{{35, 11}, {1, 0}, {600, 250}} {
		t.Run(fmt.Sprintf("%d_reminders_%d_items", tc.reminders, tc.items), func(t *testing.T) {
			storagetest.ForEachEngine(t, func(t *testing.T, db *storage.DB) {
				ctx := context.Background()
				rs := reminders(tc.reminders + 1)
				if _, err := db.Record(ctx, rs); err != nil {
					t.Fatal(err)
				}
				var items []plan.OutboxItem
				for i := range tc.items {
					items = append(items, plan.OutboxItem{OrgID: 1, Key: fmt.Sprintf("remind|%d", i), OfficerID: int64(i + 1),
						Address: plan.Address{Transport: "telegram", ChatID: fmt.Sprint(i + 1)}, Message: plan.Message{Text: fmt.Sprintf("⏰ %d", i)}})
				}
				at := storagetest.Epoch.Add(time.Minute)
				settled := keys(rs[:tc.reminders])
				n, err := db.SettleReminders(ctx, settled, storage.LedgerEnqueued, at, items...)
				if err != nil || n != tc.items {
					t.Fatalf("settle = %d, %v; want %d added", n, err, tc.items)
				}
				// Again, as a retried tick: nothing queued twice, first state kept.
				if n, err := db.SettleReminders(ctx, settled, storage.LedgerMissed, at, items...); err != nil || n != 0 {
					t.Fatalf("settle again = %d, %v; want 0 added", n, err)
				}
				for _, i := range []int{0, tc.reminders - 1} {
					if st, err := db.ReminderState(ctx, rs[i].Key()); err != nil || st != storage.LedgerEnqueued {
						t.Errorf("state of reminder %d = %q, %v; want %q", i, st, err, storage.LedgerEnqueued)
					}
				}
				if st, err := db.ReminderState(ctx, rs[tc.reminders].Key()); err != nil || st != storage.LedgerPending {
					t.Errorf("state of the reminder not settled = %q, %v; want pending", st, err)
				}
				due, err := db.Claim(ctx, "test", at.Add(time.Hour), time.Minute, 1000)
				if err != nil {
					t.Fatal(err)
				}
				if len(due) != tc.items {
					t.Fatalf("outbox holds %d items, want %d", len(due), tc.items)
				}
				for i, it := range due {
					if it.Key != items[i].Key || it.Message.Text != items[i].Message.Text || it.Address != items[i].Address || it.Status != plan.OutboxPending {
						t.Fatalf("item %d = %+v, want %+v", i, it, items[i])
					}
				}
			})
		})
	}
}

// ledgerHandles opens two independent handles on one fresh database, as
// two replicas of the bot would.
func ledgerHandles(t *testing.T, engine string) (*storage.DB, *storage.DB) {
	t.Helper()
	opts := []storage.Option{storage.WithLogger(slog.New(slog.DiscardHandler))}
	dsn := filepath.Join(t.TempDir(), "planbot.db")
	if engine == storage.EnginePostgres {
		dsn = os.Getenv(storagetest.PostgresEnv)
		if dsn == "" {
			t.Skipf("PostgreSQL tests skipped: set %s", storagetest.PostgresEnv)
		}
		opts = append(opts, storage.WithSchema(storagetest.NewSchema(t, dsn)))
	}
	var dbs [2]*storage.DB
	for i := range dbs {
		db, err := storage.Open(context.Background(), dsn, opts...)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		dbs[i] = db
	}
	return dbs[0], dbs[1]
}

func TestLedgerRecordConcurrent(t *testing.T) {
	for _, engine := range []string{storage.EngineSQLite, storage.EnginePostgres} {
		t.Run(engine, func(t *testing.T) {
			a, b := ledgerHandles(t, engine)
			rs := reminders(40)
			for round := range 5 {
				// Each round records a fresh set from four goroutines,
				// two per handle, in different orders.
				set := slices.Clone(rs)
				for i := range set {
					set[i].Occurrence = fmt.Sprintf("round-%d", round)
				}
				var (
					mu    sync.Mutex
					count = map[string]int{}
					wg    sync.WaitGroup
				)
				for g, db := range []*storage.DB{a, b, a, b} {
					batch := slices.Clone(set)
					if g%2 == 1 {
						slices.Reverse(batch)
					}
					wg.Add(1)
					go func() {
						defer wg.Done()
						got, err := db.Record(context.Background(), batch)
						if err != nil {
							t.Error(err)
							return
						}
						mu.Lock()
						defer mu.Unlock()
						for _, r := range got {
							count[r.Key()]++
						}
					}()
				}
				wg.Wait()
				for _, r := range set {
					if n := count[r.Key()]; n != 1 {
						t.Errorf("round %d: %s returned %d times, want exactly once", round, r.Key(), n)
					}
				}
			}
		})
	}
}

// The daily notice of a ward lists its own plans' missed reminders of the
// day, whatever other wards missed.
func TestMissedRemindersOfPlans(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		rs := reminders(4)
		rs[2].PlanID, rs[3].PlanID = 2, 2
		if _, err := db.Record(ctx, rs); err != nil {
			t.Fatal(err)
		}
		at := storagetest.Epoch.Add(time.Hour)
		if _, err := db.SettleReminders(ctx, keys(rs[:3]), storage.LedgerMissed, at); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SettleReminders(ctx, keys(rs[3:]), storage.LedgerEnqueued, at); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			plans        []int64
			since, until time.Time
			want         []plan.Reminder
		}{
			{[]int64{1}, storagetest.Epoch, at.Add(time.Second), rs[:2]},
			{[]int64{2}, storagetest.Epoch, at.Add(time.Second), rs[2:3]},
			{[]int64{1, 2}, storagetest.Epoch, at.Add(time.Second), rs[:3]},
			{[]int64{1, 2}, at.Add(time.Second), at.Add(time.Hour), nil},
			{[]int64{1, 2}, storagetest.Epoch, at, nil},
			{nil, storagetest.Epoch, at.Add(time.Second), nil},
		} {
			got, err := db.MissedReminders(ctx, tc.plans, tc.since, tc.until)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(keys(got), keys(tc.want)) {
				t.Errorf("missed of plans %v in [%s, %s) = %v, want %v", tc.plans, tc.since, tc.until, keys(got), keys(tc.want))
			}
		}
	})
}

// TestRecordQueued: a tick's new reminders recorded and their message
// queued in one step; when any of them is in the ledger already nothing
// is written, so the caller's Record splits them as before.
func TestRecordQueued(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		rs := reminders(5)
		at := storagetest.Epoch.Add(time.Minute)
		item := func(key string) plan.OutboxItem {
			return plan.OutboxItem{OrgID: 1, Key: key, OfficerID: 5,
				Address: plan.Address{Transport: "telegram", ChatID: "5"}, Message: plan.Message{Text: "⏰ " + key},
				Context: plan.ReplyContext{Kind: plan.ReplyReminder, TaskCodes: []string{"1.0", "1.1"}}, NotBefore: at}
		}
		// rs[0..2] queued, rs[3] waiting (nobody to send it to), one given twice.
		ok, n, err := db.RecordQueued(ctx, append(rs[:3:3], rs[0]), rs[3:4], at, item("a"), item("b"))
		if err != nil || !ok || n != 2 {
			t.Fatalf("RecordQueued = %v, %d, %v; want true, 2 items", ok, n, err)
		}
		for i, want := range []string{storage.LedgerEnqueued, storage.LedgerEnqueued, storage.LedgerEnqueued, storage.LedgerPending, ""} {
			if st, err := db.ReminderState(ctx, rs[i].Key()); err != nil || st != want {
				t.Errorf("state of %d = %q, %v; want %q", i, st, err, want)
			}
		}
		if got, err := db.UnsentReminders(ctx, []int64{1}, at.Add(time.Hour)); err != nil || !slices.Equal(keys(got), keys(rs[3:4])) {
			t.Fatalf("Unsent = %v, %v; want the waiting one", keys(got), err)
		}
		if got, _ := db.Record(ctx, rs); !slices.Equal(keys(got), keys(rs[4:])) {
			t.Fatalf("Record after RecordQueued = %v, want only the one never recorded", keys(got))
		}

		// One of them recorded already (rs[4], just now): nothing written,
		// not the other reminder, not the item.
		more := reminders(7)[5:]
		ok, n, err = db.RecordQueued(ctx, append(more[:1:1], rs[4]), more[1:], at, item("c"))
		if err != nil || ok || n != 0 {
			t.Fatalf("RecordQueued over a recorded key = %v, %d, %v; want false, 0, nil", ok, n, err)
		}
		for _, r := range more {
			if st, _ := db.ReminderState(ctx, r.Key()); st != "" {
				t.Errorf("%s recorded as %q by a RecordQueued that found a key taken", r.Key(), st)
			}
		}
		if st, _ := db.ReminderState(ctx, rs[4].Key()); st != storage.LedgerPending {
			t.Errorf("the taken key's state = %q, want it left pending", st)
		}
		// An item already queued is not queued twice.
		ok, n, err = db.RecordQueued(ctx, more, nil, at, item("a"), item("c"))
		if err != nil || !ok || n != 1 {
			t.Fatalf("RecordQueued with a queued item = %v, %d, %v; want true, 1", ok, n, err)
		}
		due, err := db.Claim(ctx, "test", at.Add(time.Hour), time.Minute, 10)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, it := range due {
			got = append(got, it.Key)
		}
		if want := []string{"a", "b", "c"}; !slices.Equal(got, want) {
			t.Fatalf("outbox = %v, want %v", got, want)
		}
		// More than one statement's worth is left to Record.
		if ok, _, err := db.RecordQueued(ctx, reminders(301)[100:], nil, at); ok || err != nil {
			t.Fatalf("RecordQueued of 200+ = %v, %v; want false, nil", ok, err)
		}
	})
}

// TestShortStatementsRefuseADoneContext: the short statements run
// without their context's cancellation once started, but one whose
// context is already done does not start.
func TestShortStatementsRefuseADoneContext(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, db *storage.DB) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		for name, err := range map[string]error{
			"officers": func() error { _, err := db.OfficerStore().Officers(ctx, 1); return err }(),
			"unsent":   func() error { _, err := db.UnsentReminders(ctx, []int64{1}, storagetest.Epoch); return err }(),
			"progress": func() error { _, err := db.ListProgress(ctx, plan.ProgressFilter{OrgID: 1, PlanID: 1}); return err }(),
			"plans":    func() error { _, err := db.Plans(ctx, 1); return err }(),
			"record queued": func() error {
				_, _, err := db.RecordQueued(ctx, reminders(1), nil, storagetest.Epoch)
				return err
			}(),
		} {
			if !errors.Is(err, context.Canceled) {
				t.Errorf("%s with a cancelled context: %v, want context.Canceled", name, err)
			}
		}
		if st, _ := db.ReminderState(context.Background(), reminders(1)[0].Key()); st != "" {
			t.Errorf("RecordQueued with a cancelled context recorded %q", st)
		}
	})
}

package storage_test

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/storage"
	"github.com/chanhlo/planbot/storage/storagetest"
)

var tg = func(chat string) plan.Address { return plan.Address{Transport: "telegram", ChatID: chat} }

func outboxItem(key, chat string, notBefore time.Time) plan.OutboxItem {
	return plan.OutboxItem{
		OrgID: 1, Key: key, OfficerID: 7, Address: tg(chat), NotBefore: notBefore,
		Message: plan.Message{Text: "Nhắc việc: <b>" + key + "</b>"},
		Context: plan.ReplyContext{Kind: plan.ReplyReminder, PlanID: 1, TaskCodes: []string{"2.1"}, Unit: "Công an phường"},
	}
}

func claimIDs(t *testing.T, db *storage.DB, owner string, now time.Time, lease time.Duration, limit int) []string {
	t.Helper()
	items, err := db.Claim(context.Background(), owner, now, lease, limit)
	if err != nil {
		t.Fatal(err)
	}
	keys := make([]string, len(items))
	for i, it := range items {
		keys[i] = it.Key
	}
	return keys
}

func TestOutboxEnqueueIdempotentAndRoundTrip(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		t0 := storagetest.Epoch
		doc := &plan.Document{Name: "tong-hop.xlsx", MIME: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Data: []byte{0, 1, 2, 0xff}, Caption: "Tổng hợp tháng 4"}
		a := outboxItem("a", "100", t0)
		a.Message.Document = doc
		a.Message.Choices = []plan.Choice{{Label: "Đã xong", Data: "done:2.1"}}
		n, err := db.Enqueue(ctx, a, outboxItem("b", "100", t0), outboxItem("a", "999", t0))
		if err != nil {
			t.Fatal(err)
		}
		if n != 2 {
			t.Errorf("first enqueue added %d, want 2 (duplicate key in one call)", n)
		}
		n, err = db.Enqueue(ctx, outboxItem("b", "100", t0), outboxItem("c", "100", t0))
		if err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Errorf("second enqueue added %d, want 1", n)
		}
		items, err := db.Claim(ctx, "r1", t0, time.Minute, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(items) != 3 {
			t.Fatalf("claimed %d, want 3", len(items))
		}
		got := items[0]
		if got.Key != "a" || got.Address != tg("100") || got.OrgID != 1 || got.OfficerID != 7 || got.Status != plan.OutboxPending {
			t.Errorf("item = %+v", got)
		}
		if got.Message.Document == nil || string(got.Message.Document.Data) != string(doc.Data) || got.Message.Document.Caption != doc.Caption {
			t.Errorf("document = %+v, want %+v", got.Message.Document, doc)
		}
		if len(got.Message.Choices) != 1 || got.Message.Text != a.Message.Text {
			t.Errorf("message = %+v", got.Message)
		}
		if got.Context.Kind != plan.ReplyReminder || got.Context.Unit != "Công an phường" || !slices.Equal(got.Context.TaskCodes, []string{"2.1"}) {
			t.Errorf("context = %+v", got.Context)
		}
		if !got.NotBefore.Equal(t0) {
			t.Errorf("not before = %v, want %v", got.NotBefore, t0)
		}
		if _, err := db.Enqueue(ctx, plan.OutboxItem{Key: "x", Address: tg("1")}); err == nil {
			t.Error("enqueue without organisation: no error")
		}
	})
}

func TestOutboxClaimLeases(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		t0 := storagetest.Epoch
		if _, err := db.Enqueue(ctx,
			outboxItem("late", "1", t0.Add(time.Hour)),
			outboxItem("second", "1", t0.Add(-time.Minute)),
			outboxItem("first", "1", t0.Add(-2*time.Minute)),
			outboxItem("third", "2", t0),
		); err != nil {
			t.Fatal(err)
		}
		if next, ok, err := db.NextDue(ctx); err != nil || !ok || !next.Equal(t0.Add(-2*time.Minute)) {
			t.Errorf("NextDue = %v %v %v, want %v", next, ok, err, t0.Add(-2*time.Minute))
		}
		// Due items go in the order they were enqueued, whatever their
		// NotBefore: a retried item keeps its place.
		if got, want := claimIDs(t, db, "r1", t0, time.Minute, 2), []string{"second", "first"}; !slices.Equal(got, want) {
			t.Errorf("r1 claimed %v, want %v", got, want)
		}
		if got, want := claimIDs(t, db, "r2", t0, time.Minute, 10), []string{"third"}; !slices.Equal(got, want) {
			t.Errorf("r2 claimed %v, want %v (leased and future items skipped)", got, want)
		}
		// r1 restarted: its own leases come back at once.
		if got, want := claimIDs(t, db, "r1", t0.Add(time.Second), time.Minute, 10), []string{"second", "first"}; !slices.Equal(got, want) {
			t.Errorf("r1 reclaimed %v, want %v", got, want)
		}
		// r1 died: after the lease r3 takes its items.
		if got := claimIDs(t, db, "r3", t0.Add(30*time.Second), time.Minute, 10); len(got) != 0 {
			t.Errorf("r3 claimed %v during r1's lease", got)
		}
		if next, _, _ := db.NextDue(ctx); !next.Equal(t0.Add(time.Minute)) {
			t.Errorf("NextDue = %v, want end of r2's lease %v", next, t0.Add(time.Minute))
		}
		if got, want := claimIDs(t, db, "r3", t0.Add(2*time.Minute), time.Minute, 10), []string{"second", "first", "third"}; !slices.Equal(got, want) {
			t.Errorf("r3 claimed %v, want %v", got, want)
		}
		if got, want := claimIDs(t, db, "r3", t0.Add(time.Hour), time.Minute, 10), []string{"late", "second", "first", "third"}; !slices.Equal(got, want) {
			t.Errorf("r3 claimed at +1h %v, want %v", got, want)
		}
	})
}

func TestOutboxTransitions(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		t0 := storagetest.Epoch
		if _, err := db.Enqueue(ctx, outboxItem("s", "1", t0), outboxItem("r", "1", t0), outboxItem("f", "-100", t0), outboxItem("m", "-100", t0)); err != nil {
			t.Fatal(err)
		}
		items, err := db.Claim(ctx, "r1", t0, time.Minute, 10)
		if err != nil || len(items) != 4 {
			t.Fatalf("claim = %d items, %v", len(items), err)
		}
		id := map[string]int64{}
		for _, it := range items {
			id[it.Key] = it.ID
		}
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		must(db.MarkSent(ctx, id["s"], "4242", t0.Add(time.Second)))
		must(db.Retry(ctx, id["r"], t0.Add(time.Hour), "timeout"))
		must(db.Fail(ctx, id["f"], "Forbidden: bot was blocked by the user"))
		must(db.Fail(ctx, id["s"], "late failure")) // sent stays sent
		moved, err := db.MoveAddress(ctx, tg("-100"), tg("-100777"))
		must(err)
		if moved != 1 {
			t.Errorf("moved %d, want 1 (only the pending item)", moved)
		}
		must(db.Release(ctx, id["m"], t0))

		s, err := db.OutboxItem(ctx, id["s"])
		must(err)
		if s.Status != plan.OutboxSent || s.ExternalID != "4242" || s.SentAt == nil || !s.SentAt.Equal(t0.Add(time.Second)) {
			t.Errorf("sent item = %+v", s)
		}
		r, err := db.OutboxItem(ctx, id["r"])
		must(err)
		if r.Status != plan.OutboxPending || r.Attempts != 1 || r.LastError != "timeout" || !r.NotBefore.Equal(t0.Add(time.Hour)) {
			t.Errorf("retried item = %+v", r)
		}
		f, err := db.OutboxItem(ctx, id["f"])
		must(err)
		if f.Status != plan.OutboxFailed || f.Attempts != 1 {
			t.Errorf("failed item = %+v", f)
		}
		m, err := db.OutboxItem(ctx, id["m"])
		must(err)
		if m.Address != tg("-100777") || m.Attempts != 0 {
			t.Errorf("moved item = %+v", m)
		}
		// Released and moved: another owner may take it at once.
		if got := claimIDs(t, db, "r2", t0, time.Minute, 10); !slices.Equal(got, []string{"m"}) {
			t.Errorf("r2 claimed %v, want [m]", got)
		}

		found, err := db.ByExternalID(ctx, tg("1"), "4242")
		must(err)
		if found.Key != "s" || found.Context.Kind != plan.ReplyReminder {
			t.Errorf("ByExternalID = %+v", found)
		}
		for _, tt := range []struct {
			to  plan.Address
			ext string
		}{{tg("2"), "4242"}, {tg("1"), "4243"}, {tg("1"), ""}} {
			if _, err := db.ByExternalID(ctx, tt.to, tt.ext); plan.ErrorCode(err) != plan.ENotFound {
				t.Errorf("ByExternalID(%v, %q) = %v, want not found", tt.to, tt.ext, err)
			}
		}
		if err := db.Retry(ctx, 99999, t0, "x"); plan.ErrorCode(err) != plan.ENotFound {
			t.Errorf("Retry(unknown) = %v, want not found", err)
		}
		counts, err := db.OutboxCounts(ctx)
		must(err)
		if counts[plan.OutboxSent] != 1 || counts[plan.OutboxFailed] != 1 || counts[plan.OutboxPending] != 2 {
			t.Errorf("counts = %v", counts)
		}
		if _, ok, err := db.NextDue(ctx); err != nil || !ok {
			t.Errorf("NextDue = %v, %v", ok, err)
		}
	})
}

// TestOutboxConcurrentClaims has four concurrent claimers (on the pool's
// separate connections) drain 300 items; every item must be claimed
// exactly once.
func TestOutboxConcurrentClaims(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		t0 := storagetest.Epoch
		const n = 300
		items := make([]plan.OutboxItem, n)
		for i := range items {
			items[i] = outboxItem(fmt.Sprintf("k%03d", i), fmt.Sprint(i%17), t0)
		}
		if _, err := db.Enqueue(ctx, items...); err != nil {
			t.Fatal(err)
		}
		var (
			mu   sync.Mutex
			seen = map[string]string{}
			wg   sync.WaitGroup
			errs = make(chan error, 4)
		)
		for w := range 4 {
			owner := fmt.Sprintf("r%d", w)
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					got, err := db.Claim(ctx, owner, t0, time.Hour, 7)
					if err != nil {
						errs <- err
						return
					}
					if len(got) == 0 {
						return
					}
					mu.Lock()
					for _, it := range got {
						if prev, dup := seen[it.Key]; dup {
							errs <- fmt.Errorf("%s claimed by %s and %s", it.Key, prev, owner)
						}
						seen[it.Key] = owner
					}
					mu.Unlock()
					for _, it := range got {
						if err := db.MarkSent(ctx, it.ID, "m"+it.Key, t0); err != nil {
							errs <- err
							return
						}
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		if len(seen) != n {
			t.Errorf("claimed %d distinct items, want %d", len(seen), n)
		}
	})
}

// An item released until a moment finer than the microsecond the
// databases keep is never due before that moment: rounded down, the
// dispatcher would claim it early, be told to wait by the rate limiter
// and release it again, without end.
func TestOutboxReleaseRoundsUp(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		t0 := storagetest.Epoch
		if _, err := db.Enqueue(ctx, outboxItem("a", "1", t0)); err != nil {
			t.Fatal(err)
		}
		items, err := db.Claim(ctx, "r1", t0, time.Minute, 10)
		if err != nil || len(items) != 1 {
			t.Fatalf("claim = %d items, %v", len(items), err)
		}
		until := t0.Add(time.Second + 333*time.Nanosecond)
		if err := db.Release(ctx, items[0].ID, until); err != nil {
			t.Fatal(err)
		}
		next, ok, err := db.NextDue(ctx)
		if err != nil || !ok || next.Before(until) {
			t.Fatalf("NextDue = %s, %v, %v; want not before %s", next, ok, err, until)
		}
		if got := claimIDs(t, db, "r1", until.Add(-time.Nanosecond), time.Minute, 10); len(got) != 0 {
			t.Errorf("claimed before its time: %v", got)
		}
		if got := claimIDs(t, db, "r1", next, time.Minute, 10); !slices.Equal(got, []string{"a"}) {
			t.Errorf("claimed at NextDue: %v", got)
		}
	})
}

// OldestDuePending is the not-before time of the oldest pending item
// that is due: items held for later, sent or failed do not count.
func TestOutboxOldestDuePending(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		t0 := storagetest.Epoch
		if _, ok, err := db.OldestDuePending(ctx, t0); err != nil || ok {
			t.Fatalf("empty outbox: OldestDuePending = %v, %v; want none", ok, err)
		}
		if _, err := db.Enqueue(ctx,
			outboxItem("sent", "1", t0.Add(-time.Hour)),
			outboxItem("failed", "1", t0.Add(-50*time.Minute)),
			outboxItem("old", "1", t0.Add(-10*time.Minute)),
			outboxItem("new", "1", t0.Add(-time.Minute)),
			outboxItem("later", "1", t0.Add(time.Hour)),
		); err != nil {
			t.Fatal(err)
		}
		items, err := db.Claim(ctx, "r1", t0, time.Minute, 2)
		if err != nil || len(items) != 2 {
			t.Fatalf("claim = %v, %v", items, err)
		}
		if err := db.MarkSent(ctx, items[0].ID, "1", t0); err != nil {
			t.Fatal(err)
		}
		if err := db.Fail(ctx, items[1].ID, "refused"); err != nil {
			t.Fatal(err)
		}
		got, ok, err := db.OldestDuePending(ctx, t0)
		if err != nil || !ok || !got.Equal(t0.Add(-10*time.Minute)) {
			t.Errorf("OldestDuePending = %v, %v, %v; want %v", got, ok, err, t0.Add(-10*time.Minute))
		}
		if _, ok, err := db.OldestDuePending(ctx, t0.Add(-20*time.Minute)); err != nil || ok {
			t.Errorf("before any is due: OldestDuePending = %v, %v; want none", ok, err)
		}
		if err := db.Ping(ctx); err != nil {
			t.Errorf("Ping = %v", err)
		}
	})
}

func TestPingClosed(t *testing.T) {
	db, err := storage.Open(context.Background(), ":memory:", storage.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if err := db.Ping(context.Background()); err == nil {
		t.Error("Ping of a closed database = nil, want an error")
	}
}

// Deliveries recorded together are each marked sent; an item given up
// stays failed.
func TestOutboxMarkSentBatch(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		t0 := storagetest.Epoch
		if _, err := db.Enqueue(ctx, outboxItem("a", "1", t0), outboxItem("b", "2", t0), outboxItem("c", "3", t0)); err != nil {
			t.Fatal(err)
		}
		items, err := db.Claim(ctx, "r1", t0, time.Minute, 10)
		if err != nil || len(items) != 3 {
			t.Fatalf("claimed %d items, %v", len(items), err)
		}
		if err := db.Fail(ctx, items[2].ID, "refused"); err != nil {
			t.Fatal(err)
		}
		var marks []plan.SentMark
		for i, it := range items {
			marks = append(marks, plan.SentMark{ID: it.ID, ExternalID: fmt.Sprint(100 + i), At: t0.Add(time.Second)})
		}
		if err := db.MarkSentBatch(ctx, marks); err != nil {
			t.Fatal(err)
		}
		counts, err := db.OutboxCounts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if counts[plan.OutboxSent] != 2 || counts[plan.OutboxFailed] != 1 {
			t.Errorf("outbox = %v, want 2 sent and 1 failed", counts)
		}
		if _, ok, _ := db.NextDue(ctx); ok {
			t.Error("something is still pending")
		}
		got, err := db.ByExternalID(ctx, tg("1"), "100")
		if err != nil {
			t.Fatal(err)
		}
		if got.Key != "a" || got.SentAt == nil || !got.SentAt.Equal(t0.Add(time.Second)) {
			t.Errorf("item a = %+v, want sent at %v", got, t0.Add(time.Second))
		}
	})
}

// The newest pending answer to a chat is found by its time; other kinds
// and other chats do not count.
func TestOutboxLastPendingAnswer(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		t0 := storagetest.Epoch
		if _, ok, err := db.LastPendingAnswer(ctx, tg("1")); err != nil || ok {
			t.Fatalf("empty outbox: %v %v", ok, err)
		}
		if _, err := db.Enqueue(ctx,
			outboxItem("answer|1|a", "1", t0),
			outboxItem("answer|1|b", "1", t0.Add(2*time.Second)),
			outboxItem("reminder|1", "1", t0.Add(time.Hour)),
			outboxItem("answer|2|a", "2", t0.Add(time.Hour)),
		); err != nil {
			t.Fatal(err)
		}
		last, ok, err := db.LastPendingAnswer(ctx, tg("1"))
		if err != nil || !ok || !last.Equal(t0.Add(2*time.Second)) {
			t.Errorf("LastPendingAnswer = %v %v %v, want %v", last, ok, err, t0.Add(2*time.Second))
		}
	})
}

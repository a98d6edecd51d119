package delivery

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/chanhlo/planbot/plan"
)

// memCounter is plan.SendCounter in memory.
type memCounter struct {
	mu     sync.Mutex
	sent   map[string]int64
	warned map[string]bool
}

func newCounter() *memCounter {
	return &memCounter{sent: map[string]int64{}, warned: map[string]bool{}}
}

func (c *memCounter) CountSent(_ context.Context, tr, bot, month string, n int) (int64, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	k := tr + "|" + bot + "|" + month
	c.sent[k] += int64(n)
	return c.sent[k], nil
}

func (c *memCounter) SentCount(ctx context.Context, tr, bot, month string) (int64, error) {
	return c.CountSent(ctx, tr, bot, month, 0)
}

func (c *memCounter) MarkQuotaWarned(_ context.Context, tr, bot, month string, _ time.Time) (bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	k := tr + "|" + bot + "|" + month
	first := !c.warned[k]
	c.warned[k] = true
	return first, nil
}

func TestQuotaWarnsOnceAndHoldsBackCopies(t *testing.T) {
	clock := newClock(false)
	var warnings []int64
	q := &Quota{Counter: newCounter(), Transport: "telegram", Bot: "b1", Monthly: 100, Clock: clock,
		Warn: func(_ context.Context, used, monthly int64, month string) error {
			warnings = append(warnings, used)
			return nil
		}}
	ctx := context.Background()
	for range 79 {
		q.Counted(ctx, 1)
	}
	if len(warnings) != 0 || q.Short(ctx, "telegram") {
		t.Fatalf("at 79/100: warnings %v, short %v", warnings, q.Short(ctx, "telegram"))
	}
	for range 11 {
		q.Counted(ctx, 1)
	}
	if !slices.Equal(warnings, []int64{80}) {
		t.Errorf("warnings %v, want one at 80", warnings)
	}
	if !q.Short(ctx, "telegram") || q.Short(ctx, "zalo") {
		t.Errorf("at 90/100: short %v (other messenger %v)", q.Short(ctx, "telegram"), q.Short(ctx, "zalo"))
	}

	e := newEnv(t, true, WithQuota(q))
	reminder := item("reminder", "1")
	cp := item("copy", "2")
	cp.Context.Copy = true
	e.enqueue(t, reminder, cp)
	e.runOnce(t)
	if got := e.sender.texts(); !slices.Equal(got, []string{"reminder"}) {
		t.Errorf("sent %v, want the reminder only", got)
	}
	if st := e.outbox.item("copy").Status; st != plan.OutboxFailed {
		t.Errorf("copy %s, want held back (failed)", st)
	}

	// A new month starts from zero.
	clock.Advance(40 * 24 * time.Hour)
	if q.Short(ctx, "telegram") {
		t.Error("short in the next month")
	}
}

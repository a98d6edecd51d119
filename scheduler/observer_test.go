package scheduler

import (
	"context"
	"sync"
	"testing"
)

// The observer hears every tick with its result: the reminders it
// queued, a tick that failed, a tick of a replica that does not lead.
func TestObserver(t *testing.T) {
	var (
		mu   sync.Mutex
		got  []TickResult
		errs []error
	)
	leading := true
	h := newHarness(t, testPlan(t, at(t, "24/4 10:00")),
		WithLeader(leaderFunc(func() bool { return leading })),
		WithObserver(func(res TickResult, err error) {
			mu.Lock()
			defer mu.Unlock()
			got, errs = append(got, res), append(errs, err)
		}))
	h.tick("25/4 07:55")    // nothing due yet
	h.ledger.failSettle = 1 // the next tick cannot queue 1.c's reminder
	h.now = at(t, "25/4 08:00")
	_ = h.s.Tick(context.Background(), h.now)
	h.tick("25/4 08:05") // the reminder to officer 5
	leading = false
	h.tick("25/4 08:10")

	mu.Lock()
	defer mu.Unlock()
	if len(got) != 4 {
		t.Fatalf("observed %d ticks, want 4: %+v", len(got), got)
	}
	if got[0].Enqueued != 0 || errs[0] != nil {
		t.Errorf("tick 1: %+v, %v; want nothing queued", got[0], errs[0])
	}
	if errs[1] == nil || got[1].Enqueued != 0 {
		t.Errorf("tick 2: %+v, %v; want the ledger's error and nothing queued", got[1], errs[1])
	}
	if got[2].Enqueued != 1 || got[2].Messages != 1 || errs[2] != nil {
		t.Errorf("tick 3: %+v, %v; want one reminder in one message", got[2], errs[2])
	}
	if !got[3].NotLeading || errs[3] != nil {
		t.Errorf("tick 4: %+v, %v; want NotLeading", got[3], errs[3])
	}
}

package bot

import (
	"strconv"
	"testing"
	"time"
)

// The throttle forgets those whose failures no longer count, and never
// holds more than throttleMax people, however many fail once.
func TestThrottleMemoryBounded(t *testing.T) {
	th := newThrottle()
	t0 := time.Date(2023, 4, 25, 9, 0, 0, 0, time.UTC)
	for i := range 3 * throttleMax {
		th.fail("u"+strconv.Itoa(i), t0.Add(time.Duration(i)*time.Second))
		if len(th.m) > throttleMax {
			t.Fatalf("%d entries after %d failures, want at most %d", len(th.m), i+1, throttleMax)
		}
	}
	// A person blocked now stays blocked through the pruning.
	late := t0.Add(24 * time.Hour)
	for range throttleFailures {
		th.fail("guesser", late)
	}
	for i := range throttleMax {
		th.fail("v"+strconv.Itoa(i), late.Add(time.Second))
	}
	if !th.blocked("guesser", late.Add(time.Minute)) {
		t.Error("pruning unblocked a blocked person")
	}
}

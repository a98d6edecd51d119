package bot

import (
	"sync"
	"time"
)

// Wrong invite codes: after throttleFailures failures within
// throttleWindow, a person's codes are refused for throttleBlock. The
// counts live in memory, per process: a restart forgets them, and with
// several replicas each counts on its own. That is enough to make guessing
// a 128-bit code pointless; it is not an audit trail.
const (
	throttleFailures = 5
	throttleWindow   = 10 * time.Minute
	throttleBlock    = 15 * time.Minute
	// throttleMax bounds the memory: past it, entries whose window and
	// block are over are dropped, then the oldest.
	throttleMax = 4096
)

type throttle struct {
	mu sync.Mutex
	m  map[string]*throttleEntry
}

type throttleEntry struct {
	failures     []time.Time
	blockedUntil time.Time
}

func newThrottle() *throttle { return &throttle{m: map[string]*throttleEntry{}} }

// blocked reports whether key may not try now.
func (t *throttle) blocked(key string, now time.Time) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	e := t.m[key]
	return e != nil && now.Before(e.blockedUntil)
}

// fail records a failure at now and reports whether key is now blocked.
func (t *throttle) fail(key string, now time.Time) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	e := t.m[key]
	if e == nil {
		if len(t.m) >= throttleMax {
			t.prune(now)
		}
		e = &throttleEntry{}
		t.m[key] = e
	}
	recent := e.failures[:0]
	for _, f := range e.failures {
		if now.Sub(f) < throttleWindow {
			recent = append(recent, f)
		}
	}
	e.failures = append(recent, now)
	if len(e.failures) >= throttleFailures {
		e.blockedUntil = now.Add(throttleBlock)
		e.failures = nil
		return true
	}
	return false
}

// forget clears key after a success.
func (t *throttle) forget(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.m, key)
}

// prune drops the entries that no longer count (no failure within the
// window, no block running) and, if the map is still full, the one
// whose last failure is oldest. The caller holds t.mu.
func (t *throttle) prune(now time.Time) {
	var oldestKey string
	var oldest time.Time
	for k, e := range t.m {
		last := e.blockedUntil
		if n := len(e.failures); n > 0 && e.failures[n-1].After(last) {
			last = e.failures[n-1]
		}
		if !now.Before(e.blockedUntil) && (len(e.failures) == 0 || now.Sub(e.failures[len(e.failures)-1]) >= throttleWindow) {
			delete(t.m, k)
			continue
		}
		if oldestKey == "" || last.Before(oldest) {
			oldestKey, oldest = k, last
		}
	}
	if len(t.m) >= throttleMax && oldestKey != "" {
		delete(t.m, oldestKey)
	}
}

package redis

import (
	"log/slog"
	"sync"
	"time"

	"github.com/chanhlo/planbot/plan"
)

// Option configures the types of this package.
type Option func(*options)

type options struct {
	prefix string
	clock  plan.Clock
	after  func(time.Duration) <-chan time.Time
	log    *slog.Logger
	probe  time.Duration
}

func newOptions(opts []Option) options {
	o := options{
		prefix: "planbot:",
		clock:  plan.SystemClock,
		after:  time.After,
		log:    slog.Default(),
		probe:  5 * time.Second,
	}
	for _, opt := range opts {
		opt(&o)
	}
	return o
}

// WithPrefix sets the prefix of every key (default "planbot:").
func WithPrefix(p string) Option { return func(o *options) { o.prefix = p } }

// WithClock sets the clock (default plan.SystemClock).
func WithClock(c plan.Clock) Option { return func(o *options) { o.clock = c } }

// WithAfter sets the timer loops wait on (default time.After).
func WithAfter(after func(time.Duration) <-chan time.Time) Option {
	return func(o *options) { o.after = after }
}

// WithLogger sets the logger (default slog.Default()).
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.log = l } }

// WithProbeInterval sets how long a component that found Redis down uses
// its fallback before trying Redis again (default 5s).
func WithProbeInterval(d time.Duration) Option { return func(o *options) { o.probe = d } }

// health tracks whether Redis answers, logs each change of state once,
// and, while Redis is down, tells callers to skip it until the next
// probe, so that a dead server does not slow every call down.
type health struct {
	what  string
	log   *slog.Logger
	clock plan.Clock
	probe time.Duration

	mu       sync.Mutex
	down     bool
	nextTry  time.Time
	failures int
}

// skip reports whether Redis should not be tried now.
func (h *health) skip() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.down && h.clock.Now().Before(h.nextTry)
}

func (h *health) fail(err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.failures++
	h.nextTry = h.clock.Now().Add(h.probe)
	if !h.down {
		h.down = true
		h.log.Warn("redis unreachable: "+h.what+" degraded", "err", err)
	}
}

func (h *health) ok() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.down {
		h.down = false
		h.log.Info("redis reachable again: " + h.what + " restored")
	}
}

// Down reports whether the last call found Redis unreachable.
func (h *health) Down() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.down
}

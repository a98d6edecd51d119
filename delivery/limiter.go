package delivery

import (
	"context"
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/chanhlo/planbot/plan"
)

// LocalLimiter is a plan.RateLimiter for one process: a token bucket
// (golang.org/x/time/rate) per key, on an injected clock. It is safe for
// concurrent use.
type LocalLimiter struct {
	clock plan.Clock

	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	r    plan.Rate
	lim  *rate.Limiter
	used time.Time
}

// maxIdleBuckets is how many buckets are kept before idle ones are dropped.
const maxIdleBuckets = 4096

// NewLocalLimiter returns a limiter on clock (plan.SystemClock if nil).
func NewLocalLimiter(clock plan.Clock) *LocalLimiter {
	if clock == nil {
		clock = plan.SystemClock
	}
	return &LocalLimiter{clock: clock, buckets: map[string]*bucket{}}
}

var _ plan.RateLimiter = (*LocalLimiter)(nil)

// Allow takes one event under key if r allows it now, and otherwise
// returns the wait.
func (l *LocalLimiter) Allow(_ context.Context, key string, r plan.Rate) (time.Duration, error) {
	now := l.clock.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[key]
	if b == nil || b.r != r {
		if len(l.buckets) >= maxIdleBuckets {
			l.prune(now)
		}
		b = &bucket{r: r, lim: rate.NewLimiter(limitOf(r), max(r.Burst, 1))}
		l.buckets[key] = b
	}
	b.used = now
	res := b.lim.ReserveN(now, 1)
	if !res.OK() {
		return r.Per, nil
	}
	if d := res.DelayFrom(now); d > 0 {
		res.CancelAt(now)
		return d, nil
	}
	return 0, nil
}

// prune drops buckets unused for longer than their period: they are full
// again, so a new bucket behaves the same.
func (l *LocalLimiter) prune(now time.Time) {
	for k, b := range l.buckets {
		if now.Sub(b.used) > b.r.Per {
			delete(l.buckets, k)
		}
	}
}

func limitOf(r plan.Rate) rate.Limit {
	if r.N <= 0 || r.Per <= 0 {
		return rate.Inf
	}
	return rate.Limit(float64(r.N) / r.Per.Seconds())
}

// OverallRate is a bot's overall rate, perSecond messages a second, with
// a tenth of a second's worth as burst (3 at Telegram's 30/s): with sends
// taking a round trip each, a burst of one leaves the limit unfilled, and
// a tenth of a second of bursting stays well inside a per-second limit.
func OverallRate(perSecond float64) plan.Rate {
	r := RateOf(perSecond, time.Second)
	r.Burst = max(1, r.N/10)
	return r
}

// RateOf turns a configured rate ("30 per second", "0.5 per second", "20
// per minute") into a plan.Rate with a burst of one.
func RateOf(perPeriod float64, period time.Duration) plan.Rate {
	if perPeriod <= 0 || math.IsInf(perPeriod, 0) || math.IsNaN(perPeriod) {
		return plan.Rate{}
	}
	n := max(int(math.Round(perPeriod)), 1)
	return plan.Rate{N: n, Per: time.Duration(float64(period) * float64(n) / perPeriod), Burst: 1}
}

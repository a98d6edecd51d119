package redis

import (
	"context"
	"time"

	"github.com/go-redis/redis_rate/v10"
	goredis "github.com/redis/go-redis/v9"

	"github.com/chanhlo/planbot/plan"
)

// Limiter is a plan.RateLimiter shared by every replica: a GCRA limiter
// (go-redis/redis_rate) in Redis, keyed per chat and per transport. When
// Redis does not answer it asks the fallback (the dispatcher's local
// limiter) instead, so delivery goes on; each replica then keeps to the
// rates on its own, which is right only while one replica sends. It is
// safe for concurrent use.
type Limiter struct {
	rl       *redis_rate.Limiter
	fallback plan.RateLimiter
	prefix   string
	health   *health
}

var _ plan.RateLimiter = (*Limiter)(nil)

// NewLimiter returns a limiter on rdb falling back to fallback.
func NewLimiter(rdb goredis.UniversalClient, fallback plan.RateLimiter, opts ...Option) *Limiter {
	o := newOptions(opts)
	return &Limiter{
		rl:       redis_rate.NewLimiter(rdb),
		fallback: fallback,
		prefix:   o.prefix,
		health:   &health{what: "shared rate limiter (using the local one)", log: o.log, clock: o.clock, probe: o.probe},
	}
}

// Allow takes one event under key if r allows it now and otherwise
// returns the wait.
func (l *Limiter) Allow(ctx context.Context, key string, r plan.Rate) (time.Duration, error) {
	if r.N <= 0 || r.Per <= 0 {
		return 0, nil
	}
	if !l.health.skip() {
		res, err := l.rl.Allow(ctx, l.prefix+key, redis_rate.Limit{Rate: r.N, Period: r.Per, Burst: max(r.Burst, 1)})
		if err == nil {
			l.health.ok()
			if res.Allowed > 0 {
				return 0, nil
			}
			return max(res.RetryAfter, time.Millisecond), nil
		}
		if ctx.Err() != nil {
			return 0, ctx.Err()
		}
		l.health.fail(err)
	}
	return l.fallback.Allow(ctx, key, r)
}

// Degraded reports whether the limiter is using its fallback.
func (l *Limiter) Degraded() bool { return l.health.Down() }

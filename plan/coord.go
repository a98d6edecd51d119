package plan

import (
	"context"
	"time"
)

// Rate is a rate limit: at most N events per Per, with bursts of up to
// Burst events (at least 1).
type Rate struct {
	N     int
	Per   time.Duration
	Burst int
}

// RateLimiter spaces out events under keys ("global:telegram",
// "chat:telegram:123"). Replicas that share one limiter (through Redis)
// together keep to the rate.
type RateLimiter interface {
	// Allow takes one event under key if r allows it now and returns 0;
	// otherwise it takes nothing and returns how long to wait before
	// asking again.
	Allow(ctx context.Context, key string, r Rate) (wait time.Duration, err error)
}

// Leader tells whether this replica holds a lease that makes it the only
// one doing some job (the scheduler's tick). The answer may turn false at
// any time: check it right before each run of the job.
type Leader interface {
	Leading(ctx context.Context) bool
}

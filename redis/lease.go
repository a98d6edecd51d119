package redis

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/chanhlo/planbot/plan"
)

var (
	// renewScript extends the lease only if it is still ours.
	renewScript = goredis.NewScript(`
if redis.call("GET", KEYS[1]) == ARGV[1] then
	return redis.call("PEXPIRE", KEYS[1], ARGV[2])
end
return 0`)
	// releaseScript deletes the lease only if it is still ours.
	releaseScript = goredis.NewScript(`
if redis.call("GET", KEYS[1]) == ARGV[1] then
	return redis.call("DEL", KEYS[1])
end
return 0`)
)

// Lease is a lock with a time to live, held by at most one replica: the
// scheduler runs its tick only while Leading. Run keeps it: it takes the
// lease when free and renews it every third of its TTL. A lease that
// cannot be renewed (Redis down, or taken over after a pause) is lost at
// once. It is safe for concurrent use.
type Lease struct {
	rdb   goredis.UniversalClient
	key   string
	token string
	ttl   time.Duration
	o     options

	mu    sync.Mutex
	held  bool
	until time.Time // local end of the lease, measured from before the call
	// unreachable is set while Redis does not answer Hold; with
	// leadWhenUnreachable, Leading is then true.
	unreachable         bool
	leadWhenUnreachable bool
}

// LeadWhenUnreachable makes Leading true while Redis cannot be reached.
// Use it when the job the lease guards is idempotent in the database (the
// reminder ledger): every replica running it while Redis is down is safe,
// and nobody running it would delay reminders until Redis is back.
func (l *Lease) LeadWhenUnreachable() *Lease {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.leadWhenUnreachable = true
	return l
}

var _ plan.Leader = (*Lease)(nil)

// NewLease returns a lease on key (under the prefix) lasting ttl, with a
// random token of its own.
func NewLease(rdb goredis.UniversalClient, key string, ttl time.Duration, opts ...Option) *Lease {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand does not fail
	}
	o := newOptions(opts)
	return &Lease{rdb: rdb, key: o.prefix + "lease:" + key, token: hex.EncodeToString(b[:]), ttl: ttl, o: o}
}

// Key returns the Redis key of the lease.
func (l *Lease) Key() string { return l.key }

// Leading reports whether this replica holds the lease now. It is a local
// check: it trusts the last renewal until its TTL (less a tenth for clock
// drift) runs out.
func (l *Lease) Leading(context.Context) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.unreachable && l.leadWhenUnreachable {
		return true
	}
	return l.held && l.o.clock.Now().Before(l.until)
}

// Hold takes the lease if it is free, or renews it if it is ours, and
// reports whether this replica leads. Any error means not leading.
func (l *Lease) Hold(ctx context.Context) (bool, error) {
	start := l.o.clock.Now()
	l.mu.Lock()
	held := l.held
	l.mu.Unlock()
	ms := l.ttl.Milliseconds()
	ok := false
	var err error
	if held {
		var n int64
		n, err = renewScript.Run(ctx, l.rdb, []string{l.key}, l.token, ms).Int64()
		ok = err == nil && n == 1
		if err == nil && !ok {
			l.o.log.Warn("lease lost to another replica", "key", l.key)
		}
	}
	if !ok && err == nil {
		ok, err = l.rdb.SetNX(ctx, l.key, l.token, l.ttl).Result()
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if err != nil {
		if l.held {
			l.o.log.Warn("lease dropped: redis unreachable", "key", l.key, "err", err)
		}
		if !l.unreachable && l.leadWhenUnreachable {
			l.o.log.Warn("redis unreachable: leading without the lease; the database keeps the job single", "key", l.key)
		}
		l.held = false
		l.unreachable = true
		return false, fmt.Errorf("hold lease %s: %w", l.key, err)
	}
	l.unreachable = false
	if ok && !l.held {
		l.o.log.Info("lease taken: this replica leads", "key", l.key)
	}
	l.held = ok
	l.until = start.Add(l.ttl - l.ttl/10)
	return ok, nil
}

// Release gives the lease up if it is ours.
func (l *Lease) Release(ctx context.Context) error {
	l.mu.Lock()
	held := l.held
	l.held = false
	l.mu.Unlock()
	if !held {
		return nil
	}
	if err := releaseScript.Run(ctx, l.rdb, []string{l.key}, l.token).Err(); err != nil && !errors.Is(err, goredis.Nil) {
		return fmt.Errorf("release lease %s: %w", l.key, err)
	}
	return nil
}

// Run holds the lease until ctx is done, then releases it. It tries every
// third of the TTL; failures are logged by Hold's state changes.
func (l *Lease) Run(ctx context.Context) error {
	for {
		if _, err := l.Hold(ctx); err != nil && ctx.Err() == nil {
			l.o.log.Debug("lease not held", "key", l.key, "err", err)
		}
		select {
		case <-ctx.Done():
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
			defer cancel()
			return l.Release(rctx)
		case <-l.o.after(l.ttl / 3):
		}
	}
}

package redis

import (
	"context"
	"fmt"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/chanhlo/planbot/plan"
)

// UpdateRetention is how long an update id is remembered in Redis: as long
// as Telegram keeps an unconfirmed update.
const UpdateRetention = 24 * time.Hour

// UpdateLog is a plan.UpdateLog that answers duplicates from Redis and
// records new updates in the database's log, which stays the record.
//
// FirstSeen first sets the update's key with SET NX EX. A key that exists
// means some replica already took the update within the retention: it is
// a duplicate, and the database is not asked. A key that was new is
// confirmed with the database's FirstSeen, whose answer is returned (the
// update may be older than Redis's memory, or Redis may have been
// flushed); if the database fails, the key is deleted again so that the
// redelivered update is not mistaken for a duplicate. When Redis does not
// answer, the database alone decides. It is safe for concurrent use.
type UpdateLog struct {
	rdb    goredis.UniversalClient
	db     plan.UpdateLog
	prefix string
	health *health
}

var _ plan.UpdateLog = (*UpdateLog)(nil)

// NewUpdateLog returns an update log in Redis in front of db. With a nil
// db, Redis alone decides, and FirstSeen fails while Redis is down.
func NewUpdateLog(rdb goredis.UniversalClient, db plan.UpdateLog, opts ...Option) *UpdateLog {
	o := newOptions(opts)
	return &UpdateLog{
		rdb:    rdb,
		db:     db,
		prefix: o.prefix,
		health: &health{what: "update de-duplication (using the database alone)", log: o.log, clock: o.clock, probe: o.probe},
	}
}

// FirstSeen records the update and reports whether it is new.
func (u *UpdateLog) FirstSeen(ctx context.Context, transport, updateID string, at time.Time) (bool, error) {
	key := u.prefix + "update:" + transport + ":" + updateID
	if !u.health.skip() {
		fresh, err := u.rdb.SetNX(ctx, key, at.UTC().Format(time.RFC3339), UpdateRetention).Result()
		if err == nil {
			u.health.ok()
			if !fresh || u.db == nil {
				return fresh, nil
			}
			seen, err := u.db.FirstSeen(ctx, transport, updateID, at)
			if err != nil {
				if derr := u.rdb.Del(context.WithoutCancel(ctx), key).Err(); derr != nil {
					err = fmt.Errorf("%w (and forgetting it in redis: %v)", err, derr)
				}
				return false, err
			}
			return seen, nil
		}
		if ctx.Err() != nil {
			return false, ctx.Err()
		}
		u.health.fail(err)
	}
	if u.db == nil {
		return false, fmt.Errorf("update %s:%s: redis unreachable and no database log", transport, updateID)
	}
	return u.db.FirstSeen(ctx, transport, updateID, at)
}

// Forget deletes the update's key, then forgets it in the database's log,
// so that a redelivery of an update whose handling failed is handled.
// While Redis is down only the database is told; a key left behind would
// make the redelivery look like a duplicate, so a Redis error is returned
// (after the database was told) for the caller to log.
func (u *UpdateLog) Forget(ctx context.Context, transport, updateID string) error {
	key := u.prefix + "update:" + transport + ":" + updateID
	var rerr error
	if !u.health.skip() {
		if rerr = u.rdb.Del(ctx, key).Err(); rerr == nil {
			u.health.ok()
		} else if ctx.Err() == nil {
			u.health.fail(rerr)
		}
	}
	if u.db != nil {
		if err := u.db.Forget(ctx, transport, updateID); err != nil {
			return err
		}
	}
	if rerr != nil {
		return fmt.Errorf("forget update %s:%s in redis: %w", transport, updateID, rerr)
	}
	return nil
}

// Degraded reports whether the log is using the database alone.
func (u *UpdateLog) Degraded() bool { return u.health.Down() }

package storage

import (
	"context"
	"fmt"
	"time"

	"github.com/chanhlo/planbot/plan"
)

var _ plan.UpdateLog = (*DB)(nil)

type processedUpdateRow struct {
	Transport string `gorm:"primaryKey"`
	UpdateID  string `gorm:"primaryKey"`
	SeenAt    time.Time
}

func (processedUpdateRow) TableName() string { return "processed_updates" }

// FirstSeen records the update and reports whether it is new. The primary
// key decides, so two replicas receiving the same update agree.
func (db *DB) FirstSeen(ctx context.Context, transport, updateID string, at time.Time) (bool, error) {
	// Plain SQL: every inbound update passes here (docs/benchmarks.md).
	ctx, err := db.quick(ctx)
	if err != nil {
		return false, fmt.Errorf("record update %s/%s: %w", transport, updateID, err)
	}
	stmt, err := db.stmt(ctx, `INSERT INTO processed_updates (transport, update_id, seen_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`)
	if err != nil {
		return false, fmt.Errorf("record update %s/%s: %w", transport, updateID, err)
	}
	res, err := stmt.ExecContext(ctx, transport, updateID, utc(at))
	if err != nil {
		return false, fmt.Errorf("record update %s/%s: %w", transport, updateID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("record update %s/%s: %w", transport, updateID, err)
	}
	return n == 1, nil
}

// Forget deletes the update's record, so that its redelivery is handled.
func (db *DB) Forget(ctx context.Context, transport, updateID string) error {
	res := db.conn(ctx).Where("transport = ? AND update_id = ?", transport, updateID).Delete(&processedUpdateRow{})
	if res.Error != nil {
		return fmt.Errorf("forget update %s/%s: %w", transport, updateID, res.Error)
	}
	return nil
}

// PruneUpdates forgets updates seen before the given time (Telegram keeps
// unconfirmed updates for 24 hours; a week is plenty) and returns how
// many it removed.
func (db *DB) PruneUpdates(ctx context.Context, before time.Time) (int64, error) {
	res := db.conn(ctx).Where("seen_at < ?", utc(before)).Delete(&processedUpdateRow{})
	if res.Error != nil {
		return 0, fmt.Errorf("prune processed updates: %w", res.Error)
	}
	return res.RowsAffected, nil
}

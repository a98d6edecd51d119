package storage

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm/clause"

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
	row := processedUpdateRow{Transport: transport, UpdateID: updateID, SeenAt: utc(at)}
	res := db.conn(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&row)
	if res.Error != nil {
		return false, fmt.Errorf("record update %s/%s: %w", transport, updateID, res.Error)
	}
	return res.RowsAffected == 1, nil
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

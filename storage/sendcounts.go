package storage

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/chanhlo/planbot/plan"
)

type sendCountRow struct {
	Transport string `gorm:"primaryKey"`
	Bot       string `gorm:"primaryKey"`
	Month     string `gorm:"primaryKey"`
	Sent      int64
	WarnedAt  *time.Time
}

func (sendCountRow) TableName() string { return "send_counts" }

var _ plan.SendCounter = (*DB)(nil)

// CountSent implements plan.SendCounter with one upsert, so replicas
// counting together lose nothing.
func (db *DB) CountSent(ctx context.Context, transport, bot, month string, n int) (int64, error) {
	var total int64
	err := db.tx(ctx, func(tx *gorm.DB) error {
		row := sendCountRow{Transport: transport, Bot: bot, Month: month, Sent: int64(n)}
		if err := tx.Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "transport"}, {Name: "bot"}, {Name: "month"}},
			DoUpdates: clause.Assignments(map[string]any{"sent": gorm.Expr("send_counts.sent + ?", n)}),
		}).Create(&row).Error; err != nil {
			return err
		}
		return tx.Model(&sendCountRow{}).Where("transport = ? AND bot = ? AND month = ?", transport, bot, month).
			Pluck("sent", &total).Error
	})
	if err != nil {
		return 0, fmt.Errorf("count sent %s/%s %s: %w", transport, bot, month, err)
	}
	return total, nil
}

// SentCount implements plan.SendCounter.
func (db *DB) SentCount(ctx context.Context, transport, bot, month string) (int64, error) {
	var rows []sendCountRow
	if err := db.conn(ctx).Where("transport = ? AND bot = ? AND month = ?", transport, bot, month).
		Limit(1).Find(&rows).Error; err != nil {
		return 0, fmt.Errorf("sent count %s/%s %s: %w", transport, bot, month, err)
	}
	if len(rows) == 0 {
		return 0, nil
	}
	return rows[0].Sent, nil
}

// MarkQuotaWarned implements plan.SendCounter.
func (db *DB) MarkQuotaWarned(ctx context.Context, transport, bot, month string, at time.Time) (bool, error) {
	if _, err := db.CountSent(ctx, transport, bot, month, 0); err != nil {
		return false, err
	}
	res := db.conn(ctx).Model(&sendCountRow{}).
		Where("transport = ? AND bot = ? AND month = ? AND warned_at IS NULL", transport, bot, month).
		Update("warned_at", utc(at))
	if res.Error != nil {
		return false, fmt.Errorf("mark quota warned %s/%s %s: %w", transport, bot, month, res.Error)
	}
	return res.RowsAffected > 0, nil
}

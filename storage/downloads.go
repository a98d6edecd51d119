package storage

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/chanhlo/planbot/plan"
)

type downloadRow struct {
	ID        string `gorm:"primaryKey"`
	OrgID     int64
	OfficerID int64
	Name      string
	MIME      string `gorm:"column:mime"`
	Data      []byte
	CreatedAt time.Time
	ExpiresAt time.Time
}

func (downloadRow) TableName() string { return "downloads" }

var _ plan.DownloadStore = (*DB)(nil)

// PutDownload implements plan.DownloadStore.
func (db *DB) PutDownload(ctx context.Context, d *plan.Download) error {
	if d.OrgID == 0 {
		d.OrgID = plan.DefaultOrg
	}
	row := downloadRow{ID: d.ID, OrgID: d.OrgID, OfficerID: d.OfficerID, Name: d.Name, MIME: d.MIME, Data: d.Data,
		CreatedAt: utc(d.CreatedAt), ExpiresAt: utc(d.ExpiresAt)}
	if err := db.conn(ctx).Create(&row).Error; err != nil {
		return fmt.Errorf("store download %s: %w", d.Name, err)
	}
	return nil
}

// Download implements plan.DownloadStore.
func (db *DB) Download(ctx context.Context, id string) (*plan.Download, error) {
	var rows []downloadRow
	if err := db.conn(ctx).Where("id = ?", id).Limit(1).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("download %s: %w", id, err)
	}
	if len(rows) == 0 {
		return nil, plan.Errorf(plan.ENotFound, "Không tìm thấy tệp.")
	}
	r := rows[0]
	return &plan.Download{ID: r.ID, OrgID: r.OrgID, OfficerID: r.OfficerID, Name: r.Name, MIME: r.MIME, Data: r.Data,
		CreatedAt: r.CreatedAt.UTC(), ExpiresAt: r.ExpiresAt.UTC()}, nil
}

// PruneDownloads deletes the files whose links expired before t.
func (db *DB) PruneDownloads(ctx context.Context, t time.Time) (int64, error) {
	res := db.conn(ctx).Where("expires_at < ?", utc(t)).Delete(&downloadRow{})
	if res.Error != nil {
		return 0, fmt.Errorf("prune downloads: %w", res.Error)
	}
	return res.RowsAffected, nil
}

type settingRow struct {
	Key   string `gorm:"primaryKey"`
	Value string
}

func (settingRow) TableName() string { return "settings" }

// SettingOrCreate returns the shared setting key, storing value first
// when it has none: of replicas starting together, the first one's value
// wins and all use it (the signing key of download links).
func (db *DB) SettingOrCreate(ctx context.Context, key, value string) (string, error) {
	g := db.conn(ctx)
	if err := g.Clauses(clause.OnConflict{DoNothing: true}).Create(&settingRow{Key: key, Value: value}).Error; err != nil &&
		!errors.Is(err, gorm.ErrDuplicatedKey) {
		return "", fmt.Errorf("setting %s: %w", key, err)
	}
	var row settingRow
	if err := g.Where("key = ?", key).First(&row).Error; err != nil {
		return "", fmt.Errorf("setting %s: %w", key, err)
	}
	return row.Value, nil
}

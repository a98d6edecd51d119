package storage

import (
	"context"
	"fmt"
	"strings"
	"time"
)

type organisationRow struct {
	ID        int64
	Name      string
	CreatedAt time.Time
}

func (organisationRow) TableName() string { return "organisations" }

// AddOrganisation stores a new organisation (a ward) and returns its id.
// Organisation 1 (plan.DefaultOrg) exists from the first migration.
func (db *DB) AddOrganisation(ctx context.Context, name string) (int64, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return 0, fmt.Errorf("add organisation: a name is required")
	}
	row := organisationRow{Name: name, CreatedAt: db.now()}
	if err := db.conn(ctx).Create(&row).Error; err != nil {
		return 0, fmt.Errorf("add organisation %q: %w", name, err)
	}
	return row.ID, nil
}

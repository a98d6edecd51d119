package storage

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"github.com/chanhlo/planbot/plan"
)

// progressBatch is how many reports one INSERT carries: 18 columns each
// stays far below SQLite's 32,766 and PostgreSQL's 65,535 parameters.
const progressBatch = 500

// AddProgressBatch appends many reports in one transaction, as
// AddProgress would one by one, and sets each one's ID. Loading a history
// (a migration from another tool, a benchmark's half a million rows) then
// costs one commit instead of one per report. Nothing is stored when any
// report is invalid or an insert fails.
func (db *DB) AddProgressBatch(ctx context.Context, ps []plan.Progress) error {
	if len(ps) == 0 {
		return nil
	}
	rows := make([]progressRow, len(ps))
	for i := range ps {
		row, err := db.progressRowOf(&ps[i])
		if err != nil {
			return fmt.Errorf("report %d of %d: %w", i+1, len(ps), err)
		}
		rows[i] = row
	}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		return tx.CreateInBatches(&rows, progressBatch).Error
	})
	if err != nil {
		return fmt.Errorf("add %d progress reports: %w", len(ps), err)
	}
	for i := range ps {
		ps[i].ID = rows[i].ID
	}
	return nil
}

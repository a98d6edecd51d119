package storage

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/chanhlo/planbot/plan"
)

type unitRow struct {
	ID      int64
	OrgID   int64
	Name    string
	Aliases string
}

func (unitRow) TableName() string { return "units" }

// Units returns the organisation's units with their aliases, in the
// order they were first seen.
func (db *DB) Units(ctx context.Context, orgID int64) ([]plan.Unit, error) {
	var rows []unitRow
	if err := db.gdb.WithContext(ctx).Where("org_id = ?", orgID).Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("units of org %d: %w", orgID, err)
	}
	out := make([]plan.Unit, 0, len(rows))
	for _, r := range rows {
		u := plan.Unit{ID: r.ID, OrgID: r.OrgID, Name: r.Name}
		if err := json.Unmarshal([]byte(r.Aliases), &u.Aliases); err != nil {
			return nil, fmt.Errorf("units of org %d: aliases of %q: %w", orgID, r.Name, err)
		}
		out = append(out, u)
	}
	return out, nil
}

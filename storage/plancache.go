package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/chanhlo/planbot/plan"
)

// Every reply and every scheduler tick asks for the organisation's plans;
// loading them (sections, units, every task) costs more the bigger the
// plans. They change only when a plan is imported, a deadline is set or a
// plan is archived, so Plans keeps them in memory and checks one row per
// call: a version every plan write bumps in its own transaction. Replicas
// share the version through the database, so an import on one is seen by
// all at their next call.

// planCache holds each organisation's plans at a version.
type planCache struct {
	mu      sync.Mutex
	version map[int64]int64
	plans   map[int64][]plan.Plan
}

func planVersionKey(orgID int64) string { return "plans_version:" + strconv.FormatInt(orgID, 10) }

// bumpPlans marks the organisation's plans changed, inside the writing
// transaction.
func bumpPlans(tx *gorm.DB, orgID int64) error {
	key := planVersionKey(orgID)
	if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&settingRow{Key: key, Value: "0"}).Error; err != nil {
		return fmt.Errorf("plans version: %w", err)
	}
	// The value is text (settings hold any value); counting in SQL keeps
	// two concurrent writers from losing a bump.
	if err := tx.Exec(`UPDATE settings SET value = CAST(CAST(value AS BIGINT) + 1 AS TEXT) WHERE key = ?`, key).Error; err != nil {
		return fmt.Errorf("plans version: %w", err)
	}
	return nil
}

// plansVersion reads the organisation's plans version (0 when never
// written).
func (db *DB) plansVersion(ctx context.Context, orgID int64) (int64, error) {
	ctx, err := db.quick(ctx)
	if err != nil {
		return 0, fmt.Errorf("plans version: %w", err)
	}
	stmt, err := db.stmt(ctx, `SELECT value FROM settings WHERE key = ?`)
	if err != nil {
		return 0, fmt.Errorf("plans version: %w", err)
	}
	var val string
	switch err := stmt.QueryRowContext(ctx, planVersionKey(orgID)).Scan(&val); {
	case errors.Is(err, sql.ErrNoRows):
		return 0, nil
	case err != nil:
		return 0, fmt.Errorf("plans version: %w", err)
	}
	v, err := strconv.ParseInt(val, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("plans version %q: %w", val, err)
	}
	return v, nil
}

func (c *planCache) get(orgID, version int64) ([]plan.Plan, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.plans == nil {
		return nil, false
	}
	ps, ok := c.plans[orgID]
	if !ok || c.version[orgID] != version {
		return nil, false
	}
	return ps, true
}

// put keeps a copy of ps at version and returns it. What it keeps is
// never changed: a new version replaces it whole, so readers of the old
// one are safe.
func (c *planCache) put(orgID, version int64, ps []plan.Plan) []plan.Plan {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.plans == nil {
		c.plans, c.version = map[int64][]plan.Plan{}, map[int64]int64{}
	}
	kept := keep(ps)
	c.plans[orgID], c.version[orgID] = kept, version
	return kept
}

// clonePlans copies plans deep enough that a caller changing what it got
// — a task's fields, the order of a slice — never changes the cache: the
// plans, their sections and their tasks are copied. The lists inside a
// task (units, targets) and a plan's units and warnings are shared, cut
// to their length (keep) so that an append copies them; nothing writes
// into their elements. Copying every one of them was a tenth of a
// reply's time with a 500-task plan.
func clonePlans(ps []plan.Plan) []plan.Plan {
	out := make([]plan.Plan, len(ps))
	for i, p := range ps {
		p.Sections = slices.Clone(p.Sections)
		p.Tasks = slices.Clone(p.Tasks)
		if p.ArchivedAt != nil {
			at := *p.ArchivedAt
			p.ArchivedAt = &at
		}
		out[i] = p
	}
	return out
}

// keep returns plans the cache may hold: a deep copy, every list cut to
// its length (see clonePlans).
func keep(ps []plan.Plan) []plan.Plan {
	out := clonePlans(ps)
	for i := range out {
		p := &out[i]
		p.Units, p.Warnings = slices.Clip(slices.Clone(p.Units)), slices.Clip(slices.Clone(p.Warnings))
		for j := range p.Tasks {
			t := &p.Tasks[j]
			t.Lead, t.Execute, t.Support = slices.Clip(slices.Clone(t.Lead)), slices.Clip(slices.Clone(t.Execute)), slices.Clip(slices.Clone(t.Support))
			t.Targets = slices.Clip(slices.Clone(t.Targets))
		}
	}
	return out
}

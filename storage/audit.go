package storage

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/chanhlo/planbot/plan"
)

var _ plan.AuditLog = (*DB)(nil)

type auditRow struct {
	ID      int64
	OrgID   int64
	At      time.Time
	ActorID int64
	Action  string
	Detail  string
}

func (auditRow) TableName() string { return "audit_log" }

// Audit appends an entry to the audit log; a zero At is now.
func (db *DB) Audit(ctx context.Context, e plan.AuditEntry) error {
	return db.audit(db.conn(ctx), e)
}

// audit writes e through tx (a transaction, or the store's handle).
func (db *DB) audit(tx *gorm.DB, e plan.AuditEntry) error {
	row, err := db.auditRow(e)
	if err != nil {
		return err
	}
	if err := tx.Create(&row).Error; err != nil {
		return fmt.Errorf("audit %s: %w", e.Action, err)
	}
	return nil
}

// auditRow checks e and fills in its defaults.
func (db *DB) auditRow(e plan.AuditEntry) (auditRow, error) {
	if e.Action == "" {
		return auditRow{}, fmt.Errorf("audit: action is required")
	}
	if e.OrgID == 0 {
		e.OrgID = plan.DefaultOrg
	}
	if e.At.IsZero() {
		e.At = db.now()
	}
	return auditRow{OrgID: e.OrgID, At: utc(e.At), ActorID: e.ActorID, Action: e.Action, Detail: e.Detail}, nil
}

// AuditEntries returns the organisation's audit entries at or after
// since, oldest first.
func (db *DB) AuditEntries(ctx context.Context, orgID int64, since time.Time) ([]plan.AuditEntry, error) {
	var rows []auditRow
	err := db.conn(ctx).Where("org_id = ? AND at >= ?", orgID, utc(since)).Order("at, id").Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("audit entries: %w", err)
	}
	out := make([]plan.AuditEntry, len(rows))
	for i, r := range rows {
		out[i] = plan.AuditEntry{ID: r.ID, OrgID: r.OrgID, At: r.At.UTC(), ActorID: r.ActorID, Action: r.Action, Detail: r.Detail}
	}
	return out, nil
}

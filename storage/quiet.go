package storage

import (
	"context"
	"fmt"
	"time"

	"github.com/chanhlo/planbot/plan"
)

// What the secretariat's daily notice reads (scheduler.QuietSource).

// FailedDeliveries returns the organisation's outbox items given up
// (failed) that were due in [from, to), oldest first. The outbox keeps no
// time of failure: an item fails within its retries of being due, so its
// due time places it in the day.
func (db *DB) FailedDeliveries(ctx context.Context, orgID int64, from, to time.Time) ([]plan.OutboxItem, error) {
	var rows []outboxRow
	err := db.gdb.WithContext(ctx).
		Where("org_id = ? AND status = ? AND not_before >= ? AND not_before < ?", orgID, string(plan.OutboxFailed), utc(from), utc(to)).
		Order("not_before, id").Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("failed deliveries: %w", err)
	}
	return outboxItems(rows)
}

// MissedReminders returns the reminders settled as missed (not sent: too
// late, or nobody registered for their unit) in [from, to), by time.
func (db *DB) MissedReminders(ctx context.Context, from, to time.Time) ([]plan.Reminder, error) {
	var rows []ledgerRow
	err := db.gdb.WithContext(ctx).
		Where("state = ? AND settled_at >= ? AND settled_at < ?", LedgerMissed, utc(from), utc(to)).
		Order("remind_at, id").Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("missed reminders: %w", err)
	}
	out := make([]plan.Reminder, len(rows))
	for i, r := range rows {
		out[i] = plan.Reminder{PlanID: r.PlanID, TaskCode: r.TaskCode, Unit: r.Unit, Kind: plan.ReminderKind(r.Kind),
			Occurrence: r.Occurrence, At: r.RemindAt.UTC()}
	}
	return out, nil
}

// OpenInvites returns the organisation's unused invites that expire after
// since, by expiry.
func (db *DB) OpenInvites(ctx context.Context, orgID int64, since time.Time) ([]plan.Invite, error) {
	var rows []inviteRow
	err := db.gdb.WithContext(ctx).
		Where("org_id = ? AND used_at IS NULL AND expires_at > ?", orgID, utc(since)).
		Order("expires_at, code").Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("open invites: %w", err)
	}
	out := make([]plan.Invite, len(rows))
	for i, r := range rows {
		out[i] = plan.Invite{Code: r.Code, OrgID: r.OrgID, Unit: r.Unit, Role: plan.Role(r.Role), CreatedBy: r.CreatedBy,
			CreatedAt: r.CreatedAt.UTC(), ExpiresAt: r.ExpiresAt.UTC()}
	}
	return out, nil
}

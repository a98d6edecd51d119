package storage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/chanhlo/planbot/plan"
)

var _ plan.BroadcastStore = (*DB)(nil)

type broadcastRow struct {
	ID        int64
	OrgID     int64
	Text      string
	Units     string
	CreatedBy int64
	CreatedAt time.Time
	ChasedAt  *time.Time
}

func (broadcastRow) TableName() string { return "broadcasts" }

func (r broadcastRow) broadcast() (plan.Broadcast, error) {
	b := plan.Broadcast{ID: r.ID, OrgID: r.OrgID, Text: r.Text, CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt.UTC(), ChasedAt: utcPtr(r.ChasedAt)}
	if err := json.Unmarshal([]byte(r.Units), &b.Units); err != nil {
		return b, fmt.Errorf("broadcast %d: units: %w", r.ID, err)
	}
	return b, nil
}

type recipientRow struct {
	BroadcastID    int64
	OfficerID      int64
	Name           string
	Unit           string
	Position       int
	OutboxKey      string
	DeliveredAt    *time.Time
	AcknowledgedAt *time.Time
	UnreachableAt  *time.Time
	Failure        string
}

func (recipientRow) TableName() string { return "broadcast_recipients" }

// CreateBroadcast stores b with its recipients in one transaction and sets
// b.ID and b.CreatedAt (when zero).
func (db *DB) CreateBroadcast(ctx context.Context, b *plan.Broadcast, recipients []plan.BroadcastRecipient, items func(*plan.Broadcast) []plan.OutboxItem) error {
	if b.OrgID == 0 {
		b.OrgID = plan.DefaultOrg
	}
	if b.CreatedAt.IsZero() {
		b.CreatedAt = db.now()
	}
	units := b.Units
	if units == nil {
		units = []string{}
	}
	uj, err := json.Marshal(units)
	if err != nil {
		return fmt.Errorf("create broadcast: %w", err)
	}
	row := broadcastRow{OrgID: b.OrgID, Text: b.Text, Units: string(uj), CreatedBy: b.CreatedBy, CreatedAt: utc(b.CreatedAt)}
	err = db.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		rows := make([]recipientRow, 0, len(recipients))
		for i, r := range recipients {
			rows = append(rows, recipientRow{
				BroadcastID: row.ID, OfficerID: r.OfficerID, Name: r.Name, Unit: r.Unit, Position: i,
				OutboxKey: plan.BroadcastKey(row.ID, r.OfficerID),
			})
		}
		if len(rows) > 0 {
			if err := tx.CreateInBatches(rows, 200).Error; err != nil {
				return err
			}
		}
		if items == nil {
			return nil
		}
		stored := *b
		stored.ID = row.ID
		out, err := outboxRows(items(&stored), db.now())
		if err != nil {
			return err
		}
		_, err = insertOutbox(tx, out)
		return err
	})
	if err != nil {
		return fmt.Errorf("create broadcast: %w", err)
	}
	b.ID = row.ID
	return nil
}

// Broadcast returns one broadcast.
func (db *DB) Broadcast(ctx context.Context, id int64) (*plan.Broadcast, error) {
	var row broadcastRow
	err := db.conn(ctx).Where("id = ?", id).Take(&row).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		return nil, plan.Errorf(plan.ENotFound, "Không tìm thấy thông báo số %d.", id)
	case err != nil:
		return nil, fmt.Errorf("broadcast %d: %w", id, err)
	}
	b, err := row.broadcast()
	return &b, err
}

// Broadcasts returns the organisation's latest broadcasts, newest first.
func (db *DB) Broadcasts(ctx context.Context, orgID int64, limit int) ([]plan.Broadcast, error) {
	if limit <= 0 {
		limit = 10
	}
	var rows []broadcastRow
	if err := db.conn(ctx).Where("org_id = ?", orgID).Order("created_at DESC, id DESC").Limit(limit).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("broadcasts of org %d: %w", orgID, err)
	}
	return broadcasts(rows)
}

func broadcasts(rows []broadcastRow) ([]plan.Broadcast, error) {
	out := make([]plan.Broadcast, 0, len(rows))
	for _, r := range rows {
		b, err := r.broadcast()
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}

// Recipients returns the broadcast's recipients in the order they were
// addressed. Recipients whose outbox item has since been sent or has
// failed get delivered_at or unreachable_at (with the reason) first, so
// the state survives the outbox being cleaned.
func (db *DB) Recipients(ctx context.Context, broadcastID int64) ([]plan.BroadcastRecipient, error) {
	g := db.conn(ctx)
	sync := []string{
		`UPDATE broadcast_recipients SET delivered_at = (
			SELECT o.sent_at FROM outbox o WHERE o.key = broadcast_recipients.outbox_key AND o.status = 'sent')
		WHERE broadcast_id = ? AND delivered_at IS NULL AND EXISTS (
			SELECT 1 FROM outbox o WHERE o.key = broadcast_recipients.outbox_key AND o.status = 'sent')`,
		`UPDATE broadcast_recipients SET unreachable_at = ?, failure = COALESCE((
			SELECT o.last_error FROM outbox o WHERE o.key = broadcast_recipients.outbox_key), '')
		WHERE broadcast_id = ? AND unreachable_at IS NULL AND delivered_at IS NULL AND EXISTS (
			SELECT 1 FROM outbox o WHERE o.key = broadcast_recipients.outbox_key AND o.status = 'failed')`,
	}
	if err := g.Exec(sync[0], broadcastID).Error; err != nil {
		return nil, fmt.Errorf("recipients of broadcast %d: sync delivered: %w", broadcastID, err)
	}
	if err := g.Exec(sync[1], db.now(), broadcastID).Error; err != nil {
		return nil, fmt.Errorf("recipients of broadcast %d: sync unreachable: %w", broadcastID, err)
	}
	var rows []recipientRow
	if err := g.Where("broadcast_id = ?", broadcastID).Order("position, officer_id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("recipients of broadcast %d: %w", broadcastID, err)
	}
	out := make([]plan.BroadcastRecipient, 0, len(rows))
	for _, r := range rows {
		out = append(out, plan.BroadcastRecipient{
			BroadcastID: r.BroadcastID, OfficerID: r.OfficerID, Name: r.Name, Unit: r.Unit,
			DeliveredAt: utcPtr(r.DeliveredAt), AcknowledgedAt: utcPtr(r.AcknowledgedAt), UnreachableAt: utcPtr(r.UnreachableAt), Failure: r.Failure,
		})
	}
	return out, nil
}

// Acknowledge records the officer's acknowledgement; a second one keeps
// the first time.
func (db *DB) Acknowledge(ctx context.Context, broadcastID, officerID int64, at time.Time) (bool, error) {
	g := db.conn(ctx)
	res := g.Exec(`UPDATE broadcast_recipients SET acknowledged_at = ? WHERE broadcast_id = ? AND officer_id = ? AND acknowledged_at IS NULL`,
		utc(at), broadcastID, officerID)
	if res.Error != nil {
		return false, fmt.Errorf("acknowledge broadcast %d by officer %d: %w", broadcastID, officerID, res.Error)
	}
	if res.RowsAffected == 1 {
		return true, nil
	}
	var n int64
	if err := g.Model(&recipientRow{}).Where("broadcast_id = ? AND officer_id = ?", broadcastID, officerID).Count(&n).Error; err != nil {
		return false, fmt.Errorf("acknowledge broadcast %d by officer %d: %w", broadcastID, officerID, err)
	}
	if n == 0 {
		return false, plan.Errorf(plan.ENotFound, "Thông báo này không gửi cho đồng chí.")
	}
	return false, nil
}

// MarkChased records that the broadcast's chaser went out, once.
func (db *DB) MarkChased(ctx context.Context, broadcastID int64, at time.Time) (bool, error) {
	res := db.conn(ctx).Exec(`UPDATE broadcasts SET chased_at = ? WHERE id = ? AND chased_at IS NULL`, utc(at), broadcastID)
	if res.Error != nil {
		return false, fmt.Errorf("mark broadcast %d chased: %w", broadcastID, res.Error)
	}
	return res.RowsAffected == 1, nil
}

// Unacknowledged returns the broadcasts created at or before before, not
// yet chased, that someone has not acknowledged.
func (db *DB) Unacknowledged(ctx context.Context, orgID int64, before time.Time) ([]plan.Broadcast, error) {
	var rows []broadcastRow
	err := db.conn(ctx).
		Where(`org_id = ? AND created_at <= ? AND chased_at IS NULL AND EXISTS (
			SELECT 1 FROM broadcast_recipients r WHERE r.broadcast_id = broadcasts.id AND r.acknowledged_at IS NULL)`, orgID, utc(before)).
		Order("id").Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("unacknowledged broadcasts: %w", err)
	}
	return broadcasts(rows)
}

// LatestUnacknowledged returns the newest broadcast delivered to the
// officer since since that they have not acknowledged, or nil.
func (db *DB) LatestUnacknowledged(ctx context.Context, officerID int64, since time.Time) (*plan.Broadcast, error) {
	var rows []broadcastRow
	err := db.conn(ctx).
		Where(`created_at >= ? AND id IN (SELECT broadcast_id FROM broadcast_recipients WHERE officer_id = ? AND acknowledged_at IS NULL)`, utc(since), officerID).
		Order("created_at DESC, id DESC").Limit(1).Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("latest unacknowledged broadcast of officer %d: %w", officerID, err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	b, err := rows[0].broadcast()
	return &b, err
}

// utcPtr returns *t in UTC, as every store method returns times (pgx
// returns them in the process's zone).
func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

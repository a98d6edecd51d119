package storage

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/chanhlo/planbot/plan"
)

// OfficerStore is plan.OfficerStore on the database. It is a view of DB
// rather than methods of DB because DB.MoveAddress already moves outbox
// items (the wiring calls both when a chat moves).
type OfficerStore struct{ db *DB }

var _ plan.OfficerStore = (*OfficerStore)(nil)

// OfficerStore returns the officers and invites of the database.
func (db *DB) OfficerStore() *OfficerStore { return &OfficerStore{db} }

type officerRow struct {
	ID               int64
	OrgID            int64
	Name             string
	Unit             string
	Role             string
	Transport        string
	UserID           string
	ChatID           string
	Active           bool
	UnreachableSince *time.Time
	CreatedAt        time.Time
	ReplacedAt       *time.Time
}

func (officerRow) TableName() string { return "officers" }

func (r officerRow) officer() plan.Officer {
	o := plan.Officer{
		ID: r.ID, OrgID: r.OrgID, Name: r.Name, Unit: r.Unit, Role: plan.Role(r.Role),
		UserID: r.UserID, Address: plan.Address{Transport: r.Transport, ChatID: r.ChatID},
		Active: r.Active, CreatedAt: r.CreatedAt.UTC(),
	}
	if r.UnreachableSince != nil {
		t := r.UnreachableSince.UTC()
		o.UnreachableSince = &t
	}
	return o
}

type inviteRow struct {
	Code        string `gorm:"primaryKey"`
	OrgID       int64
	Unit        string
	Role        string
	CreatedBy   int64
	CreatedAt   time.Time
	ExpiresAt   time.Time
	UsedAt      *time.Time
	UsedBy      int64
	Messenger   string
	LinkOfficer int64
}

func (inviteRow) TableName() string { return "invites" }

type contactRow struct {
	ID        int64
	OfficerID int64
	Transport string
	UserID    string
	ChatID    string
	CreatedAt time.Time
}

func (contactRow) TableName() string { return "officer_contacts" }

// CreateInvite stores a new invite. A code that exists already is an
// EConflict *plan.Error.
func (s *OfficerStore) CreateInvite(ctx context.Context, inv *plan.Invite) error {
	if inv.Code == "" || !inv.Role.Valid() {
		return fmt.Errorf("create invite: code and a valid role are required (role %q)", inv.Role)
	}
	if inv.OrgID == 0 {
		inv.OrgID = plan.DefaultOrg
	}
	if inv.CreatedAt.IsZero() {
		inv.CreatedAt = s.db.now()
	}
	row := inviteRow{
		Code: inviteKey(inv.Code), OrgID: inv.OrgID, Unit: inv.Unit, Role: string(inv.Role), CreatedBy: inv.CreatedBy,
		CreatedAt: utc(inv.CreatedAt), ExpiresAt: utc(inv.ExpiresAt),
		Messenger: inv.Messenger, LinkOfficer: inv.LinkOfficer,
	}
	err := s.db.conn(ctx).Create(&row).Error
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return plan.Errorf(plan.EConflict, "Mã mời đã tồn tại.")
	}
	if err != nil {
		return fmt.Errorf("create invite for %q: %w", inv.Unit, err)
	}
	return nil
}

// Invite returns an invite by code, or an ENotFound *plan.Error.
func (s *OfficerStore) Invite(ctx context.Context, code string) (*plan.Invite, error) {
	var rows []inviteRow
	if err := s.db.conn(ctx).Where("code = ?", inviteKey(code)).Limit(1).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("invite: %w", err)
	}
	if len(rows) == 0 {
		return nil, plan.Errorf(plan.ENotFound, "Mã mời không đúng.")
	}
	inv := rows[0].invite()
	inv.Code = code // the store keeps only its hash
	return inv, nil
}

func (r inviteRow) invite() *plan.Invite {
	inv := &plan.Invite{
		Code: r.Code, OrgID: r.OrgID, Unit: r.Unit, Role: plan.Role(r.Role), CreatedBy: r.CreatedBy,
		CreatedAt: r.CreatedAt.UTC(), ExpiresAt: r.ExpiresAt.UTC(), UsedBy: r.UsedBy,
		Messenger: r.Messenger, LinkOfficer: r.LinkOfficer,
	}
	if r.UsedAt != nil {
		t := r.UsedAt.UTC()
		inv.UsedAt = &t
	}
	return inv
}

// UnusedInvites returns the organisation's invites not used, expiring
// (or expired) in [from, to), soonest first: what the secretariat's daily
// notice lists.
func (s *OfficerStore) UnusedInvites(ctx context.Context, orgID int64, from, to time.Time) ([]plan.Invite, error) {
	var rows []inviteRow
	err := s.db.conn(ctx).
		Where("org_id = ? AND used_at IS NULL AND expires_at >= ? AND expires_at < ?", orgID, from.UTC(), to.UTC()).
		Order("expires_at, code").Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("unused invites: %w", err)
	}
	out := make([]plan.Invite, len(rows))
	for i, r := range rows {
		out[i] = *r.invite()
	}
	return out, nil
}

// seatRoles are the roles one person holds per unit (per ward for the
// chairman): a new registration replaces the previous holder.
func seatRole(r plan.Role) bool {
	return r == plan.RoleOfficer || r == plan.RoleDeputy || r == plan.RoleChairman
}

// RedeemInvite uses the invite for o in one transaction. The invite's
// unit, role and organisation become o's. The invite is claimed with a
// conditional UPDATE (used_at IS NULL), so of two concurrent redemptions
// exactly one wins; the other gets EConflict. A person registering again
// gives up their previous registration on the transport; the previous
// holder of the unit's seat (officer, deputy, chairman) is deactivated and
// returned.
func (s *OfficerStore) RedeemInvite(ctx context.Context, code string, o *plan.Officer, now time.Time) (*plan.Officer, error) {
	now = utc(now)
	code = inviteKey(code)
	var replaced *plan.Officer
	err := s.db.tx(ctx, func(tx *gorm.DB) error {
		var rows []inviteRow
		if err := tx.Where("code = ?", code).Limit(1).Find(&rows).Error; err != nil {
			return err
		}
		if len(rows) == 0 {
			return plan.Errorf(plan.ENotFound, "Mã mời không đúng.")
		}
		inv := rows[0]
		switch {
		case o.OrgID != 0 && inv.OrgID != o.OrgID:
			// Another ward's code, on this ward's bot: as unknown here.
			return plan.Errorf(plan.ENotFound, "Mã mời không đúng.")
		case inv.UsedAt != nil:
			return plan.Errorf(plan.EConflict, "Mã mời đã được dùng.")
		case !now.Before(inv.ExpiresAt):
			return plan.Errorf(plan.EInvalid, "Mã mời đã hết hạn.")
		}
		res := tx.Model(&inviteRow{}).Where("code = ? AND used_at IS NULL", code).Update("used_at", now)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return plan.Errorf(plan.EConflict, "Mã mời đã được dùng.")
		}
		retire := map[string]any{"active": false, "replaced_at": now}
		if inv.LinkOfficer != 0 {
			return linkContact(tx, inv, o, now)
		}
		o.OrgID, o.Unit, o.Role, o.Active = inv.OrgID, inv.Unit, plan.Role(inv.Role), true
		// The person's registration on this messenger, in any ward, ends:
		// someone who moves to another ward with its code stops getting
		// the old ward's reminders, summaries and announcements, and a
		// bot shared by both wards has one ward to take them to.
		if err := tx.Model(&officerRow{}).
			Where("transport = ? AND user_id = ? AND active", o.Address.Transport, o.UserID).
			Updates(retire).Error; err != nil {
			return err
		}
		// The person's other messengers belonged to the registration
		// they give up: a new registration starts with this one only.
		if err := tx.Where("transport = ? AND user_id = ?", o.Address.Transport, o.UserID).Delete(&contactRow{}).Error; err != nil {
			return err
		}
		if seatRole(o.Role) {
			var prev []officerRow
			if err := tx.Where("org_id = ? AND unit = ? AND role = ? AND active", o.OrgID, o.Unit, string(o.Role)).
				Find(&prev).Error; err != nil {
				return err
			}
			if len(prev) > 0 {
				if err := tx.Model(&officerRow{}).Where("id = ?", prev[0].ID).Updates(retire).Error; err != nil {
					return err
				}
				p := prev[0].officer()
				p.Active = false
				replaced = &p
			}
		}
		row := officerRow{
			OrgID: o.OrgID, Name: o.Name, Unit: o.Unit, Role: string(o.Role),
			Transport: o.Address.Transport, UserID: o.UserID, ChatID: o.Address.ChatID,
			Active: true, CreatedAt: now,
		}
		if err := tx.Create(&row).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return plan.Errorf(plan.EConflict, "Đơn vị vừa được đăng ký bởi người khác; vui lòng thử lại.")
			}
			return err
		}
		o.ID, o.CreatedAt = row.ID, now
		return tx.Model(&inviteRow{}).Where("code = ?", code).Update("used_by", row.ID).Error
	})
	if err != nil {
		if plan.ErrorMessage(err) != "" {
			return nil, err
		}
		return nil, fmt.Errorf("redeem invite: %w", err)
	}
	return replaced, nil
}

// linkContact adds the messenger of o (the person redeeming a /kenh
// invite) to the invite's officer, in the redeeming transaction, and
// fills o with that officer. A registration the person had on this
// messenger is given up: they are now that officer there.
func linkContact(tx *gorm.DB, inv inviteRow, o *plan.Officer, now time.Time) error {
	var rows []officerRow
	if err := tx.Where("id = ? AND active", inv.LinkOfficer).Limit(1).Find(&rows).Error; err != nil {
		return err
	}
	if len(rows) == 0 {
		return plan.Errorf(plan.EInvalid, "Mã mời đã hết hạn.")
	}
	target := rows[0]
	if target.Transport == o.Address.Transport {
		if target.UserID == o.UserID {
			*o = target.officer()
			return tx.Model(&inviteRow{}).Where("code = ?", inv.Code).Update("used_by", target.ID).Error
		}
		return plan.Errorf(plan.EConflict, "Mã này dùng để thêm một kênh khác cho cán bộ đã đăng ký.")
	}
	if err := tx.Model(&officerRow{}).
		Where("org_id = ? AND transport = ? AND user_id = ? AND active AND id <> ?", target.OrgID, o.Address.Transport, o.UserID, target.ID).
		Updates(map[string]any{"active": false, "replaced_at": now}).Error; err != nil {
		return err
	}
	if err := tx.Where("officer_id = ? AND transport = ?", target.ID, o.Address.Transport).
		Or("transport = ? AND user_id = ?", o.Address.Transport, o.UserID).Delete(&contactRow{}).Error; err != nil {
		return err
	}
	c := contactRow{OfficerID: target.ID, Transport: o.Address.Transport, UserID: o.UserID, ChatID: o.Address.ChatID, CreatedAt: now}
	if err := tx.Create(&c).Error; err != nil {
		return err
	}
	*o = target.officer()
	return tx.Model(&inviteRow{}).Where("code = ?", inv.Code).Update("used_by", target.ID).Error
}

// OfficerByUser returns the active officer with the transport user id:
// registered there, or there as another messenger of the officer.
func (s *OfficerStore) OfficerByUser(ctx context.Context, transport, userID string) (*plan.Officer, error) {
	// Every update from a person asks: plain SQL (docs/benchmarks.md).
	var rows []officerRow
	qctx, err := s.db.quick(ctx)
	if err != nil {
		return nil, fmt.Errorf("officer by user %s:%s: %w", transport, userID, err)
	}
	stmt, err := s.db.stmt(qctx, `SELECT `+officerColumns+` FROM officers WHERE transport = ? AND user_id = ? AND active ORDER BY id DESC LIMIT 1`)
	if err != nil {
		return nil, fmt.Errorf("officer by user %s:%s: %w", transport, userID, err)
	}
	r, err := scanOfficer(stmt.QueryRowContext(qctx, transport, userID))
	switch {
	case err == nil:
		rows = append(rows, r)
	case !errors.Is(err, sql.ErrNoRows):
		return nil, fmt.Errorf("officer by user %s:%s: %w", transport, userID, err)
	}
	if len(rows) == 0 {
		err = s.db.conn(ctx).Model(&officerRow{}).
			Joins("JOIN officer_contacts c ON c.officer_id = officers.id").
			Where("c.transport = ? AND c.user_id = ? AND officers.active", transport, userID).
			Order("officers.id DESC").Limit(1).Find(&rows).Error
		if err != nil {
			return nil, fmt.Errorf("officer by contact %s:%s: %w", transport, userID, err)
		}
	}
	if len(rows) == 0 {
		return nil, plan.Errorf(plan.ENotFound, "Đồng chí chưa đăng ký.")
	}
	o := rows[0].officer()
	return &o, nil
}

// Contacts implements plan.ContactStore.
func (s *OfficerStore) Contacts(ctx context.Context, officerID int64) ([]plan.Contact, error) {
	o, err := s.OfficerByID(ctx, officerID)
	if err != nil {
		return nil, err
	}
	out := []plan.Contact{{Transport: o.Address.Transport, UserID: o.UserID, ChatID: o.Address.ChatID, Preferred: true}}
	var rows []contactRow
	if err := s.db.conn(ctx).Where("officer_id = ?", officerID).Order("transport").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("contacts of officer %d: %w", officerID, err)
	}
	for _, r := range rows {
		out = append(out, plan.Contact{Transport: r.Transport, UserID: r.UserID, ChatID: r.ChatID})
	}
	return out, nil
}

// Prefer implements plan.ContactStore: the officer's row and the contact
// swap messengers, so that everything that reaches an officer (the
// scheduler, the dispatcher, unreachability) keeps using the row.
func (s *OfficerStore) Prefer(ctx context.Context, officerID int64, transport string) error {
	err := s.db.tx(ctx, func(tx *gorm.DB) error {
		var os []officerRow
		if err := tx.Where("id = ?", officerID).Limit(1).Find(&os).Error; err != nil {
			return err
		}
		if len(os) == 0 {
			return plan.Errorf(plan.ENotFound, "Không tìm thấy cán bộ (mã %d).", officerID)
		}
		o := os[0]
		if o.Transport == transport {
			return nil
		}
		var cs []contactRow
		if err := tx.Where("officer_id = ? AND transport = ?", officerID, transport).Limit(1).Find(&cs).Error; err != nil {
			return err
		}
		if len(cs) == 0 {
			return plan.Errorf(plan.ENotFound, "Đồng chí chưa đăng ký trên kênh này.")
		}
		c := cs[0]
		if err := tx.Model(&contactRow{}).Where("id = ?", c.ID).
			Updates(map[string]any{"transport": o.Transport, "user_id": o.UserID, "chat_id": o.ChatID}).Error; err != nil {
			return err
		}
		// A messenger the officer now prefers has not refused them.
		return tx.Model(&officerRow{}).Where("id = ?", o.ID).
			Updates(map[string]any{"transport": c.Transport, "user_id": c.UserID, "chat_id": c.ChatID, "unreachable_since": nil}).Error
	})
	if err != nil && plan.ErrorMessage(err) == "" {
		return fmt.Errorf("prefer %s for officer %d: %w", transport, officerID, err)
	}
	return err
}

// OfficerByID returns an officer, active or not.
func (s *OfficerStore) OfficerByID(ctx context.Context, id int64) (*plan.Officer, error) {
	var rows []officerRow
	if err := s.db.conn(ctx).Where("id = ?", id).Limit(1).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("officer %d: %w", id, err)
	}
	if len(rows) == 0 {
		return nil, plan.Errorf(plan.ENotFound, "Không tìm thấy cán bộ (mã %d).", id)
	}
	o := rows[0].officer()
	return &o, nil
}

// Officers returns the organisation's active officers by unit, role and
// registration.
func (s *OfficerStore) Officers(ctx context.Context, orgID int64) ([]plan.Officer, error) {
	// Every summary reads the officers, so a province's roll-up reads
	// them once per ward: plain database/sql on a statement prepared
	// once, without gorm's reflection (a tenth of a roll-up's time on
	// PostgreSQL went to gorm here).
	ctx, err := s.db.quick(ctx)
	if err != nil {
		return nil, fmt.Errorf("officers of org %d: %w", orgID, err)
	}
	stmt, err := s.db.stmt(ctx, `SELECT `+officerColumns+` FROM officers WHERE org_id = ? AND active ORDER BY unit, role, id`)
	if err != nil {
		return nil, fmt.Errorf("officers of org %d: %w", orgID, err)
	}
	rows, err := stmt.QueryContext(ctx, orgID)
	if err != nil {
		return nil, fmt.Errorf("officers of org %d: %w", orgID, err)
	}
	defer rows.Close()
	out := []plan.Officer{} // not nil, as before: callers may encode it
	for rows.Next() {
		r, err := scanOfficer(rows)
		if err != nil {
			return nil, fmt.Errorf("officers of org %d: %w", orgID, err)
		}
		out = append(out, r.officer())
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("officers of org %d: %w", orgID, err)
	}
	return out, nil
}

// SetUnreachable marks or clears an officer's unreachability and reports
// whether it changed.
func (s *OfficerStore) SetUnreachable(ctx context.Context, id int64, since *time.Time) (bool, error) {
	q := s.db.conn(ctx).Model(&officerRow{})
	var res *gorm.DB
	if since != nil {
		res = q.Where("id = ? AND unreachable_since IS NULL", id).Update("unreachable_since", utc(*since))
	} else {
		res = q.Where("id = ? AND unreachable_since IS NOT NULL", id).Update("unreachable_since", nil)
	}
	if res.Error != nil {
		return false, fmt.Errorf("set unreachable of officer %d: %w", id, res.Error)
	}
	return res.RowsAffected > 0, nil
}

// MoveAddress changes the address of every active officer at from.
func (s *OfficerStore) MoveAddress(ctx context.Context, from, to plan.Address) error {
	err := s.db.conn(ctx).Model(&officerRow{}).
		Where("transport = ? AND chat_id = ? AND active", from.Transport, from.ChatID).
		Updates(map[string]any{"transport": to.Transport, "chat_id": to.ChatID}).Error
	if err != nil {
		return fmt.Errorf("move officers from %s:%s: %w", from.Transport, from.ChatID, err)
	}
	return nil
}

// hashedPrefix marks an invite code stored as its hash.
const hashedPrefix = "sha256:"

// inviteKey is how an invite code is stored and looked up: its SHA-256,
// hex. The codes are 128-bit random, so a plain hash is enough; the
// plaintext exists only in the message that hands it to its person.
func inviteKey(code string) string {
	sum := sha256.Sum256([]byte(code))
	return hashedPrefix + hex.EncodeToString(sum[:])
}

// officerColumns are the columns scanOfficer reads, in its order.
const officerColumns = `id, org_id, name, unit, role, transport, user_id, chat_id, active, unreachable_since, created_at, replaced_at`

// scanOfficer reads a row of officerColumns (a *sql.Row or *sql.Rows)
// without gorm's reflection: every update asks for its sender.
func scanOfficer(row interface{ Scan(...any) error }) (officerRow, error) {
	var r officerRow
	err := row.Scan(&r.ID, &r.OrgID, &r.Name, &r.Unit, &r.Role, &r.Transport, &r.UserID, &r.ChatID,
		&r.Active, &r.UnreachableSince, &r.CreatedAt, &r.ReplacedAt)
	return r, err
}

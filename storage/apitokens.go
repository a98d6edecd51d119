package storage

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"gorm.io/gorm"

	"github.com/chanhlo/planbot/plan"
)

var _ plan.APITokenStore = (*DB)(nil)

type apiTokenRow struct {
	ID         int64
	OrgID      int64
	Name       string
	Role       string
	Hash       string
	CreatedAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

func (apiTokenRow) TableName() string { return "api_tokens" }

func (r apiTokenRow) token() plan.APIToken {
	return plan.APIToken{ID: r.ID, OrgID: r.OrgID, Name: r.Name, Role: plan.APIRole(r.Role), Hash: r.Hash,
		CreatedAt: r.CreatedAt.UTC(), LastUsedAt: utcPtr(r.LastUsedAt), RevokedAt: utcPtr(r.RevokedAt)}
}

// CreateAPIToken stores t and sets t.ID; a name held by a token that is
// not revoked is an EConflict *plan.Error.
func (db *DB) CreateAPIToken(ctx context.Context, t *plan.APIToken) error {
	switch {
	case t.Name == "":
		return plan.Errorf(plan.EInvalid, "Mã truy cập cần có tên.")
	case !t.Role.Valid():
		return plan.Errorf(plan.EInvalid, "Vai trò %q không hợp lệ (reader, secretariat).", t.Role)
	case len(t.Hash) != 64:
		return fmt.Errorf("create api token %s: hash must be hex SHA-256", t.Name)
	}
	if t.OrgID == 0 {
		t.OrgID = plan.DefaultOrg
	}
	if t.CreatedAt.IsZero() {
		t.CreatedAt = db.now()
	}
	row := apiTokenRow{OrgID: t.OrgID, Name: t.Name, Role: string(t.Role), Hash: t.Hash, CreatedAt: utc(t.CreatedAt)}
	err := db.conn(ctx).Create(&row).Error
	switch {
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return plan.Errorf(plan.EConflict, "Đã có mã truy cập tên %q đang dùng; thu hồi mã đó trước hoặc đặt tên khác.", t.Name)
	case err != nil:
		return fmt.Errorf("create api token %s: %w", t.Name, err)
	}
	t.ID = row.ID
	return nil
}

// APITokenByHash returns the token that is not revoked with the hash.
func (db *DB) APITokenByHash(ctx context.Context, hash string) (*plan.APIToken, error) {
	var rows []apiTokenRow
	if err := db.conn(ctx).Where("hash = ? AND revoked_at IS NULL", hash).Limit(1).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("api token by hash: %w", err)
	}
	if len(rows) == 0 {
		return nil, plan.Errorf(plan.ENotFound, "Mã truy cập không đúng hoặc đã bị thu hồi.")
	}
	t := rows[0].token()
	return &t, nil
}

// TouchAPIToken sets the token's last use to at, unless it is later
// already: a single cheap UPDATE.
func (db *DB) TouchAPIToken(ctx context.Context, id int64, at time.Time) error {
	at = utc(at)
	err := db.conn(ctx).Exec(`UPDATE api_tokens SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)`,
		at, id, at).Error
	if err != nil {
		return fmt.Errorf("touch api token %d: %w", id, err)
	}
	return nil
}

// ListAPITokens returns the organisation's tokens, oldest first.
func (db *DB) ListAPITokens(ctx context.Context, orgID int64) ([]plan.APIToken, error) {
	var rows []apiTokenRow
	if err := db.conn(ctx).Where("org_id = ?", orgID).Order("created_at, id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("api tokens of org %d: %w", orgID, err)
	}
	out := make([]plan.APIToken, 0, len(rows))
	for _, r := range rows {
		out = append(out, r.token())
	}
	return out, nil
}

// RevokeAPIToken revokes the token named ref (a name, else an id) that is
// not revoked yet.
func (db *DB) RevokeAPIToken(ctx context.Context, orgID int64, ref string, at time.Time) (*plan.APIToken, error) {
	var out *plan.APIToken
	err := db.tx(ctx, func(tx *gorm.DB) error {
		var rows []apiTokenRow
		if err := tx.Where("org_id = ? AND name = ? AND revoked_at IS NULL", orgID, ref).Limit(1).Find(&rows).Error; err != nil {
			return err
		}
		if id, err := strconv.ParseInt(ref, 10, 64); len(rows) == 0 && err == nil {
			if err := tx.Where("org_id = ? AND id = ? AND revoked_at IS NULL", orgID, id).Limit(1).Find(&rows).Error; err != nil {
				return err
			}
		}
		if len(rows) == 0 {
			return plan.Errorf(plan.ENotFound, "Không có mã truy cập %q đang dùng; xem planbot token list.", ref)
		}
		r := rows[0]
		t := utc(at)
		if err := tx.Model(&apiTokenRow{}).Where("id = ?", r.ID).Update("revoked_at", t).Error; err != nil {
			return err
		}
		r.RevokedAt = &t
		tok := r.token()
		out = &tok
		return nil
	})
	var pe *plan.Error
	if errors.As(err, &pe) {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("revoke api token %s: %w", ref, err)
	}
	return out, nil
}

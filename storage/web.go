package storage

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/chanhlo/planbot/plan"
)

type webSigninRow struct {
	Hash      string `gorm:"primaryKey"`
	OfficerID int64
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time
}

func (webSigninRow) TableName() string { return "web_signins" }

type webSessionRow struct {
	Hash      string `gorm:"primaryKey"`
	OfficerID int64
	CSRF      string `gorm:"column:csrf"`
	CreatedAt time.Time
	ExpiresAt time.Time
	RevokedAt *time.Time
}

func (webSessionRow) TableName() string { return "web_sessions" }

// CreateSignIn stores a one-time sign-in link's hash.
func (db *DB) CreateSignIn(ctx context.Context, hash string, officerID int64, now, expires time.Time) error {
	row := webSigninRow{Hash: hash, OfficerID: officerID, CreatedAt: utc(now), ExpiresAt: utc(expires)}
	if err := db.conn(ctx).Create(&row).Error; err != nil {
		return fmt.Errorf("store sign-in link: %w", err)
	}
	return nil
}

// UseSignIn spends a sign-in link and returns its officer: one
// conditional UPDATE, so of two uses exactly one wins. An unknown, used
// or expired link is an ENotFound *plan.Error.
func (db *DB) UseSignIn(ctx context.Context, hash string, now time.Time) (int64, error) {
	now = utc(now)
	res := db.conn(ctx).Model(&webSigninRow{}).
		Where("hash = ? AND used_at IS NULL AND expires_at > ?", hash, now).Update("used_at", now)
	if res.Error != nil {
		return 0, fmt.Errorf("use sign-in link: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return 0, plan.Errorf(plan.ENotFound, "Đường liên kết đăng nhập không đúng, đã dùng hoặc đã hết hạn.")
	}
	var row webSigninRow
	if err := db.conn(ctx).Where("hash = ?", hash).First(&row).Error; err != nil {
		return 0, fmt.Errorf("use sign-in link: %w", err)
	}
	return row.OfficerID, nil
}

// CreateSession stores a web session's hash with its CSRF token.
func (db *DB) CreateSession(ctx context.Context, hash string, officerID int64, csrf string, now, expires time.Time) error {
	row := webSessionRow{Hash: hash, OfficerID: officerID, CSRF: csrf, CreatedAt: utc(now), ExpiresAt: utc(expires)}
	if err := db.conn(ctx).Create(&row).Error; err != nil {
		return fmt.Errorf("store session: %w", err)
	}
	return nil
}

// Session returns a live session's officer and CSRF token; an unknown,
// expired or revoked one is an ENotFound *plan.Error.
func (db *DB) Session(ctx context.Context, hash string, now time.Time) (officerID int64, csrf string, err error) {
	var rows []webSessionRow
	if err := db.conn(ctx).Where("hash = ? AND revoked_at IS NULL AND expires_at > ?", hash, utc(now)).
		Limit(1).Find(&rows).Error; err != nil {
		return 0, "", fmt.Errorf("session: %w", err)
	}
	if len(rows) == 0 {
		return 0, "", plan.Errorf(plan.ENotFound, "Phiên đăng nhập đã hết hạn.")
	}
	return rows[0].OfficerID, rows[0].CSRF, nil
}

// RevokeSession ends one session (signing out).
func (db *DB) RevokeSession(ctx context.Context, hash string, now time.Time) error {
	if err := db.conn(ctx).Model(&webSessionRow{}).Where("hash = ? AND revoked_at IS NULL", hash).
		Update("revoked_at", utc(now)).Error; err != nil {
		return fmt.Errorf("revoke session: %w", err)
	}
	return nil
}

// RevokeOfficerSessions ends every session of an officer (replaced,
// or signed out everywhere); it returns how many.
func (db *DB) RevokeOfficerSessions(ctx context.Context, officerID int64, now time.Time) (int64, error) {
	res := db.conn(ctx).Model(&webSessionRow{}).Where("officer_id = ? AND revoked_at IS NULL", officerID).
		Update("revoked_at", utc(now))
	if res.Error != nil {
		return 0, fmt.Errorf("revoke sessions of officer %d: %w", officerID, res.Error)
	}
	return res.RowsAffected, nil
}

// PruneWeb deletes sign-in links and sessions that ended before t.
func (db *DB) PruneWeb(ctx context.Context, t time.Time) (int64, error) {
	t = utc(t)
	a := db.conn(ctx).Where("expires_at < ?", t).Delete(&webSigninRow{})
	if a.Error != nil {
		return 0, fmt.Errorf("prune sign-in links: %w", a.Error)
	}
	b := db.conn(ctx).Where("expires_at < ? OR revoked_at < ?", t, t).Delete(&webSessionRow{})
	if b.Error != nil {
		return 0, fmt.Errorf("prune sessions: %w", b.Error)
	}
	return a.RowsAffected + b.RowsAffected, nil
}

// RevokeAllSessions ends every web session (a lost laptop, a change of
// staff): everyone signs in again from the chat.
func (db *DB) RevokeAllSessions(ctx context.Context, now time.Time) (int64, error) {
	res := db.conn(ctx).Model(&webSessionRow{}).Where("revoked_at IS NULL").Update("revoked_at", utc(now))
	if res.Error != nil {
		return 0, fmt.Errorf("revoke all sessions: %w", res.Error)
	}
	return res.RowsAffected, nil
}

// RevokeOrgSessions ends the web sessions of one organisation's
// officers: `planbot web signout --all` of one ward must leave the other
// wards signed in.
func (db *DB) RevokeOrgSessions(ctx context.Context, orgID int64, now time.Time) (int64, error) {
	res := db.conn(ctx).Model(&webSessionRow{}).
		Where("revoked_at IS NULL AND officer_id IN (SELECT id FROM officers WHERE org_id = ?)", orgID).
		Update("revoked_at", utc(now))
	if res.Error != nil {
		return 0, fmt.Errorf("revoke sessions of organisation %d: %w", orgID, res.Error)
	}
	return res.RowsAffected, nil
}

// PutPending keeps a short-lived note of what a person is in the middle
// of (the task whose "done" they are returning, waiting for the reason)
// until a time, where every replica sees it.
func (db *DB) PutPending(ctx context.Context, key, value string, until time.Time) error {
	row := settingRow{Key: "pending:" + key, Value: strconv.FormatInt(utc(until).UnixNano(), 10) + "|" + value}
	err := db.conn(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "key"}}, DoUpdates: clause.AssignmentColumns([]string{"value"})}).
		Create(&row).Error
	if err != nil {
		return fmt.Errorf("put pending %s: %w", key, err)
	}
	return nil
}

// TakePending returns and forgets the note under key, if one is there
// and not past its time.
func (db *DB) TakePending(ctx context.Context, key string, now time.Time) (string, bool, error) {
	var value string
	var found bool
	err := db.tx(ctx, func(tx *gorm.DB) error {
		var rows []settingRow
		if err := tx.Where("key = ?", "pending:"+key).Limit(1).Find(&rows).Error; err != nil {
			return err
		}
		if len(rows) == 0 {
			return nil
		}
		res := tx.Where("key = ? AND value = ?", rows[0].Key, rows[0].Value).Delete(&settingRow{})
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error // another replica took it
		}
		until, v, _ := strings.Cut(rows[0].Value, "|")
		ns, err := strconv.ParseInt(until, 10, 64)
		if err == nil && utc(now).UnixNano() < ns {
			value, found = v, true
		}
		return nil
	})
	if err != nil {
		return "", false, fmt.Errorf("take pending %s: %w", key, err)
	}
	return value, found, nil
}

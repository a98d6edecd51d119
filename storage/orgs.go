package storage

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/chanhlo/planbot/plan"
)

// organisationRow is a row of organisations (version 1, short name and
// overrides since version 15). Short is NULL, not an empty string, for an
// organisation without one, so that the unique index admits many.
type organisationRow struct {
	ID               int64
	Name             string
	Short            *string
	OrgName          string
	Signer           string
	StandingUnit     string
	ZaloMonthlyQuota *int64
	Kind             string
	CreatedAt        time.Time
}

func (organisationRow) TableName() string { return "organisations" }

func (r organisationRow) organisation() plan.Organisation {
	o := plan.Organisation{ID: r.ID, Name: r.Name, Kind: plan.OrgKind(r.Kind), CreatedAt: r.CreatedAt.UTC(), Overrides: plan.OrgOverrides{
		OrgName: r.OrgName, Signer: r.Signer, StandingUnit: r.StandingUnit, ZaloMonthlyQuota: r.ZaloMonthlyQuota,
	}}
	if r.Short != nil {
		o.Short = *r.Short
	}
	return o
}

var _ plan.OrgStore = (*DB)(nil)

// AddOrganisation stores a new organisation (a ward) with only a name and
// returns its id. Organisation 1 (plan.DefaultOrg) exists from the first
// migration. It stays beside CreateOrganisation for the callers that need
// no more (the benchmark's and the summaries' tests).
func (db *DB) AddOrganisation(ctx context.Context, name string) (int64, error) {
	o := plan.Organisation{Name: name}
	if err := db.CreateOrganisation(ctx, &o); err != nil {
		return 0, err
	}
	return o.ID, nil
}

// CreateOrganisation stores o and sets its ID and CreatedAt. The name is
// required; a short name, when given, must pass plan.ValidateOrgShort and
// be free. Failures the person can fix are *plan.Error in Vietnamese.
func (db *DB) CreateOrganisation(ctx context.Context, o *plan.Organisation) error {
	row, err := newOrganisationRow(o)
	if err != nil {
		return err
	}
	row.CreatedAt = db.now()
	err = db.tx(ctx, func(tx *gorm.DB) error {
		if err := shortFree(tx, row.Short, 0); err != nil {
			return err
		}
		return tx.Create(&row).Error
	})
	var pe *plan.Error
	if errors.As(err, &pe) {
		return err
	}
	if err != nil {
		return fmt.Errorf("add organisation %q: %w", row.Name, err)
	}
	*o = row.organisation()
	return nil
}

// UpdateOrganisation stores o's name, short name and overrides over the
// organisation o.ID, checked as CreateOrganisation checks them, and
// reads it back into o.
func (db *DB) UpdateOrganisation(ctx context.Context, o *plan.Organisation) error {
	row, err := newOrganisationRow(o)
	if err != nil {
		return err
	}
	err = db.tx(ctx, func(tx *gorm.DB) error {
		var old []organisationRow
		if err := tx.Where("id = ?", o.ID).Limit(1).Find(&old).Error; err != nil {
			return err
		}
		if len(old) == 0 {
			return plan.Errorf(plan.ENotFound, "Không có phường %q.", fmt.Sprint(o.ID))
		}
		if err := shortFree(tx, row.Short, o.ID); err != nil {
			return err
		}
		row.ID, row.CreatedAt = o.ID, old[0].CreatedAt
		// Named columns are written even when zero: clearing an
		// override is an update like any other.
		return tx.Model(&organisationRow{}).Where("id = ?", o.ID).
			Select("name", "short", "org_name", "signer", "standing_unit", "zalo_monthly_quota", "kind").Updates(&row).Error
	})
	var pe *plan.Error
	if errors.As(err, &pe) {
		return err
	}
	if err != nil {
		return fmt.Errorf("update organisation %d: %w", o.ID, err)
	}
	*o = row.organisation()
	return nil
}

// newOrganisationRow checks o and returns its row (without ID and
// CreatedAt).
func newOrganisationRow(o *plan.Organisation) (organisationRow, error) {
	name := strings.TrimSpace(o.Name)
	if name == "" {
		return organisationRow{}, plan.Errorf(plan.EInvalid, "Cần tên phường (--name), ví dụ \"UBND phường Chánh Lộ\".")
	}
	row := organisationRow{
		Name: name, OrgName: strings.TrimSpace(o.Overrides.OrgName), Signer: strings.TrimSpace(o.Overrides.Signer),
		StandingUnit: strings.TrimSpace(o.Overrides.StandingUnit), ZaloMonthlyQuota: o.Overrides.ZaloMonthlyQuota,
	}
	switch o.Kind {
	case "":
		row.Kind = string(plan.OrgWard)
	case plan.OrgWard, plan.OrgProvince:
		row.Kind = string(o.Kind)
	default:
		return organisationRow{}, fmt.Errorf("organisation %q: unknown kind %q", name, o.Kind)
	}
	if q := o.Overrides.ZaloMonthlyQuota; q != nil && *q < 0 {
		return organisationRow{}, plan.Errorf(plan.EInvalid, "Hạn mức tin Zalo mỗi tháng không được âm (%d).", *q)
	}
	if short := strings.TrimSpace(o.Short); short != "" {
		if err := plan.ValidateOrgShort(short); err != nil {
			return organisationRow{}, err
		}
		row.Short = &short
	}
	return row, nil
}

// shortFree returns an EConflict *plan.Error when another organisation
// than self holds short. Checked to say which ward holds it; the unique
// index stays the guard against two writers at once.
func shortFree(tx *gorm.DB, short *string, self int64) error {
	if short == nil {
		return nil
	}
	var taken []organisationRow
	if err := tx.Where("short = ? AND id <> ?", *short, self).Limit(1).Find(&taken).Error; err != nil {
		return err
	}
	if len(taken) > 0 {
		return plan.Errorf(plan.EConflict, "Tên ngắn %q đã dùng cho %s (mã %d); chọn tên khác bằng --short.", *short, taken[0].Name, taken[0].ID)
	}
	return nil
}

// Organisations returns every organisation, by id.
func (db *DB) Organisations(ctx context.Context) ([]plan.Organisation, error) {
	var rows []organisationRow
	if err := db.conn(ctx).Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list organisations: %w", err)
	}
	out := make([]plan.Organisation, len(rows))
	for i, r := range rows {
		out[i] = r.organisation()
	}
	return out, nil
}

// Organisation returns the organisation with the given id, or an
// ENotFound *plan.Error.
func (db *DB) Organisation(ctx context.Context, id int64) (*plan.Organisation, error) {
	return db.findOrganisation(ctx, "id = ?", id, fmt.Sprint(id))
}

// OrganisationByShort returns the organisation with the given short name
// (any case), or an ENotFound *plan.Error.
func (db *DB) OrganisationByShort(ctx context.Context, short string) (*plan.Organisation, error) {
	short = strings.ToLower(strings.TrimSpace(short))
	return db.findOrganisation(ctx, "short = ?", short, short)
}

func (db *DB) findOrganisation(ctx context.Context, where string, arg any, ref string) (*plan.Organisation, error) {
	var rows []organisationRow
	if err := db.conn(ctx).Where(where, arg).Limit(1).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("find organisation %s: %w", ref, err)
	}
	if len(rows) == 0 {
		return nil, plan.Errorf(plan.ENotFound, "Không có phường %q.", ref)
	}
	o := rows[0].organisation()
	return &o, nil
}

package plan

import (
	"context"
	"strconv"
	"time"
)

// Organisation is one ward (or commune) that a deployment serves: its
// plans, units, officers, invites, tokens and outbox rows carry its ID.
// Organisation DefaultOrg exists in every database; a province adds one
// per ward.
type Organisation struct {
	ID int64
	// Name is the ward's name as people write it ("UBND phường Chánh Lộ").
	Name string
	// Short is the slug typed after --org ("chanh-lo"): lowercase ASCII
	// letters, digits and hyphens, unique. "" when the organisation has
	// none (organisation 1 of a database made before wards had short
	// names); it is then named by its ID.
	Short     string
	CreatedAt time.Time
	// Kind is OrgWard (the default) or OrgProvince.
	Kind OrgKind
	// Overrides are the ward's own values for settings the configuration
	// file holds for the whole deployment.
	Overrides OrgOverrides
}

// OrgKind is what an organisation is in the deployment.
type OrgKind string

const (
	// OrgWard is a ward or commune: it has plans, units and officers.
	OrgWard OrgKind = "ward"
	// OrgProvince is the level above: its officers (RoleProvince) follow
	// every ward of the deployment; it has no plan of its own.
	OrgProvince OrgKind = "province"
)

// IsProvince reports whether o is the level above the wards.
func (o Organisation) IsProvince() bool { return o.Kind == OrgProvince }

// DisplayName is the name messages show: the ward's own display name, or
// its name.
func (o Organisation) DisplayName() string {
	if o.Overrides.OrgName != "" {
		return o.Overrides.OrgName
	}
	return o.Name
}

// OrgOverrides are the settings a ward may hold apart from the
// configuration file. Each mirrors one setting of the configuration; a
// zero value (or a nil pointer) means "the configuration's value", so a
// deployment of one ward behaves exactly as its file says.
type OrgOverrides struct {
	// OrgName is the name shown on the web pages (configuration:
	// org_name).
	OrgName string
	// Signer is the chairman's name printed under the báo cáo's signature
	// (configuration: report.signer).
	Signer string
	// StandingUnit is the standing body (cơ quan thường trực) that gets
	// the copies of escalations (configuration: standing.unit).
	StandingUnit string
	// ZaloMonthlyQuota is the ward's Zalo bot's messages per month
	// (configuration: zalo.monthly_quota); nil: the configuration's, 0:
	// no limit.
	ZaloMonthlyQuota *int64
}

// Ref is how the organisation is named on the command line: its short
// name, else its ID.
func (o Organisation) Ref() string {
	if o.Short != "" {
		return o.Short
	}
	return strconv.FormatInt(o.ID, 10)
}

// OrgStore keeps the organisations of a deployment.
type OrgStore interface {
	// CreateOrganisation stores o (Name required, Short optional but
	// valid and unique when given) and sets its ID and CreatedAt. Bad
	// input is an EInvalid *Error, a short name in use an EConflict one.
	CreateOrganisation(ctx context.Context, o *Organisation) error
	// UpdateOrganisation stores o's name, short name and overrides over
	// the organisation with o's ID, with CreateOrganisation's checks; an
	// unknown ID is an ENotFound *Error.
	UpdateOrganisation(ctx context.Context, o *Organisation) error
	// Organisations returns every organisation, by ID.
	Organisations(ctx context.Context) ([]Organisation, error)
	// Organisation returns one organisation by ID, or an ENotFound
	// *Error.
	Organisation(ctx context.Context, id int64) (*Organisation, error)
	// OrganisationByShort returns one organisation by short name (any
	// case), or an ENotFound *Error.
	OrganisationByShort(ctx context.Context, short string) (*Organisation, error)
}

// MaxOrgShort is the longest short name accepted: it is typed by hand.
const MaxOrgShort = 40

// ValidateOrgShort checks a short name: lowercase ASCII letters, digits
// and single hyphens between them, at most MaxOrgShort characters, and
// not only digits (a number after --org is an organisation's ID). The
// error is an EInvalid *Error that says what is wrong, in Vietnamese.
func ValidateOrgShort(s string) error {
	if s == "" {
		return Errorf(EInvalid, "Tên ngắn của phường không được để trống.")
	}
	if len(s) > MaxOrgShort {
		return Errorf(EInvalid, "Tên ngắn %q dài quá %d ký tự.", s, MaxOrgShort)
	}
	digits := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z':
			digits = false
		case c >= '0' && c <= '9':
		case c == '-':
			digits = false
			if i == 0 || i == len(s)-1 || s[i-1] == '-' {
				return Errorf(EInvalid, "Tên ngắn %q không hợp lệ: dấu gạch ngang chỉ đứng giữa hai chữ, ví dụ chanh-lo.", s)
			}
		default:
			return Errorf(EInvalid, "Tên ngắn %q không hợp lệ: chỉ dùng chữ thường không dấu (a–z), chữ số và dấu gạch ngang, ví dụ chanh-lo.", s)
		}
	}
	if digits {
		return Errorf(EInvalid, "Tên ngắn %q không được chỉ gồm chữ số (số sau --org là mã phường); thêm chữ, ví dụ phuong-%s.", s, s)
	}
	return nil
}

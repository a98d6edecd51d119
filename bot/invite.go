package bot

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/chanhlo/planbot/importer"
	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/texts"
)

// InviteCodeBytes is the entropy of an invite code: 16 random bytes, 22
// characters of A–Z a–z 0–9 _ - (a Telegram deep-link payload allows 64).
const InviteCodeBytes = 16

// NewInviteCode returns a fresh random invite code.
func NewInviteCode() (string, error) {
	b := make([]byte, InviteCodeBytes)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("invite code: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// InviteLink returns the deep link that registers with code:
// https://t.me/<bot>?start=<code>.
func InviteLink(botUsername, code string) string {
	bot := strings.TrimPrefix(strings.TrimSpace(botUsername), "@")
	return "https://t.me/" + url.PathEscape(bot) + "?start=" + url.QueryEscape(code)
}

// InviteSpec says whom an invite is for.
type InviteSpec struct {
	OrgID int64
	// Unit is the canonical unit name; empty only for the chairman and
	// the secretariat.
	Unit      string
	Role      plan.Role
	CreatedBy int64 // officer id; 0 from the CLI
	TTL       time.Duration
}

// CreateInvite makes and stores a single-use invite valid for spec.TTL
// from now, and records it in the audit log.
func CreateInvite(ctx context.Context, store plan.OfficerStore, audit plan.AuditLog, spec InviteSpec, now time.Time) (*plan.Invite, error) {
	if !spec.Role.Valid() {
		return nil, plan.Errorf(plan.EInvalid, "%s", texts.InvalidRole(spec.Role))
	}
	if spec.Unit == "" && (spec.Role == plan.RoleOfficer || spec.Role == plan.RoleDeputy) {
		return nil, plan.Errorf(plan.EInvalid, "%s", texts.InviteNeedsUnit(spec.Role))
	}
	if spec.TTL <= 0 {
		spec.TTL = DefaultInviteTTL
	}
	if spec.OrgID == 0 {
		spec.OrgID = plan.DefaultOrg
	}
	code, err := NewInviteCode()
	if err != nil {
		return nil, err
	}
	inv := &plan.Invite{
		Code: code, OrgID: spec.OrgID, Unit: spec.Unit, Role: spec.Role, CreatedBy: spec.CreatedBy,
		CreatedAt: now, ExpiresAt: now.Add(spec.TTL),
	}
	if err := store.CreateInvite(ctx, inv); err != nil {
		return nil, fmt.Errorf("create invite for %q: %w", spec.Unit, err)
	}
	if audit != nil {
		detail := fmt.Sprintf("unit=%q role=%s expires=%s", spec.Unit, spec.Role, inv.ExpiresAt.UTC().Format(time.RFC3339))
		if err := audit.Audit(ctx, plan.AuditEntry{OrgID: spec.OrgID, At: now, ActorID: spec.CreatedBy, Action: "invite.create", Detail: detail}); err != nil {
			return nil, fmt.Errorf("audit invite: %w", err)
		}
	}
	return inv, nil
}

// ResolveUnit maps a unit name as typed onto one of known (the plan's
// units), through any spelling importer.Resolve understands. An unknown
// name is an EInvalid *plan.Error listing the known units.
func ResolveUnit(name string, known []string) (string, error) {
	if u, ok := importer.Resolve(name, known); ok {
		if len(known) == 0 || contains(known, u) {
			return u, nil
		}
	}
	return "", plan.Errorf(plan.EInvalid, "%s", texts.UnknownUnit(name, known))
}

// ParseRole reads a role as typed: officer, deputy, secretariat, chairman,
// or the Vietnamese words without spaces or diacritics (daumoi, duphong,
// thuky, chutich).
func ParseRole(s string) (plan.Role, bool) {
	switch importer.Key(strings.ReplaceAll(strings.ReplaceAll(s, "_", ""), " ", "")) {
	case "officer", "canbo", "daumoi", "canbodaumoi":
		return plan.RoleOfficer, true
	case "deputy", "duphong", "canboduphong", "pho":
		return plan.RoleDeputy, true
	case "secretariat", "thuky", "thuongtruc":
		return plan.RoleSecretariat, true
	case "chairman", "chutich":
		return plan.RoleChairman, true
	}
	return "", false
}

func contains(xs []string, x string) bool {
	for _, s := range xs {
		if s == x {
			return true
		}
	}
	return false
}

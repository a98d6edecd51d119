package bot

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"math/big"
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

// ShortCodeAlphabet are the characters of a typed invite code: digits
// and capitals without 0/O, 1/I/L, which are misread on paper and over
// the phone.
const ShortCodeAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

// ShortCodeLen is the length of a typed invite code: 31^8 ≈ 2^39.6
// codes, single use, expiring in days, and throttled per person
// (five wrong codes lock codes for fifteen minutes).
const ShortCodeLen = 8

// NewShortCode returns a fresh typed invite code in its stored form
// ("7KQ2M9XP"); FormatShortCode shows it as "7KQ2-M9XP".
func NewShortCode() (string, error) {
	var b strings.Builder
	max := big.NewInt(int64(len(ShortCodeAlphabet)))
	for range ShortCodeLen {
		n, err := rand.Int(rand.Reader, max)
		if err != nil {
			return "", fmt.Errorf("invite code: %w", err)
		}
		b.WriteByte(ShortCodeAlphabet[n.Int64()])
	}
	return b.String(), nil
}

// FormatShortCode shows a typed code in two groups of four.
func FormatShortCode(code string) string {
	if len(code) != ShortCodeLen {
		return code
	}
	return code[:4] + "-" + code[4:]
}

// NormalizeShortCode reads a typed code as people type it: any case,
// with or without the dash or spaces, after "DK" / "ĐK" or not. It
// returns the stored form and whether s is a typed code at all.
func NormalizeShortCode(s string) (string, bool) {
	s = strings.TrimSpace(s)
	fields := strings.Fields(s)
	if len(fields) > 1 {
		switch strings.ToUpper(fields[0]) {
		case "DK", "ĐK", "DANGKY", "ĐĂNGKÝ":
			s = strings.Join(fields[1:], "")
		}
	}
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch {
		case r == '-' || r == ' ' || r == '.':
		case r < 128 && strings.ContainsRune(ShortCodeAlphabet, r):
			b.WriteRune(r)
		default:
			return "", false
		}
	}
	if b.Len() != ShortCodeLen {
		return "", false
	}
	return b.String(), true
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
	// Messenger is the transport the code will be used on: "zalo" gets
	// a short code to type ("DK 7KQ2-M9XP"), others a deep-link code.
	Messenger string
	// LinkOfficer adds the messenger to this officer (/kenh) instead of
	// registering a new person.
	LinkOfficer int64
}

// TypedCodes reports whether invites for messenger are typed by hand:
// Zalo has no deep-link payload.
func TypedCodes(messenger string) bool { return plan.MessengerOf(messenger) == "zalo" }

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
	newCode := NewInviteCode
	if TypedCodes(spec.Messenger) {
		newCode = NewShortCode
	}
	code, err := newCode()
	if err != nil {
		return nil, err
	}
	inv := &plan.Invite{
		Code: code, OrgID: spec.OrgID, Unit: spec.Unit, Role: spec.Role, CreatedBy: spec.CreatedBy,
		CreatedAt: now, ExpiresAt: now.Add(spec.TTL), Messenger: spec.Messenger, LinkOfficer: spec.LinkOfficer,
	}
	if err := store.CreateInvite(ctx, inv); err != nil {
		return nil, fmt.Errorf("create invite for %q: %w", spec.Unit, err)
	}
	if audit != nil {
		detail := fmt.Sprintf("unit=%q role=%s messenger=%q link=%d expires=%s", spec.Unit, spec.Role, spec.Messenger, spec.LinkOfficer, inv.ExpiresAt.UTC().Format(time.RFC3339))
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
	case "province", "tinh", "captinh", "canbotinh":
		return plan.RoleProvince, true
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

// typedInvite reads plain text as a typed invite code: "DK 7KQ2-M9XP"
// from anyone; the code alone ("7kq2-m9xp", "7KQ2M9XP") from an
// unregistered person, who has nothing else to say to the bot yet.
func typedInvite(text string, unregistered bool) (string, bool) {
	text = strings.TrimSpace(text)
	f := strings.Fields(text)
	if len(f) == 0 {
		return "", false
	}
	switch strings.ToUpper(f[0]) {
	case "DK", "ĐK":
		return NormalizeShortCode(text)
	}
	if !unregistered {
		return "", false
	}
	return NormalizeShortCode(text)
}

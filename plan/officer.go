package plan

import (
	"strings"
	"time"
)

// Role is what a registered person may do.
type Role string

// Roles.
const (
	RoleOfficer     Role = "officer"     // cán bộ đầu mối of a unit
	RoleDeputy      Role = "deputy"      // the unit's second contact
	RoleSecretariat Role = "secretariat" // Văn phòng / standing body
	RoleChairman    Role = "chairman"    // Chủ tịch UBND phường
	// RoleProvince is an officer of the level above the wards (Công an
	// tỉnh as the standing body, Văn phòng UBND tỉnh), registered in the
	// province's organisation: they see every ward's roll-up, no ward's
	// plan from the inside.
	RoleProvince Role = "province"
)

// Valid reports whether r is one of the known roles.
func (r Role) Valid() bool {
	switch r {
	case RoleOfficer, RoleDeputy, RoleSecretariat, RoleChairman, RoleProvince:
		return true
	}
	return false
}

// SeesAll reports whether the role may see every unit's tasks.
func (r Role) SeesAll() bool { return r == RoleSecretariat || r == RoleChairman }

// Vietnamese names the role.
func (r Role) Vietnamese() string {
	switch r {
	case RoleOfficer:
		return "cán bộ đầu mối"
	case RoleDeputy:
		return "cán bộ dự phòng"
	case RoleSecretariat:
		return "thư ký / thường trực"
	case RoleChairman:
		return "Chủ tịch UBND phường"
	case RoleProvince:
		return "cán bộ theo dõi cấp tỉnh"
	}
	return string(r)
}

// Address is where a person is reached: a transport ("telegram", "zalo",
// "local") and the chat id there. Chat ids are strings so that transports
// with non-numeric ids fit.
type Address struct {
	Transport string
	ChatID    string
}

// MessengerOf is the messenger a transport name is on: "telegram" for
// "telegram" and for a ward's own bot "telegram/chanh-lo" (a deployment
// of several wards names each bot so), "zalo" for "zalo".
func MessengerOf(transport string) string {
	m, _, _ := strings.Cut(transport, "/")
	return m
}

// Officer is a registered person: a unit's officer or deputy, a member of
// the secretariat, or the chairman.
type Officer struct {
	ID    int64
	OrgID int64
	Name  string
	// Unit is the canonical unit name; empty for the chairman.
	Unit string
	Role Role
	// UserID is the person's id on the transport (who writes); Address is
	// where messages go (a private chat, usually the same).
	UserID  string
	Address Address
	// Active is false once the person has been replaced.
	Active bool
	// UnreachableSince is set when the transport refused delivery (the
	// person blocked the bot); cleared when they write again.
	UnreachableSince *time.Time
	CreatedAt        time.Time
}

// Reachable reports whether messages can be delivered to the officer.
func (o *Officer) Reachable() bool { return o.UnreachableSince == nil }

// Invite is a single-use registration code handed to one person.
type Invite struct {
	Code      string
	OrgID     int64
	Unit      string
	Role      Role
	CreatedBy int64 // officer id, 0 from the CLI
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time
	UsedBy    int64
	// Messenger is the transport the invite is meant for ("zalo": a short
	// code typed as "DK 7KQ2-M9XP"); empty means any (Telegram's deep
	// link).
	Messenger string
	// LinkOfficer, when set, makes the invite add the messenger to that
	// registered officer (/kenh) instead of registering someone new.
	LinkOfficer int64
}

// Contact is one messenger an officer is registered on.
type Contact struct {
	Transport string
	UserID    string
	ChatID    string
	// Preferred is the messenger reminders go to (the officer's Address).
	Preferred bool
}

// AuditEntry records a write: who did what, when.
type AuditEntry struct {
	ID      int64
	OrgID   int64
	At      time.Time
	ActorID int64 // officer id; 0 for the system or the CLI
	Action  string
	Detail  string
}

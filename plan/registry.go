package plan

import (
	"context"
	"time"
)

// OfficerStore keeps invites and the people registered through them.
type OfficerStore interface {
	// CreateInvite stores a new invite.
	CreateInvite(ctx context.Context, inv *Invite) error
	// RedeemInvite uses the invite with the given code for o, at now, in
	// one transaction: the code must exist (ENotFound), be unused and
	// unexpired (EConflict / EInvalid with a Vietnamese message). The
	// unit's previous officer (or deputy) of the same role is deactivated
	// and returned so they can be told. o.ID is set. When o.OrgID is set,
	// a code of another organisation is ENotFound: one ward's bot never
	// registers anyone into another ward.
	RedeemInvite(ctx context.Context, code string, o *Officer, now time.Time) (replaced *Officer, err error)
	// OfficerByUser returns the active officer with the transport user id,
	// or an ENotFound *Error.
	OfficerByUser(ctx context.Context, transport, userID string) (*Officer, error)
	// OfficerByID returns an officer, active or not.
	OfficerByID(ctx context.Context, id int64) (*Officer, error)
	// Officers returns the organisation's active officers.
	Officers(ctx context.Context, orgID int64) ([]Officer, error)
	// SetUnreachable marks (since != nil) or clears (nil) an officer's
	// unreachability; it reports whether the state changed, so the
	// secretariat is told once.
	SetUnreachable(ctx context.Context, id int64, since *time.Time) (changed bool, err error)
	// MoveAddress changes every active officer's address from one chat to
	// another (a Telegram group became a supergroup).
	MoveAddress(ctx context.Context, from, to Address) error
}

// ContactStore knows the messengers each officer is registered on: one
// person on Telegram and Zalo is one officer, reached on the messenger
// they prefer and heard on either.
type ContactStore interface {
	// Contacts returns the officer's messengers, the preferred one first.
	Contacts(ctx context.Context, officerID int64) ([]Contact, error)
	// Prefer makes the officer's contact on transport the one reminders
	// go to; ENotFound when the officer has none there.
	Prefer(ctx context.Context, officerID int64, transport string) error
}

// ProgressFilter selects progress reports. Zero fields select all.
type ProgressFilter struct {
	OrgID    int64
	PlanID   int64
	TaskCode string
	Unit     string
	// Periods are period keys ("2023-04").
	Periods []string
	// LatestOnly keeps the newest report per task, unit and period.
	LatestOnly bool
	// Newest, when above zero, returns at most that many reports, the
	// newest first (the previous figure, "has the unit ever reported"),
	// without reading the rest of the history.
	Newest int
}

// AuditProgressID stands for the new report's id in the Detail of an
// audit entry given to AddProgress.
const AuditProgressID = "{progress_id}"

// ProgressStore keeps officers' reports. Reports are appended, never
// overwritten: the latest per task, unit and period counts; the rest is
// history.
type ProgressStore interface {
	// AddProgress appends a report and sets p.ID. The audit entries
	// given are written in the same transaction — a report is one commit,
	// never stored without its audit line — with AuditProgressID in
	// their Detail replaced by p.ID.
	AddProgress(ctx context.Context, p *Progress, audit ...AuditEntry) error
	ListProgress(ctx context.Context, f ProgressFilter) ([]Progress, error)
	// SetConfirm records the secretariat's verdict on a "done" report.
	SetConfirm(ctx context.Context, progressID int64, state ConfirmState, note string, by int64, at time.Time) error
}

// SummaryScope selects, out of one plan's history, the reports a summary
// of a period reads (summary.Source makes it). A report is known when it
// was sent before Before, or whenever it was sent when its period is one
// of Late (the period is over and the report answers for it). Of the
// known reports the scope keeps, for each task and unit:
//
//   - the newest report that is not a standing "done" (kind done, not
//     returned), and every newer one: the latest report, and the run of
//     "done" that dates a finished task;
//   - the newest report carrying a figure (Figure.HasPercent, not a
//     returned "done");
//   - the newest report that is not "chưa thực hiện" (a condition met);
//
// and every known report whose period is one of Periods. The rest of the
// history changes nothing in the summary and is not read.
type SummaryScope struct {
	OrgID  int64
	PlanID int64
	Before time.Time
	// Late and Periods are period keys ("2023-04", "2023-Q2").
	Late    []string
	Periods []string
}

// SummaryProgressStore is a ProgressStore that reads only a summary's
// scope, in the database, instead of the plan's whole history.
type SummaryProgressStore interface {
	// SummaryProgress returns the reports the scope keeps, oldest first.
	SummaryProgress(ctx context.Context, s SummaryScope) ([]Progress, error)
}

// AuditLog records every write.
type AuditLog interface {
	Audit(ctx context.Context, e AuditEntry) error
}

// UpdateLog remembers which transport updates were handled, so an update
// delivered twice (at-least-once polling, a webhook retry, a restart) is
// handled once.
type UpdateLog interface {
	// FirstSeen records the update and reports whether it is new.
	FirstSeen(ctx context.Context, transport, updateID string, at time.Time) (bool, error)
	// Forget removes the update's record, so that a redelivery of an
	// update whose handling failed is handled instead of being taken for
	// a duplicate. Forgetting an unknown update is not an error.
	Forget(ctx context.Context, transport, updateID string) error
}

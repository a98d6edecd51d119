package plan

import (
	"context"
	"strconv"
	"time"
)

// Broadcast is an announcement (thông báo, chỉ đạo) the secretariat sends
// to every officer or to some units' officers.
type Broadcast struct {
	ID    int64
	OrgID int64
	// Text is the announcement as written (plain text, escaped when shown).
	Text string
	// Units are the units addressed; empty means everyone.
	Units     []string
	CreatedBy int64 // officer id
	CreatedAt time.Time
	// ChasedAt is when those who had not acknowledged were reminded.
	ChasedAt *time.Time
}

// BroadcastRecipient is one officer a broadcast went to, and what became
// of it.
type BroadcastRecipient struct {
	BroadcastID int64
	OfficerID   int64
	Name        string
	Unit        string
	// DeliveredAt: the transport accepted the message.
	DeliveredAt *time.Time
	// AcknowledgedAt: the officer pressed "Đã nhận" or replied 1.
	AcknowledgedAt *time.Time
	// UnreachableAt: delivery failed for good (the officer blocked the bot).
	UnreachableAt *time.Time
	// Failure is the last delivery error, for the secretariat.
	Failure string
}

// BroadcastKey is the outbox key of a broadcast to one officer.
func BroadcastKey(broadcastID, officerID int64) string {
	return "broadcast:" + strconv.FormatInt(broadcastID, 10) + "|officer:" + strconv.FormatInt(officerID, 10)
}

// BroadcastChaseKey is the outbox key of the one reminder about a
// broadcast to an officer who has not acknowledged it.
func BroadcastChaseKey(broadcastID, officerID int64) string {
	return "broadcast:" + strconv.FormatInt(broadcastID, 10) + "|chase|officer:" + strconv.FormatInt(officerID, 10)
}

// BroadcastStore keeps broadcasts and their recipients.
type BroadcastStore interface {
	// CreateBroadcast stores b with its recipients, sets b.ID and, in the
	// same transaction, queues the outbox items that items builds for the
	// stored broadcast (nil: none): an announcement is either recorded and
	// on its way to everyone, or not at all.
	CreateBroadcast(ctx context.Context, b *Broadcast, recipients []BroadcastRecipient, items func(*Broadcast) []OutboxItem) error
	// Broadcast returns one broadcast, or an ENotFound *Error.
	Broadcast(ctx context.Context, id int64) (*Broadcast, error)
	// Broadcasts returns the organisation's latest broadcasts, newest first.
	Broadcasts(ctx context.Context, orgID int64, limit int) ([]Broadcast, error)
	// Recipients returns a broadcast's recipients with their delivery
	// state (taken from the outbox: delivered when sent, unreachable when
	// failed) in unit order.
	Recipients(ctx context.Context, broadcastID int64) ([]BroadcastRecipient, error)
	// Acknowledge records that the officer acknowledged the broadcast. It
	// reports whether this was the first acknowledgement; an officer who
	// was not a recipient gets an ENotFound *Error.
	Acknowledge(ctx context.Context, broadcastID, officerID int64, at time.Time) (first bool, err error)
	// MarkChased records that the broadcast's chaser went out; it reports
	// false when it already had.
	MarkChased(ctx context.Context, broadcastID int64, at time.Time) (first bool, err error)
	// Unacknowledged returns broadcasts created at or before before that
	// have not been chased, with at least one recipient who has not
	// acknowledged.
	Unacknowledged(ctx context.Context, orgID int64, before time.Time) ([]Broadcast, error)
	// LatestUnacknowledged returns the newest broadcast created since
	// since that the officer has not acknowledged, or nil.
	LatestUnacknowledged(ctx context.Context, officerID int64, since time.Time) (*Broadcast, error)
}

package plan

import (
	"context"
	"strconv"
	"time"
)

// OutboxStatus is where an outbox item is in its delivery.
type OutboxStatus string

// Outbox statuses.
const (
	OutboxPending OutboxStatus = "pending" // waiting for its turn or a retry
	OutboxSent    OutboxStatus = "sent"    // the transport accepted it
	OutboxFailed  OutboxStatus = "failed"  // given up: unreachable, refused, or too many attempts
)

// OutboxItem is one message waiting in the database until a transport
// accepts it. The database, not memory or Redis, is the record of what
// was sent: an item is marked sent only after the transport said so.
type OutboxItem struct {
	ID    int64
	OrgID int64
	// Key makes enqueueing idempotent: a second item with the same key is
	// ignored ("reminder|2023-04-27|officer:5", "broadcast:3|officer:5").
	Key       string
	OfficerID int64
	Address   Address
	Message   Message
	// Context tells what a reply to this message is about.
	Context ReplyContext
	// NotBefore is the earliest time the item may go out.
	NotBefore time.Time
	Status    OutboxStatus
	Attempts  int
	LastError string
	SentAt    *time.Time
	// ExternalID is the transport's id of the delivered message.
	ExternalID string
	CreatedAt  time.Time
}

// ReplyKind says what an outbound message was, for mapping replies back.
type ReplyKind string

// Reply kinds.
const (
	ReplyReminder      ReplyKind = "reminder"       // deadline reminder digest
	ReplyReportRequest ReplyKind = "report_request" // monthly report request or chaser
	ReplyBroadcast     ReplyKind = "broadcast"      // an announcement
	ReplySummary       ReplyKind = "summary"        // a summary to the chairman
	ReplyNotice        ReplyKind = "notice"         // anything else
	// ReplyAnswer is the bot's answer to a person that could not be sent
	// at once and waits in the outbox, until ReplyContext.Expires.
	ReplyAnswer ReplyKind = "answer"
)

// ReplyContext is what a reply to an outbound message refers to: a reply
// to a reminder about one task records progress on that task without the
// officer typing its code.
type ReplyContext struct {
	Kind   ReplyKind `json:"kind"`
	PlanID int64     `json:"plan_id,omitempty"`
	// TaskCodes are the tasks the message was about, in the order shown.
	TaskCodes []string `json:"task_codes,omitempty"`
	Unit      string   `json:"unit,omitempty"`
	// Period is the reporting period key ("2023-04").
	Period      string `json:"period,omitempty"`
	BroadcastID int64  `json:"broadcast_id,omitempty"`
	// Numbered are the tasks of the message's numbered list, in order: a
	// reply "2. 80%" reports on Numbered[1].
	Numbered []string `json:"numbered,omitempty"`
	// Expires, when set, is when the message is no longer worth sending
	// (an answer an hour late confuses more than it helps): the
	// dispatcher drops it then, with a warning.
	Expires time.Time `json:"expires,omitzero"`
	// Copy marks a copy for information (the secretariat's copy of the
	// chairman's summary or digest): when a messenger's monthly quota
	// runs short, copies give way so that reminders still go out.
	Copy bool `json:"copy,omitempty"`
}

// SendCounter counts the messages a messenger's bot sent per month,
// against the messenger's quota (Zalo's plans are small).
type SendCounter interface {
	// CountSent adds n to the month's count ("2023-05") and returns the
	// new total.
	CountSent(ctx context.Context, transport, bot, month string, n int) (int64, error)
	// SentCount returns the month's count.
	SentCount(ctx context.Context, transport, bot, month string) (int64, error)
	// MarkQuotaWarned records that the month's warning went out and
	// reports whether this call was the first.
	MarkQuotaWarned(ctx context.Context, transport, bot, month string, at time.Time) (bool, error)
}

// SentMark is one delivery to record: Outbox.MarkSent's arguments.
type SentMark struct {
	ID         int64
	ExternalID string
	At         time.Time
}

// SentBatcher is an Outbox that can record many deliveries in one
// transaction: the dispatcher's concurrent sends then share commits.
type SentBatcher interface {
	MarkSentBatch(ctx context.Context, marks []SentMark) error
}

// Outbox is the durable queue of outbound messages. Several dispatchers
// (one per replica) may work on one outbox: Claim leases items to one of
// them at a time, so no two send the same item.
type Outbox interface {
	// Enqueue adds items, skipping any whose Key is already queued or
	// sent. It returns how many were added.
	Enqueue(ctx context.Context, items ...OutboxItem) (int, error)
	// Claim leases to owner, until now+lease, up to limit pending items
	// whose NotBefore has passed, in the order they were enqueued (a retried
	// item keeps its place), and returns them. Items
	// leased to another owner are skipped until their lease runs out (its
	// dispatcher died); items already leased to owner are returned again,
	// so a dispatcher restarted under the same owner resumes at once.
	// Two concurrent claims never return the same item.
	Claim(ctx context.Context, owner string, now time.Time, lease time.Duration, limit int) ([]OutboxItem, error)
	// NextDue returns when the earliest pending item becomes claimable
	// (its NotBefore, or the end of another owner's lease), and false when
	// nothing is pending.
	NextDue(ctx context.Context) (time.Time, bool, error)
	// MarkSent records that the transport accepted the item.
	MarkSent(ctx context.Context, id int64, externalID string, at time.Time) error
	// Retry records a failed attempt and when to try again; it ends the
	// lease.
	Retry(ctx context.Context, id int64, next time.Time, reason string) error
	// Release ends the lease on a pending item without counting an
	// attempt, making it claimable again from next (a paused chat, a
	// dispatcher stopping).
	Release(ctx context.Context, id int64, next time.Time) error
	// Fail gives up on the item.
	Fail(ctx context.Context, id int64, reason string) error
	// MoveAddress points every pending item addressed to from at to (a
	// Telegram group became a supergroup). It returns how many moved.
	MoveAddress(ctx context.Context, from, to Address) (int, error)
	// ByExternalID finds the delivered item a reply refers to, or returns
	// an ENotFound *Error.
	ByExternalID(ctx context.Context, to Address, externalID string) (*OutboxItem, error)
}

// ReminderKind is the kind of a planned reminder.
type ReminderKind string

// Reminder kinds, as `planbot schedule preview` prints them.
const (
	RemindBefore        ReminderKind = "before"         // n working days before the due date
	RemindDue           ReminderKind = "due"            // on the due date
	RemindOverdue       ReminderKind = "overdue"        // after the due date, no "done" yet
	RemindEscalation    ReminderKind = "escalation"     // overdue long enough to tell the secretariat
	RemindStart         ReminderKind = "start"          // a range task starts
	RemindReportRequest ReminderKind = "report_request" // a period's report is due
	RemindChaser        ReminderKind = "chaser"         // the report did not come
)

// Reminder is one planned notification about one task for one unit.
type Reminder struct {
	PlanID   int64
	TaskCode string
	Unit     string
	Kind     ReminderKind
	// Occurrence distinguishes repeated reminders of one kind: the due
	// date for before/due, the period key for report requests, the date
	// of the overdue notice.
	Occurrence string
	// At is when it should go out, inside office hours on a working day.
	At time.Time
}

// Key is the reminder's identity in the ledger: the same reminder can
// never be planned twice.
func (r Reminder) Key() string {
	return strconv.FormatInt(r.PlanID, 10) + "|" + r.TaskCode + "|" + r.Unit + "|" + string(r.Kind) + "|" + r.Occurrence
}

// Ledger records which reminders have been planned.
type Ledger interface {
	// Record stores the reminders not yet recorded and returns those, so
	// the caller enqueues each reminder exactly once even when two
	// replicas tick at the same time.
	Record(ctx context.Context, rs []Reminder) ([]Reminder, error)
}

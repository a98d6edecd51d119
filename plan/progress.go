package plan

import "time"

// ProgressKind says what an officer reported.
type ProgressKind string

// Progress kinds.
const (
	ProgressPercent    ProgressKind = "percent"     // "80%"
	ProgressCount      ProgressKind = "count"       // "1.200/1.500 hồ sơ"
	ProgressDone       ProgressKind = "done"        // "xong", "đã hoàn thành"
	ProgressInProgress ProgressKind = "in_progress" // "đang thực hiện"
	ProgressNotStarted ProgressKind = "not_started" // "chưa"
	ProgressBlocked    ProgressKind = "blocked"     // "vướng: …"
)

// Figure is what a progress reply says, as understood by the parser.
type Figure struct {
	Kind ProgressKind
	// Percent is 0–100: given, computed from a count, or 100 for done.
	Percent float64
	// Done and Total hold a count ("1.200/1.500"); CountUnit its noun.
	Done, Total float64
	CountUnit   string
	// Blocker is the difficulty in the officer's words ("vướng: …").
	Blocker string
	// Note is free text after the figure.
	Note string
}

// HasPercent reports whether the figure carries a percentage.
func (f Figure) HasPercent() bool {
	switch f.Kind {
	case ProgressPercent, ProgressCount, ProgressDone:
		return true
	}
	return false
}

// ConfirmState is the secretariat's verdict on a lead unit's "done".
type ConfirmState string

// Confirmation states.
const (
	ConfirmNone     ConfirmState = ""          // nothing to confirm
	ConfirmPending  ConfirmState = "pending"   // done, waiting for the secretariat
	ConfirmAccepted ConfirmState = "confirmed" // /xacnhan
	ConfirmReturned ConfirmState = "returned"  // /tralai with a reason
)

// Progress is one report by a unit on a task for a period. Reports are
// never overwritten: a later report for the same task, unit and period
// supersedes the earlier one, and the history stays.
type Progress struct {
	ID       int64
	OrgID    int64
	PlanID   int64
	TaskCode string
	Unit     string
	Period   Period
	Figure
	ReportedBy int64 // officer id
	ReportedAt time.Time
	// Confirm and ConfirmNote record the secretariat's verdict on "done".
	Confirm     ConfirmState
	ConfirmNote string
	ConfirmedBy int64
	ConfirmedAt *time.Time
}

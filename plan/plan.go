package plan

import (
	"strconv"
	"time"
)

// DefaultOrg is the organisation (ward) every row belongs to when a
// deployment serves a single ward.
const DefaultOrg int64 = 1

// Plan is one implementation plan (kế hoạch), identified within its
// organisation by its document number ("56/KH-UBND").
type Plan struct {
	ID    int64
	OrgID int64
	// Number is the document number as written ("56/KH-UBND"); drafts
	// often leave the number blank ("/KH-UBND"), see Key.
	Number string
	// Date is the signing date; zero when the document leaves it blank.
	Date  Date
	Title string
	Year  int
	// Sections are the numbered headings of part III, in order.
	Sections []Section
	Tasks    []Task
	// Units are the canonical names of every unit the plan mentions.
	Units []string
	// Standing is the standing body (cơ quan thường trực): the unit the
	// plan charges with compiling results and receiving difficulties
	// ("Giao Công an phường (Cơ quan Thường trực …) … tổng hợp", "báo
	// cáo về UBND phường (qua Công an phường)"); "" when it names none.
	Standing  string
	Warnings  []string
	CreatedAt time.Time
	UpdatedAt time.Time
	// ArchivedAt is set when the plan was archived (its year ended): it
	// is no longer reminded of or offered, and its history stays.
	ArchivedAt *time.Time
}

// Active reports whether the plan is running (not archived).
func (p *Plan) Active() bool { return p.ArchivedAt == nil }

// ActivePlans returns the running plans of ps, in order.
func ActivePlans(ps []Plan) []Plan {
	out := make([]Plan, 0, len(ps))
	for _, p := range ps {
		if p.Active() {
			out = append(out, p)
		}
	}
	return out
}

// Key identifies the plan for re-import: the document number when it has
// one, else the year and title, so that importing the same draft twice
// updates it in place instead of creating a copy.
func (p *Plan) Key() string {
	for _, r := range p.Number {
		if r >= '0' && r <= '9' {
			return p.Number
		}
	}
	return p.Number + "|" + strconv.Itoa(p.Year) + "|" + p.Title
}

// Task returns the task with the given code, or nil.
func (p *Plan) Task(code string) *Task {
	for i := range p.Tasks {
		if p.Tasks[i].Code == code {
			return &p.Tasks[i]
		}
	}
	return nil
}

// Section is a numbered heading of the plan's task list ("2. Phục vụ giải
// quyết thủ tục hành chính, cung cấp dịch vụ công").
type Section struct {
	Number string
	Title  string
}

// Task is one assignment of the plan.
type Task struct {
	ID     int64
	PlanID int64
	// Code is the task's reference as people say it: "1.c", "2.đ", "6", "8.1".
	Code string
	// Section is the number of the section the task belongs to ("2").
	Section string
	Title   string
	// Lead, Execute and Support hold canonical unit names.
	Lead    []string
	Execute []string
	Support []string
	// SupportAll is set when the plan names a collective ("Các ban ngành,
	// đơn vị phường") as supporting: every unit supports.
	SupportAll bool
	Deadline   Deadline
	// DeadlineSetOn is the day the secretariat set the deadline of a
	// conditional (or unsettled) task with /sethan; zero when the
	// deadline comes from the document. Periods judged as of an earlier
	// day see the task as still waiting for its condition.
	DeadlineSetOn Date
	Targets       []Target
}

// Responsible returns the units that answer for the task: the lead units,
// or the executing units when the plan names no lead, then executing units
// that are not leads.
func (t *Task) Responsible() []string {
	out := append([]string(nil), t.Lead...)
	for _, u := range t.Execute {
		if !contains(out, u) {
			out = append(out, u)
		}
	}
	return out
}

// RoleOf returns the unit's role in the task, and false when the unit is
// not assigned to it. A unit that is both lead and support is lead.
func (t *Task) RoleOf(unit string) (AssignmentRole, bool) {
	switch {
	case contains(t.Lead, unit):
		return RoleLead, true
	case contains(t.Execute, unit):
		return RoleExecute, true
	case contains(t.Support, unit) || (t.SupportAll && unit != ""):
		return RoleSupport, true
	}
	return "", false
}

// AssignmentRole is a unit's part in a task.
type AssignmentRole string

// Assignment roles, as plans name them.
const (
	RoleLead    AssignmentRole = "lead"    // Đơn vị chủ trì
	RoleExecute AssignmentRole = "execute" // Đơn vị thực hiện
	RoleSupport AssignmentRole = "support" // Đơn vị / Cơ quan phối hợp
)

// Vietnamese names the role as plans do.
func (r AssignmentRole) Vietnamese() string {
	switch r {
	case RoleLead:
		return "chủ trì"
	case RoleExecute:
		return "thực hiện"
	case RoleSupport:
		return "phối hợp"
	}
	return string(r)
}

// DeadlineKind says what sort of deadline a task has.
type DeadlineKind string

// Deadline kinds.
const (
	DeadlineDate        DeadlineKind = "date"        // due on a day
	DeadlineRange       DeadlineKind = "range"       // from Start to Due
	DeadlineRecurring   DeadlineKind = "recurring"   // "Thường xuyên", "Hằng tháng"
	DeadlineConditional DeadlineKind = "conditional" // "Sau khi …", "Khi có hướng dẫn …"
	DeadlineOpen        DeadlineKind = "open"        // not understood: kept with a warning
)

// Recurrence is how often a recurring task is reported.
type Recurrence string

// Recurrences.
const (
	RecurOngoing   Recurrence = "ongoing"   // Thường xuyên: reported every month
	RecurMonthly   Recurrence = "monthly"   // Hằng tháng
	RecurQuarterly Recurrence = "quarterly" // Định kỳ hằng quý
	RecurYearly    Recurrence = "yearly"    // Hằng năm
)

// Deadline is a task's time limit (thời hạn) as understood from the plan.
type Deadline struct {
	Kind DeadlineKind `json:"kind"`
	// Due is the last day (date and range kinds).
	Due Date `json:"due"`
	// Start is the first day (range kind).
	Start Date `json:"start"`
	// Expected is the date a conditional task is expected by, when the
	// plan gives one ("dự kiến tháng 6/2023").
	Expected Date `json:"expected"`
	// Recurrence is set for the recurring kind.
	Recurrence Recurrence `json:"recurrence"`
	// Text is the phrase as written in the plan.
	Text string `json:"text"`
}

// HasDue reports whether the deadline falls on a known day.
func (d Deadline) HasDue() bool {
	return (d.Kind == DeadlineDate || d.Kind == DeadlineRange) && !d.Due.IsZero()
}

// Target is a figure a task must reach (chỉ tiêu): 100%, 70%.
type Target struct {
	Value float64 `json:"value"`
	// Unit is "%" or a counted noun ("hồ sơ").
	Unit string `json:"unit"`
	Text string `json:"text"`
}

// Unit is a unit (đơn vị, ban ngành) of the ward, under its canonical name.
type Unit struct {
	ID      int64
	OrgID   int64
	Name    string
	Aliases []string
}

func contains(xs []string, x string) bool {
	for _, s := range xs {
		if s == x {
			return true
		}
	}
	return false
}

package scheduler

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/chanhlo/planbot/calendar"
	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/texts"
)

// digestLines is how many reminders one message carries at most; a
// longer digest is split, so a message stays well under Telegram's 4096
// characters (a line is at most about 250).
const digestLines = 12

// dayOff names what kind of day d is when it is not a working day.
func dayOff(cal *calendar.Calendar, d plan.Date) string {
	if cal.IsWorkingDay(d) {
		return ""
	}
	if _, ok := cal.HolidayName(d); ok {
		return texts.DayOffHoliday
	}
	switch d.Weekday() {
	case time.Saturday:
		return texts.DayOffSaturday
	case time.Sunday:
		return texts.DayOffSunday
	}
	return texts.DayOffOther
}

// Describe turns a reminder into the line its message shows, as seen on
// day today (the day it goes out). t is the reminder's task; nil gives a
// line with the code only.
func Describe(cal *calendar.Calendar, t *plan.Task, r plan.Reminder, today plan.Date) texts.ReminderItem {
	it := texts.ReminderItem{Kind: r.Kind, Code: r.TaskCode, Unit: r.Unit, At: r.At.In(cal.Location())}
	if t == nil {
		return it
	}
	it.Title = t.Title
	if role, ok := t.RoleOf(r.Unit); ok {
		it.Role = role
	}
	if texts.IsReportKind(r.Kind) {
		p, err := plan.ParsePeriod(r.Occurrence)
		if err == nil {
			it.Period = p
		}
		// A dated task's request also says when it is due.
		if t.Deadline.HasDue() {
			it.Due = t.Deadline.Due
			it.Effective = EffectiveDue(cal, it.Due)
			it.DueOff = dayOff(cal, it.Due)
		}
		return it
	}
	due := t.Deadline.Due
	// The reminder is about the deadline it was planned for, which a
	// later /sethan may have moved: read it back from the occurrence.
	occ, _, _ := strings.Cut(r.Occurrence, "/")
	if d, err := plan.ParseDate(occ); err == nil && r.Kind != plan.RemindOverdue && r.Kind != plan.RemindStart {
		due = d
	}
	if due.IsZero() {
		return it
	}
	it.Due = due
	it.Effective = EffectiveDue(cal, due)
	it.DueOff = dayOff(cal, due)
	switch r.Kind {
	case plan.RemindBefore:
		it.WorkingDaysLeft = cal.WorkingDaysBetween(today, it.Effective)
	case plan.RemindOverdue, plan.RemindEscalation:
		it.DaysLate = workingDaysLate(cal, due, today)
	}
	return it
}

// workingDaysLate counts the full working days after due before today
// (today has only begun), as the weekly digest counts them: 0 on the
// first working day after due.
func workingDaysLate(cal *calendar.Calendar, due, today plan.Date) int {
	return max(cal.WorkingDaysBetween(due, today.AddDays(-1)), 0)
}

// digestKey is the outbox key of one message: the same reminders for the
// same person on the same day always give the same key, so queueing it
// again is a no-op.
func digestKey(prefix string, today plan.Date, officerID int64, rs []plan.Reminder) string {
	ks := make([]string, len(rs))
	for i, r := range rs {
		ks[i] = r.Key()
	}
	slices.Sort(ks)
	h := sha256.Sum256([]byte(strings.Join(ks, "\n")))
	return prefix + "|" + today.String() + "|officer:" + strconv.FormatInt(officerID, 10) + "|" + hex.EncodeToString(h[:8])
}

// chunks splits rs into runs of at most n.
func chunks(rs []plan.Reminder, n int) [][]plan.Reminder {
	var out [][]plan.Reminder
	for len(rs) > n {
		out = append(out, rs[:n])
		rs = rs[n:]
	}
	if len(rs) > 0 {
		out = append(out, rs)
	}
	return out
}

// taskCodes returns the codes of rs in order, each once.
func taskCodes(rs []plan.Reminder) []string {
	var out []string
	for _, r := range rs {
		if !slices.Contains(out, r.TaskCode) {
			out = append(out, r.TaskCode)
		}
	}
	return out
}

// unitDigest builds the messages of one officer's unit reminders of one
// plan: deadline reminders and report requests, in the plan's task
// order, split into messages of digestLines.
func unitDigest(cal *calendar.Calendar, p *plan.Plan, o plan.Officer, rs []plan.Reminder, now time.Time) []plan.OutboxItem {
	today := plan.DateOf(now.In(cal.Location()))
	sortForDigest(p, rs)
	var out []plan.OutboxItem
	for _, part := range chunks(rs, digestLines) {
		items := make([]texts.ReminderItem, 0, len(part))
		kind := plan.ReplyReportRequest
		period := plan.MonthOf(today)
		reportPeriod := false
		seen := map[texts.ReminderItem]bool{}
		for _, r := range part {
			it := Describe(cal, p.Task(r.TaskCode), r, today)
			// Catch-up can bring two reminders that read the same today
			// (before-7 and before-3 of one task, due at different times):
			// show the line once. The line is made of the item but for its
			// time, so the item says as much as the line without making it.
			line := it
			line.At = time.Time{}
			if !seen[line] {
				seen[line] = true
				items = append(items, it)
			}
			if !texts.IsReportKind(r.Kind) {
				kind = plan.ReplyReminder
			} else if !reportPeriod && it.Period.Year != 0 {
				// Officers report by month: the request's period, or the
				// last month of a quarter or year.
				period, reportPeriod = plan.MonthOf(it.Period.End()), true
			}
		}
		// The report requests are numbered 1, 2, … as shown; the context
		// keeps the list, so a reply "2. 80%" finds its task.
		var numbered []string
		for i := range items {
			if texts.IsReportKind(items[i].Kind) && !slices.Contains(numbered, items[i].Code) {
				numbered = append(numbered, items[i].Code)
				items[i].No = len(numbered)
			}
		}
		out = append(out, plan.OutboxItem{
			OrgID:     p.OrgID,
			Key:       digestKey("remind", today, o.ID, part),
			OfficerID: o.ID,
			Address:   o.Address,
			Message:   plan.Message{Text: texts.ReminderDigest(o.Unit, items)},
			Context: plan.ReplyContext{
				Kind:      kind,
				PlanID:    p.ID,
				TaskCodes: taskCodes(part),
				Unit:      o.Unit,
				Period:    period.String(),
				Numbered:  numbered,
			},
			NotBefore: now,
		})
	}
	return out
}

// escalationDigest builds the secretariat's messages about overdue tasks
// of one plan.
func escalationDigest(cal *calendar.Calendar, p *plan.Plan, o plan.Officer, rs []plan.Reminder, now time.Time) []plan.OutboxItem {
	today := plan.DateOf(now.In(cal.Location()))
	sortForDigest(p, rs)
	var out []plan.OutboxItem
	for _, part := range chunks(rs, digestLines) {
		items := make([]texts.ReminderItem, 0, len(part))
		for _, r := range part {
			items = append(items, Describe(cal, p.Task(r.TaskCode), r, today))
		}
		out = append(out, plan.OutboxItem{
			OrgID:     p.OrgID,
			Key:       digestKey("escalate", today, o.ID, part),
			OfficerID: o.ID,
			Address:   o.Address,
			Message:   plan.Message{Text: texts.EscalationDigest(items)},
			Context:   plan.ReplyContext{Kind: plan.ReplyNotice, PlanID: p.ID, TaskCodes: taskCodes(part)},
			NotBefore: now,
		})
	}
	return out
}

// missedDigest builds the secretariat's list of reminders that were not
// sent: late (the bot was down too long) and unassigned (no officer).
func missedDigest(cal *calendar.Calendar, plans map[int64]*plan.Plan, orgID int64, o plan.Officer, late, unassigned []plan.Reminder, catchUpDays int, now time.Time) []plan.OutboxItem {
	today := plan.DateOf(now.In(cal.Location()))
	describe := func(rs []plan.Reminder) []texts.ReminderItem {
		out := make([]texts.ReminderItem, 0, len(rs))
		for _, r := range rs {
			var t *plan.Task
			if p := plans[r.PlanID]; p != nil {
				t = p.Task(r.TaskCode)
			}
			out = append(out, Describe(cal, t, r, plan.DateOf(r.At.In(cal.Location()))))
		}
		return out
	}
	const perMessage = 3 * digestLines
	var out []plan.OutboxItem
	for len(late)+len(unassigned) > 0 {
		nl := min(len(late), perMessage)
		nu := min(len(unassigned), perMessage-nl)
		part := append(slices.Clone(late[:nl]), unassigned[:nu]...)
		out = append(out, plan.OutboxItem{
			OrgID:     orgID,
			Key:       digestKey("missed", today, o.ID, part),
			OfficerID: o.ID,
			Address:   o.Address,
			Message:   plan.Message{Text: texts.MissedReminders(describe(late[:nl]), describe(unassigned[:nu]), catchUpDays)},
			Context:   plan.ReplyContext{Kind: plan.ReplyNotice, TaskCodes: taskCodes(part)},
			NotBefore: now,
		})
		late, unassigned = late[nl:], unassigned[nu:]
	}
	return out
}

// sortForDigest orders reminders as a digest shows them: deadline kinds
// before report kinds, then the plan's task order, then kind.
func sortForDigest(p *plan.Plan, rs []plan.Reminder) {
	pos := make(map[string]int, len(p.Tasks))
	for i, t := range p.Tasks {
		pos[t.Code] = i
	}
	slices.SortStableFunc(rs, func(a, b plan.Reminder) int {
		ra, rb := texts.IsReportKind(a.Kind), texts.IsReportKind(b.Kind)
		switch {
		case ra != rb && !ra:
			return -1
		case ra != rb:
			return 1
		}
		if c := pos[a.TaskCode] - pos[b.TaskCode]; c != 0 {
			return c
		}
		if c := KindRank(a.Kind) - KindRank(b.Kind); c != 0 {
			return c
		}
		return strings.Compare(a.Unit, b.Unit)
	})
}

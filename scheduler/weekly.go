package scheduler

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/chanhlo/planbot/calendar"
	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/texts"
)

// Escalated is a dated task some of whose responsible units let it run
// overdue past the escalation policy without reporting it done.
type Escalated struct {
	Task *plan.Task
	// Units are the responsible units not done, in the task's order.
	Units []string
	// Since is the day the escalation went (or would have gone) to the
	// secretariat.
	Since plan.Date
}

// Escalated lists, in plan order, the tasks of p escalated by day (their
// escalation day is on or before it) whose units have still not reported
// them done: a lead or executing unit not done EscalateAfterDays full
// working days after the due date (any working day after it when
// escalation is disabled).
func (pol Policy) Escalated(cal *calendar.Calendar, p *plan.Plan, st Status, day plan.Date) []Escalated {
	if st == nil {
		st = NoReports
	}
	n := max(pol.EscalateAfterDays, 0)
	var out []Escalated
	for i := range p.Tasks {
		t := &p.Tasks[i]
		if !t.Deadline.HasDue() {
			continue
		}
		since := cal.AddWorkingDays(t.Deadline.Due, n+1)
		if since.After(day) {
			continue
		}
		var late []string
		for _, u := range t.Responsible() {
			if !st.Done(p.ID, t.Code, u) {
				late = append(late, u)
			}
		}
		if len(late) > 0 {
			out = append(out, Escalated{Task: t, Units: late, Since: since})
		}
	}
	return out
}

// FirstWorkingDayOfWeek returns the first working day of d's ISO week
// (Monday, or the day after a Monday holiday), and false when the whole
// week is off.
func FirstWorkingDayOfWeek(cal *calendar.Calendar, d plan.Date) (plan.Date, bool) {
	monday := d.AddDays(-((int(d.Weekday()) + 6) % 7))
	first := monday
	if !cal.IsWorkingDay(first) {
		first = cal.NextWorkingDay(monday)
	}
	return first, first.Before(monday.AddDays(7))
}

// WeeklyDigest sends the chairman, and a copy to the secretariat, the
// list of tasks escalated as of the first working day of now's ISO week
// and still not done, with the late units and how many working days
// late they are; nothing when there are none. It is meant to run each
// working morning: it sends on the first working day of the week, or on
// a later one when the bot was down that day, and the outbox key (week,
// plan, officer) makes every later run of the week a no-op. Taking the
// list as of the week's first working day keeps a catch-up run from
// sending a week whose first day had nothing to say.
//
// The messages go in through the ledger's SettleReminders with no
// reminders to settle: it is the scheduler's one way into the outbox,
// with the same skip-existing-keys semantics as plan.Outbox.Enqueue, so
// Deps need not grow an outbox. Nothing is recorded in the reminder
// ledger: the digest is a view of the present, not a planned reminder
// that the ticks would retry or list as missed.
func (s *Scheduler) WeeklyDigest(ctx context.Context, now time.Time) error {
	now, today, first, ok := s.weeklyDay(ctx, now)
	if !ok {
		return nil
	}
	cal := s.deps.Calendar
	officers, err := s.deps.Officers.Officers(ctx, s.org)
	if err != nil {
		return fmt.Errorf("weekly digest: %w", err)
	}
	rcpt := newRecipients(officers)
	type to struct {
		o       plan.Officer
		copyFor string
	}
	var tos []to
	for _, o := range rcpt.chairman() {
		tos = append(tos, to{o, ""})
	}
	for _, o := range rcpt.secretariat() {
		tos = append(tos, to{o, texts.WeeklyCopySecretariat})
	}
	if len(tos) == 0 {
		return nil
	}
	plans, err := s.deps.Plans.Plans(ctx, s.org)
	if err != nil {
		return fmt.Errorf("weekly digest: %w", err)
	}
	// Archived plans are history: no reminders, no notices.
	plans = plan.ActivePlans(plans)
	year, week := today.In(cal.Location()).ISOWeek()
	weekKey := fmt.Sprintf("%d-W%02d", year, week)
	monday := first.AddDays(-((int(first.Weekday()) + 6) % 7))
	var items []plan.OutboxItem
	for i := range plans {
		p := &plans[i]
		st, err := loadStatus(ctx, s.deps.Progress, s.org, p.ID)
		if err != nil {
			return fmt.Errorf("weekly digest: %w", err)
		}
		esc := s.pol.Escalated(cal, p, st, first)
		if len(esc) == 0 {
			continue
		}
		lines := make([]texts.WeeklyItem, len(esc))
		var codes []string
		for j, e := range esc {
			role := plan.RoleExecute
			for _, u := range e.Units {
				if r, _ := e.Task.RoleOf(u); r == plan.RoleLead {
					role = plan.RoleLead
				}
			}
			lines[j] = texts.WeeklyItem{
				Code: e.Task.Code, Title: e.Task.Title, Units: e.Units, Role: role, Due: e.Task.Deadline.Due,
				// Full working days overdue: today has only begun.
				WorkingDaysLate: max(cal.WorkingDaysBetween(e.Task.Deadline.Due, today.AddDays(-1)), 0),
			}
			if b, ok := st.blocker[e.Task.Code]; ok {
				lines[j].Blocker, lines[j].BlockerUnit = b.Blocker, b.Unit
				lines[j].BlockerOn = plan.DateOf(b.ReportedAt.In(cal.Location()))
			}
			codes = append(codes, e.Task.Code)
		}
		// The standing body gets the secretariat's copy too.
		ptos := tos
		if u := s.standingOf(p); u != "" {
			for _, o := range rcpt.unit(u) {
				ptos = append(slices.Clip(ptos), to{o, texts.StandingCopy(u)})
			}
		}
		for _, t := range ptos {
			for n, part := range slices.Collect(slices.Chunk(lines, digestLines)) {
				items = append(items, plan.OutboxItem{
					OrgID: p.OrgID,
					Key: "weekly|" + weekKey + "|plan:" + strconv.FormatInt(p.ID, 10) +
						"|officer:" + strconv.FormatInt(t.o.ID, 10) + "|" + strconv.Itoa(n+1),
					OfficerID: t.o.ID,
					Address:   t.o.Address,
					Message:   plan.Message{Text: texts.WeeklyDigest(monday, monday.AddDays(6), s.pol.EscalateAfterDays, part, t.copyFor)},
					Context:   plan.ReplyContext{Kind: plan.ReplySummary, PlanID: p.ID, TaskCodes: codes, Copy: t.copyFor != ""},
					NotBefore: now,
				})
			}
		}
	}
	if len(items) == 0 {
		return nil
	}
	s.inOfficeHours(items, now)
	n, err := s.deps.Ledger.SettleReminders(ctx, nil, StateEnqueued, now, items...)
	if err != nil {
		return fmt.Errorf("weekly digest: %w", err)
	}
	if n > 0 {
		s.log.Info("weekly digest queued", "week", weekKey, "messages", n)
	}
	return nil
}

// weeklyDay tells whether a weekly job runs at now: this replica leads,
// and today is a working day on or after the week's first working day
// (Monday may be a holiday). It returns now in the calendar's zone, today
// and that first day.
func (s *Scheduler) weeklyDay(ctx context.Context, now time.Time) (time.Time, plan.Date, plan.Date, bool) {
	if !s.leader.Leading(ctx) {
		return now, plan.Date{}, plan.Date{}, false
	}
	cal := s.deps.Calendar
	now = now.In(cal.Location())
	today := plan.DateOf(now)
	first, ok := FirstWorkingDayOfWeek(cal, today)
	return now, today, first, ok && cal.IsWorkingDay(today) && !today.Before(first)
}

package scheduler

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/chanhlo/planbot/calendar"
	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/texts"
)

// QuietSource is what the secretariat's daily notice reads beside the
// plans and officers (storage.DB has it).
type QuietSource interface {
	// FailedDeliveries returns the organisation's outbox items given up
	// that were due in [from, to).
	FailedDeliveries(ctx context.Context, orgID int64, from, to time.Time) ([]plan.OutboxItem, error)
	// MissedReminders returns the reminders settled as missed in [from, to).
	MissedReminders(ctx context.Context, from, to time.Time) ([]plan.Reminder, error)
	// OpenInvites returns the organisation's unused invites expiring
	// after since.
	OpenInvites(ctx context.Context, orgID int64, since time.Time) ([]plan.Invite, error)
}

// dailyNoticeKind marks the daily notice in the ledger, so that it is
// sent once a day across replicas and restarts.
const dailyNoticeKind plan.ReminderKind = "daily_notice"

// expiringWithin is how soon an unused invite's end is worth a word.
const expiringWithin = 48 * time.Hour

// DailyNotice sends the secretariat, once per working day, one message
// about what could not reach people since the previous working day's
// notice: deliveries given up, reminders not sent (the tick no longer
// tells of them one by one when Deps.Quiet is set), units nobody
// registered for, invites expired unused or expiring within two days.
// Nothing to say, no message. It does nothing without Deps.Quiet.
func (s *Scheduler) DailyNotice(ctx context.Context, now time.Time) error {
	q := s.deps.Quiet
	if q == nil || !s.leader.Leading(ctx) {
		return nil
	}
	cal := s.deps.Calendar
	loc := cal.Location()
	now = now.In(loc)
	today := plan.DateOf(now)
	if !cal.IsWorkingDay(today) {
		return nil
	}
	// Since the same time on the previous working day: Monday's notice
	// covers the weekend.
	from := cal.PrevWorkingDay(today).In(loc).Add(now.Sub(today.In(loc)))

	officers, err := s.deps.Officers.Officers(ctx, s.org)
	if err != nil {
		return fmt.Errorf("daily notice: %w", err)
	}
	rcpt := newRecipients(officers)
	sec := rcpt.secretariat()
	if len(sec) == 0 {
		return nil
	}
	plans, err := s.deps.Plans.Plans(ctx, s.org)
	if err != nil {
		return fmt.Errorf("daily notice: %w", err)
	}
	n := texts.DailyNotice{Day: today}
	registered := func(unit string) bool { return len(rcpt.officers[unit])+len(rcpt.deputies[unit]) > 0 }

	failed, err := q.FailedDeliveries(ctx, s.org, from, now)
	if err != nil {
		return fmt.Errorf("daily notice: %w", err)
	}
	byID := map[int64]plan.Officer{}
	for _, o := range officers {
		byID[o.ID] = o
	}
	lineOf := map[string]int{}
	for _, it := range failed {
		o, ok := byID[it.OfficerID]
		name, unit := o.Name, o.Unit
		if !ok {
			name, unit = "", it.Context.Unit
		}
		if ok && unit == "" {
			unit = o.Role.Vietnamese()
		}
		reason := texts.UnreachableReason(it.LastError)
		k := fmt.Sprint(it.OfficerID, "|", unit, "|", reason)
		if i, seen := lineOf[k]; seen {
			n.Failed[i].Count++
			continue
		}
		lineOf[k] = len(n.Failed)
		n.Failed = append(n.Failed, texts.FailedLine{Name: name, Unit: unit, Reason: reason, Count: 1})
	}

	missed, err := q.MissedReminders(ctx, from, now)
	if err != nil {
		return fmt.Errorf("daily notice: %w", err)
	}
	missedOf := map[string]int{}
	for _, r := range missed {
		i, seen := missedOf[r.Unit]
		if !seen {
			i = len(n.Missed)
			missedOf[r.Unit] = i
			n.Missed = append(n.Missed, texts.MissedLine{Unit: r.Unit, NoOfficer: r.Unit != "" && !registered(r.Unit)})
		}
		m := &n.Missed[i]
		m.Count++
		if !slices.Contains(m.Codes, r.TaskCode) {
			m.Codes = append(m.Codes, r.TaskCode)
		}
	}

	// Every unit a plan names is reminded of something (supporting units
	// too), so every one needs somebody registered.
	for _, p := range plans {
		for _, u := range p.Units {
			if !registered(u) && !slices.Contains(n.Unregistered, u) {
				n.Unregistered = append(n.Unregistered, u)
			}
		}
	}

	invites, err := q.OpenInvites(ctx, s.org, from)
	if err != nil {
		return fmt.Errorf("daily notice: %w", err)
	}
	for _, inv := range invites {
		l := texts.InviteLine{Unit: inv.Unit, Role: inv.Role, Expires: plan.DateOf(inv.ExpiresAt.In(loc))}
		switch {
		case !inv.ExpiresAt.After(now):
			n.Expired = append(n.Expired, l)
		case inv.ExpiresAt.Sub(now) <= expiringWithin:
			n.Expiring = append(n.Expiring, l)
		}
	}
	// Units nobody registered for are a standing fact, not news: alone
	// they make a notice on the week's first working day only.
	if n.Empty() || (len(n.Failed)+len(n.Missed)+len(n.Expired)+len(n.Expiring) == 0 && !isFirstOfWeek(cal, today)) {
		return nil
	}

	mark := plan.Reminder{Kind: dailyNoticeKind, Occurrence: today.String(), At: now}
	fresh, err := s.deps.Ledger.Record(ctx, []plan.Reminder{mark})
	if err != nil {
		return fmt.Errorf("daily notice: %w", err)
	}
	if len(fresh) == 0 {
		return nil // sent already today, by this replica or another
	}
	text := texts.DailyNoticeText(n)
	var items []plan.OutboxItem
	for _, o := range sec {
		items = append(items, plan.OutboxItem{
			OrgID: s.org, Key: fmt.Sprintf("daily-notice|%s|officer:%d", today, o.ID), OfficerID: o.ID, Address: o.Address,
			Message: plan.Message{Text: text}, Context: plan.ReplyContext{Kind: plan.ReplyNotice}, NotBefore: now,
		})
	}
	if _, err := s.deps.Ledger.SettleReminders(ctx, []string{mark.Key()}, StateEnqueued, now, items...); err != nil {
		return fmt.Errorf("daily notice: %w", err)
	}
	return nil
}

func isFirstOfWeek(cal *calendar.Calendar, d plan.Date) bool {
	first, ok := FirstWorkingDayOfWeek(cal, d)
	return ok && first == d
}

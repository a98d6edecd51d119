package scheduler

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/texts"
)

// DailyStores are what the secretariat's daily notice reads besides the
// officers and plans: the reminders the tick settled as missed and the
// invites not used.
type DailyStores interface {
	// MissedReminders returns the reminders of the given plans settled as
	// missed in [since, until).
	MissedReminders(ctx context.Context, planIDs []int64, since, until time.Time) ([]plan.Reminder, error)
	// UnusedInvites returns the organisation's unused invites expiring in
	// [from, to).
	UnusedInvites(ctx context.Context, orgID int64, from, to time.Time) ([]plan.Invite, error)
}

// WithDaily sets the stores and the time of day ("16:30" as hour and
// minute) of the secretariat's daily notice. Without it there is none,
// and each tick tells the secretariat at once of the reminders it could
// not send.
func WithDaily(st DailyStores, hour, minute int) Option {
	return func(s *Scheduler) { s.daily, s.dailyAt = st, [2]int{hour, minute} }
}

// inviteWarnDays is how far ahead the daily notice warns of an invite
// about to expire unused.
const inviteWarnDays = 2

// DailyNotice sends the secretariat, once a working day at the daily time,
// one message with what went wrong since the previous one: reminders that
// could not be sent (the unit has no officer, the bot was down too long),
// officers who blocked the bot, invites that expired unused or are about
// to. Nothing new, no message. Units with no officer are named in it
// every time there is news, so the list stays in front of the secretariat
// without a message a day about the same unit. Its outbox key
// ("daily|2023-05-08|officer:7") makes it once a day across ticks,
// restarts and replicas.
func (s *Scheduler) DailyNotice(ctx context.Context, now time.Time) error {
	if s.daily == nil || !s.leader.Leading(ctx) {
		return nil
	}
	cal := s.deps.Calendar
	loc := cal.Location()
	now = now.In(loc)
	today := plan.DateOf(now)
	at := today.At(s.dailyAt[0], s.dailyAt[1], loc)
	if !cal.IsWorkingDay(today) || now.Before(at) {
		return nil
	}
	// From the previous notice's time to this one's: a working day's news
	// includes the weekend's, and nothing is told twice.
	since := cal.PrevWorkingDay(today).At(s.dailyAt[0], s.dailyAt[1], loc)
	officers, err := s.deps.Officers.Officers(ctx, s.org)
	if err != nil {
		return fmt.Errorf("daily notice: %w", err)
	}
	rcpt := newRecipients(officers)
	sec := reachable(rcpt.secretariat())
	if len(sec) == 0 {
		return nil
	}
	plans, err := s.deps.Plans.Plans(ctx, s.org)
	if err != nil {
		return fmt.Errorf("daily notice: %w", err)
	}
	// Archived plans are history: no reminders, no notices.
	plans = plan.ActivePlans(plans)
	planIDs := make([]int64, len(plans))
	for i := range plans {
		planIDs[i] = plans[i].ID
	}
	missed, err := s.daily.MissedReminders(ctx, planIDs, since, at)
	if err != nil {
		return fmt.Errorf("daily notice: %w", err)
	}
	invites, err := s.daily.UnusedInvites(ctx, s.org, since, today.AddDays(inviteWarnDays+1).At(0, 0, loc))
	if err != nil {
		return fmt.Errorf("daily notice: %w", err)
	}
	n := texts.DailyNotice{Day: today}
	byID := map[int64]*plan.Plan{}
	for i := range plans {
		byID[plans[i].ID] = &plans[i]
	}
	for _, r := range missed {
		if byID[r.PlanID] == nil {
			continue // another organisation's
		}
		t := byID[r.PlanID].Task(r.TaskCode)
		n.Missed = append(n.Missed, Describe(cal, t, r, plan.DateOf(r.At.In(loc))))
	}
	for _, o := range officers {
		if o.Active && o.UnreachableSince != nil && !o.UnreachableSince.Before(since) && o.UnreachableSince.Before(at) {
			n.Blocked = append(n.Blocked, texts.DailyOfficer{Name: o.Name, Unit: o.Unit, Role: o.Role, Since: plan.DateOf(o.UnreachableSince.In(loc))})
		}
	}
	for _, inv := range invites {
		if inv.Role != plan.RoleOfficer && inv.Role != plan.RoleDeputy && inv.Unit == "" {
			continue
		}
		exp := inv.ExpiresAt.In(loc)
		// An invite whose unit found its officer another way is no news.
		if len(rcpt.officers[inv.Unit]) > 0 && inv.Role == plan.RoleOfficer {
			continue
		}
		if !exp.Before(at) {
			n.Expiring = append(n.Expiring, texts.DailyInvite{Unit: inv.Unit, Expires: plan.DateOf(exp)})
		} else {
			n.Expired = append(n.Expired, texts.DailyInvite{Unit: inv.Unit, Expires: plan.DateOf(exp)})
		}
	}
	if len(n.Missed)+len(n.Blocked)+len(n.Expiring)+len(n.Expired) == 0 {
		return nil
	}
	if len(plans) > 0 {
		for _, u := range plans[0].Units {
			if len(rcpt.officers[u]) == 0 && len(rcpt.deputies[u]) == 0 {
				n.NoOfficer = append(n.NoOfficer, u)
			}
		}
		for _, o := range officers {
			if o.Active && o.Role == plan.RoleOfficer && !o.Reachable() && !slices.ContainsFunc(n.Blocked, func(b texts.DailyOfficer) bool { return b.Name == o.Name && b.Unit == o.Unit }) {
				n.StillBlocked = append(n.StillBlocked, texts.DailyOfficer{Name: o.Name, Unit: o.Unit, Role: o.Role, Since: plan.DateOf(o.UnreachableSince.In(loc))})
			}
		}
	}
	text := texts.DailyNoticeText(n)
	var items []plan.OutboxItem
	for _, o := range sec {
		items = append(items, plan.OutboxItem{
			OrgID:     s.org,
			Key:       "daily|" + today.String() + "|officer:" + strconv.FormatInt(o.ID, 10),
			OfficerID: o.ID,
			Address:   o.Address,
			Message:   plan.Message{Text: text},
			Context:   plan.ReplyContext{Kind: plan.ReplyNotice},
			NotBefore: now,
		})
	}
	s.inOfficeHours(items, now)
	added, err := s.deps.Ledger.SettleReminders(ctx, nil, StateEnqueued, now, items...)
	if err != nil {
		return fmt.Errorf("daily notice: %w", err)
	}
	if added > 0 {
		s.log.Info("daily notice queued", "day", today.String(), "missed", len(n.Missed), "blocked", len(n.Blocked),
			"invites_expired", len(n.Expired), "invites_expiring", len(n.Expiring))
	}
	return nil
}

package scheduler

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/texts"
)

// UndatedAsk asks the secretariat, on the first working day of each week,
// to set the deadlines the importer could not read ("chưa có thời hạn"),
// listing each task with its lead unit and the /sethan to type. Until
// then the units report on them monthly. Outbox keys make it once a week.
func (s *Scheduler) UndatedAsk(ctx context.Context, now time.Time) error {
	now, today, _, ok := s.weeklyDay(ctx, now)
	if !ok {
		return nil
	}
	cal := s.deps.Calendar
	plans, err := s.deps.Plans.Plans(ctx, s.org)
	if err != nil {
		return fmt.Errorf("undated ask: %w", err)
	}
	// Archived plans are history: no reminders, no notices.
	plans = plan.ActivePlans(plans)
	var items []texts.UndatedItem
	planID := int64(0)
	for i := range plans {
		for _, t := range Undated(&plans[i]) {
			items = append(items, texts.UndatedItem{Code: t.Code, Title: t.Title, Units: t.Responsible(), Words: t.Deadline.Text})
			planID = plans[i].ID
		}
	}
	if len(items) == 0 {
		return nil
	}
	officers, err := s.deps.Officers.Officers(ctx, s.org)
	if err != nil {
		return fmt.Errorf("undated ask: %w", err)
	}
	year, week := today.In(cal.Location()).ISOWeek()
	text := texts.UndatedAsk(items)
	var out []plan.OutboxItem
	for _, o := range reachable(newRecipients(officers).secretariat()) {
		out = append(out, plan.OutboxItem{
			OrgID:     s.org,
			Key:       fmt.Sprintf("undated|%d-W%02d|officer:%s", year, week, strconv.FormatInt(o.ID, 10)),
			OfficerID: o.ID,
			Address:   o.Address,
			Message:   plan.Message{Text: text},
			Context:   plan.ReplyContext{Kind: plan.ReplyNotice, PlanID: planID},
			NotBefore: now,
		})
	}
	if len(out) == 0 {
		return nil
	}
	s.inOfficeHours(out, now)
	if _, err := s.deps.Ledger.SettleReminders(ctx, nil, StateEnqueued, now, out...); err != nil {
		return fmt.Errorf("undated ask: %w", err)
	}
	return nil
}

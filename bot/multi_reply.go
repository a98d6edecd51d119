package bot

import (
	"context"
	"fmt"
	"time"

	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/progress"
	"github.com/chanhlo/planbot/texts"
)

// many reports whether a message goes the way of several reports: more
// than one part, or one numbered item ("1. 80%") that answers a numbered
// request. A message of one report keeps its old, single answer.
func many(r progress.Reply) bool {
	return len(r.Parts) > 1 || len(r.Parts) == 1 && r.Parts[0].ListNo > 0
}

// recordMany records every report a message carries and answers once,
// listing what was recorded and what was not, and why. A part that cannot
// be recorded (not understood, a task the unit does not answer for) is
// refused alone: the others are kept.
func (c *Core) recordMany(ctx context.Context, r *Request, p *plan.Plan, reply progress.Reply, rc *plan.ReplyContext) error {
	o := r.Officer
	if o.Unit == "" {
		return plan.Errorf(plan.EInvalid, "%s", texts.NoUnit)
	}
	var (
		recs    []Recorded
		items   []texts.AckItem
		refused []texts.AckRefused
	)
	numbered, err := c.numberedList(ctx, r.Event, rc)
	if err != nil {
		return err
	}
	first, err := c.firstReport(ctx, o)
	if err != nil {
		return err
	}
	for _, part := range reply.Parts {
		if !part.OK() {
			t, _ := partTask(p, part, numbered, rc)
			fig, ok := ongoingWork(t, part.FigText, plan.Errorf(plan.EInvalid, "%s", part.Refused))
			if !ok {
				refused = append(refused, texts.AckRefused{Text: part.Text, Reason: part.Refused})
				continue
			}
			part.Figure, part.Refused = fig, ""
		}
		t, why := partTask(p, part, numbered, rc)
		if why == texts.NoNumberedRequest && !r.Capabilities().ReplyTo {
			why = texts.NoNumberedRequestTyped
		}
		if t == nil {
			refused = append(refused, texts.AckRefused{Text: part.Text, Reason: why})
			continue
		}
		rec, cut, err := c.store(ctx, o, p, t, part.Figure, rc)
		if msg := plan.ErrorMessage(err); err != nil && plan.ErrorCode(err) != plan.EInternal && msg != "" {
			refused = append(refused, texts.AckRefused{Text: part.Text, Reason: msg})
			continue
		} else if err != nil {
			return err
		}
		recs = append(recs, rec)
		items = append(items, texts.AckItem{Code: t.Code, Progress: rec.Progress, Target: percentTarget(t), Previous: rec.Previous, NoteCut: cut})
	}
	c.log.InfoContext(ctx, "progress message", "officer", o.ID, "parts", len(reply.Parts), "recorded", len(recs), "refused", len(refused))
	if len(recs) > 0 {
		if err := c.afterRecorded(ctx, o, p, recs); err != nil {
			return fmt.Errorf("follow up %d reports of %s: %w", len(recs), o.Unit, err)
		}
	}
	return r.Reply(ctx, plan.Message{Text: texts.Acknowledge(items, refused, c.otherReviewer(p, o), first)})
}

// firstReport reports whether the officer's unit has never reported: the
// only time the answer says how to correct a figure.
// onlyReport reports whether rec, just stored, is the first report of
// the officer's unit. A report with a previous figure is not, and needs
// no query: that is every reply after a unit's first.
func (c *Core) onlyReport(ctx context.Context, o *plan.Officer, rec Recorded) (bool, error) {
	if rec.Previous != nil {
		return false, nil
	}
	rs, err := c.deps.Progress.ListProgress(ctx, plan.ProgressFilter{OrgID: c.deps.OrgID, Unit: o.Unit, Newest: 2})
	if err != nil {
		return false, fmt.Errorf("reports of %s: %w", o.Unit, err)
	}
	for _, r := range rs {
		if r.ID != rec.Progress.ID {
			return false, nil
		}
	}
	return true, nil
}

// firstReport reports whether the officer's unit has never reported.
func (c *Core) firstReport(ctx context.Context, o *plan.Officer) (bool, error) {
	rs, err := c.deps.Progress.ListProgress(ctx, plan.ProgressFilter{OrgID: c.deps.OrgID, Unit: o.Unit, Newest: 1})
	if err != nil {
		return false, fmt.Errorf("reports of %s: %w", o.Unit, err)
	}
	return len(rs) == 0, nil
}

// numberedListAge is how far back "2. 80%" typed without replying looks
// for the numbered request it answers: a month's request and its chaser.
const numberedListAge = 40 * 24 * time.Hour

// numberedLookup finds the newest numbered request sent to a chat
// (storage.DB); a ReplyLookup without it answers numbers only in replies.
type numberedLookup interface {
	LatestNumbered(ctx context.Context, to plan.Address, since time.Time) (*plan.OutboxItem, error)
}

// numberedList returns the tasks that "1.", "2.", … of the message refer
// to: those of the request it replies to, else of the newest numbered
// request the chat got; nil when there is none.
func (c *Core) numberedList(ctx context.Context, e *Event, rc *plan.ReplyContext) ([]string, error) {
	if rc != nil && len(rc.Numbered) > 0 {
		return rc.Numbered, nil
	}
	if rc != nil && rc.Kind != "" {
		return nil, nil // a reply to a message without a list
	}
	nl, ok := c.deps.Outbox.(numberedLookup)
	if !ok {
		return nil, nil
	}
	it, err := nl.LatestNumbered(ctx, e.Address(), c.deps.Clock.Now().Add(-numberedListAge))
	if plan.ErrorCode(err) == plan.ENotFound {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	return it.Context.Numbered, nil
}

// partTask finds the task a part reports on: its code, its number in the
// unit's list, or the one task of the reminder it replies to. Otherwise it
// says why there is none.
func partTask(p *plan.Plan, part progress.Part, numbered []string, rc *plan.ReplyContext) (*plan.Task, string) {
	switch {
	case part.Code != "":
		if t := taskByCode(p, part.Code); t != nil {
			return t, ""
		}
		return nil, texts.UnknownTask(part.Code)
	case part.ListNo > 0 && len(numbered) == 0:
		return nil, texts.NoNumberedRequest
	case part.ListNo > 0:
		if part.ListNo > len(numbered) {
			return nil, texts.NoListedTask(part.ListNo, len(numbered))
		}
		return p.Task(numbered[part.ListNo-1]), ""
	case rc != nil && len(rc.TaskCodes) == 1:
		if t := taskByCode(p, rc.TaskCodes[0]); t != nil {
			return t, ""
		}
		return nil, texts.UnknownTask(rc.TaskCodes[0])
	}
	return nil, progress.NoTaskFor
}

// store records fig as the officer's unit's report on t for the reply's
// period (else the current month). The note and blocker are cleaned and
// cut to progress.MaxNote; cut reports a cut. A task the unit does not
// answer for is an EForbidden *plan.Error.
func (c *Core) store(ctx context.Context, o *plan.Officer, p *plan.Plan, t *plan.Task, fig plan.Figure, rc *plan.ReplyContext) (rec Recorded, cut bool, err error) {
	role, ok := t.RoleOf(o.Unit)
	if !ok {
		return rec, false, plan.Errorf(plan.EForbidden, "%s", texts.NotAssigned(t.Code, o.Unit))
	}
	var c1, c2 bool
	fig.Note, c1 = progress.CleanText(fig.Note, progress.MaxNote)
	fig.Blocker, c2 = progress.CleanText(fig.Blocker, progress.MaxNote)
	period := plan.MonthOf(c.today())
	if rc != nil && rc.Period != "" {
		if period, err = plan.ParsePeriod(rc.Period); err != nil {
			return rec, false, fmt.Errorf("period of reply context %q: %w", rc.Period, err)
		}
	}
	prev, err := c.deps.Progress.ListProgress(ctx, plan.ProgressFilter{
		OrgID: c.deps.OrgID, PlanID: p.ID, TaskCode: t.Code, Unit: o.Unit, Periods: []string{period.String()}, Newest: 1,
	})
	if err != nil {
		return rec, false, fmt.Errorf("previous progress of %s: %w", t.Code, err)
	}
	pr := plan.Progress{
		OrgID: c.deps.OrgID, PlanID: p.ID, TaskCode: t.Code, Unit: o.Unit, Period: period,
		Figure: fig, ReportedBy: o.ID, ReportedAt: c.deps.Clock.Now(),
	}
	// An ongoing task ("Thường xuyên") is never finished: its 100% is
	// the month's figure, nothing to confirm.
	if fig.Kind == plan.ProgressDone && (role == plan.RoleLead || role == plan.RoleExecute) && t.Deadline.Kind != plan.DeadlineRecurring {
		pr.Confirm = plan.ConfirmPending
	}
	// The report and its audit line are one transaction.
	entry := plan.AuditEntry{OrgID: c.deps.OrgID, At: c.deps.Clock.Now(), ActorID: o.ID, Action: "progress.report",
		Detail: fmt.Sprintf("progress=%s task=%s unit=%q period=%s kind=%s percent=%g", plan.AuditProgressID, t.Code, o.Unit, period, fig.Kind, fig.Percent)}
	if err := c.deps.Progress.AddProgress(ctx, &pr, entry); err != nil {
		return rec, false, fmt.Errorf("add progress %s/%s: %w", t.Code, o.Unit, err)
	}
	rec = Recorded{Task: t, Role: role, Progress: pr}
	if len(prev) > 0 {
		rec.Previous = &prev[len(prev)-1]
	}
	return rec, c1 || c2, nil
}

package bot

import (
	"context"
	"fmt"
	"strconv"

	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/texts"
)

// Recorded is one report stored from an officer's message, with what those
// who follow up on it need: the task, the unit's role in it and the
// unit's previous report for the same period, if any.
type Recorded struct {
	Task     *plan.Task
	Role     plan.AssignmentRole
	Progress plan.Progress
	Previous *plan.Progress
}

// ReviewPrefix starts the data of the review notice's buttons:
// "rv:ok:1.c" confirms the task's "done", "rv:back:1.c" sends it back.
const ReviewPrefix = "rv:"

// StandingBody is the unit that compiles results and receives
// difficulties: the configured one, else the plan's; "" for none.
func (c *Core) StandingBody(p *plan.Plan) string {
	if c.deps.Standing != "" {
		return c.deps.Standing
	}
	if p == nil {
		return ""
	}
	return p.Standing
}

// otherReviewer is the standing body as the reporting officer is told of
// it: "" when the officer's own unit is the standing body (it does not
// confirm its own work; the secretariat does).
func (c *Core) otherReviewer(p *plan.Plan, o *plan.Officer) string {
	if s := c.StandingBody(p); s != o.Unit {
		return s
	}
	return ""
}

// afterRecorded runs once per officer message, after every report the
// message carried is stored, with all of them. A "done" to confirm and a
// blocker are told at once, in one notice per message, to the standing
// body and the secretariat (not to the one who reported), through the
// outbox so that a failed send is retried rather than lost.
func (c *Core) afterRecorded(ctx context.Context, o *plan.Officer, p *plan.Plan, recs []Recorded) error {
	var done, blocked []texts.ReviewItem
	var choices []plan.Choice
	var codes []string
	ref := c.codeRef(ctx, p)
	for _, r := range recs {
		pr := r.Progress
		switch {
		case pr.Kind == plan.ProgressDone && pr.Confirm == plan.ConfirmPending:
			done = append(done, texts.ReviewItem{Code: r.Task.Code, Title: r.Task.Title, Figure: texts.FigureText(pr.Figure), Words: pr.Note})
			choices = append(choices,
				plan.Choice{Label: texts.ReviewConfirmLabel(r.Task.Code), Data: ReviewPrefix + "ok:" + ref(r.Task.Code)},
				plan.Choice{Label: texts.ReviewReturnLabel(r.Task.Code), Data: ReviewPrefix + "back:" + ref(r.Task.Code)})
		case pr.Blocker != "":
			blocked = append(blocked, texts.ReviewItem{Code: r.Task.Code, Title: r.Task.Title, Figure: texts.FigureText(pr.Figure), Words: pr.Blocker})
		default:
			continue
		}
		codes = append(codes, r.Task.Code)
	}
	if len(done)+len(blocked) == 0 {
		return nil
	}
	to, err := c.reviewers(ctx, c.StandingBody(p), o)
	if err != nil {
		return err
	}
	if len(to) == 0 {
		c.log.WarnContext(ctx, "report to review and nobody to tell", "unit", o.Unit, "tasks", codes)
		return nil
	}
	var items []plan.OutboxItem
	for _, r := range to {
		m := plan.Message{Text: texts.ReviewNotice(o.Unit, o.Name, c.today(), done, blocked, c.capabilities(r.Address.Transport).Buttons), Choices: choices}
		items = append(items, plan.OutboxItem{
			OrgID:     c.deps.OrgID,
			Key:       "review|report:" + strconv.FormatInt(recs[0].Progress.ID, 10) + "|to:" + strconv.FormatInt(r.ID, 10),
			OfficerID: r.ID,
			Address:   r.Address,
			Message:   m,
			Context:   plan.ReplyContext{Kind: plan.ReplyNotice, PlanID: p.ID, TaskCodes: codes, Unit: o.Unit},
			NotBefore: c.deps.Clock.Now(),
		})
	}
	if c.deps.Notices == nil {
		for _, it := range items {
			if err := c.Send(ctx, it.Address, it.Message); err != nil {
				c.log.WarnContext(ctx, "review notice not sent", "officer", it.OfficerID, "err", err)
			}
		}
		return nil
	}
	if _, err := c.deps.Notices.Enqueue(ctx, items...); err != nil {
		return fmt.Errorf("queue review notice: %w", err)
	}
	if c.deps.Wake != nil {
		c.deps.Wake()
	}
	return nil
}

// reviewers returns who confirms and hears of blockers: the standing
// body's officers (and deputies) and the secretariat, active, not the
// one who reported.
func (c *Core) reviewers(ctx context.Context, standing string, from *plan.Officer) ([]plan.Officer, error) {
	all, err := c.deps.Officers.Officers(ctx, c.deps.OrgID)
	if err != nil {
		return nil, fmt.Errorf("officers: %w", err)
	}
	var out []plan.Officer
	for _, o := range all {
		if !o.Active || o.ID == from.ID || !o.Reachable() {
			continue
		}
		if isReviewer(&o, standing) {
			out = append(out, o)
		}
	}
	return out, nil
}

// isReviewer reports whether o may confirm or return a unit's "done": the
// secretariat, and the standing body's officer or deputy.
func isReviewer(o *plan.Officer, standing string) bool {
	switch o.Role {
	case plan.RoleSecretariat:
		return true
	case plan.RoleOfficer, plan.RoleDeputy:
		return standing != "" && o.Unit == standing
	}
	return false
}

// codeRef returns how a task code of p is written so that it names p
// among the running plans: the code alone, or, with several plans, the
// plan's tag before it ("CĐS 2.1").
func (c *Core) codeRef(ctx context.Context, p *plan.Plan) func(code string) string {
	ps, err := c.ActivePlans(ctx)
	if err != nil || len(ps) < 2 {
		return func(code string) string { return code }
	}
	tag := PlanTags(ps)[p.ID]
	return func(code string) string { return tag + " " + code }
}

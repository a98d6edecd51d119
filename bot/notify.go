package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

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

// NoticeQueue is where the core leaves notices that must not be lost:
// plan.Outbox's Enqueue.
type NoticeQueue interface {
	Enqueue(ctx context.Context, items ...plan.OutboxItem) (int, error)
}

// Button data of the notices' Xác nhận / Trả lại: "vd:ok:<plan>:<code>".
const (
	confirmPrefix = "vd:ok:"
	returnPrefix  = "vd:rt:"
)

// StandingBody returns the unit that follows up on p beside the
// secretariat: the configured one, else the one the plan names, else "".
func (c *Core) StandingBody(p *plan.Plan) string {
	if c.deps.StandingUnit != "" {
		return c.deps.StandingUnit
	}
	if p == nil {
		return ""
	}
	return p.StandingBody
}

// confirmerFor returns the standing body that confirms o's reports, for
// texts.Recorded: "" (the secretariat) when there is none or when o's unit
// is the standing body itself, which does not confirm its own results.
func (c *Core) confirmerFor(p *plan.Plan, o *plan.Officer) string {
	if s := c.StandingBody(p); s != o.Unit {
		return s
	}
	return ""
}

// afterRecorded runs once per officer message, after every report the
// message carried is stored, with all of them. It is where the standing
// body and the secretariat learn of a "done" to confirm or of a blocker:
// one notice per message, through the outbox.
func (c *Core) afterRecorded(ctx context.Context, o *plan.Officer, p *plan.Plan, recs []Recorded) error {
	var items []texts.NoticeItem
	var done []string
	for _, r := range recs {
		pr := r.Progress
		it := texts.NoticeItem{Code: r.Task.Code, Title: r.Task.Title, Blocker: pr.Blocker}
		// Only a "done" waiting for confirmation asks for a verdict; a
		// supporting unit's "done" is not confirmed.
		it.Done = pr.Kind == plan.ProgressDone && pr.Confirm == plan.ConfirmPending
		if !it.Done && it.Blocker == "" {
			continue
		}
		if it.Done {
			done = append(done, r.Task.Code)
		}
		items = append(items, it)
	}
	if len(items) == 0 {
		return nil
	}
	officers, err := c.deps.Officers.Officers(ctx, c.deps.OrgID)
	if err != nil {
		return fmt.Errorf("officers to notify: %w", err)
	}
	to := c.followers(officers, p, o.ID, o.Unit)
	if len(to) == 0 {
		c.log.WarnContext(ctx, "report notice: nobody in the secretariat or the standing body to tell", "unit", o.Unit)
		return nil
	}
	now := c.deps.Clock.Now()
	text := texts.ReportNotice(o.Unit, o.Name, plan.DateOf(now.In(c.deps.Location)), items)
	var choices []plan.Choice
	for _, code := range done {
		choices = append(choices,
			plan.Choice{Label: texts.ConfirmLabel(code), Data: confirmPrefix + strconv.FormatInt(p.ID, 10) + ":" + code},
			plan.Choice{Label: texts.ReturnLabel(code), Data: returnPrefix + strconv.FormatInt(p.ID, 10) + ":" + code})
	}
	// The key is the message's first report: a redelivered update that
	// stored nothing new does not notify twice.
	first := recs[0].Progress.ID
	var queued []plan.OutboxItem
	for _, f := range to {
		m := plan.Message{Text: text, Choices: choices}
		if len(choices) > 0 && !c.capabilities(f.Address.Transport).Buttons {
			// Numbered choices instead of buttons, answerable by number
			// (see pendingChoices) or by /xacnhan and /tralai.
			var b strings.Builder
			b.WriteString(text)
			for i, ch := range choices {
				fmt.Fprintf(&b, "\n%s", texts.ChoiceFallback(i+1, ch.Label))
			}
			m = plan.Message{Text: b.String()}
			c.pending.put(f.Address, choices, now)
		}
		queued = append(queued, plan.OutboxItem{
			OrgID: c.deps.OrgID, Key: fmt.Sprintf("report-notice|%d|officer:%d", first, f.ID),
			OfficerID: f.ID, Address: f.Address, Message: m, NotBefore: now,
			Context: plan.ReplyContext{Kind: plan.ReplyNotice, PlanID: p.ID, TaskCodes: codesOf(items), Unit: o.Unit},
		})
	}
	if c.deps.Notices == nil {
		for _, it := range queued {
			if err := c.Send(ctx, it.Address, it.Message); err != nil {
				c.log.WarnContext(ctx, "report notice not delivered", "officer", it.OfficerID, "err", err)
			}
		}
		return nil
	}
	if _, err := c.deps.Notices.Enqueue(ctx, queued...); err != nil {
		return fmt.Errorf("queue report notices: %w", err)
	}
	return nil
}

func codesOf(items []texts.NoticeItem) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.Code
	}
	return out
}

// followers returns who follows up on reports: the active secretariat and
// the standing body's active officers and deputies, never the reporter;
// the standing body only for other units' reports.
func (c *Core) followers(all []plan.Officer, p *plan.Plan, reporter int64, reporterUnit string) []plan.Officer {
	standing := c.StandingBody(p)
	if reporterUnit == standing {
		standing = "" // the standing body does not follow up on itself
	}
	var out []plan.Officer
	for _, o := range all {
		if !o.Active || o.ID == reporter {
			continue
		}
		if o.Role == plan.RoleSecretariat || c.isStanding(&o, standing) {
			out = append(out, o)
		}
	}
	return out
}

// isStanding reports whether o speaks for the standing body.
func (c *Core) isStanding(o *plan.Officer, standing string) bool {
	return standing != "" && o.Unit == standing && (o.Role == plan.RoleOfficer || o.Role == plan.RoleDeputy)
}

// registerVerdictButtons routes the notices' Xác nhận / Trả lại.
func (c *Core) registerVerdictButtons() {
	c.AddCallback(confirmPrefix, nil, func(ctx context.Context, r *Request) error {
		p, t, err := c.verdictTarget(ctx, r, confirmPrefix)
		if err != nil {
			return err
		}
		return c.decide(ctx, r, p, t, plan.ConfirmAccepted, "")
	})
	c.AddCallback(returnPrefix, nil, func(ctx context.Context, r *Request) error {
		p, t, err := c.verdictTarget(ctx, r, returnPrefix)
		if err != nil {
			return err
		}
		c.returns.put(r.Event.Address(), pendingReturn{planID: p.ID, code: t.Code}, c.deps.Clock.Now())
		return r.Reply(ctx, plan.Message{Text: texts.AskReturnReason(t.Code)})
	})
}

// verdictTarget reads the plan and task of a verdict button and checks
// that the one who pressed it may decide: the secretariat, or the
// standing body's officer.
func (c *Core) verdictTarget(ctx context.Context, r *Request, prefix string) (*plan.Plan, *plan.Task, error) {
	id, code, ok := strings.Cut(strings.TrimPrefix(r.Text, prefix), ":")
	planID, err := strconv.ParseInt(id, 10, 64)
	if !ok || err != nil || code == "" {
		return nil, nil, plan.Errorf(plan.EInvalid, "%s", texts.ButtonExpired)
	}
	p, err := c.deps.Plans.PlanByID(ctx, planID)
	switch {
	case plan.ErrorCode(err) == plan.ENotFound:
		return nil, nil, plan.Errorf(plan.EInvalid, "%s", texts.ButtonExpired)
	case err != nil:
		return nil, nil, fmt.Errorf("plan of verdict button: %w", err)
	}
	if r.Officer.Role != plan.RoleSecretariat && !c.isStanding(r.Officer, c.StandingBody(p)) {
		return nil, nil, plan.Errorf(plan.EForbidden, "%s", texts.NotStandingBody)
	}
	t := taskByCode(p, code)
	if t == nil {
		return nil, nil, plan.Errorf(plan.EInvalid, "%s", texts.ButtonExpired)
	}
	return p, t, nil
}

// returnWithReason takes the message after Trả lại as the reason.
func (c *Core) returnWithReason(ctx context.Context, r *Request, ret pendingReturn) error {
	p, err := c.deps.Plans.PlanByID(ctx, ret.planID)
	if err != nil {
		return fmt.Errorf("plan of pending return: %w", err)
	}
	t := taskByCode(p, ret.code)
	if t == nil || strings.TrimSpace(r.Text) == "" {
		return plan.Errorf(plan.EInvalid, "%s", texts.ButtonExpired)
	}
	return c.decide(ctx, r, p, t, plan.ConfirmReturned, r.Text)
}

// pendingReturn is a Trả lại pressed, waiting for its reason.
type pendingReturn struct {
	planID int64
	code   string
	at     time.Time
}

// pendingReturns remembers, per chat, the Trả lại waiting for its reason.
// Like pendingChoices it lives in memory: after a restart the person
// presses again (or types /tralai MÃ lý do).
type pendingReturns struct {
	mu sync.Mutex
	m  map[plan.Address]pendingReturn
}

func newPendingReturns() *pendingReturns {
	return &pendingReturns{m: map[plan.Address]pendingReturn{}}
}

func (p *pendingReturns) put(to plan.Address, r pendingReturn, now time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	r.at = now
	p.m[to] = r
	for k, e := range p.m {
		if now.Sub(e.at) > choiceTTL {
			delete(p.m, k)
		}
	}
}

func (p *pendingReturns) take(to plan.Address, now time.Time) (pendingReturn, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	r, ok := p.m[to]
	if !ok {
		return pendingReturn{}, false
	}
	delete(p.m, to)
	return r, now.Sub(r.at) <= choiceTTL
}

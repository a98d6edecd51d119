package bot

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/texts"
)

// cmdConfirm handles /xacnhan CODE: every "done" of the task waiting for
// the secretariat is confirmed and the unit's officers are told.
func (h *summaryHandlers) cmdConfirm(ctx context.Context, r *Request) error {
	if len(r.Args) == 0 {
		return plan.Errorf(plan.EInvalid, "%s", texts.ConfirmUsage)
	}
	return h.verdict(ctx, r, r.Args[0], plan.ConfirmAccepted, "")
}

// cmdReturn handles /tralai CODE lý do.
func (h *summaryHandlers) cmdReturn(ctx context.Context, r *Request) error {
	if len(r.Args) == 0 {
		return plan.Errorf(plan.EInvalid, "%s", texts.ReturnUsage)
	}
	note := strings.TrimSpace(strings.TrimPrefix(r.Text, r.Args[0]))
	if note == "" {
		return plan.Errorf(plan.EInvalid, "%s", texts.ReturnNoNote)
	}
	return h.verdict(ctx, r, r.Args[0], plan.ConfirmReturned, note)
}

func (h *summaryHandlers) verdict(ctx context.Context, r *Request, typed string, state plan.ConfirmState, note string) error {
	p, err := h.core.CurrentPlan(ctx)
	if err != nil {
		return err
	}
	t, err := FindTask(p, typed)
	if err != nil {
		return err
	}
	return h.core.decide(ctx, r, p, t, state, note)
}

// decide confirms or returns (state) every "done" of t waiting for
// confirmation, tells the units and answers r. The secretariat's /xacnhan
// and /tralai and the buttons of the standing body's notices share it.
func (c *Core) decide(ctx context.Context, r *Request, p *plan.Plan, t *plan.Task, state plan.ConfirmState, note string) error {
	d := c.Deps()
	latest, err := d.Progress.ListProgress(ctx, plan.ProgressFilter{OrgID: d.OrgID, PlanID: p.ID, TaskCode: t.Code, LatestOnly: true})
	if err != nil {
		return fmt.Errorf("progress of %s: %w", t.Code, err)
	}
	// The newest report per unit decides; an older "done" superseded by a
	// later figure is not waiting any more.
	newest := map[string]plan.Progress{}
	for _, pr := range latest {
		if cur, ok := newest[pr.Unit]; !ok || pr.ReportedAt.After(cur.ReportedAt) {
			newest[pr.Unit] = pr
		}
	}
	var units []string
	now := d.Clock.Now()
	for _, u := range t.Responsible() {
		pr, ok := newest[u]
		if !ok || pr.Kind != plan.ProgressDone || pr.Confirm != plan.ConfirmPending {
			continue
		}
		// The standing body confirms other units' results, not its own.
		if r.Officer.Role != plan.RoleSecretariat && u == r.Officer.Unit {
			continue
		}
		if err := d.Progress.SetConfirm(ctx, pr.ID, state, note, r.Officer.ID, now); err != nil {
			return fmt.Errorf("set %s on report %d: %w", state, pr.ID, err)
		}
		units = append(units, u)
	}
	if len(units) == 0 {
		return r.Reply(ctx, plan.Message{Text: texts.NothingToConfirm(t.Code)})
	}
	if err := c.audit(ctx, r.Officer.ID, "progress."+string(state), t.Code+" "+strings.Join(units, ", ")+" "+note); err != nil {
		return err
	}
	tell := texts.ConfirmedToUnit(t.Code, t.Title)
	answer := texts.Confirmed(t.Code, units)
	if state == plan.ConfirmReturned {
		tell = texts.ReturnedToUnit(t.Code, t.Title, note)
		answer = texts.Returned(t.Code, units)
	}
	// The standing body names itself to the unit; the secretariat's
	// wording stays as it was.
	if r.Officer.Role != plan.RoleSecretariat && r.Officer.Unit != "" {
		by := texts.StandingName(r.Officer.Unit)
		tell = texts.ConfirmedBy(by, t.Code, t.Title)
		if state == plan.ConfirmReturned {
			tell = texts.ReturnedBy(by, t.Code, t.Title, note)
		}
	}
	officers, err := d.Officers.Officers(ctx, d.OrgID)
	if err != nil {
		return fmt.Errorf("officers: %w", err)
	}
	for _, o := range officers {
		if !o.Active || (o.Role != plan.RoleOfficer && o.Role != plan.RoleDeputy) || !slices.Contains(units, o.Unit) {
			continue
		}
		if err := c.Send(ctx, o.Address, plan.Message{Text: tell}); err != nil {
			// The verdict is stored; the unit sees it in /xem anyway.
			c.log.WarnContext(ctx, "tell unit of verdict", "officer", o.ID, "task", t.Code, "err", err)
		}
	}
	return r.Reply(ctx, plan.Message{Text: answer})
}

package bot

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

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
	answer, err := h.core.Verdict(ctx, r.Officer, typed, state, note)
	if err != nil {
		return err
	}
	return r.Reply(ctx, plan.Message{Text: answer})
}

// Verdict confirms (or returns, with note) the units' pending "done" on
// the task typed, as reviewer o: the rules, audit and messages of
// /xacnhan and /tralai, for the chat and the web pages alike. It returns
// the answer for the reviewer (HTML of plan.Message).
func (c *Core) Verdict(ctx context.Context, o *plan.Officer, typed string, state plan.ConfirmState, note string) (string, error) {
	d := c.Deps()
	p, t, err := c.ResolveTask(ctx, typed, "")
	if err != nil {
		return "", err
	}
	if !isReviewer(o, c.StandingBody(p)) {
		return "", plan.Errorf(plan.EForbidden, "%s", texts.NotReviewer(c.StandingBody(p)))
	}
	latest, err := d.Progress.ListProgress(ctx, plan.ProgressFilter{OrgID: d.OrgID, PlanID: p.ID, TaskCode: t.Code, LatestOnly: true})
	if err != nil {
		return "", fmt.Errorf("progress of %s: %w", t.Code, err)
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
		if err := d.Progress.SetConfirm(ctx, pr.ID, state, note, o.ID, now); err != nil {
			return "", fmt.Errorf("set %s on report %d: %w", state, pr.ID, err)
		}
		units = append(units, u)
	}
	if len(units) == 0 {
		return texts.NothingToConfirm(t.Code), nil
	}
	if err := c.audit(ctx, o.ID, "progress."+string(state), t.Code+" "+strings.Join(units, ", ")+" "+note); err != nil {
		return "", err
	}
	by := texts.Confirmer(o.Role == plan.RoleSecretariat, o.Unit)
	tell := texts.ConfirmedToUnit(by, t.Code, t.Title)
	answer := texts.Confirmed(t.Code, units)
	if state == plan.ConfirmReturned {
		tell = texts.ReturnedToUnit(by, t.Code, t.Title, note)
		answer = texts.Returned(t.Code, units)
	}
	officers, err := d.Officers.Officers(ctx, d.OrgID)
	if err != nil {
		return "", fmt.Errorf("officers: %w", err)
	}
	for _, u := range officers {
		if !u.Active || (u.Role != plan.RoleOfficer && u.Role != plan.RoleDeputy) || !slices.Contains(units, u.Unit) {
			continue
		}
		if err := c.Send(ctx, u.Address, plan.Message{Text: tell}); err != nil {
			// The verdict is stored; the unit sees it in /xem anyway.
			c.log.WarnContext(ctx, "tell unit of verdict", "officer", u.ID, "task", t.Code, "err", err)
		}
	}
	return answer, nil
}

// onReview handles the review notice's buttons: "rv:ok:1.c" confirms,
// "rv:back:1.c" asks for the reason of sending it back, which the
// reviewer's next message gives (returnReason).
func (h *summaryHandlers) onReview(ctx context.Context, r *Request) error {
	action, code, ok := strings.Cut(strings.TrimPrefix(r.Text, ReviewPrefix), ":")
	if !ok || code == "" {
		return plan.Errorf(plan.EInvalid, "%s", texts.ConfirmUsage)
	}
	switch action {
	case "ok":
		return h.verdict(ctx, r, code, plan.ConfirmAccepted, "")
	case "back":
		p, _, err := h.core.ResolveTask(ctx, code, "")
		if err != nil {
			return err
		}
		if !isReviewer(r.Officer, h.core.StandingBody(p)) {
			return plan.Errorf(plan.EForbidden, "%s", texts.NotReviewer(h.core.StandingBody(p)))
		}
		if err := h.putReturn(ctx, r.Officer.ID, pendingReturn{code: code, until: r.Now().Add(returnReasonWait)}); err != nil {
			return err
		}
		return r.Reply(ctx, plan.Message{Text: plan.EscapeHTML(texts.AskReturnReason(code))})
	}
	return plan.Errorf(plan.EInvalid, "%s", texts.ConfirmUsage)
}

// returnReason takes a reviewer's next plain message after "Trả lại" as
// the reason, and sends the "done" back with it.
func (h *summaryHandlers) returnReason(next Handler) Handler {
	return HandlerFunc(func(ctx context.Context, e *Event) error {
		text := strings.TrimSpace(e.Text)
		if e.Callback != nil || text == "" || strings.HasPrefix(text, "/") {
			return next.Handle(ctx, e)
		}
		d := h.core.Deps()
		o, err := sender(ctx, d.Officers, e)
		if err != nil {
			return next.Handle(ctx, e)
		}
		pr, ok, err := h.takeReturn(ctx, o.ID)
		if err != nil {
			return h.core.handleError(ctx, e, err)
		}
		if !ok || d.Clock.Now().After(pr.until) {
			return next.Handle(ctx, e)
		}
		r := &Request{Event: e, Officer: o, Text: text, core: h.core}
		return h.core.handleError(ctx, e, h.verdict(ctx, r, pr.code, plan.ConfirmReturned, text))
	})
}

func returnKey(officerID int64) string { return "return:" + strconv.FormatInt(officerID, 10) }

// putReturn remembers a "Trả lại" waiting for its reason: in the database
// when there is one (the reason may reach another replica), else here.
func (h *summaryHandlers) putReturn(ctx context.Context, officerID int64, pr pendingReturn) error {
	if ps := h.core.deps.Pending; ps != nil {
		return ps.PutPending(ctx, returnKey(officerID), pr.code, pr.until)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.returning == nil {
		h.returning = map[int64]pendingReturn{}
	}
	h.returning[officerID] = pr
	return nil
}

// takeReturn returns and forgets the officer's pending "Trả lại".
func (h *summaryHandlers) takeReturn(ctx context.Context, officerID int64) (pendingReturn, bool, error) {
	if ps := h.core.deps.Pending; ps != nil {
		now := h.core.deps.Clock.Now()
		code, ok, err := ps.TakePending(ctx, returnKey(officerID), now)
		return pendingReturn{code: code, until: now.Add(time.Nanosecond)}, ok, err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	pr, ok := h.returning[officerID]
	if ok {
		delete(h.returning, officerID)
	}
	return pr, ok, nil
}

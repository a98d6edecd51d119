package main

import (
	"context"
	"strings"

	"github.com/chanhlo/planbot/bot"
	"github.com/chanhlo/planbot/plan"
)

// webActions lets the web pages confirm, return and set deadlines through
// the chat core: the same rules, messages to the units and audit log as
// /xacnhan, /tralai and /sethan.
type webActions struct{ core *bot.Core }

// typed writes a task as the chat would: its code, with the plan's tag
// before it when several plans run.
func (a webActions) typed(ctx context.Context, planID int64, code string) string {
	ps, err := a.core.ActivePlans(ctx)
	if err != nil || len(ps) < 2 {
		return code
	}
	return bot.PlanTags(ps)[planID] + " " + code
}

func (a webActions) Confirm(ctx context.Context, o *plan.Officer, planID int64, code string) (string, error) {
	return a.core.Verdict(ctx, o, a.typed(ctx, planID, code), plan.ConfirmAccepted, "")
}

func (a webActions) Return(ctx context.Context, o *plan.Officer, planID int64, code, reason string) (string, error) {
	return a.core.Verdict(ctx, o, a.typed(ctx, planID, code), plan.ConfirmReturned, reason)
}

func (a webActions) SetDeadline(ctx context.Context, o *plan.Officer, planID int64, code, when string) (string, error) {
	return a.core.SetDeadline(ctx, o, strings.Fields(a.typed(ctx, planID, code)+" "+when))
}

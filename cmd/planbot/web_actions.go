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
//
// Each goes through the core of the officer's ward: a core acts on its
// ward's plans only.
type webActions struct{ cores map[int64]*bot.Core }

func (a webActions) core(o *plan.Officer) (*bot.Core, error) {
	if c := a.cores[o.OrgID]; c != nil {
		return c, nil
	}
	return nil, plan.Errorf(plan.ENotFound, "Không tìm thấy phường của đồng chí.")
}

// typed writes a task as the chat would: its code, with the plan's tag
// before it when several plans run.
func typed(ctx context.Context, c *bot.Core, planID int64, code string) string {
	ps, err := c.ActivePlans(ctx)
	if err != nil || len(ps) < 2 {
		return code
	}
	return bot.PlanTags(ps)[planID] + " " + code
}

func (a webActions) Confirm(ctx context.Context, o *plan.Officer, planID int64, code string) (string, error) {
	c, err := a.core(o)
	if err != nil {
		return "", err
	}
	return c.Verdict(ctx, o, typed(ctx, c, planID, code), plan.ConfirmAccepted, "")
}

func (a webActions) Return(ctx context.Context, o *plan.Officer, planID int64, code, reason string) (string, error) {
	c, err := a.core(o)
	if err != nil {
		return "", err
	}
	return c.Verdict(ctx, o, typed(ctx, c, planID, code), plan.ConfirmReturned, reason)
}

func (a webActions) SetDeadline(ctx context.Context, o *plan.Officer, planID int64, code, when string) (string, error) {
	c, err := a.core(o)
	if err != nil {
		return "", err
	}
	return c.SetDeadline(ctx, o, strings.Fields(typed(ctx, c, planID, code)+" "+when))
}

package bot

import (
	"context"
	"fmt"
	"strings"

	"github.com/chanhlo/planbot/importer"
	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/progress"
	"github.com/chanhlo/planbot/texts"
)

// A ward runs several plans at once (Đề án 06, chuyển đổi số, cải cách
// hành chính). Each plan has a short tag people can type before a task
// code ("CĐS 2.1 80%"); a code found in one running plan needs no tag,
// and where two plans have it the bot asks which, never guesses.

// ActivePlans returns the organisation's running plans, newest first, or
// an ENotFound *plan.Error when none is.
func (c *Core) ActivePlans(ctx context.Context) ([]plan.Plan, error) {
	memo, _ := ctx.Value(plansMemoKey{}).(*plansMemo)
	var ps []plan.Plan
	if memo != nil && memo.loaded {
		ps = memo.plans
	} else {
		var err error
		load := c.deps.Plans.Plans
		if shared, ok := c.deps.Plans.(sharedPlans); ok {
			// The core only reads plans: no copy needed.
			load = shared.SharedPlans
		}
		if ps, err = load(ctx, c.deps.OrgID); err != nil {
			return nil, fmt.Errorf("load plans: %w", err)
		}
		if memo != nil {
			memo.plans, memo.loaded = ps, true
		}
	}
	ps = plan.ActivePlans(ps)
	if len(ps) == 0 {
		return nil, plan.Errorf(plan.ENotFound, "%s", texts.NoPlan)
	}
	return ps, nil
}

// PlanTags are the tags of the plans, distinct.
func PlanTags(ps []plan.Plan) map[int64]string {
	out := make(map[int64]string, len(ps))
	seen := map[string]int{}
	for i := len(ps) - 1; i >= 0; i-- { // oldest first keeps its tag
		tag := texts.PlanTag(&ps[i])
		if n := seen[importer.Key(tag)]; n > 0 {
			tag = fmt.Sprintf("%s-%d", tag, n+1)
		}
		seen[importer.Key(texts.PlanTag(&ps[i]))]++
		out[ps[i].ID] = tag
	}
	return out
}

// cutPlanTag reads a plan tag typed before the rest ("CĐS 2.1 80%",
// "da06 1.c xong") and returns that plan and the rest.
func cutPlanTag(ps []plan.Plan, text string) (*plan.Plan, string, bool) {
	if len(ps) < 2 {
		return nil, text, false
	}
	head, rest, ok := strings.Cut(strings.TrimSpace(text), " ")
	if !ok {
		return nil, text, false
	}
	tags := PlanTags(ps)
	for i := range ps {
		if importer.Key(tags[ps[i].ID]) == importer.Key(strings.Trim(head, ":,")) {
			return &ps[i], strings.TrimSpace(rest), true
		}
	}
	return nil, text, false
}

// plansWithCode returns the plans having the task code, those where unit
// answers for it first (when unit is given).
func plansWithCode(ps []plan.Plan, code, unit string) []*plan.Plan {
	var mine, others []*plan.Plan
	for i := range ps {
		t := taskByCode(&ps[i], code)
		if t == nil {
			continue
		}
		if _, ok := t.RoleOf(unit); unit != "" && ok {
			mine = append(mine, &ps[i])
		} else {
			others = append(others, &ps[i])
		}
	}
	if len(mine) > 0 {
		return mine
	}
	return others
}

// ResolveTask finds the task a person means by typed ("2.1", "CĐS 2.1",
// "III.2.đ") among the running plans, preferring those where unit
// answers for it; two candidates are an EConflict *plan.Error asking
// which.
func (c *Core) ResolveTask(ctx context.Context, typed, unit string) (*plan.Plan, *plan.Task, error) {
	ps, err := c.ActivePlans(ctx)
	if err != nil {
		return nil, nil, err
	}
	if p, rest, ok := cutPlanTag(ps, typed); ok {
		t, err := FindTask(p, rest)
		return p, t, err
	}
	code, err := progress.ParseTaskCode(typed)
	if err != nil {
		return nil, nil, err
	}
	cands := plansWithCode(ps, code, unit)
	switch len(cands) {
	case 0:
		return nil, nil, plan.Errorf(plan.ENotFound, "%s", texts.UnknownTask(code))
	case 1:
		return cands[0], taskByCode(cands[0], code), nil
	}
	return nil, nil, plan.Errorf(plan.EConflict, "%s", texts.AmbiguousTask(code, tagsOf(ps, cands)))
}

func tagsOf(ps []plan.Plan, cands []*plan.Plan) []string {
	tags := PlanTags(ps)
	out := make([]string, len(cands))
	for i, p := range cands {
		out[i] = tags[p.ID]
	}
	return out
}

// planForText chooses the plan a progress message is about when it does
// not reply to a request: the only running plan; the one named by a tag
// in front (which is cut off the text); else the one plan whose tasks
// have the message's first code.
func (c *Core) planForText(ctx context.Context, r *Request) (*plan.Plan, error) {
	ps, err := c.ActivePlans(ctx)
	if err != nil {
		return nil, err
	}
	if len(ps) == 1 {
		return &ps[0], nil
	}
	if p, rest, ok := cutPlanTag(ps, r.Text); ok {
		r.Text = rest
		return p, nil
	}
	if code, _, ok := progress.CutTaskCode(r.Text); ok {
		unit := ""
		if r.Officer != nil {
			unit = r.Officer.Unit
		}
		cands := plansWithCode(ps, code, unit)
		switch len(cands) {
		case 1:
			return cands[0], nil
		case 0:
		default:
			return nil, plan.Errorf(plan.EConflict, "%s", texts.AmbiguousTask(code, tagsOf(ps, cands)))
		}
	}
	return &ps[0], nil
}

// knownUnits are the units of every running plan.
func (c *Core) knownUnits(ctx context.Context) ([]string, error) {
	ps, err := c.ActivePlans(ctx)
	if plan.ErrorCode(err) == plan.ENotFound {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	var out []string
	seen := map[string]bool{}
	for _, p := range ps {
		for _, u := range p.Units {
			if !seen[u] {
				seen[u] = true
				out = append(out, u)
			}
		}
	}
	return out, nil
}

// plansMemo holds the plans one update's handling loaded: a reply looks
// them up several times (which plan, the code to show), and each load
// asks the database whether they changed. Handle puts one in the
// context; a change of plan made while handling (SetDeadline) clears it.
type plansMemo struct {
	plans  []plan.Plan
	loaded bool
}

type plansMemoKey struct{}

// withPlansMemo returns ctx with an empty plans memo.
func withPlansMemo(ctx context.Context) context.Context {
	return context.WithValue(ctx, plansMemoKey{}, &plansMemo{})
}

// forgetPlans clears ctx's plans memo, if any.
func forgetPlans(ctx context.Context) {
	if m, _ := ctx.Value(plansMemoKey{}).(*plansMemo); m != nil {
		*m = plansMemo{}
	}
}

// sharedPlans is a plan store that can hand out the plans it keeps
// without copying them (storage.DB), for callers that only read them.
type sharedPlans interface {
	SharedPlans(ctx context.Context, orgID int64) ([]plan.Plan, error)
}

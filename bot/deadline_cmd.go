package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/texts"
)

// RegisterDeadline adds /sethan (/setdeadline) for the secretariat:
//
//	/sethan 1.a 30/6/2023     the task's condition is met: due 30/6/2023
//	/sethan 1.a thuongxuyen   the condition is met, no fixed date: the
//	                          task is reported monthly from this month
//
// Only tasks that wait for a condition or whose deadline was not
// understood take it; the phrase of the plan is kept in Deadline.Text.
func RegisterDeadline(c *Core) {
	c.AddCommand(Command{Name: "sethan", Aliases: []string{"setdeadline"},
		Description:   texts.CmdSetDeadline,
		DescriptionEN: texts.CmdSetDeadlineEN,
		Usage:         texts.UsageSetDeadline,
		Roles:         []plan.Role{plan.RoleSecretariat},
		Run:           func(ctx context.Context, r *Request) error { return setDeadline(ctx, c, r) },
	})
}

// deadlineArg is a parsed /sethan: a due date, or ongoing when Due is zero.
type deadlineArg struct {
	Code string
	Due  plan.Date
}

// parseDeadlineArgs reads "MÃ NGÀY" or "MÃ thuongxuyen". Dates are
// d/m/yyyy (also with - or .); "thường xuyên", "thuongxuyen" and
// "thuong-xuyen" mean ongoing.
func parseDeadlineArgs(args []string) (deadlineArg, error) {
	if len(args) < 2 {
		return deadlineArg{}, plan.Errorf(plan.EInvalid, "%s", texts.SetDeadlineUsage)
	}
	a := deadlineArg{Code: strings.TrimSuffix(strings.ToLower(args[0]), ".")}
	if a.Code == "" || len(a.Code) > 16 {
		return a, plan.Errorf(plan.EInvalid, "%s", texts.SetDeadlineUsage)
	}
	rest := strings.ToLower(strings.Join(args[1:], ""))
	rest = strings.NewReplacer("-", "", "_", "").Replace(rest)
	if rest == "thuongxuyen" || rest == "thườngxuyên" {
		return a, nil
	}
	if len(args) != 2 {
		return a, plan.Errorf(plan.EInvalid, "%s", texts.SetDeadlineUsage)
	}
	parts := strings.Split(strings.NewReplacer("-", "/", ".", "/").Replace(args[1]), "/")
	if len(parts) != 3 {
		return a, plan.Errorf(plan.EInvalid, "%s", texts.DeadlineBadDate(args[1], true))
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 || p == "" || len(p) > 4 {
			return a, plan.Errorf(plan.EInvalid, "%s", texts.DeadlineBadDate(args[1], false))
		}
		n[i] = v
	}
	d := plan.NewDate(n[2], time.Month(n[1]), n[0])
	if n[2] < 2000 || n[2] > 2100 || d.Day != n[0] || int(d.Month) != n[1] {
		return a, plan.Errorf(plan.EInvalid, "%s", texts.DeadlineNoSuchDay(args[1]))
	}
	a.Due = d
	return a, nil
}

func setDeadline(ctx context.Context, c *Core, r *Request) error {
	reply, err := c.SetDeadline(ctx, r.Officer, r.Args)
	if err != nil {
		return err
	}
	return r.Reply(ctx, plan.Message{Text: reply})
}

// SetDeadline gives a conditional or undated task its deadline, as the
// secretariat's /sethan does ("2.đ 30/9/2023", "CĐS 2.1 thuongxuyen"),
// for the chat and the web pages alike; it returns the answer (HTML of
// plan.Message). o may be nil (no actor in the audit log).
func (c *Core) SetDeadline(ctx context.Context, o *plan.Officer, args []string) (string, error) {
	tag := ""
	if len(args) >= 3 {
		// "/sethan CĐS 2.1 30/9/2025": a plan's tag before the code.
		if ps, err := c.ActivePlans(ctx); err == nil {
			if _, _, ok := cutPlanTag(ps, args[0]+" "+args[1]); ok {
				tag, args = args[0]+" ", args[1:]
			}
		}
	}
	a, err := parseDeadlineArgs(args)
	if err != nil {
		return "", err
	}
	d := c.Deps()
	// Every spelling /xem accepts: "2.dd", "2đ", "III.2.đ"; archived
	// plans are history.
	p, t, err := c.ResolveTask(ctx, tag+a.Code, "")
	switch {
	case plan.ErrorCode(err) == plan.ENotFound, plan.ErrorCode(err) == plan.EInvalid:
		return "", plan.Errorf(plan.ENotFound, "%s", texts.DeadlineNoTask(a.Code))
	case err != nil:
		return "", err
	}
	if k := t.Deadline.Kind; k != plan.DeadlineConditional && k != plan.DeadlineOpen {
		return "", plan.Errorf(plan.EConflict, "%s", texts.DeadlineAlreadySet(t.Code, t.Deadline.Text))
	}
	now := c.Now()
	today := plan.DateOf(now)
	nd := plan.Deadline{Text: t.Deadline.Text}
	var reply string
	if a.Due.IsZero() {
		nd.Kind, nd.Recurrence, nd.Start = plan.DeadlineRecurring, plan.RecurOngoing, plan.NewDate(today.Year, today.Month, 1)
		reply = texts.DeadlineOngoing(t.Code, t.Title, plan.MonthOf(today), t.Deadline.Text)
	} else {
		if a.Due.Before(today) {
			return "", plan.Errorf(plan.EInvalid, "%s", texts.DeadlinePast(a.Due))
		}
		nd.Kind, nd.Due = plan.DeadlineDate, a.Due
		reply = texts.DeadlineSet(t.Code, t.Title, a.Due, t.Deadline.Text)
	}
	if err := d.Plans.SetDeadline(ctx, p.ID, t.Code, nd, today); err != nil {
		return "", fmt.Errorf("sethan %s: %w", t.Code, err)
	}
	forgetPlans(ctx)
	var actor int64
	if o != nil {
		actor = o.ID
	}
	detail := fmt.Sprintf("plan %d task %s: %s → %s %s", p.ID, t.Code, t.Deadline.Kind, nd.Kind, nd.Due.String())
	if err := d.Audit.Audit(ctx, plan.AuditEntry{OrgID: d.OrgID, At: now, ActorID: actor, Action: "set_deadline", Detail: detail}); err != nil {
		return "", fmt.Errorf("sethan audit: %w", err)
	}
	return reply, nil
}

package bot

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/chanhlo/planbot/importer"
	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/summary"
	"github.com/chanhlo/planbot/texts"
)

// SummaryDeps is what the summary and confirmation commands work with.
type SummaryDeps struct {
	// Source computes summaries from the stores.
	Source *summary.Source
	// Document renders the .xlsx attachment (xlsx.Document, wired by
	// cmd/planbot); nil sends text only.
	Document func(*summary.Summary) (*plan.Document, error)
	// Report drafts the báo cáo (.docx) dated day (wired by
	// cmd/planbot); nil sends none.
	Report func(ctx context.Context, s *summary.Summary, day plan.Date) (*plan.Document, error)
}

// RegisterSummary adds /tonghop (/summary) for the chairman and the
// secretariat, and /xacnhan and /tralai for the secretariat.
func RegisterSummary(c *Core, d SummaryDeps) {
	h := &summaryHandlers{core: c, deps: d}
	c.AddCommand(Command{Name: "tonghop", Aliases: []string{"summary"},
		Description: texts.CmdSummary, DescriptionEN: texts.CmdSummaryEN,
		Usage: texts.UsageSummary, Roles: []plan.Role{plan.RoleChairman, plan.RoleSecretariat}, Run: h.cmdSummary})
	// The standing body confirms too; verdict checks the officer's unit.
	reviewers := []plan.Role{plan.RoleSecretariat, plan.RoleOfficer, plan.RoleDeputy}
	c.AddCommand(Command{Name: "xacnhan", Aliases: []string{"confirm"},
		Description: texts.CmdConfirm, DescriptionEN: texts.CmdConfirmEN,
		Usage: texts.UsageConfirm, Roles: reviewers, Run: h.cmdConfirm})
	c.AddCommand(Command{Name: "tralai", Aliases: []string{"return"},
		Description: texts.CmdReturn, DescriptionEN: texts.CmdReturnEN,
		Usage: texts.UsageReturn, Roles: reviewers, Run: h.cmdReturn})
	c.AddCallback(ReviewPrefix, reviewers, h.onReview)
	c.Use(h.returnReason)
}

type summaryHandlers struct {
	core *Core
	deps SummaryDeps

	mu sync.Mutex
	// returning holds, per officer, the task whose "done" they pressed
	// "Trả lại" on, until their next message gives the reason.
	returning map[int64]pendingReturn
}

// pendingReturn is a "Trả lại" pressed, waiting for its reason.
type pendingReturn struct {
	code  string
	until time.Time
}

// returnReasonWait is how long a "Trả lại" waits for its reason.
const returnReasonWait = time.Hour

// cmdSummary answers /tonghop [kỳ] [kế hoạch | chung]: the last full
// month by default, a period still running judged as of today. With
// several running plans each gets its own summary, unless a plan's tag
// names one or "chung" (all) asks for the combined overview.
func (h *summaryHandlers) cmdSummary(ctx context.Context, r *Request) error {
	now := r.Now()
	plans, err := h.core.ActivePlans(ctx)
	if err != nil {
		return err
	}
	arg := strings.TrimSpace(r.Text)
	combined := false
	if rest, ok := cutCombined(arg); ok {
		arg, combined = rest, true
	}
	if p, rest, ok := cutPlanTag(plans, arg); ok {
		plans, arg = []plan.Plan{*p}, rest
	} else if p, rest, ok := cutPlanTagAtEnd(plans, arg); ok {
		plans, arg = []plan.Plan{*p}, rest
	}
	period := summary.LastFullMonth(now, h.core.Location())
	if arg != "" {
		p, err := plan.ParsePeriod(arg)
		if err != nil {
			return plan.Errorf(plan.EInvalid, "%s", err.Error())
		}
		period = p
	}
	asOf := plan.Date{}
	if today := plan.DateOf(now); period.Contains(today) {
		asOf = today
	} else if period.Start().After(today) {
		return plan.Errorf(plan.EInvalid, "%s", texts.SummaryNotStarted(period))
	}
	// Building a summary and its workbook takes a moment: say so where
	// the messenger can (Zalo's "typing").
	h.core.typing(ctx, r.Event.Address())
	if combined && len(plans) > 1 {
		var lines []string
		for i := range plans {
			s, err := h.deps.Source.SummaryOf(ctx, &plans[i], period, asOf)
			if err != nil {
				return err
			}
			l := s.Lines(false)
			lines = append(lines, l[:min(len(l), 2+btoi(s.AsOf != s.Period.End()))]...)
		}
		return r.Reply(ctx, plan.Message{Text: strings.Join(lines, "\n\n")})
	}
	for i := range plans {
		if err := h.sendSummary(ctx, r, &plans[i], period, asOf, now); err != nil {
			return err
		}
	}
	return nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// cutCombined reads "chung" / "tất cả" / "all" at either end of the
// arguments.
func cutCombined(arg string) (string, bool) {
	f := strings.Fields(arg)
	if len(f) == 0 {
		return arg, false
	}
	for _, i := range []int{0, len(f) - 1} {
		switch importer.Key(f[i]) {
		case "chung", "tatca", "all", "gop":
			return strings.Join(append(append([]string(nil), f[:i]...), f[i+1:]...), " "), true
		}
	}
	return arg, false
}

// cutPlanTagAtEnd is cutPlanTag for a tag after the period
// ("/tonghop 05/2023 CĐS").
func cutPlanTagAtEnd(ps []plan.Plan, arg string) (*plan.Plan, string, bool) {
	i := strings.LastIndex(arg, " ")
	if i < 0 {
		if p, _, ok := cutPlanTag(ps, arg+" x"); ok {
			return p, "", true
		}
		return nil, arg, false
	}
	if p, _, ok := cutPlanTag(ps, arg[i+1:]+" x"); ok {
		return p, strings.TrimSpace(arg[:i]), true
	}
	return nil, arg, false
}

// sendSummary replies with plan p's summary of period, its workbook and
// its draft báo cáo.
func (h *summaryHandlers) sendSummary(ctx context.Context, r *Request, p *plan.Plan, period plan.Period, asOf plan.Date, now time.Time) error {
	s, err := h.deps.Source.SummaryOf(ctx, p, period, asOf)
	if err != nil {
		return err
	}
	caps := r.Capabilities()
	var doc *plan.Document
	if h.deps.Document != nil && (caps.Documents || h.core.deps.FileLinks != nil) {
		if doc, err = h.deps.Document(s); err != nil {
			return fmt.Errorf("summary %s workbook: %w", period, err)
		}
	}
	parts := s.Text(summary.TextOptions{MaxText: caps.MaxText, Attached: doc != nil && caps.Documents})
	for i, part := range parts {
		m := plan.Message{Text: part}
		if i == len(parts)-1 {
			m.Document = doc
		}
		if err := r.Reply(ctx, m); err != nil {
			return err
		}
	}
	if h.deps.Report != nil && (caps.Documents || h.core.deps.FileLinks != nil) {
		word, err := h.deps.Report(ctx, s, plan.DateOf(now))
		if err != nil {
			return fmt.Errorf("báo cáo %s: %w", period, err)
		}
		return r.Reply(ctx, plan.Message{Text: texts.ReportCaption(period), Document: word})
	}
	return nil
}

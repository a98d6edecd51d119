package summary

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/texts"
)

// Source computes summaries of the organisation's current plan (the
// newest) from the stores.
type Source struct {
	Plans    plan.PlanStore
	Progress plan.ProgressStore
	// Workdays tells working days (*calendar.Calendar); nil: weekdays.
	Workdays    Workdays
	Loc         *time.Location
	DueSoonDays int
	OrgID       int64
	// Officers, when set, tells which units blocked the bot or never
	// registered, so the summary names them apart.
	Officers plan.OfficerStore
}

// ActivePlans returns the organisation's running plans, newest first,
// or an ENotFound *plan.Error when none runs.
func (s *Source) ActivePlans(ctx context.Context) ([]plan.Plan, error) {
	org := s.OrgID
	if org == 0 {
		org = plan.DefaultOrg
	}
	ps, err := s.Plans.Plans(ctx, org)
	if err != nil {
		return nil, fmt.Errorf("plans: %w", err)
	}
	ps = plan.ActivePlans(ps)
	if len(ps) == 0 {
		return nil, plan.Errorf(plan.ENotFound, "%s", texts.NoPlan)
	}
	return ps, nil
}

// CurrentPlan returns the organisation's newest running plan.
func (s *Source) CurrentPlan(ctx context.Context) (*plan.Plan, error) {
	ps, err := s.ActivePlans(ctx)
	if err != nil {
		return nil, err
	}
	return &ps[0], nil
}

// Summary summarises the current plan for period as of asOf (zero: the
// period's end).
func (s *Source) Summary(ctx context.Context, period plan.Period, asOf plan.Date) (*Summary, error) {
	p, err := s.CurrentPlan(ctx)
	if err != nil {
		return nil, err
	}
	return s.SummaryOf(ctx, p, period, asOf)
}

// SummaryOf summarises plan p. Every report that can change the summary
// is read, however old, so that a task finished in an earlier month
// stays finished; a store that can (plan.SummaryProgressStore) reads only
// those (see scopeOf), others the plan's whole history.
func (s *Source) SummaryOf(ctx context.Context, p *plan.Plan, period plan.Period, asOf plan.Date) (*Summary, error) {
	opt := Options{Period: period, AsOf: asOf, Loc: s.Loc, Workdays: s.Workdays, DueSoonDays: s.DueSoonDays}
	var reports []plan.Progress
	var err error
	if sp, ok := s.Progress.(plan.SummaryProgressStore); ok {
		reports, err = sp.SummaryProgress(ctx, scopeOf(p, opt))
	} else {
		reports, err = s.Progress.ListProgress(ctx, plan.ProgressFilter{OrgID: p.OrgID, PlanID: p.ID})
	}
	if err != nil {
		return nil, fmt.Errorf("progress of plan %d: %w", p.ID, err)
	}
	if s.Officers != nil {
		officers, err := s.Officers.Officers(ctx, p.OrgID)
		if err != nil {
			return nil, fmt.Errorf("officers: %w", err)
		}
		opt.Unreachable, opt.Unregistered = UnitsBehind(p, officers)
	}
	return Compute(p, reports, opt), nil
}

// UnitsBehind returns the plan's units that cannot be reached: every
// registered officer (and deputy) blocked the bot; and those with nobody
// registered.
func UnitsBehind(p *plan.Plan, officers []plan.Officer) (unreachable, unregistered []string) {
	registered, reachable := map[string]bool{}, map[string]bool{}
	for _, o := range officers {
		if o.Active && o.Unit != "" && (o.Role == plan.RoleOfficer || o.Role == plan.RoleDeputy) {
			registered[o.Unit] = true
			reachable[o.Unit] = reachable[o.Unit] || o.Reachable()
		}
	}
	for _, u := range p.Units {
		switch {
		case !registered[u]:
			unregistered = append(unregistered, u)
		case !reachable[u]:
			unreachable = append(unreachable, u)
		}
	}
	return unreachable, unregistered
}

// LastFullMonth is the month before the one now falls in (in loc).
func LastFullMonth(now time.Time, loc *time.Location) plan.Period {
	if loc != nil {
		now = now.In(loc)
	}
	return plan.MonthOf(plan.DateOf(now)).Prev()
}

// Periodic sends the monthly summary and, once a quarter has ended, the
// quarterly one, to the chairman with a copy to the secretariat, through
// the outbox.
type Periodic struct {
	Source   *Source
	Officers plan.OfficerStore
	Outbox   plan.Outbox
	// Capabilities tells what a transport carries (MaxText, Documents).
	Capabilities func(transport string) plan.Capabilities
	// Document renders the .xlsx attachment (xlsx.Document); nil: none.
	Document func(*Summary) (*plan.Document, error)
	// Report drafts the báo cáo (.docx) dated day, sent after the
	// summary as a message of its own; nil: none.
	Report func(ctx context.Context, s *Summary, day plan.Date) (*plan.Document, error)
	// MonthlyDay is the day of the month the current month's summary goes
	// out, as of that day ("đến nay": reports are requested on the 18th
	// and chased on the 20th, the month is not over). QuarterlyDay is the
	// last day of a quarter's next month on which the quarter's summary,
	// judged as of the quarter's end, goes out: it is sent on the first
	// office hour from the 1st, so tasks due on the quarter's last day
	// count; 0: no quarterly summary.
	MonthlyDay   int
	QuarterlyDay int
	Logger       *slog.Logger
}

// SendPeriodic enqueues the summaries due at now: the quarter that ended,
// on days 1 to QuarterlyDay of the month after it, judged as of its end;
// the current month's, as of today, from MonthlyDay. Never both on one
// day: when MonthlyDay ≤ QuarterlyDay the month's waits until the
// quarter's days are over, so the chairman never gets two summaries back
// to back. No summary of a period
// that ended before the plan was imported goes out. Outbox keys
// ("summary|2023-05|officer:7") make it idempotent: call it from every
// scheduler tick, on every replica.
func (ps *Periodic) SendPeriodic(ctx context.Context, now time.Time) error {
	today := plan.DateOf(now.In(ps.loc()))
	plans, err := ps.Source.ActivePlans(ctx)
	if plan.ErrorCode(err) == plan.ENotFound {
		return nil
	} else if err != nil {
		return err
	}
	q, quarterDays := EndedQuarter(today, ps.QuarterlyDay)
	m := plan.MonthOf(today)
	for i := range plans {
		p := &plans[i]
		// A period that ended before the plan was imported has nothing
		// to report: the bot was not following the plan then.
		var since plan.Date
		if !p.CreatedAt.IsZero() {
			since = plan.DateOf(p.CreatedAt.In(ps.loc()))
		}
		suffix := planKeySuffix(plans, i)
		if quarterDays && (since.IsZero() || !q.End().Before(since)) {
			if _, err := ps.sendPlan(ctx, p, suffix, q, plan.Date{}, now); err != nil {
				return err
			}
		}
		// On the quarter's days the month waits (see above).
		if !quarterDays && today.Day >= max(ps.MonthlyDay, 1) && (since.IsZero() || !m.End().Before(since)) {
			if _, err := ps.sendPlan(ctx, p, suffix, m, today, now); err != nil {
				return err
			}
		}
	}
	return nil
}

// planKeySuffix tells the outbox keys of one plan's summaries from
// another's: the oldest running plan keeps the plain key (a ward with
// one plan, as before there could be several), the others add their id.
func planKeySuffix(plans []plan.Plan, i int) string {
	if i == len(plans)-1 {
		return ""
	}
	return "|plan:" + strconv.FormatInt(plans[i].ID, 10)
}

// EndedQuarter returns the quarter before today's when today is one of
// the days 1 to quarterlyDay of the month after it: the days its summary
// goes out.
func EndedQuarter(today plan.Date, quarterlyDay int) (plan.Period, bool) {
	if int(today.Month)%3 != 1 || today.Day > quarterlyDay {
		return plan.Period{}, false
	}
	return plan.Period{Kind: plan.PeriodQuarter, Year: today.Year, N: (int(today.Month)-1)/3 + 1}.Prev(), true
}

// Send enqueues the summary of period, as of its end, to the chairman
// and the secretariat and returns how many items were new.
func (ps *Periodic) Send(ctx context.Context, period plan.Period, now time.Time) (int, error) {
	return ps.SendAsOf(ctx, period, plan.Date{}, now)
}

// SendAsOf is Send with the summary judged as of asOf (zero: the
// period's end), for every running plan.
func (ps *Periodic) SendAsOf(ctx context.Context, period plan.Period, asOf plan.Date, now time.Time) (int, error) {
	plans, err := ps.Source.ActivePlans(ctx)
	if err != nil {
		return 0, err
	}
	total := 0
	for i := range plans {
		n, err := ps.sendPlan(ctx, &plans[i], planKeySuffix(plans, i), period, asOf, now)
		if err != nil {
			return total, err
		}
		total += n
	}
	return total, nil
}

// sendPlan enqueues plan p's summary of period; suffix tells its keys
// from other plans'.
func (ps *Periodic) sendPlan(ctx context.Context, p *plan.Plan, suffix string, period plan.Period, asOf plan.Date, now time.Time) (int, error) {
	org := p.OrgID
	if org == 0 {
		org = plan.DefaultOrg
	}
	officers, err := ps.Officers.Officers(ctx, org)
	if err != nil {
		return 0, fmt.Errorf("officers: %w", err)
	}
	var to []plan.Officer
	for _, o := range officers {
		if o.Active && (o.Role == plan.RoleChairman || o.Role == plan.RoleSecretariat) {
			to = append(to, o)
		}
	}
	if len(to) == 0 {
		return 0, nil
	}
	s, err := ps.Source.SummaryOf(ctx, p, period, asOf)
	if err != nil {
		return 0, fmt.Errorf("summary %s: %w", period, err)
	}
	var doc *plan.Document
	if ps.Document != nil {
		if doc, err = ps.Document(s); err != nil {
			return 0, fmt.Errorf("summary %s document: %w", period, err)
		}
	}
	var items []plan.OutboxItem
	for _, o := range to {
		caps := plan.Capabilities{MaxText: 4096}
		if ps.Capabilities != nil {
			caps = ps.Capabilities(o.Address.Transport)
		}
		// A messenger that cannot carry the file (Zalo) turns it into a
		// download link, or a note when it has none.
		attach := doc != nil
		parts := s.Text(TextOptions{MaxText: caps.MaxText, Attached: attach && caps.Documents})
		key := SummaryKey(period, o.ID) + suffix
		for i, part := range parts {
			m := plan.Message{Text: part}
			k := key
			if i > 0 {
				k = key + "|part:" + strconv.Itoa(i+1)
			}
			if attach && i == len(parts)-1 {
				m.Document = doc
			}
			items = append(items, plan.OutboxItem{
				OrgID: org, Key: k, OfficerID: o.ID, Address: o.Address, Message: m, NotBefore: now,
				Context: plan.ReplyContext{Kind: plan.ReplySummary, PlanID: s.PlanID, Period: period.String(), Copy: o.Role != plan.RoleChairman},
			})
		}
	}
	if ps.Report != nil {
		day := plan.DateOf(now.In(ps.loc()))
		word, err := ps.Report(ctx, s, day)
		if err != nil {
			return 0, fmt.Errorf("báo cáo %s: %w", period, err)
		}
		for _, o := range to {
			items = append(items, plan.OutboxItem{
				OrgID: org, Key: SummaryKey(period, o.ID) + suffix + "|report", OfficerID: o.ID, Address: o.Address, NotBefore: now,
				Message: plan.Message{Text: texts.ReportCaption(period), Document: word},
				Context: plan.ReplyContext{Kind: plan.ReplySummary, PlanID: s.PlanID, Period: period.String(), Copy: o.Role != plan.RoleChairman},
			})
		}
	}
	n, err := ps.Outbox.Enqueue(ctx, items...)
	if err != nil {
		return 0, fmt.Errorf("enqueue summary %s: %w", period, err)
	}
	if n > 0 && ps.Logger != nil {
		ps.Logger.Info("summary enqueued", "period", period.String(), "items", n)
	}
	return n, nil
}

// SummaryKey is the outbox key of a period's summary to an officer.
func SummaryKey(p plan.Period, officerID int64) string {
	return "summary|" + p.String() + "|officer:" + strconv.FormatInt(officerID, 10)
}

func (ps *Periodic) loc() *time.Location {
	if ps.Source != nil && ps.Source.Loc != nil {
		return ps.Source.Loc
	}
	return time.UTC
}

package bot

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/summary"
	"github.com/chanhlo/planbot/texts"
)

// ProvinceDeps are what the province's commands need.
type ProvinceDeps struct {
	// RollUp rolls up every ward of the deployment for period, as of
	// asOf (zero: the period's end).
	RollUp func(ctx context.Context, period plan.Period, asOf plan.Date) (*summary.Province, error)
	// Document is the roll-up's workbook (a summary sheet and a sheet per
	// ward); nil: the text only.
	Document func(p *summary.Province) (*plan.Document, error)
}

// RegisterProvince adds the commands of the level above the wards to c,
// the core of the province's organisation: /tonghop rolls up every ward
// (their reporting rates, tasks done, overdue and blocked, their weakest
// figures, the wards that have not reported) with the workbook attached.
// The province's officers (plan.RoleProvince) use no ward's plan from the
// inside: the plan commands are the wards' roles' only.
func RegisterProvince(c *Core, d ProvinceDeps) {
	h := &provinceHandlers{core: c, deps: d}
	c.AddCommand(Command{Name: "tonghop", Aliases: []string{"summary", "tinh", "province"},
		Description: texts.CmdProvince, DescriptionEN: texts.CmdProvinceEN,
		Usage: texts.UsageSummary, Roles: []plan.Role{plan.RoleProvince}, Run: h.cmdRollUp})
}

type provinceHandlers struct {
	core *Core
	deps ProvinceDeps
}

func (h *provinceHandlers) cmdRollUp(ctx context.Context, r *Request) error {
	now := r.Now()
	period := summary.LastFullMonth(now, h.core.Location())
	if arg := strings.TrimSpace(r.Text); arg != "" {
		p, err := plan.ParsePeriod(arg)
		if err != nil {
			return plan.Errorf(plan.EInvalid, "%s", err.Error())
		}
		period = p
	}
	asOf := plan.Date{}
	if today := plan.DateOf(now.In(h.core.Location())); period.Contains(today) {
		asOf = today
	} else if period.Start().After(today) {
		return plan.Errorf(plan.EInvalid, "%s", texts.SummaryNotStarted(period))
	}
	h.core.typing(ctx, r.Event.Address())
	p, err := h.deps.RollUp(ctx, period, asOf)
	if err != nil {
		return fmt.Errorf("province roll-up %s: %w", period, err)
	}
	msgs, err := ProvinceMessages(p, r.Capabilities(), h.deps.Document, h.core.deps.FileLinks != nil)
	if err != nil {
		return err
	}
	for _, m := range msgs {
		if err := r.Reply(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

// ProvinceMessages are the roll-up as messages for a messenger with caps:
// the text, split to its size, the workbook on the last part when it
// takes documents (or when download links stand in for them).
func ProvinceMessages(p *summary.Province, caps plan.Capabilities, document func(*summary.Province) (*plan.Document, error), links bool) ([]plan.Message, error) {
	if len(p.Wards) == 0 {
		return []plan.Message{{Text: texts.ProvinceNoWards}}, nil
	}
	var doc *plan.Document
	if document != nil && (caps.Documents || links) {
		var err error
		if doc, err = document(p); err != nil {
			return nil, fmt.Errorf("province workbook %s: %w", p.Period, err)
		}
	}
	parts := p.Text(summary.ProvinceTextOptions{MaxText: caps.MaxText, Attached: doc != nil && caps.Documents})
	msgs := make([]plan.Message, len(parts))
	for i, part := range parts {
		msgs[i] = plan.Message{Text: part}
	}
	if len(msgs) > 0 {
		msgs[len(msgs)-1].Document = doc
	}
	return msgs, nil
}

// ProvincePeriodic sends the month's roll-up to the province's officers,
// through the outbox, after the wards' own monthly summaries: from the
// wards' monthly day on (their summaries go at 08:00, this job runs
// later), judged as of today, as theirs are. Outbox keys
// ("province|2023-05|officer:7") make it idempotent: call it every day.
type ProvincePeriodic struct {
	Deps     ProvinceDeps
	Officers plan.OfficerStore
	Outbox   plan.Outbox
	// OrgID is the province's organisation, whose RoleProvince officers
	// receive the roll-up.
	OrgID int64
	// Capabilities tells what a transport carries (MaxText, Documents).
	Capabilities func(transport string) plan.Capabilities
	MonthlyDay   int
	Location     *time.Location
	Logger       *slog.Logger
}

// ProvinceKey is the outbox key of a period's roll-up to an officer.
func ProvinceKey(p plan.Period, officerID int64) string {
	return "province|" + p.String() + "|officer:" + strconv.FormatInt(officerID, 10)
}

// SendPeriodic enqueues the current month's roll-up when it is due at now.
func (pp *ProvincePeriodic) SendPeriodic(ctx context.Context, now time.Time) error {
	today := plan.DateOf(now.In(pp.Location))
	if today.Day < max(pp.MonthlyDay, 1) {
		return nil
	}
	_, err := pp.Send(ctx, plan.MonthOf(today), today, now)
	return err
}

// Send enqueues the roll-up of period as of asOf (zero: its end) to every
// officer of the province and returns how many items were new.
func (pp *ProvincePeriodic) Send(ctx context.Context, period plan.Period, asOf plan.Date, now time.Time) (int, error) {
	officers, err := pp.Officers.Officers(ctx, pp.OrgID)
	if err != nil {
		return 0, fmt.Errorf("province officers: %w", err)
	}
	var to []plan.Officer
	for _, o := range officers {
		if o.Active && o.Role == plan.RoleProvince {
			to = append(to, o)
		}
	}
	if len(to) == 0 {
		return 0, nil
	}
	p, err := pp.Deps.RollUp(ctx, period, asOf)
	if err != nil {
		return 0, fmt.Errorf("province roll-up %s: %w", period, err)
	}
	var items []plan.OutboxItem
	for _, o := range to {
		caps := plan.Capabilities{MaxText: 4096, Documents: true}
		if pp.Capabilities != nil {
			caps = pp.Capabilities(o.Address.Transport)
		}
		// A messenger without files (Zalo) gets the workbook as a
		// download link, as the wards' summaries do.
		msgs, err := ProvinceMessages(p, plan.Capabilities{MaxText: caps.MaxText, Documents: caps.Documents}, pp.Deps.Document, true)
		if err != nil {
			return 0, err
		}
		key := ProvinceKey(period, o.ID)
		for i, m := range msgs {
			k := key
			if i > 0 {
				k += "|part:" + strconv.Itoa(i+1)
			}
			items = append(items, plan.OutboxItem{
				OrgID: pp.OrgID, Key: k, OfficerID: o.ID, Address: o.Address, Message: m, NotBefore: now,
				Context: plan.ReplyContext{Kind: plan.ReplySummary, Period: period.String()},
			})
		}
	}
	n, err := pp.Outbox.Enqueue(ctx, items...)
	if err != nil {
		return 0, fmt.Errorf("enqueue province roll-up %s: %w", period, err)
	}
	if n > 0 && pp.Logger != nil {
		pp.Logger.Info("province roll-up enqueued", "period", period.String(), "items", n)
	}
	return n, nil
}

package main

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/chanhlo/planbot/bot"
	"github.com/chanhlo/planbot/configs"
	"github.com/chanhlo/planbot/docx"
	"github.com/chanhlo/planbot/importer"
	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/report"
	"github.com/chanhlo/planbot/scheduler"
	"github.com/chanhlo/planbot/storage"
	"github.com/chanhlo/planbot/summary"
	"github.com/chanhlo/planbot/texts"
	"github.com/chanhlo/planbot/web"
	"github.com/chanhlo/planbot/xlsx"
)

// Ward is one organisation's part of a running deployment: its chat
// core, bound to the organisation, its scheduler (reminders, summaries,
// chasers on its own calendar of jobs) and its summaries. The database,
// the dispatcher and the bots are the deployment's.
type Ward struct {
	Org plan.Organisation
	// Config is the deployment's configuration with the ward's
	// overrides (its name, signer, standing body).
	Config      configs.Config
	Core        *bot.Core
	Scheduler   *scheduler.Scheduler
	Periodic    *summary.Periodic
	Broadcaster *bot.Broadcaster
	Source      *summary.Source
	// Province is the monthly roll-up of the level above; nil for a ward
	// (and Periodic, Broadcaster nil for the province).
	Province *bot.ProvincePeriodic

	m *Main
}

// wardDeps are what every ward's parts share.
type wardDeps struct {
	officers *storage.OfficerStore
	updates  plan.UpdateLog
	leader   plan.Leader
	links    *web.Downloads
	auth     *web.Auth
	botNames map[string]string
	pol      scheduler.Policy
}

// wardsToServe are the organisations this Main serves: the one OrgID
// names (serve --org), or every one in the database.
func (m *Main) wardsToServe(ctx context.Context) ([]plan.Organisation, error) {
	if m.OrgID != 0 {
		o, err := m.DB.Organisation(ctx, m.OrgID)
		if err != nil {
			return nil, fmt.Errorf("ward %d: %w", m.OrgID, err)
		}
		return []plan.Organisation{*o}, nil
	}
	orgs, err := m.DB.Organisations(ctx)
	if err != nil {
		return nil, fmt.Errorf("wards: %w", err)
	}
	if len(orgs) == 0 {
		return nil, fmt.Errorf("wards: the database has none")
	}
	return orgs, nil
}

// WardTokenEnv is the environment variable holding the token of a ward's
// own Telegram bot: PLANBOT_TELEGRAM_TOKEN_CHANH_LO for ward chanh-lo.
func WardTokenEnv(short string) string { return wardEnvName("PLANBOT_TELEGRAM_TOKEN_", short) }

// wardToken is the token of the ward's own Telegram bot, "" when it
// shares the deployment's. A ward without a short name has none.
func (m *Main) wardToken(o plan.Organisation) string { return m.wardEnv(o, WardTokenEnv) }

// WardZaloTokenEnv is the environment variable holding the token of a
// ward's own Zalo bot: PLANBOT_ZALO_TOKEN_CHANH_LO for ward chanh-lo.
func WardZaloTokenEnv(short string) string { return wardEnvName("PLANBOT_ZALO_TOKEN_", short) }

// wardEnvName is prefix and the ward's short name in capitals, "_" for "-".
func wardEnvName(prefix, short string) string {
	return prefix + strings.ToUpper(strings.ReplaceAll(short, "-", "_"))
}

// wardZaloToken is the token of the ward's own Zalo bot, "" when it
// shares the deployment's.
func (m *Main) wardZaloToken(o plan.Organisation) string { return m.wardEnv(o, WardZaloTokenEnv) }

// wardEnv reads the ward's variable named by name(short), "" for a ward
// without a short name.
func (m *Main) wardEnv(o plan.Organisation, name func(short string) string) string {
	if o.Short == "" {
		return ""
	}
	getenv := m.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	return strings.TrimSpace(getenv(name(o.Short)))
}

// wardTransportName names a ward's own bot of a messenger in addresses
// and the update log ("telegram/chanh-lo"): see telegram.Config.Name;
// plan.MessengerOf reads the messenger back.
func wardTransportName(messenger string, o plan.Organisation) string {
	return messenger + "/" + o.Short
}

// ownsMessenger reports whether a ward's own bots include one of the
// messenger: then it is not on the shared bot of that messenger.
func ownsMessenger(own []bot.Transport, messenger string) bool {
	return slices.ContainsFunc(own, func(t bot.Transport) bool { return plan.MessengerOf(t.Name()) == messenger })
}

// capabilitiesOf tells what a transport among senders carries; an
// unknown one is taken as plain text of Zalo's length.
func capabilitiesOf(senders map[string]plan.Sender) func(string) plan.Capabilities {
	return func(name string) plan.Capabilities {
		if s, ok := senders[name]; ok {
			return s.Capabilities()
		}
		return plan.Capabilities{MaxText: 2000}
	}
}

// newScheduler is the scheduler of organisation o with opts, sharing
// the deployment's leader lease.
func (m *Main) newScheduler(o plan.Organisation, d wardDeps, opts ...scheduler.Option) (*scheduler.Scheduler, error) {
	opts = append(opts, scheduler.WithClock(m.Clock), scheduler.WithLogger(m.Logger.With("ward", o.ID)), scheduler.WithOrg(o.ID))
	if d.leader != nil {
		opts = append(opts, scheduler.WithLeader(d.leader))
	}
	s, err := scheduler.New(scheduler.Deps{
		Plans: m.DB, Officers: d.officers, Progress: m.DB, Ledger: &notifyingLedger{Ledger: m.DB, notify: m.Dispatcher.Notify}, Calendar: m.Calendar,
	}, d.pol, opts...)
	if err != nil {
		return nil, fmt.Errorf("scheduler: %w", err)
	}
	return s, nil
}

// servedWards are the wards served, the province aside.
func (m *Main) servedWards() []*Ward {
	var out []*Ward
	for _, w := range m.Wards {
		if !w.Org.IsProvince() {
			out = append(out, w)
		}
	}
	return out
}

// startWard wires one ward's core, scheduler and summaries; Run starts
// them.
func (m *Main) startWard(o plan.Organisation, transports []bot.Transport, d wardDeps) (*Ward, error) {
	db := m.DB
	cfg := wardConfig(m.Config, &o)
	w := &Ward{Org: o, Config: cfg, m: m}
	senders := map[string]plan.Sender{}
	for _, t := range transports {
		senders[t.Name()] = t
	}
	core, err := bot.New(bot.Deps{
		Plans: db, Officers: d.officers, Progress: m.meters().Progress(db), Audit: db, Updates: d.updates, Outbox: m.outbox,
		Senders: senders, Clock: m.Clock, Location: m.Loc, Logger: m.Logger.With("ward", o.ID),
		InviteTTL: cfg.Invites.TTL, BotUsername: botUsername(cfg, transports), OrgID: o.ID,
		Notices: m.outbox, Standing: importer.CanonicalUnit(cfg.Standing.Unit), Workdays: m.Calendar,
		ReplyFreshness: cfg.Delivery.AnswerFreshness, BotNames: d.botNames, FileLinks: fileLinks(d.links),
		WebSignIn: webSignIn(d.auth), Pending: db,
	})
	if err != nil {
		return nil, fmt.Errorf("chat core: %w", err)
	}
	w.Core = core
	w.Source = &summary.Source{Plans: db, Progress: db, Workdays: m.Calendar, OrgID: o.ID, Loc: m.Loc, DueSoonDays: cfg.Summary.DueSoonDays, Officers: d.officers}
	if o.IsProvince() {
		return w, m.startProvince(w, senders, d)
	}
	bot.RegisterSummary(core, bot.SummaryDeps{Source: w.Source, Document: w.appendixDocument, Report: w.reportDocument})
	pace, burst := broadcastPace(cfg.Delivery)
	w.Broadcaster = bot.RegisterBroadcast(core, bot.BroadcastDeps{Store: db, Outbox: m.outbox, ChaserAfter: cfg.Broadcast.ChaserAfter,
		Wake: func() { m.Dispatcher.Notify() }, Pace: pace, PaceBurst: burst})
	bot.RegisterDeadline(core)

	sopts := append(schedulerOptions(cfg.Reminders),
		scheduler.WithStandingUnit(importer.CanonicalUnit(cfg.Standing.Unit)), m.tickObserver())
	if at, err := configs.ParseClock(cfg.Reminders.DailyNoticeAt); err == nil {
		sopts = append(sopts, scheduler.WithDaily(dailyStores{db, d.officers}, int(at.Hours()), int(at.Minutes())%60))
	}
	if w.Scheduler, err = m.newScheduler(o, d, sopts...); err != nil {
		return nil, err
	}
	w.Periodic = &summary.Periodic{
		Source: w.Source, Officers: d.officers, Outbox: m.outbox, Document: w.appendixDocument, Report: w.reportDocument,
		Capabilities: capabilitiesOf(senders),
		MonthlyDay:   cfg.Summary.MonthlyDay, QuarterlyDay: cfg.Summary.QuarterlyDay, Logger: m.Logger.With("ward", o.ID),
	}
	// The jobs are idempotent through outbox keys and run only on
	// working days in office hours: a summary due on a Saturday goes out
	// on Monday morning.
	jobs := []struct {
		spec, name string
		fn         func(context.Context, time.Time) error
	}{
		{"0 8 * * *", "periodic summaries", w.Periodic.SendPeriodic},
		{"*/15 * * * *", "broadcast chasers", w.Broadcaster.ChaseUnacknowledged},
		// The secretariat's daily notice: from its time on, once a day.
		{"*/15 * * * *", "daily notice", w.Scheduler.DailyNotice},
		// The secretariat's weekly ask to set the deadlines the importer
		// could not read.
		{"5 8 * * 1-5", "undated ask", w.Scheduler.UndatedAsk},
		// The chairman's weekly digest of escalated tasks: on the first
		// working day of the week (Monday may be a holiday), once per week.
		{"0 8 * * 1-5", "weekly digest", w.Scheduler.WeeklyDigest},
	}
	for _, j := range jobs {
		if err := w.Scheduler.AddJob(j.spec, j.name, m.officeJob(j.fn)); err != nil {
			return nil, err
		}
	}
	return w, nil
}

// startProvince wires the level above the wards: its core answers
// /tonghop with the roll-up of every ward served, and its scheduler sends
// the month's roll-up to the province's officers an hour after the
// wards' own summaries.
func (m *Main) startProvince(w *Ward, senders map[string]plan.Sender, d wardDeps) error {
	deps := bot.ProvinceDeps{RollUp: m.provinceRollUp(w.Source), Document: xlsx.ProvinceDocument}
	bot.RegisterProvince(w.Core, deps)
	pace, burst := broadcastPace(w.Config.Delivery)
	w.Broadcaster = bot.RegisterBroadcast(w.Core, bot.BroadcastDeps{Store: m.DB, Outbox: m.outbox, ChaserAfter: w.Config.Broadcast.ChaserAfter,
		Wake: func() { m.Dispatcher.Notify() }, Audience: wardsAudience{m}, Pace: pace, PaceBurst: burst})
	var err error
	if w.Scheduler, err = m.newScheduler(w.Org, d); err != nil {
		return err
	}
	w.Province = &bot.ProvincePeriodic{
		Deps: deps, Officers: d.officers, Outbox: m.outbox, OrgID: w.Org.ID,
		Capabilities: capabilitiesOf(senders),
		MonthlyDay:   w.Config.Summary.MonthlyDay, Location: m.Loc, Logger: m.Logger.With("ward", w.Org.ID),
	}
	if err := w.Scheduler.AddJob("*/15 * * * *", "broadcast chasers", m.officeJob(w.Broadcaster.ChaseUnacknowledged)); err != nil {
		return err
	}
	return w.Scheduler.AddJob("0 9 * * *", "province roll-up", m.officeJob(w.Province.SendPeriodic))
}

// wardsAudience is whom the province's announcements reach: the
// secretariat and the chairman of each ward served.
type wardsAudience struct{ m *Main }

// Resolve reads a ward as typed: its name or short name, in any case,
// with or without diacritics, with or without "UBND phường" before it
// ("Chánh Lộ", "chanh-lo", "UBND phường Chánh Lộ").
func (a wardsAudience) Resolve(_ context.Context, typed string) (string, error) {
	want := importer.Key(typed)
	var names, found []string
	for _, w := range a.m.servedWards() {
		name := w.Org.DisplayName()
		names = append(names, name)
		if want != "" && (importer.Key(name) == want || importer.Key(w.Org.Name) == want || w.Org.Short == strings.ToLower(strings.TrimSpace(typed)) ||
			strings.HasSuffix(importer.Key(name), " "+want)) {
			found = append(found, name)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return "", plan.Errorf(plan.EInvalid, "%s", texts.UnknownWard(typed, names, false))
	}
	return "", plan.Errorf(plan.EInvalid, "%s", texts.UnknownWard(typed, found, true))
}

func (a wardsAudience) Members(ctx context.Context, names []string) ([]bot.AudienceMember, error) {
	var out []bot.AudienceMember
	for _, w := range a.m.servedWards() {
		name := w.Org.DisplayName()
		if len(names) > 0 && !slices.Contains(names, name) {
			continue
		}
		officers, err := a.m.DB.OfficerStore().Officers(ctx, w.Org.ID)
		if err != nil {
			return nil, fmt.Errorf("officers of %s: %w", name, err)
		}
		for _, o := range officers {
			if o.Active && (o.Role == plan.RoleSecretariat || o.Role == plan.RoleChairman) {
				out = append(out, bot.AudienceMember{Officer: o, Label: name})
			}
		}
	}
	return out, nil
}

// provinceRollUp rolls up every ward served (the province's own
// organisation aside) with source's stores and calendar.
func (m *Main) provinceRollUp(source *summary.Source) func(ctx context.Context, period plan.Period, asOf plan.Date) (*summary.Province, error) {
	return func(ctx context.Context, period plan.Period, asOf plan.Date) (*summary.Province, error) {
		var wards []plan.Organisation
		for _, w := range m.servedWards() {
			wards = append(wards, w.Org)
		}
		return source.Province(ctx, wards, summary.ProvinceOptions{Period: period, Mapping: m.provinceMapping(wards)}, asOf, 0)
	}
}

// provinceMapping is the configuration's province.mapping by ward id;
// nil without one. A ward the mapping names but the deployment does not
// serve is logged, not guessed at.
func (m *Main) provinceMapping(wards []plan.Organisation) summary.ProvinceMapping {
	if len(m.Config.Province.Mapping) == 0 {
		return nil
	}
	byShort := map[string]int64{}
	for _, w := range wards {
		if w.Short != "" {
			byShort[w.Short] = w.ID
		}
	}
	out := summary.ProvinceMapping{}
	for short, codes := range m.Config.Province.Mapping {
		id, ok := byShort[short]
		if !ok {
			m.Logger.Warn("province.mapping names a ward not served; its lines are left out", "ward", short)
			continue
		}
		out[id] = codes
	}
	return out
}

// broadcastPace spaces an announcement's copies at half the bot's
// overall rate, after one second's worth at once (bot.BroadcastDeps.Pace):
// in a deployment of many wards on one bot, a ward's thousand copies do
// not hold back another ward's reminders until they are all sent, and two
// wards announcing at once share the bot instead of the second waiting
// for the first. (Taking due items by due time instead of by enqueue
// order would interleave announcements too, but it put retried messages
// behind everything due before their retry: the delivery benchmark with
// faults fell from 0.80–0.82 to 0.79, docs/benchmarks.md.)
func broadcastPace(d configs.Delivery) (time.Duration, int) {
	if d.PerSecond <= 0 {
		return 0, 0
	}
	return time.Duration(2 * float64(time.Second) / d.PerSecond), int(d.PerSecond)
}

// addHousekeeping adds the deployment's own chores to the first ward's
// scheduler: they concern every ward at once.
func (m *Main) addHousekeeping(db *storage.DB) error {
	// Telegram keeps an unconfirmed update for 24 hours; a week of update
	// ids is more than enough to recognise a redelivery.
	if err := m.Scheduler.AddJob("30 3 * * *", "prune handled updates", func(ctx context.Context, now time.Time) error {
		n, err := db.PruneUpdates(ctx, now.Add(-7*24*time.Hour))
		if n > 0 {
			m.Logger.Info("pruned handled updates", "rows", n)
		}
		return err
	}); err != nil {
		return err
	}
	// Files behind expired links, and ended web sessions, are deleted
	// once a day.
	return m.Scheduler.AddJob("40 3 * * *", "prune downloads and web sessions", func(ctx context.Context, now time.Time) error {
		if _, err := db.PruneDownloads(ctx, now); err != nil {
			return err
		}
		_, err := db.PruneWeb(ctx, now.Add(-24*time.Hour))
		return err
	})
}

// ward is the served ward of the organisation, nil when none.
func (m *Main) ward(orgID int64) *Ward {
	for _, w := range m.Wards {
		if w.Org.ID == orgID {
			return w
		}
	}
	return nil
}

// wardName is the name the web pages show for a served ward ("" for
// another: the page falls back to the deployment's).
func (m *Main) wardName(_ context.Context, orgID int64) string {
	if w := m.ward(orgID); w != nil {
		return w.Config.OrgName
	}
	return ""
}

// reportDocument drafts the báo cáo of a summary, dated day, as a .docx,
// under the ward's letterhead and signer.
func (w *Ward) reportDocument(ctx context.Context, s *summary.Summary, day plan.Date) (*plan.Document, error) {
	p, err := w.m.DB.PlanByID(ctx, s.PlanID)
	if err != nil {
		return nil, fmt.Errorf("plan %d: %w", s.PlanID, err)
	}
	return w.reportOf(s, p, day)
}

// reportOf is reportDocument of a summary of plan p.
func (w *Ward) reportOf(s *summary.Summary, p *plan.Plan, day plan.Date) (*plan.Document, error) {
	return docx.Document(report.Build(s, p, w.Config.Report.Letterhead(), day))
}

// appendixDocument is a summary's workbook, its first sheet laid out as
// the appendix of the báo cáo dated today.
func (w *Ward) appendixDocument(s *summary.Summary) (*plan.Document, error) {
	return xlsx.Document(s, xlsx.WithLetterhead(w.Config.Report.Letterhead(), plan.DateOf(w.m.Clock.Now().In(w.m.Loc))))
}

// summaryDocuments are a summary's files for the web pages, made by the
// ward whose plan it is: the appendix workbook and the draft báo cáo,
// dated today.
func (m *Main) summaryDocuments(ctx context.Context, s *summary.Summary) ([]plan.Document, error) {
	p, err := m.DB.PlanByID(ctx, s.PlanID)
	if err != nil {
		return nil, fmt.Errorf("plan %d: %w", s.PlanID, err)
	}
	w := m.ward(p.OrgID)
	if w == nil {
		return nil, plan.Errorf(plan.ENotFound, "%s", texts.WebNoSuchPlan)
	}
	book, err := w.appendixDocument(s)
	if err != nil {
		return nil, err
	}
	word, err := w.reportOf(s, p, plan.DateOf(m.Clock.Now().In(m.Loc)))
	if err != nil {
		return nil, err
	}
	return []plan.Document{*book, *word}, nil
}

// webActions are the web pages' actions, each through the core of the
// officer's ward.
func (m *Main) webActions() webActions {
	cores := map[int64]*bot.Core{}
	for _, w := range m.Wards {
		cores[w.Org.ID] = w.Core
	}
	return webActions{cores: cores}
}

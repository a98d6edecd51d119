package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/chanhlo/planbot/bot"
	"github.com/chanhlo/planbot/bot/telegram"
	"github.com/chanhlo/planbot/bot/zalo"
	"github.com/chanhlo/planbot/calendar"
	"github.com/chanhlo/planbot/configs"
	"github.com/chanhlo/planbot/delivery"
	"github.com/chanhlo/planbot/metrics"
	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/redis"
	"github.com/chanhlo/planbot/scheduler"
	"github.com/chanhlo/planbot/storage"
	"github.com/chanhlo/planbot/summary"
	"github.com/chanhlo/planbot/texts"
	"github.com/chanhlo/planbot/web"
)

// Main is the running bot, wired by hand: the database, optional Redis,
// the chat core with every command, the outbox dispatcher, the scheduler
// and the transports. `planbot serve`, the demo and the end-to-end tests
// all run this same code.
//
// Run starts everything and returns; Close shuts down in order: stop
// intake (transports), stop planning (scheduler), finish the sends in
// flight (dispatcher), then close the stores.
type Main struct {
	Config configs.Config
	Logger *slog.Logger
	Clock  plan.Clock
	Loc    *time.Location

	// Transports, when set before Run, replace the configured ones (the
	// demo's in-process transport, a test's Telegram fake).
	Transports []bot.Transport
	// DB, when set before Run, is used instead of opening Config.DB; Main
	// then does not close it.
	DB *storage.DB
	// Manual wires everything but starts nothing in the background: the
	// caller drives the scheduler's Tick, the dispatcher's RunOnce and the
	// core's Handle on its own clock (the demo).
	Manual bool
	// OrgID, when set, is the one ward served (serve --org); 0: every
	// ward of the database, each with its core and scheduler (Wards).
	OrgID int64
	// Getenv reads the tokens of wards' own bots (WardTokenEnv); default
	// os.Getenv.
	Getenv func(string) string
	// After, when set, is the timer the dispatcher waits on (a demo or test
	// clock that moves when waited on); default time.After.
	After func(time.Duration) <-chan time.Time

	// Set by Run. Wards are the wards served; Core, Scheduler, Periodic
	// and Broadcaster are the first's (the only one's in a deployment of
	// one ward).
	Wards       []*Ward
	Core        *bot.Core
	Scheduler   *scheduler.Scheduler
	Dispatcher  *delivery.Dispatcher
	Broadcaster *bot.Broadcaster
	Periodic    *summary.Periodic
	Calendar    *calendar.Calendar
	// HTTP is planbot's HTTP server (health, download links, the Zalo
	// webhook); nil when http.listen is empty or in Manual mode.
	HTTP *web.Server

	office calendar.OfficeHours
	ownDB  bool
	rdb    goredis.UniversalClient
	lease  *redis.Lease
	outbox *notifyingOutbox
	// zaloQuota counts the Zalo bot's messages (nil without Zalo).
	zaloQuota *delivery.Quota
	// metrics (meters) and ready feed GET /metrics and GET /readyz.
	metrics *metrics.Metrics
	ready   readiness

	intakeCancel context.CancelFunc
	intake       sync.WaitGroup
	// failed receives the error of a transport that stopped on its own:
	// a bot that cannot hear must not look alive (Failed).
	failed    chan error
	bgCancel  context.CancelFunc
	bg        sync.WaitGroup
	closeOnce sync.Once
}

// NewMain returns a Main for cfg logging to logger.
func NewMain(cfg configs.Config, logger *slog.Logger) (*Main, error) {
	loc, err := cfg.Location()
	if err != nil {
		return nil, err
	}
	return &Main{Config: cfg, Logger: logger, Clock: plan.SystemClock, Loc: loc}, nil
}

// Run opens the stores, wires the components and starts them in the
// background. It returns once everything runs; ctx bounds the start-up
// only. Call Close to stop.
func (m *Main) Run(ctx context.Context) (err error) {
	defer func() {
		if err != nil {
			m.Close()
		}
	}()
	cfg := m.Config
	if m.DB == nil {
		db, err := storage.Open(ctx, cfg.DB, storage.WithClock(m.Clock), storage.WithLogger(m.Logger))
		if err != nil {
			return fmt.Errorf("open database: %w", err)
		}
		m.DB, m.ownDB = db, true
	}
	db := m.DB
	// A database that does not take writes would let the bot start and
	// then fail every update: stop here and say why.
	if err := db.CheckWritable(ctx); err != nil {
		m.Logger.Error("database is not writable / cơ sở dữ liệu không ghi được", "err", err)
		return plan.Errorf(plan.EInvalid, "%s", texts.DBNotWritable(err))
	}
	officers := db.OfficerStore()
	m.Calendar = workCalendar(cfg)

	// Redis coordinates replicas; the database stays the record, so every
	// Redis-backed part falls back to the database or to this process.
	var (
		updates plan.UpdateLog   = db
		limiter plan.RateLimiter = delivery.NewLocalLimiter(m.Clock)
		leader  plan.Leader      = nil
		owner                    = ownerID()
		ropts                    = []redis.Option{redis.WithClock(m.Clock), redis.WithLogger(m.Logger)}
	)
	if cfg.Redis.URL != "" {
		opt, err := goredis.ParseURL(cfg.Redis.URL)
		if err != nil {
			return fmt.Errorf("PLANBOT_REDIS_URL: %w", err)
		}
		// Redis only coordinates: when it is gone, fail fast and fall back
		// to the database instead of retrying inside every call.
		opt.MaxRetries, opt.DialerRetries = 1, 1
		opt.DialTimeout, opt.ReadTimeout, opt.WriteTimeout = 2*time.Second, time.Second, time.Second
		m.rdb = goredis.NewClient(opt)
		updates = redis.NewUpdateLog(m.rdb, db, ropts...)
		limiter = redis.NewLimiter(m.rdb, limiter, ropts...)
		m.lease = redis.NewLease(m.rdb, "scheduler", 30*time.Second, ropts...).LeadWhenUnreachable()
		leader = m.lease
		m.Logger.Info("coordinating replicas through Redis", "addr", opt.Addr, "db", opt.DB)
	}

	updates = m.meters().Updates(updates) // counts duplicates

	links, err := m.downloads(ctx)
	if err != nil {
		return err
	}
	orgs, err := m.wardsToServe(ctx)
	if err != nil {
		return err
	}
	// The bots: the configured ones (or the caller's), shared by the
	// wards, and a ward's own Telegram and Zalo bots where their tokens
	// are set.
	shared := m.Transports
	var zaloTr *zalo.Transport
	own := map[int64][]bot.Transport{}
	var quotas delivery.Quotas
	if len(shared) == 0 {
		if cfg.Telegram.Token != "" {
			tr, err := m.startTelegram(ctx, cfg.Telegram.Token, telegram.Name)
			if err != nil {
				return err
			}
			shared = append(shared, tr)
		}
		if cfg.Zalo.Token != "" {
			// Its quota warning goes to the wards on it, not to those with
			// a Zalo bot of their own.
			var on []int64
			for _, o := range orgs {
				if m.wardZaloToken(o) == "" {
					on = append(on, o.ID)
				}
			}
			if zaloTr, m.zaloQuota, err = m.startZalo(ctx, links, cfg.Zalo.Token, zalo.Name, cfg.Zalo.MonthlyQuota, on); err != nil {
				return err
			}
			shared = append(shared, zaloTr)
		}
		for _, o := range orgs {
			if token := m.wardToken(o); token != "" {
				tr, err := m.startTelegram(ctx, token, wardTransportName(telegram.Name, o))
				if err != nil {
					return fmt.Errorf("the bot of %s: %w", o.Name, err)
				}
				own[o.ID] = append(own[o.ID], tr)
			}
			if token := m.wardZaloToken(o); token != "" {
				tr, q, err := m.startZalo(ctx, links, token, wardTransportName(zalo.Name, o), wardConfig(cfg, &o).Zalo.MonthlyQuota, []int64{o.ID})
				if err != nil {
					return fmt.Errorf("the Zalo bot of %s: %w", o.Name, err)
				}
				quotas = append(quotas, q)
				own[o.ID] = append(own[o.ID], tr)
			}
		}
		if len(shared) == 0 && len(own) == 0 {
			return plan.Errorf(plan.EInvalid, "%s", texts.NoBotToken)
		}
	}
	for _, t := range shared {
		if zt, ok := t.(*zalo.Transport); ok {
			zaloTr = zt
		}
	}
	transports := slices.Clone(shared)
	for _, o := range orgs {
		transports = append(transports, own[o.ID]...)
	}
	var auth *web.Auth
	if cfg.HTTP.PublicURL != "" && cfg.HTTP.Listen != "" {
		auth = &web.Auth{Store: db, Officers: officers, PublicURL: cfg.HTTP.PublicURL, Clock: m.Clock, Log: m.Logger}
	}
	botNames := map[string]string{}
	if zaloTr != nil {
		if m.zaloQuota == nil { // the caller's transport
			m.zaloQuota = m.newZaloQuota(zaloTr, cfg.Zalo.MonthlyQuota, nil)
		}
		botNames["zalo"] = cfg.Zalo.BotName
		if botNames["zalo"] == "" {
			botNames["zalo"] = zaloTr.AccountName()
		}
	}
	for _, ts := range own {
		for _, t := range ts {
			if zt, ok := t.(*zalo.Transport); ok {
				botNames[zt.Name()] = zt.AccountName()
			}
		}
	}
	if m.zaloQuota != nil {
		quotas = append(quotas, m.zaloQuota)
	}
	senders := map[string]plan.Sender{}
	for _, t := range transports {
		senders[t.Name()] = t
	}

	// The dispatcher is notified of every enqueue, so announcements and
	// reminders go out at once instead of at the next poll.
	m.outbox = &notifyingOutbox{DB: db}
	dopts := []delivery.Option{
		delivery.WithClock(m.Clock), delivery.WithLogger(m.Logger), delivery.WithOwner(owner),
		delivery.WithLimiter(limiter), delivery.WithLimits(deliveryLimits(cfg.Delivery)),
		delivery.WithOfficers(officers), delivery.WithBatch(cfg.Delivery.Batch), delivery.WithMaxAttempts(cfg.Delivery.MaxAttempts),
		delivery.WithObserver(m.meters().Delivery),
	}
	if m.After != nil {
		dopts = append(dopts, delivery.WithAfter(m.After))
	}
	if len(quotas) > 0 {
		dopts = append(dopts, delivery.WithQuota(quotas))
	}
	if m.Manual {
		// Driven step by step on a simulated clock (the demo): one send
		// after the other, so the transcript reads the same every run.
		dopts = append(dopts, delivery.WithConcurrency(1))
	}
	m.Dispatcher = delivery.New(db, senders, dopts...)
	m.outbox.notify = m.Dispatcher.Notify

	pol, err := reminderPolicy(cfg.Reminders)
	if err != nil {
		return err
	}
	m.office = pol.Office
	// Each ward: its core, bound to its organisation, speaking through
	// the shared bots and its own; its scheduler and its summaries.
	for _, o := range orgs {
		// A ward with its own bot of a messenger speaks only through it
		// there: its invites name that bot, and the shared one does not
		// route to it.
		ts := append(sharedFor(shared, own[o.ID]), own[o.ID]...)
		if o.IsProvince() {
			// Its announcements reach each ward through the ward's bot:
			// it knows what every bot carries (its own and the shared
			// ones first, so that its invites name them).
			for _, w := range orgs {
				if w.ID != o.ID {
					ts = append(ts, own[w.ID]...)
				}
			}
		}
		w, err := m.startWard(o, ts, wardDeps{
			officers: officers, updates: updates, leader: leader, links: links, auth: auth, botNames: botNames, pol: pol,
		})
		if err != nil {
			return fmt.Errorf("%s: %w", o.Name, err)
		}
		m.Wards = append(m.Wards, w)
	}
	first := m.Wards[0]
	for _, w := range m.Wards {
		if !w.Org.IsProvince() {
			first = w
			break
		}
	}
	if first.Org.IsProvince() {
		return plan.Errorf(plan.EInvalid, "%s", texts.ProvinceWithoutWards)
	}
	m.Core, m.Scheduler, m.Periodic, m.Broadcaster = first.Core, first.Scheduler, first.Periodic, first.Broadcaster
	// The deployment's own chores run once, on the first ward's clock.
	if err := m.addHousekeeping(db); err != nil {
		return err
	}
	// The shared bots hear everyone: with one ward on them its core
	// answers; with several, each person is taken to their ward's.
	// A ward with its own bot of a messenger is not on the shared bot of
	// that messenger.
	sharedHandler := func(messenger string) bot.Handler {
		cores := map[int64]*bot.Core{}
		var fallback *bot.Core
		for _, w := range m.Wards {
			if !ownsMessenger(own[w.Org.ID], messenger) {
				cores[w.Org.ID] = w.Core
				if fallback == nil && !w.Org.IsProvince() {
					fallback = w.Core
				}
			}
		}
		if fallback == nil {
			fallback = first.Core
		}
		switch {
		case len(cores) == 1:
			for _, c := range cores {
				return c // the only organisation on it, the province too
			}
		case len(cores) > 1:
			return &bot.Wards{Cores: cores, Fallback: fallback, Officers: officers, Invites: officers}
		}
		// Every ward has its own bot: the shared one only tells strangers
		// they are not registered.
		return first.Core
	}

	if m.Manual {
		return nil
	}
	if cfg.HTTP.Listen != "" {
		m.HTTP = web.NewServer(m.Logger)
		m.instrument(db, transports)
		if links != nil {
			m.HTTP.Handle("GET "+web.DownloadPath, links.Handler())
		}
		if auth != nil {
			auth.Mount(m.HTTP)
			(&web.Dashboard{
				Auth: auth, Source: first.Source, Officers: officers, Broadcasts: db, Documents: m.summaryDocuments,
				Actions: m.webActions(), Org: first.Config.OrgName, OrgName: m.wardName, Clock: m.Clock, Log: m.Logger,
			}).Mount(m.HTTP)
		}
		for _, w := range m.Wards {
			for _, t := range own[w.Org.ID] {
				switch t := t.(type) {
				case *telegram.Transport:
					if cfg.Telegram.Mode == telegram.ModeWebhook {
						m.HTTP.Handle("POST "+wardWebhookPath(t.Name()), t.WebhookHandler(w.Core))
					}
				case *zalo.Transport:
					if cfg.Zalo.Mode == zalo.ModeWebhook {
						m.HTTP.Handle("POST "+zaloHookPath(t.Name()), t.WebhookHandler(w.Core))
					}
				}
			}
		}
		if zaloTr != nil && cfg.Zalo.Mode == zalo.ModeWebhook {
			m.HTTP.Handle("POST "+zaloWebhookPath, zaloTr.WebhookHandler(sharedHandler("zalo")))
		}
		m.mountAPI(first.Source) // the read-only JSON API (api.go)
		if err := m.HTTP.Open(cfg.HTTP.Listen); err != nil {
			m.HTTP = nil
			return plan.Errorf(plan.EInvalid, "%s", texts.HTTPListenFailed(cfg.HTTP.Listen, err))
		}
	}
	// Start: background work first, intake last, so nothing arrives
	// before it can be handled.
	bgCtx, bgCancel := context.WithCancel(context.WithoutCancel(ctx))
	m.bgCancel = bgCancel
	if m.lease != nil {
		m.goBackground(bgCtx, "redis lease", m.lease.Run)
	}
	m.goBackground(bgCtx, "dispatcher", m.Dispatcher.Run)
	for _, w := range m.Wards {
		w.Scheduler.Start()
	}
	// Catch up at once: reminders whose time passed while the bot was
	// down are sent now, not at the next tick.
	m.goBackground(bgCtx, "catch-up tick", func(ctx context.Context) error {
		if m.lease != nil {
			if _, err := m.lease.Hold(ctx); err != nil {
				m.Logger.Warn("redis lease unavailable at start", "err", err)
			}
		}
		var errs []error
		for _, w := range m.Wards {
			if err := w.Scheduler.Tick(ctx, m.Clock.Now()); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", w.Org.Name, err))
			}
		}
		return errors.Join(errs...)
	})

	inCtx, inCancel := context.WithCancel(context.WithoutCancel(ctx))
	m.intakeCancel = inCancel
	m.failed = make(chan error, len(transports))
	handlers := map[bot.Transport]bot.Handler{}
	for _, t := range shared {
		handlers[t] = sharedHandler(plan.MessengerOf(t.Name()))
	}
	for _, w := range m.Wards {
		for _, t := range own[w.Org.ID] {
			handlers[t] = w.Core
		}
	}
	for _, t := range transports {
		h := handlers[t]
		if tt, ok := t.(*telegram.Transport); ok {
			if err := tt.SetCommands(ctx, telegramCommands(first.Core)); err != nil {
				m.Logger.Warn("setMyCommands failed; the bot works without a command menu", "transport", t.Name(), "err", err)
			}
		}
		t := t
		m.intake.Add(1)
		go func() {
			defer m.intake.Done()
			err := t.Run(inCtx, h)
			if inCtx.Err() != nil {
				return // stopped by Close
			}
			if err == nil {
				err = errors.New("stopped without an error")
			}
			m.Logger.Error("transport stopped: the bot can no longer receive messages; planbot stops / kênh nhận tin đã dừng, planbot dừng theo",
				"transport", t.Name(), "err", err)
			m.ready.transportStopped(t.Name())
			m.failed <- fmt.Errorf("transport %s: %w", t.Name(), err)
		}()
	}
	m.Logger.Info("planbot running", "db", db.Engine(), "wards", len(m.Wards), "transports", len(transports), "redis", m.rdb != nil)
	return nil
}

// Failed returns a channel that receives the error of a transport that
// stopped on its own (the webhook refused, its port taken, the token
// revoked): the caller stops the process, non-zero, rather than run a
// scheduler and a dispatcher for a bot that hears nothing. Nil before
// Run.
func (m *Main) Failed() <-chan error { return m.failed }

// officeJob runs fn only on working days inside office hours.
func (m *Main) officeJob(fn func(context.Context, time.Time) error) func(context.Context, time.Time) error {
	return func(ctx context.Context, now time.Time) error {
		if !m.Calendar.Adjust(now, m.office, false).Equal(now) {
			return nil
		}
		return fn(ctx, now)
	}
}

// OfficeJobs runs the jobs that the scheduler runs besides reminders
// (the periodic summaries, the chairman's weekly digest, the broadcast
// chasers) once, at now: the demo calls it on its own clock.
func (m *Main) OfficeJobs(ctx context.Context, now time.Time) error {
	if err := m.officeJob(m.Periodic.SendPeriodic)(ctx, now); err != nil {
		return err
	}
	if err := m.officeJob(m.Scheduler.WeeklyDigest)(ctx, now); err != nil {
		return err
	}
	if err := m.officeJob(m.Scheduler.DailyNotice)(ctx, now); err != nil {
		return err
	}
	if err := m.officeJob(m.Scheduler.UndatedAsk)(ctx, now); err != nil {
		return err
	}
	return m.officeJob(m.Broadcaster.ChaseUnacknowledged)(ctx, now)
}

func (m *Main) goBackground(ctx context.Context, name string, fn func(context.Context) error) {
	m.bg.Add(1)
	go func() {
		defer m.bg.Done()
		if err := fn(ctx); err != nil && !errors.Is(err, context.Canceled) {
			m.Logger.Error("background task stopped", "task", name, "err", err)
		}
	}()
}

// Close shuts down in order and waits: transports, scheduler,
// dispatcher (after the message in flight), Redis, database.
func (m *Main) Close() error {
	var errs []error
	m.closeOnce.Do(func() {
		m.ready.shutdown()
		if m.HTTP != nil {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			if err := m.HTTP.Close(ctx); err != nil {
				errs = append(errs, err)
			}
			cancel()
		}
		if m.intakeCancel != nil {
			m.intakeCancel()
			m.intake.Wait()
		}
		for _, w := range m.Wards {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			if err := w.Scheduler.Stop(ctx); err != nil {
				errs = append(errs, fmt.Errorf("stop the scheduler of %s: %w", w.Org.Name, err))
			}
			cancel()
		}
		if m.bgCancel != nil {
			m.bgCancel()
			m.bg.Wait()
		}
		if m.lease != nil {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			_ = m.lease.Release(ctx)
			cancel()
		}
		if m.rdb != nil {
			if err := m.rdb.Close(); err != nil {
				errs = append(errs, fmt.Errorf("close redis: %w", err))
			}
		}
		if m.ownDB && m.DB != nil {
			if err := m.DB.Close(); err != nil {
				errs = append(errs, fmt.Errorf("close database: %w", err))
			}
		}
	})
	return errors.Join(errs...)
}

// startAttempts bounds how often serve tries to reach Telegram at start
// when the failure may pass (the network, a 5xx): about three minutes
// with the backoff below, then it exits.
const startAttempts = 8

// startTelegram reaches the bot, retrying with backoff (1 s, 2 s, … 30 s)
// what may pass; a wrong token or configuration stops at once.
func (m *Main) startTelegram(ctx context.Context, token, name string) (*telegram.Transport, error) {
	return startWithRetry(ctx, m, name, func() (*telegram.Transport, error) { return m.telegram(token, name) }, func(err error) bool {
		var ge *telegram.GetMeError
		return errors.As(err, &ge) && ge.Temporary()
	})
}

// startWithRetry calls start until it succeeds, fails for a reason that
// will not pass (mayPass false), ctx ends, or startAttempts are spent,
// waiting 1 s, 2 s, … 30 s between attempts.
func startWithRetry[T any](ctx context.Context, m *Main, name string, start func() (T, error), mayPass func(error) bool) (T, error) {
	after := m.After
	if after == nil {
		after = time.After
	}
	wait := time.Second
	for attempt := 1; ; attempt++ {
		tr, err := start()
		if err == nil || !mayPass(err) || ctx.Err() != nil || attempt == startAttempts {
			return tr, err
		}
		m.Logger.Warn("messenger not reachable at start; retrying / chưa kết nối được, thử lại",
			"transport", name, "attempt", attempt, "wait", wait, "err", err)
		select {
		case <-ctx.Done():
			var zero T
			return zero, ctx.Err()
		case <-after(wait):
		}
		wait = min(2*wait, 30*time.Second)
	}
}

func (m *Main) telegram(token, name string) (*telegram.Transport, error) {
	tc := m.Config.Telegram
	if token == "" {
		return nil, plan.Errorf(plan.EInvalid,
			"chưa có mã bot Telegram: đặt biến môi trường PLANBOT_TELEGRAM_TOKEN (hoặc chạy `planbot demo` để xem thử không cần mã)")
	}
	hookURL, mounted := tc.Webhook.URL, false
	if name != telegram.Name && tc.Mode == telegram.ModeWebhook {
		// A ward's own bot: its webhook is a path of planbot's HTTP
		// server (wardWebhookPath), one port for every ward's bot, where
		// the proxy already sends the download links and Zalo's webhook.
		public := strings.TrimRight(m.Config.HTTP.PublicURL, "/")
		if !strings.HasPrefix(public, "https://") || m.Config.HTTP.Listen == "" {
			return nil, plan.Errorf(plan.EInvalid, "%s", texts.WardWebhookNeedsPublicURL(name))
		}
		hookURL, mounted = public+wardWebhookPath(name), true
	}
	return telegram.New(telegram.Config{
		Name: name, Token: token, API: tc.API, Mode: tc.Mode,
		PollTimeout: tc.PollTimeout, RequestTimeout: tc.RequestTimeout,
		WebhookURL: hookURL, WebhookListen: tc.Webhook.Listen, WebhookSecret: tc.Webhook.Secret, WebhookMounted: mounted,
		MaxBodyBytes: tc.Webhook.MaxBodyBytes, Logger: m.Logger, Clock: m.Clock,
	})
}

// wardWebhookPath is where planbot's HTTP server takes the updates of a
// ward's own bot named name ("telegram/chanh-lo" → /telegram/chanh-lo).
func wardWebhookPath(name string) string { return "/" + name }

// botUsername is the username deep links use: the real one from getMe
// when Telegram runs, else the configured one.
func botUsername(cfg configs.Config, ts []bot.Transport) string {
	for _, t := range ts {
		if tt, ok := t.(*telegram.Transport); ok && tt.Username() != "" {
			return tt.Username()
		}
	}
	return cfg.BotUsername()
}

func telegramCommands(c *bot.Core) []telegram.CommandInfo {
	var out []telegram.CommandInfo
	for _, cmd := range c.Commands() {
		if cmd.Hidden {
			continue
		}
		out = append(out, telegram.CommandInfo{Name: cmd.Name, DescriptionVI: cmd.Description, DescriptionEN: cmd.DescriptionEN})
	}
	return out
}

func deliveryLimits(d configs.Delivery) delivery.Limits {
	return delivery.Limits{
		Overall: delivery.OverallRate(d.PerSecond),
		Chat:    delivery.RateOf(d.PerChatPerSecond, time.Second),
		Group:   delivery.RateOf(d.PerGroupPerMinute, time.Minute),
	}
}

// ownerID names this Main in outbox claims and logs. It must differ
// between replicas, also two in one process (tests): a dispatcher takes
// back items leased under its own name at once.
func ownerID() string {
	host, _ := os.Hostname()
	var b [4]byte
	_, _ = rand.Read(b[:])
	return host + ":" + strconv.Itoa(os.Getpid()) + ":" + hex.EncodeToString(b[:])
}

// notifyingOutbox wakes the dispatcher after every enqueue that added
// something.
//
// It is the whole store, not only plan.Outbox: the core also asks it for
// the newest numbered request of a chat and for answers waiting, and an
// interface-typed field would hide those methods.
type notifyingOutbox struct {
	*storage.DB
	notify func()
}

func (o *notifyingOutbox) Enqueue(ctx context.Context, items ...plan.OutboxItem) (int, error) {
	n, err := o.DB.Enqueue(ctx, items...)
	if n > 0 && o.notify != nil {
		o.notify()
	}
	return n, err
}

// notifyingLedger wakes the dispatcher when the scheduler queued reminders.
type notifyingLedger struct {
	scheduler.Ledger
	notify func()
}

func (l *notifyingLedger) SettleReminders(ctx context.Context, keys []string, state string, at time.Time, items ...plan.OutboxItem) (int, error) {
	n, err := l.Ledger.SettleReminders(ctx, keys, state, at, items...)
	if n > 0 {
		l.notify()
	}
	return n, err
}

func (l *notifyingLedger) RecordQueued(ctx context.Context, queued, waiting []plan.Reminder, at time.Time, items ...plan.OutboxItem) (bool, int, error) {
	ok, n, err := l.Ledger.RecordQueued(ctx, queued, waiting, at, items...)
	if n > 0 {
		l.notify()
	}
	return ok, n, err
}

// dailyStores are the stores of the secretariat's daily notice.
type dailyStores struct {
	db       *storage.DB
	officers *storage.OfficerStore
}

func (d dailyStores) MissedReminders(ctx context.Context, planIDs []int64, since, until time.Time) ([]plan.Reminder, error) {
	return d.db.MissedReminders(ctx, planIDs, since, until)
}

func (d dailyStores) UnusedInvites(ctx context.Context, orgID int64, from, to time.Time) ([]plan.Invite, error) {
	return d.officers.UnusedInvites(ctx, orgID, from, to)
}

// fileLinks is the core's download links, or nil (an untyped nil, so the
// core sees none) when there is no public URL.
func fileLinks(d *web.Downloads) bot.FileLinks {
	if d == nil {
		return nil
	}
	return d
}

// webSignIn is the core's /web, or nil when the pages are not served.
func webSignIn(a *web.Auth) func(ctx context.Context, o *plan.Officer) (string, time.Time, error) {
	if a == nil {
		return nil
	}
	return a.SignInLink
}

// sharedFor are the shared bots a ward speaks through besides its own:
// those of the messengers it has no bot of its own on.
func sharedFor(shared, own []bot.Transport) []bot.Transport {
	var out []bot.Transport
	for _, t := range shared {
		if !ownsMessenger(own, plan.MessengerOf(t.Name())) {
			out = append(out, t)
		}
	}
	return out
}

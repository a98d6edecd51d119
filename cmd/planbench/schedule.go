package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"runtime/pprof"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/chanhlo/planbot/bot"
	"github.com/chanhlo/planbot/calendar"
	"github.com/chanhlo/planbot/configs"
	"github.com/chanhlo/planbot/delivery"
	"github.com/chanhlo/planbot/importer"
	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/scheduler"
	"github.com/chanhlo/planbot/storage"
)

// The schedule scenario plans one report day for a province's wards and
// sends what it queued.
//
// The day is Thursday 18 May 2023, the sample plan's busiest: the monthly
// report requests (reminders.report_day 18) go to every unit at 08:00.
// Each ward's plan was stored the afternoon before, and a tick ran at
// 07:55, so the measured tick at 08:00 is a running bot's report-day tick
// (it looks back over the catch-up window, not the first tick's month).

// schedDay is the report day's 08:00, in the calendar's zone.
func schedDay(loc *time.Location) time.Time { return time.Date(2023, 5, 18, 8, 0, 0, 0, loc) }

// schedLimits are the dispatcher's rates for the drain: a bot raised to
// 300 messages/s overall (as the delivery scenario), Telegram's one a
// second into a private chat.
var schedLimits = delivery.ConfigLimits(300, 1, 20)

func benchSchedule(ctx context.Context, e *env) (figures, error) {
	wards := e.scale(100, 5)
	cal := calendar.New(configs.Default().Calendar)
	day := schedDay(cal.Location())
	// The store's clock dates what it writes (the plan's CreatedAt, the
	// ledger's recorded_at) in 2023, as the scheduler's ticks are.
	clock := &schedClock{t: day.Add(-15 * time.Hour)}
	db, closeDB, err := e.openStore(ctx, "schedule", storage.WithClock(clock))
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	defer closeDB()

	// Twice the wards: the first set ticks one ward after the other, the
	// second ten at a time.
	e.say("schedule: 2 × %d wards, the sample plan and an officer per unit each …", wards)
	ledger := &schedLedger{DB: db, perChat: map[string]int{}}
	var scheds []*scheduler.Scheduler
	officers := 0
	for w := range 2 * wards {
		org, n, err := schedWard(ctx, db, clock.Now(), w)
		if err != nil {
			return nil, err
		}
		if w < wards {
			officers += n
		}
		s, err := scheduler.New(scheduler.Deps{
			Plans: db, Officers: db.OfficerStore(), Progress: db, Ledger: ledger, Calendar: cal,
		}, scheduler.DefaultPolicy(), scheduler.WithOrg(org), scheduler.WithClock(clock), scheduler.WithLogger(e.log))
		if err != nil {
			return nil, fmt.Errorf("scheduler of ward %d: %w", w+1, err)
		}
		scheds = append(scheds, s)
	}

	// The 07:55 tick: it queues nothing (nothing is due between the plan's
	// storing and 08:00), but it is what every tick of a running bot has
	// behind it, and it fills the plan cache as serving does.
	clock.set(day.Add(-5 * time.Minute))
	for i, s := range scheds {
		res, err := s.TickResult(ctx, clock.Now())
		if err != nil {
			return nil, fmt.Errorf("07:55 tick of ward %d: %w", i+1, err)
		}
		if res.Messages != 0 {
			return nil, fmt.Errorf("07:55 tick of ward %d queued %d messages; the scenario expects the day to start at 08:00", i+1, res.Messages)
		}
	}

	clock.set(day)
	ledger.reset()
	stopProfile, err := schedProfile()
	if err != nil {
		return nil, err
	}
	cpu0 := schedCPU()
	start := time.Now()
	// One ward after the other: the figure is the day's work, not how
	// well it overlaps (concurrent_ms below).
	items, reminders, err := schedTicks(ctx, scheds[:wards], day, 1)
	planned := time.Since(start)
	cpu := schedCPU() - cpu0
	if err := stopProfile(); err != nil {
		return nil, err
	}
	if err != nil {
		return nil, err
	}
	if items == 0 {
		return nil, errors.New("the report day's ticks queued nothing")
	}
	e.say("schedule: %d reminders in %d messages planned in %s; draining …", reminders, items, planned.Round(time.Millisecond))

	drained, sent, err := schedDrain(ctx, e, db, items)
	if err != nil {
		return nil, err
	}
	allowed := schedAllowed(items, ledger.maxPerChat())

	// The other set, every ward's tick at once, as planbot serve runs
	// them: a scheduler per ward, each on its own cron, all at 08:00.
	// (Before the store bounded its PostgreSQL connections this ran
	// PostgreSQL out of them, "too many clients"; on SQLite the writers
	// take turns on its lock.)
	start = time.Now()
	items2, _, err := schedTicks(ctx, scheds[wards:], day, wards)
	concurrent := time.Since(start)
	if err != nil {
		return nil, err
	}
	if items2 != items {
		return nil, fmt.Errorf("the wards ticked at once queued %d messages, one after the other %d", items2, items)
	}
	f := figures{
		"wards":         wards,
		"officers":      officers,
		"reminders":     reminders,
		"items":         items,
		"ms":            ms(planned),
		"cpu_ms":        ms(cpu),
		"concurrent_ms": ms(concurrent),
		"ward_ms":       ms(planned / time.Duration(wards)),
		"sent":          sent,
		"drain_ms":      ms(drained),
		"allowed_ms":    ms(allowed),
		"per_chat_max":  ledger.maxPerChat(),
	}
	if allowed > 0 {
		f["drain_ratio"] = round3(float64(drained) / float64(allowed))
	}
	return f, nil
}

// schedWard stores ward w (organisation 1 for the first, a new one for
// the others) with the sample plan and one officer per unit of the plan,
// registered through an invite as a person opening the link is. It
// returns the organisation and how many officers it registered.
func schedWard(ctx context.Context, db *storage.DB, now time.Time, w int) (int64, int, error) {
	org := plan.DefaultOrg
	if w > 0 {
		var err error
		if org, err = db.AddOrganisation(ctx, fmt.Sprintf("Phường %d", w+1)); err != nil {
			return 0, 0, fmt.Errorf("ward %d: %w", w+1, err)
		}
	}
	p, err := importer.Parse(bytes.NewReader(configs.SamplePlan), configs.SamplePlanName)
	if err != nil {
		return 0, 0, fmt.Errorf("sample plan: %w", err)
	}
	p.OrgID = org
	if _, err := db.SavePlan(ctx, p); err != nil {
		return 0, 0, fmt.Errorf("save the plan of ward %d: %w", w+1, err)
	}
	store := db.OfficerStore()
	for i, unit := range p.Units {
		inv, err := bot.CreateInvite(ctx, store, db, bot.InviteSpec{OrgID: org, Unit: unit, Role: plan.RoleOfficer}, now)
		if err != nil {
			return 0, 0, fmt.Errorf("ward %d: %w", w+1, err)
		}
		// Chat ids are unique across the province: ward w's unit i is
		// chat w*1000+i+1.
		chat := strconv.Itoa(w*1000 + i + 1)
		o := &plan.Officer{OrgID: org, Name: "Cán bộ " + chat, Unit: unit, Role: plan.RoleOfficer, UserID: chat,
			Address: plan.Address{Transport: "telegram", ChatID: chat}, Active: true}
		if _, err := store.RedeemInvite(ctx, inv.Code, o, now); err != nil {
			return 0, 0, fmt.Errorf("ward %d: register the officer of %s: %w", w+1, unit, err)
		}
	}
	return org, len(p.Units), nil
}

// schedDrain sends the outbox's items with the real dispatcher to a
// sender that accepts at once, and returns how long it took until the
// last was accepted, and how many sends there were.
//
// The dispatcher runs on the wall clock, as the rate limits it keeps are
// wall-clock rates. The items were queued with NotBefore 08:00 on the
// report day of 2023, which the wall clock has long passed: all are due
// at once, as they are at 08:00 on the day, when the tick queues them
// with NotBefore = now. Nothing else holds them back, so the drain's time
// is the dispatcher's, against its limits.
func schedDrain(ctx context.Context, e *env, db *storage.DB, items int) (time.Duration, int, error) {
	counts, err := db.OutboxCounts(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("before the drain: %w", err)
	}
	if counts[plan.OutboxPending] != items {
		return 0, 0, fmt.Errorf("before the drain: %d items pending, the ticks queued %d", counts[plan.OutboxPending], items)
	}
	sender := &schedSender{want: items, done: make(chan struct{})}
	d := delivery.New(db, map[string]plan.Sender{"telegram": sender},
		delivery.WithLimits(schedLimits), delivery.WithLogger(e.log), delivery.WithOwner("planbench-schedule"))
	// A bound far above what the limits allow, so that a stuck drain ends
	// the run instead of hanging it.
	limit := 10*schedAllowed(items, items) + 30*time.Second
	runCtx, cancel := context.WithCancel(ctx)
	stopped := make(chan error, 1)
	start := time.Now()
	go func() { stopped <- d.Run(runCtx) }()
	var elapsed time.Duration
	select {
	case <-sender.done:
		elapsed = sender.lastAt().Sub(start)
	case <-time.After(limit):
	case <-ctx.Done():
	}
	cancel()
	if err := <-stopped; err != nil {
		return 0, 0, fmt.Errorf("dispatcher: %w", err)
	}
	if ctx.Err() != nil {
		return 0, 0, ctx.Err()
	}
	sent := sender.count()
	if elapsed == 0 {
		return 0, 0, fmt.Errorf("drain: %d of %d sent in %s", sent, items, limit)
	}
	counts, err = db.OutboxCounts(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("after the drain: %w", err)
	}
	if counts[plan.OutboxSent] != items || sent != items {
		return 0, 0, fmt.Errorf("after the drain: %d sends, %d items recorded sent, %d pending, %d failed; want %d sent once",
			sent, counts[plan.OutboxSent], counts[plan.OutboxPending], counts[plan.OutboxFailed], items)
	}
	return elapsed, sent, nil
}

// schedAllowed is the least time the limits allow for items messages,
// perChat of them at most into one chat: the overall bucket starts full
// (its burst goes at once) and then refills at its rate; a chat's items
// after its first wait a chat period each.
func schedAllowed(items, perChat int) time.Duration {
	need := func(r plan.Rate, n int) time.Duration {
		if r.N <= 0 || n <= max(r.Burst, 1) {
			return 0
		}
		return time.Duration(n-max(r.Burst, 1)) * r.Per / time.Duration(r.N)
	}
	return max(need(schedLimits.Overall, items), need(schedLimits.Chat, perChat))
}

// schedClock is a clock set by hand.
type schedClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *schedClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *schedClock) set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// schedLedger is the store's ledger, counting the items the ticks queue
// into each chat: the per-chat limit bounds the drain by the busiest chat.
type schedLedger struct {
	*storage.DB
	mu      sync.Mutex
	perChat map[string]int
}

func (l *schedLedger) SettleReminders(ctx context.Context, keys []string, state string, at time.Time, items ...plan.OutboxItem) (int, error) {
	n, err := l.DB.SettleReminders(ctx, keys, state, at, items...)
	if err == nil {
		l.count(items)
	}
	return n, err
}

func (l *schedLedger) RecordQueued(ctx context.Context, queued, waiting []plan.Reminder, at time.Time, items ...plan.OutboxItem) (bool, int, error) {
	ok, n, err := l.DB.RecordQueued(ctx, queued, waiting, at, items...)
	if ok {
		l.count(items)
	}
	return ok, n, err
}

func (l *schedLedger) count(items []plan.OutboxItem) {
	l.mu.Lock()
	for _, it := range items {
		l.perChat[it.Address.Transport+":"+it.Address.ChatID]++
	}
	l.mu.Unlock()
}

func (l *schedLedger) reset() {
	l.mu.Lock()
	l.perChat = map[string]int{}
	l.mu.Unlock()
}

func (l *schedLedger) maxPerChat() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	m := 0
	for _, n := range l.perChat {
		m = max(m, n)
	}
	return m
}

// schedSender accepts every message at once and closes done when it has
// accepted want of them.
type schedSender struct {
	want int
	done chan struct{}

	mu   sync.Mutex
	n    int
	last time.Time
}

func (s *schedSender) Send(_ context.Context, _ plan.Address, _ plan.Message) (plan.Sent, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n++
	s.last = time.Now()
	if s.n == s.want {
		close(s.done)
	}
	return plan.Sent{MessageID: strconv.Itoa(s.n)}, nil
}

func (s *schedSender) Capabilities() plan.Capabilities {
	return plan.Capabilities{MaxText: 4096, Buttons: true, ReplyTo: true, Documents: true, DeepLinks: true}
}

func (s *schedSender) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n
}

func (s *schedSender) lastAt() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.last
}

// schedProfile starts a CPU profile of the report day's ticks into the
// file PLANBENCH_SCHEDULE_CPUPROFILE names, if it is set; the profiles
// behind docs/benchmarks.md were taken with it. It returns the function
// that stops it.
func schedProfile() (func() error, error) {
	name := os.Getenv("PLANBENCH_SCHEDULE_CPUPROFILE")
	if name == "" {
		return func() error { return nil }, nil
	}
	f, err := os.Create(name)
	if err != nil {
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	return func() error {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			return fmt.Errorf("cpu profile: %w", err)
		}
		return nil
	}, nil
}

// schedCPU is the CPU time the process has used, user and system: beside
// the wall time it tells how much of the planning was waiting for a CPU
// another program held (this machine is shared).
func schedCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// schedTicks runs every ward's tick at now, workers at a time, and
// returns how many outbox items and reminders they queued.
func schedTicks(ctx context.Context, scheds []*scheduler.Scheduler, now time.Time, workers int) (items, reminders int, err error) {
	var (
		mu   sync.Mutex
		errs []error
		wg   sync.WaitGroup
		next = make(chan int)
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				res, err := scheds[i].TickResult(ctx, now)
				mu.Lock()
				if err != nil {
					errs = append(errs, fmt.Errorf("tick of ward %d at %s: %w", i+1, now.Format("2/1 15:04"), err))
				}
				items += res.Messages
				reminders += res.Enqueued
				mu.Unlock()
			}
		}()
	}
	for i := range scheds {
		next <- i
	}
	close(next)
	wg.Wait()
	return items, reminders, errors.Join(errs...)
}

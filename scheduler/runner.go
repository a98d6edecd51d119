package scheduler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/chanhlo/planbot/calendar"
	"github.com/chanhlo/planbot/plan"
)

// Ledger states a recorded reminder moves to; they are the values the
// storage ledger keeps (storage.LedgerEnqueued and the rest).
const (
	StateEnqueued = "enqueued" // its message is in the outbox
	StateMissed   = "missed"   // too late; listed to the secretariat
	StateDropped  = "dropped"  // no longer relevant when its turn came
)

// Ledger is the reminder ledger the runner needs: plan.Ledger's Record,
// which claims reminders so that each is handled by one tick of one
// replica, and the bookkeeping that makes "recorded" and "sent" two
// steps.
type Ledger interface {
	plan.Ledger
	// UnsentReminders returns the reminders of the given plans still
	// pending that were recorded before the given time: a tick died
	// between recording and queueing them, or their unit had nobody to
	// send them to.
	UnsentReminders(ctx context.Context, planIDs []int64, recordedBefore time.Time) ([]plan.Reminder, error)
	// SettleReminders moves pending reminders to state and adds items to
	// the outbox (skipping keys already there) in one transaction, and
	// returns how many items were added.
	SettleReminders(ctx context.Context, keys []string, state string, at time.Time, items ...plan.OutboxItem) (int, error)
	// RecordQueued records reminders no tick has recorded and adds items
	// to the outbox in one transaction: queued as enqueued at at, waiting
	// as pending. When any of them is recorded already it writes nothing
	// and returns false; the tick then takes Record's way. It may also
	// return false, writing nothing, for more than it does at once.
	RecordQueued(ctx context.Context, queued, waiting []plan.Reminder, at time.Time, items ...plan.OutboxItem) (ok bool, added int, err error)
}

// Deps are the stores the runner reads and writes.
type Deps struct {
	Plans    plan.PlanStore
	Officers plan.OfficerStore
	Progress plan.ProgressStore
	Ledger   Ledger
	Calendar *calendar.Calendar
}

// Scheduler runs the reminder tick, and other jobs, on a cron schedule in
// the calendar's zone, only while this replica leads.
type Scheduler struct {
	deps       Deps
	pol        Policy
	cron       *cron.Cron
	leader     plan.Leader
	log        *slog.Logger
	clock      plan.Clock
	org        int64
	tick       string
	catchUp    int
	lookback   time.Duration
	retryAfter time.Duration
	daily      DailyStores
	dailyAt    [2]int
	// standingUnit overrides the plans' standing body (standing.unit).
	standingUnit string
	observe      func(TickResult, error)

	ctx    context.Context
	cancel context.CancelFunc
	mu     sync.Mutex
	jobs   []string
	// last is the time of this process's last completed tick: reminders
	// due before it that are not in the ledger were not due then (a task
	// reported done and later returned), so they are not "missed".
	last time.Time
	// recorded holds, with their due times, the keys of the reminders of
	// the catch-up window this process has seen in the ledger (a row is
	// never removed): a tick leaves them out of Record instead of
	// offering every reminder of the window again every five minutes.
	recorded map[string]time.Time
}

// Option configures New.
type Option func(*Scheduler)

// WithLeader makes the runner skip every job while l says this replica
// does not lead. The default always leads (one process).
func WithLeader(l plan.Leader) Option { return func(s *Scheduler) { s.leader = l } }

// WithLogger sets the logger (default slog.Default()).
func WithLogger(l *slog.Logger) Option { return func(s *Scheduler) { s.log = l } }

// WithClock sets the clock cron jobs read when they fire (default the
// system clock). Tick itself takes the time as an argument.
func WithClock(c plan.Clock) Option { return func(s *Scheduler) { s.clock = c } }

// WithOrg sets the organisation whose plans are reminded (default
// plan.DefaultOrg).
func WithOrg(id int64) Option { return func(s *Scheduler) { s.org = id } }

// WithTick sets the cron spec of the reminder tick (default every five
// minutes, "*/5 * * * *").
func WithTick(spec string) Option { return func(s *Scheduler) { s.tick = spec } }

// WithCatchUp sets how many days late a reminder may still be sent after
// the bot was down (default 3). Older ones are listed to the secretariat.
func WithCatchUp(days int) Option { return func(s *Scheduler) { s.catchUp = days } }

// WithLookback sets how far back a tick looks for reminders that were
// never recorded, to list them as missed (default 31 days). Reminders
// due before their plan was stored are never listed.
func WithLookback(d time.Duration) Option { return func(s *Scheduler) { s.lookback = d } }

// WithRetryAfter sets how old a pending ledger row must be before a tick
// treats it as left behind by an earlier tick and sends it (default two
// minutes). Rows younger than that may belong to a tick running right
// now on another replica.
func WithRetryAfter(d time.Duration) Option { return func(s *Scheduler) { s.retryAfter = d } }

// WithStandingUnit overrides the standing body the plans name: it gets
// the secretariat's copy of escalations and of the weekly digest.
func WithStandingUnit(unit string) Option { return func(s *Scheduler) { s.standingUnit = unit } }

// WithObserver calls fn after every reminder tick (Tick, TickResult, the
// cron job) with what it did and its error: metrics count ticks and the
// reminders queued with it. A tick of a replica that does not lead comes
// with NotLeading set. fn must be quick and safe for concurrent use.
func WithObserver(fn func(TickResult, error)) Option { return func(s *Scheduler) { s.observe = fn } }

type alwaysLeader struct{}

func (alwaysLeader) Leading(context.Context) bool { return true }

// New returns a runner for pol over deps. Call Start to run it on its
// schedule, or Tick directly.
func New(deps Deps, pol Policy, opts ...Option) (*Scheduler, error) {
	s := &Scheduler{
		deps:       deps,
		pol:        pol,
		leader:     alwaysLeader{},
		log:        slog.Default(),
		clock:      plan.SystemClock,
		org:        plan.DefaultOrg,
		tick:       "*/5 * * * *",
		catchUp:    3,
		lookback:   31 * 24 * time.Hour,
		retryAfter: 2 * time.Minute,
		recorded:   map[string]time.Time{},
	}
	for _, o := range opts {
		o(s)
	}
	switch {
	case deps.Plans == nil || deps.Officers == nil || deps.Progress == nil || deps.Ledger == nil || deps.Calendar == nil:
		return nil, errors.New("scheduler: every dependency is required")
	case s.catchUp < 0:
		return nil, fmt.Errorf("scheduler: catch-up of %d days", s.catchUp)
	}
	if s.lookback < time.Duration(s.catchUp)*24*time.Hour {
		s.lookback = time.Duration(s.catchUp) * 24 * time.Hour
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	cl := cronLogger{s.log}
	s.cron = cron.New(
		cron.WithLocation(deps.Calendar.Location()),
		cron.WithLogger(cl),
		// Recover innermost: a panicking run is logged and still counts
		// as finished for SkipIfStillRunning.
		cron.WithChain(cron.SkipIfStillRunning(cl), cron.Recover(cl)),
	)
	if err := s.AddJob(s.tick, "reminders", s.Tick); err != nil {
		return nil, err
	}
	return s, nil
}

// AddJob schedules fn on spec (standard five-field cron, in the
// calendar's zone) under the runner's wrappers: skipped while a previous
// run is still going or while this replica does not lead, panics
// recovered, errors logged. The monthly summary and broadcast chasers run
// through it.
func (s *Scheduler) AddJob(spec, name string, fn func(ctx context.Context, now time.Time) error) error {
	_, err := s.cron.AddFunc(spec, func() {
		ctx := s.ctx
		if ctx.Err() != nil {
			return
		}
		if !s.leader.Leading(ctx) {
			s.log.Debug("job skipped: not the leader", "job", name)
			return
		}
		now := s.clock.Now()
		if err := fn(ctx, now); err != nil {
			s.log.Error("job failed", "job", name, "err", err)
		}
	})
	if err != nil {
		return fmt.Errorf("schedule job %s (%q): %w", name, spec, err)
	}
	s.mu.Lock()
	s.jobs = append(s.jobs, name)
	s.mu.Unlock()
	return nil
}

// Jobs returns the names of the scheduled jobs.
func (s *Scheduler) Jobs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.jobs)
}

// Start runs the jobs on their schedules in the background.
func (s *Scheduler) Start() {
	s.cron.Start()
	s.log.Info("scheduler started", "tick", s.tick, "zone", s.deps.Calendar.Location().String())
}

// Stop stops scheduling and waits for running jobs to finish, or for ctx
// to end, in which case the jobs' context is cancelled and ctx's error
// returned.
func (s *Scheduler) Stop(ctx context.Context) error {
	done := s.cron.Stop().Done()
	select {
	case <-done:
		s.cancel()
		return nil
	case <-ctx.Done():
		s.cancel()
		return ctx.Err()
	}
}

// TickResult tells what one tick did.
type TickResult struct {
	Due        int // reminders due in the catch-up window, new or not
	Recorded   int // reminders this tick claimed in the ledger
	Enqueued   int // reminders settled as sent (their messages queued)
	Messages   int // outbox items added
	Missed     int // reminders listed to the secretariat as not sent
	Dropped    int // reminders no longer relevant
	Waiting    int // reminders kept pending: nobody to send them to
	NotLeading bool
}

// Tick does one round at now: it works out the reminders due in the
// last catch-up days, claims those not yet in the ledger, and queues one
// message per officer (and per plan) for them; reminders of earlier ticks
// still pending are retried. It is what the cron job runs; tests call it
// with a fixed time.
func (s *Scheduler) Tick(ctx context.Context, now time.Time) error {
	_, err := s.TickResult(ctx, now)
	return err
}

// TickResult is Tick, reporting what it did.
func (s *Scheduler) TickResult(ctx context.Context, now time.Time) (res TickResult, err error) {
	if s.observe != nil {
		defer func() { s.observe(res, err) }()
	}
	if !s.leader.Leading(ctx) {
		res.NotLeading = true
		return res, nil
	}
	cal := s.deps.Calendar
	now = now.In(cal.Location())
	plans, err := s.deps.Plans.Plans(ctx, s.org)
	if err != nil {
		return res, fmt.Errorf("tick: %w", err)
	}
	// Archived plans are history: no reminders, no notices.
	plans = plan.ActivePlans(plans)
	officers, err := s.deps.Officers.Officers(ctx, s.org)
	if err != nil {
		return res, fmt.Errorf("tick: %w", err)
	}
	byID := map[int64]*plan.Plan{}
	catchFrom := now.Add(-time.Duration(s.catchUp) * 24 * time.Hour)
	end := now.Add(time.Nanosecond) // the window is (from, now]
	// Look back over the catch-up period, and further to find the
	// reminders missed while nobody ticked: since this process's last
	// tick, or over the lookback on the first tick.
	from := now.Add(-s.lookback)
	s.mu.Lock()
	if last := s.last; last.After(from) {
		from = last
		if catchFrom.Before(from) {
			from = catchFrom
		}
	}
	s.mu.Unlock()
	from = from.Add(time.Nanosecond)
	// Reminders left pending by earlier ticks are re-checked against
	// the policy over a window that reaches back to them.
	planIDs := make([]int64, len(plans))
	for i := range plans {
		planIDs[i] = plans[i].ID
	}
	left, err := s.deps.Ledger.UnsentReminders(ctx, planIDs, now.Add(-s.retryAfter))
	if err != nil {
		return res, fmt.Errorf("tick: %w", err)
	}
	wide := from
	for _, r := range left {
		if r.At.Before(wide) {
			wide = r.At
		}
	}
	// current tells which reminders left pending by earlier ticks are
	// still due; with none left it is not needed.
	var current map[string]bool
	if len(left) > 0 {
		current = map[string]bool{}
	}
	var due []plan.Reminder
	for i := range plans {
		p := &plans[i]
		byID[p.ID] = p
		st, err := loadStatus(ctx, s.deps.Progress, s.org, p.ID)
		if err != nil {
			return res, fmt.Errorf("tick: %w", err)
		}
		for _, r := range s.pol.Due(cal, p, st, wide, end) {
			if current != nil {
				current[r.Key()] = true
			}
			if r.At.Before(from) {
				continue
			}
			// Reminders due before the plan was stored were never
			// missed: the bot did not know them.
			if r.At.After(catchFrom) || p.CreatedAt.IsZero() || !r.At.Before(p.CreatedAt) {
				due = append(due, r)
			}
		}
	}
	res.Due = len(due)
	s.mu.Lock()
	last := s.last
	due = slices.DeleteFunc(due, func(r plan.Reminder) bool {
		_, ok := s.recorded[r.Key()]
		return ok
	})
	s.mu.Unlock()
	rcpt := newRecipients(officers)
	tp := tickPlan{s: s, byID: byID, current: current, rcpt: rcpt, catchFrom: catchFrom, now: now}

	// A running bot's tick meets its new reminders first: due after its
	// last tick, so no tick of this process recorded them. When those
	// earlier ticks left behind are still waiting for an officer (or
	// none are), the new ones are recorded and queued in one step; should
	// another replica have recorded one, nothing is written and they go
	// Record's way.
	if len(due) > 0 && !last.IsZero() && allAfter(due, last) && allAfter(due, catchFrom) {
		// Those of archived plans stay pending either way.
		active := slices.DeleteFunc(slices.Clone(left), func(r plan.Reminder) bool { return byID[r.PlanID] == nil })
		held := tickPlan{s: s, byID: byID, current: current, rcpt: rcpt, catchFrom: catchFrom, now: now}
		held.sort(active)
		if len(held.waiting) == len(active) {
			tp.sort(due)
			if tp.quick() {
				ok, n, err := s.deps.Ledger.RecordQueued(ctx, tp.queued, tp.waiting, now, tp.items...)
				if err != nil {
					return res, fmt.Errorf("tick: %w", err)
				}
				if ok {
					s.remember(due)
					res.Recorded, res.Enqueued, res.Messages = len(due), len(tp.keys), n
					res.Waiting = len(tp.waiting) + len(held.waiting)
					s.finish(now, res)
					return res, nil
				}
			}
			tp = tickPlan{s: s, byID: byID, current: current, rcpt: rcpt, catchFrom: catchFrom, now: now}
		}
	}

	fresh, err := s.deps.Ledger.Record(ctx, due)
	if err != nil {
		return res, fmt.Errorf("tick: %w", err)
	}
	// Those not fresh were recorded by another tick: they are in the
	// ledger as well.
	s.remember(due)
	res.Recorded = len(fresh)
	work := fresh
	seen := map[string]bool{}
	for _, r := range fresh {
		seen[r.Key()] = true
	}
	for _, r := range left {
		if !seen[r.Key()] && byID[r.PlanID] != nil {
			seen[r.Key()] = true
			work = append(work, r)
		}
	}
	if len(work) == 0 {
		s.finish(now, res)
		return res, nil
	}
	tp.sort(work)
	res.Waiting = len(tp.waiting)

	var errs []error
	if len(tp.dropped) > 0 {
		if _, err := s.deps.Ledger.SettleReminders(ctx, keysOf(tp.dropped), StateDropped, now); err != nil {
			errs = append(errs, err)
		} else {
			res.Dropped = len(tp.dropped)
		}
	}
	if len(tp.keys) > 0 {
		// All of the tick's messages and their reminders in one
		// transaction: if it fails nothing is queued and the next tick
		// tries again with the same reminders.
		n, err := s.deps.Ledger.SettleReminders(ctx, tp.keys, StateEnqueued, now, tp.items...)
		if err != nil {
			errs = append(errs, err)
		} else {
			res.Enqueued, res.Messages = len(tp.keys), res.Messages+n
		}
	}
	if len(tp.late)+len(tp.unassigned) > 0 {
		sec := rcpt.secretariat()
		if len(sec) == 0 {
			s.log.Warn("reminders not sent and nobody in the secretariat to tell; kept pending",
				"late", len(tp.late), "unassigned", len(tp.unassigned))
			res.Waiting += len(tp.late) + len(tp.unassigned)
		} else {
			// With a daily notice the secretariat hears of them there, once
			// a day; without one, at once.
			var items []plan.OutboxItem
			for _, o := range sec {
				if s.daily == nil {
					items = append(items, missedDigest(cal, byID, s.org, o, tp.late, tp.unassigned, s.catchUp, now)...)
				}
			}
			s.inOfficeHours(items, now)
			missed := append(slices.Clone(tp.late), tp.unassigned...)
			n, err := s.deps.Ledger.SettleReminders(ctx, keysOf(missed), StateMissed, now, items...)
			if err != nil {
				errs = append(errs, err)
			} else {
				res.Missed, res.Messages = len(missed), res.Messages+n
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return res, fmt.Errorf("tick: %w", err)
	}
	s.finish(now, res)
	return res, nil
}

// finish notes a completed tick at now and logs what it queued.
func (s *Scheduler) finish(now time.Time, res TickResult) {
	s.mu.Lock()
	s.last = now
	// The next tick looks back over the catch-up window (further only
	// when ticks stopped for longer, and then Record sorts it out): keys
	// due before it need not be kept.
	cut := now.Add(-time.Duration(s.catchUp) * 24 * time.Hour)
	for k, at := range s.recorded {
		if at.Before(cut) {
			delete(s.recorded, k)
		}
	}
	s.mu.Unlock()
	if res.Messages+res.Missed+res.Dropped > 0 {
		s.log.Info("reminders queued", "enqueued", res.Enqueued, "messages", res.Messages,
			"missed", res.Missed, "dropped", res.Dropped, "waiting", res.Waiting)
	}
}

// remember notes reminders as in the ledger.
func (s *Scheduler) remember(rs []plan.Reminder) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range rs {
		s.recorded[r.Key()] = r.At
	}
}

// allAfter reports whether every reminder is due after t.
func allAfter(rs []plan.Reminder, t time.Time) bool {
	for _, r := range rs {
		if !r.At.After(t) {
			return false
		}
	}
	return true
}

// tickPlan sorts a tick's reminders into what becomes of them: the
// messages to queue (one per officer and plan, escalations apart) and the
// reminders they carry, and those dropped, too late, with nobody to tell,
// or waiting for an officer.
type tickPlan struct {
	s         *Scheduler
	byID      map[int64]*plan.Plan
	current   map[string]bool // nil: every reminder is current
	rcpt      *recipients
	catchFrom time.Time
	now       time.Time

	dropped, late, unassigned, waiting []plan.Reminder
	// queued are the reminders the items carry; keys are their keys.
	queued []plan.Reminder
	keys   []string
	items  []plan.OutboxItem
}

// quick reports whether the plan is only messages to queue and
// reminders waiting: what RecordQueued does in one step.
func (tp *tickPlan) quick() bool {
	return len(tp.dropped)+len(tp.late)+len(tp.unassigned) == 0
}

func (tp *tickPlan) sort(work []plan.Reminder) {
	cal := tp.s.deps.Calendar
	// One message per officer and plan, escalations apart.
	type groupKey struct {
		plan, officer int64
		escal         bool
	}
	type group struct {
		plan    *plan.Plan
		officer plan.Officer
		escal   bool
		rs      []plan.Reminder
	}
	index := map[groupKey]int{}
	var groups []group
	tp.queued, tp.keys = make([]plan.Reminder, 0, len(work)), make([]string, 0, len(work))
	for _, r := range work {
		r.At = r.At.In(cal.Location())
		key := r.Key()
		to := tp.rcpt.of(r)
		if r.Kind == plan.RemindEscalation {
			// The standing body gets the secretariat's copy.
			to = slices.Concat(to, tp.rcpt.standing(tp.s.standingOf(tp.byID[r.PlanID]), r.Unit))
		}
		switch {
		case tp.current != nil && !tp.current[key]:
			tp.dropped = append(tp.dropped, r)
		case !r.At.After(tp.catchFrom) && len(to) == 0:
			tp.unassigned = append(tp.unassigned, r)
		case !r.At.After(tp.catchFrom):
			tp.late = append(tp.late, r)
		case len(to) == 0:
			tp.waiting = append(tp.waiting, r)
		default:
			for _, o := range to {
				k := groupKey{r.PlanID, o.ID, r.Kind == plan.RemindEscalation}
				i, ok := index[k]
				if !ok {
					i = len(groups)
					index[k] = i
					groups = append(groups, group{plan: tp.byID[r.PlanID], officer: o, escal: k.escal})
				}
				groups[i].rs = append(groups[i].rs, r)
			}
			tp.queued = append(tp.queued, r)
			tp.keys = append(tp.keys, key)
		}
	}
	for _, g := range groups {
		if g.escal {
			tp.items = append(tp.items, escalationDigest(cal, g.plan, g.officer, g.rs, tp.now)...)
		} else {
			tp.items = append(tp.items, unitDigest(cal, g.plan, g.officer, g.rs, tp.now)...)
		}
	}
	tp.s.inOfficeHours(tp.items, tp.now)
}

// inOfficeHours holds items back until office hours of a working day: a
// tick that catches up at night or on a Sunday (the bot was down across a
// reminder, or the secretariat's notice is due) must not wake anyone.
func (s *Scheduler) inOfficeHours(items []plan.OutboxItem, now time.Time) {
	at := s.deps.Calendar.Adjust(now, s.pol.Office, false)
	for i := range items {
		if items[i].NotBefore.Before(at) {
			items[i].NotBefore = at
		}
	}
}

func keysOf(rs []plan.Reminder) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Key()
	}
	return out
}

// recipients picks who gets a reminder.
type recipients struct {
	officers, deputies map[string][]plan.Officer // by unit
	sec, chair         []plan.Officer
}

func newRecipients(all []plan.Officer) *recipients {
	r := &recipients{officers: map[string][]plan.Officer{}, deputies: map[string][]plan.Officer{}}
	for _, o := range all {
		if !o.Active {
			continue
		}
		switch o.Role {
		case plan.RoleOfficer:
			r.officers[o.Unit] = append(r.officers[o.Unit], o)
		case plan.RoleDeputy:
			r.deputies[o.Unit] = append(r.deputies[o.Unit], o)
		case plan.RoleSecretariat:
			r.sec = append(r.sec, o)
		case plan.RoleChairman:
			r.chair = append(r.chair, o)
		}
	}
	return r
}

// reachable returns those of os the bot can reach: os itself when all
// are (every unit's recipients are asked for on every reminder of a tick).
// The result is not to be changed.
func reachable(os []plan.Officer) []plan.Officer {
	for i, o := range os {
		if o.Reachable() {
			continue
		}
		out := slices.Clone(os[:i])
		for _, o := range os[i+1:] {
			if o.Reachable() {
				out = append(out, o)
			}
		}
		return out
	}
	return os
}

// unit returns who gets a unit's reminders: its reachable officer, else
// its reachable deputy, else whoever is registered (the outbox will
// report them unreachable), else nobody.
func (r *recipients) unit(u string) []plan.Officer {
	if os := reachable(r.officers[u]); len(os) > 0 {
		return os
	}
	if os := reachable(r.deputies[u]); len(os) > 0 {
		return os
	}
	if len(r.officers[u]) > 0 {
		return r.officers[u]
	}
	return r.deputies[u]
}

func (r *recipients) secretariat() []plan.Officer {
	if os := reachable(r.sec); len(os) > 0 {
		return os
	}
	return r.sec
}

func (r *recipients) chairman() []plan.Officer {
	if os := reachable(r.chair); len(os) > 0 {
		return os
	}
	return r.chair
}

// standing returns who speaks for the standing body unit about another
// unit's task; nobody when unit is "" or the task is its own.
func (r *recipients) standing(unit, about string) []plan.Officer {
	if unit == "" || unit == about {
		return nil
	}
	return r.unit(unit)
}

// standingOf returns p's standing body, or the configured override.
func (s *Scheduler) standingOf(p *plan.Plan) string {
	if s.standingUnit != "" {
		return s.standingUnit
	}
	if p == nil {
		return ""
	}
	return p.Standing
}

func (r *recipients) of(rem plan.Reminder) []plan.Officer {
	if rem.Kind == plan.RemindEscalation {
		return r.secretariat()
	}
	return r.unit(rem.Unit)
}

// status is a Status read from the progress store.
type status struct {
	done     map[string]bool // code|unit
	reported map[reportedKey]bool
	// blocker is each task's latest report naming a difficulty.
	blocker map[string]plan.Progress // code
}

// DoneStatus reads the reports on a plan and returns a Status that knows
// which units are done with which tasks, and nothing of what was reported
// when: what a preview of future reminders needs (it must not remind of
// tasks recorded as done).
func DoneStatus(ctx context.Context, ps plan.ProgressStore, org, planID int64) (Status, error) {
	st, err := loadStatus(ctx, ps, org, planID)
	if err != nil {
		return nil, err
	}
	return doneOnly{st}, nil
}

type doneOnly struct{ st *status }

func (d doneOnly) Done(id int64, code, unit string) bool          { return d.st.Done(id, code, unit) }
func (doneOnly) Reported(int64, string, string, plan.Period) bool { return false }

// loadStatus reads the latest reports on a plan. A unit is done with a
// task when its latest report says done and the secretariat has not
// returned it.
func loadStatus(ctx context.Context, ps plan.ProgressStore, org, planID int64) (*status, error) {
	list, err := ps.ListProgress(ctx, plan.ProgressFilter{OrgID: org, PlanID: planID})
	if err != nil {
		return nil, fmt.Errorf("progress of plan %d: %w", planID, err)
	}
	slices.SortStableFunc(list, func(a, b plan.Progress) int { return a.ReportedAt.Compare(b.ReportedAt) })
	st := &status{done: map[string]bool{}, reported: map[reportedKey]bool{}, blocker: map[string]plan.Progress{}}
	for _, p := range list {
		k := p.TaskCode + "|" + p.Unit
		// Reports come oldest first: the latest decides.
		st.done[k] = p.Kind == plan.ProgressDone && p.Confirm != plan.ConfirmReturned
		if p.Blocker != "" {
			st.blocker[p.TaskCode] = p
		}
		for _, m := range p.Period.Months() {
			st.reported[reportedKey{p.TaskCode, p.Unit, m}] = true
		}
	}
	return st, nil
}

func (s *status) Done(_ int64, code, unit string) bool { return s.done[code+"|"+unit] }

// reportedKey is a unit's report on a task for a month.
type reportedKey struct {
	code, unit string
	month      plan.Period
}

func (s *status) Reported(_ int64, code, unit string, p plan.Period) bool {
	if len(s.reported) == 0 {
		return false
	}
	if p.Kind == plan.PeriodMonth {
		// The policy's months are normalised (N 1–12), as MonthOf
		// makes the reports' own.
		return s.reported[reportedKey{code, unit, p}]
	}
	for _, m := range p.Months() {
		if s.reported[reportedKey{code, unit, m}] {
			return true
		}
	}
	return false
}

// cronLogger routes robfig/cron's messages to slog.
type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, kv ...any) { l.log.Debug("cron: "+msg, kv...) }
func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error("cron: "+msg, append(kv, "err", err)...)
}

package scheduler

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"

	"github.com/chanhlo/planbot/plan"
)

// fakePlans serves a fixed list of plans.
type fakePlans struct {
	plan.PlanStore // unused methods panic
	plans          []plan.Plan
}

func (f *fakePlans) Plans(context.Context, int64) ([]plan.Plan, error) {
	return slices.Clone(f.plans), nil
}

// fakeOfficers serves a list of officers that tests change between ticks.
type fakeOfficers struct {
	plan.OfficerStore
	mu   sync.Mutex
	list []plan.Officer
}

func (f *fakeOfficers) Officers(context.Context, int64) ([]plan.Officer, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.list), nil
}

func (f *fakeOfficers) add(o plan.Officer) {
	f.mu.Lock()
	defer f.mu.Unlock()
	o.Active = true
	f.list = append(f.list, o)
}

// fakeProgress serves reports.
type fakeProgress struct {
	plan.ProgressStore
	mu   sync.Mutex
	list []plan.Progress
}

func (f *fakeProgress) ListProgress(_ context.Context, flt plan.ProgressFilter) ([]plan.Progress, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []plan.Progress
	for _, p := range f.list {
		if flt.PlanID == 0 || p.PlanID == flt.PlanID {
			out = append(out, p)
		}
	}
	return out, nil
}

// fakeLedger is an in-memory ledger and outbox with the storage
// semantics: Record claims each key once, SettleReminders queues items
// (deduplicated by key) and settles reminders atomically. failSettle
// makes the next n settles fail, as a process dying mid-tick would.
type fakeLedger struct {
	mu         sync.Mutex
	clock      func() time.Time
	rows       map[string]*ledgerEntry
	order      []string
	outbox     []plan.OutboxItem
	outKeys    map[string]bool
	failSettle int
	quick      int  // RecordQueued calls
	noQuick    bool // RecordQueued refuses, as for more than it does at once
	offered    int  // reminders given to Record
}

type ledgerEntry struct {
	r        plan.Reminder
	state    string
	recorded time.Time
	settled  time.Time
}

func newFakeLedger(clock func() time.Time) *fakeLedger {
	return &fakeLedger{clock: clock, rows: map[string]*ledgerEntry{}, outKeys: map[string]bool{}}
}

func (f *fakeLedger) Record(_ context.Context, rs []plan.Reminder) ([]plan.Reminder, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.offered += len(rs)
	var out []plan.Reminder
	for _, r := range rs {
		if f.rows[r.Key()] != nil {
			continue
		}
		f.rows[r.Key()] = &ledgerEntry{r: r, state: "pending", recorded: f.clock()}
		f.order = append(f.order, r.Key())
		out = append(out, r)
	}
	return out, nil
}

func (f *fakeLedger) UnsentReminders(_ context.Context, planIDs []int64, before time.Time) ([]plan.Reminder, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []plan.Reminder
	for _, k := range f.order {
		if e := f.rows[k]; e.state == "pending" && e.recorded.Before(before) && slices.Contains(planIDs, e.r.PlanID) {
			out = append(out, e.r)
		}
	}
	return out, nil
}

var errCrash = errors.New("the process died")

func (f *fakeLedger) SettleReminders(_ context.Context, keys []string, state string, at time.Time, items ...plan.OutboxItem) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.failSettle > 0 {
		f.failSettle--
		return 0, errCrash
	}
	n := f.queue(items)
	for _, k := range keys {
		if e := f.rows[k]; e != nil && e.state == "pending" {
			e.state, e.settled = state, at
		}
	}
	return n, nil
}

// RecordQueued is Record and SettleReminders in one step, all or
// nothing; a failing settle (failSettle) fails it too, writing nothing.
func (f *fakeLedger) RecordQueued(_ context.Context, queued, waiting []plan.Reminder, at time.Time, items ...plan.OutboxItem) (bool, int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.quick++
	if f.noQuick {
		return false, 0, nil
	}
	if f.failSettle > 0 {
		f.failSettle--
		return false, 0, errCrash
	}
	for _, r := range slices.Concat(queued, waiting) {
		if f.rows[r.Key()] != nil {
			return false, 0, nil
		}
	}
	for _, r := range waiting {
		f.rows[r.Key()] = &ledgerEntry{r: r, state: "pending", recorded: f.clock()}
		f.order = append(f.order, r.Key())
	}
	for _, r := range queued {
		if f.rows[r.Key()] == nil {
			f.rows[r.Key()] = &ledgerEntry{r: r, state: "enqueued", recorded: f.clock(), settled: at}
			f.order = append(f.order, r.Key())
		}
	}
	return true, f.queue(items), nil
}

// queue adds the items not queued yet and returns how many it added.
func (f *fakeLedger) queue(items []plan.OutboxItem) int {
	n := 0
	for _, it := range items {
		if !f.outKeys[it.Key] {
			f.outKeys[it.Key] = true
			f.outbox = append(f.outbox, it)
			n++
		}
	}
	return n
}

// MissedReminders makes fakeLedger half of DailyStores.
func (f *fakeLedger) MissedReminders(_ context.Context, planIDs []int64, since, until time.Time) ([]plan.Reminder, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []plan.Reminder
	for _, k := range f.order {
		if e := f.rows[k]; e.state == StateMissed && !e.settled.Before(since) && e.settled.Before(until) && slices.Contains(planIDs, e.r.PlanID) {
			out = append(out, e.r)
		}
	}
	return out, nil
}

// fakeDaily is the ledger's missed reminders and a list of invites.
type fakeDaily struct {
	*fakeLedger
	invites []plan.Invite
}

func (f *fakeDaily) UnusedInvites(_ context.Context, _ int64, from, to time.Time) ([]plan.Invite, error) {
	var out []plan.Invite
	for _, inv := range f.invites {
		if inv.UsedAt == nil && !inv.ExpiresAt.Before(from) && inv.ExpiresAt.Before(to) {
			out = append(out, inv)
		}
	}
	return out, nil
}

func (f *fakeLedger) state(key string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if e := f.rows[key]; e != nil {
		return e.state
	}
	return ""
}

// sent returns the outbox items queued since the last call.
func (f *fakeLedger) take() []plan.OutboxItem {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := f.outbox
	f.outbox = nil
	return out
}

type leaderFunc func() bool

func (l leaderFunc) Leading(context.Context) bool { return l() }

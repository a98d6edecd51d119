package delivery

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/chanhlo/planbot/plan"
)

var t0 = time.Date(2023, 5, 2, 1, 0, 0, 0, time.UTC) // 8:00 in Vietnam

// fakeClock moves only when told. After either advances the clock at once
// (auto) or waits for Advance, and reports each wait on sleeps.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	auto   bool
	timers []fakeTimer
	sleeps chan time.Duration
}

type fakeTimer struct {
	at time.Time
	ch chan time.Time
}

func newClock(auto bool) *fakeClock {
	return &fakeClock{now: t0, auto: auto, sleeps: make(chan time.Duration, 100)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	ch := make(chan time.Time, 1)
	c.mu.Lock()
	if c.auto {
		c.now = c.now.Add(d)
		ch <- c.now
		c.mu.Unlock()
		return ch
	}
	c.timers = append(c.timers, fakeTimer{c.now.Add(d), ch})
	c.mu.Unlock()
	select {
	case c.sleeps <- d:
	default:
	}
	return ch
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	kept := c.timers[:0]
	for _, t := range c.timers {
		if t.at.After(c.now) {
			kept = append(kept, t)
			continue
		}
		t.ch <- c.now
	}
	c.timers = kept
}

// memOutbox is an in-memory plan.Outbox with the storage's semantics.
type memOutbox struct {
	mu     sync.Mutex
	items  []*plan.OutboxItem
	owners map[int64]string
	leases map[int64]time.Time
}

func newOutbox() *memOutbox {
	return &memOutbox{owners: map[int64]string{}, leases: map[int64]time.Time{}}
}

func (o *memOutbox) Enqueue(_ context.Context, items ...plan.OutboxItem) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	n := 0
outer:
	for _, it := range items {
		for _, have := range o.items {
			if have.Key == it.Key {
				continue outer
			}
		}
		it.ID = int64(len(o.items) + 1)
		it.Status = plan.OutboxPending
		if it.NotBefore.IsZero() {
			it.NotBefore = t0
		}
		o.items = append(o.items, &it)
		n++
	}
	return n, nil
}

func (o *memOutbox) claimable(it *plan.OutboxItem, owner string, now time.Time) bool {
	l, leased := o.leases[it.ID]
	return it.Status == plan.OutboxPending && !it.NotBefore.After(now) &&
		(!leased || !l.After(now) || o.owners[it.ID] == owner)
}

func (o *memOutbox) Claim(_ context.Context, owner string, now time.Time, lease time.Duration, limit int) ([]plan.OutboxItem, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	var out []plan.OutboxItem
	for _, it := range o.sorted() {
		if len(out) == limit {
			break
		}
		if o.claimable(it, owner, now) {
			o.owners[it.ID], o.leases[it.ID] = owner, now.Add(lease)
			out = append(out, *it)
		}
	}
	return out, nil
}

func (o *memOutbox) sorted() []*plan.OutboxItem {
	s := slices.Clone(o.items)
	slices.SortStableFunc(s, func(a, b *plan.OutboxItem) int {
		return cmp.Compare(a.ID, b.ID)
	})
	return s
}

func (o *memOutbox) NextDue(context.Context) (time.Time, bool, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	var next time.Time
	for _, it := range o.items {
		if it.Status != plan.OutboxPending {
			continue
		}
		t := it.NotBefore
		if l, ok := o.leases[it.ID]; ok && l.After(t) {
			t = l
		}
		if next.IsZero() || t.Before(next) {
			next = t
		}
	}
	return next, !next.IsZero(), nil
}

func (o *memOutbox) get(id int64) (*plan.OutboxItem, error) {
	if id < 1 || int(id) > len(o.items) {
		return nil, plan.Errorf(plan.ENotFound, "không có %d", id)
	}
	return o.items[id-1], nil
}

func (o *memOutbox) update(id int64, fn func(it *plan.OutboxItem)) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	it, err := o.get(id)
	if err != nil {
		return err
	}
	if it.Status == plan.OutboxPending {
		fn(it)
		delete(o.leases, id)
		delete(o.owners, id)
	}
	return nil
}

func (o *memOutbox) MarkSent(_ context.Context, id int64, ext string, at time.Time) error {
	return o.update(id, func(it *plan.OutboxItem) { it.Status, it.ExternalID, it.SentAt = plan.OutboxSent, ext, &at })
}

func (o *memOutbox) Retry(_ context.Context, id int64, next time.Time, reason string) error {
	return o.update(id, func(it *plan.OutboxItem) { it.Attempts++; it.NotBefore = next; it.LastError = reason })
}

func (o *memOutbox) Release(_ context.Context, id int64, next time.Time) error {
	return o.update(id, func(it *plan.OutboxItem) { it.NotBefore = next })
}

func (o *memOutbox) Fail(_ context.Context, id int64, reason string) error {
	return o.update(id, func(it *plan.OutboxItem) { it.Attempts++; it.Status = plan.OutboxFailed; it.LastError = reason })
}

func (o *memOutbox) MoveAddress(_ context.Context, from, to plan.Address) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	n := 0
	for _, it := range o.items {
		if it.Status == plan.OutboxPending && it.Address == from {
			it.Address = to
			n++
		}
	}
	return n, nil
}

func (o *memOutbox) ByExternalID(_ context.Context, to plan.Address, ext string) (*plan.OutboxItem, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, it := range o.items {
		if it.Status == plan.OutboxSent && it.Address == to && it.ExternalID == ext {
			c := *it
			return &c, nil
		}
	}
	return nil, plan.Errorf(plan.ENotFound, "không thấy")
}

func (o *memOutbox) item(key string) plan.OutboxItem {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, it := range o.items {
		if it.Key == key {
			return *it
		}
	}
	panic("no item " + key)
}

func (o *memOutbox) keys(status plan.OutboxStatus) []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	var out []string
	for _, it := range o.items {
		if it.Status == status {
			out = append(out, it.Key)
		}
	}
	return out
}

// fakeSender records deliveries; fail decides a refusal per address.
type fakeSender struct {
	mu   sync.Mutex
	sent []delivered
	fail func(to plan.Address, m plan.Message) error
	// block, when set, is waited on inside Send (after started is told).
	block   chan struct{}
	started chan struct{}
}

type delivered struct {
	to   plan.Address
	text string
	at   time.Time
}

func (s *fakeSender) Send(_ context.Context, to plan.Address, m plan.Message) (plan.Sent, error) {
	if s.started != nil {
		s.started <- struct{}{}
	}
	if s.block != nil {
		<-s.block
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		if err := s.fail(to, m); err != nil {
			return plan.Sent{}, err
		}
	}
	s.sent = append(s.sent, delivered{to: to, text: m.Text})
	return plan.Sent{MessageID: fmt.Sprint(len(s.sent))}, nil
}

func (s *fakeSender) Capabilities() plan.Capabilities { return plan.Capabilities{MaxText: 4096} }

func (s *fakeSender) texts() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, d := range s.sent {
		out = append(out, d.text)
	}
	return out
}

func (s *fakeSender) chats() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, d := range s.sent {
		out = append(out, d.to.ChatID)
	}
	return out
}

// fakeOfficers is an in-memory Officers.
type fakeOfficers struct {
	mu       sync.Mutex
	officers map[int64]*plan.Officer
	moves    [][2]plan.Address
	changes  int
}

func (f *fakeOfficers) OfficerByID(_ context.Context, id int64) (*plan.Officer, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	o, ok := f.officers[id]
	if !ok {
		return nil, plan.Errorf(plan.ENotFound, "không có cán bộ %d", id)
	}
	c := *o
	return &c, nil
}

func (f *fakeOfficers) Officers(_ context.Context, org int64) ([]plan.Officer, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []plan.Officer
	for _, o := range f.officers {
		if o.OrgID == org && o.Active {
			out = append(out, *o)
		}
	}
	slices.SortFunc(out, func(a, b plan.Officer) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

func (f *fakeOfficers) SetUnreachable(_ context.Context, id int64, since *time.Time) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	o, ok := f.officers[id]
	if !ok {
		return false, plan.Errorf(plan.ENotFound, "không có cán bộ %d", id)
	}
	if (o.UnreachableSince == nil) == (since == nil) {
		return false, nil
	}
	o.UnreachableSince = since
	f.changes++
	return true, nil
}

func (f *fakeOfficers) MoveAddress(_ context.Context, from, to plan.Address) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.moves = append(f.moves, [2]plan.Address{from, to})
	for _, o := range f.officers {
		if o.Active && o.Address == from {
			o.Address = to
		}
	}
	return nil
}

package delivery

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/chanhlo/planbot/plan"
)

func tg(chat string) plan.Address { return plan.Address{Transport: "telegram", ChatID: chat} }

func item(key, chat string) plan.OutboxItem {
	return plan.OutboxItem{OrgID: 1, Key: key, OfficerID: 0, Address: tg(chat), Message: plan.Message{Text: key}, NotBefore: t0}
}

type env struct {
	outbox   *memOutbox
	sender   *fakeSender
	clock    *fakeClock
	officers *fakeOfficers
	d        *Dispatcher
}

func newEnv(t *testing.T, auto bool, opts ...Option) *env {
	t.Helper()
	e := &env{
		outbox: newOutbox(),
		sender: &fakeSender{},
		clock:  newClock(auto),
		officers: &fakeOfficers{officers: map[int64]*plan.Officer{
			1: {ID: 1, OrgID: 1, Name: "Nguyễn Văn An", Unit: "Công an phường", Role: plan.RoleOfficer, Address: tg("1001"), Active: true},
			2: {ID: 2, OrgID: 1, Name: "Trần Thị Bình", Unit: "Văn phòng UBND phường", Role: plan.RoleSecretariat, Address: tg("2002"), Active: true},
			3: {ID: 3, OrgID: 1, Name: "Lê Văn Cường", Unit: "Văn phòng UBND phường", Role: plan.RoleSecretariat, Address: tg("3003"), Active: true},
			4: {ID: 4, OrgID: 1, Name: "Phạm Thu Dung", Unit: "Văn phòng UBND phường", Role: plan.RoleSecretariat, Address: tg("4004"), Active: false},
			5: {ID: 5, OrgID: 1, Name: "Hồ Văn Em", Unit: "Văn phòng UBND phường", Role: plan.RoleSecretariat, Address: tg("5005"), Active: true, UnreachableSince: &t0},
			6: {ID: 6, OrgID: 1, Name: "Đoàn Minh Giang", Role: plan.RoleChairman, Address: tg("6006"), Active: true},
		}},
	}
	base := []Option{
		WithClock(e.clock), WithAfter(e.clock.After), WithOfficers(e.officers),
		WithLogger(slog.New(slog.DiscardHandler)), WithOwner("test"), WithJitter(func() float64 { return 0.5 }),
		// One item after the other: these tests read the order of sends
		// and the fake clock's timers; concurrency has its own tests.
		WithConcurrency(1),
	}
	e.d = New(e.outbox, map[string]plan.Sender{"telegram": e.sender}, append(base, opts...)...)
	return e
}

func (e *env) enqueue(t *testing.T, items ...plan.OutboxItem) {
	t.Helper()
	if _, err := e.outbox.Enqueue(context.Background(), items...); err != nil {
		t.Fatal(err)
	}
}

func (e *env) runOnce(t *testing.T) int {
	t.Helper()
	n, err := e.d.RunOnce(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestDispatcherSendsAndRecords(t *testing.T) {
	e := newEnv(t, true)
	e.enqueue(t, item("a", "1"), item("b", "2"), item("later", "3"))
	later := e.outbox.item("later")
	e.outbox.mu.Lock()
	e.outbox.items[later.ID-1].NotBefore = t0.Add(time.Hour)
	e.outbox.mu.Unlock()

	if n := e.runOnce(t); n != 2 {
		t.Errorf("RunOnce = %d, want 2", n)
	}
	if got, want := e.sender.texts(), []string{"a", "b"}; !slices.Equal(got, want) {
		t.Errorf("sent %v, want %v", got, want)
	}
	a := e.outbox.item("a")
	if a.Status != plan.OutboxSent || a.ExternalID != "1" || a.SentAt == nil {
		t.Errorf("a = %+v", a)
	}
	if got := e.outbox.item("later").Status; got != plan.OutboxPending {
		t.Errorf("later = %s, want pending", got)
	}
	if n := e.runOnce(t); n != 0 {
		t.Errorf("second RunOnce = %d, want 0", n)
	}
}

func TestDispatcherRefusals(t *testing.T) {
	refuse := func(f plan.SendFailure) error {
		return &plan.SendError{Failure: f, Err: errors.New(string(f))}
	}
	tests := []struct {
		name     string
		chat     string
		attempts int
		err      error
		// want: the item's status, attempts and NotBefore offset after one pass
		status   plan.OutboxStatus
		tries    int
		after    time.Duration
		paused   string // "chat", "transport" or ""
		officers int    // SetUnreachable changes
	}{
		{"rate limited in a group", "-100", 0, &plan.SendError{Failure: plan.SendRateLimited, RetryAfter: 40 * time.Second}, plan.OutboxPending, 0, 40 * time.Second, "chat", 0},
		{"rate limited in a private chat", "1001", 0, &plan.SendError{Failure: plan.SendRateLimited, RetryAfter: 5 * time.Second}, plan.OutboxPending, 0, 5 * time.Second, "chat", 0},
		{"rate limited, the whole bot", "1001", 0, &plan.SendError{Failure: plan.SendRateLimited, RetryAfter: 5 * time.Second, WholeBot: true}, plan.OutboxPending, 0, 5 * time.Second, "transport", 0},
		{"temporary, first", "1001", 0, refuse(plan.SendTemporary), plan.OutboxPending, 1, DefaultBackoff, "", 0},
		{"temporary, third", "1001", 2, refuse(plan.SendTemporary), plan.OutboxPending, 3, 4 * DefaultBackoff, "", 0},
		{"plain error is temporary", "1001", 0, errors.New("connection reset"), plan.OutboxPending, 1, DefaultBackoff, "", 0},
		{"temporary, last", "1001", DefaultMaxAttempts - 1, refuse(plan.SendTemporary), plan.OutboxFailed, DefaultMaxAttempts, 0, "", 0},
		{"permanent", "1001", 0, refuse(plan.SendPermanent), plan.OutboxFailed, 1, 0, "", 0},
		{"unreachable", "1001", 0, refuse(plan.SendUnreachable), plan.OutboxFailed, 1, 0, "", 1},
		{"migrated without target", "-100", 0, refuse(plan.SendMigrated), plan.OutboxFailed, 1, 0, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, true)
			it := item("x", tt.chat)
			it.OfficerID = 1
			it.Attempts = tt.attempts
			// y goes to the same chat, z to another: they show pauses.
			e.enqueue(t, it, item("y", tt.chat), item("z", "999"))
			e.sender.fail = func(to plan.Address, m plan.Message) error {
				if m.Text == "x" {
					return tt.err
				}
				return nil
			}
			e.runOnce(t)
			x := e.outbox.item("x")
			if x.Status != tt.status || x.Attempts != tt.tries {
				t.Errorf("x: status %s attempts %d, want %s %d", x.Status, x.Attempts, tt.status, tt.tries)
			}
			if tt.status == plan.OutboxPending && !x.NotBefore.Equal(t0.Add(tt.after)) {
				t.Errorf("x: not before +%s, want +%s", x.NotBefore.Sub(t0), tt.after)
			}
			sent := e.sender.texts()
			switch tt.paused {
			case "chat":
				if !slices.Equal(sent, []string{"z"}) {
					t.Errorf("sent %v, want only [z] (the chat is paused)", sent)
				}
				if y := e.outbox.item("y"); !y.NotBefore.Equal(t0.Add(tt.after)) || y.Attempts != 0 {
					t.Errorf("y = %+v, want released to the end of the pause", y)
				}
			case "transport":
				if len(sent) != 0 {
					t.Errorf("sent %v while the transport is paused", sent)
				}
			default:
				// y waits for its chat's rate, z goes.
				if !slices.Contains(sent, "z") {
					t.Errorf("sent %v, want z", sent)
				}
			}
			if e.officers.changes != tt.officers {
				t.Errorf("SetUnreachable changes = %d, want %d", e.officers.changes, tt.officers)
			}
		})
	}
}

// When most sends are refused as too many, the bot as a whole is held
// back, whatever the chats: the transport pauses, and chats the 429s did
// not come from wait too.
func TestDispatcherFloodPausesTransport(t *testing.T) {
	e := newEnv(t, true)
	var items []plan.OutboxItem
	for i := range floodRefused {
		items = append(items, item(fmt.Sprint("flood", i), fmt.Sprint(2000+i)))
	}
	e.enqueue(t, items...)
	e.sender.fail = func(plan.Address, plan.Message) error {
		return &plan.SendError{Failure: plan.SendRateLimited, RetryAfter: 3 * time.Second}
	}
	e.runOnce(t)
	e.sender.fail = nil
	e.enqueue(t, item("other", "9999"))
	e.runOnce(t)
	if sent := e.sender.texts(); len(sent) != 0 {
		t.Errorf("sent %v while the bot is flooded", sent)
	}
	// A single 429 among sends that go through pauses its chat only.
	e2 := newEnv(t, true)
	e2.enqueue(t, item("a", "1"), item("b", "2"), item("c", "3"))
	e2.sender.fail = func(to plan.Address, m plan.Message) error {
		if m.Text == "a" {
			return &plan.SendError{Failure: plan.SendRateLimited, RetryAfter: 3 * time.Second}
		}
		return nil
	}
	e2.runOnce(t)
	if sent := e2.sender.texts(); !slices.Equal(sent, []string{"b", "c"}) {
		t.Errorf("sent %v, want [b c]: one chat's 429 holds only that chat", sent)
	}
}

// A blocked bot marks the officer unreachable and sends nobody a message
// of its own: the secretariat's daily notice tells of it.
func TestDispatcherUnreachableMarksOfficer(t *testing.T) {
	e := newEnv(t, true)
	a, b := item("a", "1001"), item("b", "1001")
	a.OfficerID, b.OfficerID = 1, 1
	e.enqueue(t, a, b)
	e.sender.fail = func(to plan.Address, m plan.Message) error {
		if to.ChatID == "1001" {
			return &plan.SendError{Failure: plan.SendUnreachable, Err: errors.New("Forbidden: bot was blocked by the user")}
		}
		return nil
	}
	for range 5 {
		e.clock.Advance(time.Second)
		e.runOnce(t)
	}
	if got := e.outbox.keys(plan.OutboxFailed); !slices.Equal(got, []string{"a", "b"}) {
		t.Errorf("failed %v, want [a b]", got)
	}
	if e.officers.officers[1].UnreachableSince == nil {
		t.Error("officer 1 not marked unreachable")
	}
	if got := e.sender.chats(); len(got) != 0 {
		t.Errorf("messages went to %v, want none", got)
	}
}

func TestDispatcherMigratedChat(t *testing.T) {
	e := newEnv(t, true)
	e.officers.officers[7] = &plan.Officer{ID: 7, OrgID: 1, Name: "Tổ dân phố 3", Role: plan.RoleOfficer, Address: tg("-100"), Active: true}
	e.enqueue(t, item("a", "-100"), item("b", "-100"))
	e.sender.fail = func(to plan.Address, m plan.Message) error {
		if to.ChatID == "-100" {
			return &plan.SendError{Failure: plan.SendMigrated, MigratedTo: "-1001234567890", Err: errors.New("Bad Request: group chat was upgraded to a supergroup chat")}
		}
		return nil
	}
	e.runOnce(t)
	if e.officers.officers[7].Address != tg("-1001234567890") {
		t.Errorf("officer address = %v, want moved", e.officers.officers[7].Address)
	}
	for _, k := range []string{"a", "b"} {
		if it := e.outbox.item(k); it.Address != tg("-1001234567890") || it.Status != plan.OutboxPending || it.Attempts != 0 {
			t.Errorf("%s = %+v, want pending at the new chat", k, it)
		}
	}
	// a goes at once; b waits for the group rate (20 a minute).
	e.runOnce(t)
	if got := e.sender.texts(); !slices.Equal(got, []string{"a"}) {
		t.Errorf("sent %v, want [a]", got)
	}
	e.clock.Advance(3 * time.Second)
	e.runOnce(t)
	if got := e.sender.chats(); !slices.Equal(got, []string{"-1001234567890", "-1001234567890"}) {
		t.Errorf("sent to %v", got)
	}
}

func TestDispatcherRates(t *testing.T) {
	tests := []struct {
		name string
		// chats of the items, in order
		chats []string
		// elapsed is how far the clock moved while RunOnce waited for the
		// overall rate; sent counts the items that went in this pass.
		elapsed time.Duration
		sent    int
	}{
		// The first three go at once (a tenth of a second's burst), the
		// rest a thirtieth of a second apart.
		{"30 chats at 30 a second", chatList(30, ""), 27 * time.Second / 30, 30},
		{"one chat: one a second", []string{"1", "1", "1"}, 0, 1},
		{"one group: 20 a minute", []string{"-5", "-5"}, 0, 1},
		{"two chats interleaved", []string{"1", "2", "1", "2"}, 0, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, true)
			for i, c := range tt.chats {
				e.enqueue(t, item(fmt.Sprint("k", i), c))
			}
			e.runOnce(t)
			if got := e.clock.Now().Sub(t0); got < tt.elapsed-time.Millisecond || got > tt.elapsed+time.Millisecond {
				t.Errorf("waited %s, want %s", got, tt.elapsed)
			}
			if got := len(e.sender.texts()); got != tt.sent {
				t.Errorf("sent %d, want %d", got, tt.sent)
			}
		})
	}

	// The held-back items go when their chat allows.
	e := newEnv(t, true)
	e.enqueue(t, item("g1", "-5"), item("g2", "-5"), item("p1", "7"), item("p2", "7"))
	var when []time.Duration
	for range 10 {
		before := len(e.sender.texts())
		e.runOnce(t)
		for range len(e.sender.texts()) - before {
			when = append(when, e.clock.Now().Sub(t0).Round(time.Second))
		}
		next, ok, _ := e.outbox.NextDue(context.Background())
		if !ok {
			break
		}
		e.clock.Advance(max(next.Sub(e.clock.Now()), 0))
	}
	if got, want := e.sender.texts(), []string{"g1", "p1", "p2", "g2"}; !slices.Equal(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
	if want := []time.Duration{0, 0, time.Second, 3 * time.Second}; !slices.Equal(when, want) {
		t.Errorf("sent at %v, want %v", when, want)
	}
}

func chatList(n int, prefix string) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprint(prefix, 1000+i)
	}
	return out
}

func TestBackoff(t *testing.T) {
	tests := []struct {
		attempt int
		jitter  float64
		want    time.Duration
	}{
		{1, 0.5, time.Second},
		{2, 0.5, 2 * time.Second},
		{5, 0.5, 16 * time.Second},
		{11, 0.5, 1024 * time.Second},
		{12, 0.5, 30 * time.Minute},
		{20, 0.5, 30 * time.Minute},
		{1, 0, 800 * time.Millisecond},
		{1, 0.999999, 1200 * time.Millisecond},
	}
	for _, tt := range tests {
		d := New(newOutbox(), nil, WithJitter(func() float64 { return tt.jitter }))
		if got := d.backoffFor(tt.attempt); got.Round(time.Millisecond) != tt.want {
			t.Errorf("backoffFor(%d) with jitter %v = %s, want %s", tt.attempt, tt.jitter, got, tt.want)
		}
	}
}

func TestRateOf(t *testing.T) {
	tests := []struct {
		per    float64
		period time.Duration
		want   plan.Rate
	}{
		{30, time.Second, plan.Rate{N: 30, Per: time.Second, Burst: 1}},
		{1, time.Second, plan.Rate{N: 1, Per: time.Second, Burst: 1}},
		{20, time.Minute, plan.Rate{N: 20, Per: time.Minute, Burst: 1}},
		{0.5, time.Second, plan.Rate{N: 1, Per: 2 * time.Second, Burst: 1}},
		{0, time.Second, plan.Rate{}},
	}
	for _, tt := range tests {
		if got := RateOf(tt.per, tt.period); got != tt.want {
			t.Errorf("RateOf(%v, %s) = %+v, want %+v", tt.per, tt.period, got, tt.want)
		}
	}
}

// TestRunWakesAndStopsGracefully runs the loop on a clock that moves only
// by hand: it sleeps when idle, wakes on Notify, and on stop finishes the
// message in flight and hands the rest of its batch back.
func TestRunWakesAndStopsGracefully(t *testing.T) {
	e := newEnv(t, false, WithLimits(Limits{}))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.d.Run(ctx) }()

	if d := <-e.clock.sleeps; d != DefaultPollInterval {
		t.Errorf("idle sleep %s, want the poll interval", d)
	}
	e.sender.started = make(chan struct{})
	e.sender.block = make(chan struct{})
	e.enqueue(t, item("a", "1"), item("b", "2"), item("c", "3"))
	e.d.Notify()

	<-e.sender.started // a is in flight
	cancel()
	close(e.sender.block)
	go func() {
		for range e.sender.started {
		}
	}()
	if err := <-done; err != nil {
		t.Fatalf("Run = %v", err)
	}
	close(e.sender.started)
	if got := e.outbox.keys(plan.OutboxSent); !slices.Equal(got, []string{"a"}) {
		t.Errorf("sent %v, want [a]: the message in flight and nothing more", got)
	}
	// b and c are free for another dispatcher at once.
	got, _ := e.outbox.Claim(context.Background(), "other", t0, time.Minute, 10)
	if len(got) != 2 {
		t.Errorf("another dispatcher claimed %d items, want 2", len(got))
	}
}

func TestRunSleepsUntilNextDue(t *testing.T) {
	e := newEnv(t, false, WithLimits(Limits{}))
	later := item("later", "1")
	later.NotBefore = t0.Add(5 * time.Second)
	e.enqueue(t, later)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- e.d.Run(ctx) }()
	if d := <-e.clock.sleeps; d != 5*time.Second {
		t.Errorf("slept %s, want 5s (until the item is due)", d)
	}
	e.clock.Advance(5 * time.Second)
	if d := <-e.clock.sleeps; d != DefaultPollInterval {
		t.Errorf("then slept %s, want the poll interval", d)
	}
	if got := e.sender.texts(); !slices.Equal(got, []string{"later"}) {
		t.Errorf("sent %v", got)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// An answer past its freshness bound is dropped, with a warning, not
// sent an hour late; one within it goes.
func TestDispatcherDropsStaleAnswers(t *testing.T) {
	e := newEnv(t, true)
	stale, fresh := item("stale", "1001"), item("fresh", "1002")
	stale.Context = plan.ReplyContext{Kind: plan.ReplyAnswer, Expires: e.clock.Now().Add(-time.Second)}
	fresh.Context = plan.ReplyContext{Kind: plan.ReplyAnswer, Expires: e.clock.Now().Add(time.Minute)}
	e.enqueue(t, stale, fresh)
	e.runOnce(t)
	if got := e.outbox.keys(plan.OutboxFailed); !slices.Equal(got, []string{"stale"}) {
		t.Errorf("failed %v, want [stale]", got)
	}
	if got := e.sender.chats(); !slices.Equal(got, []string{"1002"}) {
		t.Errorf("sent to %v, want [1002]", got)
	}
}

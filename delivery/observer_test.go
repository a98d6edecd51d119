package delivery

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/chanhlo/planbot/plan"
)

// observed records what WithObserver is told.
type observed struct {
	mu  sync.Mutex
	got []string
}

func (o *observed) observe(transport, outcome string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.got = append(o.got, transport+" "+outcome)
}

func (o *observed) all() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return slices.Clone(o.got)
}

type shortQuota struct{}

func (shortQuota) Short(context.Context, string) bool { return true }

// The observer hears one outcome per item handled, named by the item's
// transport; an item that only waits its turn is not an outcome.
func TestDispatcherObserver(t *testing.T) {
	refuse := func(f plan.SendFailure) error {
		return &plan.SendError{Failure: f, Err: errors.New(string(f))}
	}
	tests := []struct {
		name string
		edit func(it *plan.OutboxItem)
		err  error
		opts []Option
		want string
	}{
		{name: "sent", want: "telegram sent"},
		{name: "temporary", err: refuse(plan.SendTemporary), want: "telegram retry"},
		{name: "temporary, last", edit: func(it *plan.OutboxItem) { it.Attempts = DefaultMaxAttempts - 1 }, err: refuse(plan.SendTemporary), want: "telegram failed"},
		{name: "permanent", err: refuse(plan.SendPermanent), want: "telegram failed"},
		{name: "unreachable", err: refuse(plan.SendUnreachable), want: "telegram unreachable"},
		{name: "rate limited", err: &plan.SendError{Failure: plan.SendRateLimited, RetryAfter: time.Second}, want: "telegram rate_limited"},
		{name: "migrated", err: &plan.SendError{Failure: plan.SendMigrated, MigratedTo: "-1009"}, want: "telegram retry"},
		{name: "migrated nowhere", err: refuse(plan.SendMigrated), want: "telegram failed"},
		{name: "stale answer", edit: func(it *plan.OutboxItem) {
			it.Context = plan.ReplyContext{Kind: plan.ReplyAnswer, Expires: t0.Add(-time.Second)}
		}, want: "telegram dropped"},
		{name: "copy held back", edit: func(it *plan.OutboxItem) { it.Context.Copy = true }, opts: []Option{WithQuota(shortQuota{})}, want: "telegram dropped"},
		{name: "no sender", edit: func(it *plan.OutboxItem) { it.Address.Transport = "zalo" }, want: "zalo failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var o observed
			e := newEnv(t, true, append(tt.opts, WithObserver(o.observe))...)
			it := item("x", "-100")
			if tt.edit != nil {
				tt.edit(&it)
			}
			e.enqueue(t, it)
			e.sender.fail = func(plan.Address, plan.Message) error { return tt.err }
			e.runOnce(t)
			if got := o.all(); !slices.Equal(got, []string{tt.want}) {
				t.Errorf("observed %q, want [%q]", got, tt.want)
			}
		})
	}
}

// Items held back by the dispatcher's own rate limit are not outcomes:
// two items into one chat are one "sent" now and one later.
func TestDispatcherObserverSkipsWaits(t *testing.T) {
	var o observed
	e := newEnv(t, true, WithObserver(o.observe))
	e.enqueue(t, item("a", "1001"), item("b", "1001"))
	e.runOnce(t)
	if got := o.all(); !slices.Equal(got, []string{"telegram sent"}) {
		t.Fatalf("observed %q after the first pass, want one sent", got)
	}
	e.clock.Advance(2 * time.Second)
	e.runOnce(t)
	if got := o.all(); !slices.Equal(got, []string{"telegram sent", "telegram sent"}) {
		t.Errorf("observed %q, want two sent", got)
	}
}

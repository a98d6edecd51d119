package local

import (
	"context"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/chanhlo/planbot/bot"
	"github.com/chanhlo/planbot/plan"
)

// Name is the transport name in plan.Address.
const Name = "local"

// Delivered is one message the bot sent.
type Delivered struct {
	ID      string
	At      time.Time
	To      plan.Address
	Message plan.Message
}

// Transport keeps sent messages in memory. It is safe for concurrent use.
type Transport struct {
	clock plan.Clock
	caps  plan.Capabilities
	name  string

	mu     sync.Mutex
	nextID int
	sent   []Delivered
	// Refuse, when set, is consulted before each delivery; a non-nil error
	// is returned instead of delivering (to simulate a blocked bot).
	refuse func(to plan.Address) error
	notify []func(Delivered)
}

// Option configures a Transport.
type Option func(*Transport)

// WithName names the transport (default "local"), to stand in for
// another messenger: the demo's Zalo officer talks through a local
// transport named "zalo" without buttons.
func WithName(name string) Option { return func(t *Transport) { t.name = name } }

// WithCapabilities replaces the default (Telegram-like) capabilities, to
// exercise a transport without buttons or reply-to.
func WithCapabilities(c plan.Capabilities) Option { return func(t *Transport) { t.caps = c } }

// New returns a Transport stamping messages with clock's time.
func New(clock plan.Clock, opts ...Option) *Transport {
	t := &Transport{
		clock: clock,
		caps:  plan.Capabilities{MaxText: 4096, Buttons: true, ReplyTo: true, Documents: true, DeepLinks: true},
		name:  Name,
	}
	for _, o := range opts {
		o(t)
	}
	return t
}

// Name implements bot.Transport.
func (t *Transport) Name() string { return t.name }

// Capabilities implements plan.Sender.
func (t *Transport) Capabilities() plan.Capabilities { return t.caps }

// Refuse makes deliveries to addresses for which fn returns an error fail
// with that error.
func (t *Transport) Refuse(fn func(to plan.Address) error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.refuse = fn
}

// OnDeliver registers fn to be called (outside the lock) after each delivery.
func (t *Transport) OnDeliver(fn func(Delivered)) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.notify = append(t.notify, fn)
}

// Send implements plan.Sender.
func (t *Transport) Send(ctx context.Context, to plan.Address, m plan.Message) (plan.Sent, error) {
	if err := ctx.Err(); err != nil {
		return plan.Sent{}, err
	}
	t.mu.Lock()
	if t.refuse != nil {
		if err := t.refuse(to); err != nil {
			t.mu.Unlock()
			return plan.Sent{}, err
		}
	}
	t.nextID++
	d := Delivered{ID: strconv.Itoa(t.nextID), At: t.clock.Now(), To: to, Message: m}
	t.sent = append(t.sent, d)
	notify := slices.Clone(t.notify)
	t.mu.Unlock()
	for _, fn := range notify {
		fn(d)
	}
	return plan.Sent{MessageID: d.ID}, nil
}

// Run implements bot.Transport: events come from the caller, so it only
// waits for ctx.
func (t *Transport) Run(ctx context.Context, _ bot.Handler) error {
	<-ctx.Done()
	return nil
}

// Sent returns every message delivered so far, in order.
func (t *Transport) Sent() []Delivered {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]Delivered(nil), t.sent...)
}

// SentTo returns the messages delivered to one chat, in order.
func (t *Transport) SentTo(chatID string) []Delivered {
	var out []Delivered
	for _, d := range t.Sent() {
		if d.To.ChatID == chatID {
			out = append(out, d)
		}
	}
	return out
}

var _ bot.Transport = (*Transport)(nil)

package delivery

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/chanhlo/planbot/plan"
)

// Officers is what the dispatcher needs of the officer registry
// (plan.OfficerStore has it): marking people unreachable, moving migrated
// chats, and finding the secretariat to tell.
type Officers interface {
	OfficerByID(ctx context.Context, id int64) (*plan.Officer, error)
	Officers(ctx context.Context, orgID int64) ([]plan.Officer, error)
	SetUnreachable(ctx context.Context, id int64, since *time.Time) (changed bool, err error)
	MoveAddress(ctx context.Context, from, to plan.Address) error
}

// Limits are the send rates; zero fields are unlimited.
type Limits struct {
	// Overall is the rate of one transport (one bot) as a whole.
	Overall plan.Rate
	// Chat is the rate into one private chat.
	Chat plan.Rate
	// Group is the rate into one group chat.
	Group plan.Rate
}

// DefaultLimits are Telegram's: 30 messages a second overall, one a
// second into a chat, 20 a minute into a group.
func DefaultLimits() Limits {
	return ConfigLimits(30, 1, 20)
}

// ConfigLimits builds Limits from the configured rates (configs.Delivery):
// messages a second overall, a second into one private chat, and a minute
// into one group.
func ConfigLimits(perSecond, perChatPerSecond, perGroupPerMinute float64) Limits {
	return Limits{
		Overall: OverallRate(perSecond),
		Chat:    RateOf(perChatPerSecond, time.Second),
		Group:   RateOf(perGroupPerMinute, time.Minute),
	}
}

// Defaults of the options.
const (
	DefaultBatch = 100
	// DefaultConcurrency is how many chats are sent to at once: a Bot API
	// tens of milliseconds away answers one send at a time far below the
	// bot's limit (30 messages/s), so sends to different chats overlap;
	// within a chat they stay in order.
	DefaultConcurrency = 32
	// DefaultMaxAttempts and DefaultBackoff give a message about an hour
	// of retries (1 s, 2 s, 4 s … 17 min, 30 min): a 5xx from the Bot API is
	// usually over in a second, and a late retry holds up the end of a
	// broadcast; an outage of the API is rarely longer than the hour.
	DefaultMaxAttempts  = 13
	DefaultLease        = 2 * time.Minute
	DefaultPollInterval = 30 * time.Second
	DefaultBackoff      = time.Second
	DefaultMaxBackoff   = 30 * time.Minute
)

// Dispatcher sends the outbox. Create it with New; run it with Run.
type Dispatcher struct {
	outbox   plan.Outbox
	senders  map[string]plan.Sender
	officers Officers
	quota    QuotaGate
	limiter  plan.RateLimiter
	limits   Limits
	clock    plan.Clock
	after    func(time.Duration) <-chan time.Time
	log      *slog.Logger
	owner    string
	batch    int
	attempts int
	lease    time.Duration
	poll     time.Duration
	backoff  time.Duration
	maxWait  time.Duration
	jitter   func() float64
	observe  func(transport, outcome string)
	workers  int

	wake   chan struct{}
	marker marker

	mu     sync.Mutex
	paused map[string]time.Time    // "chat:<transport>:<id>" or "transport:<name>" → until
	recent map[string]*floodWindow // by transport: were its latest sends refused with 429?
}

// floodWindow remembers whether each of a transport's latest sends was
// refused as too many (429). Telegram's 429 does not say whether it holds
// for one chat or for the whole bot; when most sends are refused, it is
// the bot's.
type floodWindow struct {
	refused [floodWindowSize]bool
	next    int
	count   int // refused in the window
}

const (
	floodWindowSize = 20
	// floodShare of the window refused pauses the whole transport.
	floodRefused = floodWindowSize / 2
)

// add records one send's outcome and reports whether the window now says
// the bot as a whole is held back.
func (w *floodWindow) add(refused bool) bool {
	if w.refused[w.next] {
		w.count--
	}
	w.refused[w.next] = refused
	if refused {
		w.count++
	}
	w.next = (w.next + 1) % floodWindowSize
	return w.count >= floodRefused
}

// Option configures a Dispatcher.
type Option func(*Dispatcher)

// WithClock sets the clock (default plan.SystemClock).
func WithClock(c plan.Clock) Option { return func(d *Dispatcher) { d.clock = c } }

// WithAfter sets the timer the dispatcher waits on (default time.After);
// tests pass a fake that fires when their clock moves.
func WithAfter(after func(time.Duration) <-chan time.Time) Option {
	return func(d *Dispatcher) { d.after = after }
}

// WithLogger sets the logger (default slog.Default()).
func WithLogger(l *slog.Logger) Option { return func(d *Dispatcher) { d.log = l } }

// WithLimiter sets the rate limiter (default a LocalLimiter on the clock).
func WithLimiter(l plan.RateLimiter) Option { return func(d *Dispatcher) { d.limiter = l } }

// WithLimits sets the rates (default DefaultLimits).
func WithLimits(l Limits) Option { return func(d *Dispatcher) { d.limits = l } }

// WithOwner names this dispatcher in the outbox's leases. It must differ
// between live replicas and should stay the same across restarts of one
// (the host name), so that a restarted dispatcher resumes its items at
// once. The default is "<hostname>:<pid>".
func WithOwner(owner string) Option { return func(d *Dispatcher) { d.owner = owner } }

// WithOfficers lets the dispatcher mark unreachable officers, move
// migrated chats and tell the secretariat.
func WithOfficers(o Officers) Option { return func(d *Dispatcher) { d.officers = o } }

// WithConcurrency sets how many chats are sent to at once (default
// DefaultConcurrency; 1 sends one item after the other, as the demo does
// to print a stable transcript). Items of one chat always go in order.
func WithConcurrency(n int) Option { return func(d *Dispatcher) { d.workers = n } }

// WithBatch sets how many items one pass claims (default DefaultBatch).
func WithBatch(n int) Option { return func(d *Dispatcher) { d.batch = n } }

// WithMaxAttempts sets how many failed attempts give an item up (default
// DefaultMaxAttempts).
func WithMaxAttempts(n int) Option { return func(d *Dispatcher) { d.attempts = n } }

// WithLease sets how long claimed items stay leased (default DefaultLease).
func WithLease(l time.Duration) Option { return func(d *Dispatcher) { d.lease = l } }

// WithPollInterval bounds the sleep between passes, for items enqueued by
// other processes, which cannot call Notify (default DefaultPollInterval).
func WithPollInterval(p time.Duration) Option { return func(d *Dispatcher) { d.poll = p } }

// WithBackoff sets the first retry delay after a temporary failure and
// the longest (defaults DefaultBackoff and DefaultMaxBackoff). The delay
// doubles with each attempt.
func WithBackoff(first, longest time.Duration) Option {
	return func(d *Dispatcher) { d.backoff, d.maxWait = first, longest }
}

// WithJitter sets the source of the backoff's jitter, a number in [0, 1)
// (default math/rand/v2).
func WithJitter(f func() float64) Option { return func(d *Dispatcher) { d.jitter = f } }

// Outcomes of handling an item, as told to an observer (WithObserver).
const (
	OutcomeSent        = "sent"         // the transport accepted the message
	OutcomeRetry       = "retry"        // a temporary failure (or a moved chat): it goes again later
	OutcomeRateLimited = "rate_limited" // the transport said too many (429): paused, it goes again
	OutcomeUnreachable = "unreachable"  // the person blocked the bot or is gone: given up
	OutcomeFailed      = "failed"       // refused, no sender, or too many attempts: given up
	OutcomeDropped     = "dropped"      // not sent on purpose: a stale answer, a copy held back for the quota
)

// WithObserver calls fn with the item's transport and the outcome (one of
// the Outcome constants) each time the dispatcher settles what became of
// an item it claimed: metrics count deliveries with it. An item that only
// waits its turn (the dispatcher's own rate limits, a pause) is not an
// outcome. fn must be quick and safe for concurrent use.
func WithObserver(fn func(transport, outcome string)) Option {
	return func(d *Dispatcher) { d.observe = fn }
}

// New returns a dispatcher sending the outbox's items through the sender
// of each item's transport.
func New(outbox plan.Outbox, senders map[string]plan.Sender, opts ...Option) *Dispatcher {
	host, _ := os.Hostname()
	d := &Dispatcher{
		outbox:   outbox,
		senders:  senders,
		limits:   DefaultLimits(),
		clock:    plan.SystemClock,
		after:    time.After,
		log:      slog.Default(),
		owner:    host + ":" + strconv.Itoa(os.Getpid()),
		batch:    DefaultBatch,
		workers:  DefaultConcurrency,
		attempts: DefaultMaxAttempts,
		lease:    DefaultLease,
		poll:     DefaultPollInterval,
		backoff:  DefaultBackoff,
		maxWait:  DefaultMaxBackoff,
		jitter:   rand.Float64,
		wake:     make(chan struct{}, 1),
		paused:   map[string]time.Time{},
		recent:   map[string]*floodWindow{},
	}
	for _, opt := range opts {
		opt(d)
	}
	if d.limiter == nil {
		d.limiter = NewLocalLimiter(d.clock)
	}
	d.marker.outbox = outbox
	d.marker.batch, _ = outbox.(plan.SentBatcher)
	d.batch = max(d.batch, 1)
	d.attempts = max(d.attempts, 1)
	d.workers = max(d.workers, 1)
	return d
}

// Owner returns the name the dispatcher claims items under.
func (d *Dispatcher) Owner() string { return d.owner }

// Notify wakes the dispatcher: something was enqueued. It never blocks.
func (d *Dispatcher) Notify() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// Run sends due items until ctx is done. It claims more as sends finish,
// so that the Bot API's round trips overlap instead of waiting for a
// batch's slowest chat. On stop it finishes the messages in flight,
// records them, hands the rest of what it claimed back to the outbox and
// returns nil. Errors of the outbox are logged and retried after the poll
// interval.
func (d *Dispatcher) Run(ctx context.Context) error {
	d.log.Info("delivery started", "owner", d.owner)
	defer d.log.Info("delivery stopped", "owner", d.owner)
	p := d.newPass(ctx)
	defer func() { p.close() }()
	for {
		if ctx.Err() != nil {
			return nil
		}
		wait := time.Duration(0)
		if err := p.failed(); err != nil {
			// The database refused to record an outcome: hand everything
			// back and try again later rather than send what cannot be
			// recorded.
			p.close()
			d.log.Error("delivery pass failed", "err", err)
			p = d.newPass(ctx)
			wait = d.poll
		} else if p.busy() {
			// Enough claimed: claim again once a send is done.
			select {
			case <-ctx.Done():
				return nil
			case <-p.progress:
			}
			continue
		} else {
			_, full, err := p.fill(d.clock.Now())
			switch {
			case err != nil:
				if ctx.Err() != nil {
					return nil
				}
				d.log.Error("delivery pass failed", "err", err)
				wait = d.poll
			case full:
				continue
			case !p.idle():
				// Some are being sent and nothing more is due: look again
				// when one is done (sends are bounded by the transport's
				// timeouts) or something is enqueued.
				select {
				case <-ctx.Done():
					return nil
				case <-d.wake:
				case <-p.progress:
				}
				continue
			default:
				wait = d.idle(ctx)
			}
		}
		if wait <= 0 {
			continue
		}
		select {
		case <-ctx.Done():
			return nil
		case <-d.wake:
		case <-p.progress:
		case <-d.after(wait):
		}
	}
}

// idle returns how long to sleep before the next pass: until the next item
// is due, at most the poll interval.
func (d *Dispatcher) idle(ctx context.Context) time.Duration {
	next, ok, err := d.outbox.NextDue(ctx)
	if err != nil {
		d.log.Error("delivery: next due item", "err", err)
		return d.poll
	}
	if !ok {
		return d.poll
	}
	return min(max(next.Sub(d.clock.Now()), time.Millisecond), d.poll)
}

// RunOnce claims one batch of due items and handles them: sends each or
// puts it back. Chats are served at once, up to the concurrency; a chat's
// items go one after the other, in order. It returns how many items it
// claimed.
//
// A crash loses nothing and repeats at most the messages in flight, one
// per chat being served (each is marked sent right after its transport
// accepted it).
func (d *Dispatcher) RunOnce(ctx context.Context) (int, error) {
	p := d.newPass(ctx)
	n, _, err := p.fill(d.clock.Now())
	p.close()
	if err != nil {
		return 0, err
	}
	return n, p.failed()
}

// A pass sends what the dispatcher claimed: a fixed pool of workers takes
// chats in the order their first item was claimed and sends each chat's
// items one after the other. Claims made while it runs add to the chats
// being served, so that a chat's order holds across claims.
type pass struct {
	d        *Dispatcher
	ctx      context.Context
	progress chan struct{} // a send finished: room to claim more
	wg       sync.WaitGroup

	mu       sync.Mutex
	cond     *sync.Cond
	inflight map[int64]time.Time          // claimed and not settled → stop sending it after
	queues   map[string][]plan.OutboxItem // chat → its claimed items not yet handled; present while a worker has it or it is ready
	ready    []string                     // chats waiting for a worker, in claim order
	closing  bool
	stopped  bool
	err      error
	// claiming is set while a claim runs; settled collects the items
	// settled meanwhile. The claim read them as pending, leased to this
	// owner, and must not queue them again.
	claiming bool
	settled  map[int64]bool
}

func (d *Dispatcher) newPass(ctx context.Context) *pass {
	p := &pass{
		d: d, ctx: ctx, progress: make(chan struct{}, 1),
		inflight: map[int64]time.Time{}, queues: map[string][]plan.OutboxItem{},
	}
	p.cond = sync.NewCond(&p.mu)
	for range d.workers {
		p.wg.Add(1)
		go p.work()
	}
	return p
}

// fill claims due items, up to a batch beyond those in flight (which the
// claim returns again, renewing their lease), and queues the new ones.
// It reports how many were new and whether the claim was full, so more
// may be due.
func (p *pass) fill(now time.Time) (added int, full bool, err error) {
	p.mu.Lock()
	limit := p.d.batch + len(p.inflight)
	p.claiming, p.settled = true, map[int64]bool{}
	p.mu.Unlock()
	items, err := p.d.outbox.Claim(p.ctx, p.d.owner, now, p.d.lease, limit)
	p.mu.Lock()
	defer p.mu.Unlock()
	settled := p.settled
	p.claiming, p.settled = false, nil
	if err != nil {
		return 0, false, err
	}
	// Stop sending well before the lease runs out: after it, another
	// replica may have taken the items.
	cutoff := now.Add(p.d.lease - p.d.lease/4)
	for _, it := range items {
		if settled[it.ID] {
			// Sent (or given back) while the claim ran.
			continue
		}
		if _, ok := p.inflight[it.ID]; ok {
			p.inflight[it.ID] = cutoff
			continue
		}
		p.inflight[it.ID] = cutoff
		k := chatKey(it.Address)
		q, served := p.queues[k]
		p.queues[k] = append(q, it)
		if !served {
			p.ready = append(p.ready, k)
			p.cond.Signal()
		}
		added++
	}
	return added, len(items) == limit, nil
}

// busy reports whether half a batch or more is in flight: claiming more
// now would only queue it, and every claim also renews the leases of
// what is in flight, so claims wait until there is room for half a
// batch.
func (p *pass) busy() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.inflight) >= max(p.d.batch/2, 1)
}

// idle reports whether nothing is in flight.
func (p *pass) idle() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.inflight) == 0
}

// failed returns the error that stopped the pass, if any.
func (p *pass) failed() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.err
}

// close lets the workers finish what is queued (or hand it back, when
// the pass stopped or its context ended) and waits for them.
func (p *pass) close() {
	p.mu.Lock()
	p.closing = true
	p.cond.Broadcast()
	p.mu.Unlock()
	p.wg.Wait()
}

func (p *pass) work() {
	defer p.wg.Done()
	for {
		p.mu.Lock()
		for len(p.ready) == 0 && !p.closing {
			p.cond.Wait()
		}
		if len(p.ready) == 0 {
			p.mu.Unlock()
			return
		}
		k := p.ready[0]
		p.ready = p.ready[1:]
		p.mu.Unlock()
		p.serve(k)
	}
}

// serve sends the chat's queued items in order until none is left.
func (p *pass) serve(k string) {
	for {
		p.mu.Lock()
		q := p.queues[k]
		if len(q) == 0 {
			delete(p.queues, k)
			p.mu.Unlock()
			return
		}
		it := q[0]
		cutoff := p.inflight[it.ID]
		if p.stopped || p.ctx.Err() != nil || !p.d.clock.Now().Before(cutoff) {
			// Hand back what this chat still has.
			delete(p.queues, k)
			p.mu.Unlock()
			p.d.giveBack(q)
			p.settle(q...)
			return
		}
		p.queues[k] = q[1:]
		p.mu.Unlock()

		if err := p.d.handle(p.ctx, it); err != nil {
			if p.ctx.Err() != nil {
				p.d.giveBack([]plan.OutboxItem{it})
			} else {
				// The outcome of this item could not be recorded: its
				// lease runs out and it goes again; the rest go back.
				p.mu.Lock()
				if p.err == nil {
					p.err = err
				}
				p.stopped = true
				p.mu.Unlock()
			}
		}
		p.settle(it)
	}
}

// settle forgets items no longer in flight and signals room to claim.
func (p *pass) settle(items ...plan.OutboxItem) {
	p.mu.Lock()
	for _, it := range items {
		delete(p.inflight, it.ID)
		if p.claiming {
			p.settled[it.ID] = true
		}
	}
	p.mu.Unlock()
	select {
	case p.progress <- struct{}{}:
	default:
	}
}

// giveBack ends the leases on items this pass did not get to.
func (d *Dispatcher) giveBack(items []plan.OutboxItem) {
	if len(items) == 0 {
		return
	}
	// Not the caller's context: it may be done (shutdown), and the items
	// must still be released; bounded so a stuck database cannot hang it.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, it := range items {
		if err := d.outbox.Release(ctx, it.ID, it.NotBefore); err != nil {
			d.log.Warn("delivery: release item", "id", it.ID, "err", err)
		}
	}
}

func chatKey(a plan.Address) string { return "chat:" + a.Transport + ":" + a.ChatID }

// isGroup reports whether the address is a group chat (Telegram's group
// and supergroup ids are negative).
func isGroup(a plan.Address) bool { return strings.HasPrefix(a.ChatID, "-") }

// pausedUntil returns when the pause of the item's chat or transport
// ends, or the zero time.
func (d *Dispatcher) pausedUntil(a plan.Address, now time.Time) time.Time {
	d.mu.Lock()
	defer d.mu.Unlock()
	var until time.Time
	for _, k := range []string{chatKey(a), "transport:" + a.Transport} {
		if t, ok := d.paused[k]; ok {
			if !t.After(now) {
				delete(d.paused, k)
			} else if t.After(until) {
				until = t
			}
		}
	}
	return until
}

// noteFlood records whether a send to the transport was refused as too
// many.
func (d *Dispatcher) noteFlood(transport string, refused bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	w := d.recent[transport]
	if w == nil {
		w = &floodWindow{}
		d.recent[transport] = w
	}
	w.add(refused)
}

// flooded reports whether most of the transport's latest sends were
// refused as too many.
func (d *Dispatcher) flooded(transport string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	w := d.recent[transport]
	return w != nil && w.count >= floodRefused
}

func (d *Dispatcher) pause(key string, until time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if until.After(d.paused[key]) {
		d.paused[key] = until
	}
}

// handle sends one item and records the outcome. It returns an error only
// when the outbox could not record it, or when ctx ended while waiting
// for the rate limiter (the item is then not sent).
func (d *Dispatcher) handle(ctx context.Context, it plan.OutboxItem) error {
	log := d.log.With("id", it.ID, "key", it.Key, "transport", it.Address.Transport, "chat", it.Address.ChatID)
	sender, ok := d.senders[it.Address.Transport]
	if !ok {
		log.Error("delivery: no sender for transport")
		d.report(it, OutcomeFailed)
		return d.outbox.Fail(ctx, it.ID, "no sender for transport "+it.Address.Transport)
	}
	now := d.clock.Now()
	if exp := it.Context.Expires; !exp.IsZero() && now.After(exp) {
		log.Warn("delivery: answer dropped, past its freshness bound", "expired", exp, "attempts", it.Attempts, "last_error", it.LastError)
		d.report(it, OutcomeDropped)
		return d.outbox.Fail(ctx, it.ID, "dropped: past its freshness bound")
	}
	if it.Context.Copy && d.quota != nil && d.quota.Short(ctx, it.Address.Transport) {
		log.Warn("delivery: copy held back, the messenger's monthly quota runs short")
		d.report(it, OutcomeDropped)
		return d.outbox.Fail(ctx, it.ID, "held back: quota runs short; copies give way to reminders")
	}
	if until := d.pausedUntil(it.Address, now); !until.IsZero() {
		return d.outbox.Release(ctx, it.ID, until)
	}
	chatRate := d.limits.Chat
	if isGroup(it.Address) {
		chatRate = d.limits.Group
	}
	wait, err := d.limiter.Allow(ctx, chatKey(it.Address), chatRate)
	if err != nil {
		log.Warn("delivery: rate limiter failed; sending anyway", "err", err)
	}
	if wait > 0 {
		// Do not hold up other chats: the item waits in the outbox.
		return d.outbox.Release(ctx, it.ID, now.Add(wait))
	}
	if err := d.waitOverall(ctx, it.Address.Transport); err != nil {
		return err
	}

	// From here on the message is in flight: a stop does not cut it off.
	ctx = context.WithoutCancel(ctx)
	sent, err := sender.Send(ctx, it.Address, it.Message)
	now = d.clock.Now()
	d.noteFlood(it.Address.Transport, plan.SendFailureOf(err) == plan.SendRateLimited && err != nil)
	if err == nil {
		d.report(it, OutcomeSent)
		if err := d.marker.mark(ctx, plan.SentMark{ID: it.ID, ExternalID: sent.MessageID, At: now}); err != nil {
			// It will be sent again when the lease runs out.
			return fmt.Errorf("delivered but not recorded: %w", err)
		}
		log.Debug("delivered", "message_id", sent.MessageID)
		return nil
	}
	return d.refused(ctx, log, it, err, now)
}

// waitOverall waits until the transport's overall rate allows one more
// message.
func (d *Dispatcher) waitOverall(ctx context.Context, transport string) error {
	for {
		wait, err := d.limiter.Allow(ctx, "global:"+transport, d.limits.Overall)
		if err != nil {
			d.log.Warn("delivery: rate limiter failed; sending anyway", "err", err)
			return nil
		}
		if wait <= 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-d.after(wait):
		}
	}
}

// refused records a delivery the transport did not accept.
func (d *Dispatcher) refused(ctx context.Context, log *slog.Logger, it plan.OutboxItem, err error, now time.Time) error {
	var se *plan.SendError
	errors.As(err, &se)
	reason := err.Error()
	switch plan.SendFailureOf(err) {
	case plan.SendRateLimited:
		wait := time.Second
		if se != nil && se.RetryAfter > 0 {
			wait = se.RetryAfter
		}
		until := now.Add(wait)
		// A 429 holds the chat it came for; the whole bot only when the
		// transport says so or most of its sends are refused (floodWindow):
		// one flooded chat must not stall a broadcast to everyone else.
		scope := "chat"
		d.pause(chatKey(it.Address), until)
		if (se != nil && se.WholeBot) || d.flooded(it.Address.Transport) {
			scope = "transport"
			d.pause("transport:"+it.Address.Transport, until)
		}
		log.Warn("delivery: rate limited by transport", "retry_after", wait, "paused", scope)
		d.report(it, OutcomeRateLimited)
		return d.outbox.Release(ctx, it.ID, until)

	case plan.SendUnreachable:
		log.Warn("delivery: recipient unreachable", "officer", it.OfficerID, "err", err)
		d.report(it, OutcomeUnreachable)
		if err := d.outbox.Fail(ctx, it.ID, reason); err != nil {
			return err
		}
		d.markUnreachable(ctx, log, it, now)
		return nil

	case plan.SendMigrated:
		if se == nil || se.MigratedTo == "" || se.MigratedTo == it.Address.ChatID {
			log.Error("delivery: migration without a new chat", "err", err)
			d.report(it, OutcomeFailed)
			return d.outbox.Fail(ctx, it.ID, reason)
		}
		to := plan.Address{Transport: it.Address.Transport, ChatID: se.MigratedTo}
		log.Info("delivery: chat migrated", "to", to.ChatID)
		d.report(it, OutcomeRetry)
		if d.officers != nil {
			if err := d.officers.MoveAddress(ctx, it.Address, to); err != nil {
				log.Error("delivery: move officers' address", "err", err)
			}
		}
		if _, err := d.outbox.MoveAddress(ctx, it.Address, to); err != nil {
			return err
		}
		return d.outbox.Release(ctx, it.ID, now)

	case plan.SendPermanent:
		log.Error("delivery: message refused", "err", err)
		d.report(it, OutcomeFailed)
		return d.outbox.Fail(ctx, it.ID, reason)

	default: // plan.SendTemporary
		attempt := it.Attempts + 1
		if attempt >= d.attempts {
			log.Error("delivery: giving up", "attempts", attempt, "err", err)
			d.report(it, OutcomeFailed)
			return d.outbox.Fail(ctx, it.ID, reason)
		}
		next := now.Add(d.backoffFor(attempt))
		log.Warn("delivery: temporary failure", "attempt", attempt, "next", next, "err", err)
		d.report(it, OutcomeRetry)
		return d.outbox.Retry(ctx, it.ID, next, reason)
	}
}

// report tells the observer, if any, the outcome of an item.
func (d *Dispatcher) report(it plan.OutboxItem, outcome string) {
	if d.observe != nil {
		d.observe(it.Address.Transport, outcome)
	}
}

// backoffFor returns the delay after the attempt-th failure: the first
// backoff doubled attempt-1 times, at most the longest, times a random
// factor in [0.8, 1.2).
func (d *Dispatcher) backoffFor(attempt int) time.Duration {
	wait := d.backoff
	for i := 1; i < attempt && wait < d.maxWait; i++ {
		wait *= 2
	}
	wait = min(wait, d.maxWait)
	return time.Duration(float64(wait) * (0.8 + 0.4*d.jitter()))
}

// markUnreachable marks the item's officer unreachable. The secretariat
// hears of it in its daily notice (scheduler.DailyNotice), with the day's
// other delivery failures, not in a message of its own.
func (d *Dispatcher) markUnreachable(ctx context.Context, log *slog.Logger, it plan.OutboxItem, now time.Time) {
	if d.officers == nil || it.OfficerID == 0 {
		return
	}
	changed, err := d.officers.SetUnreachable(ctx, it.OfficerID, &now)
	if err != nil {
		log.Error("delivery: mark officer unreachable", "officer", it.OfficerID, "err", err)
		return
	}
	if changed {
		log.Info("delivery: officer unreachable", "officer", it.OfficerID)
	}
}

// marker records deliveries. With an outbox that can (plan.SentBatcher),
// the marks of concurrent sends share one transaction: the first sender
// to arrive commits its mark with all that queue up while it commits,
// and so on until none is left (a group commit). Every sender still
// waits for its own mark to be committed before it sends the next item,
// so a crash repeats no more than before: the messages in flight.
type marker struct {
	outbox plan.Outbox
	batch  plan.SentBatcher

	mu       sync.Mutex
	queue    []markRequest
	flushing bool
}

type markRequest struct {
	mark plan.SentMark
	done chan error
}

func (mk *marker) mark(ctx context.Context, m plan.SentMark) error {
	if mk.batch == nil {
		return mk.outbox.MarkSent(ctx, m.ID, m.ExternalID, m.At)
	}
	req := markRequest{mark: m, done: make(chan error, 1)}
	mk.mu.Lock()
	mk.queue = append(mk.queue, req)
	if mk.flushing {
		mk.mu.Unlock()
		return <-req.done
	}
	mk.flushing = true
	for len(mk.queue) > 0 {
		batch := mk.queue
		mk.queue = nil
		mk.mu.Unlock()
		marks := make([]plan.SentMark, len(batch))
		for i, r := range batch {
			marks[i] = r.mark
		}
		err := mk.batch.MarkSentBatch(ctx, marks)
		for _, r := range batch {
			r.done <- err
		}
		mk.mu.Lock()
	}
	mk.flushing = false
	mk.mu.Unlock()
	return <-req.done
}

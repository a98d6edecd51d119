package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/progress"
	"github.com/chanhlo/planbot/texts"
)

// ReplyLookup finds the outbound message a reply answers. plan.Outbox
// satisfies it; the core needs nothing else of the outbox.
type ReplyLookup interface {
	ByExternalID(ctx context.Context, to plan.Address, externalID string) (*plan.OutboxItem, error)
}

// Deps is what a Core works with. Plans, Officers, Progress, Audit and
// Updates are required; the rest have defaults (see New).
type Deps struct {
	Plans    plan.PlanStore
	Officers plan.OfficerStore
	Progress plan.ProgressStore
	Audit    plan.AuditLog
	Updates  plan.UpdateLog
	// Outbox maps a reply to the reminder it answers; nil disables that
	// (replies must then name the task: "1.c 80%").
	Outbox ReplyLookup
	// Senders deliver replies, by transport name (Event.Transport).
	Senders map[string]plan.Sender
	// Clock defaults to plan.SystemClock.
	Clock plan.Clock
	// Location defaults to Asia/Ho_Chi_Minh.
	Location *time.Location
	// Logger defaults to slog.Default().
	Logger *slog.Logger
	// InviteTTL is how long invites made in chat stay valid (default 7 days).
	InviteTTL time.Duration
	// BotUsername builds deep links (https://t.me/<bot>?start=<code>) and
	// tells "/cmd@thisbot" from "/cmd@otherbot" in groups.
	BotUsername string
	// OrgID is the organisation served (default plan.DefaultOrg).
	OrgID int64
	// Notices queues the notices the core sends on its own (a unit
	// reported a task done or a blocker) in the delivery outbox; Wake,
	// when set, tells the dispatcher. Nil Notices sends them directly.
	Notices plan.Outbox
	Wake    func()
	// Standing overrides the plan's standing body (configuration
	// standing.unit); "" keeps the plan's.
	Standing string
	// ReplyFreshness is how long an answer that could not be sent at
	// once may wait in the outbox (default DefaultReplyFreshness).
	ReplyFreshness time.Duration
	// Workdays tells working days (*calendar.Calendar), so that "quá
	// hạn" counts them as the reminders and summaries do; nil: Monday to
	// Friday.
	Workdays interface{ IsWorkingDay(plan.Date) bool }
	// BotNames are the names people find the bot by on messengers
	// without deep links ("zalo": "Bot UBND phường Chánh Lộ"), shown with
	// typed codes.
	BotNames map[string]string
	// FileLinks, when set, turns a file for a messenger that cannot carry
	// files (Zalo) into a signed download link (web.Downloads); without
	// it such a file is replaced by a note.
	FileLinks FileLinks
	// WebSignIn, when set, makes a one-time link that signs the officer
	// in to the web pages (/web), and says until when it works.
	WebSignIn func(ctx context.Context, o *plan.Officer) (string, time.Time, error)
	// Pending keeps what a person is in the middle of (a "Trả lại"
	// waiting for its reason) where every replica sees it; nil keeps it
	// in this process's memory.
	Pending PendingStore
}

// PendingStore keeps short-lived notes per person (storage.DB).
type PendingStore interface {
	PutPending(ctx context.Context, key, value string, until time.Time) error
	TakePending(ctx context.Context, key string, now time.Time) (string, bool, error)
}

// FileLinks stores a file and returns a link to it for the person at to.
type FileLinks interface {
	Link(ctx context.Context, to plan.Address, doc plan.Document) (string, error)
}

// Typer is a transport that can show "typing…" while an answer is built.
type Typer interface {
	Typing(ctx context.Context, to plan.Address) error
}

// DefaultInviteTTL is how long an invite stays valid unless configured.
const DefaultInviteTTL = 7 * 24 * time.Hour

// Core is the transport-neutral chat core. Build it with New, add
// commands with AddCommand and AddCallback before the transports start,
// then let transports call Handle for every event. Handle is safe for
// concurrent use.
type Core struct {
	deps Deps
	log  *slog.Logger

	mu        sync.RWMutex
	commands  []*Command
	byName    map[string]*Command
	callbacks []callbackRoute
	mws       []Middleware

	throttle *throttle
	pending  *pendingChoices
	// duplicates counts the redelivered updates ignored in this run.
	duplicates atomic.Int64
	// answers numbers the answers queued in the outbox by this process.
	answers atomic.Int64

	apologyMu  sync.Mutex
	apologized map[string]struct{} // updates that got texts.Apology
}

// New returns a Core with the built-in commands registered.
func New(d Deps) (*Core, error) {
	var missing []string
	if d.Plans == nil {
		missing = append(missing, "Plans")
	}
	if d.Officers == nil {
		missing = append(missing, "Officers")
	}
	if d.Progress == nil {
		missing = append(missing, "Progress")
	}
	if d.Audit == nil {
		missing = append(missing, "Audit")
	}
	if d.Updates == nil {
		missing = append(missing, "Updates")
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("bot: missing dependencies: %s", strings.Join(missing, ", "))
	}
	if d.Clock == nil {
		d.Clock = plan.SystemClock
	}
	if d.Location == nil {
		loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
		if err != nil {
			loc = time.FixedZone("ICT", 7*3600)
		}
		d.Location = loc
	}
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	if d.InviteTTL <= 0 {
		d.InviteTTL = DefaultInviteTTL
	}
	if d.OrgID == 0 {
		d.OrgID = plan.DefaultOrg
	}
	senders := make(map[string]plan.Sender, len(d.Senders))
	for k, v := range d.Senders {
		senders[k] = v
	}
	d.Senders = senders
	c := &Core{
		deps:       d,
		log:        d.Logger,
		byName:     map[string]*Command{},
		throttle:   newThrottle(),
		pending:    newPendingChoices(),
		apologized: map[string]struct{}{},
	}
	c.registerBuiltins()
	return c, nil
}

// Deps returns the core's dependencies, with defaults filled in. Handlers
// registered by other packages use it to reach the stores and the clock.
func (c *Core) Deps() Deps {
	c.mu.RLock()
	defer c.mu.RUnlock()
	d := c.deps
	d.Senders = make(map[string]plan.Sender, len(c.deps.Senders))
	for k, v := range c.deps.Senders {
		d.Senders[k] = v
	}
	return d
}

// AddSender sets the sender of a transport (a transport built after the
// core).
func (c *Core) AddSender(transport string, s plan.Sender) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.deps.Senders[transport] = s
}

// Use adds middleware run for every event after de-duplication and before
// authentication, in the order given.
func (c *Core) Use(mw ...Middleware) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.mws = append(c.mws, mw...)
}

// Now returns the clock's time in the core's location.
func (c *Core) Now() time.Time { return c.deps.Clock.Now().In(c.deps.Location) }

// Location returns the core's time zone.
func (c *Core) Location() *time.Location { return c.deps.Location }

// Handle handles one event: recovery, logging, de-duplication by Event.ID,
// extra middleware (Use), authentication and role checks, then the
// command, callback or text handler. Errors of handlers become replies
// (see handleError); Handle returns an error when the event could not be
// handled (the update log, the database or the reply to a refusal
// failed), after forgetting its ID, so that the transport delivers it
// again and the redelivery is handled. A duplicate event returns nil.
//
// Handle finishes what it started: transports pass a ctx that is not
// cancelled when they stop receiving (see telegram.Transport.Run), so an
// update being handled at shutdown is completed before it is confirmed.
func (c *Core) Handle(ctx context.Context, e *Event) error {
	c.mu.RLock()
	mws := append([]Middleware{c.recover, cleanInput, c.logging, c.groupFilter, c.dedup}, c.mws...)
	c.mu.RUnlock()
	mws = append(mws, c.authenticate)
	var h Handler = HandlerFunc(c.route)
	for i := len(mws) - 1; i >= 0; i-- {
		h = mws[i](h)
	}
	return h.Handle(withSenderMemo(withPlansMemo(ctx)), e)
}

// HandlerFunc returns the core as a Handler for transports.
func (c *Core) Handler() Handler { return HandlerFunc(c.Handle) }

type ctxKey int

const officerKey ctxKey = iota

// WithOfficer returns ctx carrying the authenticated officer.
func WithOfficer(ctx context.Context, o *plan.Officer) context.Context {
	return context.WithValue(ctx, officerKey, o)
}

// OfficerFrom returns the authenticated officer of the event being
// handled, or nil for an unregistered person.
func OfficerFrom(ctx context.Context) *plan.Officer {
	o, _ := ctx.Value(officerKey).(*plan.Officer)
	return o
}

// senderMemo is an event's sender as the officer store gave it, looked
// up once: the ward router, middleware (an acknowledgement, a returned
// report's reason) and authentication each ask.
type senderMemo struct {
	done bool
	o    *plan.Officer
	err  error
}

type senderMemoKey struct{}

// withSenderMemo returns ctx with a sender memo, keeping one it has (the
// ward router's).
func withSenderMemo(ctx context.Context) context.Context {
	if _, ok := ctx.Value(senderMemoKey{}).(*senderMemo); ok {
		return ctx
	}
	return context.WithValue(ctx, senderMemoKey{}, &senderMemo{})
}

// sender returns the event's registered sender (an ENotFound error for
// nobody), through ctx's memo when it has one.
func sender(ctx context.Context, officers plan.OfficerStore, e *Event) (*plan.Officer, error) {
	m, _ := ctx.Value(senderMemoKey{}).(*senderMemo)
	if m == nil {
		return officers.OfficerByUser(ctx, e.Transport, e.UserID)
	}
	if !m.done {
		m.o, m.err = officers.OfficerByUser(ctx, e.Transport, e.UserID)
		m.done = true
	}
	return m.o, m.err
}

// recover turns a panic into a logged error and an apology.
func (c *Core) recover(next Handler) Handler {
	return HandlerFunc(func(ctx context.Context, e *Event) (err error) {
		defer func() {
			if p := recover(); p != nil {
				c.log.ErrorContext(ctx, "panic while handling update",
					"transport", e.Transport, "update", e.ID, "user", e.UserID,
					"panic", fmt.Sprint(p), "stack", string(debug.Stack()))
				err = c.send(ctx, e, plan.Message{Text: texts.Apology})
			}
		}()
		return next.Handle(ctx, e)
	})
}

// logging logs every event: transport, update id, user and command (never
// the text, never a token).
func (c *Core) logging(next Handler) Handler {
	return HandlerFunc(func(ctx context.Context, e *Event) error {
		start := time.Now()
		err := next.Handle(ctx, e)
		attrs := []any{"transport", e.Transport, "update", e.ID, "user", e.UserID, "chat", e.ChatID,
			"elapsed", time.Since(start)}
		if name, _, ok := c.parseCommand(e.Text); ok && e.Callback == nil {
			attrs = append(attrs, "command", name)
		} else if e.Callback != nil {
			attrs = append(attrs, "callback", callbackPrefixOf(e.Callback.Data))
		}
		if err != nil {
			c.log.ErrorContext(ctx, "update failed", append(attrs, "err", err)...)
		} else {
			c.log.DebugContext(ctx, "update handled", attrs...)
		}
		return err
	})
}

func callbackPrefixOf(data string) string {
	if i := strings.IndexAny(data, ":|"); i >= 0 {
		return data[:i+1]
	}
	return data
}

// dedup drops events whose ID was handled already. The ID is recorded
// before handling, so that two deliveries handled at once (two replicas,
// a webhook retry) do the work once; when the handling below fails
// (returns an error) the record is removed again, so that the transport's
// redelivery is handled rather than taken for a duplicate.
func (c *Core) dedup(next Handler) Handler {
	return HandlerFunc(func(ctx context.Context, e *Event) error {
		if e.ID == "" {
			return next.Handle(ctx, e)
		}
		source := e.Transport
		if e.Bot != "" {
			source += ":" + e.Bot
		}
		first, err := c.deps.Updates.FirstSeen(ctx, source, e.ID, c.deps.Clock.Now())
		if err != nil {
			return fmt.Errorf("record update %s/%s: %w", e.Transport, e.ID, err)
		}
		if !first {
			// At info level the first time in a run and every hundredth:
			// a stream of them (a token shared by two processes) shows.
			if n := c.duplicates.Add(1); n == 1 || n%100 == 0 {
				c.log.InfoContext(ctx, "duplicate update ignored", "transport", e.Transport, "update", e.ID, "duplicates_this_run", n)
			} else {
				c.log.DebugContext(ctx, "duplicate update ignored", "transport", e.Transport, "update", e.ID)
			}
			return nil
		}
		err = next.Handle(ctx, e)
		if err == nil {
			return nil
		}
		// ctx may be the reason of the failure (a deadline); forgetting
		// must still happen, within a short bound of its own.
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), forgetTimeout)
		defer cancel()
		if ferr := c.deps.Updates.Forget(fctx, source, e.ID); ferr != nil {
			c.log.ErrorContext(ctx, "could not forget a failed update; its redelivery will be ignored as a duplicate",
				"transport", e.Transport, "update", e.ID, "err", ferr)
		}
		return err
	})
}

// forgetTimeout bounds UpdateLog.Forget after a failed update.
const forgetTimeout = 5 * time.Second

// authenticate loads the sender's registration into ctx (none for an
// unregistered person) and clears an unreachable mark: they wrote, so the
// transport reaches them again.
func (c *Core) authenticate(next Handler) Handler {
	return HandlerFunc(func(ctx context.Context, e *Event) error {
		o, err := sender(ctx, c.deps.Officers, e)
		switch {
		case plan.ErrorCode(err) == plan.ENotFound:
			o = nil
		case err != nil:
			return c.handleError(ctx, e, fmt.Errorf("load officer %s/%s: %w", e.Transport, e.UserID, err))
		case o.OrgID != c.deps.OrgID:
			// Registered in another ward (a shared bot routes people to
			// their own ward's core; this is the backstop): here they are
			// nobody, and see nothing of this ward.
			c.log.WarnContext(ctx, "officer of another organisation", "officer", o.ID, "org", o.OrgID, "serving", c.deps.OrgID)
			o = nil
		}
		if o != nil && o.UnreachableSince != nil {
			if _, err := c.deps.Officers.SetUnreachable(ctx, o.ID, nil); err != nil {
				c.log.WarnContext(ctx, "clear unreachable", "officer", o.ID, "err", err)
			} else {
				o.UnreachableSince = nil
			}
		}
		return next.Handle(WithOfficer(ctx, o), e)
	})
}

// handleError turns a handler's error into a reply and decides whether
// the update is handled again:
//
//   - a *plan.Error's message is sent as is (escaped); the update is
//     handled (nil), unless that reply could not be sent;
//   - a failed delivery (a *plan.SendError in the chain: the work was
//     done, only the answer did not reach the person) is logged and the
//     update counts as handled, so that the work is not done twice;
//   - anything else (the database, a deadline, a bug returning an error)
//     is logged, the person gets texts.Apology once per update, and the
//     error is returned: dedup forgets the update and the transport
//     delivers it again (see Transport.Run), up to its attempt limit.
func (c *Core) handleError(ctx context.Context, e *Event, err error) error {
	if err == nil {
		return nil
	}
	if msg := plan.ErrorMessage(err); msg != "" && plan.ErrorCode(err) != plan.EInternal {
		return c.send(ctx, e, plan.Message{Text: plan.EscapeHTML(msg)})
	}
	var se *plan.SendError
	if errors.As(err, &se) {
		c.log.WarnContext(ctx, "reply not delivered; the update counts as handled", "transport", e.Transport,
			"update", e.ID, "user", e.UserID, "err", err)
		return nil
	}
	c.log.ErrorContext(ctx, "handler failed; the update will be handled again", "transport", e.Transport,
		"update", e.ID, "user", e.UserID, "err", err)
	if ctx.Err() == nil && c.firstApology(e) {
		if serr := c.send(ctx, e, plan.Message{Text: texts.Apology}); serr != nil {
			c.log.WarnContext(ctx, "apology not delivered", "transport", e.Transport, "update", e.ID, "err", serr)
		}
	}
	return fmt.Errorf("handle update %s/%s: %w", e.Transport, e.ID, err)
}

// maxApologies bounds the memory of updates that got an apology.
const maxApologies = 1000

// firstApology reports whether the event's update has not had an
// apology yet, and remembers that it has now. Events without an ID
// always get one.
func (c *Core) firstApology(e *Event) bool {
	if e.ID == "" {
		return true
	}
	k := e.Transport + "/" + e.ID
	c.apologyMu.Lock()
	defer c.apologyMu.Unlock()
	if _, ok := c.apologized[k]; ok {
		return false
	}
	if len(c.apologized) >= maxApologies {
		clear(c.apologized)
	}
	c.apologized[k] = struct{}{}
	return true
}

// cleanInput cleans what people typed once, at the edge, for every
// transport (progress.CleanInput): nothing after it sees a NUL, a
// control character, invalid UTF-8 or a decomposed letter.
func cleanInput(next Handler) Handler {
	return HandlerFunc(func(ctx context.Context, e *Event) error {
		e.Text = progress.CleanInput(e.Text)
		e.ReplyToText = progress.CleanInput(e.ReplyToText)
		e.UserName = progress.CleanInput(e.UserName)
		return next.Handle(ctx, e)
	})
}

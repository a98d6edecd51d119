package telegram

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/chanhlo/planbot/plan"
)

// Name is the transport's name in plan.Address, unless Config.Name says
// otherwise.
const Name = "telegram"

// DefaultAPI is Telegram's Bot API base URL.
const DefaultAPI = "https://api.telegram.org"

// Modes of receiving updates.
const (
	ModePolling = "polling"
	ModeWebhook = "webhook"
)

// Config configures a Transport. Zero fields take the defaults noted.
type Config struct {
	// Token is the bot token from @BotFather.
	Token string
	// Name is the transport's name in plan.Address and in the update
	// log. Default Name. A deployment of several wards gives a ward's own
	// bot "telegram/<ward>" (plan.MessengerOf reads it as Telegram): the
	// same person has one chat id with every bot, and each bot numbers its
	// updates from its own start, so the name is what keeps one bot's
	// officers, sends and updates apart from another's.
	Name string
	// API is the Bot API base URL; requests go to {API}/bot{token}/{method}.
	// Default DefaultAPI.
	API string
	// Mode is ModePolling (default) or ModeWebhook; Run polls only in
	// polling mode.
	Mode string
	// PollTimeout is getUpdates' long-poll wait. Default 30s.
	PollTimeout time.Duration
	// RequestTimeout bounds every call beyond the long-poll wait. Default 15s.
	RequestTimeout time.Duration
	// HTTPClient makes the requests. Its Timeout should be zero: calls
	// are bounded by context deadlines (PollTimeout+RequestTimeout for
	// getUpdates). Default: a client with dial and TLS timeouts.
	HTTPClient *http.Client
	// WebhookURL is the public HTTPS address Telegram posts updates to
	// (webhook mode); its path is the path served.
	WebhookURL string
	// WebhookListen is the local address the webhook server listens on
	// (webhook mode). Default ":8443".
	WebhookListen string
	// WebhookListener, when set, is used instead of listening on
	// WebhookListen (tests).
	WebhookListener net.Listener
	// WebhookMounted: the caller serves WebhookHandler on a server of its
	// own (webhook mode), so that many bots share one port — a
	// deployment's wards' bots, each on its own path. Run then only sets
	// the webhook and waits.
	WebhookMounted bool
	// WebhookSecret is the secret_token Telegram sends in the header
	// X-Telegram-Bot-Api-Secret-Token. WebhookHandler refuses every
	// request when it is empty.
	WebhookSecret string
	// MaxBodyBytes caps a webhook update's size. Default 1 MiB.
	MaxBodyBytes int64
	// HandleTimeout bounds the handling of one update. The handler's
	// context is not cancelled when Run's is, so that an update being
	// handled at shutdown is finished; this bound keeps a stuck handler
	// from holding shutdown forever. Default 1 minute.
	HandleTimeout time.Duration
	// MaxAttempts is how many times one update is handed to the handler
	// before it is logged and skipped. Default 5.
	MaxAttempts int
	// Logger receives the transport's logs. Default slog.Default().
	Logger *slog.Logger
	// Clock tells the time (to notice early empty long-poll answers).
	// Default plan.SystemClock.
	Clock plan.Clock
	// Sleep waits d or until ctx is done, returning ctx.Err() then. Tests
	// pass one that advances a fake clock. Default a timer.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Transport is the Telegram transport. It is safe for concurrent use.
type Transport struct {
	name          string
	api           *tgbotapi.BotAPI
	base          string // API base URL, for file downloads
	token         string
	client        *http.Client
	pollTimeout   time.Duration
	reqTimeout    time.Duration
	mode          string
	secret        string
	hookURL       string
	hookListen    string
	hookLn        net.Listener
	hookMounted   bool
	hookMu        sync.Mutex
	hookFails     map[int]int // webhook handler failures by update id
	maxBody       int64
	maxAttempts   int
	handleTimeout time.Duration
	log           *slog.Logger
	clock         plan.Clock
	sleep         func(context.Context, time.Duration) error
	jitter        func() float64 // in [0, 1)
	minPause      time.Duration  // after an early empty answer
	backoffBase   time.Duration
	backoffMax    time.Duration
}

// New returns a Transport after checking the token with getMe.
func New(cfg Config) (*Transport, error) {
	if cfg.Token == "" {
		return nil, errors.New("telegram: no bot token (set PLANBOT_TELEGRAM_TOKEN)")
	}
	t := &Transport{
		name:          cfg.Name,
		token:         cfg.Token,
		client:        cfg.HTTPClient,
		pollTimeout:   cfg.PollTimeout,
		reqTimeout:    cfg.RequestTimeout,
		mode:          cfg.Mode,
		secret:        cfg.WebhookSecret,
		hookURL:       cfg.WebhookURL,
		hookMounted:   cfg.WebhookMounted,
		hookListen:    cfg.WebhookListen,
		hookLn:        cfg.WebhookListener,
		hookFails:     make(map[int]int),
		maxBody:       cfg.MaxBodyBytes,
		maxAttempts:   cfg.MaxAttempts,
		handleTimeout: cfg.HandleTimeout,
		log:           cfg.Logger,
		clock:         cfg.Clock,
		sleep:         cfg.Sleep,
		jitter:        rand.Float64,
		minPause:      time.Second,
		backoffBase:   time.Second,
		backoffMax:    time.Minute,
	}
	if t.client == nil {
		t.client = &http.Client{Transport: &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			TLSHandshakeTimeout:   10 * time.Second,
			ResponseHeaderTimeout: 0, // the long poll waits for headers; contexts bound it
			IdleConnTimeout:       90 * time.Second,
			// As many as the dispatcher sends at once (delivery's
			// DefaultConcurrency), so that concurrent sends reuse
			// connections instead of opening one each.
			MaxIdleConnsPerHost: 64,
			ForceAttemptHTTP2:   true,
		}}
	}
	if t.pollTimeout <= 0 {
		t.pollTimeout = 30 * time.Second
	}
	if t.reqTimeout <= 0 {
		t.reqTimeout = 15 * time.Second
	}
	if t.mode == "" {
		t.mode = ModePolling
	}
	if t.mode != ModePolling && t.mode != ModeWebhook {
		return nil, fmt.Errorf("telegram: mode %q: want %s or %s", t.mode, ModePolling, ModeWebhook)
	}
	if t.mode == ModeWebhook && (t.hookURL == "" || t.secret == "") {
		return nil, errors.New("telegram: webhook mode needs the webhook URL and secret (PLANBOT_WEBHOOK_SECRET)")
	}
	if t.hookListen == "" {
		t.hookListen = ":8443"
	}
	if t.maxBody <= 0 {
		t.maxBody = 1 << 20
	}
	if t.maxAttempts <= 0 {
		t.maxAttempts = 5
	}
	if t.handleTimeout <= 0 {
		t.handleTimeout = time.Minute
	}
	if t.log == nil {
		t.log = slog.Default()
	}
	if t.name == "" {
		t.name = Name
	}
	t.log = t.log.With("transport", t.name)
	if t.clock == nil {
		t.clock = plan.SystemClock
	}
	if t.sleep == nil {
		t.sleep = sleepTimer
	}
	base := strings.TrimRight(cfg.API, "/")
	if base == "" {
		base = DefaultAPI
	}
	if _, err := url.Parse(base); err != nil {
		return nil, fmt.Errorf("telegram: api %q: %w", base, err)
	}

	// NewBotAPIWithClient calls getMe; give that call a deadline too.
	ctx, cancel := context.WithTimeout(context.Background(), t.reqTimeout)
	defer cancel()
	api, err := tgbotapi.NewBotAPIWithClient(t.token, base+"/bot%s/%s", &ctxClient{ctx: ctx, client: t.client, token: t.token})
	if err != nil {
		return nil, &GetMeError{Err: fmt.Errorf("telegram: getMe (is the token right?): %w", t.scrub(err))}
	}
	api.Client = t.client // replaced per call by withContext
	t.api = api
	t.base = base
	return t, nil
}

func sleepTimer(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-tm.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Name implements bot.Transport.
func (t *Transport) Name() string { return t.name }

// Capabilities implements plan.Sender.
func (t *Transport) Capabilities() plan.Capabilities {
	return plan.Capabilities{MaxText: MaxText, Buttons: true, ReplyTo: true, Documents: true, DeepLinks: true}
}

// Username is the bot's username as getMe reported it.
func (t *Transport) Username() string { return t.api.Self.UserName }

// ctxClient is the library's HTTPClient with a context attached to every
// request, and with the token scrubbed from transport errors (a
// *url.Error quotes the URL, which holds the token).
type ctxClient struct {
	ctx    context.Context
	client *http.Client
	token  string
}

func (c *ctxClient) Do(req *http.Request) (*http.Response, error) {
	resp, err := c.client.Do(req.WithContext(c.ctx))
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			ue.URL = strings.ReplaceAll(ue.URL, c.token, redacted)
		}
		return nil, err
	}
	return resp, nil
}

const redacted = "<token>"

// withContext returns a copy of the API whose calls carry ctx, bounded by
// timeout. The copy shares everything but the client; cancel must be
// called once the call's answer has been read.
func (t *Transport) withContext(ctx context.Context, timeout time.Duration) (*tgbotapi.BotAPI, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	api := *t.api
	api.Client = &ctxClient{ctx: ctx, client: t.client, token: t.token}
	return &api, cancel
}

// call runs fn on an API bound to ctx and the request timeout, and
// scrubs the token from its error.
func (t *Transport) call(ctx context.Context, fn func(api *tgbotapi.BotAPI) error) error {
	api, cancel := t.withContext(ctx, t.reqTimeout)
	defer cancel()
	return t.scrub(fn(api))
}

// scrub returns err with the token removed from its text. What the
// caller may need from the chain is kept — a *tgbotapi.Error (its text
// comes from Telegram and never holds the token) or a context error — but
// not the original error, whose text had the token.
func (t *Transport) scrub(err error) error {
	if err == nil || t.token == "" || !strings.Contains(err.Error(), t.token) {
		return err
	}
	s := &scrubbedError{msg: strings.ReplaceAll(err.Error(), t.token, redacted)}
	var te *tgbotapi.Error
	switch {
	case errors.As(err, &te):
		s.cause = te
	case errors.Is(err, context.DeadlineExceeded):
		s.cause = context.DeadlineExceeded
	case errors.Is(err, context.Canceled):
		s.cause = context.Canceled
	}
	return s
}

type scrubbedError struct {
	msg   string
	cause error
}

func (e *scrubbedError) Error() string { return e.msg }
func (e *scrubbedError) Unwrap() error { return e.cause }

// GetMeError is New's failure to reach the bot with its token. Temporary
// tells a failure that may pass (the network, a 5xx, a 429) from one that
// will not (a wrong token): a process starting may retry the first.
type GetMeError struct{ Err error }

func (e *GetMeError) Error() string { return e.Err.Error() }
func (e *GetMeError) Unwrap() error { return e.Err }

// Temporary reports whether retrying may help: anything but the Bot
// API's own refusal (4xx other than 429).
func (e *GetMeError) Temporary() bool {
	var te *tgbotapi.Error
	if errors.As(e.Err, &te) {
		return te.Code == 429 || te.Code >= 500 || te.Code == 0
	}
	return true
}

package zalo

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/chanhlo/planbot/plan"
)

// Name is the transport's name in plan.Address, unless Config.Name says
// otherwise.
const Name = "zalo"

// DefaultAPI is the Zalo Bot API's base URL.
const DefaultAPI = "https://bot-api.zaloplatforms.com"

// Modes of receiving updates.
const (
	ModePolling = "polling"
	ModeWebhook = "webhook"
)

// MaxText is the longest text of one message, in UTF-16 code units.
const MaxText = 2000

// SecretHeader is the header Zalo puts the webhook's secret_token in.
const SecretHeader = "X-Bot-Api-Secret-Token"

// Config configures a Transport. Zero fields take the defaults noted.
type Config struct {
	// Token is the bot token from Zalo Bot Creator ("123456789:abc-xyz").
	Token string
	// Name is the transport's name in plan.Address and the update log.
	// Default Name. A ward's own bot in a deployment of several is
	// "zalo/<ward>" (plan.MessengerOf reads it as Zalo).
	Name string
	// API is the base URL; calls go to API+"/bot"+Token+"/"+method.
	// Default DefaultAPI.
	API string
	// Mode is ModePolling (default) or ModeWebhook.
	Mode string
	// WebhookURL is the HTTPS URL Zalo posts updates to (webhook mode).
	WebhookURL string
	// WebhookSecret, 8–256 characters, is sent to Zalo as secret_token
	// and checked on SecretHeader. WebhookHandler refuses every request
	// when it is empty.
	WebhookSecret string
	// PollTimeout is getUpdates' long-poll wait. Default 30s.
	PollTimeout time.Duration
	// RequestTimeout bounds every call beyond the long-poll wait.
	// Default 15s.
	RequestTimeout time.Duration
	// MaxBodyBytes caps a webhook body. Default 1 MiB.
	MaxBodyBytes int64
	// HandleTimeout bounds the handling of one update, on a context that
	// stopping Run does not cancel. Default 1 minute.
	HandleTimeout time.Duration
	// HTTPClient makes the requests; contexts bound them, so its Timeout
	// should be zero. Default: a client with dial and TLS timeouts.
	HTTPClient *http.Client
	// Logger receives the transport's logs. Default slog.Default().
	Logger *slog.Logger
	// Clock tells the time. Default plan.SystemClock.
	Clock plan.Clock
	// Links, when set, turns a document into a download URL for that
	// address (planbot's own signed link); nil: the text says the file
	// cannot be sent on Zalo (texts.NoDocuments).
	Links func(ctx context.Context, to plan.Address, doc plan.Document) (string, error)
	// Counted, when set, is called once per message Zalo accepted
	// (quota counting).
	Counted func(ctx context.Context, n int)
	// After waits between polling retries. Default time.After; tests
	// pass one they fire by hand.
	After func(time.Duration) <-chan time.Time
}

// Transport is the Zalo transport. It is safe for concurrent use.
type Transport struct {
	name          string
	token         string
	base          string
	mode          string
	hookURL       string
	secret        string
	pollTimeout   time.Duration
	reqTimeout    time.Duration
	handleTimeout time.Duration
	maxBody       int64
	client        *http.Client
	log           *slog.Logger
	clock         plan.Clock
	links         func(context.Context, plan.Address, plan.Document) (string, error)
	counted       func(context.Context, int)
	after         func(time.Duration) <-chan time.Time
	backoffBase   time.Duration
	backoffMax    time.Duration

	botID       string
	accountName string

	seen *seenIDs
}

// New checks the configuration, calls getMe and returns the Transport.
// A refusal of getMe is an *APIError in the chain (Code 401: the token
// is wrong or was reset); APIError.Temporary tells whether starting again
// later may help.
func New(ctx context.Context, cfg Config) (*Transport, error) {
	if cfg.Token == "" {
		return nil, errors.New("zalo: no bot token")
	}
	t := &Transport{
		name:          cfg.Name,
		token:         cfg.Token,
		base:          strings.TrimRight(cfg.API, "/"),
		mode:          cfg.Mode,
		hookURL:       cfg.WebhookURL,
		secret:        cfg.WebhookSecret,
		pollTimeout:   cfg.PollTimeout,
		reqTimeout:    cfg.RequestTimeout,
		handleTimeout: cfg.HandleTimeout,
		maxBody:       cfg.MaxBodyBytes,
		client:        cfg.HTTPClient,
		log:           cfg.Logger,
		clock:         cfg.Clock,
		links:         cfg.Links,
		counted:       cfg.Counted,
		after:         cfg.After,
		backoffBase:   time.Second,
		backoffMax:    30 * time.Second,
		seen:          newSeenIDs(1024),
	}
	if t.base == "" {
		t.base = DefaultAPI
	}
	if u, err := url.Parse(t.base); err != nil || u.Host == "" {
		return nil, fmt.Errorf("zalo: api %q is not a URL", t.base)
	}
	if t.mode == "" {
		t.mode = ModePolling
	}
	switch t.mode {
	case ModePolling:
	case ModeWebhook:
		if err := checkWebhook(t.hookURL, t.secret); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("zalo: mode %q: want %s or %s", t.mode, ModePolling, ModeWebhook)
	}
	if t.pollTimeout <= 0 {
		t.pollTimeout = 30 * time.Second
	}
	if t.reqTimeout <= 0 {
		t.reqTimeout = 15 * time.Second
	}
	if t.handleTimeout <= 0 {
		t.handleTimeout = time.Minute
	}
	if t.maxBody <= 0 {
		t.maxBody = 1 << 20
	}
	if t.client == nil {
		t.client = &http.Client{Transport: &http.Transport{
			Proxy:               http.ProxyFromEnvironment,
			DialContext:         (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			TLSHandshakeTimeout: 10 * time.Second,
			IdleConnTimeout:     90 * time.Second,
			MaxIdleConnsPerHost: 64, // as telegram's: the dispatcher's concurrent sends
			ForceAttemptHTTP2:   true,
		}}
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
	if t.after == nil {
		t.after = time.After
	}

	var me struct {
		ID          idString `json:"id"`
		AccountName string   `json:"account_name"`
	}
	if err := t.call(ctx, "getMe", nil, &me); err != nil {
		var ae *APIError
		if errors.As(err, &ae) && ae.Code == 401 {
			return nil, fmt.Errorf("zalo: the bot token was refused (401): check the token, or get a new one in Zalo Bot Manager: %w", err)
		}
		return nil, fmt.Errorf("zalo: reaching the bot with its token: %w", err)
	}
	t.botID, t.accountName = string(me.ID), me.AccountName
	return t, nil
}

// checkWebhook validates the webhook's URL and secret as Zalo does.
func checkWebhook(hookURL, secret string) error {
	u, err := url.Parse(hookURL)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return fmt.Errorf("zalo: webhook URL %q: want an https:// URL", hookURL)
	}
	if n := len(secret); n < 8 || n > 256 {
		return fmt.Errorf("zalo: webhook secret of %d characters: want 8–256", n)
	}
	return nil
}

// Name implements bot.Transport.
func (t *Transport) Name() string { return t.name }

// BotID is the bot's id as getMe reported it.
func (t *Transport) BotID() string { return t.botID }

// AccountName is the bot's account name as getMe reported it.
func (t *Transport) AccountName() string { return t.accountName }

// Capabilities implements plan.Sender: text only.
func (t *Transport) Capabilities() plan.Capabilities {
	return plan.Capabilities{MaxText: MaxText}
}

// APIError is a call the Bot API refused: ok:false, or an HTTP error
// status without the envelope.
type APIError struct {
	Method      string
	Code        int
	Description string
	// RetryAfter is the wait an HTTP Retry-After header asked for, if any.
	RetryAfter time.Duration
}

func (e *APIError) Error() string {
	return fmt.Sprintf("zalo %s: %d %s", e.Method, e.Code, e.Description)
}

// Temporary reports whether the same call may succeed later: a timeout
// (408), Zalo's internal error (403), the quota (429), a server error.
func (e *APIError) Temporary() bool {
	return e.Code == 0 || e.Code == 403 || e.Code == 408 || e.Code == 429 || e.Code >= 500
}

const redacted = "<token>"

// call POSTs params as JSON to method and decodes the result into out
// (when not nil). It returns an *APIError (wrapped) for a refusal, and
// transport errors with the token scrubbed from their text.
func (t *Transport) call(ctx context.Context, method string, params any, out any) error {
	return t.callTimeout(ctx, t.reqTimeout, method, params, out)
}

func (t *Transport) callTimeout(ctx context.Context, timeout time.Duration, method string, params any, out any) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if params == nil {
		params = struct{}{}
	}
	body, err := json.Marshal(params)
	if err != nil {
		return fmt.Errorf("zalo %s: encoding parameters: %w", method, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.base+"/bot"+t.token+"/"+method, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("zalo %s: %w", method, t.scrub(err))
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := t.client.Do(req)
	if err != nil {
		return fmt.Errorf("zalo %s: %w", method, t.scrub(err))
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return fmt.Errorf("zalo %s: reading the answer: %w", method, t.scrub(err))
	}
	var env struct {
		OK          bool            `json:"ok"`
		Result      json.RawMessage `json:"result"`
		ErrorCode   int             `json:"error_code"`
		Description string          `json:"description"`
	}
	if err := json.Unmarshal(raw, &env); err != nil {
		if resp.StatusCode >= 300 {
			return &APIError{Method: method, Code: resp.StatusCode, Description: http.StatusText(resp.StatusCode), RetryAfter: retryAfter(resp)}
		}
		return fmt.Errorf("zalo %s: answer is not the Bot API's JSON (HTTP %d)", method, resp.StatusCode)
	}
	if !env.OK {
		code := env.ErrorCode
		if code == 0 {
			code = resp.StatusCode
		}
		desc := env.Description
		if desc == "" {
			desc = http.StatusText(code)
		}
		return &APIError{Method: method, Code: code, Description: desc, RetryAfter: retryAfter(resp)}
	}
	if out != nil && len(env.Result) > 0 && string(env.Result) != "null" {
		if err := json.Unmarshal(env.Result, out); err != nil {
			return fmt.Errorf("zalo %s: decoding the result: %w", method, err)
		}
	}
	return nil
}

func retryAfter(resp *http.Response) time.Duration {
	if n, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && n > 0 {
		return time.Duration(n) * time.Second
	}
	return 0
}

// scrub returns err with the token removed from its text, keeping a
// context error in the chain (a *url.Error quotes the URL).
func (t *Transport) scrub(err error) error {
	if err == nil || !strings.Contains(err.Error(), t.token) {
		return err
	}
	s := &scrubbedError{msg: strings.ReplaceAll(err.Error(), t.token, redacted)}
	switch {
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

// idString is an id Zalo sends as a string (a number is accepted too).
type idString string

func (s *idString) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = idString(v)
		return nil
	}
	if string(b) == "null" {
		*s = ""
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("zalo: id %s: %w", b, err)
	}
	*s = idString(n.String())
	return nil
}

// seenIDs remembers the last n message ids handled, so a push repeated
// by Zalo (or seen both by webhook and poll) is not passed on twice.
type seenIDs struct {
	mu   sync.Mutex
	ids  map[string]int // id → its slot in ring
	ring []string
	next int
}

func newSeenIDs(n int) *seenIDs {
	return &seenIDs{ids: make(map[string]int, n), ring: make([]string, n)}
}

// add records id and reports whether it was new.
func (s *seenIDs) add(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.ids[id]; ok {
		return false
	}
	if old := s.ring[s.next]; old != "" && s.ids[old] == s.next {
		delete(s.ids, old)
	}
	s.ring[s.next] = id
	s.ids[id] = s.next
	s.next = (s.next + 1) % len(s.ring)
	return true
}

// forget drops id, so that a redelivery after a failed handling is
// handled. Its slot in the ring stays until reused.
func (s *seenIDs) forget(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.ids, id)
}

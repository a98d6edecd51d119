package zalotest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"
)

// DefaultBotID is the bot's id getMe reports unless WithBotID says
// otherwise: a decimal string, as Zalo's.
const DefaultBotID = "1459232241454765289"

// SecretHeader is the header Zalo puts the webhook's secret_token in.
const SecretHeader = "X-Bot-Api-Secret-Token"

// MaxText is the longest text sendMessage takes, in UTF-16 code units.
const MaxText = 2000

// Event names.
const (
	EventText        = "message.text.received"
	EventImage       = "message.image.received"
	EventSticker     = "message.sticker.received"
	EventUnsupported = "message.unsupported.received"
)

// Update is one update as Zalo delivers it (the result of getUpdates, the
// body of a webhook push).
type Update struct {
	EventName string  `json:"event_name"`
	Message   Message `json:"message"`
}

// Message is an update's message.
type Message struct {
	From      User   `json:"from"`
	Chat      Chat   `json:"chat"`
	Text      string `json:"text,omitempty"`
	MessageID string `json:"message_id"`
	Date      int64  `json:"date"`
	Photo     string `json:"photo,omitempty"`
	PhotoURL  string `json:"photo_url,omitempty"`
	Caption   string `json:"caption,omitempty"`
	Sticker   string `json:"sticker,omitempty"`
}

// User is who sent a message.
type User struct {
	ID          string `json:"id"`
	DisplayName string `json:"display_name"`
	IsBot       bool   `json:"is_bot"`
}

// Chat is where a message was sent: "PRIVATE" or "GROUP".
type Chat struct {
	ID       string `json:"id"`
	ChatType string `json:"chat_type"`
}

// SentMessage is a message the bot sent (sendMessage, sendPhoto,
// sendSticker) and the server accepted.
type SentMessage struct {
	Method    string
	ChatID    string
	Text      string // sendMessage's text, sendPhoto's caption
	Photo     string
	MessageID string
}

// Option configures a Server.
type Option func(*Server)

// WithBotID sets the id getMe reports.
func WithBotID(id string) Option { return func(s *Server) { s.botID = id } }

// WithAccountName sets the account name getMe reports.
func WithAccountName(name string) Option { return func(s *Server) { s.accountName = name } }

// WithPollCap caps an idle getUpdates' wait (default 200ms), whatever
// timeout the client asked for, so tests do not wait 30 s.
func WithPollCap(d time.Duration) Option { return func(s *Server) { s.pollCap = d } }

// WithMirroredStatus makes the HTTP status of every refusal equal its
// error_code (by default it is 200, but 401 for a wrong token).
func WithMirroredStatus() Option { return func(s *Server) { s.mirror = true } }

// WithClock sets the clock of dates (default time.Now).
func WithClock(now func() time.Time) Option { return func(s *Server) { s.now = now } }

type fault struct {
	code        int
	description string
	times       int
}

// Server is a fake Zalo Bot API. All methods are safe for concurrent use.
type Server struct {
	srv         *httptest.Server
	token       string
	botID       string
	accountName string
	pollCap     time.Duration
	mirror      bool
	now         func() time.Time

	closeOnce sync.Once

	mu      sync.Mutex
	changed chan struct{} // closed and replaced on every change of state
	done    chan struct{} // closed at cleanup
	nextID  uint64
	queue   []*Update // nil: an empty ok:true answer (PushEmpty)
	sent    []SentMessage
	calls   map[string]int
	faults  map[string][]*fault
	blocked map[string]bool
	hookURL string
	secret  string
	hookAt  int64
}

// New starts a fake Bot API that accepts token and closes it when the
// test ends.
func New(t testing.TB, token string, opts ...Option) *Server {
	t.Helper()
	s := &Server{
		token:       token,
		botID:       DefaultBotID,
		accountName: "bot.phuongtest",
		pollCap:     200 * time.Millisecond,
		now:         time.Now,
		changed:     make(chan struct{}),
		done:        make(chan struct{}),
		nextID:      0xe0a00ffe0000,
		calls:       make(map[string]int),
		faults:      make(map[string][]*fault),
		blocked:     make(map[string]bool),
	}
	for _, o := range opts {
		o(s)
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// Close shuts the server down, as if Zalo could not be reached; New
// arranges it at the end of the test.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		close(s.done) // ends the long polls first, so Close does not wait for them
		s.srv.Close()
	})
}

// URL is the base URL to put in the client's configuration (calls go to
// URL()+"/bot"+token+"/"+method).
func (s *Server) URL() string { return s.srv.URL }

// BotID is the bot's id as getMe reports it.
func (s *Server) BotID() string { return s.botID }

// Token is the token the server accepts.
func (s *Server) Token() string { return s.token }

// ID returns a fresh id of 20 hex characters, the shape of Zalo's user,
// chat and message ids.
func (s *Server) ID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.newIDLocked()
}

func (s *Server) newIDLocked() string {
	s.nextID++
	return fmt.Sprintf("2d758cb5%012x", s.nextID)
}

// broadcastLocked wakes everyone waiting for a change.
func (s *Server) broadcastLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// Push queues an update for getUpdates.
func (s *Server) Push(u Update) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.queue = append(s.queue, &u)
	s.broadcastLocked()
}

// PushEmpty queues an idle answer of the other kind some clients see:
// ok:true with no result.
func (s *Server) PushEmpty() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.queue = append(s.queue, nil)
	s.broadcastLocked()
}

// Pending is how many queued updates getUpdates has not handed out.
func (s *Server) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.queue)
}

// Text builds a message.text.received from userID in a private chat,
// with a fresh message id and the date in milliseconds.
func (s *Server) Text(userID, name, text string) Update {
	return s.message(EventText, userID, name, userID, "PRIVATE", func(m *Message) { m.Text = text })
}

// GroupText builds a message.text.received from userID in group chatID.
func (s *Server) GroupText(chatID, userID, name, text string) Update {
	return s.message(EventText, userID, name, chatID, "GROUP", func(m *Message) { m.Text = text })
}

// Image builds a message.image.received from userID in a private chat.
func (s *Server) Image(userID, name string) Update {
	return s.message(EventImage, userID, name, userID, "PRIVATE", func(m *Message) {
		m.PhotoURL = "https://photo.example/" + m.MessageID + ".jpg"
	})
}

// Sticker builds a message.sticker.received from userID in a private chat.
func (s *Server) Sticker(userID, name string) Update {
	return s.message(EventSticker, userID, name, userID, "PRIVATE", func(m *Message) { m.Sticker = "c7b2a1" })
}

func (s *Server) message(event, userID, name, chatID, chatType string, fill func(*Message)) Update {
	s.mu.Lock()
	id := s.newIDLocked()
	s.mu.Unlock()
	m := Message{
		From:      User{ID: userID, DisplayName: name},
		Chat:      Chat{ID: chatID, ChatType: chatType},
		MessageID: id,
		Date:      s.now().UnixMilli(),
	}
	fill(&m)
	return Update{EventName: event, Message: m}
}

// Sent returns the messages accepted so far, oldest first.
func (s *Server) Sent() []SentMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]SentMessage(nil), s.sent...)
}

// WaitSent waits until at least n messages were accepted and returns
// them all; it fails the test after timeout.
func (s *Server) WaitSent(t testing.TB, n int, timeout time.Duration) []SentMessage {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		if len(s.sent) >= n {
			out := append([]SentMessage(nil), s.sent...)
			s.mu.Unlock()
			return out
		}
		ch, got := s.changed, len(s.sent)
		s.mu.Unlock()
		select {
		case <-ch:
		case <-deadline.C:
			t.Fatalf("zalotest: %d messages sent after %v, want %d", got, timeout, n)
			return nil
		}
	}
}

// WaitSentContext waits until at least n messages were accepted, or ctx
// ends (its error is returned): for callers that report the failure
// themselves, with what was sent.
func (s *Server) WaitSentContext(ctx context.Context, n int) error {
	for {
		s.mu.Lock()
		got, ch := len(s.sent), s.changed
		s.mu.Unlock()
		if got >= n {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// WaitCalls waits until at least n calls of method were answered; it
// fails the test after timeout.
func (s *Server) WaitCalls(t testing.TB, method string, n int, timeout time.Duration) {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		got, ch := s.calls[method], s.changed
		s.mu.Unlock()
		if got >= n {
			return
		}
		select {
		case <-ch:
		case <-deadline.C:
			t.Fatalf("zalotest: %s called %d times after %v, want %d", method, got, timeout, n)
			return
		}
	}
}

// FailNext makes the next times calls of method fail with ok:false,
// error_code code and description.
func (s *Server) FailNext(method string, code int, description string, times int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[method] = append(s.faults[method], &fault{code: code, description: description, times: times})
}

// Block makes sendMessage (and the other sends) to chatID fail with 404:
// the user is gone or blocked the bot.
func (s *Server) Block(chatID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.blocked[chatID] = true
}

// Webhook returns the webhook's URL and secret, empty when none is set.
func (s *Server) Webhook() (url, secret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hookURL, s.secret
}

// SetWebhook sets a webhook as if the bot had called setWebhook (as
// another replica or an earlier run would have).
func (s *Server) SetWebhook(url, secret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hookURL, s.secret, s.hookAt = url, secret, s.now().UnixMilli()
	s.broadcastLocked()
}

// Calls is how many calls of method with the right token were answered.
func (s *Server) Calls(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[method]
}

// PostWebhook posts u to url the way Zalo pushes an update: JSON, with
// the secret in SecretHeader (left out when secret is empty), wrapped in
// {ok, result} or flat. The caller closes the response's body.
func (s *Server) PostWebhook(t testing.TB, url, secret string, u Update, wrapped bool) *http.Response {
	t.Helper()
	var body any = u
	if wrapped {
		body = map[string]any{"ok": true, "result": u}
	}
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatalf("zalotest: marshal update: %v", err)
	}
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(b))
	if err != nil {
		t.Fatalf("zalotest: webhook request: %v", err)
	}
	req.Header.Set("Content-Type", "application/json")
	if secret != "" {
		req.Header.Set(SecretHeader, secret)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("zalotest: post webhook: %v", err)
	}
	return resp
}

// envelope is every answer's shape.
type envelope struct {
	OK          bool   `json:"ok"`
	Result      any    `json:"result,omitempty"`
	ErrorCode   int    `json:"error_code,omitempty"`
	Description string `json:"description,omitempty"`
}

func (s *Server) reply(w http.ResponseWriter, status int, e envelope) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(e)
}

func (s *Server) ok(w http.ResponseWriter, result any) {
	s.reply(w, http.StatusOK, envelope{OK: true, Result: result})
}

func (s *Server) fail(w http.ResponseWriter, code int, description string) {
	status := http.StatusOK
	if s.mirror {
		status = code
	}
	s.reply(w, status, envelope{ErrorCode: code, Description: description})
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, "/bot")
	slash := strings.LastIndexByte(rest, '/')
	if !ok || slash < 0 {
		s.fail(w, 400, "Bad Request")
		return
	}
	token, method := rest[:slash], rest[slash+1:]
	if token != s.token {
		s.reply(w, http.StatusUnauthorized, envelope{ErrorCode: 401, Description: "Unauthorized"})
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		s.fail(w, 400, "Bad Request")
		return
	}
	p, err := params(r)
	if err != nil {
		s.fail(w, 400, "Bad Request: "+err.Error())
		return
	}

	// A call is counted once answered, so that a test waiting for it
	// (WaitCalls) sees its effect.
	defer func() {
		s.mu.Lock()
		s.calls[method]++
		s.broadcastLocked()
		s.mu.Unlock()
	}()
	s.mu.Lock()
	var f *fault
	if fs := s.faults[method]; len(fs) > 0 {
		f = fs[0]
		if f.times--; f.times <= 0 {
			s.faults[method] = fs[1:]
		}
	}
	s.mu.Unlock()
	if f != nil {
		s.fail(w, f.code, f.description)
		return
	}

	switch method {
	case "getMe":
		s.ok(w, map[string]any{"id": s.botID, "account_name": s.accountName, "account_type": "BASIC", "can_join_groups": false})
	case "getUpdates":
		s.getUpdates(w, r, p)
	case "setWebhook":
		s.setWebhook(w, p)
	case "deleteWebhook":
		s.mu.Lock()
		s.hookURL, s.secret, s.hookAt = "", "", s.now().UnixMilli()
		at := s.hookAt
		s.broadcastLocked()
		s.mu.Unlock()
		s.ok(w, map[string]any{"url": "", "updated_at": at})
	case "getWebhookInfo":
		s.mu.Lock()
		res := map[string]any{"url": s.hookURL, "updated_at": s.hookAt}
		s.mu.Unlock()
		s.ok(w, res)
	case "sendMessage":
		s.send(w, method, p, "text", true)
	case "sendPhoto":
		s.send(w, method, p, "photo", false)
	case "sendSticker":
		s.send(w, method, p, "sticker", false)
	case "sendChatAction":
		if p.Get("chat_id") == "" || p.Get("action") == "" {
			s.fail(w, 400, "Bad Request: chat_id and action are required")
			return
		}
		s.reply(w, http.StatusOK, envelope{OK: true})
	default:
		s.fail(w, 400, "Bad Request: method not found")
	}
}

func (s *Server) getUpdates(w http.ResponseWriter, r *http.Request, p url.Values) {
	wait := 30 * time.Second
	if v := p.Get("timeout"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			s.fail(w, 400, "Bad Request: timeout must be a number of seconds")
			return
		}
		wait = time.Duration(n) * time.Second
	}
	wait = min(wait, s.pollCap)
	timer := time.NewTimer(wait)
	defer timer.Stop()
	for {
		s.mu.Lock()
		if s.hookURL != "" {
			s.mu.Unlock()
			s.fail(w, 400, "Bad Request: webhook is active, delete it before calling getUpdates")
			return
		}
		if len(s.queue) > 0 {
			u := s.queue[0]
			s.queue = s.queue[1:]
			s.broadcastLocked()
			s.mu.Unlock()
			if u == nil {
				s.reply(w, http.StatusOK, envelope{OK: true})
				return
			}
			s.ok(w, u)
			return
		}
		ch := s.changed
		s.mu.Unlock()
		select {
		case <-ch:
		case <-timer.C:
			s.fail(w, 408, "Request timeout")
			return
		case <-r.Context().Done():
			return
		case <-s.done:
			s.fail(w, 408, "Request timeout")
			return
		}
	}
}

func (s *Server) setWebhook(w http.ResponseWriter, p url.Values) {
	u, err := url.Parse(p.Get("url"))
	if err != nil || u.Scheme != "https" || u.Host == "" {
		s.fail(w, 400, "Bad Request: url must be an HTTPS URL")
		return
	}
	if n := len(p.Get("secret_token")); n < 8 || n > 256 {
		s.fail(w, 400, "Bad Request: secret_token must be 8-256 characters")
		return
	}
	s.mu.Lock()
	s.hookURL, s.secret, s.hookAt = u.String(), p.Get("secret_token"), s.now().UnixMilli()
	at := s.hookAt
	s.broadcastLocked()
	s.mu.Unlock()
	s.ok(w, map[string]any{"url": u.String(), "updated_at": at})
}

func units(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// send answers sendMessage, sendPhoto and sendSticker; field is the
// required parameter beside chat_id.
func (s *Server) send(w http.ResponseWriter, method string, p url.Values, field string, isText bool) {
	chatID, value := p.Get("chat_id"), p.Get(field)
	if chatID == "" {
		s.fail(w, 400, "Bad Request: chat_id is required")
		return
	}
	if isText {
		if n := units(value); n < 1 || n > MaxText {
			s.fail(w, 400, fmt.Sprintf("Bad Request: text must be 1-%d characters, got %d", MaxText, n))
			return
		}
	} else if value == "" {
		s.fail(w, 400, "Bad Request: "+field+" is required")
		return
	}
	caption := p.Get("caption")
	if units(caption) > MaxText {
		s.fail(w, 400, "Bad Request: caption is too long")
		return
	}
	s.mu.Lock()
	if s.blocked[chatID] {
		s.mu.Unlock()
		s.fail(w, 404, "User not found or has blocked the bot")
		return
	}
	m := SentMessage{Method: method, ChatID: chatID, MessageID: s.newIDLocked()}
	switch method {
	case "sendMessage":
		m.Text = value
	case "sendPhoto":
		m.Photo, m.Text = value, caption
	}
	s.sent = append(s.sent, m)
	s.broadcastLocked()
	s.mu.Unlock()
	s.ok(w, map[string]any{"message_id": m.MessageID, "date": s.now().UnixMilli()})
}

// params merges the query string with a JSON, form or multipart body.
func params(r *http.Request) (url.Values, error) {
	p := r.URL.Query()
	if r.Method != http.MethodPost || r.Body == nil {
		return p, nil
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "application/json", "":
		b, err := io.ReadAll(io.LimitReader(r.Body, 10<<20))
		if err != nil {
			return nil, err
		}
		if len(bytes.TrimSpace(b)) == 0 {
			return p, nil
		}
		var m map[string]any
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber()
		if err := dec.Decode(&m); err != nil {
			return nil, fmt.Errorf("body is not a JSON object")
		}
		for k, v := range m {
			switch v := v.(type) {
			case string:
				p.Set(k, v)
			case json.Number:
				p.Set(k, v.String())
			case bool:
				p.Set(k, strconv.FormatBool(v))
			case nil:
			default:
				b, _ := json.Marshal(v)
				p.Set(k, string(b))
			}
		}
	case "multipart/form-data":
		if err := r.ParseMultipartForm(10 << 20); err != nil {
			return nil, err
		}
		for k, v := range r.MultipartForm.Value {
			p[k] = v
		}
	default:
		if err := r.ParseForm(); err != nil {
			return nil, err
		}
		for k, v := range r.PostForm {
			p[k] = v
		}
	}
	return p, nil
}

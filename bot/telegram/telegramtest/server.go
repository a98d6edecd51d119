package telegramtest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// DefaultToken is the token the server accepts unless WithToken says
// otherwise. It has the shape of a real one.
const DefaultToken = "123456789:AAH-fake-token_for-tests"

// Server is a fake Bot API. All methods are safe for concurrent use.
type Server struct {
	srv      *httptest.Server
	token    string
	listener net.Listener // from WithListener or WithAddr; nil: a random local port
	addrErr  error        // WithAddr's failure, reported by NewServer

	handlersMu sync.RWMutex
	handlers   map[string]http.Handler // by path prefix, see Handle

	mu       sync.Mutex
	changed  chan struct{} // closed and replaced on every change of state
	done     chan struct{} // closed when the test ends
	username string
	botID    int64
	maxWait  time.Duration // cap on a long poll's wait; < 0: none

	nextUpdate int
	nextMsg    int
	nextCB     int
	queue      []tgbotapi.Update
	offsets    []int
	pollGen    int

	calls    []Call
	sent     []SentMessage
	faults   []*Fault
	commands map[string][]tgbotapi.BotCommand
	files    map[string]UploadedFile

	webhookURL    string
	webhookSecret string

	wrap func(http.Handler) http.Handler // WithMiddleware
}

// Option configures a Server.
type Option func(*Server)

// WithToken sets the one token the server accepts; any other gets 401.
func WithToken(token string) Option { return func(s *Server) { s.token = token } }

// WithUsername sets the bot's username returned by getMe.
func WithUsername(name string) Option { return func(s *Server) { s.username = name } }

// WithMaxPollWait caps how long getUpdates waits for an update, whatever
// timeout the client asked for. WithMaxPollWait(0) makes every empty
// getUpdates answer at once, like a server that ignores long polling.
func WithMaxPollWait(d time.Duration) Option { return func(s *Server) { s.maxWait = d } }

// WithFirstUpdateID sets the id of the first pushed update.
func WithFirstUpdateID(id int) Option { return func(s *Server) { s.nextUpdate = id } }

// WithListener makes the server accept connections on l instead of a
// random local port; URL reports l's address. The server closes l.
func WithListener(l net.Listener) Option { return func(s *Server) { s.listener = l } }

// WithAddr makes the server listen on a TCP address such as
// "127.0.0.1:8081". NewServer panics when it cannot listen there; use
// net.Listen and WithListener to handle that error yourself.
func WithAddr(addr string) Option {
	return func(s *Server) {
		l, err := net.Listen("tcp", addr)
		if err != nil {
			s.addrErr = fmt.Errorf("telegramtest: listen on %s: %w", addr, err)
			return
		}
		s.listener = l
	}
}

// New starts a fake Bot API server that is closed when the test ends.
func New(tb testing.TB, opts ...Option) *Server {
	tb.Helper()
	s := NewServer(opts...)
	tb.Cleanup(s.Close)
	return s
}

// WithMiddleware puts mw in front of every request, the Bot API's and
// the prefixes added with Handle: a benchmark delays answers as a distant
// API would, or refuses what exceeds the limits it enforces.
func WithMiddleware(mw func(http.Handler) http.Handler) Option {
	return func(s *Server) { s.wrap = mw }
}

// NewServer starts a fake Bot API server outside a test, for example in a
// development binary; the caller must Close it. By default it listens on a
// random port of 127.0.0.1 (see WithListener, WithAddr).
func NewServer(opts ...Option) *Server {
	s := &Server{
		token:      DefaultToken,
		changed:    make(chan struct{}),
		done:       make(chan struct{}),
		username:   "planbot_test_bot",
		botID:      123456789,
		maxWait:    -1,
		nextUpdate: 100,
		nextMsg:    1,
		commands:   make(map[string][]tgbotapi.BotCommand),
		files:      make(map[string]UploadedFile),
	}
	for _, o := range opts {
		o(s)
	}
	if s.addrErr != nil {
		panic(s.addrErr)
	}
	var h http.Handler = http.HandlerFunc(s.route)
	if s.wrap != nil {
		h = s.wrap(h)
	}
	s.srv = httptest.NewUnstartedServer(h)
	if s.listener != nil {
		s.srv.Listener.Close()
		s.srv.Listener = s.listener
	}
	s.srv.Start()
	return s
}

// Handle serves requests whose path begins with prefix (for example
// "/_fake/") with h instead of the Bot API. Prefixes must not begin with
// "/bot" or "/file/", which are the Bot API's own. Safe to call while the
// server runs; until then such requests get the Bot API's 404.
func (s *Server) Handle(prefix string, h http.Handler) {
	if strings.HasPrefix(prefix, "/bot") || strings.HasPrefix(prefix, "/file/") || !strings.HasPrefix(prefix, "/") {
		panic(fmt.Sprintf("telegramtest: Handle: prefix %q clashes with the Bot API", prefix))
	}
	s.handlersMu.Lock()
	defer s.handlersMu.Unlock()
	if s.handlers == nil {
		s.handlers = make(map[string]http.Handler)
	}
	s.handlers[prefix] = h
}

// route sends a request to a handler added with Handle, or to the Bot API.
func (s *Server) route(w http.ResponseWriter, r *http.Request) {
	s.handlersMu.RLock()
	var h http.Handler
	best := 0
	for prefix, ph := range s.handlers {
		if len(prefix) > best && strings.HasPrefix(r.URL.Path, prefix) {
			h, best = ph, len(prefix)
		}
	}
	s.handlersMu.RUnlock()
	if h != nil {
		h.ServeHTTP(w, r)
		return
	}
	s.serveHTTP(w, r)
}

// Close releases waiting requests and shuts the server down. New's server
// is closed automatically when the test ends; calling it twice is harmless.
func (s *Server) Close() {
	s.mu.Lock()
	select {
	case <-s.done:
		s.mu.Unlock()
		return
	default:
	}
	close(s.done)
	s.mu.Unlock()
	s.srv.CloseClientConnections()
	s.srv.Close()
}

// URL is the server's base URL: requests go to {URL}/bot{token}/{method}.
func (s *Server) URL() string { return s.srv.URL }

// Endpoint is the format string for tgbotapi.NewBotAPIWithAPIEndpoint.
func (s *Server) Endpoint() string { return s.srv.URL + "/bot%s/%s" }

// Token is the token the server accepts.
func (s *Server) Token() string { return s.token }

// Username is the bot's username as getMe reports it.
func (s *Server) Username() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.username
}

// notifyLocked wakes everything waiting for a change. s.mu must be held.
func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// wait blocks until the state changes, ctx ends or the server closes. It
// must be called with s.mu held and returns with it held.
func (s *Server) waitLocked(ctx context.Context, timer <-chan time.Time) (stop bool) {
	ch := s.changed
	s.mu.Unlock()
	defer s.mu.Lock()
	select {
	case <-ch:
		return false
	case <-timer:
		return true
	case <-ctx.Done():
		return true
	case <-s.done:
		return true
	}
}

// Call is one recorded request.
type Call struct {
	Method string
	// Params are the request's fields (form, multipart or JSON), values as
	// sent (JSON-encoded for objects such as reply_markup).
	Params map[string]string
	// Files are the uploaded files by field name.
	Files map[string]UploadedFile
	// Fault is the error code the server answered with by injection (0: none).
	Fault int
}

// UploadedFile is a file received by multipart upload.
type UploadedFile struct {
	Name string
	Data []byte
	// FileID is set when a file was sent by id instead of uploaded.
	FileID string
}

// Button is an inline keyboard button.
type Button struct {
	Text string
	Data string
}

// SentMessage is a message the bot sent successfully.
type SentMessage struct {
	MessageID int
	ChatID    int64
	// Method is sendMessage or sendDocument.
	Method    string
	Text      string
	ParseMode string
	ReplyTo   int
	// Buttons are the rows of the inline keyboard.
	Buttons  [][]Button
	Document *UploadedFile
	Caption  string
}

// Calls returns the recorded calls of method ("" for all), oldest first.
func (s *Server) Calls(method string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls {
		if method == "" || c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

// Sent returns the messages sent to chatID, oldest first.
func (s *Server) Sent(chatID int64) []SentMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []SentMessage
	for _, m := range s.sent {
		if m.ChatID == chatID {
			out = append(out, m)
		}
	}
	return out
}

// AllSent returns every message sent, oldest first.
func (s *Server) AllSent() []SentMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.sent)
}

// WaitSent waits until at least n messages have been sent in all, or ctx
// ends.
func (s *Server) WaitSent(ctx context.Context, n int) error {
	return s.waitFor(ctx, func() bool { return len(s.sent) >= n },
		func() string { return fmt.Sprintf("%d of %d messages sent", len(s.sent), n) })
}

// WaitCalls waits until method has been called at least n times, or ctx
// ends.
func (s *Server) WaitCalls(ctx context.Context, method string, n int) error {
	count := func() int {
		c := 0
		for _, call := range s.calls {
			if call.Method == method {
				c++
			}
		}
		return c
	}
	return s.waitFor(ctx, func() bool { return count() >= n },
		func() string { return fmt.Sprintf("%d of %d %s calls", count(), n, method) })
}

func (s *Server) waitFor(ctx context.Context, ok func() bool, state func() string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for !ok() {
		if s.waitLocked(ctx, nil) {
			if ok() {
				return nil
			}
			if ctx.Err() != nil {
				return fmt.Errorf("telegramtest: %s: %w", state(), ctx.Err())
			}
			return fmt.Errorf("telegramtest: server closed: %s", state())
		}
	}
	return nil
}

// Offsets returns the offset of every getUpdates call, in order (0 when
// the call had none).
func (s *Server) Offsets() []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.offsets)
}

// Pending returns the ids of the updates not yet confirmed.
func (s *Server) Pending() []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]int, len(s.queue))
	for i, u := range s.queue {
		ids[i] = u.UpdateID
	}
	return ids
}

// Commands returns the commands set for a language ("" for the default)
// in the default scope.
func (s *Server) Commands(lang string) []tgbotapi.BotCommand {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.commands[lang+"|default"])
}

// Webhook returns the webhook's URL and secret token ("" when none is set).
func (s *Server) Webhook() (url, secret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.webhookURL, s.webhookSecret
}

// PushUpdate queues an update for getUpdates, giving it the next update id
// when it has none, and returns its id.
func (s *Server) PushUpdate(u tgbotapi.Update) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u.UpdateID == 0 {
		u.UpdateID = s.nextUpdate
	}
	if u.UpdateID >= s.nextUpdate {
		s.nextUpdate = u.UpdateID + 1
	}
	s.queue = append(s.queue, u)
	s.notifyLocked()
	return u.UpdateID
}

func (s *Server) newMessageID() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.nextMsg
	s.nextMsg++
	return id
}

func user(id int64) *tgbotapi.User {
	return &tgbotapi.User{ID: id, FirstName: "Cán bộ", LastName: strconv.FormatInt(id, 10), LanguageCode: "vi"}
}

func chat(chatID, userID int64) *tgbotapi.Chat {
	c := &tgbotapi.Chat{ID: chatID, Type: "private"}
	if chatID != userID {
		c.Type = "group"
		if chatID < -1000000000000 {
			c.Type = "supergroup"
		}
		c.Title = "Nhóm " + strconv.FormatInt(chatID, 10)
	}
	return c
}

// userMessage builds a message a person sent.
func (s *Server) userMessage(chatID, userID int64, text string) *tgbotapi.Message {
	m := &tgbotapi.Message{
		MessageID: s.newMessageID(),
		From:      user(userID),
		Date:      1700000000,
		Chat:      chat(chatID, userID),
		Text:      text,
	}
	if strings.HasPrefix(text, "/") {
		cmd, _, _ := strings.Cut(text, " ")
		m.Entities = []tgbotapi.MessageEntity{{Type: "bot_command", Offset: 0, Length: units(cmd)}}
	}
	return m
}

// PushText queues a text message from userID in chatID (a private chat
// when they are equal) and returns the update id.
func (s *Server) PushText(chatID, userID int64, text string) int {
	return s.PushUpdate(tgbotapi.Update{Message: s.userMessage(chatID, userID, text)})
}

// PushReply queues a text message that replies to the bot's message
// replyTo.
func (s *Server) PushReply(chatID, userID int64, text string, replyTo int) int {
	m := s.userMessage(chatID, userID, text)
	m.ReplyToMessage = &tgbotapi.Message{MessageID: replyTo, Chat: m.Chat, From: s.botUser(), Date: 1700000000}
	return s.PushUpdate(tgbotapi.Update{Message: m})
}

// PushCallback queues a button press with data on the bot's message
// messageID.
func (s *Server) PushCallback(chatID, userID int64, data string, messageID int) int {
	s.mu.Lock()
	s.nextCB++
	id := fmt.Sprintf("cbq-%d", s.nextCB)
	s.mu.Unlock()
	return s.PushUpdate(tgbotapi.Update{CallbackQuery: &tgbotapi.CallbackQuery{
		ID:           id,
		From:         user(userID),
		Message:      &tgbotapi.Message{MessageID: messageID, From: s.botUser(), Chat: chat(chatID, userID), Date: 1700000000},
		ChatInstance: "ci-" + strconv.FormatInt(chatID, 10),
		Data:         data,
	}})
}

// PushDocument queues a file sent by userID; getFile knows it afterwards.
func (s *Server) PushDocument(chatID, userID int64, name, mimeType string, data []byte, caption string) int {
	m := s.userMessage(chatID, userID, "")
	m.Caption = caption
	s.mu.Lock()
	fileID := fmt.Sprintf("file-%d", len(s.files)+1)
	s.files[fileID] = UploadedFile{Name: name, Data: slices.Clone(data), FileID: fileID}
	s.mu.Unlock()
	m.Document = &tgbotapi.Document{FileID: fileID, FileUniqueID: "u" + fileID, FileName: name, MimeType: mimeType, FileSize: len(data)}
	return s.PushUpdate(tgbotapi.Update{Message: m})
}

// SetWebhook sets the webhook as if setWebhook had been called: getUpdates
// then answers 409.
func (s *Server) SetWebhook(url, secret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.webhookURL, s.webhookSecret = url, secret
	s.notifyLocked()
}

func (s *Server) botUser() *tgbotapi.User {
	s.mu.Lock()
	defer s.mu.Unlock()
	return &tgbotapi.User{ID: s.botID, IsBot: true, FirstName: "Planbot", UserName: s.username}
}

// Fault is an injected failure: the next Times calls of Method (any method
// when empty) to ChatID (any chat when 0) get it instead of an answer.
type Fault struct {
	Method      string
	ChatID      int64
	Code        int
	Description string
	RetryAfter  int
	MigrateTo   int64
	// Hang holds the request until the client gives up (or the server
	// closes) and answers nothing useful.
	Hang bool
	// Body, when set, is sent as is with status Code instead of the JSON
	// envelope (a proxy's HTML error page).
	Body string
	// Count is how many calls it hits; 0 means 1, negative means forever.
	Count int
}

// On returns f restricted to method.
func (f Fault) On(method string) Fault { f.Method = method; return f }

// ForChat returns f restricted to calls with chat_id.
func (f Fault) ForChat(chatID int64) Fault { f.ChatID = chatID; return f }

// Times returns f hitting n calls.
func (f Fault) Times(n int) Fault { f.Count = n; return f }

// Forever returns f hitting every matching call.
func (f Fault) Forever() Fault { f.Count = -1; return f }

// TooManyRequests is Telegram's flood-control answer.
func TooManyRequests(retryAfter int) Fault {
	return Fault{Code: 429, Description: fmt.Sprintf("Too Many Requests: retry after %d", retryAfter), RetryAfter: retryAfter}
}

// Blocked is the answer for a person who blocked the bot.
func Blocked() Fault {
	return Fault{Code: 403, Description: "Forbidden: bot was blocked by the user"}
}

// Deactivated is the answer for a deleted account.
func Deactivated() Fault {
	return Fault{Code: 403, Description: "Forbidden: user is deactivated"}
}

// Migrated is the answer for a group that became the supergroup to.
func Migrated(to int64) Fault {
	return Fault{Code: 400, Description: "Bad Request: group chat was upgraded to a supergroup chat", MigrateTo: to}
}

// BadRequest is a 400 with the given description ("Bad Request: " is
// prefixed when missing).
func BadRequest(description string) Fault {
	if !strings.HasPrefix(description, "Bad Request") {
		description = "Bad Request: " + description
	}
	return Fault{Code: 400, Description: description}
}

// InternalError is a 500.
func InternalError() Fault {
	return Fault{Code: 500, Description: "Internal Server Error"}
}

// Conflict is the 409 of a second poller.
func Conflict() Fault {
	return Fault{Code: 409, Description: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"}
}

// BadGateway is a proxy's 502 with an HTML page instead of JSON.
func BadGateway() Fault {
	return Fault{Code: 502, Body: "<html><body><h1>502 Bad Gateway</h1></body></html>"}
}

// Hang holds matching requests until the client times out.
func Hang() Fault { return Fault{Hang: true} }

// Inject adds a fault. Faults are tried in the order injected.
func (s *Server) Inject(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f.Count == 0 {
		f.Count = 1
	}
	s.faults = append(s.faults, &f)
}

// ClearFaults removes every injected fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// takeFaultLocked returns the first fault matching the call and uses it up.
func (s *Server) takeFaultLocked(method string, p map[string]string) *Fault {
	for i, f := range s.faults {
		if f.Method != "" && f.Method != method {
			continue
		}
		if f.ChatID != 0 && p["chat_id"] != strconv.FormatInt(f.ChatID, 10) {
			continue
		}
		hit := *f
		if f.Count > 0 {
			f.Count--
			if f.Count == 0 {
				s.faults = slices.Delete(s.faults, i, i+1)
			}
		}
		return &hit
	}
	return nil
}

// envelope is the Bot API's answer.
type envelope struct {
	OK          bool                         `json:"ok"`
	Result      any                          `json:"result,omitempty"`
	ErrorCode   int                          `json:"error_code,omitempty"`
	Description string                       `json:"description,omitempty"`
	Parameters  *tgbotapi.ResponseParameters `json:"parameters,omitempty"`
}

// apiError is an error answer.
type apiError struct {
	code        int
	description string
	params      *tgbotapi.ResponseParameters
}

func (e *apiError) Error() string { return e.description }

func badRequest(format string, args ...any) *apiError {
	return &apiError{code: 400, description: "Bad Request: " + fmt.Sprintf(format, args...)}
}

func writeJSON(w http.ResponseWriter, status int, v envelope) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, e *apiError) {
	writeJSON(w, e.code, envelope{ErrorCode: e.code, Description: e.description, Parameters: e.params})
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, "/file/bot")
	if ok {
		s.serveFile(w, r, rest)
		return
	}
	rest, ok = strings.CutPrefix(r.URL.Path, "/bot")
	token, method, ok2 := strings.Cut(rest, "/")
	if !ok || !ok2 || method == "" {
		writeError(w, &apiError{code: 404, description: "Not Found"})
		return
	}
	if token != s.token {
		writeError(w, &apiError{code: 401, description: "Unauthorized"})
		return
	}
	p, files, err := readParams(r)
	if err != nil {
		writeError(w, badRequest("%v", err))
		return
	}

	s.mu.Lock()
	call := Call{Method: method, Params: p, Files: files}
	f := s.takeFaultLocked(method, p)
	if f != nil {
		call.Fault = f.Code
		if f.Hang {
			call.Fault = -1
		}
	}
	s.calls = append(s.calls, call)
	if method == "getUpdates" {
		off, _ := strconv.Atoi(p["offset"])
		s.offsets = append(s.offsets, off)
	}
	s.notifyLocked()
	s.mu.Unlock()

	if f != nil {
		if f.Hang {
			select {
			case <-r.Context().Done():
			case <-s.done:
			}
			writeError(w, &apiError{code: 504, description: "Gateway Timeout"})
			return
		}
		if f.Body != "" {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(f.Code)
			_, _ = io.WriteString(w, f.Body)
			return
		}
		e := &apiError{code: f.Code, description: f.Description}
		if f.RetryAfter != 0 || f.MigrateTo != 0 {
			e.params = &tgbotapi.ResponseParameters{RetryAfter: f.RetryAfter, MigrateToChatID: f.MigrateTo}
		}
		writeError(w, e)
		return
	}

	var result any
	switch method {
	case "getMe":
		result = s.botUser()
	case "getUpdates":
		result, err = s.getUpdates(r.Context(), p)
	case "sendMessage":
		result, err = s.sendMessage(p)
	case "sendDocument":
		result, err = s.sendDocument(p, files)
	case "answerCallbackQuery":
		err = answerCallback(p)
		result = true
	case "setMyCommands":
		err = s.setMyCommands(p)
		result = true
	case "getMyCommands":
		result = s.getMyCommands(p)
	case "deleteMyCommands":
		s.mu.Lock()
		delete(s.commands, p["language_code"]+"|"+scopeType(p["scope"]))
		s.mu.Unlock()
		result = true
	case "setWebhook":
		err = s.setWebhook(p)
		result = true
	case "deleteWebhook":
		s.SetWebhook("", "")
		if p["drop_pending_updates"] == "true" {
			s.mu.Lock()
			s.queue = nil
			s.mu.Unlock()
		}
		result = true
	case "getWebhookInfo":
		s.mu.Lock()
		result = tgbotapi.WebhookInfo{URL: s.webhookURL, PendingUpdateCount: len(s.queue)}
		s.mu.Unlock()
	case "editMessageReplyMarkup", "editMessageText":
		result, err = s.editMessage(method, p)
	case "getFile":
		result, err = s.getFile(p)
	default:
		err = &apiError{code: 404, description: "Not Found"}
	}
	if err != nil {
		if e, ok := err.(*apiError); ok {
			writeError(w, e)
			return
		}
		writeError(w, badRequest("%v", err))
		return
	}
	writeJSON(w, http.StatusOK, envelope{OK: true, Result: result})
}

// readParams reads a request's fields whatever its encoding:
// application/x-www-form-urlencoded (tgbotapi's MakeRequest), multipart
// (its UploadFiles), JSON, or the query string.
func readParams(r *http.Request) (map[string]string, map[string]UploadedFile, error) {
	p := make(map[string]string)
	files := make(map[string]UploadedFile)
	for k, v := range r.URL.Query() {
		p[k] = v[0]
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "multipart/form-data":
		if err := r.ParseMultipartForm(64 << 20); err != nil {
			return nil, nil, fmt.Errorf("multipart: %w", err)
		}
		for k, v := range r.MultipartForm.Value {
			p[k] = v[0]
		}
		for k, fhs := range r.MultipartForm.File {
			fh := fhs[0]
			f, err := fh.Open()
			if err != nil {
				return nil, nil, err
			}
			b, err := io.ReadAll(f)
			f.Close()
			if err != nil {
				return nil, nil, err
			}
			files[k] = UploadedFile{Name: fh.Filename, Data: b}
		}
	case "application/json":
		var m map[string]json.RawMessage
		if err := json.NewDecoder(r.Body).Decode(&m); err != nil && err != io.EOF {
			return nil, nil, fmt.Errorf("json: %w", err)
		}
		for k, raw := range m {
			var str string
			if json.Unmarshal(raw, &str) == nil {
				p[k] = str
			} else {
				p[k] = string(raw)
			}
		}
	default:
		if err := r.ParseForm(); err != nil {
			return nil, nil, err
		}
		for k, v := range r.PostForm {
			p[k] = v[0]
		}
	}
	return p, files, nil
}

func (s *Server) getUpdates(ctx context.Context, p map[string]string) ([]tgbotapi.Update, error) {
	offset, _ := strconv.Atoi(p["offset"])
	limit := 100
	if v, err := strconv.Atoi(p["limit"]); err == nil && v > 0 && v < 100 {
		limit = v
	}
	timeout, _ := strconv.Atoi(p["timeout"])
	wait := time.Duration(timeout) * time.Second
	if s.maxWait >= 0 && wait > s.maxWait {
		wait = s.maxWait
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if s.webhookURL != "" {
		return nil, &apiError{code: 409, description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"}
	}
	s.pollGen++
	gen := s.pollGen
	// Passing an offset confirms every update below it, as on Telegram; a
	// negative offset keeps only the last -offset updates.
	switch {
	case offset > 0:
		i := 0
		for i < len(s.queue) && s.queue[i].UpdateID < offset {
			i++
		}
		if i > 0 {
			s.queue = slices.Clone(s.queue[i:])
			s.notifyLocked()
		}
	case offset < 0 && -offset < len(s.queue):
		s.queue = slices.Clone(s.queue[len(s.queue)+offset:])
		s.notifyLocked()
	}
	var timer <-chan time.Time
	if wait > 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		timer = t.C
	}
	for {
		if gen != s.pollGen {
			return nil, &apiError{code: 409, description: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"}
		}
		if len(s.queue) > 0 {
			n := min(limit, len(s.queue))
			return slices.Clone(s.queue[:n]), nil
		}
		if wait <= 0 || s.waitLocked(ctx, timer) {
			return []tgbotapi.Update{}, nil
		}
	}
}

func parseChatID(p map[string]string) (int64, error) {
	v := p["chat_id"]
	if v == "" {
		return 0, badRequest("chat_id is empty")
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, badRequest("chat not found")
	}
	return id, nil
}

func parseKeyboard(v string) ([][]Button, error) {
	if v == "" {
		return nil, nil
	}
	var kb tgbotapi.InlineKeyboardMarkup
	if err := json.Unmarshal([]byte(v), &kb); err != nil {
		return nil, badRequest("can't parse reply keyboard markup JSON object")
	}
	var rows [][]Button
	for _, row := range kb.InlineKeyboard {
		var out []Button
		for _, b := range row {
			if b.Text == "" {
				return nil, badRequest("BUTTON_TEXT_INVALID")
			}
			btn := Button{Text: b.Text}
			if b.CallbackData != nil {
				btn.Data = *b.CallbackData
				if n := len(btn.Data); n < 1 || n > 64 {
					return nil, badRequest("BUTTON_DATA_INVALID")
				}
			}
			out = append(out, btn)
		}
		rows = append(rows, out)
	}
	return rows, nil
}

// visibleText returns text as Telegram shows it: for HTML, tags removed
// and entities decoded, after checking the markup.
func visibleText(text, parseMode string) (string, error) {
	if !strings.EqualFold(parseMode, "HTML") {
		return text, nil
	}
	v, err := ParseHTML(text)
	if err != nil {
		return "", badRequest("can't parse entities: %v", err)
	}
	return v, nil
}

// outgoing checks what sendMessage and sendDocument have in common: the
// text (or caption) as Telegram would show it, within limit, the inline
// keyboard and the message replied to.
func outgoing(p map[string]string, text string, limit int, tooLong string) (visible string, rows [][]Button, replyTo int, err error) {
	if visible, err = visibleText(text, p["parse_mode"]); err != nil {
		return "", nil, 0, err
	}
	if units(visible) > limit {
		return "", nil, 0, badRequest("%s", tooLong)
	}
	if rows, err = parseKeyboard(p["reply_markup"]); err != nil {
		return "", nil, 0, err
	}
	replyTo, _ = strconv.Atoi(p["reply_to_message_id"])
	return visible, rows, replyTo, nil
}

func (s *Server) sendMessage(p map[string]string) (*tgbotapi.Message, error) {
	chatID, err := parseChatID(p)
	if err != nil {
		return nil, err
	}
	text := p["text"]
	if strings.TrimSpace(text) == "" {
		return nil, badRequest("message text is empty")
	}
	visible, rows, replyTo, err := outgoing(p, text, 4096, "message is too long")
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(visible) == "" {
		return nil, badRequest("message text is empty")
	}
	bot := s.botUser()
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.nextMsg
	s.nextMsg++
	s.sent = append(s.sent, SentMessage{
		MessageID: id, ChatID: chatID, Method: "sendMessage", Text: text,
		ParseMode: p["parse_mode"], ReplyTo: replyTo, Buttons: rows,
	})
	s.notifyLocked()
	return &tgbotapi.Message{MessageID: id, From: bot, Date: 1700000000, Chat: &tgbotapi.Chat{ID: chatID, Type: "private"}, Text: visible}, nil
}

func (s *Server) sendDocument(p map[string]string, files map[string]UploadedFile) (*tgbotapi.Message, error) {
	chatID, err := parseChatID(p)
	if err != nil {
		return nil, err
	}
	doc, ok := files["document"]
	if !ok {
		if p["document"] == "" {
			return nil, badRequest("there is no document in the request")
		}
		doc = UploadedFile{FileID: p["document"]}
	} else if len(doc.Data) == 0 {
		return nil, badRequest("file must be non-empty")
	}
	caption := p["caption"]
	visible, rows, replyTo, err := outgoing(p, caption, 1024, "message caption is too long")
	if err != nil {
		return nil, err
	}
	bot := s.botUser()
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.nextMsg
	s.nextMsg++
	fileID := fmt.Sprintf("doc-%d", id)
	s.files[fileID] = UploadedFile{Name: doc.Name, Data: doc.Data, FileID: fileID}
	s.sent = append(s.sent, SentMessage{
		MessageID: id, ChatID: chatID, Method: "sendDocument", Caption: caption,
		ParseMode: p["parse_mode"], ReplyTo: replyTo, Buttons: rows, Document: &doc,
	})
	s.notifyLocked()
	return &tgbotapi.Message{
		MessageID: id, From: bot, Date: 1700000000, Chat: &tgbotapi.Chat{ID: chatID, Type: "private"},
		Caption:  visible,
		Document: &tgbotapi.Document{FileID: fileID, FileUniqueID: "u" + fileID, FileName: doc.Name, FileSize: len(doc.Data)},
	}, nil
}

func answerCallback(p map[string]string) error {
	if p["callback_query_id"] == "" {
		return badRequest("query is too old and response timeout expired or query ID is invalid")
	}
	if len([]rune(p["text"])) > 200 {
		return badRequest("MESSAGE_TOO_LONG")
	}
	return nil
}

func scopeType(raw string) string {
	if raw == "" {
		return "default"
	}
	var sc tgbotapi.BotCommandScope
	if json.Unmarshal([]byte(raw), &sc) != nil || sc.Type == "" {
		return "default"
	}
	return sc.Type
}

func validCommand(name string) bool {
	if len(name) < 1 || len(name) > 32 {
		return false
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}

func (s *Server) setMyCommands(p map[string]string) error {
	var cmds []tgbotapi.BotCommand
	if err := json.Unmarshal([]byte(p["commands"]), &cmds); err != nil {
		return badRequest("can't parse commands JSON object")
	}
	if len(cmds) > 100 {
		return badRequest("too many commands")
	}
	for _, c := range cmds {
		if !validCommand(c.Command) {
			return badRequest("BOT_COMMAND_INVALID")
		}
		if n := len([]rune(c.Description)); n < 1 || n > 256 {
			return badRequest("command description is empty")
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.commands[p["language_code"]+"|"+scopeType(p["scope"])] = cmds
	s.notifyLocked()
	return nil
}

func (s *Server) getMyCommands(p map[string]string) []tgbotapi.BotCommand {
	s.mu.Lock()
	defer s.mu.Unlock()
	cmds := s.commands[p["language_code"]+"|"+scopeType(p["scope"])]
	if cmds == nil {
		cmds = []tgbotapi.BotCommand{}
	}
	return cmds
}

func (s *Server) setWebhook(p map[string]string) error {
	secret := p["secret_token"]
	if secret != "" {
		if len(secret) > 256 {
			return badRequest("secret token is too long")
		}
		for _, r := range secret {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
				return badRequest("secret token contains unallowed characters")
			}
		}
	}
	u := p["url"]
	if u != "" && !strings.HasPrefix(u, "https://") {
		return badRequest("bad webhook: An HTTPS URL must be provided for webhook")
	}
	s.SetWebhook(u, secret)
	return nil
}

func (s *Server) editMessage(method string, p map[string]string) (*tgbotapi.Message, error) {
	chatID, err := parseChatID(p)
	if err != nil {
		return nil, err
	}
	id, _ := strconv.Atoi(p["message_id"])
	if _, err := parseKeyboard(p["reply_markup"]); err != nil {
		return nil, err
	}
	if method == "editMessageText" {
		if _, err := visibleText(p["text"], p["parse_mode"]); err != nil {
			return nil, err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, m := range s.sent {
		if m.ChatID == chatID && m.MessageID == id {
			return &tgbotapi.Message{MessageID: id, Date: 1700000000, Chat: &tgbotapi.Chat{ID: chatID, Type: "private"}, Text: p["text"]}, nil
		}
	}
	return nil, badRequest("message to edit not found")
}

func (s *Server) getFile(p map[string]string) (*tgbotapi.File, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.files[p["file_id"]]
	if !ok {
		return nil, badRequest("invalid file_id")
	}
	return &tgbotapi.File{FileID: f.FileID, FileUniqueID: "u" + f.FileID, FileSize: len(f.Data), FilePath: "documents/" + f.FileID}, nil
}

// serveFile serves /file/bot{token}/documents/{file_id}.
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request, rest string) {
	token, path, _ := strings.Cut(rest, "/")
	if token != s.token {
		http.Error(w, "Unauthorized", http.StatusUnauthorized)
		return
	}
	s.mu.Lock()
	f, ok := s.files[strings.TrimPrefix(path, "documents/")]
	s.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	_, _ = w.Write(f.Data)
}

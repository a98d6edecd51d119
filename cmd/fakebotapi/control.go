package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/chanhlo/planbot/bot/telegram/telegramtest"
)

// ControlPrefix is where the control API lives. Bot API paths all begin
// with /bot or /file/bot, so it cannot clash with them.
const ControlPrefix = "/_fake/"

// maxWait caps ?wait= on GET /_fake/sent.
const maxWait = 5 * time.Minute

// control is the HTTP API a person (or a script) uses to act as Telegram
// users: push what they type, and read what the bot sent them.
type control struct {
	srv *telegramtest.Server
}

func newControl(srv *telegramtest.Server) http.Handler {
	c := &control{srv: srv}
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+ControlPrefix+"send", c.send)
	mux.HandleFunc("GET "+ControlPrefix+"sent", c.sent)
	mux.HandleFunc("GET "+ControlPrefix+"{$}", c.help)
	return mux
}

const helpText = `fakebotapi control API

POST /_fake/send?chat=CHAT[&user=USER][&wait=10s] body: the text the user types;
                                                  with wait, answers with the bot's
                                                  messages to CHAT that follow it
     &reply_to=MESSAGE_ID                         ... as a reply to the bot's message
POST /_fake/send?chat=CHAT&callback=DATA&message=MESSAGE_ID
                                                  presses a button (DATA as listed by /sent)
GET  /_fake/sent?[chat=CHAT][&after=MESSAGE_ID][&wait=10s][&raw=1][&format=json]
                                                  what the bot sent, oldest first; waits up
                                                  to wait for a message newer than after

user defaults to chat (a private chat). The text is the request body, or the
form or query field "text" when there is one.
`

func (c *control) help(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = io.WriteString(w, helpText)
}

// httpError answers a wrong request with a one-line explanation.
func httpError(w http.ResponseWriter, code int, format string, args ...any) {
	http.Error(w, fmt.Sprintf(format, args...), code)
}

func intParam(q url.Values, name string, def int64) (int64, error) {
	v := q.Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%s=%q is not a number", name, v)
	}
	return n, nil
}

// requestText is the text of POST /_fake/send: the "text" field of a form
// body or of the query, else the whole body as sent (curl --data-binary).
func requestText(r *http.Request) (string, error) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		return "", fmt.Errorf("read body: %w", err)
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct == "application/x-www-form-urlencoded" {
		if form, err := url.ParseQuery(string(body)); err == nil && form.Has("text") {
			return form.Get("text"), nil
		}
	}
	if len(body) == 0 && r.URL.Query().Has("text") {
		return r.URL.Query().Get("text"), nil
	}
	return string(body), nil
}

// sendResult is what POST /_fake/send answers.
type sendResult struct {
	UpdateID int `json:"update_id"`
	// After is the newest message id the bot had sent to the chat before
	// this update: GET /_fake/sent?after=After shows the answers to it.
	After int `json:"after"`
	// Answers are those messages, when the request asked to wait for them.
	Answers []sentMessage `json:"answers,omitempty"`
}

func (c *control) send(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	chat, err := intParam(q, "chat", 0)
	if err == nil && chat == 0 {
		err = fmt.Errorf("chat is required, e.g. ?chat=1001")
	}
	if err != nil {
		httpError(w, http.StatusBadRequest, "%v", err)
		return
	}
	user, err1 := intParam(q, "user", chat)
	replyTo, err2 := intParam(q, "reply_to", 0)
	message, err3 := intParam(q, "message", 0)
	wait, err4 := waitParam(q)
	for _, err := range []error{err1, err2, err3, err4} {
		if err != nil {
			httpError(w, http.StatusBadRequest, "%v", err)
			return
		}
	}
	after := 0
	for _, m := range c.srv.Sent(chat) {
		after = max(after, m.MessageID)
	}
	var id int
	if q.Has("callback") {
		if message == 0 {
			httpError(w, http.StatusBadRequest, "callback needs message=<id of the bot's message with the button>")
			return
		}
		id = c.srv.PushCallback(chat, user, q.Get("callback"), int(message))
	} else {
		text, err := requestText(r)
		if err != nil {
			httpError(w, http.StatusBadRequest, "%v", err)
			return
		}
		if strings.TrimSpace(text) == "" {
			httpError(w, http.StatusBadRequest, "empty text: send it as the body, e.g. curl --data-binary '/nhiemvu'")
			return
		}
		if replyTo != 0 {
			id = c.srv.PushReply(chat, user, text, int(replyTo))
		} else {
			id = c.srv.PushText(chat, user, text)
		}
	}
	res := sendResult{UpdateID: id, After: after}
	if q.Has("wait") {
		res.Answers = c.answers(r, chat, after, wait)
	}
	switch {
	case q.Get("format") == "json":
		writeJSON(w, res)
	case q.Has("wait"):
		writeTexts(w, res.Answers)
	default:
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintf(w, "queued update %d; the bot's answers: curl -s 'http://%s%ssent?chat=%d&after=%d&wait=10s'\n", id, r.Host, ControlPrefix, chat, after)
	}
}

// sentMessage is one message of GET /_fake/sent?format=json.
type sentMessage struct {
	MessageID int                     `json:"message_id"`
	ChatID    int64                   `json:"chat_id"`
	ReplyTo   int                     `json:"reply_to,omitempty"`
	Text      string                  `json:"text"`
	Buttons   [][]telegramtest.Button `json:"buttons,omitempty"`
	Document  string                  `json:"document,omitempty"`
}

func (c *control) sent(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	chat, err := intParam(q, "chat", 0)
	if err != nil {
		httpError(w, http.StatusBadRequest, "%v", err)
		return
	}
	after, err := intParam(q, "after", 0)
	if err != nil {
		httpError(w, http.StatusBadRequest, "%v", err)
		return
	}
	wait, err := waitParam(q)
	if err != nil {
		httpError(w, http.StatusBadRequest, "%v", err)
		return
	}
	out := c.answers(r, chat, int(after), wait)
	if q.Get("format") == "json" {
		writeJSON(w, out)
		return
	}
	writeTexts(w, out)
}

// waitParam reads ?wait= as a duration ("10s") or a number of seconds.
func waitParam(q url.Values) (time.Duration, error) {
	v := q.Get("wait")
	if v == "" {
		return 0, nil
	}
	wait, err := time.ParseDuration(v)
	if err != nil {
		if n, err2 := strconv.Atoi(v); err2 == nil {
			wait, err = time.Duration(n)*time.Second, nil
		}
	}
	if err != nil || wait < 0 {
		return 0, fmt.Errorf("wait=%q is not a duration such as 10s", v)
	}
	return min(wait, maxWait), nil
}

// answers returns the messages to chat newer than after, waiting up to
// wait for the first, as the control API shows them.
func (c *control) answers(r *http.Request, chat int64, after int, wait time.Duration) []sentMessage {
	ctx, cancel := context.WithTimeout(r.Context(), wait)
	defer cancel()
	msgs := c.await(ctx, chat, after)
	raw := r.URL.Query().Get("raw") == "1" || r.URL.Query().Get("raw") == "true"
	out := make([]sentMessage, len(msgs))
	for i, m := range msgs {
		out[i] = view(m, raw)
	}
	return out
}

func writeTexts(w http.ResponseWriter, msgs []sentMessage) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if len(msgs) == 0 {
		fmt.Fprintln(w, "(no messages)")
		return
	}
	for _, m := range msgs {
		writeText(w, m)
	}
}

// await returns the messages to chat (0: any chat) newer than after,
// waiting on the server's notifications until there is one or ctx ends.
func (c *control) await(ctx context.Context, chat int64, after int) []telegramtest.SentMessage {
	for {
		all := c.srv.AllSent()
		var out []telegramtest.SentMessage
		for _, m := range all {
			if (chat == 0 || m.ChatID == chat) && m.MessageID > after {
				out = append(out, m)
			}
		}
		if len(out) > 0 || ctx.Err() != nil {
			return out
		}
		// When ctx ends, loop once more for a last look; when the server
		// closes, there will be nothing new.
		if err := c.srv.WaitSent(ctx, len(all)+1); err != nil && ctx.Err() == nil {
			return out
		}
	}
}

// view is a sent message as the control API shows it: HTML removed unless
// raw, a document by its name and caption.
func view(m telegramtest.SentMessage, raw bool) sentMessage {
	text := m.Text
	if m.Method == "sendDocument" {
		text = m.Caption
	}
	if !raw && strings.EqualFold(m.ParseMode, "HTML") {
		if visible, err := telegramtest.ParseHTML(text); err == nil {
			text = visible
		}
	}
	v := sentMessage{MessageID: m.MessageID, ChatID: m.ChatID, ReplyTo: m.ReplyTo, Text: text, Buttons: m.Buttons}
	if m.Document != nil {
		v.Document = m.Document.Name
		if v.Document == "" {
			v.Document = m.Document.FileID
		}
	}
	return v
}

func writeText(w io.Writer, m sentMessage) {
	fmt.Fprintf(w, "── #%d → chat %d", m.MessageID, m.ChatID)
	if m.ReplyTo != 0 {
		fmt.Fprintf(w, " (reply to #%d)", m.ReplyTo)
	}
	fmt.Fprintln(w)
	if m.Document != "" {
		fmt.Fprintf(w, "[file %s]\n", m.Document)
	}
	if m.Text != "" {
		fmt.Fprintln(w, m.Text)
	}
	for _, row := range m.Buttons {
		for i, b := range row {
			if i > 0 {
				fmt.Fprint(w, "  ")
			}
			fmt.Fprintf(w, "[%s → callback=%s]", b.Text, b.Data)
		}
		fmt.Fprintln(w)
	}
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

package zalo

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/texts"
)

// rateLimitWait is how long the outbox waits after a 429 when Zalo gave
// no hint: its quota is counted over longer spans than Telegram's.
const rateLimitWait = time.Minute

// Send implements plan.Sender. Zalo shows plain text, so Text is turned
// into it (see Plain); buttons become numbered lines
// (texts.ChoiceFallback) the person answers by typing the number; a
// document becomes a download link (Config.Links) or a note that it
// cannot be sent here (texts.NoDocuments); ReplyTo is ignored. Text over
// MaxText is split (see Split) and sent part by part with sendMessage;
// Sent.MessageID is the last part's id.
//
// When a later part is refused, the error is returned and the earlier
// parts stay delivered: a retry by the outbox repeats them.
func (t *Transport) Send(ctx context.Context, to plan.Address, m plan.Message) (plan.Sent, error) {
	if to.Transport != "" && to.Transport != t.name {
		return plan.Sent{}, permanent(fmt.Errorf("zalo: address of transport %q", to.Transport))
	}
	if to.ChatID == "" {
		return plan.Sent{}, permanent(errors.New("zalo: no chat id"))
	}
	parts := Split(t.compose(ctx, to, m), MaxText)
	if len(parts) == 0 {
		return plan.Sent{}, permanent(errors.New("zalo: empty message"))
	}
	var last string
	for i, p := range parts {
		id, err := t.sendText(ctx, to.ChatID, p)
		if err != nil {
			return plan.Sent{}, t.classify(fmt.Errorf("zalo sendMessage (part %d of %d): %w", i+1, len(parts), err))
		}
		last = id
		if t.counted != nil {
			t.counted(ctx, 1)
		}
	}
	return plan.Sent{MessageID: last}, nil
}

// compose builds the plain text of m: the text, one line per choice,
// then the document's caption and its link or note.
func (t *Transport) compose(ctx context.Context, to plan.Address, m plan.Message) string {
	return Compose(m, func(d plan.Document) string { return t.documentLine(ctx, to, d) })
}

// Compose renders a message as Zalo shows it: plain text, the choices as
// numbered lines ("Trả lời 1 để …"), then the document's caption and the
// line docLine gives for it (a download link or a note).
func Compose(m plan.Message, docLine func(plan.Document) string) string {
	lines := []string{m.Text}
	for i, c := range m.Choices {
		lines = append(lines, texts.ChoiceFallback(i+1, c.Label))
	}
	if d := m.Document; d != nil {
		if d.Caption != "" {
			lines = append(lines, d.Caption)
		}
		lines = append(lines, docLine(*d))
	}
	var b strings.Builder
	for _, l := range lines {
		l = Plain(l)
		if strings.TrimSpace(l) == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(l)
	}
	return b.String()
}

func (t *Transport) documentLine(ctx context.Context, to plan.Address, d plan.Document) string {
	if t.links == nil {
		return texts.NoDocuments(d.Name)
	}
	link, err := t.links(ctx, to, d)
	if err != nil || link == "" {
		t.log.Warn("no download link for a document; the message says it cannot be sent", "file", d.Name, "err", err)
		return texts.NoDocuments(d.Name)
	}
	return texts.FileLink(d.Name, link)
}

type sentResult struct {
	MessageID idString `json:"message_id"`
	Date      int64    `json:"date"` // milliseconds
}

func (t *Transport) sendText(ctx context.Context, chatID, text string) (string, error) {
	var res sentResult
	err := t.call(ctx, "sendMessage", map[string]string{"chat_id": chatID, "text": text}, &res)
	return string(res.MessageID), err
}

// Typing shows "typing…" in the chat (sendChatAction).
func (t *Transport) Typing(ctx context.Context, to plan.Address) error {
	if err := t.call(ctx, "sendChatAction", map[string]string{"chat_id": to.ChatID, "action": "typing"}, nil); err != nil {
		return fmt.Errorf("zalo: typing in chat %s: %w", to.ChatID, err)
	}
	return nil
}

func permanent(err error) error {
	return &plan.SendError{Failure: plan.SendPermanent, Err: err}
}

// classify turns a failed send into a *plan.SendError:
//
//	429                                   → SendRateLimited (Retry-After, else 1 minute)
//	404, "not found" / "blocked" described → SendUnreachable
//	401 (the token)                       → SendPermanent, logged as an error
//	other 4xx (400: empty or too long)    → SendPermanent
//	408, 403 (Zalo's "internal error"), 5xx,
//	network errors, timeouts              → SendTemporary
func (t *Transport) classify(err error) error {
	var e *APIError
	if !errors.As(err, &e) {
		return &plan.SendError{Failure: plan.SendTemporary, Err: err}
	}
	se := &plan.SendError{Err: err}
	desc := strings.ToLower(e.Description)
	switch {
	case e.Code == 429:
		se.Failure = plan.SendRateLimited
		// Zalo's 429 is the bot's quota, not one chat's pace.
		se.WholeBot = true
		se.RetryAfter = e.RetryAfter
		if se.RetryAfter <= 0 {
			se.RetryAfter = rateLimitWait
		}
	case e.Temporary():
		se.Failure = plan.SendTemporary
	case e.Code == 401:
		t.log.Error("zalo token refused: messages cannot be sent until the token is fixed", "method", e.Method)
		se.Failure = plan.SendPermanent
	case e.Code == 404 || strings.Contains(desc, "block") ||
		(strings.Contains(desc, "not found") && (strings.Contains(desc, "user") || strings.Contains(desc, "chat"))):
		se.Failure = plan.SendUnreachable
	default:
		se.Failure = plan.SendPermanent
	}
	return se
}

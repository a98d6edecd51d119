package telegram

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/chanhlo/planbot/plan"
)

// Send implements plan.Sender. Text goes with parse mode HTML (the core
// escapes what it must); text over MaxText is split (see SplitText), the
// reply goes on the first message and the buttons on the last. A document
// goes by sendDocument with its caption, or with Text as caption when it
// has none and Text fits; a caption that does not fit is sent as text
// messages after the document. Sent.MessageID is the last message's id.
//
// When a later part of a split message is refused, the error is returned
// and the earlier parts stay delivered: a retry by the outbox repeats
// them. That is rare (a part follows the previous one within a second)
// and a duplicated paragraph is better than a lost one.
func (t *Transport) Send(ctx context.Context, to plan.Address, m plan.Message) (plan.Sent, error) {
	if to.Transport != "" && to.Transport != t.name {
		return plan.Sent{}, permanent(fmt.Errorf("telegram: address of transport %q", to.Transport))
	}
	chatID, err := strconv.ParseInt(to.ChatID, 10, 64)
	if err != nil {
		return plan.Sent{}, permanent(fmt.Errorf("telegram: chat id %q is not a number", to.ChatID))
	}
	replyTo := 0
	if m.ReplyTo != "" {
		if replyTo, err = strconv.Atoi(m.ReplyTo); err != nil {
			t.log.Warn("reply-to id is not a Telegram message id; sending without it", "reply_to", m.ReplyTo)
			replyTo = 0
		}
	}
	markup, err := keyboard(m.Choices)
	if err != nil {
		return plan.Sent{}, permanent(err)
	}

	// Plan the messages: texts first, then the document, then a caption
	// that did not fit.
	var texts []string
	var after []string
	caption := ""
	if d := m.Document; d != nil {
		caption = d.Caption
		if caption == "" && units(m.Text) <= MaxCaption {
			caption = m.Text
		} else {
			texts, _ = splitText(m.Text, MaxText)
		}
		if units(caption) > MaxCaption {
			after, _ = splitText(caption, MaxText)
			caption = ""
		}
	} else {
		texts, _ = splitText(m.Text, MaxText)
		if len(texts) == 0 {
			return plan.Sent{}, permanent(errors.New("telegram: empty message"))
		}
	}

	total := len(texts) + len(after)
	if m.Document != nil {
		total++
	}
	n := 0
	var last tgbotapi.Message
	send := func(c tgbotapi.Chattable, method string) error {
		err := t.call(ctx, func(api *tgbotapi.BotAPI) error {
			var err error
			last, err = api.Send(c)
			return err
		})
		n++
		if err != nil {
			return classify(fmt.Errorf("telegram %s (part %d of %d): %w", method, n, total, err))
		}
		return nil
	}
	base := func() tgbotapi.BaseChat {
		b := tgbotapi.BaseChat{ChatID: chatID}
		if n == 0 && replyTo != 0 {
			b.ReplyToMessageID = replyTo
			b.AllowSendingWithoutReply = true
		}
		if n == total-1 && markup != nil {
			b.ReplyMarkup = markup
		}
		return b
	}
	text := func(s string) error {
		msg := tgbotapi.MessageConfig{BaseChat: base(), Text: s, ParseMode: tgbotapi.ModeHTML}
		return send(msg, "sendMessage")
	}
	for _, s := range texts {
		if err := text(s); err != nil {
			return plan.Sent{}, err
		}
	}
	if d := m.Document; d != nil {
		doc := tgbotapi.DocumentConfig{
			BaseFile: tgbotapi.BaseFile{BaseChat: base(), File: tgbotapi.FileBytes{Name: d.Name, Bytes: d.Data}},
			Caption:  caption,
		}
		if caption != "" {
			doc.ParseMode = tgbotapi.ModeHTML
		}
		if err := send(doc, "sendDocument"); err != nil {
			return plan.Sent{}, err
		}
	}
	for _, s := range after {
		if err := text(s); err != nil {
			return plan.Sent{}, err
		}
	}
	return plan.Sent{MessageID: strconv.Itoa(last.MessageID)}, nil
}

// keyboard builds an inline keyboard with one button per row (labels are
// Vietnamese phrases, too long to share a row on a phone).
func keyboard(choices []plan.Choice) (*tgbotapi.InlineKeyboardMarkup, error) {
	if len(choices) == 0 {
		return nil, nil
	}
	rows := make([][]tgbotapi.InlineKeyboardButton, 0, len(choices))
	for _, c := range choices {
		if n := len(c.Data); n < 1 || n > 64 {
			return nil, fmt.Errorf("telegram: button %q: data of %d bytes, want 1–64", c.Label, n)
		}
		if strings.TrimSpace(c.Label) == "" {
			return nil, fmt.Errorf("telegram: button with data %q has no label", c.Data)
		}
		rows = append(rows, tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData(c.Label, c.Data)))
	}
	kb := tgbotapi.NewInlineKeyboardMarkup(rows...)
	return &kb, nil
}

func permanent(err error) error {
	return &plan.SendError{Failure: plan.SendPermanent, Err: err}
}

// apiError finds the Bot API's refusal in err and its code. Uploads
// (tgbotapi.UploadFiles) leave Code at 0, so the code is then read from
// the description, which Telegram starts with the status text.
func apiError(err error) (*tgbotapi.Error, int, bool) {
	var e *tgbotapi.Error
	if !errors.As(err, &e) {
		return nil, 0, false
	}
	code := e.Code
	if code == 0 {
		code = codeOf(e.Message)
	}
	return e, code, true
}

func codeOf(description string) int {
	for _, p := range []struct {
		prefix string
		code   int
	}{
		{"Bad Request", 400},
		{"Unauthorized", 401},
		{"Forbidden", 403},
		{"Not Found", 404},
		{"Conflict", 409},
		{"Request Entity Too Large", 413},
		{"Too Many Requests", 429},
		{"Internal Server Error", 500},
		{"Bad Gateway", 502},
		{"Service Unavailable", 503},
		{"Gateway Timeout", 504},
	} {
		if strings.HasPrefix(description, p.prefix) {
			return p.code
		}
	}
	return 0
}

// classify turns a failed call into a *plan.SendError:
//
//	429                          → SendRateLimited, RetryAfter from parameters
//	400 with migrate_to_chat_id  → SendMigrated, MigratedTo the new chat id
//	403 (blocked, deactivated, kicked, chat deleted),
//	400 "chat not found"         → SendUnreachable
//	other 4xx                    → SendPermanent
//	401, 404 (the token), 5xx, unknown codes, network errors, timeouts
//	                             → SendTemporary
//
// "chat not found" is a person who never opened the bot (or a wrong id):
// no resend will reach them, so the outbox treats it like a block. 401
// and 404 say the token is wrong or revoked, which is no fault of the
// message: it must not be dropped while an operator fixes the token.
func classify(err error) error {
	e, code, ok := apiError(err)
	if !ok {
		return &plan.SendError{Failure: plan.SendTemporary, Err: err}
	}
	se := &plan.SendError{Err: err}
	switch {
	case code == 429 || e.RetryAfter > 0:
		se.Failure = plan.SendRateLimited
		se.RetryAfter = time.Duration(e.RetryAfter) * time.Second
		if se.RetryAfter <= 0 {
			se.RetryAfter = time.Second
		}
	case e.MigrateToChatID != 0:
		se.Failure = plan.SendMigrated
		se.MigratedTo = strconv.FormatInt(e.MigrateToChatID, 10)
	case code == 403:
		se.Failure = plan.SendUnreachable
	case code == 400 && (strings.Contains(e.Message, "chat not found") || strings.Contains(e.Message, "user not found") || strings.Contains(e.Message, "PEER_ID_INVALID")):
		se.Failure = plan.SendUnreachable
	case code == 401 || code == 404:
		se.Failure = plan.SendTemporary
	case code >= 400 && code < 500:
		se.Failure = plan.SendPermanent
	default:
		se.Failure = plan.SendTemporary
	}
	return se
}

package telegram

import (
	"context"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/chanhlo/planbot/bot"
)

// allowedUpdates are the update kinds planbot asks Telegram for.
var allowedUpdates = []string{"message", "callback_query"}

// Run implements bot.Transport: in polling mode it long-polls getUpdates,
// in webhook mode it serves the webhook (see RunWebhook). It returns nil
// when ctx is done.
//
// The poll loop is written here rather than taken from the library's
// GetUpdatesChan, which confirms updates before they are handled and
// sleeps a fixed 3 s on every error:
//
//   - The offset passed to Telegram moves past an update only after
//     h.Handle returned nil for it. When the handler fails, the loop backs
//     off and polls again from the same offset, so Telegram delivers the
//     same update (and those after it) again. After MaxAttempts failures
//     of one update it is logged and skipped: one poison update must not
//     stop the bot for the 24 hours Telegram keeps it.
//   - Updates of kinds planbot ignores are confirmed like the others.
//   - getUpdates errors back off exponentially with jitter (1 s to 1 min);
//     a 429 waits its retry_after; a 409 is logged as another poller or a
//     webhook using the token.
//   - An empty answer that came back well before the poll timeout (a
//     proxy or a server that does not long-poll) is followed by a short
//     pause, so the loop never spins.
//   - The handler gets a context that is not cancelled when ctx is (only
//     bounded by HandleTimeout): when ctx ends while an update is being
//     handled, that update is finished, its offset confirmed, and Run
//     returns; the updates after it in the batch are not started and come
//     again after a restart.
//   - On the way out the last handled offset is confirmed with one short
//     call, so a restart re-delivers only what was not handled.
func (t *Transport) Run(ctx context.Context, h bot.Handler) error {
	if t.mode == ModeWebhook && t.hookMounted {
		// The caller serves the handler; Telegram is told where.
		if err := t.SetWebhook(ctx, t.hookURL, t.secret); err != nil && ctx.Err() == nil {
			return err
		}
		t.log.Info("the Telegram webhook is served by planbot's HTTP server", "bot", t.Username())
		<-ctx.Done()
		return nil
	}
	if t.mode == ModeWebhook {
		return t.RunWebhook(ctx, h)
	}
	return t.poll(ctx, h)
}

func (t *Transport) poll(ctx context.Context, h bot.Handler) error {
	t.log.Info("polling Telegram for updates", "bot", t.Username(), "poll_timeout", t.pollTimeout)
	var (
		offset    int // next update id to ask for; all below are handled
		confirmed int // offset last passed to Telegram
		failures  int // consecutive getUpdates errors
		failedID  int // update whose handling failed last
		attempts  int // handler failures of failedID
	)
	defer func() { t.confirm(ctx, offset, confirmed) }()
	for ctx.Err() == nil {
		start := t.clock.Now()
		updates, err := t.getUpdates(ctx, offset)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			failures++
			if t.sleep(ctx, t.pollBackoff(err, failures)) != nil {
				return nil
			}
			continue
		}
		failures = 0
		confirmed = offset
		if len(updates) == 0 {
			if t.clock.Now().Sub(start) < t.pollTimeout/2 {
				if t.sleep(ctx, t.minPause) != nil {
					return nil
				}
			}
			continue
		}
		for _, u := range updates {
			if ctx.Err() != nil {
				return nil // intake stopped: start nothing new
			}
			if u.UpdateID < offset {
				continue // Telegram never does this; a stale duplicate if it did
			}
			err := t.dispatch(ctx, h, u)
			if err == nil {
				offset = u.UpdateID + 1
				continue
			}
			if ctx.Err() != nil {
				return nil
			}
			if u.UpdateID != failedID {
				failedID, attempts = u.UpdateID, 0
			}
			attempts++
			if attempts >= t.maxAttempts {
				t.log.Error("update skipped: the handler failed on it repeatedly",
					"update_id", u.UpdateID, "attempts", attempts, "err", err)
				t.answerCallback(ctx, u)
				offset = u.UpdateID + 1
				continue
			}
			t.log.Warn("handler failed; the update will be handled again",
				"update_id", u.UpdateID, "attempt", attempts, "err", err)
			if t.sleep(ctx, t.backoff(attempts)) != nil {
				return nil
			}
			break // poll again from offset: the same update comes back
		}
	}
	return nil
}

// getUpdates long-polls once. The call's deadline is the poll timeout
// plus the request timeout, and it ends at once when ctx does.
func (t *Transport) getUpdates(ctx context.Context, offset int) ([]tgbotapi.Update, error) {
	api, cancel := t.withContext(ctx, t.pollTimeout+t.reqTimeout)
	defer cancel()
	ups, err := api.GetUpdates(tgbotapi.UpdateConfig{
		Offset:         offset,
		Limit:          100,
		Timeout:        int(t.pollTimeout / time.Second),
		AllowedUpdates: allowedUpdates,
	})
	return ups, t.scrub(err)
}

// confirm tells Telegram that the updates below offset are handled, when
// the last getUpdates did not say so yet. It runs on the way out, so it
// gets its own short deadline instead of the finished ctx.
func (t *Transport) confirm(ctx context.Context, offset, confirmed int) {
	if offset <= confirmed {
		return
	}
	timeout := min(t.reqTimeout, 5*time.Second)
	api, cancel := t.withContext(context.WithoutCancel(ctx), timeout)
	defer cancel()
	if _, err := api.GetUpdates(tgbotapi.UpdateConfig{Offset: offset, Limit: 1, AllowedUpdates: allowedUpdates}); err != nil {
		t.log.Warn("could not confirm handled updates; they will come again after a restart",
			"offset", offset, "err", t.scrub(err))
	}
}

// pollBackoff logs a getUpdates failure and returns how long to wait.
func (t *Transport) pollBackoff(err error, failures int) time.Duration {
	e, code, _ := apiError(err)
	switch {
	case code == 429 || (e != nil && e.RetryAfter > 0):
		d := time.Duration(e.RetryAfter) * time.Second
		if d <= 0 {
			d = t.backoff(failures)
		}
		t.log.Warn("getUpdates rate limited", "retry_after", d)
		return d
	case code == 409:
		d := t.backoff(failures)
		t.log.Error("getUpdates conflict: another poller or a webhook is active for this bot token (stop the other instance, or deleteWebhook); backing off",
			"err", err, "retry_in", d)
		return d
	case code == 401 || code == 404:
		d := t.backoff(failures)
		t.log.Error("getUpdates refused: the bot token is wrong or revoked", "err", err, "retry_in", d)
		return d
	default:
		d := t.backoff(failures)
		t.log.Warn("getUpdates failed; backing off", "err", err, "failures", failures, "retry_in", d)
		return d
	}
}

// backoff is the wait after n consecutive failures: exponential from
// backoffBase, capped at backoffMax, with jitter in [d/2, d).
func (t *Transport) backoff(n int) time.Duration {
	d := t.backoffBase
	for i := 1; i < n && d < t.backoffMax; i++ {
		d *= 2
	}
	d = min(d, t.backoffMax)
	return d/2 + time.Duration(t.jitter()*float64(d/2))
}

// dispatch hands the update to h, then answers a callback query so the
// person's client stops its spinner. Kinds planbot does not handle are
// dropped (and count as handled).
//
// h runs on a context that keeps ctx's values but not its cancellation,
// bounded by HandleTimeout: stopping intake (or a webhook request whose
// client hung up) must not cut a handler off between its database
// writes. What it started, it finishes.
func (t *Transport) dispatch(ctx context.Context, h bot.Handler, u tgbotapi.Update) error {
	e := toEvent(u, t.Username())
	if e != nil {
		e.Transport = t.name
	}
	if e == nil {
		t.log.Debug("update ignored: not a kind planbot handles, or missing its chat or sender", "update_id", u.UpdateID)
		return nil
	}
	// Update ids are the bot's own sequence: keyed by the bot's id, a new
	// token (a new bot, ids starting again) is never taken for a
	// redelivery of the old one's updates.
	if id := t.api.Self.ID; id != 0 {
		e.Bot = strconv.FormatInt(id, 10)
	}
	hctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), t.handleTimeout)
	defer cancel()
	if err := h.Handle(hctx, e); err != nil {
		return err
	}
	t.answerCallback(hctx, u)
	return nil
}

// answerCallback answers u's callback query, if it has one, with no text.
// A failure is only logged: the button's effect has happened.
func (t *Transport) answerCallback(ctx context.Context, u tgbotapi.Update) {
	if u.CallbackQuery == nil {
		return
	}
	err := t.call(ctx, func(api *tgbotapi.BotAPI) error {
		_, err := api.Request(tgbotapi.NewCallback(u.CallbackQuery.ID, ""))
		return err
	})
	if err != nil {
		t.log.Warn("answerCallbackQuery failed", "update_id", u.UpdateID, "err", err)
	}
}

// toEvent maps an update to an event, or nil for kinds planbot ignores:
// edited messages, channel posts, service messages (members joining, a
// group's migration), messages with neither text, caption nor document.
// self is the bot's username, to tell a mention of it or a reply to it in
// a group.
func toEvent(u tgbotapi.Update, self string) *bot.Event {
	e := &bot.Event{Transport: Name, ID: strconv.Itoa(u.UpdateID)}
	switch {
	case u.Message != nil:
		m := u.Message
		// Without a chat or a sender there is no one to answer or to
		// recognise: acknowledged and ignored, never retried.
		if m.Chat == nil || m.From == nil {
			return nil
		}
		e.ChatID = strconv.FormatInt(m.Chat.ID, 10)
		e.MessageID = strconv.Itoa(m.MessageID)
		e.Text = m.Text
		if e.Text == "" {
			e.Text = m.Caption
		}
		setUser(e, m.From)
		e.Group = m.Chat.Type == "group" || m.Chat.Type == "supergroup"
		if e.Group {
			e.Mentioned = mentions(m, self)
			e.ReplyToBot = m.ReplyToMessage != nil && m.ReplyToMessage.From != nil && m.ReplyToMessage.From.IsBot &&
				(self == "" || strings.EqualFold(m.ReplyToMessage.From.UserName, self))
		}
		if r := m.ReplyToMessage; r != nil {
			e.ReplyToID = strconv.Itoa(r.MessageID)
			e.ReplyToText = r.Text
			if e.ReplyToText == "" {
				e.ReplyToText = r.Caption
			}
			e.ReplyToDocument = inboundDocument(r.Document)
		}
		e.Document = inboundDocument(m.Document)
		if e.Text == "" && e.Document == nil {
			return nil
		}
		return e
	case u.CallbackQuery != nil:
		q := u.CallbackQuery
		if q.From == nil {
			return nil
		}
		setUser(e, q.From)
		e.Callback = &bot.Callback{ID: q.ID, Data: q.Data}
		e.ChatID = e.UserID // a button on an inline message: answer in private
		if m := q.Message; m != nil {
			e.Callback.MessageID = strconv.Itoa(m.MessageID)
			if m.Chat != nil {
				e.ChatID = strconv.FormatInt(m.Chat.ID, 10)
			}
		}
		return e
	}
	return nil
}

func inboundDocument(d *tgbotapi.Document) *bot.InboundDocument {
	if d == nil {
		return nil
	}
	return &bot.InboundDocument{FileID: d.FileID, Name: d.FileName, MIME: d.MimeType, Size: int64(d.FileSize)}
}

func setUser(e *bot.Event, u *tgbotapi.User) {
	if u == nil {
		return
	}
	e.UserID = strconv.FormatInt(u.ID, 10)
	e.UserName = strings.TrimSpace(u.FirstName + " " + u.LastName)
	if e.UserName == "" && u.UserName != "" {
		e.UserName = "@" + u.UserName
	}
}

// mentions reports whether the message mentions the bot: a "mention"
// entity "@self", or "@self" in the text when entities are missing.
func mentions(m *tgbotapi.Message, self string) bool {
	if self == "" {
		return false
	}
	at := "@" + strings.ToLower(self)
	text := m.Text
	ents := m.Entities
	if text == "" {
		text, ents = m.Caption, m.CaptionEntities
	}
	for _, en := range ents {
		if en.Type == "mention" {
			// Telegram counts offsets in UTF-16 code units.
			r := utf16.Encode([]rune(text))
			if en.Offset >= 0 && en.Offset+en.Length <= len(r) &&
				strings.EqualFold(string(utf16.Decode(r[en.Offset:en.Offset+en.Length])), at) {
				return true
			}
		}
	}
	return strings.Contains(strings.ToLower(text), at)
}

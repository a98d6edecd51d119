package zalo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/chanhlo/planbot/bot"
	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/texts"
)

// Event names of updates.
const (
	EventText        = "message.text.received"
	EventImage       = "message.image.received"
	EventSticker     = "message.sticker.received"
	EventUnsupported = "message.unsupported.received"
)

// update is one update: getUpdates' result, a webhook's body (or its
// result).
type update struct {
	EventName string   `json:"event_name"`
	Message   *message `json:"message"`
}

type message struct {
	From struct {
		ID          idString `json:"id"`
		DisplayName string   `json:"display_name"`
		IsBot       bool     `json:"is_bot"`
	} `json:"from"`
	Chat struct {
		ID       idString `json:"id"`
		ChatType string   `json:"chat_type"`
	} `json:"chat"`
	Text      string   `json:"text"`
	MessageID idString `json:"message_id"`
	Date      float64  `json:"date"` // milliseconds since 1970
}

// decodeUpdate reads an update in either shape: the envelope
// {ok, result: {…}} or the update itself. A result that is an array
// (not what Zalo documents) yields each of its updates. ok:true without a
// result is no update.
func decodeUpdate(b []byte) ([]update, error) {
	var v struct {
		OK        *bool           `json:"ok"`
		Result    json.RawMessage `json:"result"`
		EventName string          `json:"event_name"`
		Message   *message        `json:"message"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, err
	}
	if v.EventName != "" || v.Message != nil {
		return []update{{EventName: v.EventName, Message: v.Message}}, nil
	}
	if v.OK == nil {
		return nil, errors.New("neither an update nor {ok, result}")
	}
	return decodeResult(v.Result)
}

// decodeResult reads getUpdates' result: one update, an array of them,
// or nothing (null, {}, []).
func decodeResult(r json.RawMessage) ([]update, error) {
	if len(r) == 0 || string(r) == "null" {
		return nil, nil
	}
	var ups []update
	if r[0] == '[' {
		if err := json.Unmarshal(r, &ups); err != nil {
			return nil, err
		}
	} else {
		var u update
		if err := json.Unmarshal(r, &u); err != nil {
			return nil, err
		}
		ups = []update{u}
	}
	out := ups[:0]
	for _, u := range ups {
		if u.EventName != "" || u.Message != nil {
			out = append(out, u)
		}
	}
	return out, nil
}

// dispatch handles one update: text goes to h as a bot.Event; other
// kinds are answered here with texts.ZaloTextOnly; updates from the bot
// itself, without a sender or chat, or already handled are dropped.
//
// h runs on a context that keeps ctx's values but not its cancellation,
// bounded by HandleTimeout: stopping Run (or a webhook client hanging up)
// must not cut a handler off between its database writes.
func (t *Transport) dispatch(ctx context.Context, h bot.Handler, u update) error {
	m := u.Message
	if m == nil || m.From.ID == "" || m.Chat.ID == "" {
		t.log.Debug("update ignored: no message, sender or chat", "event", u.EventName)
		return nil
	}
	if m.From.IsBot || string(m.From.ID) == t.botID {
		t.log.Debug("update ignored: sent by a bot", "event", u.EventName)
		return nil
	}
	id := string(m.MessageID)
	if id != "" && !t.seen.add(id) {
		t.log.Debug("update ignored: message already handled", "message_id", id)
		return nil
	}
	hctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), t.handleTimeout)
	defer cancel()
	var err error
	if u.EventName == EventText && m.Text != "" {
		err = h.Handle(hctx, t.toEvent(m))
	} else {
		err = t.textOnly(hctx, u)
	}
	if err != nil && id != "" {
		t.seen.forget(id)
	}
	return err
}

// textOnly answers a photo, sticker or anything but text.
func (t *Transport) textOnly(ctx context.Context, u update) error {
	t.log.Info("non-text message answered with the text-only note", "event", u.EventName, "message_id", string(u.Message.MessageID))
	_, err := t.Send(ctx, plan.Address{Transport: t.name, ChatID: string(u.Message.Chat.ID)}, plan.Message{Text: texts.ZaloTextOnly})
	if err != nil {
		return fmt.Errorf("zalo: answering a %s: %w", u.EventName, err)
	}
	return nil
}

func (t *Transport) toEvent(m *message) *bot.Event {
	e := &bot.Event{
		Transport: t.name,
		ID:        string(m.MessageID),
		UserID:    string(m.From.ID),
		ChatID:    string(m.Chat.ID),
		UserName:  m.From.DisplayName,
		MessageID: string(m.MessageID),
		Text:      m.Text,
		Group:     m.Chat.ChatType == "GROUP",
		Bot:       t.botID,
	}
	// Zalo shows the bot only the group messages that mention it or reply
	// to it.
	e.Mentioned = e.Group
	return e
}

package bot

import (
	"context"

	"github.com/chanhlo/planbot/plan"
)

// Event is one thing a person did in a chat, in a transport-neutral form.
// Transports fill what they have: a transport without buttons never sends
// a Callback, one without reply-to leaves ReplyToID empty.
type Event struct {
	// Transport names the transport ("telegram", "zalo", "local").
	Transport string
	// ID is the transport's id of the update, unique per transport; the
	// core ignores an ID it has already handled.
	ID string
	// UserID is who acted; ChatID is where to answer (often the same).
	UserID   string
	ChatID   string
	UserName string
	// MessageID is the transport's id of the person's message.
	MessageID string
	// Text is the message text as typed. Commands ("/nhiemvu",
	// "/xem@planbot 1.c") are recognised by the core from the text itself.
	Text string
	// ReplyToID is the id of the message this one replies to (usually
	// the bot's).
	ReplyToID string
	// ReplyToText is the text (or caption) of the message replied to, and
	// ReplyToDocument its file: "/thongbao" as a reply forwards them.
	ReplyToText     string
	ReplyToDocument *InboundDocument
	// Callback is set when the person pressed a button.
	Callback *Callback
	// Document is set when the person sent a file.
	Document *InboundDocument
	// Group is set when the chat is a group: the bot then answers only
	// commands, replies to its own messages and messages that mention it
	// (Mentioned, ReplyToBot), not the group's ordinary chatter.
	Group      bool
	Mentioned  bool
	ReplyToBot bool
	// Bot identifies the bot that received the event (Telegram: its id
	// from getMe). Update ids are per bot, so the core's de-duplication
	// keys them by it: a new token starts clean.
	Bot string
}

// Address returns where replies to the event go.
func (e *Event) Address() plan.Address {
	return plan.Address{Transport: e.Transport, ChatID: e.ChatID}
}

// Callback is a button press.
type Callback struct {
	// ID identifies the press; transports that must acknowledge presses
	// (Telegram's answerCallbackQuery) do so with it.
	ID string
	// Data is the Choice.Data of the pressed button.
	Data string
	// MessageID is the id of the message that carried the button.
	MessageID string
}

// InboundDocument is a file a person sent.
type InboundDocument struct {
	// FileID is the transport's handle for fetching the file.
	FileID string
	Name   string
	MIME   string
	Size   int64
}

// Handler handles one event. It answers through the replies it sends and
// returns an error only for what it could not do; the error handler turns
// that into a reply.
type Handler interface {
	Handle(ctx context.Context, e *Event) error
}

// HandlerFunc adapts a function to Handler.
type HandlerFunc func(ctx context.Context, e *Event) error

// Handle calls f.
func (f HandlerFunc) Handle(ctx context.Context, e *Event) error { return f(ctx, e) }

// Middleware wraps a Handler with behaviour that applies to every event:
// recovery, logging, authentication, role checks.
type Middleware func(Handler) Handler

// Transport is a messenger the core talks through: it delivers messages
// (plan.Sender) and feeds events to a Handler until ctx is done.
type Transport interface {
	plan.Sender
	// Name is the transport's name as used in plan.Address.
	Name() string
	// Run receives events and passes each to h, returning when ctx is
	// done. An event counts as received only after h returned.
	Run(ctx context.Context, h Handler) error
}

package plan

import (
	"context"
	"errors"
	"fmt"
	"html"
	"time"
)

// Message is an outbound message in a transport-neutral form. Text is a
// small HTML subset (<b>, <i>, <code>); anything that came from a person
// or a plan must go through EscapeHTML first. Transports that lack
// buttons, replies or documents degrade (see Capabilities): the core never
// relies on them.
type Message struct {
	Text     string    `json:"text"`
	Choices  []Choice  `json:"choices,omitempty"`
	Document *Document `json:"document,omitempty"`
	// ReplyTo is the transport's id of the message this one answers.
	ReplyTo string `json:"reply_to,omitempty"`
}

// Choice is a button under a message. Data goes back to the bot when
// pressed (1–64 bytes on Telegram).
type Choice struct {
	Label string `json:"label"`
	Data  string `json:"data"`
}

// Document is a file sent with a message (an .xlsx summary, a chart).
type Document struct {
	Name    string `json:"name"`
	MIME    string `json:"mime"`
	Data    []byte `json:"data"`
	Caption string `json:"caption,omitempty"`
}

// EscapeHTML escapes text for Message.Text.
func EscapeHTML(s string) string { return html.EscapeString(s) }

// Capabilities describe what a transport can carry.
type Capabilities struct {
	// MaxText is the longest text one message may hold, in characters.
	MaxText   int
	Buttons   bool
	ReplyTo   bool
	Documents bool
	// DeepLinks: an invite can be a link that registers when opened
	// (Telegram's t.me/bot?start=CODE). Without, codes are typed.
	DeepLinks bool
}

// Sent is what a transport tells about a message it accepted.
type Sent struct {
	// MessageID is the transport's id of the message, so that a reply to
	// it can be mapped back to what it was about.
	MessageID string
}

// Sender delivers one message to one address. It returns a *SendError
// when the transport refused in a way the caller must act on.
type Sender interface {
	Send(ctx context.Context, to Address, m Message) (Sent, error)
	Capabilities() Capabilities
}

// SendFailure classifies a refused delivery.
type SendFailure string

// Send failures.
const (
	// SendUnreachable: the person blocked the bot or is gone; do not retry.
	SendUnreachable SendFailure = "unreachable"
	// SendRateLimited: wait RetryAfter, then retry.
	SendRateLimited SendFailure = "rate_limited"
	// SendTemporary: a timeout or server error; retry with backoff.
	SendTemporary SendFailure = "temporary"
	// SendMigrated: the chat moved to MigratedTo; store it and resend.
	SendMigrated SendFailure = "migrated"
	// SendPermanent: the message itself was refused; do not retry.
	SendPermanent SendFailure = "permanent"
)

// SendError is a refused delivery, classified for the outbox.
type SendError struct {
	Failure    SendFailure
	RetryAfter time.Duration
	// WholeBot marks a SendRateLimited that holds for every chat of the
	// bot (Zalo's quota), not only the chat the message was for.
	WholeBot   bool
	MigratedTo string
	Err        error
}

func (e *SendError) Error() string {
	return fmt.Sprintf("send: %s: %v", e.Failure, e.Err)
}

func (e *SendError) Unwrap() error { return e.Err }

// SendFailureOf returns the failure class of err: the SendError's, or
// SendTemporary for any other error.
func SendFailureOf(err error) SendFailure {
	var e *SendError
	if errors.As(err, &e) {
		return e.Failure
	}
	return SendTemporary
}

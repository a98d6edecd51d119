package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/texts"
)

// DefaultMaxText is used when a transport does not tell its limit.
const DefaultMaxText = 4096

func (c *Core) sender(transport string) plan.Sender {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.deps.Senders[transport]
}

func (c *Core) capabilities(transport string) plan.Capabilities {
	if s := c.sender(transport); s != nil {
		return s.Capabilities()
	}
	return plan.Capabilities{MaxText: DefaultMaxText}
}

// send replies to the chat of e.
func (c *Core) send(ctx context.Context, e *Event, m plan.Message) error {
	return c.Send(ctx, e.Address(), m)
}

// Send delivers m to an address right away (not through the outbox),
// fitted to the transport: text split over its MaxText on line
// boundaries, buttons turned into numbered text choices when it has none,
// a document dropped (with a note) when it cannot carry files.
//
// With an outbox (Deps.Notices), an answer that fails for a reason that
// may pass (429, 5xx, a timeout) is not lost: what is left of it waits in
// the outbox, retried by the dispatcher until Deps.ReplyFreshness has
// passed; and while an answer to a chat waits there, later ones queue
// behind it, so none overtakes another.
func (c *Core) Send(ctx context.Context, to plan.Address, m plan.Message) error {
	s := c.sender(to.Transport)
	if s == nil {
		return fmt.Errorf("send to %s:%s: no sender for transport %q", to.Transport, to.ChatID, to.Transport)
	}
	if caps := s.Capabilities(); m.Document != nil && !caps.Documents && c.deps.FileLinks != nil {
		link, err := c.deps.FileLinks.Link(ctx, to, *m.Document)
		if err != nil {
			c.log.ErrorContext(ctx, "download link", "file", m.Document.Name, "err", err)
		} else {
			m.Text += "\n" + texts.FileLink(m.Document.Name, link)
			m.Document = nil
		}
	}
	parts := c.fit(to, s.Capabilities(), m)
	now := c.deps.Clock.Now()
	if last, waiting, err := c.answersWaiting(ctx, to); err != nil {
		c.log.WarnContext(ctx, "outbox: answers waiting", "err", err)
	} else if waiting {
		if last.Before(now) {
			last = now
		}
		return c.queueAnswer(ctx, to, parts, last)
	}
	for i, p := range parts {
		if _, err := s.Send(ctx, to, p); err != nil {
			f := plan.SendFailureOf(err)
			if c.deps.Notices != nil && (f == plan.SendTemporary || f == plan.SendRateLimited) {
				at := now
				var se *plan.SendError
				if errors.As(err, &se) && se.RetryAfter > 0 {
					at = now.Add(se.RetryAfter)
				}
				if qerr := c.queueAnswer(ctx, to, parts[i:], at); qerr == nil {
					c.log.WarnContext(ctx, "answer not sent at once; it waits in the outbox", "transport", to.Transport, "chat", to.ChatID, "err", err)
					return nil
				}
			}
			return fmt.Errorf("send to %s:%s (part %d of %d): %w", to.Transport, to.ChatID, i+1, len(parts), err)
		}
	}
	return nil
}

// typing shows "typing…" in the chat where the transport can; a failure
// only costs the hint.
func (c *Core) typing(ctx context.Context, to plan.Address) {
	if t, ok := c.sender(to.Transport).(Typer); ok {
		if err := t.Typing(ctx, to); err != nil {
			c.log.DebugContext(ctx, "typing", "transport", to.Transport, "err", err)
		}
	}
}

// DefaultReplyFreshness is how long an answer may wait in the outbox.
const DefaultReplyFreshness = 5 * time.Minute

// answersLookup finds answers waiting in the outbox (storage.DB).
type answersLookup interface {
	LastPendingAnswer(ctx context.Context, to plan.Address) (time.Time, bool, error)
}

// answersWaiting reports whether an answer to the chat waits in the
// outbox, and the latest time one of them may go.
func (c *Core) answersWaiting(ctx context.Context, to plan.Address) (time.Time, bool, error) {
	l, ok := c.deps.Notices.(answersLookup)
	if !ok {
		return time.Time{}, false, nil
	}
	return l.LastPendingAnswer(ctx, to)
}

// queueAnswer puts the parts of an answer in the outbox, in order, to go
// out from at and no later than the freshness bound.
func (c *Core) queueAnswer(ctx context.Context, to plan.Address, parts []plan.Message, at time.Time) error {
	if c.deps.Notices == nil {
		return errors.New("no outbox")
	}
	fresh := c.deps.ReplyFreshness
	if fresh <= 0 {
		fresh = DefaultReplyFreshness
	}
	now := c.deps.Clock.Now()
	// Unique per answer: the time and this process's count (two answers
	// may share a clock reading).
	seq := c.answers.Add(1)
	items := make([]plan.OutboxItem, len(parts))
	for i, p := range parts {
		items[i] = plan.OutboxItem{
			OrgID:   c.deps.OrgID,
			Key:     fmt.Sprintf("answer|%s|%s|%d.%d|%d", to.Transport, to.ChatID, now.UnixNano(), seq, i),
			Address: to, Message: p, NotBefore: at,
			Context: plan.ReplyContext{Kind: plan.ReplyAnswer, Expires: now.Add(fresh)},
		}
	}
	if _, err := c.deps.Notices.Enqueue(ctx, items...); err != nil {
		return fmt.Errorf("queue answer to %s:%s: %w", to.Transport, to.ChatID, err)
	}
	return nil
}

// fit adapts m to what the transport carries and splits it.
func (c *Core) fit(to plan.Address, caps plan.Capabilities, m plan.Message) []plan.Message {
	max := caps.MaxText
	if max <= 0 {
		max = DefaultMaxText
	}
	text := m.Text
	choices := m.Choices
	if len(choices) > 0 && !caps.Buttons {
		var b strings.Builder
		b.WriteString(text)
		for i, ch := range choices {
			fmt.Fprintf(&b, "\n%s", texts.ChoiceFallback(i+1, ch.Label))
		}
		text = b.String()
		c.pending.put(to, choices, c.deps.Clock.Now())
		choices = nil
	}
	doc := m.Document
	if doc != nil && !caps.Documents {
		text += "\n" + texts.NoDocuments(doc.Name)
		doc = nil
	}
	if !caps.ReplyTo {
		m.ReplyTo = ""
	}
	chunks := SplitText(text, max)
	out := make([]plan.Message, len(chunks))
	for i, ch := range chunks {
		out[i] = plan.Message{Text: ch}
		if i == 0 {
			out[i].ReplyTo = m.ReplyTo
		}
	}
	last := &out[len(out)-1]
	last.Choices = choices
	last.Document = doc
	return out
}

// SplitText splits text into parts of at most max characters, cutting
// between lines; a line longer than max is cut between words (or, for a
// word longer than max, anywhere). It always returns at least one part.
func SplitText(text string, max int) []string {
	if max <= 0 {
		max = DefaultMaxText
	}
	if utf8.RuneCountInString(text) <= max {
		return []string{text}
	}
	var parts []string
	var cur strings.Builder
	curLen := 0
	flush := func() {
		if curLen > 0 || cur.Len() > 0 {
			parts = append(parts, strings.TrimRight(cur.String(), "\n"))
		}
		cur.Reset()
		curLen = 0
	}
	for _, line := range strings.SplitAfter(text, "\n") {
		for _, piece := range splitLong(line, max) {
			n := utf8.RuneCountInString(piece)
			if curLen+utf8.RuneCountInString(strings.TrimRight(piece, "\n")) > max {
				flush()
			}
			cur.WriteString(piece)
			curLen += n
		}
	}
	flush()
	out := parts[:0]
	for _, p := range parts {
		if strings.TrimSpace(p) != "" {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		return []string{""}
	}
	return out
}

// splitLong cuts one line into pieces of at most max characters, between
// words where it can.
func splitLong(line string, max int) []string {
	if utf8.RuneCountInString(line) <= max {
		return []string{line}
	}
	var out []string
	rs := []rune(line)
	for len(rs) > max {
		cut := max
		for i := max; i > max/2; i-- {
			if rs[i] == ' ' {
				cut = i + 1
				break
			}
		}
		out = append(out, string(rs[:cut]))
		rs = rs[cut:]
	}
	if len(rs) > 0 {
		out = append(out, string(rs))
	}
	return out
}

// pendingChoices remembers, per chat, the buttons last offered as numbered
// text on a transport without buttons, so that "1" presses the first. It
// lives in memory: after a restart the numbers are forgotten and the
// person is asked again.
type pendingChoices struct {
	mu sync.Mutex
	m  map[plan.Address]pendingEntry
}

type pendingEntry struct {
	data []string
	at   time.Time
}

// choiceTTL is how long numbered choices stay answerable.
const choiceTTL = time.Hour

func newPendingChoices() *pendingChoices {
	return &pendingChoices{m: map[plan.Address]pendingEntry{}}
}

func (p *pendingChoices) put(to plan.Address, cs []plan.Choice, now time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	data := make([]string, len(cs))
	for i, c := range cs {
		data[i] = c.Data
	}
	p.m[to] = pendingEntry{data, now}
	for k, e := range p.m {
		if now.Sub(e.at) > choiceTTL {
			delete(p.m, k)
		}
	}
}

// at returns when choices were last offered to the chat, and whether
// any are still answerable.
func (p *pendingChoices) at(to plan.Address, now time.Time) (time.Time, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	e, ok := p.m[to]
	if !ok || now.Sub(e.at) > choiceTTL {
		return time.Time{}, false
	}
	return e.at, true
}

// outboxChoiceAge is how long choices delivered through the outbox (an
// announcement's "Đã nhận", a review's "Xác nhận") stay answerable by
// number on a messenger without buttons: an officer may read an
// announcement the next day.
const outboxChoiceAge = 3 * 24 * time.Hour

// choicesLookup finds the newest delivered message with choices
// (storage.DB).
type choicesLookup interface {
	LatestWithChoices(ctx context.Context, to plan.Address, since time.Time) (*plan.OutboxItem, error)
}

// pressByNumber reads a bare number as the press of a choice the chat
// was offered as numbered text: the newest offer wins, whether it was an
// answer (remembered here) or a message from the outbox (looked up, so
// it survives a restart and works on any replica).
func (c *Core) pressByNumber(ctx context.Context, e *Event) (string, bool, error) {
	return c.choiceByNumber(ctx, e, true)
}

// offeredNumber reports whether pressByNumber would press a choice,
// without pressing it.
func (c *Core) offeredNumber(ctx context.Context, e *Event) (bool, error) {
	_, ok, err := c.choiceByNumber(ctx, e, false)
	return ok, err
}

func (c *Core) choiceByNumber(ctx context.Context, e *Event, consume bool) (string, bool, error) {
	text := strings.TrimSpace(e.Text)
	n, err := strconv.Atoi(text)
	if err != nil || n < 1 || e.Callback != nil {
		return "", false, nil
	}
	now := c.deps.Clock.Now()
	to := e.Address()
	memAt, inMemory := c.pending.at(to, now)
	var item *plan.OutboxItem
	if l, ok := c.deps.Notices.(choicesLookup); ok && !c.capabilities(e.Transport).Buttons {
		it, err := l.LatestWithChoices(ctx, to, now.Add(-outboxChoiceAge))
		switch {
		case plan.ErrorCode(err) == plan.ENotFound:
		case err != nil:
			return "", false, fmt.Errorf("choices offered to %s:%s: %w", to.Transport, to.ChatID, err)
		default:
			if c.ownItem(it) {
				item = it
			}
		}
	}
	if item != nil && item.SentAt != nil && (!inMemory || item.SentAt.After(memAt)) {
		if n > len(item.Message.Choices) {
			return "", false, nil
		}
		return item.Message.Choices[n-1].Data, true, nil
	}
	if inMemory && consume {
		return c.pending.take(to, text, now)
	}
	return "", inMemory, nil
}

// take returns the data of choice number text for the chat, once.
func (p *pendingChoices) take(to plan.Address, text string, now time.Time) (string, bool, error) {
	n, err := strconv.Atoi(text)
	if err != nil {
		return "", false, nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	e, ok := p.m[to]
	if !ok || now.Sub(e.at) > choiceTTL || n < 1 || n > len(e.data) {
		return "", false, nil
	}
	delete(p.m, to)
	return e.data[n-1], true, nil
}

package bot

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/texts"
)

// Command is a chat command. Register commands with (*Core).AddCommand.
type Command struct {
	// Name is the canonical name without the slash: "nhiemvu". Names and
	// aliases are 1–32 characters of a–z, 0–9 and _ (Telegram's rule).
	Name string
	// Aliases are other names, usually English: "tasks".
	Aliases []string
	// Description and DescriptionEN describe the command in the command
	// menu (Telegram's setMyCommands, languages vi and en) and /huongdan.
	Description   string
	DescriptionEN string
	// Usage is the argument synopsis shown in /huongdan: "MÃ SỐ_LIỆU".
	Usage string
	// Roles may use the command; empty means any registered person.
	Roles []plan.Role
	// Public commands may be used before registering (/start, /help).
	Public bool
	// Hidden commands work but are not listed by Commands.
	Hidden bool
	// Run handles the command.
	Run func(ctx context.Context, r *Request) error
}

// Allows reports whether a registration (nil: unregistered) may use the
// command.
func (cmd *Command) Allows(o *plan.Officer) bool {
	switch {
	case cmd.Public:
		return true
	case o == nil:
		return false
	case len(cmd.Roles) == 0:
		return true
	}
	return slices.Contains(cmd.Roles, o.Role)
}

// Request is one event on its way to a command, callback or text handler.
type Request struct {
	Event *Event
	// Officer is the sender's registration; nil when unregistered (only
	// public commands see that).
	Officer *plan.Officer
	// Command is the canonical name of the command ("" for callbacks and
	// plain text).
	Command string
	// Args are the words after the command.
	Args []string
	// Text is what follows the command name (trimmed); the whole message
	// for plain text; the button's data for a callback.
	Text string

	core *Core
}

// Core returns the core handling the request.
func (r *Request) Core() *Core { return r.core }

// Now returns the current time in the core's location.
func (r *Request) Now() time.Time { return r.core.Now() }

// Capabilities returns what the event's transport can carry.
func (r *Request) Capabilities() plan.Capabilities {
	return r.core.capabilities(r.Event.Transport)
}

// Reply sends m to the chat the event came from. Long texts are split on
// line boundaries to fit the transport; buttons become numbered text
// choices on transports without buttons ("Trả lời 1 để …"), and a reply
// of that number acts as pressing the button.
func (r *Request) Reply(ctx context.Context, m plan.Message) error {
	return r.core.send(ctx, r.Event, m)
}

// HTML is text that is already HTML: Replyf does not escape it.
type HTML string

// Replyf replies with a formatted HTML text. format is HTML; every
// argument is escaped unless it is an HTML value, so values from plans
// and people cannot break the markup.
func (r *Request) Replyf(ctx context.Context, format string, args ...any) error {
	esc := make([]any, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case HTML:
			esc[i] = string(v)
		case string:
			esc[i] = plan.EscapeHTML(v)
		case fmt.Stringer:
			esc[i] = plan.EscapeHTML(v.String())
		case error:
			esc[i] = plan.EscapeHTML(v.Error())
		default:
			esc[i] = a
		}
	}
	return r.Reply(ctx, plan.Message{Text: fmt.Sprintf(format, esc...)})
}

var commandName = regexp.MustCompile(`^[a-z0-9_]{1,32}$`)

// AddCommand registers a command. It panics when the name or an alias is
// malformed or taken: that is a programming error.
func (c *Core) AddCommand(cmd Command) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if cmd.Run == nil {
		panic(fmt.Sprintf("bot: command %q has no Run", cmd.Name))
	}
	p := &cmd
	for _, n := range append([]string{cmd.Name}, cmd.Aliases...) {
		if !commandName.MatchString(n) {
			panic(fmt.Sprintf("bot: command name %q must be 1–32 characters of a–z, 0–9 and _", n))
		}
		if _, ok := c.byName[n]; ok {
			panic(fmt.Sprintf("bot: command /%s registered twice", n))
		}
		c.byName[n] = p
	}
	c.commands = append(c.commands, p)
}

// Commands returns the registered commands that are not hidden, in the
// order they were added.
func (c *Core) Commands() []Command {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make([]Command, 0, len(c.commands))
	for _, p := range c.commands {
		if !p.Hidden {
			out = append(out, *p)
		}
	}
	return out
}

// callbackRoute handles button presses whose data starts with prefix.
type callbackRoute struct {
	prefix string
	roles  []plan.Role
	run    func(ctx context.Context, r *Request) error
}

// AddCallback routes button presses whose Choice.Data starts with prefix
// ("ack:", "confirm:") to run; the longest matching prefix wins. roles
// restrict who may press (empty: any registered person). The Request's
// Text is the whole data. It panics when prefix is empty or taken.
func (c *Core) AddCallback(prefix string, roles []plan.Role, run func(ctx context.Context, r *Request) error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if prefix == "" || run == nil {
		panic("bot: AddCallback needs a prefix and a function")
	}
	for _, cb := range c.callbacks {
		if cb.prefix == prefix {
			panic(fmt.Sprintf("bot: callback prefix %q registered twice", prefix))
		}
	}
	c.callbacks = append(c.callbacks, callbackRoute{prefix, roles, run})
}

// parseCommand recognises "/cmd", "/cmd@botname" and "/cmd args" in text.
// It reports ok=false for plain text and for commands addressed to
// another bot ("/cmd@otherbot").
func (c *Core) parseCommand(text string) (name, rest string, ok bool) {
	text = strings.TrimSpace(text)
	if !strings.HasPrefix(text, "/") {
		return "", "", false
	}
	head, rest, _ := strings.Cut(text[1:], " ")
	if i := strings.IndexAny(head, "\n\t"); i >= 0 {
		rest = head[i+1:] + " " + rest
		head = head[:i]
	}
	head, bot, hasBot := strings.Cut(head, "@")
	if hasBot && c.deps.BotUsername != "" && !strings.EqualFold(bot, c.deps.BotUsername) {
		return "", "", false
	}
	if head == "" {
		return "", "", false
	}
	return strings.ToLower(head), strings.TrimSpace(rest), true
}

// route dispatches an authenticated event.
func (c *Core) route(ctx context.Context, e *Event) error {
	req := &Request{Event: e, Officer: OfficerFrom(ctx), core: c}
	if e.Callback != nil {
		return c.handleError(ctx, e, c.runCallback(ctx, req, e.Callback.Data))
	}
	name, rest, ok := c.parseCommand(e.Text)
	if !ok && strings.HasPrefix(strings.TrimSpace(e.Text), "/") {
		return nil // a command for another bot in a group
	}
	if ok {
		c.mu.RLock()
		cmd := c.byName[name]
		c.mu.RUnlock()
		if cmd == nil {
			if req.Officer == nil {
				return c.send(ctx, e, plan.Message{Text: c.notRegistered(e)})
			}
			return c.send(ctx, e, plan.Message{Text: texts.UnknownCommand(name)})
		}
		if !cmd.Allows(req.Officer) {
			if req.Officer == nil {
				return c.send(ctx, e, plan.Message{Text: c.notRegistered(e)})
			}
			return c.send(ctx, e, plan.Message{Text: texts.Forbidden})
		}
		req.Command, req.Text, req.Args = cmd.Name, rest, strings.Fields(rest)
		return c.handleError(ctx, e, cmd.Run(ctx, req))
	}
	// A typed invite code ("DK 7KQ2-M9XP") registers, as /start CODE.
	if code, ok := typedInvite(e.Text, req.Officer == nil); ok {
		req.Command, req.Args = "start", []string{code}
		return c.handleError(ctx, e, c.cmdStart(ctx, req))
	}
	// A number answering a text fallback of buttons is a button press.
	data, ok, err := c.pressByNumber(ctx, e)
	if err != nil {
		return c.handleError(ctx, e, err)
	}
	if ok {
		return c.handleError(ctx, e, c.runCallback(ctx, req, data))
	}
	req.Text = strings.TrimSpace(e.Text)
	if req.Officer == nil {
		return c.send(ctx, e, plan.Message{Text: c.notRegistered(e)})
	}
	return c.handleError(ctx, e, c.handleText(ctx, req))
}

func (c *Core) runCallback(ctx context.Context, req *Request, data string) error {
	c.mu.RLock()
	var best *callbackRoute
	for i := range c.callbacks {
		cb := &c.callbacks[i]
		if strings.HasPrefix(data, cb.prefix) && (best == nil || len(cb.prefix) > len(best.prefix)) {
			best = cb
		}
	}
	c.mu.RUnlock()
	if best == nil {
		return plan.Errorf(plan.EInvalid, "%s", texts.ButtonExpired)
	}
	if req.Officer == nil {
		return plan.Errorf(plan.EUnauthorized, "%s", c.notRegistered(req.Event))
	}
	if len(best.roles) > 0 && !slices.Contains(best.roles, req.Officer.Role) {
		return plan.Errorf(plan.EForbidden, "%s", texts.Forbidden)
	}
	req.Text = data
	return best.run(ctx, req)
}

// notRegistered tells an unregistered person how to register on the
// messenger they wrote on: a link on Telegram, a typed code on Zalo.
func (c *Core) notRegistered(e *Event) string {
	if c.capabilities(e.Transport).DeepLinks {
		return texts.NotRegistered
	}
	return texts.NotRegisteredTyped
}

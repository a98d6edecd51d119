package bot

import (
	"context"
	"regexp"
	"strings"

	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/texts"
)

// groupFilter lets through, from a group chat, only what is meant for the
// bot: commands (for it, not "/cmd@otherbot"), button presses, replies to
// its messages and messages that mention it; the mention is taken out of
// the text, so "@chanhlo_bot 1.c 80%" reads as "1.c 80%". The group's
// ordinary chatter is never read as a report, and never answered.
func (c *Core) groupFilter(next Handler) Handler {
	return HandlerFunc(func(ctx context.Context, e *Event) error {
		if !e.Group || e.Callback != nil {
			return next.Handle(ctx, e)
		}
		if name, _, ok := c.parseCommand(e.Text); ok {
			// Registering in a group would make the group the officer's
			// address: every reminder of the unit would go to everyone
			// in it. Invites are used in a private chat.
			if name == "start" {
				return c.send(ctx, e, plan.Message{Text: texts.StartInGroup})
			}
			return next.Handle(ctx, e)
		}
		if !e.Mentioned && !e.ReplyToBot {
			c.log.DebugContext(ctx, "group chatter ignored", "transport", e.Transport, "chat", e.ChatID)
			return nil
		}
		if e.Mentioned && c.deps.BotUsername != "" {
			e.Text = strings.TrimSpace(mentionRe(c.deps.BotUsername).ReplaceAllString(e.Text, " "))
		}
		return next.Handle(ctx, e)
	})
}

// mentionRe matches "@username" in any letter case, with the spaces
// around it.
func mentionRe(username string) *regexp.Regexp {
	return regexp.MustCompile(`(?i)\s*@` + regexp.QuoteMeta(username) + `\b\s*`)
}

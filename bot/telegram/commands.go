package telegram

import (
	"context"
	"errors"
	"fmt"
	"unicode/utf8"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// CommandInfo is a command shown in Telegram's command menu.
type CommandInfo struct {
	// Name is the command without the slash: 1–32 of a–z, 0–9 and _.
	Name string
	// DescriptionVI is shown to Vietnamese clients; DescriptionEN to the
	// others (DescriptionVI when empty). 1–256 characters.
	DescriptionVI string
	DescriptionEN string
}

// SetCommands sets the command menu twice: for language_code "vi" with the
// Vietnamese descriptions, and as the default with the English ones. The
// list is checked first; an error is for the caller to log — a bot
// without a menu still works.
func (t *Transport) SetCommands(ctx context.Context, cmds []CommandInfo) error {
	if err := validateCommands(cmds); err != nil {
		return err
	}
	vi := make([]tgbotapi.BotCommand, len(cmds))
	en := make([]tgbotapi.BotCommand, len(cmds))
	for i, c := range cmds {
		vi[i] = tgbotapi.BotCommand{Command: c.Name, Description: c.DescriptionVI}
		en[i] = tgbotapi.BotCommand{Command: c.Name, Description: c.DescriptionEN}
		if c.DescriptionEN == "" {
			en[i].Description = c.DescriptionVI
		}
	}
	for _, set := range []struct {
		lang string
		cmds []tgbotapi.BotCommand
	}{{"vi", vi}, {"", en}} {
		cfg := tgbotapi.SetMyCommandsConfig{Commands: set.cmds, LanguageCode: set.lang}
		err := t.call(ctx, func(api *tgbotapi.BotAPI) error {
			_, err := api.Request(cfg)
			return err
		})
		if err != nil {
			return fmt.Errorf("telegram setMyCommands (language %q): %w", set.lang, err)
		}
	}
	return nil
}

func validateCommands(cmds []CommandInfo) error {
	if len(cmds) == 0 || len(cmds) > 100 {
		return fmt.Errorf("telegram: %d commands, want 1–100", len(cmds))
	}
	var errs []error
	seen := make(map[string]bool)
	for _, c := range cmds {
		if !validCommandName(c.Name) {
			errs = append(errs, fmt.Errorf("command %q: want 1–32 of a–z, 0–9 and _", c.Name))
		}
		if seen[c.Name] {
			errs = append(errs, fmt.Errorf("command %q: listed twice", c.Name))
		}
		seen[c.Name] = true
		if n := utf8.RuneCountInString(c.DescriptionVI); n < 1 || n > 256 {
			errs = append(errs, fmt.Errorf("command %q: Vietnamese description of %d characters, want 1–256", c.Name, n))
		}
		if n := utf8.RuneCountInString(c.DescriptionEN); n > 256 {
			errs = append(errs, fmt.Errorf("command %q: English description of %d characters, want at most 256", c.Name, n))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("telegram: invalid commands: %w", err)
	}
	return nil
}

func validCommandName(name string) bool {
	if len(name) < 1 || len(name) > 32 {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

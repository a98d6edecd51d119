package bot

import (
	"context"
	"fmt"
	"strings"

	"github.com/chanhlo/planbot/plan"
)

// InviteFinder finds an invite by its code (storage.OfficerStore).
type InviteFinder interface {
	Invite(ctx context.Context, code string) (*plan.Invite, error)
}

// Wards is the Handler of a bot shared by several wards of one
// deployment: each ward has its own Core, bound to its organisation, and
// Wards hands every event to the core of the sender's ward — the ward
// they registered in, or, for someone registering, the ward of the code
// they give. People of no ward (a stranger, a wrong code) get Fallback's
// answers, which show no ward's data. A ward's core checks the same again
// (it takes nobody of another ward), so a mistake here cannot show one
// ward another's data.
type Wards struct {
	// Cores are the wards' cores by organisation id.
	Cores map[int64]*Core
	// Fallback answers whoever belongs to no ward of Cores.
	Fallback *Core
	// Officers finds the registered sender; Invites the code's ward.
	Officers plan.OfficerStore
	Invites  InviteFinder
}

// Handle implements Handler.
func (w *Wards) Handle(ctx context.Context, e *Event) error {
	// The core asks for the sender again: it finds the router's answer.
	ctx = withSenderMemo(ctx)
	c, err := w.coreOf(ctx, e)
	if err != nil {
		// Nothing was handled: the transport gives the update again.
		return fmt.Errorf("ward of %s/%s: %w", e.Transport, e.UserID, err)
	}
	return c.Handle(ctx, e)
}

func (w *Wards) coreOf(ctx context.Context, e *Event) (*Core, error) {
	// A registration goes to the code's ward first: someone moving to
	// another ward registers there with its code.
	if code, ok := inviteCodeIn(e.Text); ok && w.Invites != nil {
		inv, err := w.Invites.Invite(ctx, code)
		switch {
		case err == nil:
			if c := w.Cores[inv.OrgID]; c != nil {
				return c, nil
			}
		case plan.ErrorCode(err) != plan.ENotFound:
			return nil, err
		}
	}
	if e.UserID != "" {
		o, err := sender(ctx, w.Officers, e)
		switch {
		case err == nil:
			if c := w.Cores[o.OrgID]; c != nil {
				return c, nil
			}
		case plan.ErrorCode(err) != plan.ENotFound:
			return nil, err
		}
	}
	return w.Fallback, nil
}

// inviteCodeIn is the invite code of a registration — "/start CODE" (the
// deep link, or the code typed after /start), or a typed "DK 7KQ2-M9XP" —
// read as the core reads it.
func inviteCodeIn(text string) (string, bool) {
	fields := strings.Fields(text)
	if len(fields) >= 2 {
		cmd, _, _ := strings.Cut(strings.ToLower(fields[0]), "@")
		if cmd == "/start" {
			if short, ok := NormalizeShortCode(strings.Join(fields[1:], " ")); ok {
				return short, true
			}
			return fields[1], true
		}
	}
	return NormalizeShortCode(text)
}

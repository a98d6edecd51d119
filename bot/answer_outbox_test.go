package bot_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/chanhlo/planbot/bot"
	"github.com/chanhlo/planbot/plan"
)

// An answer refused for a reason that may pass (429, 5xx) is not lost: it
// waits in the outbox with its freshness bound, and a later answer to the
// same chat queues behind it rather than overtaking it.
func TestAnswerFallsBackToOutbox(t *testing.T) {
	e := newEnv(t, telegramCaps)
	core, err := bot.New(bot.Deps{
		Plans: e.db, Officers: e.db.OfficerStore(), Progress: e.db, Audit: e.db, Updates: e.db, Outbox: e.db, Notices: e.db,
		Senders: map[string]plan.Sender{"telegram": e.tg}, Clock: e.clock, Location: e.core.Location(),
		Logger: slog.New(slog.DiscardHandler), ReplyFreshness: 3 * time.Minute,
	})
	if err != nil {
		t.Fatal(err)
	}
	e.core = core
	e.register("ca", "Nguyễn Văn Công", "Công an phường", plan.RoleOfficer)

	busy := true
	e.tg.fail = func(to plan.Address, m plan.Message) error {
		if busy {
			return &plan.SendError{Failure: plan.SendRateLimited, RetryAfter: 2 * time.Second, Err: errors.New("Too Many Requests: retry after 2")}
		}
		return nil
	}
	if ms := e.do(&bot.Event{UserID: "ca", Text: "1.c 44%"}); len(ms) != 0 {
		t.Fatalf("sent while refused: %+v", ms)
	}
	// The figure is stored; its answer waits.
	if r := e.latest("Công an phường")["1.c"]; r.Percent != 44 {
		t.Fatalf("1.c stored %+v", r.Figure)
	}
	busy = false
	// Telegram works again, but the first answer still waits: the second
	// must not overtake it.
	if ms := e.do(&bot.Event{UserID: "ca", Text: "1.c 45%"}); len(ms) != 0 {
		t.Fatalf("the second answer overtook the first: %+v", ms)
	}
	items, err := e.db.Claim(context.Background(), "test", e.clock.Now().Add(time.Minute), time.Minute, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 2 || !strings.Contains(items[0].Message.Text, "44%") || !strings.Contains(items[1].Message.Text, "45%") {
		t.Fatalf("outbox %+v", items)
	}
	for _, it := range items {
		if it.Context.Kind != plan.ReplyAnswer || !it.Context.Expires.Equal(e.clock.Now().Add(3*time.Minute)) {
			t.Errorf("item %s context %+v", it.Key, it.Context)
		}
	}
	if !items[0].NotBefore.Equal(e.clock.Now().Add(2 * time.Second)) {
		t.Errorf("first answer not before %s, want retry_after honoured", items[0].NotBefore)
	}
}

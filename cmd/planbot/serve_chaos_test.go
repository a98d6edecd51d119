package main

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/chanhlo/planbot/bot"
	"github.com/chanhlo/planbot/bot/telegram/telegramtest"
	"github.com/chanhlo/planbot/configs"
	"github.com/chanhlo/planbot/importer"
	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/storage"
	"github.com/chanhlo/planbot/storage/storagetest"
)

// Faults on the Bot API (429 with retry_after, 500, a proxy's HTML 502, a
// call that hangs until the client times out)
// hit a seeded share of the bot's answers to an officer while she
// reports twelve figures one by one through planbot serve: every answer
// arrives exactly once, in order — none lost, none twice. On SQLite and
// PostgreSQL.
func TestServeAnswersSurviveBotAPIFaults(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, db *storage.DB) {
		answersSurviveFaults(t, db)
	})
}

func answersSurviveFaults(t *testing.T, db *storage.DB) {
	f := newServeFixture(t, time.Date(2023, 5, 10, 9, 0, 0, 0, time.UTC))
	const officer = 1001
	ctx := context.Background()
	p, err := importer.Parse(bytes.NewReader(configs.SamplePlan), configs.SamplePlanName)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SavePlan(ctx, p); err != nil {
		t.Fatal(err)
	}
	inv, err := bot.CreateInvite(ctx, db.OfficerStore(), db, bot.InviteSpec{OrgID: plan.DefaultOrg, Unit: "Công an phường", Role: plan.RoleOfficer, TTL: time.Hour}, f.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	f.cfg.Telegram.RequestTimeout = 500 * time.Millisecond // a hung call fails soon
	m, err := NewMain(f.cfg, slog.New(slog.NewTextHandler(f.logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	m.Clock, m.DB = f.clock, db // this engine's store, not the fixture's file
	if err := m.Run(ctx); err != nil {
		t.Fatalf("Run: %v", err)
	}
	defer m.Close()
	f.srv.PushText(officer, officer, "/start "+inv.Code)
	f.await(officer, "Đồng chí đã được ghi nhận")
	rng := rand.New(rand.NewPCG(8, 13))
	faults := []telegramtest.Fault{
		{Code: 429, Description: "Too Many Requests: retry after 1", RetryAfter: 1},
		telegramtest.InternalError(),
		telegramtest.BadGateway(),
		telegramtest.Hang(), // the client's timeout ends it
	}
	before := len(f.srv.Sent(officer))
	const n = 12
	hit := 0
	var kinds []string
	for i := range n {
		if rng.IntN(3) == 0 { // a third of the answers meet a fault
			fl := faults[rng.IntN(len(faults))].On("sendMessage").ForChat(officer)
			f.srv.Inject(fl)
			hit++
			kinds = append(kinds, fmt.Sprint(fl.Code))
		}
		f.srv.PushText(officer, officer, fmt.Sprintf("4.a %d%%", 10+i))
		f.await(officer, fmt.Sprintf("4.a</b> — %d%%", 10+i))
	}
	if hit == 0 {
		t.Fatal("the seed injected no fault")
	}
	t.Logf("faults (0 = hang): %v", kinds)
	var acks []string
	for _, s := range f.srv.Sent(officer)[before:] {
		if strings.Contains(s.Text, "Đã ghi nhận") {
			acks = append(acks, s.Text)
		}
	}
	if len(acks) != n {
		t.Fatalf("%d answers for %d reports (%d faults), want one each:\n%s", len(acks), n, hit, strings.Join(acks, "\n"))
	}
	for i, a := range acks {
		if !strings.Contains(a, fmt.Sprintf("— %d%%", 10+i)) {
			t.Errorf("answer %d out of order: %s", i, a)
		}
	}
}

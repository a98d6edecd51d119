package main

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chanhlo/planbot/bot"
	"github.com/chanhlo/planbot/bot/telegram"
	"github.com/chanhlo/planbot/bot/telegram/telegramtest"
	"github.com/chanhlo/planbot/delivery"
	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/storage"
	"github.com/chanhlo/planbot/storage/storagetest"
)

// TestBroadcastTo500Officers sends one announcement to 500 officers
// through the outbox dispatcher and the fake Bot API while it answers
// some sends with 429 (retry_after) and some with 500: every officer gets
// the announcement exactly once, and the acknowledgements of those who
// press "Đã nhận" are counted once each.
// On SQLite and PostgreSQL.
func TestBroadcastTo500Officers(t *testing.T) {
	clock := storagetest.NewClock(storagetest.Epoch)
	storagetest.ForEachEngine(t, func(t *testing.T, db *storage.DB) {
		broadcastTo500Officers(t, db, clock)
	}, storage.WithClock(clock))
}

func broadcastTo500Officers(t *testing.T, db *storage.DB, clock *storagetest.Clock) {
	const n = 500
	ctx := context.Background()
	log := slog.New(slog.DiscardHandler)

	srv := telegramtest.New(t)
	tr, err := telegram.New(telegram.Config{
		Token: srv.Token(), API: srv.URL(), Clock: clock, Logger: log,
		Sleep: func(ctx context.Context, d time.Duration) error { clock.Add(d); return ctx.Err() },
	})
	if err != nil {
		t.Fatal(err)
	}
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	officers := db.OfficerStore()
	core, err := bot.New(bot.Deps{
		Plans: db, Officers: officers, Progress: db, Audit: db, Updates: db, Outbox: db,
		Senders: map[string]plan.Sender{"telegram": tr}, Clock: clock, Location: loc, Logger: log,
	})
	if err != nil {
		t.Fatal(err)
	}
	b := bot.RegisterBroadcast(core, bot.BroadcastDeps{Store: db, Outbox: db})

	// 500 people of 250 units (an officer and a deputy each: a unit has
	// one of each), registered through invites.
	for i := range n {
		unit := fmt.Sprintf("Đơn vị %03d", i%250)
		code := fmt.Sprintf("code%04d", i)
		if err := officers.CreateInvite(ctx, &plan.Invite{Code: code, OrgID: plan.DefaultOrg, Unit: unit, Role: roleOf(i),
			CreatedAt: clock.Now(), ExpiresAt: clock.Now().Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		chat := strconv.Itoa(10000 + i)
		role := roleOf(i)
		o := &plan.Officer{OrgID: plan.DefaultOrg, Name: "Cán bộ " + chat, Unit: unit, Role: role, UserID: chat,
			Address: plan.Address{Transport: "telegram", ChatID: chat}, Active: true}
		if _, err := officers.RedeemInvite(ctx, code, o, clock.Now()); err != nil {
			t.Fatalf("register %d: %v", i, err)
		}
	}
	if got, err := b.Send(ctx, 0, nil, "Họp giao ban Đề án 06 lúc 14h thứ Sáu 12/5/2023 tại phòng họp UBND phường."); err != nil || got != n {
		t.Fatalf("Send = %d, %v; want %d recipients", got, err, n)
	}

	// Faults: a burst of 429s, then 5xx answers sprinkled over the run.
	srv.Inject(telegramtest.TooManyRequests(3).On("sendMessage"))
	for i := 0; i < n; i += 37 {
		srv.Inject(telegramtest.Fault{Method: "sendMessage", ChatID: int64(10000 + i), Code: 429, Description: "Too Many Requests: retry after 2", RetryAfter: 2})
	}
	for i := 5; i < n; i += 41 {
		srv.Inject(telegramtest.InternalError().On("sendMessage"))
	}

	d := delivery.New(db, map[string]plan.Sender{"telegram": tr},
		delivery.WithClock(clock), delivery.WithLogger(log), delivery.WithOwner("e2e"), delivery.WithBatch(100),
		delivery.WithLimits(delivery.Limits{Overall: delivery.RateOf(100000, time.Second), Chat: delivery.RateOf(1000, time.Second), Group: delivery.RateOf(1000, time.Second)}),
		delivery.WithBackoff(time.Second, time.Minute), delivery.WithJitter(func() float64 { return 0 }),
		delivery.WithAfter(func(d time.Duration) <-chan time.Time {
			clock.Add(d)
			c := make(chan time.Time, 1)
			c <- clock.Now()
			return c
		}),
	)
	for pass := 0; ; pass++ {
		if pass > 200 {
			t.Fatal("outbox did not drain in 200 passes")
		}
		if _, err := d.RunOnce(ctx); err != nil {
			t.Fatalf("dispatcher pass %d: %v", pass, err)
		}
		counts, err := db.OutboxCounts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if counts[plan.OutboxPending] == 0 {
			if counts[plan.OutboxSent] != n || counts[plan.OutboxFailed] != 0 {
				t.Fatalf("outbox %v, want %d sent", counts, n)
			}
			break
		}
		clock.Add(5 * time.Second)
	}
	faults := 0
	for _, c := range srv.Calls("sendMessage") {
		if c.Fault != 0 {
			faults++
		}
	}
	if faults < 20 {
		t.Errorf("only %d faults answered; the test did not exercise retries", faults)
	}

	// Exactly once per officer.
	var buttons = map[int64]telegramtest.SentMessage{}
	for i := range n {
		chat := int64(10000 + i)
		sent := srv.Sent(chat)
		if len(sent) != 1 {
			t.Fatalf("chat %d received %d messages, want 1", chat, len(sent))
		}
		if !strings.Contains(sent[0].Text, "Họp giao ban") || len(sent[0].Buttons) != 1 || sent[0].Buttons[0][0].Text != "Đã nhận" {
			t.Fatalf("chat %d: %+v", chat, sent[0])
		}
		buttons[chat] = sent[0]
	}

	// Two officers in three press the button; every tenth presses twice.
	acked := 0
	for i := range n {
		if i%3 == 2 {
			continue
		}
		chat := int64(10000 + i)
		m := buttons[chat]
		presses := 1
		if i%10 == 0 {
			presses = 2
		}
		for p := range presses {
			ev := &bot.Event{Transport: "telegram", ID: fmt.Sprintf("cb-%d-%d", i, p), UserID: strconv.FormatInt(chat, 10), ChatID: strconv.FormatInt(chat, 10),
				Callback: &bot.Callback{ID: fmt.Sprintf("q%d-%d", i, p), Data: m.Buttons[0][0].Data, MessageID: strconv.Itoa(m.MessageID)}}
			if err := core.Handle(ctx, ev); err != nil {
				t.Fatalf("press %d: %v", i, err)
			}
		}
		acked++
	}
	list, err := db.Broadcasts(ctx, plan.DefaultOrg, 1)
	if err != nil || len(list) != 1 {
		t.Fatalf("broadcasts: %v %v", list, err)
	}
	rs, err := db.Recipients(ctx, list[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	gotAcked, delivered := 0, 0
	for _, r := range rs {
		if r.AcknowledgedAt != nil {
			gotAcked++
		}
		if r.DeliveredAt != nil {
			delivered++
		}
	}
	if gotAcked != acked || delivered != n || len(rs) != n {
		t.Errorf("recipients %d, delivered %d, acknowledged %d; want %d, %d, %d", len(rs), delivered, gotAcked, n, n, acked)
	}
	t.Logf("%d officers, %d faults answered (429/500), each reached once; %d acknowledged", n, faults, gotAcked)
	line, err := b.StatusLine(ctx, list[0])
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(line, fmt.Sprintf("%d trên %d cán bộ đã nhận", acked, n)) || !strings.Contains(line, fmt.Sprintf("%d chưa xem", n-acked)) {
		t.Errorf("status line: %.300s", line)
	}
}

func roleOf(i int) plan.Role {
	if i >= 250 {
		return plan.RoleDeputy
	}
	return plan.RoleOfficer
}

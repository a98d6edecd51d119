package bot_test

import (
	"context"
	"log/slog"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chanhlo/planbot/bot"
	"github.com/chanhlo/planbot/plan"
)

var zaloCaps = plan.Capabilities{MaxText: 2000}

// twoMessengers is an env whose core serves Telegram (e.tg) and a
// Zalo-like messenger without buttons, reply-to, files or deep links.
func twoMessengers(t *testing.T) (*env, *fakeSender) {
	t.Helper()
	e := newEnvWith(t, telegramCaps, manyPlan())
	zl := &fakeSender{caps: zaloCaps}
	core, err := bot.New(bot.Deps{
		Plans: e.db, Officers: e.db.OfficerStore(), Progress: e.db, Audit: e.db, Updates: e.db, Outbox: e.db, Notices: e.db,
		Senders: map[string]plan.Sender{"telegram": e.tg, "zalo": zl}, Clock: e.clock, Location: e.core.Location(),
		Logger: slog.New(slog.DiscardHandler), BotUsername: "planbot_test", BotNames: map[string]string{"zalo": "Bot UBND Chánh Lộ"},
	})
	if err != nil {
		t.Fatal(err)
	}
	e.core = core
	return e, zl
}

// zaloSay handles text from a Zalo user and returns the replies there.
func zaloSay(e *env, zl *fakeSender, user, text string) []plan.Message {
	e.t.Helper()
	e.seq++
	n := zl.count()
	ev := &bot.Event{Transport: "zalo", ID: "z" + strings.Repeat("0", 3) + string(rune('a'+e.seq%26)) + time.Duration(e.seq).String(),
		UserID: user, ChatID: user, UserName: "Người " + user, Text: text}
	if err := e.core.Handle(context.Background(), ev); err != nil {
		e.t.Fatalf("Handle(%q): %v", text, err)
	}
	return zl.since(n, user)
}

func zaloOne(e *env, zl *fakeSender, user, text string) string {
	e.t.Helper()
	ms := zaloSay(e, zl, user, text)
	if len(ms) != 1 {
		e.t.Fatalf("%q: %d replies, want 1: %+v", text, len(ms), ms)
	}
	return ms[0].Text
}

var typedCode = regexp.MustCompile(`DK ([2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4})`)

func TestShortCodes(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string
		ok   bool
	}{
		{"DK 7KQ2-M9XP", "7KQ2M9XP", true},
		{"dk 7kq2-m9xp", "7KQ2M9XP", true},
		{"đk 7KQ2 M9XP", "7KQ2M9XP", true},
		{"7KQ2M9XP", "7KQ2M9XP", true},
		{"DK 7KQ2-M9X", "", false},  // too short
		{"DK 7KQ0-M9XP", "", false}, // 0 is not in the alphabet
		{"80%", "", false},
		{"", "", false},
	} {
		got, ok := bot.NormalizeShortCode(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("NormalizeShortCode(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
	for range 100 {
		c, err := bot.NewShortCode()
		if err != nil {
			t.Fatal(err)
		}
		if n, ok := bot.NormalizeShortCode("dk " + strings.ToLower(bot.FormatShortCode(c))); !ok || n != c {
			t.Fatalf("code %s does not read back (%q)", c, n)
		}
	}
}

func FuzzNormalizeShortCode(f *testing.F) {
	for _, s := range []string{"DK 7KQ2-M9XP", "dk 7kq2m9xp", "80%", "ĐK ", "1.c xong"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, ok := bot.NormalizeShortCode(s)
		if !ok {
			return
		}
		if len(c) != bot.ShortCodeLen || strings.Trim(c, bot.ShortCodeAlphabet) != "" {
			t.Fatalf("NormalizeShortCode(%q) = %q", s, c)
		}
	})
}

// On Zalo a secretariat member makes a typed code with /moi; the officer
// types it; a wrong code is refused kindly and counted; the code works
// once.
func TestZaloRegistersWithTypedCode(t *testing.T) {
	e, zl := twoMessengers(t)
	e.register("vp", "Văn Phòng", "", plan.RoleSecretariat)
	made := e.say("vp", "/moi Công an phường zalo")
	m := typedCode.FindStringSubmatch(made)
	if m == nil {
		t.Fatalf("no typed code in %q", made)
	}
	wantContains(t, made, "Bot UBND Chánh Lộ", "Công an phường")

	wantContains(t, zaloOne(e, zl, "z1", "xin chào"), "chưa đăng ký", "DK 7KQ2-M9XP")
	if got := zaloOne(e, zl, "z1", "/start"); strings.Contains(got, "liên kết") {
		t.Errorf("/start on Zalo speaks of links: %q", got)
	}
	wantContains(t, zaloOne(e, zl, "z1", "DK 2222-2222"), "không đúng")
	wantContains(t, zaloOne(e, zl, "z1", "dk "+strings.ToLower(m[1])), "Đồng chí đã được ghi nhận", "Công an phường")
	o, err := e.db.OfficerStore().OfficerByUser(context.Background(), "zalo", "z1")
	if err != nil || o.Unit != "Công an phường" || o.Address.Transport != "zalo" {
		t.Fatalf("officer %+v, %v", o, err)
	}
	wantContains(t, zaloOne(e, zl, "z2", "DK "+m[1]), "đã được dùng")
}

// On Zalo a bare figure answers the newest request: with one task it is
// recorded; with several the bot asks by number, and "2. 80%" works.
func TestZaloBareFigureAnswersLatestRequest(t *testing.T) {
	e, zl := twoMessengers(t)
	e.register("vp", "Văn Phòng", "", plan.RoleSecretariat)
	code := typedCode.FindStringSubmatch(e.say("vp", "/moi Công an phường zalo"))[1]
	zaloOne(e, zl, "z1", "DK "+code)

	wantContains(t, zaloOne(e, zl, "z1", "80%"), "nhiệm vụ nào")
	sendRequest(e, "zalo", "z1", []string{"1.c"})
	wantContains(t, zaloOne(e, zl, "z1", "80%"), "<b>1.c</b> — 80%")
	e.clock.Add(time.Hour)
	sendRequest(e, "zalo", "z1", []string{"1.e", "1.g"})
	wantContains(t, zaloOne(e, zl, "z1", "60%"), "1. 1.e", "2. 1.g", "2. 80%")
	if _, ok := e.latest("Công an phường")["1.e"]; ok {
		t.Fatal("a figure for several tasks was guessed")
	}
	wantContains(t, zaloOne(e, zl, "z1", "2. 60%"), "<b>1.g</b>: 60%")
	if r := e.latest("Công an phường")["1.c"]; r.Percent != 80 || r.Period.String() != "2023-04" {
		t.Errorf("1.c = %+v", r)
	}
}

// sendRequest records a report request delivered on transport to chat.
func sendRequest(e *env, transport, chat string, codes []string) {
	e.t.Helper()
	ctx := context.Background()
	e.seq++
	key := "req-" + transport + "-" + time.Duration(e.seq).String()
	if _, err := e.db.Enqueue(ctx, plan.OutboxItem{OrgID: plan.DefaultOrg, Key: key,
		Address: plan.Address{Transport: transport, ChatID: chat}, Message: plan.Message{Text: "📝 Đề nghị báo cáo"},
		Context:   plan.ReplyContext{Kind: plan.ReplyReportRequest, PlanID: 1, TaskCodes: codes, Numbered: codes, Period: "2023-04"},
		NotBefore: e.clock.Now()}); err != nil {
		e.t.Fatal(err)
	}
	deliverAll(e)
}

// deliverAll marks every due outbox item sent, as a dispatcher would.
func deliverAll(e *env) {
	e.t.Helper()
	ctx := context.Background()
	items, err := e.db.Claim(ctx, "test", e.clock.Now(), time.Minute, 100)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, it := range items {
		if err := e.db.MarkSent(ctx, it.ID, "x-"+it.Key, e.clock.Now()); err != nil {
			e.t.Fatal(err)
		}
	}
}

// Choices delivered through the outbox (a review notice) are pressed by
// number on a messenger without buttons, and win over an older
// announcement; "đã nhận" still acknowledges the announcement.
func TestZaloNumberPressesOutboxChoice(t *testing.T) {
	e, zl := twoMessengers(t)
	e.register("vp", "Văn Phòng", "", plan.RoleSecretariat)
	code := typedCode.FindStringSubmatch(e.say("vp", "/moi Công an phường zalo"))[1]
	zaloOne(e, zl, "z1", "DK "+code)
	var pressed []string
	e.core.AddCallback("t:", nil, func(ctx context.Context, r *bot.Request) error {
		pressed = append(pressed, r.Text)
		return r.Reply(ctx, plan.Message{Text: "ok " + r.Text})
	})
	ctx := context.Background()
	if _, err := e.db.Enqueue(ctx, plan.OutboxItem{OrgID: plan.DefaultOrg, Key: "choice-1",
		Address: plan.Address{Transport: "zalo", ChatID: "z1"},
		Message: plan.Message{Text: "Xác nhận?", Choices: []plan.Choice{{Label: "Có", Data: "t:yes"}, {Label: "Không", Data: "t:no"}}},
		Context: plan.ReplyContext{Kind: plan.ReplyNotice}, NotBefore: e.clock.Now()}); err != nil {
		t.Fatal(err)
	}
	deliverAll(e)
	e.clock.Add(20 * time.Hour) // the next morning: still answerable
	wantContains(t, zaloOne(e, zl, "z1", "2"), "ok t:no")
	if len(pressed) != 1 || pressed[0] != "t:no" {
		t.Errorf("pressed %v", pressed)
	}
	e.clock.Add(3 * 24 * time.Hour)
	if got := zaloOne(e, zl, "z1", "1"); strings.Contains(got, "ok t:") {
		t.Errorf("a choice four days old was pressed: %q", got)
	}
}

// One officer on two messengers: /kenh zalo gives a code; typed on Zalo
// it adds Zalo to the same registration; replies on either count; /kenh
// zalo then moves reminders to Zalo, and nothing else changes.
func TestOneOfficerTwoMessengers(t *testing.T) {
	e, zl := twoMessengers(t)
	e.register("100", "Nguyễn Văn Công", "Công an phường", plan.RoleOfficer)
	os := e.db.OfficerStore()
	before, err := os.OfficerByUser(context.Background(), "telegram", "100")
	if err != nil {
		t.Fatal(err)
	}
	wantContains(t, e.say("100", "/kenh"), "Nhắc việc đang gửi qua <b>Telegram</b>", "/kenh zalo")
	got := e.say("100", "/kenh zalo")
	m := typedCode.FindStringSubmatch(got)
	if m == nil {
		t.Fatalf("no code in %q", got)
	}
	wantContains(t, zaloOne(e, zl, "z9", "DK "+m[1]), "Đã thêm Zalo", "Nhắc việc vẫn gửi qua Telegram")
	viaZalo, err := os.OfficerByUser(context.Background(), "zalo", "z9")
	if err != nil || viaZalo.ID != before.ID || viaZalo.Address.Transport != "telegram" {
		t.Fatalf("via zalo %+v, %v; want officer %d reached on telegram", viaZalo, err, before.ID)
	}
	wantContains(t, zaloOne(e, zl, "z9", "1.c 30%"), "<b>1.c</b> — 30%")
	wantContains(t, e.say("100", "1.e 40%"), "<b>1.e</b> — 40%")
	wantContains(t, zaloOne(e, zl, "z9", "/kenh zalo"), "gửi qua <b>Zalo</b>")
	after, err := os.OfficerByID(context.Background(), before.ID)
	if err != nil || after.Address != (plan.Address{Transport: "zalo", ChatID: "z9"}) || !after.Active {
		t.Fatalf("after /kenh zalo: %+v, %v", after, err)
	}
	all, err := os.Officers(context.Background(), plan.DefaultOrg)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 1 {
		t.Errorf("%d active officers, want 1 person", len(all))
	}
	// Telegram still counts as the same officer.
	wantContains(t, e.say("100", "1.g xong"), "<b>1.g</b> — hoàn thành")
	wantContains(t, e.say("100", "/kenh telegram"), "gửi qua <b>Telegram</b>")
	wantContains(t, e.say("100", "/kenh viber"), "không có kênh")
}

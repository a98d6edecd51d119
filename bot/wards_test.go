package bot_test

import (
	"context"
	"log/slog"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chanhlo/planbot/bot"
	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/storage"
	"github.com/chanhlo/planbot/storage/storagetest"
	"github.com/chanhlo/planbot/summary"
	"github.com/chanhlo/planbot/texts"
)

// wardsEnv is two wards in one database, each with its own core, behind
// one shared bot.
type wardsEnv struct {
	t      *testing.T
	db     *storage.DB
	clock  *storagetest.Clock
	tg     *fakeSender
	cores  map[int64]*bot.Core
	shared *bot.Wards
	orgs   [2]int64
	seq    int
	// officers is the store the cores and the router share, counting
	// its lookups of a sender.
	officers *countingOfficers
}

type countingOfficers struct {
	*storage.OfficerStore
	lookups atomic.Int64
}

func (c *countingOfficers) OfficerByUser(ctx context.Context, transport, userID string) (*plan.Officer, error) {
	c.lookups.Add(1)
	return c.OfficerStore.OfficerByUser(ctx, transport, userID)
}

func newWardsEnv(t *testing.T) *wardsEnv {
	t.Helper()
	ctx := context.Background()
	clock := storagetest.NewClock(testNow)
	db := storagetest.Open(t, storage.WithClock(clock))
	other, err := db.AddOrganisation(ctx, "UBND phường Nghĩa Lộ")
	if err != nil {
		t.Fatal(err)
	}
	w := &wardsEnv{t: t, db: db, clock: clock, tg: &fakeSender{caps: telegramCaps}, cores: map[int64]*bot.Core{},
		orgs: [2]int64{plan.DefaultOrg, other}, officers: &countingOfficers{OfficerStore: db.OfficerStore()}}
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	for i, org := range w.orgs {
		p := testPlan()
		p.OrgID = org
		p.Number = strconv.Itoa(56+i) + "/KH-UBND" // ward 1's plan 56, ward 2's 57
		if _, err := db.SavePlan(ctx, p); err != nil {
			t.Fatalf("save the plan of ward %d: %v", org, err)
		}
		core, err := bot.New(bot.Deps{
			Plans: db, Officers: w.officers, Progress: db, Audit: db, Updates: db, Outbox: db,
			Senders: map[string]plan.Sender{"telegram": w.tg}, OrgID: org,
			Clock: clock, Location: loc, BotUsername: "planbot_test", Logger: slog.New(slog.DiscardHandler),
		})
		if err != nil {
			t.Fatal(err)
		}
		bot.RegisterSummary(core, bot.SummaryDeps{Source: &summary.Source{Plans: db, Progress: db, Officers: db.OfficerStore(),
			OrgID: org, Loc: loc, Workdays: summary.WeekdaysOnly{}, DueSoonDays: 3}})
		bot.RegisterBroadcast(core, bot.BroadcastDeps{Store: db, Outbox: db})
		bot.RegisterDeadline(core)
		w.cores[org] = core
	}
	w.shared = &bot.Wards{Cores: w.cores, Fallback: w.cores[plan.DefaultOrg], Officers: w.officers, Invites: db.OfficerStore()}
	return w
}

func (w *wardsEnv) invite(org int64, unit string, role plan.Role) string {
	w.t.Helper()
	inv, err := bot.CreateInvite(context.Background(), w.db.OfficerStore(), w.db, bot.InviteSpec{OrgID: org, Unit: unit, Role: role}, w.clock.Now())
	if err != nil {
		w.t.Fatal(err)
	}
	return inv.Code
}

// say hands user's text to h and returns the one reply.
func (w *wardsEnv) say(h bot.Handler, user, text string) string {
	w.t.Helper()
	w.seq++
	n := w.tg.count()
	ev := &bot.Event{Transport: "telegram", ID: strconv.Itoa(w.seq), UserID: user, ChatID: user, UserName: "Người " + user, Text: text}
	if err := h.Handle(context.Background(), ev); err != nil {
		w.t.Fatalf("Handle(%q): %v", text, err)
	}
	ms := w.tg.since(n, user)
	if len(ms) != 1 {
		w.t.Fatalf("%s: %q got %d replies, want 1: %+v", user, text, len(ms), ms)
	}
	return ms[0].Text
}

// A shared bot takes each person to their own ward: the invite decides
// where they register, their registration where they report, and each
// ward sees only its own reports.
func TestSharedBotRoutesToWards(t *testing.T) {
	w := newWardsEnv(t)
	a, b := w.orgs[0], w.orgs[1]
	wantContains(t, w.say(w.shared, "11", "/start "+w.invite(a, "Công an phường", plan.RoleOfficer)), "Đồng chí đã được ghi nhận", "Kế hoạch số 56/")
	wantContains(t, w.say(w.shared, "22", "/start "+w.invite(b, "Công an phường", plan.RoleOfficer)), "Đồng chí đã được ghi nhận", "Kế hoạch số 57/")
	wantContains(t, w.say(w.shared, "11", "1.c 40%"), "40%")
	wantContains(t, w.say(w.shared, "22", "1.c 70%"), "70%")
	ctx := context.Background()
	for org, want := range map[int64]float64{a: 40, b: 70} {
		got, err := w.db.ListProgress(ctx, plan.ProgressFilter{OrgID: org})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].Percent != want {
			t.Errorf("ward %d holds %+v, want one report of %g%%", org, got, want)
		}
	}
	for org, user := range map[int64]string{a: "11", b: "22"} {
		o, err := w.db.OfficerStore().OfficerByUser(ctx, "telegram", user)
		if err != nil || o.OrgID != org {
			t.Errorf("officer %s = %+v, %v; want one of ward %d", user, o, err, org)
		}
	}
	// A stranger, and a wrong code, get the answers of nobody's ward.
	if got := w.say(w.shared, "33", "1.c 50%"); got != texts.NotRegistered {
		t.Errorf("a stranger was answered %q", got)
	}
	wantContains(t, w.say(w.shared, "33", "/start khong-co-ma-nay"), texts.InviteUnknown)
	// Someone moving wards registers in the new one with its code.
	wantContains(t, w.say(w.shared, "11", "/start "+w.invite(b, "Tư pháp - Hộ tịch", plan.RoleOfficer)), "Đồng chí đã được ghi nhận", "Kế hoạch số 57/")
	if o, err := w.db.OfficerStore().OfficerByUser(ctx, "telegram", "11"); err != nil || o.OrgID != b || o.Unit != "Tư pháp - Hộ tịch" {
		t.Errorf("after the move officer 11 = %+v, %v; want Tư pháp - Hộ tịch of ward %d", o, err, b)
	}
}

// A ward's own core, whatever routes to it, takes nobody registered in
// another ward and no other ward's code.
func TestWardCoreRefusesOtherWards(t *testing.T) {
	w := newWardsEnv(t)
	a, b := w.orgs[0], w.orgs[1]
	wantContains(t, w.say(w.cores[a], "11", "/start "+w.invite(a, "Công an phường", plan.RoleSecretariat)), "Đồng chí đã được ghi nhận")
	if got := w.say(w.cores[b], "11", "/tiendo"); got != texts.NotRegistered {
		t.Errorf("ward %d's core answered ward %d's secretary: %q", b, a, got)
	}
	code := w.invite(a, "Tư pháp - Hộ tịch", plan.RoleOfficer)
	wantContains(t, w.say(w.cores[b], "44", "/start "+code), texts.InviteUnknown)
	// The code is still good in its own ward.
	wantContains(t, w.say(w.cores[a], "44", "/start "+code), "Đồng chí đã được ghi nhận")
	if strings.Contains(w.say(w.cores[a], "44", "2.e 30%"), "chưa đăng ký") {
		t.Error("the officer registered in their own ward is unknown there")
	}
}

// Every command, by every role of ward A, with the arguments people
// give, on the bot ward B shares: nothing of B is shown, sent to B's
// people or changed. B's plan (57/…), figure (73%) and blocker make any
// leak visible: A's plan has the same codes and units.
func TestEveryCommandStaysInItsWard(t *testing.T) {
	w := newWardsEnv(t)
	a, b := w.orgs[0], w.orgs[1]
	ctx := context.Background()
	for user, spec := range map[string]struct {
		org  int64
		unit string
		role plan.Role
	}{
		"11": {a, "", plan.RoleSecretariat}, "12": {a, "", plan.RoleChairman}, "13": {a, "Công an phường", plan.RoleOfficer},
		"22": {b, "Công an phường", plan.RoleOfficer}, "23": {b, "", plan.RoleSecretariat},
	} {
		wantContains(t, w.say(w.shared, user, "/start "+w.invite(spec.org, spec.unit, spec.role)), "Đồng chí đã được ghi nhận")
	}
	wantContains(t, w.say(w.shared, "22", "1.c 73% vướng: thiếu máy quét MAYQUET-B"), "73%")
	wantContains(t, w.say(w.shared, "22", "2.e xong"), "2.e")
	before, err := w.db.ListProgress(ctx, plan.ProgressFilter{OrgID: b})
	if err != nil {
		t.Fatal(err)
	}
	leaks := []string{"57/KH", "73%", "MAYQUET-B"}
	args := []string{"", "1.c", "2.e", "5/2023", "4/2023", "Công an phường", "tất cả", "2023"}
	var seen []string
	for _, cmd := range w.cores[a].Commands() {
		if cmd.Name == "start" {
			continue
		}
		seen = append(seen, cmd.Name)
		for _, user := range []string{"11", "12", "13"} {
			for _, arg := range args {
				text := strings.TrimSpace("/" + cmd.Name + " " + arg)
				w.seq++
				n := w.tg.count()
				ev := &bot.Event{Transport: "telegram", ID: strconv.Itoa(w.seq), UserID: user, ChatID: user, UserName: "Người " + user, Text: text}
				if err := w.shared.Handle(ctx, ev); err != nil {
					t.Fatalf("%s by %s: %v", text, user, err)
				}
				w.tg.mu.Lock()
				sent := append([]sentMsg(nil), w.tg.sent[n:]...)
				w.tg.mu.Unlock()
				for _, m := range sent {
					if m.To.ChatID == "22" || m.To.ChatID == "23" {
						t.Errorf("%s by %s of ward %d reached ward %d's chat %s: %q", text, user, a, b, m.To.ChatID, m.M.Text)
					}
					for _, leak := range leaks {
						if strings.Contains(m.M.Text, leak) {
							t.Errorf("%s by %s of ward %d shows ward %d's %q:\n%s", text, user, a, b, leak, m.M.Text)
						}
					}
				}
			}
		}
	}
	if len(seen) < 12 {
		t.Errorf("only %d commands tried (%v): the registrations are missing", len(seen), seen)
	}
	// Nothing of B changed, and nothing was queued for B's people.
	after, err := w.db.ListProgress(ctx, plan.ProgressFilter{OrgID: b})
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(before) {
		t.Errorf("ward %d had %d reports, now %d", b, len(before), len(after))
	}
	for i := range min(len(before), len(after)) {
		if before[i].Confirm != after[i].Confirm {
			t.Errorf("ward %d's report %s changed: %q → %q", b, before[i].TaskCode, before[i].Confirm, after[i].Confirm)
		}
	}
	due, err := w.db.Claim(ctx, "test", testNow.Add(365*24*time.Hour), time.Minute, 10000)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range due {
		if it.Address.ChatID == "22" || it.Address.ChatID == "23" {
			t.Errorf("queued for ward %d's chat %s: %q", b, it.Address.ChatID, it.Message.Text)
		}
	}
}

// A reply to another ward's request — a person once registered there,
// answering an old message — is taken in the person's own ward, never
// on the other ward's plan.
func TestReplyToAnotherWardsRequest(t *testing.T) {
	w := newWardsEnv(t)
	a, b := w.orgs[0], w.orgs[1]
	ctx := context.Background()
	wantContains(t, w.say(w.shared, "13", "/start "+w.invite(a, "Công an phường", plan.RoleOfficer)), "Đồng chí đã được ghi nhận")
	plans, err := w.db.Plans(ctx, b)
	if err != nil || len(plans) == 0 {
		t.Fatalf("ward %d's plans: %v, %v", b, plans, err)
	}
	item := plan.OutboxItem{OrgID: b, Key: "remind|2023-04-25|officer:99|x", OfficerID: 99,
		Address: plan.Address{Transport: "telegram", ChatID: "13"}, Message: plan.Message{Text: "Đề nghị báo cáo 1.c"}, NotBefore: testNow,
		Context: plan.ReplyContext{Kind: plan.ReplyReportRequest, PlanID: plans[0].ID, TaskCodes: []string{"1.c"}, Unit: "Công an phường"}}
	if _, err := w.db.Enqueue(ctx, item); err != nil {
		t.Fatal(err)
	}
	due, err := w.db.Claim(ctx, "test", testNow, time.Minute, 10)
	if err != nil || len(due) != 1 {
		t.Fatalf("claim: %v, %v", due, err)
	}
	if err := w.db.MarkSent(ctx, due[0].ID, "4242", testNow); err != nil {
		t.Fatal(err)
	}
	w.seq++
	ev := &bot.Event{Transport: "telegram", ID: strconv.Itoa(w.seq), UserID: "13", ChatID: "13", UserName: "Người 13", Text: "1.c 80%", ReplyToID: "4242"}
	if err := w.shared.Handle(ctx, ev); err != nil {
		t.Fatal(err)
	}
	if got, _ := w.db.ListProgress(ctx, plan.ProgressFilter{OrgID: b}); len(got) != 0 {
		t.Errorf("ward %d got %d reports from ward %d's officer", b, len(got), a)
	}
	if got, _ := w.db.ListProgress(ctx, plan.ProgressFilter{OrgID: a}); len(got) != 1 || got[0].PlanID == plans[0].ID {
		t.Errorf("ward %d holds %+v, want the report on its own plan", a, got)
	}
}

// The router, the middleware and the core's authentication all ask who
// sent a message: the store is asked once an event.
func TestSenderLookedUpOnce(t *testing.T) {
	w := newWardsEnv(t)
	w.say(w.shared, "11", "/start "+w.invite(w.orgs[1], "Công an phường", plan.RoleOfficer))
	for _, text := range []string{"1.c 40%", "đã nhận", "/nhiemvu"} {
		before := w.officers.lookups.Load()
		w.say(w.shared, "11", text)
		if n := w.officers.lookups.Load() - before; n != 1 {
			t.Errorf("%q: the sender was looked up %d times, want 1", text, n)
		}
	}
}

package bot_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chanhlo/planbot/bot"
	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/summary"
)

func TestBroadcastAckStatusAndChase(t *testing.T) {
	e := newEnv(t, telegramCaps)
	ctx := context.Background()
	b := bot.RegisterBroadcast(e.core, bot.BroadcastDeps{Store: e.db, Outbox: e.db, ChaserAfter: 24 * time.Hour})
	e.register("sec", "Phạm Thư Ký", "", plan.RoleSecretariat)
	e.register("ca", "Nguyễn Văn Công", "Công an phường", plan.RoleOfficer)
	e.register("tp", "Trần Thị Hà", "Tư pháp - Hộ tịch", plan.RoleOfficer)
	e.register("vp", "Lê Văn Phòng", "Văn phòng phường", plan.RoleOfficer)
	// Trạm y tế's copy stays in the outbox (not delivered yet): it is not chased.
	e.register("yt", "Ngô Thị Hạnh", "Trạm y tế phường", plan.RoleOfficer)

	got := e.say("sec", "/thongbao all Họp giao ban Đề án 06 lúc 14h thứ Sáu 12/5/2023 <phòng họp>")
	wantContains(t, got, "Đã gửi thông báo tới 4 cán bộ")
	items, err := e.db.Claim(ctx, "test", e.clock.Now(), time.Minute, 100)
	if err != nil {
		t.Fatal(err)
	}
	byChat := map[string]plan.OutboxItem{}
	for _, it := range items {
		if it.Context.Kind == plan.ReplyBroadcast {
			byChat[it.Address.ChatID] = it
		}
	}
	if len(byChat) != 4 {
		t.Fatalf("broadcast items for %d chats, want 4: %+v", len(byChat), items)
	}
	ca := byChat["ca"]
	if !strings.Contains(ca.Message.Text, "📢 Thông báo của Văn phòng UBND phường:") || !strings.Contains(ca.Message.Text, "&lt;phòng họp&gt;") ||
		len(ca.Message.Choices) != 1 || ca.Message.Choices[0].Label != "Đã nhận" || ca.Key != plan.BroadcastKey(ca.Context.BroadcastID, ca.OfficerID) {
		t.Errorf("item to ca: %+v", ca)
	}
	now := e.clock.Now()
	for chat, ext := range map[string]string{"ca": "m-ca", "vp": "m-vp"} {
		if err := e.db.MarkSent(ctx, byChat[chat].ID, ext, now); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.db.Fail(ctx, byChat["tp"].ID, "Forbidden: bot was blocked by the user"); err != nil {
		t.Fatal(err)
	}

	// The button, pressed twice.
	data := ca.Message.Choices[0].Data
	ms := e.do(&bot.Event{UserID: "ca", Callback: &bot.Callback{ID: "cb1", Data: data, MessageID: "m-ca"}})
	if len(ms) != 1 || !strings.Contains(ms[0].Text, "Đã ghi nhận") {
		t.Fatalf("ack: %+v", ms)
	}
	ms = e.do(&bot.Event{UserID: "ca", Callback: &bot.Callback{ID: "cb2", Data: data, MessageID: "m-ca"}})
	if len(ms) != 1 || !strings.Contains(ms[0].Text, "trước đó") {
		t.Fatalf("second ack: %+v", ms)
	}

	got = e.say("sec", "/tinhhinh")
	wantContains(t, got, "1 trên 4 cán bộ đã nhận", "1 không gửi được (Tư pháp - Hộ tịch — đã chặn bot)",
		"Không liên lạc được 1 đơn vị — đã chặn bot (1): Tư pháp - Hộ tịch.")

	// A day later the one who saw it but did not answer is chased, once.
	e.clock.Add(25 * time.Hour)
	for range 2 {
		if err := b.ChaseUnacknowledged(ctx, e.clock.Now()); err != nil {
			t.Fatal(err)
		}
	}
	items, err = e.db.Claim(ctx, "test", e.clock.Now(), time.Minute, 100)
	if err != nil {
		t.Fatal(err)
	}
	var chased []string
	for _, it := range items {
		if strings.Contains(it.Key, "|chase|") {
			chased = append(chased, it.Address.ChatID)
		}
	}
	if strings.Join(chased, ",") != "vp" {
		t.Errorf("chased %v, want vp only", chased)
	}

	// "1" replying to the announcement acknowledges it.
	if got := e.do(&bot.Event{UserID: "vp", Text: "1", ReplyToID: "m-vp"}); len(got) != 1 || !strings.Contains(got[0].Text, "Đã ghi nhận") {
		t.Fatalf("reply 1: %+v", got)
	}
	wantContains(t, e.say("sec", "/tinhhinh"), "2 trên 4 cán bộ đã nhận")

	// Units before a colon narrow the audience.
	wantContains(t, e.say("sec", "/thongbao Công an phường: Nộp báo cáo tháng trước 18/5"), "tới 1 cán bộ của Công an phường")
	if got := e.say("sec", "/thongbao"); !strings.Contains(got, "nội dung thông báo") {
		t.Errorf("empty broadcast: %s", got)
	}
	if got := e.say("ca", "/thongbao hello"); !strings.Contains(got, "không có quyền") {
		t.Errorf("officer broadcast: %s", got)
	}
}

func TestBroadcastWithoutButtons(t *testing.T) {
	e := newEnv(t, plan.Capabilities{MaxText: 2000})
	ctx := context.Background()
	bot.RegisterBroadcast(e.core, bot.BroadcastDeps{Store: e.db, Outbox: e.db})
	e.register("sec", "Phạm Thư Ký", "", plan.RoleSecretariat)
	e.register("ca", "Nguyễn Văn Công", "Công an phường", plan.RoleOfficer)
	e.say("sec", "/thongbao all Họp giao ban")
	items, err := e.db.Claim(ctx, "test", e.clock.Now(), time.Minute, 100)
	if err != nil || len(items) != 1 {
		t.Fatalf("items %v %v", items, err)
	}
	if m := items[0].Message; len(m.Choices) != 0 || !strings.Contains(m.Text, "Trả lời 1 để xác nhận") {
		t.Errorf("message without buttons: %+v", m)
	}
	if got := e.say("ca", "1"); !strings.Contains(got, "Đã ghi nhận") {
		t.Errorf("bare 1: %s", got)
	}
}

func TestSummaryAndConfirm(t *testing.T) {
	e := newEnv(t, telegramCaps)
	src := &summary.Source{Plans: e.db, Progress: e.db, Loc: e.core.Location()}
	docs := 0
	bot.RegisterSummary(e.core, bot.SummaryDeps{Source: src, Document: func(s *summary.Summary) (*plan.Document, error) {
		docs++
		return &plan.Document{Name: "tong-hop-" + s.Period.String() + ".xlsx", Data: []byte("x")}, nil
	}})
	e.register("sec", "Phạm Thư Ký", "", plan.RoleSecretariat)
	e.register("ct", "Chủ Tịch", "", plan.RoleChairman)
	e.register("ca", "Nguyễn Văn Công", "Công an phường", plan.RoleOfficer)
	e.say("ca", "1.c xong")

	wantContains(t, e.say("sec", "/xacnhan 1.c"), "Đã xác nhận hoàn thành <b>1.c</b> — Công an phường")
	wantContains(t, e.say("sec", "/xacnhan 1.c"), "không có báo cáo hoàn thành nào đang chờ")
	wantContains(t, e.say("sec", "/tralai 1.c"), "ghi lý do")

	ms := e.do(&bot.Event{UserID: "ct", Text: "/tonghop 04/2023"})
	if len(ms) != 1 || ms[0].Document == nil || docs != 1 {
		t.Fatalf("summary: %+v", ms)
	}
	wantContains(t, ms[0].Text, "📊 Tổng hợp thực hiện Kế hoạch Đề án 06 — tháng 4/2023", "1 hoàn thành (1 đúng hạn", "Chi tiết: tệp đính kèm.")
	if got := e.say("ca", "/tonghop"); !strings.Contains(got, "không có quyền") {
		t.Errorf("officer summary: %s", got)
	}
	wantContains(t, e.say("ct", "/tonghop 13/2023"), "không hợp lệ")
}

// A broadcast goes only where it was addressed: a unit name not
// recognised, or no audience at all, sends nothing.
func TestBroadcastRefusesUnknownAudience(t *testing.T) {
	e := newEnv(t, telegramCaps)
	bot.RegisterBroadcast(e.core, bot.BroadcastDeps{Store: e.db, Outbox: e.db})
	e.register("sec", "Phạm Thư Ký", "", plan.RoleSecretariat)
	e.register("ca", "Nguyễn Văn Công", "Công an phường", plan.RoleOfficer)
	e.register("tp", "Trần Thị Hà", "Tư pháp - Hộ tịch", plan.RoleOfficer)
	for _, tc := range []struct{ text, want string }{
		{"/thongbao Công an phường, Phòng ma: họp riêng", "Phòng ma"},
		{"/thongbao Cong an phuongg: họp riêng", "Cong an phuongg"},
		{"/thongbao Họp lúc 14h thứ Sáu", "/thongbao all"},
	} {
		wantContains(t, e.say("sec", tc.text), tc.want)
		if items := broadcastItems(t, e); len(items) != 0 {
			t.Errorf("%q queued %d items", tc.text, len(items))
		}
	}
	wantContains(t, e.say("sec", "/thongbao cong an: họp riêng"), "Đã gửi thông báo tới 1 cán bộ của Công an phường")
}

// A big announcement's copies are due at the bot's pace after a second's
// worth: a reminder queued a tenth of a second later waits for the copies
// due by then, not for the whole announcement.
func TestBroadcastPaced(t *testing.T) {
	e := newEnv(t, telegramCaps)
	ctx := context.Background()
	const people, perSecond = 100, 30
	b := bot.RegisterBroadcast(e.core, bot.BroadcastDeps{Store: e.db, Outbox: e.db, Pace: time.Second / perSecond, PaceBurst: perSecond})
	store := e.db.OfficerStore()
	for i := range people {
		inv, err := bot.CreateInvite(ctx, store, e.db, bot.InviteSpec{Role: plan.RoleSecretariat}, e.clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		chat := strconv.Itoa(5000 + i)
		o := &plan.Officer{OrgID: plan.DefaultOrg, Name: "Cán bộ " + chat, UserID: chat, Address: plan.Address{Transport: "telegram", ChatID: chat}, Active: true}
		if _, err := store.RedeemInvite(ctx, inv.Code, o, e.clock.Now()); err != nil {
			t.Fatal(err)
		}
	}
	now := e.clock.Now()
	n, err := b.Send(ctx, 0, nil, "Họp giao ban lúc 14h")
	if err != nil || n != people {
		t.Fatalf("sent to %d, %v; want %d", n, err, people)
	}
	later := now.Add(100 * time.Millisecond)
	reminder := plan.OutboxItem{OrgID: plan.DefaultOrg, Key: "remind|2023-04-25|officer:1|x", OfficerID: 1,
		Address: plan.Address{Transport: "telegram", ChatID: "1"}, Message: plan.Message{Text: "⏰"}, NotBefore: later}
	if _, err := e.db.Enqueue(ctx, reminder); err != nil {
		t.Fatal(err)
	}
	due, err := e.db.Claim(ctx, "test", later, time.Minute, 1000)
	if err != nil {
		t.Fatal(err)
	}
	copies, hasReminder := 0, false
	for _, it := range due {
		if it.Key == reminder.Key {
			hasReminder = true
		} else {
			copies++
		}
	}
	// 30 at once, then one every 1/30 s: 3 more by 0.1 s.
	if !hasReminder || copies != perSecond+3 {
		t.Errorf("due at +0.1s: %d copies and the reminder %v; want %d copies and the reminder", copies, hasReminder, perSecond+3)
	}
	last, err := e.db.Claim(ctx, "test2", now.Add(time.Duration(people-perSecond)*time.Second/perSecond), time.Minute, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if copies+len(last) != people {
		t.Errorf("by the last copy's time %d more were due, want the other %d", len(last), people-copies)
	}
}

package bot_test

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chanhlo/planbot/bot"
	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/storage"
	"github.com/chanhlo/planbot/storage/storagetest"
)

// fakeQueue keeps the notices the core queues.
type fakeQueue struct {
	mu    sync.Mutex
	items []plan.OutboxItem
}

func (q *fakeQueue) Enqueue(_ context.Context, items ...plan.OutboxItem) (int, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.items = append(q.items, items...)
	return len(items), nil
}

// take returns the items queued since the last take.
func (q *fakeQueue) take() []plan.OutboxItem {
	q.mu.Lock()
	defer q.mu.Unlock()
	out := q.items
	q.items = nil
	return out
}

// to returns the one item addressed to chat, failing otherwise.
func to(t *testing.T, items []plan.OutboxItem, chat string) plan.OutboxItem {
	t.Helper()
	var found []plan.OutboxItem
	for _, it := range items {
		if it.Address.ChatID == chat {
			found = append(found, it)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d notices to %s, want 1: %+v", len(found), chat, items)
	}
	return found[0]
}

// newNoticeEnv is newEnv with a notice queue and the test plan's standing
// body set to standing (the plan's, as the importer reads it).
func newNoticeEnv(t *testing.T, caps plan.Capabilities, standing, override string) (*env, *fakeQueue) {
	t.Helper()
	clock := storagetest.NewClock(testNow)
	db := storagetest.Open(t, storage.WithClock(clock))
	p := testPlan()
	p.StandingBody = standing
	if _, err := db.SavePlan(context.Background(), p); err != nil {
		t.Fatalf("save plan: %v", err)
	}
	tg := &fakeSender{caps: caps}
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	q := &fakeQueue{}
	core, err := bot.New(bot.Deps{
		Plans: db, Officers: db.OfficerStore(), Progress: db, Audit: db, Updates: db, Outbox: db,
		Senders: map[string]plan.Sender{"telegram": tg},
		Clock:   clock, Location: loc, BotUsername: "planbot_test", Logger: slog.New(slog.DiscardHandler),
		Notices: q, StandingUnit: override,
	})
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, db: db, core: core, tg: tg, clock: clock, plan: p}
	e.register("sec", "Phạm Thư Ký", "", plan.RoleSecretariat)
	e.register("ca", "Nguyễn Văn Công", "Công an phường", plan.RoleOfficer)
	e.register("tp", "Lê Tư Pháp", "Tư pháp - Hộ tịch", plan.RoleOfficer)
	q.take()
	return e, q
}

func press(e *env, user, data string) []plan.Message {
	e.t.Helper()
	e.seq++
	return e.do(&bot.Event{UserID: user, Callback: &bot.Callback{ID: "cb" + user + data, Data: data}})
}

func TestDoneNoticeStandingBodyConfirms(t *testing.T) {
	e, q := newNoticeEnv(t, telegramCaps, "Công an phường", "")
	wantContains(t, e.say("tp", "2.e xong"), "Công an phường (thường trực) sẽ xác nhận kết quả.")
	items := q.take()
	if len(items) != 2 {
		t.Fatalf("%d notices, want 2 (secretariat, standing body): %+v", len(items), items)
	}
	for _, chat := range []string{"sec", "ca"} {
		it := to(t, items, chat)
		wantContains(t, it.Message.Text, "📋 Báo cáo hoàn thành — <b>Tư pháp - Hộ tịch</b>, 25/4/2023 (đồng chí Lê Tư Pháp)",
			"• <b>2.e</b> Số hóa hồ sơ", "hoàn thành, chờ xác nhận")
		if got := it.Message.Choices; len(got) != 2 || got[0].Label != "Xác nhận 2.e" || got[1].Label != "Trả lại 2.e" {
			t.Errorf("choices to %s = %+v", chat, got)
		}
		if it.Context.Kind != plan.ReplyNotice || it.Context.Unit != "Tư pháp - Hộ tịch" {
			t.Errorf("context to %s = %+v", chat, it.Context)
		}
	}
	confirm := to(t, items, "ca").Message.Choices[0].Data

	// Another unit's officer may not decide.
	if ms := press(e, "tp", confirm); len(ms) != 1 || !strings.Contains(ms[0].Text, "cơ quan thường trực") {
		t.Errorf("unit pressing Xác nhận: %+v", ms)
	}
	n := e.tg.count()
	ms := press(e, "ca", confirm)
	if len(ms) != 1 {
		t.Fatalf("standing body confirming: %+v", ms)
	}
	wantContains(t, ms[0].Text, "Đã xác nhận hoàn thành <b>2.e</b> — Tư pháp - Hộ tịch")
	told := e.tg.since(n, "tp")
	if len(told) != 1 {
		t.Fatalf("unit told %d times: %+v", len(told), told)
	}
	wantContains(t, told[0].Text, "Công an phường (thường trực) đã xác nhận hoàn thành nhiệm vụ <b>2.e</b>")
	// The secretariat's button finds nothing left to confirm.
	if ms := press(e, "sec", confirm); len(ms) != 1 || !strings.Contains(ms[0].Text, "không có báo cáo hoàn thành nào đang chờ") {
		t.Errorf("second confirmation: %+v", ms)
	}
}

func TestDoneNoticeReturnWithReason(t *testing.T) {
	e, q := newNoticeEnv(t, telegramCaps, "Công an phường", "")
	e.say("tp", "2.e xong")
	ret := to(t, q.take(), "sec").Message.Choices[1].Data
	if ms := press(e, "sec", ret); len(ms) != 1 || !strings.Contains(ms[0].Text, "gửi lý do trả lại <b>2.e</b> trong tin nhắn tiếp theo") {
		t.Fatalf("Trả lại: %+v", ms)
	}
	n := e.tg.count()
	wantContains(t, e.say("sec", "Thiếu biên bản <nghiệm thu>"), "Đã trả lại báo cáo hoàn thành <b>2.e</b> — Tư pháp - Hộ tịch")
	told := e.tg.since(n, "tp")
	if len(told) != 1 {
		t.Fatalf("unit told %d times: %+v", len(told), told)
	}
	wantContains(t, told[0].Text, "Văn phòng UBND phường trả lại", "Lý do: Thiếu biên bản &lt;nghiệm thu&gt;")
	// The reason was taken once: the next message is ordinary again.
	wantContains(t, e.say("sec", "xin chào"), "Đồng chí")
}

func TestBlockerNotice(t *testing.T) {
	e, q := newNoticeEnv(t, telegramCaps, "Công an phường", "")
	wantContains(t, e.say("tp", "2.e vướng: thiếu máy scan"), "Công an phường (thường trực) sẽ tổng hợp")
	items := q.take()
	if len(items) != 2 {
		t.Fatalf("%d notices, want 2: %+v", len(items), items)
	}
	for _, chat := range []string{"sec", "ca"} {
		it := to(t, items, chat)
		wantContains(t, it.Message.Text, "⚠️ Vướng mắc — <b>Tư pháp - Hộ tịch</b>, 25/4/2023",
			"<b>2.e</b> Số hóa hồ sơ", `vướng: "thiếu máy scan"`, "Đề nghị chỉ đạo")
		if len(it.Message.Choices) != 0 {
			t.Errorf("blocker notice to %s has buttons: %+v", chat, it.Message.Choices)
		}
	}
	// A figure without a blocker tells nobody.
	e.say("tp", "2.e 80%")
	if items := q.take(); len(items) != 0 {
		t.Errorf("plain figure queued %+v", items)
	}
}

func TestDoneNoticeWithoutButtons(t *testing.T) {
	e, q := newNoticeEnv(t, plan.Capabilities{MaxText: 2000}, "", "Công an phường")
	e.say("tp", "2.e xong")
	it := to(t, q.take(), "sec")
	if len(it.Message.Choices) != 0 {
		t.Errorf("choices on a transport without buttons: %+v", it.Message.Choices)
	}
	wantContains(t, it.Message.Text, "Trả lời <b>1</b> để xác nhận 2.e", "Trả lời <b>2</b> để trả lại 2.e")
	wantContains(t, e.say("sec", "1"), "Đã xác nhận hoàn thành <b>2.e</b>")
}

func TestStandingBodyOwnReport(t *testing.T) {
	e, q := newNoticeEnv(t, telegramCaps, "Công an phường", "")
	// The standing body does not confirm its own results: the secretariat does.
	wantContains(t, e.say("ca", "1.c xong"), "Văn phòng UBND phường sẽ xác nhận kết quả.")
	items := q.take()
	if len(items) != 1 || items[0].Address.ChatID != "sec" {
		t.Fatalf("notices %+v, want one to the secretariat", items)
	}
}

func TestNoStandingBody(t *testing.T) {
	e, q := newNoticeEnv(t, telegramCaps, "", "")
	wantContains(t, e.say("tp", "2.e xong"), "Văn phòng UBND phường sẽ xác nhận kết quả.")
	if items := q.take(); len(items) != 1 || items[0].Address.ChatID != "sec" {
		t.Fatalf("notices %+v, want one to the secretariat", items)
	}
	if got := e.core.StandingBody(e.plan); got != "" {
		t.Errorf("StandingBody = %q", got)
	}
}

package bot_test

import (
	"log/slog"
	"strings"
	"testing"

	"github.com/chanhlo/planbot/bot"
	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/summary"
)

// A unit's "done" and blocker reach the standing body and the secretariat
// at once, in one notice per message, with buttons; the standing body
// confirms; "Trả lại" takes the next message as the reason; nobody else
// may confirm.
func TestReviewByStandingBody(t *testing.T) {
	p := testPlan()
	p.Standing = "Công an phường"
	e := newEnvWith(t, telegramCaps, p)
	bot.RegisterSummary(e.core, bot.SummaryDeps{Source: &summary.Source{Plans: e.db, Progress: e.db, Loc: e.core.Location()}})
	e.register("sec", "Phạm Thư Ký", "", plan.RoleSecretariat)
	e.register("ca", "Nguyễn Văn Công", "Công an phường", plan.RoleOfficer)
	e.register("tp", "Đặng Văn Minh", "Tư pháp - Hộ tịch", plan.RoleOfficer)
	e.register("vp", "Trần Thị Hoa", "Văn phòng phường", plan.RoleOfficer)

	n := e.tg.count()
	ack := e.say("tp", "3.a xong đã tuyên truyền tại 8 tổ dân phố\n2.e vướng: thiếu máy scan khổ A3")
	wantContains(t, ack, "Đã ghi nhận 2 nhiệm vụ", "Công an phường (cơ quan thường trực) và Văn phòng UBND phường sẽ xác nhận")
	for _, chat := range []string{"ca", "sec"} {
		ms := e.tg.since(n, chat)
		if len(ms) != 1 {
			t.Fatalf("%s got %d notices, want 1: %+v", chat, len(ms), ms)
		}
		m := ms[0]
		wantContains(t, m.Text, "📌 <b>Tư pháp - Hộ tịch</b> (đồng chí Đặng Văn Minh) báo cáo ngày",
			"✅ Hoàn thành, chờ xác nhận:", "<b>3.a</b> Tuyên truyền cài đặt VNeID", "⚠️ Vướng mắc", "<b>2.e</b>", "thiếu máy scan khổ A3")
		if len(m.Choices) != 2 || m.Choices[0].Label != "Xác nhận 3.a" || m.Choices[1].Label != "Trả lại 3.a" {
			t.Errorf("%s: choices %+v", chat, m.Choices)
		}
	}
	if ms := e.tg.since(n, "vp"); len(ms) != 0 {
		t.Errorf("another unit was told: %+v", ms)
	}

	// Văn phòng phường is neither the secretariat nor the standing body.
	wantContains(t, e.say("vp", "/xacnhan 3.a"), "Chỉ Công an phường (cơ quan thường trực) và Văn phòng UBND phường xác nhận")

	// The standing body presses "Xác nhận 3.a"; the unit is told.
	n = e.tg.count()
	e.do(&bot.Event{UserID: "ca", Callback: &bot.Callback{ID: "c1", Data: "rv:ok:3.a"}})
	wantContains(t, msgText(e.tg.since(n, "ca")), "Đã xác nhận hoàn thành <b>3.a</b> — Tư pháp - Hộ tịch")
	wantContains(t, msgText(e.tg.since(n, "tp")), "Công an phường (cơ quan thường trực) đã xác nhận hoàn thành nhiệm vụ <b>3.a</b>")

	// A new "done" is sent back by the secretariat with a reason typed
	// after pressing "Trả lại".
	e.say("tp", "3.a xong")
	wantContains(t, msgText(e.do(&bot.Event{UserID: "sec", Callback: &bot.Callback{ID: "c2", Data: "rv:back:3.a"}})), "gửi lý do trả lại 3.a")
	n = e.tg.count()
	wantContains(t, e.say("sec", "Chưa có biên bản của tổ dân phố 5"), "Đã trả lại")
	wantContains(t, msgText(e.tg.since(n, "tp")), "Chưa có biên bản của tổ dân phố 5")
	// The next message is a message again.
	wantContains(t, e.say("sec", "/huongdan"), "/")
}

func msgText(ms []plan.Message) string {
	var b strings.Builder
	for _, m := range ms {
		b.WriteString(m.Text + "\n")
	}
	return b.String()
}

// With several replicas, "Trả lại" pressed on one and the reason typed to
// another still go together: the pending return is in the database.
func TestReturnReasonAcrossReplicas(t *testing.T) {
	p := testPlan()
	e := newEnvWith(t, telegramCaps, p)
	replica := func() *bot.Core {
		c, err := bot.New(bot.Deps{
			Plans: e.db, Officers: e.db.OfficerStore(), Progress: e.db, Audit: e.db, Updates: e.db, Outbox: e.db, Pending: e.db,
			Senders: map[string]plan.Sender{"telegram": e.tg}, Clock: e.clock, Location: e.core.Location(), BotUsername: "planbot_test",
			Logger: slog.New(slog.DiscardHandler),
		})
		if err != nil {
			t.Fatal(err)
		}
		bot.RegisterSummary(c, bot.SummaryDeps{Source: &summary.Source{Plans: e.db, Progress: e.db, Loc: e.core.Location()}})
		return c
	}
	a, b := replica(), replica()
	e.core = a
	e.register("sec", "Phạm Thư Ký", "", plan.RoleSecretariat)
	e.register("tp", "Đặng Văn Minh", "Tư pháp - Hộ tịch", plan.RoleOfficer)
	e.say("tp", "3.a xong")
	wantContains(t, msgText(e.do(&bot.Event{UserID: "sec", Callback: &bot.Callback{ID: "c2", Data: "rv:back:3.a"}})), "gửi lý do trả lại 3.a")
	e.core = b // the reason reaches the other replica
	n := e.tg.count()
	wantContains(t, e.say("sec", "Thiếu biên bản nghiệm thu"), "Đã trả lại")
	wantContains(t, msgText(e.tg.since(n, "tp")), "Thiếu biên bản nghiệm thu")
	// Taken once: the next message is a message again.
	wantContains(t, e.say("sec", "/huongdan"), "/")
}

package bot_test

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chanhlo/planbot/bot"
	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/storage"
	"github.com/chanhlo/planbot/storage/storagetest"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

// fakeSender records what the core sends.
type fakeSender struct {
	caps plan.Capabilities
	mu   sync.Mutex
	sent []sentMsg
	// fail, when set, may refuse a send (nil: send).
	fail func(to plan.Address, m plan.Message) error
}

type sentMsg struct {
	To plan.Address
	M  plan.Message
}

func (f *fakeSender) Capabilities() plan.Capabilities { return f.caps }

func (f *fakeSender) Send(_ context.Context, to plan.Address, m plan.Message) (plan.Sent, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail != nil {
		if err := f.fail(to, m); err != nil {
			return plan.Sent{}, err
		}
	}
	f.sent = append(f.sent, sentMsg{to, m})
	return plan.Sent{MessageID: strconv.Itoa(len(f.sent))}, nil
}

func (f *fakeSender) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.sent)
}

func (f *fakeSender) since(n int, chat string) []plan.Message {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []plan.Message
	for _, s := range f.sent[n:] {
		if chat == "" || s.To.ChatID == chat {
			out = append(out, s.M)
		}
	}
	return out
}

// Tuesday 25 April 2023, 9:00 in Vietnam.
var testNow = time.Date(2023, 4, 25, 2, 0, 0, 0, time.UTC)

type env struct {
	t     *testing.T
	db    *storage.DB
	core  *bot.Core
	tg    *fakeSender
	clock *storagetest.Clock
	plan  *plan.Plan
	seq   int
}

func testPlan() *plan.Plan {
	return &plan.Plan{
		OrgID: plan.DefaultOrg, Number: "56/KH-UBND", Year: 2023, Date: plan.NewDate(2023, 3, 20),
		Title:    "Kế hoạch triển khai Đề án 06 năm 2023",
		Sections: []plan.Section{{Number: "1", Title: "Nhiệm vụ chung"}, {Number: "2", Title: "Phục vụ giải quyết thủ tục hành chính"}, {Number: "3", Title: "Phát triển công dân số"}},
		Units:    []string{"Công an phường", "Tư pháp - Hộ tịch", "Văn phòng phường"},
		Tasks: []plan.Task{
			{Code: "1.c", Section: "1", Title: "Đăng ký và thực hiện một số nhiệm vụ trong thực hiện Đề án 06 năm 2023",
				Lead: []string{"Công an phường"}, Support: []string{"Văn phòng phường"},
				Deadline: plan.Deadline{Kind: plan.DeadlineDate, Due: plan.NewDate(2023, 4, 28), Text: "Trước ngày 28/4/2023"}},
			{Code: "2.e", Section: "2", Title: "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
				Lead: []string{"Tư pháp - Hộ tịch"}, Support: []string{"Công an phường"},
				Deadline: plan.Deadline{Kind: plan.DeadlineRecurring, Recurrence: plan.RecurOngoing, Text: "Thường xuyên"},
				Targets:  []plan.Target{{Value: 100, Unit: "%", Text: "100%"}}},
			{Code: "2.đ", Section: "2", Title: "Rà soát <thủ tục> & dịch vụ công \"trực tuyến\"",
				Lead: []string{"Văn phòng phường"}, Support: []string{"Công an phường"},
				Deadline: plan.Deadline{Kind: plan.DeadlineConditional, Text: "Khi có hướng dẫn của cấp trên"}},
			{Code: "3.a", Section: "3", Title: "Tuyên truyền cài đặt VNeID",
				Lead:     []string{"Tư pháp - Hộ tịch"},
				Deadline: plan.Deadline{Kind: plan.DeadlineDate, Due: plan.NewDate(2023, 6, 30), Text: "Quý II/2023"}},
		},
	}
}

func newEnv(t *testing.T, caps plan.Capabilities) *env {
	t.Helper()
	return newEnvWith(t, caps, testPlan())
}

// newEnvWith is newEnv with another plan.
func newEnvWith(t *testing.T, caps plan.Capabilities, p *plan.Plan) *env {
	t.Helper()
	clock := storagetest.NewClock(testNow)
	db := storagetest.Open(t, storage.WithClock(clock))
	if _, err := db.SavePlan(context.Background(), p); err != nil {
		t.Fatalf("save plan: %v", err)
	}
	tg := &fakeSender{caps: caps}
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	core, err := bot.New(bot.Deps{
		Plans: db, Officers: db.OfficerStore(), Progress: db, Audit: db, Updates: db, Outbox: db,
		Senders: map[string]plan.Sender{"telegram": tg},
		Clock:   clock, Location: loc, BotUsername: "planbot_test", Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatal(err)
	}
	return &env{t: t, db: db, core: core, tg: tg, clock: clock, plan: p}
}

var telegramCaps = plan.Capabilities{MaxText: 4096, Buttons: true, ReplyTo: true, Documents: true, DeepLinks: true}

// do handles e (with a fresh update id when it has none) and returns the
// messages sent to the event's chat.
func (e *env) do(ev *bot.Event) []plan.Message {
	e.t.Helper()
	if ev.Transport == "" {
		ev.Transport = "telegram"
	}
	if ev.ChatID == "" {
		ev.ChatID = ev.UserID
	}
	if ev.ID == "" {
		e.seq++
		ev.ID = strconv.Itoa(e.seq)
	}
	n := e.tg.count()
	if err := e.core.Handle(context.Background(), ev); err != nil {
		e.t.Fatalf("Handle(%q): %v", ev.Text, err)
	}
	return e.tg.since(n, ev.ChatID)
}

// say sends text from user and returns the one reply.
func (e *env) say(user, text string) string {
	e.t.Helper()
	ms := e.do(&bot.Event{UserID: user, UserName: "Người " + user, Text: text})
	if len(ms) != 1 {
		e.t.Fatalf("%s: %q got %d replies, want 1: %+v", user, text, len(ms), ms)
	}
	return ms[0].Text
}

func (e *env) invite(unit string, role plan.Role) string {
	e.t.Helper()
	inv, err := bot.CreateInvite(context.Background(), e.db.OfficerStore(), e.db, bot.InviteSpec{Unit: unit, Role: role}, e.clock.Now())
	if err != nil {
		e.t.Fatal(err)
	}
	return inv.Code
}

func (e *env) register(user, name, unit string, role plan.Role) string {
	e.t.Helper()
	code := e.invite(unit, role)
	ms := e.do(&bot.Event{UserID: user, UserName: name, Text: "/start " + code})
	if len(ms) != 1 || !strings.Contains(ms[0].Text, "Đồng chí đã được ghi nhận") {
		e.t.Fatalf("register %s: replies %+v", user, ms)
	}
	return ms[0].Text
}

func wantContains(t *testing.T, got string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("reply does not contain %q:\n%s", w, got)
		}
	}
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden (run with -update): %v", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from golden file %s:\n got: %s\nwant: %s", name, path, got, want)
	}
}

var linkCode = regexp.MustCompile(`https://t\.me/planbot_test\?start=([A-Za-z0-9_-]+)`)

func TestRegisterAndReport(t *testing.T) {
	e := newEnv(t, telegramCaps)
	ctx := context.Background()

	e.register("1", "Lê Thư Ký", "Văn phòng phường", plan.RoleSecretariat)
	reply := e.say("1", "/moi công an")
	m := linkCode.FindStringSubmatch(reply)
	if m == nil {
		t.Fatalf("/moi reply has no deep link:\n%s", reply)
	}
	wantContains(t, reply, "cán bộ đầu mối của Công an phường", "2/5/2023")

	greet := e.do(&bot.Event{UserID: "100", UserName: "Nguyễn Văn Công", Text: "/start " + m[1]})
	if len(greet) != 1 {
		t.Fatalf("greeting: %+v", greet)
	}
	golden(t, "greeting", greet[0].Text)
	wantContains(t, greet[0].Text, "Chào đồng chí Nguyễn Văn Công", "<b>Công an phường</b>", "3 nhiệm vụ: 1 chủ trì hoặc thực hiện, 2 phối hợp", "<b>1.c</b>", "28/4/2023", "/nhiemvu", "/huongdan")

	if again := e.say("200", "/start "+m[1]); !strings.Contains(again, "đã được dùng") {
		t.Errorf("reused code: %s", again)
	}

	tasks := e.say("100", "/nhiemvu")
	wantContains(t, tasks, "<b>1.c</b>", "<b>2.e</b>", "<b>2.đ</b>", "&lt;thủ tục&gt; &amp;", "chủ trì", "phối hợp", "28/4/2023", "Thường xuyên", "Chờ điều kiện", "sắp đến hạn")
	if strings.Contains(tasks, "3.a") || strings.Contains(tasks, "<thủ tục>") {
		t.Errorf("/nhiemvu shows another unit's task or unescaped HTML:\n%s", tasks)
	}
	if alias := e.say("100", "/tasks@planbot_test"); alias != tasks {
		t.Errorf("/tasks@bot differs from /nhiemvu:\n%s", alias)
	}

	// A reminder about 1.c went out and was delivered as message "ext-1".
	officer, err := e.db.OfficerStore().OfficerByUser(ctx, "telegram", "100")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.Enqueue(ctx, plan.OutboxItem{
		OrgID: plan.DefaultOrg, Key: "reminder|1.c", OfficerID: officer.ID, Address: officer.Address,
		Message: plan.Message{Text: "⏰ Nhắc hạn"}, NotBefore: e.clock.Now(),
		Context: plan.ReplyContext{Kind: plan.ReplyReminder, PlanID: e.plan.ID, TaskCodes: []string{"1.c"}, Unit: "Công an phường", Period: "2023-04"},
	}); err != nil {
		t.Fatal(err)
	}
	items, err := e.db.Claim(ctx, "test", e.clock.Now(), time.Minute, 10)
	if err != nil || len(items) != 1 {
		t.Fatalf("claim = %v, %v", items, err)
	}
	if err := e.db.MarkSent(ctx, items[0].ID, "ext-1", e.clock.Now()); err != nil {
		t.Fatal(err)
	}

	ms := e.do(&bot.Event{UserID: "100", Text: "80% đã gửi văn bản đăng ký", ReplyToID: "ext-1"})
	if len(ms) != 1 {
		t.Fatalf("reply to reminder: %+v", ms)
	}
	golden(t, "recorded", ms[0].Text)
	wantContains(t, ms[0].Text, "✅ Đã ghi nhận <b>1.c</b> — 80% — tháng 4/2023", `Ghi chú: "đã gửi văn bản đăng ký"`)

	e.clock.Add(time.Hour)
	ms = e.do(&bot.Event{UserID: "100", Text: "xong", ReplyToID: "ext-1"})
	wantContains(t, ms[0].Text, "<b>1.c</b> — hoàn thành — tháng 4/2023", "Cập nhật: 80% → hoàn thành.", "sẽ xác nhận")

	hist, err := e.db.ListProgress(ctx, plan.ProgressFilter{TaskCode: "1.c", Unit: "Công an phường"})
	if err != nil || len(hist) != 2 {
		t.Fatalf("history = %+v, %v; want 2 reports", hist, err)
	}
	latest, _ := e.db.ListProgress(ctx, plan.ProgressFilter{TaskCode: "1.c", LatestOnly: true})
	if len(latest) != 1 || latest[0].Kind != plan.ProgressDone || latest[0].Confirm != plan.ConfirmPending ||
		latest[0].Period != plan.Month(2023, 4) || latest[0].ReportedBy != officer.ID {
		t.Errorf("latest = %+v", latest)
	}

	// Typed with the code, no reply: the current month.
	wantContains(t, e.say("100", "2.e 1.200/1.500 hồ sơ"), "<b>2.e</b> — 1.200/1.500 hồ sơ (80%) — tháng 4/2023 — chỉ tiêu 100%: chưa đạt")
	wantContains(t, e.say("100", "/baocao 2dd vướng: chưa có mẫu <văn bản>"), "vướng mắc của <b>2.đ</b>", "&lt;văn bản&gt;")

	detail := e.say("100", "/xem 2.dd")
	golden(t, "task-detail", detail)
	wantContains(t, detail, "&lt;thủ tục&gt; &amp; dịch vụ công &#34;trực tuyến&#34;", "Chủ trì: Văn phòng phường", "Chờ điều kiện", "Vướng mắc")

	units := e.say("1", "/donvi")
	wantContains(t, units, "<b>Công an phường</b>: Nguyễn Văn Công (cán bộ đầu mối)", "<b>Tư pháp - Hộ tịch</b>: chưa có cán bộ đăng ký", "Lê Thư Ký")

	entries, err := e.db.AuditEntries(ctx, plan.DefaultOrg, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	actions := map[string]int{}
	for _, a := range entries {
		actions[a.Action]++
	}
	if actions["invite.create"] != 2 || actions["officer.register"] != 2 || actions["progress.report"] != 4 {
		t.Errorf("audit actions = %v", actions)
	}
}

func TestAuthorization(t *testing.T) {
	e := newEnv(t, telegramCaps)
	wantContains(t, e.say("9", "/nhiemvu"), "chưa đăng ký")
	wantContains(t, e.say("9", "80%"), "chưa đăng ký")
	wantContains(t, e.say("9", "/help"), "/start", "/huongdan")
	if h := e.say("9", "/huongdan"); strings.Contains(h, "/nhiemvu") {
		t.Errorf("help for the unregistered lists /nhiemvu:\n%s", h)
	}
	wantContains(t, e.say("9", "/start"), "mã mời")

	e.register("100", "Công", "Công an phường", plan.RoleOfficer)
	wantContains(t, e.say("100", "/donvi"), "không có quyền")
	wantContains(t, e.say("100", "/moi Tư pháp"), "không có quyền")
	wantContains(t, e.say("100", "/xem 3.a"), "không giao cho Công an phường")
	wantContains(t, e.say("100", "3.a 50%"), "không giao cho Công an phường")
	wantContains(t, e.say("100", "/xem 9.z"), "Không có nhiệm vụ 9.z")
	wantContains(t, e.say("100", "/khongco"), "Không có lệnh /khongco")
	wantContains(t, e.say("100", "/start"), "đã đăng ký")

	e.register("7", "Chủ tịch", "", plan.RoleChairman)
	wantContains(t, e.say("7", "/xem 3.a"), "Tuyên truyền cài đặt VNeID")
	wantContains(t, e.say("7", "/donvi"), "Công an phường")
	wantContains(t, e.say("7", "/moi công an"), "không có quyền")
	wantContains(t, e.say("7", "/nhiemvu"), "<b>3.a</b>", "<b>1.c</b>")

	if ps, _ := e.db.ListProgress(context.Background(), plan.ProgressFilter{}); len(ps) != 0 {
		t.Errorf("progress stored by refused reports: %+v", ps)
	}
}

func TestGarbageAndAmbiguity(t *testing.T) {
	e := newEnv(t, telegramCaps)
	e.register("100", "Công", "Công an phường", plan.RoleOfficer)
	for _, text := range []string{"ok", "cảm ơn", "1.c tốt", "80"} {
		wantContains(t, e.say("100", text), "Chưa hiểu số liệu", "80%", "vướng")
	}
	wantContains(t, e.say("100", "80%"), "nhiệm vụ nào", "1.c 80%")
	wantContains(t, e.say("100", "9 80%"), "Không có nhiệm vụ 9")
	wantContains(t, e.say("100", "1.c 120%"), "vượt quá 100%")
	if ps, _ := e.db.ListProgress(context.Background(), plan.ProgressFilter{}); len(ps) != 0 {
		t.Errorf("garbage stored: %+v", ps)
	}
}

func TestReplyToDigestNeedsCode(t *testing.T) {
	e := newEnv(t, telegramCaps)
	ctx := context.Background()
	e.register("100", "Công", "Công an phường", plan.RoleOfficer)
	o, _ := e.db.OfficerStore().OfficerByUser(ctx, "telegram", "100")
	e.db.Enqueue(ctx, plan.OutboxItem{OrgID: 1, Key: "k", OfficerID: o.ID, Address: o.Address, Message: plan.Message{Text: "x"}, NotBefore: e.clock.Now(),
		Context: plan.ReplyContext{Kind: plan.ReplyReportRequest, PlanID: e.plan.ID, TaskCodes: []string{"1.c", "2.e"}, Period: "2023-03"}})
	items, _ := e.db.Claim(ctx, "t", e.clock.Now(), time.Minute, 1)
	e.db.MarkSent(ctx, items[0].ID, "m7", e.clock.Now())

	ms := e.do(&bot.Event{UserID: "100", Text: "80%", ReplyToID: "m7"})
	wantContains(t, ms[0].Text, "nhiều nhiệm vụ (1.c, 2.e)")
	ms = e.do(&bot.Event{UserID: "100", Text: "2.e 1200/1500", ReplyToID: "m7"})
	wantContains(t, ms[0].Text, "<b>2.e</b> — 1.200/1.500 (80%) — tháng 3/2023")
}

func TestDuplicateEvent(t *testing.T) {
	e := newEnv(t, telegramCaps)
	e.register("100", "Công", "Công an phường", plan.RoleOfficer)
	ev := bot.Event{Transport: "telegram", ID: "dup-1", UserID: "100", ChatID: "100", Text: "1.c 50%"}
	first := e.do(&ev)
	ev2 := ev
	second := e.do(&ev2)
	if len(first) != 1 || len(second) != 0 {
		t.Fatalf("replies = %d then %d, want 1 then 0", len(first), len(second))
	}
	if ps, _ := e.db.ListProgress(context.Background(), plan.ProgressFilter{}); len(ps) != 1 {
		t.Errorf("stored %d reports, want 1", len(ps))
	}
	// A new token is a new bot whose update ids start again: the same id
	// from another bot is a new update; from the same bot, a duplicate.
	a := bot.Event{Transport: "telegram", Bot: "111", ID: "7", UserID: "100", ChatID: "100", Text: "1.c 60%"}
	b, again := a, a
	b.Bot = "222"
	if n := len(e.do(&a)) + len(e.do(&b)) + len(e.do(&again)); n != 2 {
		t.Errorf("%d replies to the same update id from two bots and a redelivery, want 2", n)
	}
}

func TestPanicAndInternalErrors(t *testing.T) {
	e := newEnv(t, telegramCaps)
	e.register("100", "Công", "Công an phường", plan.RoleOfficer)
	e.core.AddCommand(bot.Command{Name: "boom", Run: func(context.Context, *bot.Request) error { panic("kaboom") }})
	e.core.AddCommand(bot.Command{Name: "fail", Run: func(context.Context, *bot.Request) error {
		return fmt.Errorf("wrapped: %w", errors.New("database on fire"))
	}})
	e.core.AddCommand(bot.Command{Name: "nope", Run: func(context.Context, *bot.Request) error {
		return fmt.Errorf("ctx: %w", plan.Errorf(plan.EInvalid, "Sai <cú pháp>"))
	}})
	wantContains(t, e.say("100", "/boom"), "Xin lỗi đồng chí")
	// An internal error is apologised for and returned, so that the
	// transport delivers the update again (see redeliver_test.go).
	n := e.tg.count()
	if err := e.core.Handle(context.Background(), &bot.Event{Transport: "telegram", ID: "fail-1", UserID: "100", ChatID: "100", Text: "/fail"}); err == nil {
		t.Error("Handle(/fail) = nil, want the internal error")
	}
	ms := e.tg.since(n, "100")
	if len(ms) != 1 {
		t.Fatalf("/fail: %d replies, want 1: %+v", len(ms), ms)
	}
	wantContains(t, ms[0].Text, "Xin lỗi đồng chí")
	if strings.Contains(ms[0].Text, "fire") {
		t.Errorf("internal error leaked: %s", ms[0].Text)
	}
	if got := e.say("100", "/nope"); got != "Sai &lt;cú pháp&gt;" {
		t.Errorf("plan.Error reply = %q", got)
	}
}

func TestInviteThrottle(t *testing.T) {
	e := newEnv(t, telegramCaps)
	code := e.invite("Công an phường", plan.RoleOfficer)
	for i := 0; i < 4; i++ {
		wantContains(t, e.say("100", "/start wrong"+strconv.Itoa(i)), "Mã mời không đúng")
	}
	wantContains(t, e.say("100", "/start wrong4"), "thử lại sau 15 phút")
	wantContains(t, e.say("100", "/start "+code), "thử lại sau 15 phút")
	e.clock.Add(16 * time.Minute)
	wantContains(t, e.say("100", "/start "+code), "Đồng chí đã được ghi nhận")

	// Expired code.
	old := e.invite("Tư pháp - Hộ tịch", plan.RoleOfficer)
	e.clock.Add(8 * 24 * time.Hour)
	wantContains(t, e.say("300", "/start "+old), "hết hạn")
}

func TestReplacedOfficerIsTold(t *testing.T) {
	e := newEnv(t, telegramCaps)
	e.register("100", "Cũ", "Công an phường", plan.RoleOfficer)
	n := e.tg.count()
	e.register("101", "Mới", "Công an phường", plan.RoleOfficer)
	told := e.tg.since(n, "100")
	if len(told) != 1 {
		t.Fatalf("replaced officer got %d messages", len(told))
	}
	wantContains(t, told[0].Text, "Đồng chí Mới đã được đăng ký thay đồng chí")
	wantContains(t, e.say("100", "/nhiemvu"), "chưa đăng ký")
}

func TestNoButtonsAndShortTexts(t *testing.T) {
	zalo := plan.Capabilities{MaxText: 2000}
	e := newEnv(t, zalo)
	e.register("100", "Công", "Công an phường", plan.RoleOfficer)
	var pressed []string
	e.core.AddCallback("ack:", nil, func(ctx context.Context, r *bot.Request) error {
		pressed = append(pressed, r.Text)
		return r.Reply(ctx, plan.Message{Text: "đã nhận"})
	})
	e.core.AddCommand(bot.Command{Name: "hoi", Run: func(ctx context.Context, r *bot.Request) error {
		return r.Reply(ctx, plan.Message{Text: "Thông báo", Choices: []plan.Choice{{Label: "Đã nhận", Data: "ack:5"}, {Label: "Xem sau", Data: "ack:later"}}})
	}})
	e.core.AddCommand(bot.Command{Name: "dai", Run: func(ctx context.Context, r *bot.Request) error {
		var b strings.Builder
		for i := 0; i < 300; i++ {
			fmt.Fprintf(&b, "Dòng số %d của một tin nhắn rất dài\n", i)
		}
		return r.Reply(ctx, plan.Message{Text: b.String()})
	}})
	ask := e.do(&bot.Event{UserID: "100", Text: "/hoi"})
	if len(ask) != 1 || len(ask[0].Choices) != 0 {
		t.Fatalf("ask = %+v", ask)
	}
	wantContains(t, ask[0].Text, "Trả lời <b>1</b> để đã nhận", "Trả lời <b>2</b> để xem sau")
	wantContains(t, e.say("100", "2"), "đã nhận")
	if len(pressed) != 1 || pressed[0] != "ack:later" {
		t.Errorf("pressed = %v", pressed)
	}
	// The number is used once: "2" again is a (wrong) progress reply.
	wantContains(t, e.say("100", "2"), "Chưa hiểu số liệu")

	long := e.do(&bot.Event{UserID: "100", Text: "/dai"})
	if len(long) < 5 {
		t.Fatalf("long text split into %d parts", len(long))
	}
	total := 0
	for _, m := range long {
		if n := len([]rune(m.Text)); n > 2000 {
			t.Errorf("part of %d characters > 2000", n)
		}
		if !strings.HasPrefix(m.Text, "Dòng số") {
			t.Errorf("part does not start on a line boundary: %.30q", m.Text)
		}
		total += strings.Count(m.Text, "Dòng số")
	}
	if total != 300 {
		t.Errorf("lines across parts = %d, want 300", total)
	}
}

func TestCallbackWithButtons(t *testing.T) {
	e := newEnv(t, telegramCaps)
	e.register("100", "Công", "Công an phường", plan.RoleOfficer)
	e.core.AddCallback("sec:", []plan.Role{plan.RoleSecretariat}, func(ctx context.Context, r *bot.Request) error {
		return r.Reply(ctx, plan.Message{Text: "ok"})
	})
	ms := e.do(&bot.Event{UserID: "100", Callback: &bot.Callback{ID: "c1", Data: "sec:1"}})
	wantContains(t, ms[0].Text, "không có quyền")
	ms = e.do(&bot.Event{UserID: "100", Callback: &bot.Callback{ID: "c2", Data: "gone:1"}})
	wantContains(t, ms[0].Text, "không còn dùng được")
}

func TestCommandsAndRegistration(t *testing.T) {
	e := newEnv(t, telegramCaps)
	names := map[string]bool{}
	for _, c := range e.core.Commands() {
		names[c.Name] = true
		if c.Description == "" || c.DescriptionEN == "" {
			t.Errorf("command %s lacks a description", c.Name)
		}
	}
	for _, n := range []string{"start", "huongdan", "nhiemvu", "xem", "baocao", "donvi", "moi"} {
		if !names[n] {
			t.Errorf("Commands() lacks /%s", n)
		}
	}
	for _, bad := range []bot.Command{
		{Name: "nhiemvu", Run: func(context.Context, *bot.Request) error { return nil }},
		{Name: "x", Aliases: []string{"help"}, Run: func(context.Context, *bot.Request) error { return nil }},
		{Name: "Bad-Name", Run: func(context.Context, *bot.Request) error { return nil }},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("AddCommand(%q) did not panic", bad.Name)
				}
			}()
			e.core.AddCommand(bad)
		}()
	}
	// Commands for another bot in a group are not ours.
	if ms := e.do(&bot.Event{UserID: "9", ChatID: "-5", Text: "/nhiemvu@otherbot"}); len(ms) != 0 {
		t.Errorf("answered a command for another bot: %+v", ms)
	}
}

func TestSplitText(t *testing.T) {
	tests := []struct {
		text string
		max  int
		want []string
	}{
		{"short", 10, []string{"short"}},
		{"aaa\nbbb\nccc", 7, []string{"aaa\nbbb", "ccc"}},
		{"một hai ba bốn", 8, []string{"một hai ", "ba bốn"}},
		{"xxxxxxxxxx", 4, []string{"xxxx", "xxxx", "xx"}},
	}
	for _, tt := range tests {
		got := bot.SplitText(tt.text, tt.max)
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("SplitText(%q, %d) = %q, want %q", tt.text, tt.max, got, tt.want)
		}
	}
}

func TestInviteCodeAndLink(t *testing.T) {
	valid := regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)
	seen := map[string]bool{}
	for i := 0; i < 50; i++ {
		c, err := bot.NewInviteCode()
		if err != nil || !valid.MatchString(c) || seen[c] {
			t.Fatalf("NewInviteCode = %q, %v", c, err)
		}
		seen[c] = true
	}
	if got := bot.InviteLink("@planbot", "abc_-1"); got != "https://t.me/planbot?start=abc_-1" {
		t.Errorf("InviteLink = %q", got)
	}
}

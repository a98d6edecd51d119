package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chanhlo/planbot/bot"
	"github.com/chanhlo/planbot/bot/telegram/telegramtest"
	"github.com/chanhlo/planbot/bot/zalo/zalotest"
	"github.com/chanhlo/planbot/configs"
	"github.com/chanhlo/planbot/importer"
	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/storage"
)

// fakeBot is a fake Bot API server of one token (telegramtest's,
// zalotest's).
type fakeBot interface {
	URL() string
	Token() string
}

// botAPIs is one Bot API address in front of several fake bots, each
// answering its own token's requests, as api.telegram.org (and Zalo's)
// does.
func botAPIs[B fakeBot](t *testing.T, bots ...B) string {
	t.Helper()
	proxy := map[string]*httputil.ReverseProxy{}
	for _, b := range bots {
		u, err := url.Parse(b.URL())
		if err != nil {
			t.Fatal(err)
		}
		p := httputil.NewSingleHostReverseProxy(u)
		p.ErrorLog = log.New(io.Discard, "", 0) // long polls cut at shutdown
		proxy[b.Token()] = p
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path := strings.TrimPrefix(strings.TrimPrefix(r.URL.Path, "/file"), "/bot")
		token, _, _ := strings.Cut(path, "/")
		if p := proxy[token]; p != nil {
			p.ServeHTTP(w, r)
			return
		}
		http.Error(w, `{"ok":false,"error_code":401,"description":"Unauthorized"}`, http.StatusUnauthorized)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// awaitSent waits, on the fake's notifications, until a message to chat
// matches and returns it; it fails the test after 15 s, naming what.
func awaitSent(t *testing.T, srv *telegramtest.Server, chat int64, what string, match func(telegramtest.SentMessage) bool, logs fmt.Stringer) telegramtest.SentMessage {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	for {
		all := srv.AllSent()
		for _, m := range all {
			if m.ChatID == chat && match(m) {
				return m
			}
		}
		if err := srv.WaitSent(ctx, len(all)+1); err != nil {
			var got []string
			for _, m := range srv.Sent(chat) {
				got = append(got, m.Text)
			}
			t.Fatalf("no %s to chat %d of @%s: %v\nsent:\n%s\nlogs:\n%s", what, chat, srv.Username(), err, strings.Join(got, "\n---\n"), logs)
		}
	}
}

// startWards runs planbot serve's Main on cfg, with env as its
// environment (the wards' bot tokens) and clock (nil: the system's),
// closed at the end of the test.
func startWards(t *testing.T, cfg configs.Config, env map[string]string, clock plan.Clock) (*Main, *syncBuffer) {
	t.Helper()
	logs := &syncBuffer{}
	m, err := NewMain(cfg, slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	if err != nil {
		t.Fatal(err)
	}
	m.Getenv = func(k string) string { return env[k] }
	if clock != nil {
		m.Clock = clock
	}
	if err := m.Run(context.Background()); err != nil {
		t.Fatalf("Run: %v\nlogs:\n%s", err, logs)
	}
	t.Cleanup(func() { m.Close() })
	return m, logs
}

// wardsDB opens the database at path holding the given wards (an ID of
// plan.DefaultOrg renames ward 1, others are added), each with the sample
// plan, and returns it with the plan.
func wardsDB(t *testing.T, path string, wards ...*plan.Organisation) (*storage.DB, *plan.Plan) {
	t.Helper()
	ctx := context.Background()
	db, err := storage.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	p, err := importer.Parse(bytes.NewReader(configs.SamplePlan), configs.SamplePlanName)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range wards {
		store := db.CreateOrganisation
		if o.ID == plan.DefaultOrg {
			store = db.UpdateOrganisation
		}
		if err := store(ctx, o); err != nil {
			t.Fatal(err)
		}
		p.OrgID, p.ID = o.ID, 0
		if _, err := db.SavePlan(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	return db, p
}

// Three wards in one planbot serve: Chánh Lộ on the deployment's shared
// bot, Nghĩa Lộ and Quảng Phú each on its own. The same person (chat
// 502) is Công an's officer in both Nghĩa Lộ and Quảng Phú, through each
// ward's bot. On report day every ward's officers get their ward's
// requests from their ward's bot, their figures land in their ward only,
// and each chairman's monthly summary holds their ward's figures only.
func TestServeThreeWards(t *testing.T) {
	ctx := context.Background()
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	cfg := configs.Default()
	cfg.DB = filepath.Join(t.TempDir(), "planbot.db")
	shared := telegramtest.New(t, telegramtest.WithUsername("phuong_bot"))
	nghia := telegramtest.New(t, telegramtest.WithUsername("nghialo_bot"), telegramtest.WithToken("222222:AAH-nghia-lo_token"))
	quang := telegramtest.New(t, telegramtest.WithUsername("quangphu_bot"), telegramtest.WithToken("333333:AAH-quang-phu_token"))
	cfg.Telegram.API, cfg.Telegram.Token = botAPIs(t, shared, nghia, quang), shared.Token()
	cfg.Telegram.PollTimeout = time.Second
	env := map[string]string{
		"PLANBOT_TELEGRAM_TOKEN_NGHIA_LO":  nghia.Token(),
		"PLANBOT_TELEGRAM_TOKEN_QUANG_PHU": quang.Token(),
	}

	wards := []*plan.Organisation{{ID: plan.DefaultOrg, Name: "UBND phường Chánh Lộ", Short: "chanh-lo"},
		{Name: "UBND phường Nghĩa Lộ", Short: "nghia-lo"}, {Name: "UBND phường Quảng Phú", Short: "quang-phu"}}
	db, p := wardsDB(t, cfg.DB, wards...)
	const unit = "Công an phường"
	code := plan.UnitTaskCodes(p, unit)[0]
	invite := func(o *plan.Organisation, unit string, role plan.Role) string {
		t.Helper()
		inv, err := bot.CreateInvite(ctx, db.OfficerStore(), db, bot.InviteSpec{OrgID: o.ID, Unit: unit, Role: role}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		return inv.Code
	}
	type person struct {
		ward *plan.Organisation
		bot  *telegramtest.Server
		chat int64
		code string
	}
	officers := []person{{wards[0], shared, 501, ""}, {wards[1], nghia, 502, ""}, {wards[2], quang, 502, ""}}
	chairs := []person{{wards[0], shared, 601, ""}, {wards[1], nghia, 602, ""}, {wards[2], quang, 603, ""}}
	for i := range officers {
		officers[i].code = invite(officers[i].ward, unit, plan.RoleOfficer)
		chairs[i].code = invite(chairs[i].ward, "", plan.RoleChairman)
	}
	// The level above, on the shared bot.
	province := &plan.Organisation{Name: "Công an tỉnh Quảng Ngãi", Short: "tinh", Kind: plan.OrgProvince}
	if err := db.CreateOrganisation(ctx, province); err != nil {
		t.Fatal(err)
	}
	provinceCode := invite(province, "", plan.RoleProvince)
	// A code of Nghĩa Lộ, tried on Quảng Phú's bot.
	stray := invite(wards[1], "Trạm y tế", plan.RoleOfficer)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	clock := newShiftedClock(time.Date(2023, 5, 17, 15, 0, 0, 0, loc))
	m, logs := startWards(t, cfg, env, clock)
	if len(m.Wards) != 4 {
		t.Fatalf("serving %d organisations, want 3 wards and the province", len(m.Wards))
	}
	// Each ward's invites name its own bot; the province's the shared one.
	for i, want := range []string{"phuong_bot", "nghialo_bot", "quangphu_bot", "phuong_bot"} {
		if got := m.Wards[i].Core.Deps().BotUsername; got != want {
			t.Errorf("%s's invites name @%s, want @%s", m.Wards[i].Org.Name, got, want)
		}
	}
	await := func(srv *telegramtest.Server, chat int64, want string) telegramtest.SentMessage {
		t.Helper()
		return awaitSent(t, srv, chat, fmt.Sprintf("message with %q", want), func(m telegramtest.SentMessage) bool {
			return strings.Contains(m.Text+m.Caption, want)
		}, logs)
	}
	awaitDoc := func(srv *telegramtest.Server, chat int64, prefix string) {
		t.Helper()
		awaitSent(t, srv, chat, prefix+"… workbook", func(m telegramtest.SentMessage) bool {
			return m.Document != nil && strings.HasPrefix(m.Document.Name, prefix) && strings.HasSuffix(m.Document.Name, ".xlsx")
		}, logs)
	}
	for _, p := range append(officers, chairs...) {
		p.bot.PushText(p.chat, p.chat, "/start "+p.code)
		await(p.bot, p.chat, "Đồng chí đã được ghi nhận")
	}
	shared.PushText(901, 901, "/start "+provinceCode)
	await(shared, 901, "Đồng chí đã được ghi nhận")
	quang.PushText(777, 777, "/start "+stray)
	await(quang, 777, "Mã mời không đúng")

	// Report day, 08:00: each ward's tick asks its units for May.
	clock.mu.Lock()
	clock.offset += 17 * time.Hour
	clock.mu.Unlock()
	for _, w := range m.Wards {
		if err := w.Scheduler.Tick(ctx, clock.Now()); err != nil {
			t.Fatalf("tick of %s: %v", w.Org.Name, err)
		}
	}
	for _, p := range officers {
		await(p.bot, p.chat, "Đề nghị báo cáo")
	}
	if n := len(shared.Sent(502)); n != 0 {
		t.Errorf("the shared bot wrote %d messages to chat 502, who is registered only through the wards' own bots", n)
	}
	// Each answers its own bot with its ward's figure.
	figures := []int{80, 60, 40}
	for i, p := range officers {
		p.bot.PushText(p.chat, p.chat, fmt.Sprintf("%s %d%%", code, figures[i]))
		await(p.bot, p.chat, "Đã ghi nhận")
	}
	db = m.DB
	for i, o := range wards {
		got, err := db.ListProgress(ctx, plan.ProgressFilter{OrgID: o.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].TaskCode != code || got[0].Percent != float64(figures[i]) {
			t.Errorf("%s holds %+v, want one report of %s %d%%", o.Name, got, code, figures[i])
		}
	}

	// The monthly summary: each chairman hears of their ward.
	for _, w := range m.Wards[:3] {
		if _, err := w.Periodic.Send(ctx, plan.Month(2023, 5), clock.Now()); err != nil {
			t.Fatalf("summary of %s: %v", w.Org.Name, err)
		}
	}
	// The attached workbook and the text are made from the ward's
	// summary: each ward's holds its own figure, never another's.
	for i, c := range chairs {
		await(c.bot, c.chat, "Tổng hợp thực hiện")
		sum, err := m.Wards[i].Source.Summary(ctx, plan.Month(2023, 5), plan.Date{})
		if err != nil {
			t.Fatal(err)
		}
		var latest *plan.Progress
		for _, row := range sum.Tasks {
			if row.Task.Code == code {
				latest = row.Latest
			}
		}
		if latest == nil || latest.Percent != float64(figures[i]) || latest.OrgID != wards[i].ID {
			t.Errorf("%s's summary of %s: latest %+v, want its own %d%%", wards[i].Name, code, latest, figures[i])
		}
		awaitDoc(c.bot, c.chat, "")
	}

	// The province asks for the roll-up: every ward, with the workbook.
	shared.PushText(901, 901, "/tonghop 5/2023")
	rollUp := await(shared, 901, "Chánh Lộ")
	for _, o := range wards {
		if !strings.Contains(rollUp.Text, strings.TrimPrefix(o.Name, "UBND ")) {
			t.Errorf("the roll-up does not name %s:\n%s", o.Name, rollUp.Text)
		}
	}
	if strings.Contains(rollUp.Text, "Công an tỉnh") {
		t.Errorf("the roll-up counts the province among the wards:\n%s", rollUp.Text)
	}
	awaitDoc(shared, 901, "tong-hop-tinh")
	// A ward's secretary or chairman has no province roll-up, and the
	// province's officer no ward plan.
	shared.PushText(901, 901, "/nhiemvu")
	await(shared, 901, "không")
	// The month's roll-up goes to the province by itself, once.
	prov := m.ward(province.ID)
	if prov == nil || prov.Province == nil {
		t.Fatal("the province is not served")
	}
	before := len(shared.Sent(901))
	n, err := prov.Province.Send(ctx, plan.Month(2023, 5), plan.Date{}, clock.Now())
	if err != nil || n == 0 {
		t.Fatalf("province roll-up: %d items, %v", n, err)
	}
	if again, err := prov.Province.Send(ctx, plan.Month(2023, 5), plan.Date{}, clock.Now()); err != nil || again != 0 {
		t.Errorf("the roll-up was queued again: %d items, %v", again, err)
	}
	wctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	for len(shared.Sent(901)) < before+n {
		if err := shared.WaitSent(wctx, len(shared.AllSent())+1); err != nil {
			t.Fatalf("the monthly roll-up did not arrive: %v", err)
		}
	}

	// The province announces to every ward; each chairman hears it from
	// their ward's bot and acknowledges; the province sees the receipts.
	shared.PushText(901, 901, "/thongbao tất cả: Họp giao ban Đề án 06 trực tuyến lúc 14h thứ Sáu")
	await(shared, 901, "Đã gửi thông báo tới 3 cán bộ")
	ann := await(shared, 601, "Họp giao ban Đề án 06")
	await(nghia, 602, "Họp giao ban Đề án 06")
	await(quang, 603, "Họp giao ban Đề án 06")
	if len(ann.Buttons) == 0 || len(ann.Buttons[0]) == 0 {
		t.Fatalf("the announcement has no button: %+v", ann)
	}
	shared.PushCallback(601, 601, ann.Buttons[0][0].Data, ann.MessageID)
	await(shared, 601, "Đã ghi nhận")
	nghiaAnn := await(nghia, 602, "Họp giao ban Đề án 06")
	nghia.PushCallback(602, 602, nghiaAnn.Buttons[0][0].Data, nghiaAnn.MessageID)
	await(nghia, 602, "Đã ghi nhận")
	// Named as people say them: two wards, not the third.
	shared.PushText(901, 901, "/thongbao Nghĩa Lộ, quang-phu: Nộp báo cáo quý trước ngày 25")
	await(shared, 901, "Đã gửi thông báo tới 2 cán bộ của UBND phường Nghĩa Lộ, UBND phường Quảng Phú")
	await(nghia, 602, "Nộp báo cáo quý")
	await(quang, 603, "Nộp báo cáo quý")
	shared.PushText(901, 901, "/thongbao Phường Lộ: họp")
	await(shared, 901, "Không nhận ra xã, phường")
	shared.PushText(901, 901, "/tinhhinh")
	status := await(shared, 901, "trên 3 cán bộ đã nhận")
	if !strings.Contains(status.Text, "2 trên 3") || !strings.Contains(status.Text, "Quảng Phú") {
		t.Errorf("receipts = %q, want 2 of 3 with Quảng Phú not yet", status.Text)
	}
}

// With webhooks (several replicas), a ward's own bot takes its updates on
// a path of planbot's HTTP server, behind the same public address as the
// download links: Telegram is told that address, and an update posted
// there reaches the ward's core.
func TestServeWardBotWebhook(t *testing.T) {
	ctx := context.Background()
	cfg := configs.Default()
	cfg.DB = filepath.Join(t.TempDir(), "planbot.db")
	shared := telegramtest.New(t, telegramtest.WithUsername("phuong_bot"))
	nghia := telegramtest.New(t, telegramtest.WithUsername("nghialo_bot"), telegramtest.WithToken("222222:AAH-nghia-lo_token"))
	cfg.Telegram.API, cfg.Telegram.Token = botAPIs(t, shared, nghia), shared.Token()
	cfg.Telegram.Mode, cfg.Telegram.Webhook.URL, cfg.Telegram.Webhook.Secret = "webhook", "https://bot.example.vn/telegram", "s3cret-token_1"
	cfg.Telegram.Webhook.Listen = "127.0.0.1:0"
	cfg.HTTP.Listen, cfg.HTTP.PublicURL, cfg.HTTP.SigningKey = "127.0.0.1:0", "https://bot.example.vn", "0123456789abcdef0123456789abcdef"
	ward := &plan.Organisation{Name: "UBND phường Nghĩa Lộ", Short: "nghia-lo"}
	db, _ := wardsDB(t, cfg.DB, ward)
	inv, err := bot.CreateInvite(ctx, db.OfficerStore(), db, bot.InviteSpec{OrgID: ward.ID, Unit: "Công an phường", Role: plan.RoleOfficer}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	m, logs := startWards(t, cfg, map[string]string{WardTokenEnv("nghia-lo"): nghia.Token()}, nil)
	wctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := nghia.WaitCalls(wctx, "setWebhook", 1); err != nil {
		t.Fatalf("the ward's bot set no webhook: %v\nlogs:\n%s", err, logs)
	}
	if u, secret := nghia.Webhook(); u != "https://bot.example.vn/telegram/nghia-lo" || secret != cfg.Telegram.Webhook.Secret {
		t.Errorf("the ward's webhook = %q (secret %q), want planbot's public address /telegram/nghia-lo", u, secret)
	}
	update := fmt.Sprintf(`{"update_id":77,"message":{"message_id":5,"date":1684371600,"chat":{"id":502,"type":"private"},"from":{"id":502,"first_name":"Cán bộ"},"text":"/start %s"}}`, inv.Code)
	post := func(secret string) int {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, "http://"+m.HTTP.Addr()+"/telegram/nghia-lo", strings.NewReader(update))
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := post("wrong"); code != http.StatusUnauthorized {
		t.Errorf("an update with a wrong secret got %d, want 401", code)
	}
	if code := post(cfg.Telegram.Webhook.Secret); code != http.StatusOK {
		t.Fatalf("the update got %d\nlogs:\n%s", code, logs)
	}
	awaitSent(t, nghia, 502, "welcome from the ward's bot", func(m telegramtest.SentMessage) bool {
		return strings.Contains(m.Text, "Đồng chí đã được ghi nhận")
	}, logs)
	if n := len(shared.Sent(502)); n != 0 {
		t.Errorf("the shared bot wrote %d messages for the ward's bot", n)
	}
}

// A ward with a Zalo bot of its own: its people register there with its
// typed code and report there; the deployment's Zalo bot never hears of
// them, and the figures are the ward's.
func TestServeWardZaloBot(t *testing.T) {
	ctx := context.Background()
	cfg := configs.Default()
	cfg.DB = filepath.Join(t.TempDir(), "planbot.db")
	shared := zalotest.New(t, "111111:zalo-shared", zalotest.WithAccountName("Bot các phường"))
	own := zalotest.New(t, "333333:zalo-quang-phu", zalotest.WithAccountName("Bot UBND phường Quảng Phú"))
	cfg.Zalo.API, cfg.Zalo.Token, cfg.Zalo.PollTimeout = botAPIs(t, shared, own), shared.Token(), time.Second
	cfg.Telegram.Token = ""
	ward := &plan.Organisation{Name: "UBND phường Quảng Phú", Short: "quang-phu"}
	db, _ := wardsDB(t, cfg.DB, &plan.Organisation{ID: plan.DefaultOrg, Name: "UBND phường Chánh Lộ"}, ward)
	inv, err := bot.CreateInvite(ctx, db.OfficerStore(), db, bot.InviteSpec{OrgID: ward.ID, Unit: "Công an phường", Role: plan.RoleOfficer, Messenger: "zalo"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	m, logs := startWards(t, cfg, map[string]string{WardZaloTokenEnv("quang-phu"): own.Token()}, nil)
	say := func(text, want string) {
		t.Helper()
		n := len(own.Sent())
		own.Push(own.Text("u502", "Cán bộ Quảng Phú", text))
		for _, s := range own.WaitSent(t, n+1, 15*time.Second)[n:] {
			if strings.Contains(s.Text, want) {
				return
			}
		}
		t.Fatalf("%q: no answer with %q from the ward's Zalo bot\nsent: %+v\nlogs:\n%s", text, want, own.Sent()[n:], logs)
	}
	say("DK "+bot.FormatShortCode(inv.Code), "Đồng chí đã được ghi nhận")
	say("1.a 55%", "55%")
	if n := len(shared.Sent()); n != 0 {
		t.Errorf("the deployment's Zalo bot sent %d messages for the ward's", n)
	}
	got, err := m.DB.ListProgress(ctx, plan.ProgressFilter{OrgID: ward.ID})
	if err != nil || len(got) != 1 || got[0].Percent != 55 {
		t.Errorf("the ward holds %+v, %v; want its one report of 55%%", got, err)
	}
	if other, _ := m.DB.ListProgress(ctx, plan.ProgressFilter{OrgID: plan.DefaultOrg}); len(other) != 0 {
		t.Errorf("ward 1 holds %d reports, want none", len(other))
	}
}

// When every ward has a bot of its own, the province alone is on the
// deployment's bot: its people register and are served there.
func TestServeProvinceAloneOnSharedBot(t *testing.T) {
	ctx := context.Background()
	cfg := configs.Default()
	cfg.DB = filepath.Join(t.TempDir(), "planbot.db")
	shared := telegramtest.New(t, telegramtest.WithUsername("tinh_bot"))
	ward := telegramtest.New(t, telegramtest.WithUsername("chanhlo_bot"), telegramtest.WithToken("444444:AAH-chanh-lo_token"))
	cfg.Telegram.API, cfg.Telegram.Token, cfg.Telegram.PollTimeout = botAPIs(t, shared, ward), shared.Token(), time.Second
	db, _ := wardsDB(t, cfg.DB, &plan.Organisation{ID: plan.DefaultOrg, Name: "UBND phường Chánh Lộ", Short: "chanh-lo"})
	province := &plan.Organisation{Name: "Công an tỉnh Quảng Ngãi", Short: "tinh", Kind: plan.OrgProvince}
	if err := db.CreateOrganisation(ctx, province); err != nil {
		t.Fatal(err)
	}
	inv, err := bot.CreateInvite(ctx, db.OfficerStore(), db, bot.InviteSpec{OrgID: province.ID, Role: plan.RoleProvince}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, logs := startWards(t, cfg, map[string]string{WardTokenEnv("chanh-lo"): ward.Token()}, nil)
	shared.PushText(901, 901, "/start "+inv.Code)
	welcome := awaitSent(t, shared, 901, "the province's welcome", func(m telegramtest.SentMessage) bool {
		return strings.Contains(m.Text, "Đồng chí đã được ghi nhận")
	}, logs)
	if !strings.Contains(welcome.Text, "/tonghop") || strings.Contains(welcome.Text, "/nhiemvu") {
		t.Errorf("the province's welcome points to the wards' commands: %q", welcome.Text)
	}
	shared.PushText(901, 901, "/tonghop 5/2023")
	awaitSent(t, shared, 901, "the roll-up", func(m telegramtest.SentMessage) bool {
		return strings.Contains(m.Text+m.Caption, "Chánh Lộ")
	}, logs)
}

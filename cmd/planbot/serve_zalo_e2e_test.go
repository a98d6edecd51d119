package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/chanhlo/planbot/bot/zalo/zalotest"
	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/storage"
)

// zaloFixture is serveFixture with a fake Zalo Bot API instead of (or
// beside) Telegram.
type zaloFixture struct {
	*serveFixture
	zl *zalotest.Server
}

const zaloPublicURL = "http://planbot.test"

func newZaloFixture(t *testing.T, at time.Time, withTelegram bool) *zaloFixture {
	t.Helper()
	f := newServeFixture(t, at)
	zl := zalotest.New(t, "123456789:zalo-test-token", zalotest.WithAccountName("Bot UBND phường Chánh Lộ"))
	f.cfg.Zalo.API, f.cfg.Zalo.Token = zl.URL(), zl.Token()
	f.cfg.Zalo.PollTimeout = time.Second
	f.cfg.HTTP.PublicURL = zaloPublicURL
	if !withTelegram {
		f.cfg.Telegram.Token = ""
	}
	return &zaloFixture{serveFixture: f, zl: zl}
}

// typedInvite makes a Zalo code with the CLI and returns what the person
// types ("DK 7KQ2-M9XP").
func (f *zaloFixture) typedInvite(unit, role string) string {
	f.t.Helper()
	args := []string{"--db", f.cfg.DB, "invite", "--role", role, "--messenger", "zalo", "--json"}
	if unit != "" {
		args = append(args, "--unit", unit)
	}
	code, out, errOut := runCLI(f.t, nil, args...)
	if code != 0 {
		f.t.Fatalf("invite: exit %d: %s", code, errOut)
	}
	var inv inviteJSON
	if err := json.Unmarshal([]byte(out), &inv); err != nil || !strings.HasPrefix(inv.Type, "DK ") || inv.Messenger != "zalo" {
		f.t.Fatalf("invite --messenger zalo printed %s (%v)", out, err)
	}
	return inv.Type
}

// say pushes text from a Zalo user and waits for a message to that chat
// containing want.
func (f *zaloFixture) say(user, text, want string) string {
	f.t.Helper()
	n := len(f.zl.Sent())
	f.zl.Push(f.zl.Text(user, "Cán bộ "+user, text))
	return f.zaloAwait(user, want, n)
}

// zaloAwait waits until a message containing want reaches chat, among
// those sent after the first n.
func (f *zaloFixture) zaloAwait(chat, want string, n int) string {
	f.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	for {
		all := f.zl.Sent()
		for _, m := range all[min(n, len(all)):] {
			if m.ChatID == chat && strings.Contains(m.Text, want) {
				return m.Text
			}
		}
		if err := f.zl.WaitSentContext(ctx, len(all)+1); err != nil {
			var got []string
			for _, m := range all {
				if m.ChatID == chat {
					got = append(got, m.Text)
				}
			}
			f.t.Fatalf("no Zalo message with %q to %s\nsent to it:\n%s", want, chat, strings.Join(got, "\n---\n"))
		}
	}
}

// awaitRecorded waits until the request delivered to chat is recorded
// as sent: Zalo shows a message a moment before the dispatcher records
// it, and a person answers seconds later, not microseconds.
func (f *zaloFixture) awaitRecorded(m *Main, chat string) {
	f.t.Helper()
	for range 500 {
		_, err := m.DB.LatestNumbered(context.Background(), plan.Address{Transport: "zalo", ChatID: chat}, time.Time{})
		if err == nil {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	f.t.Fatal("the request was not recorded as sent")
}

var (
	htmlTag    = regexp.MustCompile(`</?[a-zA-Z][^>]*>`)
	htmlEntity = regexp.MustCompile(`&(#[0-9]+|#x[0-9a-fA-F]+|[a-zA-Z]+);`)
	linkRe     = regexp.MustCompile(regexp.QuoteMeta(zaloPublicURL) + `(/tai/\S+)`)
)

// checkZaloTexts: nothing the bot sent on Zalo holds HTML or is longer
// than Zalo's 2,000 characters (UTF-16 code units).
func (f *zaloFixture) checkZaloTexts() int {
	f.t.Helper()
	sent := f.zl.Sent()
	for _, m := range sent {
		if htmlTag.MatchString(m.Text) || htmlEntity.MatchString(m.Text) {
			f.t.Errorf("HTML in a Zalo message:\n%s", m.Text)
		}
		if n := len(utf16.Encode([]rune(m.Text))); n > 2000 || n == 0 {
			f.t.Errorf("Zalo message of %d UTF-16 units", n)
		}
	}
	return len(sent)
}

// The whole chain on Zalo, through planbot serve with only a Zalo token:
// a typed code registers; /nhiemvu; the monthly report request answered
// by numbers in one message, then a bare figure asked back by number; an
// announcement acknowledged with "1"; the chairman's summary with its
// .xlsx as a signed link fetched over HTTP.
func TestServeZaloConversation(t *testing.T) {
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	f := newZaloFixture(t, time.Date(2023, 4, 18, 7, 59, 0, 0, loc), false)
	officerCode := f.typedInvite("cong an", "officer")
	secretaryCode := f.typedInvite("", "secretariat")
	chairCode := f.typedInvite("", "chairman")
	m := f.start()
	if m.HTTP == nil || m.HTTP.Addr() == "" {
		t.Fatal("no HTTP server")
	}

	const officer, secretary, chair = "a1b2c3d4e5f6a7b8c9d0", "0f1e2d3c4b5a69788796", "ffeeddccbbaa99887766"
	f.say(officer, "xin chào", "DK 7KQ2-M9XP")
	f.say(officer, strings.ToLower(officerCode), "Đồng chí đã được ghi nhận")
	f.say(secretary, secretaryCode, "Đồng chí đã được ghi nhận")
	f.say(chair, chairCode, "Đồng chí đã được ghi nhận")
	f.say(officer, "/nhiemvu", "1.c")

	// 18/4/2023 08:00: the monthly report request, numbered.
	f.clock.mu.Lock()
	f.clock.offset += time.Minute
	f.clock.mu.Unlock()
	n := len(f.zl.Sent())
	if err := f.mainTick(); err != nil {
		t.Fatal(err)
	}
	request := f.zaloAwait(officer, "Đề nghị báo cáo", n)
	if !strings.Contains(request, "1.") || strings.Contains(request, "<b>") {
		t.Errorf("request on Zalo:\n%s", request)
	}
	f.awaitRecorded(m, officer)
	got := f.say(officer, "1. 80%\n2. xong\n3. vướng: chưa có kinh phí", "Đã ghi nhận")
	if !strings.Contains(got, "80%") || !strings.Contains(got, "hoàn thành") {
		t.Errorf("several tasks in one message:\n%s", got)
	}
	f.say(officer, "60%", "gõ số thứ tự")
	f.say(officer, "4. 60%", "60%")

	// An announcement, acknowledged by "1" where there are no buttons.
	f.say(secretary, "/thongbao all Họp giao ban Đề án 06 lúc 14h thứ Sáu", "Đã gửi")
	f.zaloAwait(officer, "Họp giao ban", 0)
	f.say(officer, "1", "Đã ghi nhận")
	f.say(secretary, "/tinhhinh", "1 trên 2 cán bộ đã nhận")

	// The chairman's summary: text on Zalo, the workbook behind a link.
	summary := f.say(chair, "/tonghop 2023-04", "Tải tệp tong-hop")
	draft := f.zaloAwait(chair, "Tải tệp bao-cao-2023-04.docx", 0)
	if f.zl.Calls("sendChatAction") == 0 {
		t.Error("no typing while the summary was built")
	}
	link := linkRe.FindStringSubmatch(summary)
	if link == nil {
		t.Fatalf("no download link in:\n%s", summary)
	}
	res, err := http.Get("http://" + m.HTTP.Addr() + link[1])
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.HasPrefix(string(body), "PK") || !strings.Contains(res.Header.Get("Content-Disposition"), ".xlsx") {
		t.Fatalf("download: %d %q, %d bytes", res.StatusCode, res.Header.Get("Content-Disposition"), len(body))
	}
	word := linkRe.FindStringSubmatch(draft)
	if word == nil {
		t.Fatalf("no link to the báo cáo in:\n%s", draft)
	}
	res, err = http.Get("http://" + m.HTTP.Addr() + word[1])
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.HasPrefix(string(body), "PK") || !strings.Contains(res.Header.Get("Content-Disposition"), ".docx") {
		t.Fatalf("báo cáo download: %d %q", res.StatusCode, res.Header.Get("Content-Disposition"))
	}
	tampered, err := http.Get("http://" + m.HTTP.Addr() + strings.Replace(link[1], "e=", "e=1", 1))
	if err != nil {
		t.Fatal(err)
	}
	tampered.Body.Close()
	if tampered.StatusCode != http.StatusForbidden {
		t.Errorf("tampered link: %d", tampered.StatusCode)
	}

	// A sticker gets a kind word, not silence.
	n = len(f.zl.Sent())
	f.zl.Push(f.zl.Sticker(officer, "Cán bộ"))
	f.zaloAwait(officer, "chỉ đọc được tin nhắn chữ", n)

	if sent := f.checkZaloTexts(); sent < 15 {
		t.Errorf("only %d messages on Zalo", sent)
	}
	// Close finishes the updates in flight, so every send is counted.
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := storage.Open(context.Background(), f.cfg.DB)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var count int64
	if c, err := db.SentCount(context.Background(), "zalo", f.zl.BotID(), "2023-04"); err != nil || c == 0 {
		t.Errorf("quota count %d, %v", c, err)
	} else {
		count = c
	}
	if int(count) != len(f.zl.Sent()) {
		t.Errorf("counted %d messages, Zalo accepted %d", count, len(f.zl.Sent()))
	}
}

// Webhook mode, as in production: serve sets the webhook to
// {public_url}/zalo/webhook on its own HTTP server; Zalo's posts (wrapped
// and flat) are handled once even when repeated; a wrong secret is
// refused.
func TestServeZaloWebhook(t *testing.T) {
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	f := newZaloFixture(t, time.Date(2023, 5, 3, 9, 0, 0, 0, loc), false)
	f.cfg.HTTP.PublicURL = "https://planbot.test"
	f.cfg.Zalo.Mode = "webhook"
	f.cfg.Zalo.WebhookSecret = "zalo-webhook-s3cret"
	code := f.typedInvite("tram y te", "officer")
	m := f.start()
	f.zl.WaitCalls(t, "setWebhook", 1, 5*time.Second)
	url, secret := f.zl.Webhook()
	if url != "https://planbot.test/zalo/webhook" || secret != "zalo-webhook-s3cret" {
		t.Fatalf("webhook set to %q (secret %q)", url, secret)
	}
	local := "http://" + m.HTTP.Addr() + "/zalo/webhook"
	const officer = "00112233445566778899"

	if res := f.zl.PostWebhook(t, local, "wrong-secret", f.zl.Text(officer, "X", "/nhiemvu"), true); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("wrong secret: %d", res.StatusCode)
	}
	n := len(f.zl.Sent())
	if res := f.zl.PostWebhook(t, local, secret, f.zl.Text(officer, "Y tế", code), false); res.StatusCode != 200 {
		t.Fatalf("flat push: %d", res.StatusCode)
	}
	f.zaloAwait(officer, "Đồng chí đã được ghi nhận", n)
	report := f.zl.Text(officer, "Y tế", "5.a 40%")
	for range 2 { // Zalo retries: the second push is the same message
		if res := f.zl.PostWebhook(t, local, secret, report, true); res.StatusCode != 200 {
			t.Fatalf("wrapped push: %d", res.StatusCode)
		}
	}
	f.zaloAwait(officer, "40%", n)
	recorded := 0
	for _, s := range f.zl.Sent() {
		if s.ChatID == officer && strings.Contains(s.Text, "Đã ghi nhận") {
			recorded++
		}
	}
	if recorded != 1 {
		t.Errorf("the repeated push was answered %d times", recorded)
	}
	if f.zl.Calls("getUpdates") != 0 {
		t.Error("polled while the webhook is set")
	}
	if f.zl.Calls("deleteWebhook") != 0 {
		t.Error("the webhook was deleted")
	}
	f.checkZaloTexts()
}

// Telegram and Zalo side by side in one serve: an officer registered on
// Telegram adds Zalo with /kenh, is one officer of one unit, is heard on
// both, and gets each reminder once, on the messenger chosen.
func TestServeTelegramAndZalo(t *testing.T) {
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	f := newZaloFixture(t, time.Date(2023, 4, 19, 7, 30, 0, 0, loc), true)
	const tgOfficer = 5005
	const zlOfficer = "aabbccddeeff00112233"
	m := f.startWithOfficer(tgOfficer, "Công an phường")

	f.srv.PushText(tgOfficer, tgOfficer, "/kenh zalo")
	link := f.await(tgOfficer, "DK ")
	code := typedCodeRe.FindString(link.Text)
	if code == "" {
		t.Fatalf("no code in %q", link.Text)
	}
	f.say(zlOfficer, code, "Đã thêm Zalo")
	f.say(zlOfficer, "1.c 30%", "30%")
	f.say(zlOfficer, "/kenh zalo", "gửi qua Zalo")
	officers, err := m.DB.OfficerStore().Officers(context.Background(), plan.DefaultOrg)
	if err != nil || len(officers) != 1 || officers[0].Address.Transport != "zalo" {
		t.Fatalf("officers %+v, %v", officers, err)
	}

	// 19/4/2023 08:00: the reminder for 1.c goes to Zalo only.
	tgBefore := len(f.srv.Sent(tgOfficer))
	f.clock.mu.Lock()
	f.clock.offset += 31 * time.Minute
	f.clock.mu.Unlock()
	if err := f.mainTick(); err != nil {
		t.Fatal(err)
	}
	f.zaloAwait(zlOfficer, "Nhắc hạn", 0)
	// An answer on Telegram still counts, for the same officer.
	f.srv.PushText(tgOfficer, tgOfficer, "1.c 90%")
	f.await(tgOfficer, "90%")
	for _, s := range f.srv.Sent(tgOfficer)[tgBefore:] {
		if strings.Contains(s.Text, "Nhắc hạn") {
			t.Errorf("the reminder went to Telegram too:\n%s", s.Text)
		}
	}
	reminders := 0
	for _, s := range f.zl.Sent() {
		if strings.Contains(s.Text, "Nhắc hạn") {
			reminders++
		}
	}
	if reminders != 1 {
		t.Errorf("%d reminders on Zalo, want 1", reminders)
	}
	f.checkZaloTexts()
}

var typedCodeRe = regexp.MustCompile(`DK [2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}`)

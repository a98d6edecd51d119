package telegramtest_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/chanhlo/planbot/bot/telegram/telegramtest"
)

func newAPI(t *testing.T, srv *telegramtest.Server) *tgbotapi.BotAPI {
	t.Helper()
	api, err := tgbotapi.NewBotAPIWithClient(srv.Token(), srv.Endpoint(), &http.Client{Timeout: 10 * time.Second})
	if err != nil {
		t.Fatalf("NewBotAPI: %v", err)
	}
	return api
}

func apiError(t *testing.T, err error) *tgbotapi.Error {
	t.Helper()
	var e *tgbotapi.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not a *tgbotapi.Error", err, err)
	}
	return e
}

func TestGetMeAndToken(t *testing.T) {
	srv := telegramtest.New(t, telegramtest.WithUsername("chanhlo_bot"))
	api := newAPI(t, srv)
	if api.Self.UserName != "chanhlo_bot" {
		t.Errorf("username = %q", api.Self.UserName)
	}
	_, err := tgbotapi.NewBotAPIWithClient("999:wrong", srv.Endpoint(), http.DefaultClient)
	if e := apiError(t, err); e.Code != 401 {
		t.Errorf("wrong token: code %d, want 401", e.Code)
	}
}

func TestSendMessageRecorded(t *testing.T) {
	srv := telegramtest.New(t)
	api := newAPI(t, srv)
	m := tgbotapi.NewMessage(42, "<b>Nhiệm vụ</b> 1.a &amp; 1.b")
	m.ParseMode = tgbotapi.ModeHTML
	m.ReplyToMessageID = 7
	m.ReplyMarkup = tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData("Đã nhận", "ack:1")))
	got, err := api.Send(m)
	if err != nil {
		t.Fatal(err)
	}
	if got.Text != "Nhiệm vụ 1.a & 1.b" {
		t.Errorf("returned text %q", got.Text)
	}
	sent := srv.Sent(42)
	if len(sent) != 1 {
		t.Fatalf("sent %d", len(sent))
	}
	s := sent[0]
	if s.MessageID != got.MessageID || s.Text != m.Text || s.ParseMode != "HTML" || s.ReplyTo != 7 ||
		len(s.Buttons) != 1 || s.Buttons[0][0] != (telegramtest.Button{Text: "Đã nhận", Data: "ack:1"}) {
		t.Errorf("recorded %+v", s)
	}
	second, err := api.Send(tgbotapi.NewMessage(42, "again"))
	if err != nil {
		t.Fatal(err)
	}
	if second.MessageID <= got.MessageID {
		t.Errorf("message ids not increasing: %d then %d", got.MessageID, second.MessageID)
	}
}

func TestSendMessageValidation(t *testing.T) {
	srv := telegramtest.New(t)
	api := newAPI(t, srv)
	for name, tc := range map[string]struct {
		text, mode string
		want       string
	}{
		"empty":       {"", "", "message text is empty"},
		"too long":    {strings.Repeat("ạ", 4097), "", "message is too long"},
		"bad tag":     {"a <x> b", "HTML", "can't parse entities"},
		"unbalanced":  {"<b>a", "HTML", "can't parse entities"},
		"crossed":     {"<b><i>a</b></i>", "HTML", "can't parse entities"},
		"bare angle":  {"1 < 2", "HTML", "can't parse entities"},
		"long markup": {"<b>" + strings.Repeat("a", 4096) + "</b>", "HTML", ""},
	} {
		t.Run(name, func(t *testing.T) {
			m := tgbotapi.NewMessage(1, tc.text)
			m.ParseMode = tc.mode
			_, err := api.Send(m)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("unexpected %v", err)
				}
				return
			}
			if e := apiError(t, err); e.Code != 400 || !strings.Contains(e.Message, tc.want) {
				t.Errorf("got %d %q, want 400 %q", e.Code, e.Message, tc.want)
			}
		})
	}
}

func TestSendDocumentMultipart(t *testing.T) {
	srv := telegramtest.New(t)
	api := newAPI(t, srv)
	d := tgbotapi.NewDocument(5, tgbotapi.FileBytes{Name: "tong-hop.xlsx", Bytes: []byte("PK\x03\x04data")})
	d.Caption = "Tổng hợp <b>tháng 4</b>"
	d.ParseMode = "HTML"
	if _, err := api.Send(d); err != nil {
		t.Fatal(err)
	}
	sent := srv.Sent(5)
	if len(sent) != 1 || sent[0].Method != "sendDocument" || sent[0].Document.Name != "tong-hop.xlsx" ||
		string(sent[0].Document.Data) != "PK\x03\x04data" || sent[0].Caption != d.Caption {
		t.Fatalf("recorded %+v", sent)
	}
	d.Caption = strings.Repeat("x", 1025)
	_, err := api.Send(d)
	// Uploads leave Code at 0: the description is all there is.
	if e := apiError(t, err); !strings.Contains(e.Message, "caption is too long") {
		t.Errorf("long caption: %q", e.Message)
	}
}

func TestGetUpdatesConfirmsByOffset(t *testing.T) {
	srv := telegramtest.New(t)
	api := newAPI(t, srv)
	a := srv.PushText(10, 10, "/start")
	b := srv.PushReply(10, 10, "80%", 3)
	c := srv.PushCallback(10, 10, "ack:1", 4)

	ups, err := api.GetUpdates(tgbotapi.UpdateConfig{Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(ups) != 2 || ups[0].UpdateID != a || ups[1].UpdateID != b {
		t.Fatalf("first batch %v", ups)
	}
	if ups[1].Message.ReplyToMessage.MessageID != 3 {
		t.Errorf("reply to %d", ups[1].Message.ReplyToMessage.MessageID)
	}
	// Same offset again: nothing confirmed, same updates.
	again, _ := api.GetUpdates(tgbotapi.UpdateConfig{Limit: 2})
	if len(again) != 2 || again[0].UpdateID != a {
		t.Fatalf("redelivery %v", again)
	}
	ups, err = api.GetUpdates(tgbotapi.UpdateConfig{Offset: b + 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(ups) != 1 || ups[0].UpdateID != c || ups[0].CallbackQuery.Data != "ack:1" || ups[0].CallbackQuery.Message.MessageID != 4 {
		t.Fatalf("after confirm %+v", ups)
	}
	if got := srv.Pending(); len(got) != 1 || got[0] != c {
		t.Errorf("pending %v", got)
	}
	if got := srv.Offsets(); len(got) != 3 || got[2] != b+1 {
		t.Errorf("offsets %v", got)
	}
}

func TestGetUpdatesLongPollWakesOnPush(t *testing.T) {
	srv := telegramtest.New(t)
	api := newAPI(t, srv)
	done := make(chan []tgbotapi.Update)
	go func() {
		ups, _ := api.GetUpdates(tgbotapi.UpdateConfig{Timeout: 30})
		done <- ups
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.WaitCalls(ctx, "getUpdates", 1); err != nil {
		t.Fatal(err)
	}
	id := srv.PushText(1, 1, "xin chào")
	select {
	case ups := <-done:
		if len(ups) != 1 || ups[0].UpdateID != id {
			t.Fatalf("got %v", ups)
		}
	case <-ctx.Done():
		t.Fatal("long poll did not wake up")
	}
}

func TestGetUpdatesEarlyAnswer(t *testing.T) {
	srv := telegramtest.New(t, telegramtest.WithMaxPollWait(0))
	api := newAPI(t, srv)
	ups, err := api.GetUpdates(tgbotapi.UpdateConfig{Timeout: 30})
	if err != nil || len(ups) != 0 {
		t.Fatalf("%v %v", ups, err)
	}
}

func TestFaults(t *testing.T) {
	srv := telegramtest.New(t)
	api := newAPI(t, srv)
	srv.Inject(telegramtest.TooManyRequests(7).On("sendMessage").ForChat(2).Times(2))
	srv.Inject(telegramtest.Blocked().On("sendMessage").ForChat(3).Forever())
	srv.Inject(telegramtest.Migrated(-1001234567890123).On("sendMessage").ForChat(-4))
	srv.Inject(telegramtest.InternalError().On("getUpdates"))
	srv.Inject(telegramtest.Conflict().On("getUpdates"))

	send := func(chat int64) error {
		_, err := api.Send(tgbotapi.NewMessage(chat, "x"))
		return err
	}
	if err := send(1); err != nil {
		t.Fatalf("chat 1 unaffected: %v", err)
	}
	for range 2 {
		if e := apiError(t, send(2)); e.Code != 429 || e.RetryAfter != 7 {
			t.Errorf("429: %+v", e)
		}
	}
	if err := send(2); err != nil {
		t.Errorf("third send to chat 2: %v", err)
	}
	for range 3 {
		if e := apiError(t, send(3)); e.Code != 403 || !strings.Contains(e.Message, "blocked") {
			t.Errorf("403: %+v", e)
		}
	}
	if e := apiError(t, send(-4)); e.Code != 400 || e.MigrateToChatID != -1001234567890123 {
		t.Errorf("migrate: %+v", e)
	}
	_, err := api.GetUpdates(tgbotapi.UpdateConfig{})
	if e := apiError(t, err); e.Code != 500 {
		t.Errorf("500: %+v", e)
	}
	_, err = api.GetUpdates(tgbotapi.UpdateConfig{})
	if e := apiError(t, err); e.Code != 409 {
		t.Errorf("409: %+v", e)
	}
	calls := srv.Calls("sendMessage")
	if len(calls) != 8 || calls[1].Fault != 429 || calls[3].Fault != 0 {
		t.Errorf("calls %+v", calls)
	}
}

func TestHangUntilClientTimeout(t *testing.T) {
	srv := telegramtest.New(t)
	api := newAPI(t, srv)
	api.Client = &http.Client{Timeout: 50 * time.Millisecond}
	srv.Inject(telegramtest.Hang().On("sendMessage"))
	_, err := api.Send(tgbotapi.NewMessage(1, "x"))
	if err == nil || !strings.Contains(err.Error(), "Timeout") {
		t.Fatalf("err = %v", err)
	}
}

func TestSecondPollerConflicts(t *testing.T) {
	srv := telegramtest.New(t)
	api := newAPI(t, srv)
	first := make(chan error)
	go func() {
		_, err := api.GetUpdates(tgbotapi.UpdateConfig{Timeout: 30})
		first <- err
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.WaitCalls(ctx, "getUpdates", 1); err != nil {
		t.Fatal(err)
	}
	if _, err := api.GetUpdates(tgbotapi.UpdateConfig{}); err != nil {
		t.Fatal(err)
	}
	if e := apiError(t, <-first); e.Code != 409 {
		t.Errorf("first poller: %+v", e)
	}
}

func TestCommandsAndWebhook(t *testing.T) {
	srv := telegramtest.New(t)
	api := newAPI(t, srv)
	cfg := tgbotapi.NewSetMyCommandsWithScopeAndLanguage(tgbotapi.NewBotCommandScopeDefault(), "vi",
		tgbotapi.BotCommand{Command: "nhiemvu", Description: "Nhiệm vụ của tôi"})
	if _, err := api.Request(cfg); err != nil {
		t.Fatal(err)
	}
	if got := srv.Commands("vi"); len(got) != 1 || got[0].Command != "nhiemvu" {
		t.Errorf("vi commands %v", got)
	}
	if _, err := api.Request(tgbotapi.NewSetMyCommands(tgbotapi.BotCommand{Command: "Bad-Name", Description: "x"})); err == nil {
		t.Error("invalid command accepted")
	}
	if _, err := api.MakeRequest("setWebhook", tgbotapi.Params{"url": "https://example.org/tg", "secret_token": "s3cr3t_-"}); err != nil {
		t.Fatal(err)
	}
	if u, s := srv.Webhook(); u != "https://example.org/tg" || s != "s3cr3t_-" {
		t.Errorf("webhook %q %q", u, s)
	}
	_, err := api.GetUpdates(tgbotapi.UpdateConfig{})
	if e := apiError(t, err); e.Code != 409 || !strings.Contains(e.Message, "webhook is active") {
		t.Errorf("getUpdates with webhook: %+v", e)
	}
	if _, err := api.Request(tgbotapi.DeleteWebhookConfig{}); err != nil {
		t.Fatal(err)
	}
	if _, err := api.GetUpdates(tgbotapi.UpdateConfig{}); err != nil {
		t.Errorf("after deleteWebhook: %v", err)
	}
}

func TestDocumentUpdateAndGetFile(t *testing.T) {
	srv := telegramtest.New(t)
	api := newAPI(t, srv)
	srv.PushDocument(8, 8, "bao-cao.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", []byte("abc"), "báo cáo")
	ups, err := api.GetUpdates(tgbotapi.UpdateConfig{})
	if err != nil || len(ups) != 1 {
		t.Fatal(ups, err)
	}
	d := ups[0].Message.Document
	if d.FileName != "bao-cao.docx" || d.FileSize != 3 || ups[0].Message.Caption != "báo cáo" {
		t.Errorf("document %+v", d)
	}
	f, err := api.GetFile(tgbotapi.FileConfig{FileID: d.FileID})
	if err != nil || f.FileSize != 3 {
		t.Fatalf("getFile %+v %v", f, err)
	}
	resp, err := http.Get(srv.URL() + "/file/bot" + srv.Token() + "/" + f.FilePath)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("download status %d", resp.StatusCode)
	}
}

func TestParseHTML(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"<b>a</b> &lt;b&gt; &amp; &quot;x&quot; &#7841;", `a <b> & "x" ạ`, true},
		{`<a href="https://t.me/x?start=1">link</a>`, "link", true},
		{"a & b", "a & b", true},
		{"<b>", "", false},
		{"</b>", "", false},
		{"<script>x</script>", "", false},
		{"x > y", "x > y", true},
	} {
		got, err := telegramtest.ParseHTML(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseHTML(%q) = %q, %v", tc.in, got, err)
		}
	}
}

func TestNewServerOnListenerWithHandler(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := telegramtest.NewServer(telegramtest.WithListener(l), telegramtest.WithToken("42:abc"))
	defer srv.Close()
	if want := "http://" + l.Addr().String(); srv.URL() != want {
		t.Errorf("URL = %q, want %q", srv.URL(), want)
	}
	srv.Handle("/_extra/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "extra "+r.URL.Path)
	}))
	api := newAPI(t, srv)
	if _, err := api.Send(tgbotapi.NewMessage(7, "x")); err != nil {
		t.Fatalf("Bot API beside a handler: %v", err)
	}
	resp, err := http.Get(srv.URL() + "/_extra/ping")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != "extra /_extra/ping" {
		t.Errorf("handler answered %q", body)
	}
	srv.Close()
	srv.Close()
	if _, err := http.Get(srv.URL() + "/_extra/ping"); err == nil {
		t.Error("server still answers after Close")
	}
}

func TestWithAddr(t *testing.T) {
	first := telegramtest.NewServer(telegramtest.WithAddr("127.0.0.1:0"))
	defer first.Close()
	newAPI(t, first)
	addr := strings.TrimPrefix(first.URL(), "http://")
	defer func() {
		if recover() == nil {
			t.Errorf("WithAddr(%s) on a busy port did not panic", addr)
		}
	}()
	telegramtest.NewServer(telegramtest.WithAddr(addr)).Close()
}

func TestHandleRefusesBotAPIPaths(t *testing.T) {
	srv := telegramtest.New(t)
	for _, prefix := range []string{"/bot", "/bot123/", "/file/", "nope"} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Handle(%q) accepted", prefix)
				}
			}()
			srv.Handle(prefix, http.NotFoundHandler())
		}()
	}
}

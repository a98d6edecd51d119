package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/chanhlo/planbot/bot/telegram/telegramtest"
)

// fixture is a fake Bot API with the control API mounted, and a bot
// client talking to it.
type fixture struct {
	t   *testing.T
	srv *telegramtest.Server
	api *tgbotapi.BotAPI
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	srv := telegramtest.New(t, telegramtest.WithUsername("chanhlo_bot"))
	srv.Handle(ControlPrefix, newControl(srv))
	api, err := tgbotapi.NewBotAPIWithClient(srv.Token(), srv.Endpoint(), &http.Client{Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, srv: srv, api: api}
}

// do makes a control request and returns the status and body.
func (f *fixture) do(method, path, contentType, body string) (int, string) {
	f.t.Helper()
	req, err := http.NewRequest(method, f.srv.URL()+path, strings.NewReader(body))
	if err != nil {
		f.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		f.t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// botSends sends a message as the bot would.
func (f *fixture) botSends(c tgbotapi.Chattable) tgbotapi.Message {
	f.t.Helper()
	m, err := f.api.Send(c)
	if err != nil {
		f.t.Fatal(err)
	}
	return m
}

func TestSendPushesWhatTheUserTypes(t *testing.T) {
	for _, tc := range []struct {
		name, query, contentType, body string
		check                          func(t *testing.T, u tgbotapi.Update)
	}{
		{
			name: "raw body, as curl --data-binary", query: "chat=1001", contentType: "application/octet-stream",
			body: "/start ABC123",
			check: func(t *testing.T, u tgbotapi.Update) {
				m := u.Message
				if m == nil || m.Text != "/start ABC123" || m.From.ID != 1001 || m.Chat.ID != 1001 || m.Chat.Type != "private" {
					t.Fatalf("message %+v", m)
				}
				if m.Command() != "start" || m.CommandArguments() != "ABC123" {
					t.Errorf("command %q args %q", m.Command(), m.CommandArguments())
				}
			},
		},
		{
			name: "curl -d sends a form content type; a body without text= is the text", query: "chat=1001",
			contentType: "application/x-www-form-urlencoded", body: "1.c 80% đã gửi văn bản",
			check: func(t *testing.T, u tgbotapi.Update) {
				if u.Message.Text != "1.c 80% đã gửi văn bản" {
					t.Errorf("text %q", u.Message.Text)
				}
			},
		},
		{
			name: "form field text", query: "chat=1001", contentType: "application/x-www-form-urlencoded",
			body: "text=1.c+80%25+xong",
			check: func(t *testing.T, u tgbotapi.Update) {
				if u.Message.Text != "1.c 80% xong" {
					t.Errorf("text %q", u.Message.Text)
				}
			},
		},
		{
			name: "query field text", query: "chat=1001&text=ok",
			check: func(t *testing.T, u tgbotapi.Update) {
				if u.Message.Text != "ok" {
					t.Errorf("text %q", u.Message.Text)
				}
			},
		},
		{
			name: "a user in a group", query: "chat=-500&user=1001", body: "/nhiemvu",
			check: func(t *testing.T, u tgbotapi.Update) {
				if u.Message.Chat.ID != -500 || u.Message.From.ID != 1001 || u.Message.Chat.Type != "group" {
					t.Errorf("chat %+v from %+v", u.Message.Chat, u.Message.From)
				}
			},
		},
		{
			name: "reply", query: "chat=1001&reply_to=7", body: "80%",
			check: func(t *testing.T, u tgbotapi.Update) {
				if u.Message.ReplyToMessage == nil || u.Message.ReplyToMessage.MessageID != 7 || u.Message.Text != "80%" {
					t.Errorf("message %+v", u.Message)
				}
			},
		},
		{
			name: "button press", query: "chat=1001&callback=ack:3&message=9",
			check: func(t *testing.T, u tgbotapi.Update) {
				cb := u.CallbackQuery
				if cb == nil || cb.Data != "ack:3" || cb.Message.MessageID != 9 || cb.From.ID != 1001 {
					t.Errorf("callback %+v", cb)
				}
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			code, body := f.do("POST", "/_fake/send?"+tc.query+"&format=json", tc.contentType, tc.body)
			if code != http.StatusOK {
				t.Fatalf("status %d: %s", code, body)
			}
			var res sendResult
			if err := json.Unmarshal([]byte(body), &res); err != nil {
				t.Fatalf("answer %q: %v", body, err)
			}
			ups, err := f.api.GetUpdates(tgbotapi.UpdateConfig{})
			if err != nil {
				t.Fatal(err)
			}
			if len(ups) != 1 || ups[0].UpdateID != res.UpdateID {
				t.Fatalf("updates %+v, answer %+v", ups, res)
			}
			tc.check(t, ups[0])
		})
	}
}

func TestSendRefusesWrongRequests(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct{ query, body, want string }{
		{"", "x", "chat is required"},
		{"chat=abc", "x", "not a number"},
		{"chat=1&user=x", "x", "user="},
		{"chat=1", "", "empty text"},
		{"chat=1", "  \n", "empty text"},
		{"chat=1&callback=ack:1", "", "message="},
	} {
		code, body := f.do("POST", "/_fake/send?"+tc.query, "", tc.body)
		if code != http.StatusBadRequest || !strings.Contains(body, tc.want) {
			t.Errorf("%q %q: %d %q, want 400 %q", tc.query, tc.body, code, body, tc.want)
		}
	}
	if got := f.srv.Pending(); len(got) != 0 {
		t.Errorf("wrong requests queued updates %v", got)
	}
	if code, _ := f.do("GET", "/_fake/send?chat=1", "", ""); code != http.StatusMethodNotAllowed {
		t.Errorf("GET /send: %d", code)
	}
	if code, body := f.do("GET", "/_fake/", "", ""); code != 200 || !strings.Contains(body, "POST /_fake/send") {
		t.Errorf("help: %d %q", code, body)
	}
}

func TestSentShowsTextButtonsAndReplies(t *testing.T) {
	f := newFixture(t)
	first := f.botSends(tgbotapi.NewMessage(2002, "not for 1001"))
	m := tgbotapi.NewMessage(1001, "<b>Nhắc hạn</b> 1.c &amp; 2.a")
	m.ParseMode = tgbotapi.ModeHTML
	m.ReplyToMessageID = 4
	m.ReplyMarkup = tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(
		tgbotapi.NewInlineKeyboardButtonData("Đã nhận", "ack:1"), tgbotapi.NewInlineKeyboardButtonData("Vướng", "stuck:1")))
	sent := f.botSends(m)

	code, body := f.do("GET", "/_fake/sent?chat=1001", "", "")
	want := "── #" + itoa(sent.MessageID) + " → chat 1001 (reply to #4)\nNhắc hạn 1.c & 2.a\n[Đã nhận → callback=ack:1]  [Vướng → callback=stuck:1]\n"
	if code != 200 || body != want {
		t.Errorf("text: %d\n%s\nwant\n%s", code, body, want)
	}
	if _, body := f.do("GET", "/_fake/sent?chat=1001&raw=1", "", ""); !strings.Contains(body, "<b>Nhắc hạn</b> 1.c &amp; 2.a") {
		t.Errorf("raw: %s", body)
	}
	_, body = f.do("GET", "/_fake/sent?format=json", "", "")
	var all []sentMessage
	if err := json.Unmarshal([]byte(body), &all); err != nil {
		t.Fatalf("%q: %v", body, err)
	}
	if len(all) != 2 || all[0].MessageID != first.MessageID || all[1].Text != "Nhắc hạn 1.c & 2.a" ||
		all[1].Buttons[0][1] != (telegramtest.Button{Text: "Vướng", Data: "stuck:1"}) {
		t.Errorf("json %+v", all)
	}
	if _, body := f.do("GET", "/_fake/sent?chat=1001&after="+itoa(sent.MessageID), "", ""); body != "(no messages)\n" {
		t.Errorf("after the last: %q", body)
	}
	d := tgbotapi.NewDocument(1001, tgbotapi.FileBytes{Name: "tong-hop.xlsx", Bytes: []byte("PK")})
	d.Caption = "Tổng hợp tháng 4"
	f.botSends(d)
	if _, body := f.do("GET", "/_fake/sent?chat=1001&after="+itoa(sent.MessageID), "", ""); !strings.Contains(body, "[file tong-hop.xlsx]\nTổng hợp tháng 4\n") {
		t.Errorf("document: %q", body)
	}
	for _, q := range []string{"chat=x", "after=x", "wait=soon", "wait=-1s"} {
		if code, _ := f.do("GET", "/_fake/sent?"+q, "", ""); code != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", q, code)
		}
	}
}

// A waiting GET /_fake/sent answers with the bot's answer to a pushed
// message as soon as the bot sends it: the whole round trip a person makes
// with curl.
func TestSentWaitsForTheAnswer(t *testing.T) {
	f := newFixture(t)
	f.botSends(tgbotapi.NewMessage(1001, "earlier"))
	_, body := f.do("POST", "/_fake/send?chat=1001&format=json", "", "/nhiemvu")
	var res sendResult
	if err := json.Unmarshal([]byte(body), &res); err != nil {
		t.Fatalf("%q: %v", body, err)
	}

	type answer struct {
		code int
		body string
	}
	got := make(chan answer, 1)
	go func() {
		resp, err := http.Get(f.srv.URL() + "/_fake/sent?chat=1001&after=" + itoa(res.After) + "&wait=30s")
		if err != nil {
			got <- answer{body: err.Error()}
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		got <- answer{resp.StatusCode, string(b)}
	}()

	// The bot: take the update, answer it.
	ups, err := f.api.GetUpdates(tgbotapi.UpdateConfig{Timeout: 10})
	if err != nil || len(ups) != 1 {
		t.Fatalf("updates %v %v", ups, err)
	}
	m := tgbotapi.NewMessage(1001, "Nhiệm vụ của Công an phường: 1.c")
	m.ReplyToMessageID = ups[0].Message.MessageID
	f.botSends(m)

	select {
	case a := <-got:
		if a.code != 200 || !strings.Contains(a.body, "Nhiệm vụ của Công an phường: 1.c") || strings.Contains(a.body, "earlier") {
			t.Errorf("%d %q", a.code, a.body)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("GET /_fake/sent did not return after the bot answered")
	}
}

// With nothing new, a wait ends empty at its deadline, and waiting ends
// when the server closes.
func TestSentWaitEnds(t *testing.T) {
	f := newFixture(t)
	start := time.Now()
	if _, body := f.do("GET", "/_fake/sent?chat=1001&wait=50ms", "", ""); body != "(no messages)\n" {
		t.Errorf("body %q", body)
	}
	if d := time.Since(start); d < 50*time.Millisecond {
		t.Errorf("answered after %v, before the wait ended", d)
	}
	f.botSends(tgbotapi.NewMessage(1001, "x"))
	if code, body := f.do("GET", "/_fake/sent?chat=1001&wait=1", "", ""); code != 200 || !strings.Contains(body, "\nx\n") {
		t.Errorf("wait in seconds: %d %q", code, body)
	}

	c := &control{srv: f.srv}
	f.srv.Close()
	if got := c.await(context.Background(), 1001, 1000); len(got) != 0 {
		t.Errorf("after close: %v", got)
	}
}

func TestRunPrintsExportsAndStops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut bytes.Buffer
	ready := make(chan *telegramtest.Server, 1)
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-token", "42:tok", "-username", "x_bot"}, &out, &errOut, ready)
	}()
	var srv *telegramtest.Server
	select {
	case srv = <-ready:
	case err := <-done:
		t.Fatalf("run: %v %s", err, errOut.String())
	}
	resp, err := http.Get(srv.URL() + "/bot42:tok/getMe")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(b), `"username":"x_bot"`) {
		t.Errorf("getMe: %s", b)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	want := "export PLANBOT_TELEGRAM_API=" + srv.URL() + " PLANBOT_TELEGRAM_TOKEN=42:tok\n"
	if !strings.Contains(out.String(), want) {
		t.Errorf("output lacks %q:\n%s", want, out.String())
	}
	if err := run(context.Background(), []string{"extra"}, &out, &errOut, nil); err == nil {
		t.Error("an extra argument was accepted")
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// POST /_fake/send?wait= pushes the text and answers with what the bot
// sends to the chat after it: one curl per turn of the conversation.
func TestSendWaitsForTheAnswer(t *testing.T) {
	f := newFixture(t)
	f.botSends(tgbotapi.NewMessage(1001, "earlier"))
	got := make(chan string, 1)
	go func() {
		resp, err := http.Post(f.srv.URL()+"/_fake/send?chat=1001&wait=30s&format=json", "text/plain", strings.NewReader("/xem 1.c"))
		if err != nil {
			got <- err.Error()
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		got <- string(b)
	}()
	ups, err := f.api.GetUpdates(tgbotapi.UpdateConfig{Timeout: 10})
	if err != nil || len(ups) != 1 || ups[0].Message.Text != "/xem 1.c" {
		t.Fatalf("updates %v %v", ups, err)
	}
	f.botSends(tgbotapi.NewMessage(2002, "another chat"))
	answer := f.botSends(tgbotapi.NewMessage(1001, "1.c Đăng ký và thực hiện"))
	select {
	case body := <-got:
		var res sendResult
		if err := json.Unmarshal([]byte(body), &res); err != nil {
			t.Fatalf("%q: %v", body, err)
		}
		if res.UpdateID != ups[0].UpdateID || len(res.Answers) != 1 || res.Answers[0].MessageID != answer.MessageID ||
			res.Answers[0].Text != "1.c Đăng ký và thực hiện" {
			t.Errorf("answer %+v", res)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("POST /_fake/send?wait did not return after the bot answered")
	}
	if code, _ := f.do("POST", "/_fake/send?chat=1001&wait=later", "", "x"); code != http.StatusBadRequest {
		t.Errorf("bad wait: %d", code)
	}
}

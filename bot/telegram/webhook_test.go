package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/chanhlo/planbot/bot"
)

// spyBody is a request body that notes whether it was read.
type spyBody struct {
	r    *bytes.Reader
	read atomic.Bool
}

func (b *spyBody) Read(p []byte) (int, error) {
	b.read.Store(true)
	return b.r.Read(p)
}

func (b *spyBody) Close() error { return nil }

func updateJSON(t *testing.T, id int, text string) []byte {
	t.Helper()
	b, err := json.Marshal(tgbotapi.Update{UpdateID: id, Message: &tgbotapi.Message{
		MessageID: 5, Chat: &tgbotapi.Chat{ID: 77, Type: "private"},
		From: &tgbotapi.User{ID: 77, FirstName: "Lan"}, Text: text,
	}})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestWebhookHandler(t *testing.T) {
	h := newHarness(t, nil, func(c *Config) { c.MaxBodyBytes = 2048; c.MaxAttempts = 2 })
	big := updateJSON(t, 9, strings.Repeat("a", 4000))
	for name, tc := range map[string]struct {
		method  string
		secret  string
		body    []byte
		chunked bool // no Content-Length: the cap must come from reading
		fail    error
		status  int
		handled bool
		read    bool
	}{
		"good":           {http.MethodPost, "s3cret-token_1", updateJSON(t, 1, "xin chào"), false, nil, 200, true, true},
		"missing secret": {http.MethodPost, "", updateJSON(t, 1, "x"), false, nil, 401, false, false},
		"wrong secret":   {http.MethodPost, "s3cret-token_2", updateJSON(t, 1, "x"), false, nil, 401, false, false},
		"prefix secret":  {http.MethodPost, "s3cret", updateJSON(t, 1, "x"), false, nil, 401, false, false},
		"get":            {http.MethodGet, "s3cret-token_1", nil, false, nil, 405, false, false},
		"too big":        {http.MethodPost, "s3cret-token_1", big, false, nil, 413, false, false},
		"too big, read":  {http.MethodPost, "s3cret-token_1", big, true, nil, 413, false, true},
		"not json":       {http.MethodPost, "s3cret-token_1", []byte("<html>"), false, nil, 400, false, true},
		"handler error":  {http.MethodPost, "s3cret-token_1", updateJSON(t, 3, "x"), false, errors.New("db down"), 500, true, true},
	} {
		t.Run(name, func(t *testing.T) {
			var got *bot.Event
			handler := bot.HandlerFunc(func(_ context.Context, e *bot.Event) error {
				got = e
				return tc.fail
			})
			body := &spyBody{r: bytes.NewReader(tc.body)}
			req := httptest.NewRequest(tc.method, "/telegram/hook", body)
			if !tc.chunked {
				req.ContentLength = int64(len(tc.body))
			} else {
				req.ContentLength = -1
			}
			if tc.secret != "" {
				req.Header.Set(SecretHeader, tc.secret)
			}
			rw := httptest.NewRecorder()
			h.tr.WebhookHandler(handler).ServeHTTP(rw, req)
			if rw.Code != tc.status {
				t.Errorf("status %d, want %d", rw.Code, tc.status)
			}
			if (got != nil) != tc.handled {
				t.Errorf("handled %v, want %v", got != nil, tc.handled)
			}
			if body.read.Load() != tc.read {
				t.Errorf("body read %v, want %v", body.read.Load(), tc.read)
			}
			if name == "good" && (got.ID != "1" || got.Text != "xin chào" || got.ChatID != "77" || got.UserName != "Lan") {
				t.Errorf("event %+v", got)
			}
		})
	}
}

func TestWebhookWithoutSecretRefusesAll(t *testing.T) {
	h := newHarness(t, nil, func(c *Config) { c.WebhookSecret = "" })
	called := false
	handler := bot.HandlerFunc(func(context.Context, *bot.Event) error { called = true; return nil })
	req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(updateJSON(t, 1, "x")))
	rw := httptest.NewRecorder()
	h.tr.WebhookHandler(handler).ServeHTTP(rw, req)
	if rw.Code != 401 || called {
		t.Errorf("status %d, called %v", rw.Code, called)
	}
}

func TestWebhookPoisonUpdateAcknowledged(t *testing.T) {
	h := newHarness(t, nil, func(c *Config) { c.MaxAttempts = 3 })
	handler := bot.HandlerFunc(func(context.Context, *bot.Event) error { return errors.New("boom") })
	var codes []int
	for range 4 {
		req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(updateJSON(t, 50, "x")))
		req.Header.Set(SecretHeader, "s3cret-token_1")
		rw := httptest.NewRecorder()
		h.tr.WebhookHandler(handler).ServeHTTP(rw, req)
		codes = append(codes, rw.Code)
	}
	// Two 500s make Telegram resend; the third failure gives up with 200;
	// a fourth delivery starts counting afresh.
	if want := []int{500, 500, 200, 500}; !slices.Equal(codes, want) {
		t.Errorf("codes %v, want %v", codes, want)
	}
}

func TestSetAndDeleteWebhook(t *testing.T) {
	h := newHarness(t, nil)
	if err := h.tr.SetWebhook(t.Context(), "https://bot.chanhlo.gov.vn/tg/hook", "s3cret-token_1"); err != nil {
		t.Fatal(err)
	}
	if u, s := h.srv.Webhook(); u != "https://bot.chanhlo.gov.vn/tg/hook" || s != "s3cret-token_1" {
		t.Errorf("webhook %q %q", u, s)
	}
	err := h.tr.SetWebhook(t.Context(), "http://insecure", "x")
	if err == nil || strings.Contains(err.Error(), h.srv.Token()) {
		t.Errorf("http URL: %v", err)
	}
	if err := h.tr.DeleteWebhook(t.Context()); err != nil {
		t.Fatal(err)
	}
	if u, _ := h.srv.Webhook(); u != "" {
		t.Errorf("webhook still %q", u)
	}
}

func TestRunWebhookMode(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, nil, func(c *Config) {
		c.Mode = ModeWebhook
		c.WebhookURL = "https://bot.example.org/hook/x1"
		c.WebhookListener = ln
	})
	rec := newRecorder(nil)
	stop := h.run(t, rec)
	if err := h.srv.WaitCalls(testCtx(t), "setWebhook", 1); err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequestWithContext(testCtx(t), http.MethodPost, "http://"+ln.Addr().String()+"/hook/x1",
		bytes.NewReader(updateJSON(t, 12, "báo cáo")))
	req.Header.Set(SecretHeader, "s3cret-token_1")
	resp, err := (&http.Client{Timeout: 5 * time.Second}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("status %d", resp.StatusCode)
	}
	if ev := rec.next(t); ev.ID != "12" || ev.Text != "báo cáo" {
		t.Errorf("event %+v", ev)
	}
	stop()
	if _, err := net.Dial("tcp", ln.Addr().String()); err == nil {
		t.Error("webhook server still listening after stop")
	}
}

func TestSetCommands(t *testing.T) {
	h := newHarness(t, nil)
	cmds := []CommandInfo{
		{Name: "nhiemvu", DescriptionVI: "Nhiệm vụ của đơn vị", DescriptionEN: "My unit's tasks"},
		{Name: "baocao", DescriptionVI: "Báo cáo tiến độ"},
	}
	if err := h.tr.SetCommands(t.Context(), cmds); err != nil {
		t.Fatal(err)
	}
	vi, en := h.srv.Commands("vi"), h.srv.Commands("")
	if len(vi) != 2 || vi[0].Description != "Nhiệm vụ của đơn vị" || vi[1].Command != "baocao" {
		t.Errorf("vi %v", vi)
	}
	if len(en) != 2 || en[0].Description != "My unit's tasks" || en[1].Description != "Báo cáo tiến độ" {
		t.Errorf("default %v", en)
	}

	for name, bad := range map[string][]CommandInfo{
		"upper":      {{Name: "NhiemVu", DescriptionVI: "x"}},
		"dash":       {{Name: "bao-cao", DescriptionVI: "x"}},
		"long":       {{Name: strings.Repeat("a", 33), DescriptionVI: "x"}},
		"empty":      {{Name: "", DescriptionVI: "x"}},
		"no desc":    {{Name: "a"}},
		"long desc":  {{Name: "a", DescriptionVI: strings.Repeat("ệ", 257)}},
		"duplicated": {{Name: "a", DescriptionVI: "x"}, {Name: "a", DescriptionVI: "y"}},
		"none":       nil,
	} {
		before := len(h.srv.Calls("setMyCommands"))
		if err := h.tr.SetCommands(t.Context(), bad); err == nil {
			t.Errorf("%s: accepted", name)
		}
		if len(h.srv.Calls("setMyCommands")) != before {
			t.Errorf("%s: sent to Telegram", name)
		}
	}
}

package zalotest_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chanhlo/planbot/bot/zalo/zalotest"
)

const token = "123456789:abc-xyz"

type answer struct {
	OK          bool            `json:"ok"`
	Result      json.RawMessage `json:"result"`
	ErrorCode   int             `json:"error_code"`
	Description string          `json:"description"`
}

func call(t *testing.T, s *zalotest.Server, tok, method, contentType, body string) (int, answer) {
	t.Helper()
	resp, err := http.Post(s.URL()+"/bot"+tok+"/"+method, contentType, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var a answer
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil {
		t.Fatalf("%s: answer is not JSON: %v", method, err)
	}
	return resp.StatusCode, a
}

func TestServerFollowsTheDocs(t *testing.T) {
	s := zalotest.New(t, token, zalotest.WithPollCap(10*time.Millisecond))
	form := "application/x-www-form-urlencoded"
	for _, tt := range []struct {
		name, tok, method, ct, body string
		status, code                int
	}{
		{"wrong token", "1:wrong", "getMe", "application/json", "{}", 401, 401},
		{"getMe", token, "getMe", "application/json", "", 200, 0},
		{"unknown method", token, "sendDocument", "application/json", "{}", 200, 400},
		{"idle poll", token, "getUpdates", "application/json", `{"timeout":"30"}`, 200, 408},
		{"text by form", token, "sendMessage", form, url.Values{"chat_id": {"c1"}, "text": {"1.c"}}.Encode(), 200, 0},
		{"no chat", token, "sendMessage", "application/json", `{"text":"x"}`, 200, 400},
		{"empty text", token, "sendMessage", "application/json", `{"chat_id":"c1","text":""}`, 200, 400},
		{"2000 units", token, "sendMessage", "application/json", `{"chat_id":"c1","text":"` + strings.Repeat("😀", 1000) + `"}`, 200, 0},
		{"2001 units", token, "sendMessage", "application/json", `{"chat_id":"c1","text":"` + strings.Repeat("😀", 1000) + `a"}`, 200, 400},
		{"webhook over http", token, "setWebhook", "application/json", `{"url":"http://x.example/h","secret_token":"12345678"}`, 200, 400},
		{"short secret", token, "setWebhook", "application/json", `{"url":"https://x.example/h","secret_token":"1234567"}`, 200, 400},
		{"typing", token, "sendChatAction", form, "chat_id=c1&action=typing", 200, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			status, a := call(t, s, tt.tok, tt.method, tt.ct, tt.body)
			if status != tt.status || a.ErrorCode != tt.code || a.OK != (tt.code == 0) {
				t.Errorf("HTTP %d %+v, want HTTP %d code %d", status, a, tt.status, tt.code)
			}
		})
	}
	if n := len(s.Sent()); n != 2 {
		t.Errorf("%d messages recorded, want 2", n)
	}
}

func TestServerUpdatesAndWebhook(t *testing.T) {
	s := zalotest.New(t, token, zalotest.WithPollCap(10*time.Millisecond))
	u := s.Text(s.ID(), "A", "1.c 80%")
	if len(u.Message.MessageID) != 20 || len(u.Message.From.ID) != 20 || u.Message.Date < 1e12 {
		t.Errorf("update ids or date not in Zalo's shape: %+v", u)
	}
	s.Push(u)
	_, a := call(t, s, token, "getUpdates", "application/json", "{}")
	var got zalotest.Update
	if err := json.Unmarshal(a.Result, &got); err != nil || got.Message.MessageID != u.Message.MessageID {
		t.Fatalf("getUpdates = %+v (%v), want the one update as an object", a, err)
	}
	if _, a := call(t, s, token, "getUpdates", "application/json", "{}"); a.ErrorCode != 408 {
		t.Errorf("second getUpdates = %+v, want 408: a returned update is gone", a)
	}
	if _, a := call(t, s, token, "setWebhook", "application/json", `{"url":"https://x.example/h","secret_token":"12345678"}`); !a.OK {
		t.Fatalf("setWebhook = %+v", a)
	}
	if _, a := call(t, s, token, "getUpdates", "application/json", "{}"); a.OK || a.ErrorCode != 400 {
		t.Errorf("getUpdates with a webhook = %+v, want a refusal", a)
	}
	if url, secret := s.Webhook(); url != "https://x.example/h" || secret != "12345678" {
		t.Errorf("Webhook() = %q %q", url, secret)
	}
	s.Block("c9")
	if _, a := call(t, s, token, "sendMessage", "application/json", `{"chat_id":"c9","text":"x"}`); a.ErrorCode != 404 {
		t.Errorf("send to a blocked chat = %+v, want 404", a)
	}
}

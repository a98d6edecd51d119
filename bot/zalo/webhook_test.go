package zalo_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chanhlo/planbot/bot/zalo"
)

const hookSecret = "s3cret-for-zalo"

// hookFixture is a Transport in webhook mode whose WebhookHandler is
// served by an httptest server.
func hookFixture(t *testing.T, h *recorder, edit func(*zalo.Config)) (*fixture, string) {
	t.Helper()
	f := newFixture(t, func(c *zalo.Config) {
		c.Mode, c.WebhookURL, c.WebhookSecret = zalo.ModeWebhook, "https://planbot.example/zalo", hookSecret
		if edit != nil {
			edit(c)
		}
	})
	hs := httptest.NewServer(f.tr.WebhookHandler(h))
	t.Cleanup(hs.Close)
	return f, hs.URL
}

// unreadable is a body that fails the test when read.
type unreadable struct{ t *testing.T }

func (u unreadable) Read([]byte) (int, error) {
	u.t.Error("the body was read before the secret was checked")
	return 0, io.EOF
}

func TestWebhookRefusesWrongSecretUnread(t *testing.T) {
	h := newRecorder()
	f, _ := hookFixture(t, h, nil)
	handler := f.tr.WebhookHandler(h)
	for _, tt := range []struct {
		name, secret string
	}{
		{"missing", ""},
		{"wrong", "s3cret-for-zalO"},
		{"prefix", "s3cret"},
		{"longer", hookSecret + "x"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodPost, "/zalo", unreadable{t})
			if tt.secret != "" {
				req.Header.Set(zalo.SecretHeader, tt.secret)
			}
			rec := httptest.NewRecorder()
			handler.ServeHTTP(rec, req)
			if rec.Code != http.StatusUnauthorized {
				t.Errorf("status %d, want 401", rec.Code)
			}
		})
	}
	h.none(t)
}

func TestWebhookNoSecretConfiguredRefusesAll(t *testing.T) {
	f := newFixture(t, nil) // polling mode, no secret
	h := newRecorder()
	req := httptest.NewRequest(http.MethodPost, "/zalo", unreadable{t})
	rec := httptest.NewRecorder()
	f.tr.WebhookHandler(h).ServeHTTP(rec, req)
	if rec.Code != http.StatusUnauthorized {
		t.Errorf("status %d, want 401", rec.Code)
	}
}

func TestWebhookBodies(t *testing.T) {
	h := newRecorder()
	f, url := hookFixture(t, h, nil)
	for _, wrapped := range []bool{true, false} {
		u := f.srv.Text(f.srv.ID(), "Trần Thị B", "3.b 50%")
		resp := f.srv.PostWebhook(t, url, hookSecret, u, wrapped)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("wrapped=%v: status %d", wrapped, resp.StatusCode)
		}
		e := h.next(t)
		if e.Text != "3.b 50%" || e.ID != u.Message.MessageID || e.UserName != "Trần Thị B" {
			t.Errorf("wrapped=%v: event %+v", wrapped, e)
		}
		// Zalo pushing it again: answered 200, not passed on.
		resp = f.srv.PostWebhook(t, url, hookSecret, u, wrapped)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("repeat: status %d", resp.StatusCode)
		}
		h.none(t)
	}
}

func TestWebhookStatuses(t *testing.T) {
	h := newRecorder()
	_, url := hookFixture(t, h, func(c *zalo.Config) { c.MaxBodyBytes = 512 })
	big := `{"event_name":"message.text.received","message":{"text":"` + strings.Repeat("x", 600) + `"}}`
	for _, tt := range []struct {
		name, method, body string
		chunked            bool
		want               int
	}{
		{"GET", http.MethodGet, "", false, http.StatusMethodNotAllowed},
		{"PUT", http.MethodPut, "{}", false, http.StatusMethodNotAllowed},
		{"oversize", http.MethodPost, big, false, http.StatusRequestEntityTooLarge},
		{"oversize chunked", http.MethodPost, big, true, http.StatusRequestEntityTooLarge},
		{"not JSON", http.MethodPost, "event=1", false, http.StatusBadRequest},
		{"not an update", http.MethodPost, `{"hello":"world"}`, false, http.StatusBadRequest},
		{"idle envelope", http.MethodPost, `{"ok":true}`, false, http.StatusOK},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var body io.Reader = strings.NewReader(tt.body)
			if tt.chunked {
				body = io.MultiReader(strings.NewReader(tt.body)) // no length: sent chunked
			}
			req, err := http.NewRequest(tt.method, url, body)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set(zalo.SecretHeader, hookSecret)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.want {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.want)
			}
		})
	}
	h.none(t)
}

func TestWebhookHandlerErrorIs500ThenRetried(t *testing.T) {
	h := newRecorder()
	h.err = errors.New("database down")
	f, url := hookFixture(t, h, nil)
	u := f.srv.Text(f.srv.ID(), "A", "1.c 80%")
	resp := f.srv.PostWebhook(t, url, hookSecret, u, true)
	resp.Body.Close()
	if resp.StatusCode != http.StatusInternalServerError {
		t.Errorf("status %d, want 500", resp.StatusCode)
	}
	h.next(t)
	// The push again, after the database came back, is handled.
	h.err = nil
	resp = f.srv.PostWebhook(t, url, hookSecret, u, false)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("retry: status %d, want 200", resp.StatusCode)
	}
	if e := h.next(t); e.ID != u.Message.MessageID {
		t.Errorf("retry: event %+v", e)
	}
}

func TestWebhookNonTextAnswered(t *testing.T) {
	h := newRecorder()
	f, url := hookFixture(t, h, nil)
	user := f.srv.ID()
	resp := f.srv.PostWebhook(t, url, hookSecret, f.srv.Sticker(user, "A"), false)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("status %d", resp.StatusCode)
	}
	sent := f.srv.Sent()
	if len(sent) != 1 || sent[0].ChatID != user || !strings.HasPrefix(sent[0].Text, "Bot chỉ đọc được tin nhắn chữ.") {
		t.Errorf("sent %+v", sent)
	}
	h.none(t)
}

package zalo_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chanhlo/planbot/bot"
	"github.com/chanhlo/planbot/bot/zalo"
	"github.com/chanhlo/planbot/bot/zalo/zalotest"
	"github.com/chanhlo/planbot/plan"
)

var _ bot.Transport = (*zalo.Transport)(nil)

func TestNewReadsGetMe(t *testing.T) {
	f := newFixture(t, nil, zalotest.WithAccountName("bot.phuonganhoa"))
	if got := f.tr.BotID(); got != zalotest.DefaultBotID {
		t.Errorf("BotID = %q, want %q", got, zalotest.DefaultBotID)
	}
	if got := f.tr.AccountName(); got != "bot.phuonganhoa" {
		t.Errorf("AccountName = %q", got)
	}
	if f.tr.Name() != "zalo" {
		t.Errorf("Name = %q", f.tr.Name())
	}
	if got, want := f.tr.Capabilities(), (plan.Capabilities{MaxText: 2000}); got != want {
		t.Errorf("Capabilities = %+v, want %+v", got, want)
	}
}

func TestNewWrongToken(t *testing.T) {
	srv := zalotest.New(t, token)
	wrong := "987654321:wrong-token"
	_, err := zalo.New(context.Background(), zalo.Config{Token: wrong, API: srv.URL()})
	if err == nil {
		t.Fatal("New with a wrong token succeeded")
	}
	var ae *zalo.APIError
	if !errors.As(err, &ae) || ae.Code != 401 || ae.Method != "getMe" {
		t.Fatalf("err = %v, want an *APIError 401 from getMe", err)
	}
	if ae.Temporary() {
		t.Error("a refused token is Temporary")
	}
	if !strings.Contains(err.Error(), "token was refused") {
		t.Errorf("err = %q, want it to say the token was refused", err)
	}
	if strings.Contains(err.Error(), wrong) {
		t.Errorf("err holds the token: %q", err)
	}
}

func TestNewNetworkErrorHidesToken(t *testing.T) {
	dead := httptest.NewServer(nil)
	dead.Close()
	_, err := zalo.New(context.Background(), zalo.Config{Token: token, API: dead.URL})
	if err == nil {
		t.Fatal("New against a closed server succeeded")
	}
	if strings.Contains(err.Error(), token) {
		t.Errorf("err holds the token: %q", err)
	}
	if !strings.Contains(err.Error(), "<token>") {
		t.Errorf("err = %q, want the URL with the token redacted", err)
	}
}

func TestNewChecksConfig(t *testing.T) {
	srv := zalotest.New(t, token)
	for _, tt := range []struct {
		name string
		cfg  zalo.Config
		want string
	}{
		{"no token", zalo.Config{API: srv.URL()}, "no bot token"},
		{"bad mode", zalo.Config{Token: token, API: srv.URL(), Mode: "push"}, "mode"},
		{"webhook over http", zalo.Config{Token: token, API: srv.URL(), Mode: zalo.ModeWebhook,
			WebhookURL: "http://planbot.example/zalo", WebhookSecret: "s3cret-long"}, "https"},
		{"short secret", zalo.Config{Token: token, API: srv.URL(), Mode: zalo.ModeWebhook,
			WebhookURL: "https://planbot.example/zalo", WebhookSecret: "short"}, "8–256"},
		{"long secret", zalo.Config{Token: token, API: srv.URL(), Mode: zalo.ModeWebhook,
			WebhookURL: "https://planbot.example/zalo", WebhookSecret: strings.Repeat("x", 257)}, "8–256"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := zalo.New(context.Background(), tt.cfg)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want one mentioning %q", err, tt.want)
			}
		})
	}
	if srv.Calls("getMe") != 0 {
		t.Errorf("getMe called %d times for configurations that are wrong", srv.Calls("getMe"))
	}
}

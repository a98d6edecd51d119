package main

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chanhlo/planbot/bot/telegram/telegramtest"
)

// A transport that stops on its own takes serve down, non-zero, with the
// reason: here the webhook's port is taken. A bot that cannot hear must
// not keep its scheduler and dispatcher running as if healthy.
func TestServeExitsWhenTransportStops(t *testing.T) {
	t.Run("port taken", func(t *testing.T) {
		f := newServeFixture(t, time.Date(2023, 5, 10, 9, 0, 0, 0, time.UTC))
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		serveMustExit(t, f, ln.Addr().String())
	})
	t.Run("webhook refused", func(t *testing.T) {
		f := newServeFixture(t, time.Date(2023, 5, 10, 9, 0, 0, 0, time.UTC))
		f.srv.Inject(telegramtest.BadRequest("bad webhook: HTTPS url must be provided for webhook").On("setWebhook").Times(-1))
		serveMustExit(t, f, "127.0.0.1:0")
	})
}

// serveMustExit runs serve in webhook mode listening on listen and
// expects it to stop by itself, non-zero, saying its transport stopped.
func serveMustExit(t *testing.T, f *serveFixture, listen string) {
	t.Helper()
	conf := filepath.Join(t.TempDir(), "planbot.yaml")
	yaml := "telegram:\n  mode: webhook\n  webhook:\n    url: https://bot.example.invalid/telegram\n    listen: " + listen + "\n"
	if err := os.WriteFile(conf, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{
		"PLANBOT_DB":             f.cfg.DB,
		"PLANBOT_TELEGRAM_API":   f.srv.URL(),
		"PLANBOT_TELEGRAM_TOKEN": f.srv.Token(),
		"PLANBOT_WEBHOOK_SECRET": "s3cret-s3cret",
	}
	done := make(chan struct{})
	var code int
	var errOut string
	go func() {
		defer close(done)
		code, _, errOut = runCLI(t, env, "--config", conf, "serve")
	}()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("serve kept running with its webhook port taken")
	}
	if code == 0 || !strings.Contains(errOut, "kênh nhận tin đã dừng") {
		t.Errorf("exit %d\n%s", code, errOut)
	}
}

package main

import (
	"context"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
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
		"PLANBOT_HTTP_LISTEN":    "127.0.0.1:0",
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

// A Telegram that answers 5xx at start is retried: serve comes up once it
// answers.
func TestServeRetriesTelegramAtStart(t *testing.T) {
	f := newServeFixture(t, time.Date(2023, 5, 10, 9, 0, 0, 0, time.UTC))
	f.srv.Inject(telegramtest.InternalError().On("getMe").Times(2))
	m, err := NewMain(f.cfg, slog.New(slog.NewTextHandler(f.logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	m.Clock = f.clock
	// The backoff waits on a timer that fires at once, and says how long
	// it was asked to wait.
	// The dispatcher waits on the same timer once Run has returned: the
	// list is shared.
	var mu sync.Mutex
	var waits []time.Duration
	m.After = func(d time.Duration) <-chan time.Time {
		mu.Lock()
		waits = append(waits, d)
		mu.Unlock()
		ch := make(chan time.Time, 1)
		ch <- f.clock.Now()
		return ch
	}
	if err := m.Run(context.Background()); err != nil {
		t.Fatalf("Run: %v", err)
	}
	defer m.Close()
	mu.Lock()
	defer mu.Unlock()
	if len(waits) < 2 || waits[0] != time.Second || waits[1] != 2*time.Second {
		t.Errorf("backoff waits %v, want 1s then 2s", waits)
	}
	if !strings.Contains(f.logs.String(), "messenger not reachable at start; retrying") {
		t.Errorf("no retry logged:\n%s", f.logs.String())
	}
}

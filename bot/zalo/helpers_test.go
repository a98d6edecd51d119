package zalo_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chanhlo/planbot/bot"
	"github.com/chanhlo/planbot/bot/zalo"
	"github.com/chanhlo/planbot/bot/zalo/zalotest"
)

const token = "123456789:abc-xyz-test"

// waitFor bounds every wait in the tests; nothing sleeps.
const waitFor = 5 * time.Second

// logBuffer is a concurrency-safe log sink.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// fixture is a Transport talking to a fake server.
type fixture struct {
	srv   *zalotest.Server
	tr    *zalo.Transport
	logs  *logBuffer
	waits chan time.Duration // backoffs asked of Config.After
}

// newFixture starts a fake server and a Transport on it; edit adjusts the
// configuration before New.
func newFixture(t *testing.T, edit func(*zalo.Config), opts ...zalotest.Option) *fixture {
	t.Helper()
	opts = append([]zalotest.Option{zalotest.WithPollCap(20 * time.Millisecond)}, opts...)
	f := &fixture{srv: zalotest.New(t, token, opts...), logs: &logBuffer{}, waits: make(chan time.Duration, 100)}
	cfg := zalo.Config{
		Token:       token,
		API:         f.srv.URL(),
		PollTimeout: time.Second,
		Logger:      slog.New(slog.NewTextHandler(f.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		// Backoffs are recorded and end at once.
		After: func(d time.Duration) <-chan time.Time {
			f.waits <- d
			c := make(chan time.Time, 1)
			c <- time.Time{}
			return c
		},
	}
	if edit != nil {
		edit(&cfg)
	}
	tr, err := zalo.New(context.Background(), cfg)
	if err != nil {
		t.Fatalf("zalo.New: %v", err)
	}
	f.tr = tr
	t.Cleanup(func() {
		if strings.Contains(f.logs.String(), token) {
			t.Errorf("the token appears in the logs:\n%s", f.logs.String())
		}
	})
	return f
}

// run starts Run in the background; stop cancels it and returns its error.
func (f *fixture) run(t *testing.T, h bot.Handler) (stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- f.tr.Run(ctx, h) }()
	var once sync.Once
	var err error
	stop = func() error {
		t.Helper()
		once.Do(func() {
			cancel()
			select {
			case err = <-done:
			case <-time.After(waitFor):
				t.Fatal("Run did not return after its context was cancelled")
			}
		})
		return err
	}
	t.Cleanup(func() { stop() })
	return stop
}

// recorder is a handler that passes every event to a channel.
type recorder struct {
	events chan *bot.Event
	err    error
}

func newRecorder() *recorder { return &recorder{events: make(chan *bot.Event, 100)} }

func (r *recorder) Handle(_ context.Context, e *bot.Event) error {
	r.events <- e
	return r.err
}

// next waits for the next event.
func (r *recorder) next(t *testing.T) *bot.Event {
	t.Helper()
	select {
	case e := <-r.events:
		return e
	case <-time.After(waitFor):
		t.Fatal("no event reached the handler")
		return nil
	}
}

// none checks that no event is waiting.
func (r *recorder) none(t *testing.T) {
	t.Helper()
	select {
	case e := <-r.events:
		t.Fatalf("unexpected event %+v", e)
	default:
	}
}

func drain(c chan time.Duration) []time.Duration {
	var out []time.Duration
	for {
		select {
		case d := <-c:
			out = append(out, d)
		default:
			return out
		}
	}
}

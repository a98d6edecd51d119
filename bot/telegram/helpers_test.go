package telegram

import (
	"bytes"
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/chanhlo/planbot/bot"
	"github.com/chanhlo/planbot/bot/telegram/telegramtest"
)

// fakeTime is a clock that moves only when the transport sleeps.
type fakeTime struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
	// onSleep, when set, is called after each sleep with the total slept.
	onSleep func(total time.Duration)
	total   time.Duration
}

func newFakeTime() *fakeTime {
	return &fakeTime{now: time.Date(2023, 4, 3, 8, 0, 0, 0, time.UTC)}
}

func (f *fakeTime) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fakeTime) Sleep(ctx context.Context, d time.Duration) error {
	f.mu.Lock()
	f.now = f.now.Add(d)
	f.sleeps = append(f.sleeps, d)
	f.total += d
	total, hook := f.total, f.onSleep
	f.mu.Unlock()
	if hook != nil {
		hook(total)
	}
	return ctx.Err()
}

func (f *fakeTime) Sleeps() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.sleeps...)
}

// syncBuffer is a log sink safe for concurrent writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

type harness struct {
	srv  *telegramtest.Server
	tr   *Transport
	time *fakeTime
	logs *syncBuffer
}

// newHarness starts a fake server and a transport on it with a fake
// clock and no jitter (waits are exactly half the backoff step).
func newHarness(t *testing.T, opts []telegramtest.Option, mod ...func(*Config)) *harness {
	t.Helper()
	srv := telegramtest.New(t, opts...)
	return attach(t, srv, mod...)
}

// attach makes a new transport on an existing fake server.
func attach(t *testing.T, srv *telegramtest.Server, mod ...func(*Config)) *harness {
	t.Helper()
	h := &harness{srv: srv, time: newFakeTime(), logs: &syncBuffer{}}
	cfg := Config{
		Token:          srv.Token(),
		API:            srv.URL(),
		PollTimeout:    30 * time.Second,
		RequestTimeout: 5 * time.Second,
		Logger:         slog.New(slog.NewTextHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Clock:          h.time,
		Sleep:          h.time.Sleep,
		WebhookSecret:  "s3cret-token_1",
	}
	for _, m := range mod {
		m(&cfg)
	}
	tr, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	tr.jitter = func() float64 { return 0 }
	h.tr = tr
	return h
}

// run starts tr.Run in the background and returns a stop function that
// cancels it and waits for it to return.
func (h *harness) run(t *testing.T, handler bot.Handler) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- h.tr.Run(ctx, handler) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("Run returned %v", err)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("Run did not return after cancel")
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

// recorder is a handler that sends every event to a channel and answers
// with the error fail returns (nil when fail is nil).
type recorder struct {
	events chan *bot.Event
	fail   func(e *bot.Event, n int) error

	mu    sync.Mutex
	count map[string]int
}

func newRecorder(fail func(e *bot.Event, n int) error) *recorder {
	return &recorder{events: make(chan *bot.Event, 1000), fail: fail, count: make(map[string]int)}
}

func (r *recorder) Handle(_ context.Context, e *bot.Event) error {
	r.mu.Lock()
	r.count[e.ID]++
	n := r.count[e.ID]
	r.mu.Unlock()
	r.events <- e
	if r.fail != nil {
		return r.fail(e, n)
	}
	return nil
}

// next waits for the next event.
func (r *recorder) next(t *testing.T) *bot.Event {
	t.Helper()
	select {
	case e := <-r.events:
		return e
	case <-time.After(10 * time.Second):
		t.Fatal("no event within 10s")
		return nil
	}
}

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

package telegram

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/chanhlo/planbot/bot"
	"github.com/chanhlo/planbot/bot/telegram/telegramtest"
	"github.com/chanhlo/planbot/plan"
)

func TestRunMapsUpdatesInOrder(t *testing.T) {
	h := newHarness(t, nil)
	a := h.srv.PushText(100, 100, "/start abc123")
	b := h.srv.PushReply(-200, 100, "80%, còn 2 tổ", 41)
	c := h.srv.PushCallback(100, 100, "ack:7", 42)
	d := h.srv.PushDocument(100, 100, "bao-cao.xlsx", "application/vnd.ms-excel", []byte("xx"), "báo cáo tháng 4")
	rec := newRecorder(nil)
	h.run(t, rec)

	ev := rec.next(t)
	if ev.ID != strconv.Itoa(a) || ev.Transport != "telegram" || ev.ChatID != "100" || ev.UserID != "100" ||
		ev.Text != "/start abc123" || ev.UserName != "Cán bộ 100" || ev.MessageID == "" || ev.Callback != nil {
		t.Errorf("text event %+v", ev)
	}
	ev = rec.next(t)
	if ev.ID != strconv.Itoa(b) || ev.ChatID != "-200" || ev.UserID != "100" || ev.ReplyToID != "41" || ev.Text != "80%, còn 2 tổ" {
		t.Errorf("reply event %+v", ev)
	}
	ev = rec.next(t)
	if ev.ID != strconv.Itoa(c) || ev.Callback == nil || ev.Callback.Data != "ack:7" || ev.Callback.MessageID != "42" ||
		!strings.HasPrefix(ev.Callback.ID, "cbq-") || ev.ChatID != "100" {
		t.Errorf("callback event %+v %+v", ev, ev.Callback)
	}
	ev = rec.next(t)
	if ev.ID != strconv.Itoa(d) || ev.Document == nil || ev.Document.Name != "bao-cao.xlsx" || ev.Document.Size != 2 ||
		ev.Document.FileID == "" || ev.Text != "báo cáo tháng 4" {
		t.Errorf("document event %+v", ev)
	}
	// The callback is answered after it was handled.
	if err := h.srv.WaitCalls(testCtx(t), "answerCallbackQuery", 1); err != nil {
		t.Fatal(err)
	}
	if got := h.srv.Calls("answerCallbackQuery")[0].Params["callback_query_id"]; got != "cbq-1" {
		t.Errorf("answered %q", got)
	}
	// Everything is confirmed by the next poll.
	if err := h.srv.WaitCalls(testCtx(t), "getUpdates", 2); err != nil {
		t.Fatal(err)
	}
	offsets := h.srv.Offsets()
	if offsets[0] != 0 || offsets[1] != d+1 {
		t.Errorf("offsets %v, want [0 %d …]", offsets, d+1)
	}
	p := h.srv.Calls("getUpdates")[0].Params
	if p["timeout"] != "30" || p["limit"] != "100" || p["allowed_updates"] != `["message","callback_query"]` {
		t.Errorf("getUpdates params %v", p)
	}
}

func TestRunIgnoresOtherKindsButConfirmsThem(t *testing.T) {
	h := newHarness(t, nil)
	edited := h.srv.PushUpdate(tgbotapi.Update{EditedMessage: &tgbotapi.Message{MessageID: 1, Chat: &tgbotapi.Chat{ID: 1}, Text: "sửa"}})
	joined := h.srv.PushUpdate(tgbotapi.Update{Message: &tgbotapi.Message{MessageID: 2, Chat: &tgbotapi.Chat{ID: -5}, NewChatMembers: []tgbotapi.User{{ID: 3}}}})
	text := h.srv.PushText(1, 1, "xin chào")
	rec := newRecorder(nil)
	h.run(t, rec)
	if ev := rec.next(t); ev.ID != strconv.Itoa(text) {
		t.Fatalf("first event %s, want %d (edited %d and join %d ignored)", ev.ID, text, edited, joined)
	}
	if err := h.srv.WaitCalls(testCtx(t), "getUpdates", 2); err != nil {
		t.Fatal(err)
	}
	if got := h.srv.Pending(); len(got) != 0 {
		t.Errorf("pending %v", got)
	}
}

func TestRunRetriesFailedUpdate(t *testing.T) {
	h := newHarness(t, nil)
	a := h.srv.PushText(1, 1, "a")
	b := h.srv.PushCallback(1, 1, "b", 9)
	rec := newRecorder(func(e *bot.Event, n int) error {
		if e.ID == strconv.Itoa(b) && n <= 2 {
			return errors.New("database is locked")
		}
		return nil
	})
	h.run(t, rec)
	var got []string
	for range 4 {
		got = append(got, rec.next(t).ID)
	}
	want := []string{strconv.Itoa(a), strconv.Itoa(b), strconv.Itoa(b), strconv.Itoa(b)}
	if !slices.Equal(got, want) {
		t.Fatalf("events %v, want %v", got, want)
	}
	if err := h.srv.WaitCalls(testCtx(t), "getUpdates", 4); err != nil {
		t.Fatal(err)
	}
	// b was never confirmed while it failed: every poll after a's handling
	// asked from b again, until b succeeded.
	offsets := h.srv.Offsets()
	if !slices.Equal(offsets[:4], []int{0, a + 1, a + 1, b + 1}) {
		t.Errorf("offsets %v", offsets)
	}
	// Two back-offs of the handler retry, growing.
	if s := h.time.Sleeps(); len(s) < 2 || s[0] != 500*time.Millisecond || s[1] != time.Second {
		t.Errorf("sleeps %v", s)
	}
	// The callback is answered once, after success.
	if err := h.srv.WaitCalls(testCtx(t), "answerCallbackQuery", 1); err != nil {
		t.Fatal(err)
	}
	if n := len(h.srv.Calls("answerCallbackQuery")); n != 1 {
		t.Errorf("answered %d times", n)
	}
}

func TestRunSkipsPoisonUpdate(t *testing.T) {
	h := newHarness(t, nil, func(c *Config) { c.MaxAttempts = 3 })
	bad := h.srv.PushCallback(1, 1, "poison", 1)
	good := h.srv.PushText(1, 1, "ok")
	rec := newRecorder(func(e *bot.Event, n int) error {
		if e.ID == strconv.Itoa(bad) {
			return errors.New("panic recovered")
		}
		return nil
	})
	h.run(t, rec)
	var got []string
	for range 4 {
		got = append(got, rec.next(t).ID)
	}
	want := []string{strconv.Itoa(bad), strconv.Itoa(bad), strconv.Itoa(bad), strconv.Itoa(good)}
	if !slices.Equal(got, want) {
		t.Fatalf("events %v, want %v", got, want)
	}
	if !strings.Contains(h.logs.String(), "update skipped") {
		t.Errorf("skip not logged:\n%s", h.logs.String())
	}
	// The skipped press is still answered, so the spinner stops.
	if err := h.srv.WaitCalls(testCtx(t), "answerCallbackQuery", 1); err != nil {
		t.Fatal(err)
	}
}

func TestRunRestartLosesNothing(t *testing.T) {
	srv := telegramtest.New(t)
	var ids []int
	for i := range 6 {
		ids = append(ids, srv.PushText(1, 1, "tin "+strconv.Itoa(i)))
	}
	first := attach(t, srv)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	handled := make(chan string, 10)
	release := make(chan struct{})
	// The first process handles three updates, then is stopped while the
	// fourth is in its handler (a deploy). The handler's context is not
	// cancelled: it finishes, its update is confirmed, and the two after
	// it are not started.
	go func() {
		done <- first.tr.Run(ctx, bot.HandlerFunc(func(hctx context.Context, e *bot.Event) error {
			if e.ID == strconv.Itoa(ids[3]) {
				cancel()
				<-release
				if err := hctx.Err(); err != nil {
					return err
				}
			}
			handled <- e.ID
			return nil
		}))
	}()
	select {
	case err := <-done:
		t.Fatalf("Run returned %v while an update was being handled", err)
	default:
	}
	close(release)
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("first Run did not stop")
	}
	close(handled)
	var firstIDs []string
	for id := range handled {
		firstIDs = append(firstIDs, id)
	}
	if want := []string{strconv.Itoa(ids[0]), strconv.Itoa(ids[1]), strconv.Itoa(ids[2]), strconv.Itoa(ids[3])}; !slices.Equal(firstIDs, want) {
		t.Fatalf("first run handled %v, want %v", firstIDs, want)
	}
	// Handled updates were confirmed on the way out; the rest wait.
	if got := srv.Pending(); !slices.Equal(got, ids[4:]) {
		t.Fatalf("pending after stop %v, want %v", got, ids[4:])
	}

	second := attach(t, srv)
	rec := newRecorder(nil)
	second.run(t, rec)
	for _, want := range ids[4:] {
		if got := rec.next(t).ID; got != strconv.Itoa(want) {
			t.Fatalf("second run got %s, want %d", got, want)
		}
	}
	select {
	case e := <-rec.events:
		t.Errorf("unexpected redelivery %s", e.ID)
	default:
	}
}

// A handler stuck past HandleTimeout sees its context end; its update is
// not confirmed and comes again.
func TestRunHandleTimeout(t *testing.T) {
	h := newHarness(t, nil, func(c *Config) { c.HandleTimeout = 50 * time.Millisecond })
	id := h.srv.PushText(1, 1, "80%")
	rec := newRecorder(nil)
	h.run(t, bot.HandlerFunc(func(hctx context.Context, e *bot.Event) error {
		_ = rec.Handle(hctx, e)
		if rec.count[e.ID] == 1 {
			if _, ok := hctx.Deadline(); !ok {
				t.Error("handler context has no deadline")
			}
			<-hctx.Done()
			return hctx.Err()
		}
		return nil
	}))
	for n := range 2 {
		if got := rec.next(t).ID; got != strconv.Itoa(id) {
			t.Fatalf("delivery %d: got %s, want %d", n+1, got, id)
		}
	}
	if err := h.srv.WaitCalls(testCtx(t), "getUpdates", 3); err != nil {
		t.Fatal(err)
	}
	if p := h.srv.Pending(); len(p) != 0 {
		t.Errorf("pending %v after the second delivery succeeded", p)
	}
}

func TestRunEarlyEmptyAnswersDoNotSpin(t *testing.T) {
	h := newHarness(t, []telegramtest.Option{telegramtest.WithMaxPollWait(0)})
	ctx, cancel := context.WithCancel(t.Context())
	const window = time.Minute
	h.time.onSleep = func(total time.Duration) {
		if total >= window {
			cancel()
		}
	}
	done := make(chan error, 1)
	go func() { done <- h.tr.Run(ctx, newRecorder(nil)) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not stop")
	}
	calls := len(h.srv.Calls("getUpdates"))
	if calls > int(window/h.tr.minPause)+1 || calls < 10 {
		t.Errorf("%d getUpdates calls in %v of fake time", calls, window)
	}
	for _, d := range h.time.Sleeps() {
		if d != h.tr.minPause {
			t.Errorf("slept %v, want %v", d, h.tr.minPause)
		}
	}
}

func TestRunLongPollIsNotEarly(t *testing.T) {
	// An empty answer after the full poll timeout is normal: no pause.
	h := newHarness(t, []telegramtest.Option{telegramtest.WithMaxPollWait(0)})
	ctx, cancel := context.WithCancel(t.Context())
	polls := 0
	h.tr.clock = clockFunc(func() time.Time {
		polls++ // each poll reads the clock twice: 30s pass in between
		if polls >= 20 {
			cancel()
		}
		return time.Unix(int64(polls/2*31), 0)
	})
	if err := h.tr.Run(ctx, newRecorder(nil)); err != nil {
		t.Fatal(err)
	}
	if s := h.time.Sleeps(); len(s) != 0 {
		t.Errorf("paused after full-length polls: %v", s)
	}
}

type clockFunc func() time.Time

func (f clockFunc) Now() time.Time { return f() }

func TestRunBacksOff(t *testing.T) {
	for name, tc := range map[string]struct {
		fault  telegramtest.Fault
		sleeps []time.Duration
		log    string
	}{
		"409": {telegramtest.Conflict().Times(3),
			[]time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second}, "another poller or a webhook"},
		"500": {telegramtest.InternalError().Times(4),
			[]time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second}, "getUpdates failed"},
		"429": {telegramtest.TooManyRequests(9).Times(2),
			[]time.Duration{9 * time.Second, 9 * time.Second}, "rate limited"},
		"hang": {telegramtest.Hang().Times(1),
			[]time.Duration{500 * time.Millisecond}, "getUpdates failed"},
	} {
		t.Run(name, func(t *testing.T) {
			h := newHarness(t, nil, func(c *Config) {
				c.PollTimeout = time.Second
				c.RequestTimeout = 200 * time.Millisecond
			})
			h.srv.Inject(tc.fault.On("getUpdates"))
			id := h.srv.PushText(1, 1, "sau lỗi")
			rec := newRecorder(nil)
			h.run(t, rec)
			if ev := rec.next(t); ev.ID != strconv.Itoa(id) {
				t.Fatalf("event %s", ev.ID)
			}
			if got := h.time.Sleeps(); !slices.Equal(got, tc.sleeps) {
				t.Errorf("sleeps %v, want %v", got, tc.sleeps)
			}
			if !strings.Contains(h.logs.String(), tc.log) {
				t.Errorf("log lacks %q:\n%s", tc.log, h.logs.String())
			}
			if strings.Contains(h.logs.String(), h.srv.Token()) {
				t.Errorf("token in logs:\n%s", h.logs.String())
			}
		})
	}
}

func TestBackoffCapAndJitter(t *testing.T) {
	tr := &Transport{backoffBase: time.Second, backoffMax: time.Minute, jitter: func() float64 { return 0.999 }}
	if d := tr.backoff(1); d < 999*time.Millisecond || d >= time.Second {
		t.Errorf("backoff(1) = %v", d)
	}
	if d := tr.backoff(40); d >= time.Minute || d < 59*time.Second {
		t.Errorf("backoff(40) = %v", d)
	}
	tr.jitter = func() float64 { return 0 }
	if d := tr.backoff(40); d != 30*time.Second {
		t.Errorf("backoff(40) without jitter = %v", d)
	}
}

func TestRunStopsPromptlyDuringLongPoll(t *testing.T) {
	h := newHarness(t, nil, func(c *Config) { c.PollTimeout = time.Hour })
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- h.tr.Run(ctx, newRecorder(nil)) }()
	if err := h.srv.WaitCalls(testCtx(t), "getUpdates", 1); err != nil {
		t.Fatal(err)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run still polling 5s after cancel")
	}
}

// A ward's own bot carries its name on every event and sends only to
// addresses of that name: the same person has the same chat id with every
// bot of the deployment.
func TestNamedTransport(t *testing.T) {
	h := newHarness(t, nil, func(c *Config) { c.Name = "telegram/chanh-lo" })
	if h.tr.Name() != "telegram/chanh-lo" {
		t.Fatalf("Name = %q", h.tr.Name())
	}
	h.srv.PushText(100, 100, "xin chào")
	rec := newRecorder(nil)
	h.run(t, rec)
	if ev := rec.next(t); ev.Transport != "telegram/chanh-lo" || ev.Address().Transport != "telegram/chanh-lo" {
		t.Errorf("event of transport %q, want the bot's name", ev.Transport)
	}
	ctx := context.Background()
	if _, err := h.tr.Send(ctx, to(100), plan.Message{Text: "x"}); err == nil {
		t.Error("a message for the shared bot (transport telegram) went out through a ward's bot")
	}
	if _, err := h.tr.Send(ctx, plan.Address{Transport: "telegram/chanh-lo", ChatID: "100"}, plan.Message{Text: "y"}); err != nil {
		t.Errorf("send to the bot's own address: %v", err)
	}
}

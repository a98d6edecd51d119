package zalo_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/chanhlo/planbot/bot"
	"github.com/chanhlo/planbot/bot/zalo"
	"github.com/chanhlo/planbot/bot/zalo/zalotest"
	"github.com/chanhlo/planbot/texts"
)

func TestPollDeliversEachUpdateOnce(t *testing.T) {
	f := newFixture(t, nil)
	h := newRecorder()
	stop := f.run(t, h)
	// Two idle polls (ok:false 408) first: not errors, no backoff.
	f.srv.WaitCalls(t, "getUpdates", 3, waitFor)

	user := f.srv.ID()
	first := f.srv.Text(user, "Nguyễn Văn A", "1.c 80%")
	echo := f.srv.Text(f.srv.BotID(), "Bot Phường", "bot's own message")
	otherBot := f.srv.Text(f.srv.ID(), "Bot khác", "hello")
	otherBot.Message.From.IsBot = true
	group := f.srv.ID()
	f.srv.Push(first)
	f.srv.PushEmpty() // ok:true, no result: nothing
	f.srv.Push(first) // the same message again
	f.srv.Push(echo)
	f.srv.Push(otherBot)
	f.srv.Push(f.srv.Text(user, "Nguyễn Văn A", "2.a xong"))
	f.srv.Push(f.srv.GroupText(group, user, "Nguyễn Văn A", "@bot /nhiemvu"))

	e := h.next(t)
	want := bot.Event{
		Transport: "zalo", ID: first.Message.MessageID, UserID: user, ChatID: user,
		UserName: "Nguyễn Văn A", MessageID: first.Message.MessageID, Text: "1.c 80%", Bot: zalotest.DefaultBotID,
	}
	if *e != want {
		t.Errorf("event = %+v\nwant    %+v", *e, want)
	}
	if e := h.next(t); e.Text != "2.a xong" || e.Group {
		t.Errorf("second event = %+v, want the private 2.a xong", e)
	}
	e = h.next(t)
	if e.Text != "@bot /nhiemvu" || !e.Group || !e.Mentioned || e.ChatID != group || e.UserID != user {
		t.Errorf("group event = %+v", e)
	}
	if err := stop(); err != nil {
		t.Errorf("Run = %v, want nil after cancel", err)
	}
	h.none(t)
	if w := drain(f.waits); len(w) != 0 {
		t.Errorf("backed off %v on idle answers", w)
	}
	if n := f.srv.Pending(); n != 0 {
		t.Errorf("%d updates left in the queue", n)
	}
}

func TestPollAnswersNonTextKindly(t *testing.T) {
	f := newFixture(t, nil)
	h := newRecorder()
	f.run(t, h)
	user := f.srv.ID()
	unsupported := f.srv.Text(user, "A", "")
	unsupported.EventName = zalotest.EventUnsupported
	unknown := f.srv.Text(user, "A", "")
	unknown.EventName = "message.voice.received"
	f.srv.Push(f.srv.Image(user, "A"))
	f.srv.Push(f.srv.Sticker(user, "A"))
	f.srv.Push(unsupported)
	f.srv.Push(unknown)
	sent := f.srv.WaitSent(t, 4, waitFor)
	want := zalo.Plain(texts.ZaloTextOnly)
	for _, m := range sent {
		if m.ChatID != user || m.Text != want {
			t.Errorf("sent %+v, want the text-only note to %s", m, user)
		}
	}
	if !strings.Contains(want, "1.c 80%") || !strings.Contains(want, "/huongdan") || strings.Contains(want, "<b>") {
		t.Errorf("note = %q", want)
	}
	h.none(t)
}

func TestPollStopsOnRefusedToken(t *testing.T) {
	f := newFixture(t, nil)
	f.srv.FailNext("getUpdates", 401, "Unauthorized", 1)
	err := f.tr.Run(context.Background(), newRecorder())
	var ae *zalo.APIError
	if !errors.As(err, &ae) || ae.Code != 401 {
		t.Fatalf("Run = %v, want an *APIError 401", err)
	}
	if !strings.Contains(err.Error(), "token was refused") {
		t.Errorf("err = %q", err)
	}
}

func TestPollBacksOff(t *testing.T) {
	f := newFixture(t, nil)
	f.srv.FailNext("getUpdates", 429, "Quota exceeded", 3)
	f.srv.FailNext("getUpdates", 500, "Internal Server Error", 2)
	f.srv.FailNext("getUpdates", 403, "Internal server error", 2)
	f.srv.Push(f.srv.Text(f.srv.ID(), "A", "1.c 80%"))
	h := newRecorder()
	f.run(t, h)
	if e := h.next(t); e.Text != "1.c 80%" {
		t.Errorf("event = %+v", e)
	}
	got := drain(f.waits)
	want := []time.Duration{1 * time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second, 30 * time.Second, 30 * time.Second}
	if len(got) != len(want) {
		t.Fatalf("backoffs %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("backoffs %v, want %v", got, want)
		}
	}
}

func TestPollDeletesWebhookFirst(t *testing.T) {
	f := newFixture(t, nil)
	f.srv.SetWebhook("https://other.example/zalo", "other-secret")
	f.srv.Push(f.srv.Text(f.srv.ID(), "A", "1.c 80%"))
	h := newRecorder()
	f.run(t, h)
	if e := h.next(t); e.Text != "1.c 80%" {
		t.Errorf("event = %+v", e)
	}
	if n := f.srv.Calls("deleteWebhook"); n != 1 {
		t.Errorf("deleteWebhook called %d times, want 1", n)
	}
	if u, _ := f.srv.Webhook(); u != "" {
		t.Errorf("webhook still set to %q", u)
	}
	if !strings.Contains(f.logs.String(), "a webhook is set") {
		t.Errorf("no warning about the webhook in the logs:\n%s", f.logs.String())
	}
	if w := drain(f.waits); len(w) != 0 {
		t.Errorf("backed off %v", w)
	}
}

func TestPollFinishesUpdateInFlight(t *testing.T) {
	f := newFixture(t, nil)
	started := make(chan context.Context)
	release := make(chan struct{})
	h := bot.HandlerFunc(func(ctx context.Context, e *bot.Event) error {
		started <- ctx
		<-release
		return nil
	})
	f.srv.Push(f.srv.Text(f.srv.ID(), "A", "1.c 80%"))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- f.tr.Run(ctx, h) }()
	hctx := <-started
	cancel()
	select {
	case err := <-done:
		t.Fatalf("Run returned (%v) while an update was being handled", err)
	default:
	}
	if hctx.Err() != nil {
		t.Errorf("the handler's context ended with Run's: %v", hctx.Err())
	}
	if _, ok := hctx.Deadline(); !ok {
		t.Error("the handler's context has no deadline")
	}
	close(release)
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run = %v", err)
		}
	case <-time.After(waitFor):
		t.Fatal("Run did not return")
	}
}

func TestRunWebhookMode(t *testing.T) {
	const hook, secret = "https://planbot.example/zalo/hook", "s3cret-for-zalo"
	f := newFixture(t, func(c *zalo.Config) {
		c.Mode, c.WebhookURL, c.WebhookSecret = zalo.ModeWebhook, hook, secret
	})
	stop := f.run(t, newRecorder())
	f.srv.WaitCalls(t, "setWebhook", 1, waitFor)
	if err := stop(); err != nil {
		t.Errorf("Run = %v", err)
	}
	if u, s := f.srv.Webhook(); u != hook || s != secret {
		t.Errorf("webhook = %q %q, want %q %q", u, s, hook, secret)
	}
	if n := f.srv.Calls("deleteWebhook") + f.srv.Calls("getUpdates"); n != 0 {
		t.Errorf("deleteWebhook/getUpdates called %d times in webhook mode", n)
	}
}

func TestRunWebhookRefused(t *testing.T) {
	f := newFixture(t, func(c *zalo.Config) {
		c.Mode, c.WebhookURL, c.WebhookSecret = zalo.ModeWebhook, "https://planbot.example/hook", "s3cret-for-zalo"
	})
	f.srv.FailNext("setWebhook", 400, "Bad Request: url is not reachable", 1)
	err := f.tr.Run(context.Background(), newRecorder())
	var ae *zalo.APIError
	if !errors.As(err, &ae) || ae.Code != 400 || !strings.Contains(err.Error(), "setWebhook") {
		t.Errorf("Run = %v, want the setWebhook refusal", err)
	}
}

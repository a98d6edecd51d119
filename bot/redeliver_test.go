package bot_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chanhlo/planbot/bot"
	"github.com/chanhlo/planbot/plan"
)

// flakyProgress fails AddProgress while fail is set, like a database
// that went away for a moment.
type flakyProgress struct {
	plan.ProgressStore
	mu   sync.Mutex
	fail error
	adds int
}

func (f *flakyProgress) AddProgress(ctx context.Context, p *plan.Progress, audit ...plan.AuditEntry) error {
	f.mu.Lock()
	err := f.fail
	f.mu.Unlock()
	if err != nil {
		return err
	}
	f.mu.Lock()
	f.adds++
	f.mu.Unlock()
	return f.ProgressStore.AddProgress(ctx, p, audit...)
}

func (f *flakyProgress) set(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fail = err
}

// newFlakyEnv is newEnv with a progress store that can be made to fail.
func newFlakyEnv(t *testing.T) (*env, *flakyProgress) {
	t.Helper()
	e := newEnv(t, telegramCaps)
	fp := &flakyProgress{ProgressStore: e.db}
	d := e.core.Deps()
	d.Progress = fp
	d.Logger = slog.New(slog.DiscardHandler)
	core, err := bot.New(d)
	if err != nil {
		t.Fatal(err)
	}
	e.core = core
	return e, fp
}

// A report whose handling fails on the database is apologised for once
// and handled when the transport delivers it again; a third delivery is
// a duplicate.
func TestFailedUpdateIsHandledOnRedelivery(t *testing.T) {
	e, fp := newFlakyEnv(t)
	e.register("ca", "Nguyễn Văn Công", "Công an phường", plan.RoleOfficer)
	ctx := context.Background()
	report := func() *bot.Event {
		return &bot.Event{Transport: "telegram", ID: "777", UserID: "ca", ChatID: "ca", Text: "1.c 80% đã gửi văn bản"}
	}

	fp.set(errors.New("connection reset by peer"))
	n := e.tg.count()
	for attempt := 1; attempt <= 2; attempt++ {
		if err := e.core.Handle(ctx, report()); err == nil {
			t.Fatalf("attempt %d: Handle = nil while the database fails", attempt)
		}
	}
	got := e.tg.since(n, "ca")
	if len(got) != 1 || !strings.Contains(got[0].Text, "Xin lỗi") {
		t.Fatalf("after two failed attempts sent %+v, want one apology", got)
	}

	fp.set(nil)
	n = e.tg.count()
	if err := e.core.Handle(ctx, report()); err != nil {
		t.Fatalf("redelivery: %v", err)
	}
	got = e.tg.since(n, "ca")
	if len(got) != 1 || !strings.Contains(got[0].Text, "Đã ghi nhận") || !strings.Contains(got[0].Text, "80%") {
		t.Fatalf("redelivery answered %+v, want the confirmation", got)
	}

	n = e.tg.count()
	if err := e.core.Handle(ctx, report()); err != nil {
		t.Fatal(err)
	}
	if got := e.tg.since(n, ""); len(got) != 0 {
		t.Errorf("a duplicate was answered: %+v", got)
	}
	ps, err := e.db.ListProgress(ctx, plan.ProgressFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 1 || fp.adds != 1 {
		t.Errorf("%d reports stored (%d adds), want 1", len(ps), fp.adds)
	}
}

// What a handler answers with a *plan.Error is handled: the update is
// not handled again. A reply the transport refused after the work was
// done counts as handled too, so the work is not repeated.
func TestUpdateHandledDespiteUserErrorOrUndeliveredReply(t *testing.T) {
	e := newEnv(t, telegramCaps)
	e.register("ca", "Nguyễn Văn Công", "Công an phường", plan.RoleOfficer)
	runs := 0
	e.core.AddCommand(bot.Command{Name: "lam", Run: func(ctx context.Context, r *bot.Request) error {
		runs++
		if r.Text == "sai" {
			return plan.Errorf(plan.EInvalid, "Sai cú pháp")
		}
		return fmt.Errorf("reply: %w", &plan.SendError{Failure: plan.SendUnreachable, Err: errors.New("Forbidden: bot was blocked by the user")})
	}})
	ctx := context.Background()
	for _, text := range []string{"/lam sai", "/lam"} {
		ev := func() *bot.Event {
			return &bot.Event{Transport: "telegram", ID: text, UserID: "ca", ChatID: "ca", Text: text}
		}
		before := runs
		if err := e.core.Handle(ctx, ev()); err != nil {
			t.Errorf("%s: Handle = %v, want nil", text, err)
		}
		if err := e.core.Handle(ctx, ev()); err != nil {
			t.Errorf("%s again: Handle = %v, want nil", text, err)
		}
		if runs-before != 1 {
			t.Errorf("%s ran %d times, want once", text, runs-before)
		}
	}
}

// forgetSpy is an update log that records what it was asked to forget
// and refuses to forget on a finished context.
type forgetSpy struct {
	plan.UpdateLog
	mu     sync.Mutex
	forgot []string
}

func (f *forgetSpy) Forget(ctx context.Context, transport, id string) error {
	f.mu.Lock()
	f.forgot = append(f.forgot, transport+"/"+id)
	f.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return err
	}
	return f.UpdateLog.Forget(ctx, transport, id)
}

// A handler cut off by its deadline is forgotten with a context of its
// own, so the redelivery is handled.
func TestDeadlineExceededUpdateIsForgotten(t *testing.T) {
	e := newEnv(t, telegramCaps)
	spy := &forgetSpy{UpdateLog: e.db}
	d := e.core.Deps()
	d.Updates = spy
	core, err := bot.New(d)
	if err != nil {
		t.Fatal(err)
	}
	e.core = core
	e.register("ca", "Nguyễn Văn Công", "Công an phường", plan.RoleOfficer)
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	slow := true
	core.AddCommand(bot.Command{Name: "cham", Run: func(ctx context.Context, r *bot.Request) error {
		if slow {
			cancel() // the transport's HandleTimeout, as it would end
			return ctx.Err()
		}
		return r.Reply(ctx, plan.Message{Text: "xong"})
	}})
	ev := &bot.Event{Transport: "telegram", ID: "9", UserID: "ca", ChatID: "ca", Text: "/cham"}
	if err := core.Handle(ctx, ev); err == nil {
		t.Fatal("Handle = nil for a cancelled handler")
	}
	if len(spy.forgot) != 1 || spy.forgot[0] != "telegram/9" {
		t.Fatalf("forgot %v", spy.forgot)
	}
	slow = false
	if ms := e.do(&bot.Event{Transport: "telegram", ID: "9", UserID: "ca", ChatID: "ca", Text: "/cham"}); len(ms) != 1 || ms[0].Text != "xong" {
		t.Fatalf("redelivery answered %+v", ms)
	}
}

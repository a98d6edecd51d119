package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chanhlo/planbot/bot"
)

// Close while an officer's "80%" is being handled: the report is
// finished (stored and confirmed to the officer) before Close returns,
// and after a restart it is neither lost nor handled a second time.
func TestServeCloseFinishesUpdateInFlight(t *testing.T) {
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	f := newServeFixture(t, time.Date(2023, 5, 3, 9, 0, 0, 0, loc))
	const officer = 4004
	m := f.startWithOfficer(officer, "Trạm y tế")

	// Hold the report inside the core, after de-duplication recorded it,
	// until Close has been called.
	entered, release := make(chan struct{}), make(chan struct{})
	m.Core.Use(func(next bot.Handler) bot.Handler {
		return bot.HandlerFunc(func(ctx context.Context, e *bot.Event) error {
			if strings.Contains(e.Text, "80%") {
				close(entered)
				<-release
			}
			return next.Handle(ctx, e)
		})
	})
	f.srv.PushText(officer, officer, "5.a 80% đã đối chiếu 5 tổ dân phố")
	select {
	case <-entered:
	case <-time.After(15 * time.Second):
		t.Fatalf("the report never reached the core\nlogs:\n%s", f.logs)
	}
	closed := make(chan error, 1)
	go func() { closed <- m.Close() }()
	select {
	case err := <-closed:
		t.Fatalf("Close returned (%v) while an update was being handled", err)
	default:
	}
	close(release)
	select {
	case err := <-closed:
		if err != nil {
			t.Fatalf("Close: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("Close did not return")
	}
	ok := f.await(officer, "Đã ghi nhận")
	if !strings.Contains(ok.Text, "5.a") || !strings.Contains(ok.Text, "80%") {
		t.Errorf("confirmation = %q, want 5.a and 80%%", ok.Text)
	}
	if p := f.srv.Pending(); len(p) != 0 {
		t.Errorf("updates still pending at Telegram after Close: %v", p)
	}

	// After a restart the report is there, once.
	before := len(f.srv.Sent(officer))
	f.start()
	f.srv.PushText(officer, officer, "/xem 5.a")
	detail := f.await(officer, "Chủ trì: Trạm y tế phường")
	if !strings.Contains(detail.Text, "80%") {
		t.Errorf("/xem 5.a after restart does not show the report:\n%s", detail.Text)
	}
	if got := f.srv.Sent(officer)[before:]; len(got) != 1 {
		var texts []string
		for _, m := range got {
			texts = append(texts, m.Text)
		}
		t.Errorf("after restart %d messages, want only the /xem answer:\n%s", len(got), strings.Join(texts, "\n---\n"))
	}
	confirmations := 0
	for _, m := range f.srv.Sent(officer) {
		if strings.Contains(m.Text, "Đã ghi nhận") {
			confirmations++
		}
	}
	if confirmations != 1 {
		t.Errorf("%d confirmations of the report, want 1", confirmations)
	}
}

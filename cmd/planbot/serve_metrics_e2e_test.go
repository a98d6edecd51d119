package main

import (
	"bufio"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chanhlo/planbot/bot"
	"github.com/chanhlo/planbot/bot/local"
)

// httpGet GETs path from the running server and returns the status and
// body.
func httpGet(t *testing.T, m *Main, path string) (int, string) {
	t.Helper()
	res, err := http.Get("http://" + m.HTTP.Addr() + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, string(body)
}

// metricValue sums the series of name whose labels include every one
// of labels (`result="sent"`).
func metricValue(t *testing.T, body, name string, labels ...string) float64 {
	t.Helper()
	var sum float64
	found := false
	sc := bufio.NewScanner(strings.NewReader(body))
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, name+" ") && !strings.HasPrefix(line, name+"{") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		series := line[:i]
		match := true
		for _, l := range labels {
			match = match && strings.Contains(series, l)
		}
		if !match {
			continue
		}
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatalf("line %q: %v", line, err)
		}
		sum, found = sum+v, true
	}
	if !found {
		t.Errorf("no series %s%v in:\n%s", name, labels, body)
	}
	return sum
}

// An operator's view of planbot serve: after an officer registered, got
// a reminder and reported, /metrics counts the update, the delivery, the
// report and the tick, and /readyz is 200; once Main closes, 503.
func TestServeMetricsAndReadiness(t *testing.T) {
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	f := newServeFixture(t, time.Date(2023, 4, 19, 7, 59, 0, 0, loc))
	const officer = 5005
	m := f.startWithOfficer(officer, "cong an")

	if code, body := httpGet(t, m, "/readyz"); code != 200 || body != "ok\n" {
		t.Errorf("GET /readyz = %d %q, want 200 ok", code, body)
	}
	f.clock.mu.Lock()
	f.clock.offset += time.Minute
	f.clock.mu.Unlock()
	if err := f.mainTick(); err != nil {
		t.Fatal(err)
	}
	reminder := f.await(officer, "Nhắc hạn")
	f.srv.PushReply(officer, officer, "1.c 80% đã gửi văn bản đăng ký", reminder.MessageID)
	f.await(officer, "Đã ghi nhận")

	code, body := httpGet(t, m, "/metrics")
	if code != 200 {
		t.Fatalf("GET /metrics = %d\n%s", code, body)
	}
	for _, c := range []struct {
		name   string
		labels []string
	}{
		{"planbot_updates_handled_total", []string{`transport="telegram"`, `result="ok"`}},
		{"planbot_deliveries_total", []string{`transport="telegram"`, `result="sent"`}},
		{"planbot_reports_recorded_total", nil},
		{"planbot_scheduler_ticks_total", nil},
		{"planbot_reminders_planned_total", nil},
		{"planbot_http_requests_total", []string{`route="GET /readyz"`, `code="200"`}},
	} {
		if v := metricValue(t, body, c.name, c.labels...); v < 1 {
			t.Errorf("%s%v = %v, want ≥ 1", c.name, c.labels, v)
		}
	}
	metricValue(t, body, "planbot_outbox_pending")
	metricValue(t, body, "planbot_outbox_oldest_pending_seconds")
	if strings.Contains(body, f.srv.Token()) {
		t.Error("the bot token is in the metrics")
	}

	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	m.HTTP.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
	if rec.Code != 503 || !strings.Contains(rec.Body.String(), "intake: shutting down") || !strings.Contains(rec.Body.String(), "database: ") {
		t.Errorf("after Close: GET /readyz = %d %q, want 503 shutting down, database closed", rec.Code, rec.Body)
	}
}

// stoppingTransport is the in-process transport, whose Run stops with an
// error when told.
type stoppingTransport struct {
	*local.Transport
	stop chan struct{}
}

func (s *stoppingTransport) Run(ctx context.Context, _ bot.Handler) error {
	select {
	case <-ctx.Done():
		return nil
	case <-s.stop:
		return errors.New("token revoked")
	}
}

// A transport that stops on its own makes /readyz 503, naming it, while
// the process still runs.
func TestServeReadinessTransportStopped(t *testing.T) {
	f := newServeFixture(t, time.Date(2023, 5, 10, 9, 0, 0, 0, time.UTC))
	tr := &stoppingTransport{Transport: local.New(f.clock), stop: make(chan struct{})}
	m, err := NewMain(f.cfg, slog.New(slog.NewTextHandler(f.logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	m.Clock, m.Transports = f.clock, []bot.Transport{tr}
	if err := m.Run(context.Background()); err != nil {
		t.Fatalf("Run: %v", err)
	}
	defer m.Close()
	if code, body := httpGet(t, m, "/readyz"); code != 200 {
		t.Fatalf("GET /readyz = %d %q, want 200", code, body)
	}
	close(tr.stop)
	select {
	case <-m.Failed():
	case <-time.After(15 * time.Second):
		t.Fatal("the stopped transport was not reported")
	}
	code, body := httpGet(t, m, "/readyz")
	if code != 503 || body != "intake: transport local stopped\n" {
		t.Errorf("GET /readyz = %d %q, want 503 intake: transport local stopped", code, body)
	}
}

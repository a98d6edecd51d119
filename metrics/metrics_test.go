package metrics_test

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

	"github.com/chanhlo/planbot/metrics"
	"github.com/chanhlo/planbot/plan"
)

var now = time.Date(2023, 5, 2, 1, 0, 0, 0, time.UTC)

// scrape GETs the metrics and returns the value of every series, keyed
// by the series as written ("name{label=\"v\"}").
func scrape(t *testing.T, m *metrics.Metrics) map[string]float64 {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /metrics = %d: %s", rec.Code, rec.Body)
	}
	out := map[string]float64{}
	sc := bufio.NewScanner(rec.Body)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatalf("line %q: %v", line, err)
		}
		out[line[:i]] = v
	}
	return out
}

func want(t *testing.T, got map[string]float64, series string, value float64) {
	t.Helper()
	v, ok := got[series]
	if !ok {
		t.Errorf("no series %s", series)
		return
	}
	if v != value {
		t.Errorf("%s = %v, want %v", series, v, value)
	}
}

type fakeUpdates struct{ seen map[string]bool }

func (u *fakeUpdates) FirstSeen(_ context.Context, source, id string, _ time.Time) (bool, error) {
	if u.seen[source+"/"+id] {
		return false, nil
	}
	u.seen[source+"/"+id] = true
	return true, nil
}

func (u *fakeUpdates) Forget(_ context.Context, source, id string) error {
	delete(u.seen, source+"/"+id)
	return nil
}

type fakeProgress struct {
	plan.ProgressStore
	fail bool
}

func (p *fakeProgress) AddProgress(context.Context, *plan.Progress, ...plan.AuditEntry) error {
	if p.fail {
		return errors.New("disk full")
	}
	return nil
}

type fakeOutbox struct {
	pending int
	oldest  time.Time
	err     error
}

func (o *fakeOutbox) OutboxCounts(context.Context) (map[plan.OutboxStatus]int, error) {
	return map[plan.OutboxStatus]int{plan.OutboxPending: o.pending, plan.OutboxSent: 40}, o.err
}

func (o *fakeOutbox) OldestDuePending(_ context.Context, at time.Time) (time.Time, bool, error) {
	return o.oldest, !o.oldest.IsZero() && !o.oldest.After(at), o.err
}

func TestMetrics(t *testing.T) {
	ctx := context.Background()
	m := metrics.New(slog.New(slog.DiscardHandler))
	m.Transports("telegram", "zalo")

	// Updates: two handled, one failed, one redelivered twice.
	m.UpdateHandled("telegram", metrics.ResultOK)
	m.UpdateHandled("telegram", metrics.ResultOK)
	m.UpdateHandled("zalo", metrics.ResultError)
	updates := m.Updates(&fakeUpdates{seen: map[string]bool{}})
	for range 3 {
		if _, err := updates.FirstSeen(ctx, "telegram:42", "7", now); err != nil {
			t.Fatal(err)
		}
	}
	// Reports: two stored, one not.
	progress := m.Progress(&fakeProgress{})
	_ = progress.AddProgress(ctx, &plan.Progress{})
	_ = progress.AddProgress(ctx, &plan.Progress{})
	_ = m.Progress(&fakeProgress{fail: true}).AddProgress(ctx, &plan.Progress{})
	// Deliveries, ticks.
	m.Delivery("telegram", "sent")
	m.Delivery("telegram", "sent")
	m.Delivery("zalo", "rate_limited")
	m.Tick(3)
	m.Tick(0)
	// The outbox: 5 pending, the oldest due 90 s ago.
	out := &fakeOutbox{pending: 5, oldest: now.Add(-90 * time.Second)}
	m.WatchOutbox(out, func() time.Time { return now })
	// HTTP: routes by pattern, never by path.
	mux := http.NewServeMux()
	mux.HandleFunc("GET /tai/{id}", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "gone", http.StatusGone) })
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "ok") })
	h := m.HTTP(mux)
	for _, path := range []string{"/healthz", "/tai/abc?s=s3cret", "/tai/def", "/wp-login.php"} {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, path, nil))
	}

	got := scrape(t, m)
	want(t, got, `planbot_updates_handled_total{result="ok",transport="telegram"}`, 2)
	want(t, got, `planbot_updates_handled_total{result="error",transport="zalo"}`, 1)
	want(t, got, `planbot_updates_handled_total{result="duplicate",transport="telegram"}`, 2)
	want(t, got, `planbot_updates_handled_total{result="ok",transport="zalo"}`, 0)
	want(t, got, `planbot_reports_recorded_total`, 2)
	want(t, got, `planbot_deliveries_total{result="sent",transport="telegram"}`, 2)
	want(t, got, `planbot_deliveries_total{result="rate_limited",transport="zalo"}`, 1)
	want(t, got, `planbot_deliveries_total{result="unreachable",transport="telegram"}`, 0)
	want(t, got, `planbot_scheduler_ticks_total`, 2)
	want(t, got, `planbot_reminders_planned_total`, 3)
	want(t, got, `planbot_outbox_pending`, 5)
	want(t, got, `planbot_outbox_oldest_pending_seconds`, 90)
	want(t, got, `planbot_http_requests_total{code="200",route="GET /healthz"}`, 1)
	want(t, got, `planbot_http_requests_total{code="410",route="GET /tai/{id}"}`, 2)
	want(t, got, `planbot_http_requests_total{code="404",route="unmatched"}`, 1)
	want(t, got, `planbot_http_request_duration_seconds_count{route="GET /tai/{id}"}`, 2)
	for series := range got {
		if strings.Contains(series, "s3cret") || strings.Contains(series, "abc") || strings.Contains(series, "wp-login") {
			t.Errorf("a path leaked into a label: %s", series)
		}
	}
	if _, ok := got["go_goroutines"]; !ok {
		t.Error("no Go runtime metrics")
	}

	// Nothing due: the age is 0. The database down: the gauges are left
	// out and the rest is still served.
	out.oldest = now.Add(time.Hour)
	want(t, scrape(t, m), `planbot_outbox_oldest_pending_seconds`, 0)
	out.err = errors.New("database is closed")
	got = scrape(t, m)
	if _, ok := got["planbot_outbox_pending"]; ok {
		t.Error("planbot_outbox_pending served while the database fails")
	}
	want(t, got, `planbot_reports_recorded_total`, 2)
}

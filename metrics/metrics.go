package metrics

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/chanhlo/planbot/plan"
)

// Results of an update, the label result of planbot_updates_handled_total.
const (
	ResultOK        = "ok"        // handled
	ResultError     = "error"     // could not be handled (the transport delivers it again)
	ResultDuplicate = "duplicate" // a redelivery of an update handled already, ignored
)

// Outcomes of delivery (delivery's Outcome constants), the label result
// of planbot_deliveries_total, initialised at zero for every transport.
var deliveryOutcomes = []string{"sent", "retry", "rate_limited", "unreachable", "failed", "dropped"}

// ScrapeTimeout bounds the database queries of one scrape.
const ScrapeTimeout = 5 * time.Second

// Metrics holds planbot's metrics. Its methods are safe for concurrent
// use.
type Metrics struct {
	reg *prometheus.Registry
	log *slog.Logger

	updates      *prometheus.CounterVec
	reports      prometheus.Counter
	deliveries   *prometheus.CounterVec
	ticks        prometheus.Counter
	reminders    prometheus.Counter
	httpRequests *prometheus.CounterVec
	httpDuration *prometheus.HistogramVec
}

// New returns planbot's metrics on a registry of their own, with the Go
// runtime's and the process's. A nil logger is slog.Default().
func New(log *slog.Logger) *Metrics {
	if log == nil {
		log = slog.Default()
	}
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		log: log,
		updates: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "planbot_updates_handled_total",
			Help: "Updates (messages, button presses) from the messengers, by transport and result: ok, error (to be delivered again), duplicate (a redelivery ignored).",
		}, []string{"transport", "result"}),
		reports: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "planbot_reports_recorded_total",
			Help: "Progress reports of officers stored.",
		}),
		deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "planbot_deliveries_total",
			Help: "Outbox items handled by the dispatcher, by transport and result: sent, retry, rate_limited, unreachable, failed, dropped.",
		}, []string{"transport", "result"}),
		ticks: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "planbot_scheduler_ticks_total",
			Help: "Reminder ticks run by this replica while it leads.",
		}),
		reminders: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "planbot_reminders_planned_total",
			Help: "Reminders whose messages a tick queued in the outbox.",
		}),
		httpRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "planbot_http_requests_total",
			Help: "HTTP requests, by the route pattern that matched (\"unmatched\" for none) and status code.",
		}, []string{"route", "code"}),
		httpDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "planbot_http_request_duration_seconds",
			Help:    "Time to answer an HTTP request, by the route pattern that matched.",
			Buckets: prometheus.DefBuckets,
		}, []string{"route"}),
	}
	m.reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.updates, m.reports, m.deliveries, m.ticks, m.reminders, m.httpRequests, m.httpDuration,
	)
	return m
}

// Registry is the registry the metrics are on.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the metrics in Prometheus's text format. A collector
// that fails (the database, for the outbox gauges) is logged and left
// out; the rest is served.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{
		ErrorLog:      slog.NewLogLogger(m.log.Handler(), slog.LevelWarn),
		ErrorHandling: promhttp.ContinueOnError,
		Registry:      m.reg,
	})
}

// Transports starts the per-transport series at zero, so that rates and
// alerts work from the first scrape.
func (m *Metrics) Transports(names ...string) {
	for _, t := range names {
		for _, r := range []string{ResultOK, ResultError, ResultDuplicate} {
			m.updates.WithLabelValues(t, r)
		}
		for _, r := range deliveryOutcomes {
			m.deliveries.WithLabelValues(t, r)
		}
	}
}

// UpdateHandled counts an update of transport with its result (ResultOK,
// ResultError, ResultDuplicate).
func (m *Metrics) UpdateHandled(transport, result string) {
	m.updates.WithLabelValues(transport, result).Inc()
}

// ReportRecorded counts a stored progress report.
func (m *Metrics) ReportRecorded() { m.reports.Inc() }

// Delivery counts an outcome of the dispatcher; its signature is
// delivery.WithObserver's.
func (m *Metrics) Delivery(transport, result string) {
	m.deliveries.WithLabelValues(transport, result).Inc()
}

// Tick counts a reminder tick that queued reminders reminders.
func (m *Metrics) Tick(reminders int) {
	m.ticks.Inc()
	m.reminders.Add(float64(max(reminders, 0)))
}

// HTTP is middleware counting and timing the requests next serves (a
// web.Server's whole handler, whose ServeMux sets r.Pattern). The route
// label is the pattern that matched, or "unmatched": never the path, so
// neither ids nor signatures of links end up in labels.
func (m *Metrics) HTTP(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		route := r.Pattern
		if route == "" {
			route = "unmatched"
		}
		m.httpRequests.WithLabelValues(route, strconv.Itoa(sw.code())).Inc()
		m.httpDuration.WithLabelValues(route).Observe(time.Since(start).Seconds())
	})
}

// statusWriter remembers the status code written.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) code() int {
	if w.status == 0 {
		return http.StatusOK
	}
	return w.status
}

// Unwrap lets http.ResponseController reach the writer's Flush and
// deadlines.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Outbox is what the outbox gauges read at scrape time (storage.DB has
// it).
type Outbox interface {
	OutboxCounts(ctx context.Context) (map[plan.OutboxStatus]int, error)
	// OldestDuePending returns the not-before time of the oldest pending
	// item due at now, false when none is due.
	OldestDuePending(ctx context.Context, now time.Time) (time.Time, bool, error)
}

// WatchOutbox adds the gauges planbot_outbox_pending and
// planbot_outbox_oldest_pending_seconds, read from o at every scrape, at
// the time now returns.
func (m *Metrics) WatchOutbox(o Outbox, now func() time.Time) {
	m.reg.MustRegister(&outboxCollector{o: o, now: now, log: m.log,
		pending: prometheus.NewDesc("planbot_outbox_pending",
			"Outbox items waiting to be sent, due or held for later.", nil, nil),
		oldest: prometheus.NewDesc("planbot_outbox_oldest_pending_seconds",
			"How long the oldest due outbox item has waited past its send time (0 when none waits).", nil, nil),
	})
}

type outboxCollector struct {
	o               Outbox
	now             func() time.Time
	log             *slog.Logger
	pending, oldest *prometheus.Desc
}

func (c *outboxCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.pending
	ch <- c.oldest
}

func (c *outboxCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), ScrapeTimeout)
	defer cancel()
	counts, err := c.o.OutboxCounts(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.pending, err)
	} else {
		ch <- prometheus.MustNewConstMetric(c.pending, prometheus.GaugeValue, float64(counts[plan.OutboxPending]))
	}
	now := c.now()
	at, ok, err := c.o.OldestDuePending(ctx, now)
	switch {
	case err != nil:
		ch <- prometheus.NewInvalidMetric(c.oldest, err)
	case !ok:
		ch <- prometheus.MustNewConstMetric(c.oldest, prometheus.GaugeValue, 0)
	default:
		ch <- prometheus.MustNewConstMetric(c.oldest, prometheus.GaugeValue, max(now.Sub(at).Seconds(), 0))
	}
}

// Progress returns s counting, with planbot_reports_recorded_total,
// every progress report stored through it. Pass it to the chat core.
func (m *Metrics) Progress(s plan.ProgressStore) plan.ProgressStore {
	return &countingProgress{ProgressStore: s, m: m}
}

type countingProgress struct {
	plan.ProgressStore
	m *Metrics
}

func (p *countingProgress) AddProgress(ctx context.Context, pr *plan.Progress, audit ...plan.AuditEntry) error {
	err := p.ProgressStore.AddProgress(ctx, pr, audit...)
	if err == nil {
		p.m.ReportRecorded()
	}
	return err
}

// Updates returns l counting the redeliveries it recognises as
// duplicates (result "duplicate"): the core ignores those before any
// middleware sees them. Pass it to the chat core.
func (m *Metrics) Updates(l plan.UpdateLog) plan.UpdateLog {
	return &countingUpdates{UpdateLog: l, m: m}
}

type countingUpdates struct {
	plan.UpdateLog
	m *Metrics
}

func (u *countingUpdates) FirstSeen(ctx context.Context, source, updateID string, at time.Time) (bool, error) {
	first, err := u.UpdateLog.FirstSeen(ctx, source, updateID, at)
	if err == nil && !first {
		// The core names the source "transport" or "transport:bot".
		transport, _, _ := strings.Cut(source, ":")
		u.m.UpdateHandled(transport, ResultDuplicate)
	}
	return first, err
}

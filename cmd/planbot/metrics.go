package main

import (
	"context"
	"errors"
	"strings"
	"sync"

	"github.com/chanhlo/planbot/bot"
	"github.com/chanhlo/planbot/metrics"
	"github.com/chanhlo/planbot/scheduler"
	"github.com/chanhlo/planbot/storage"
)

// metricsPath is where Prometheus scrapes planbot's metrics.
const metricsPath = "/metrics"

// meters returns Main's metrics, made at first use. The components report
// to it through their hooks even without an HTTP server to read them.
func (m *Main) meters() *metrics.Metrics {
	if m.metrics == nil {
		m.metrics = metrics.New(m.Logger)
	}
	return m.metrics
}

// tickObserver counts the reminder ticks this replica ran while leading,
// and the reminders they queued.
func (m *Main) tickObserver() scheduler.Option {
	met := m.meters()
	return scheduler.WithObserver(func(res scheduler.TickResult, _ error) {
		if !res.NotLeading {
			met.Tick(res.Enqueued)
		}
	})
}

// instrument mounts GET /metrics and the readiness checks (the database
// answers, no transport stopped, not shutting down) on m.HTTP, and counts
// the core's updates and the server's requests.
func (m *Main) instrument(db *storage.DB, transports []bot.Transport) {
	met := m.meters()
	names := make([]string, len(transports))
	for i, t := range transports {
		names[i] = t.Name()
	}
	met.Transports(names...)
	met.WatchOutbox(db, m.Clock.Now)
	for _, w := range m.Wards {
		w.Core.Use(countUpdates(met))
	}
	m.HTTP.Handle("GET "+metricsPath, met.Handler())
	m.HTTP.AddCheck("database", db.Ping)
	m.HTTP.AddCheck("intake", m.ready.check)
	m.HTTP.Wrap(met.HTTP)
}

// countUpdates is middleware counting the updates that reach it (past
// de-duplication: duplicates are counted by metrics.Updates) as ok or
// error; a panic counts as an error.
func countUpdates(met *metrics.Metrics) bot.Middleware {
	return func(next bot.Handler) bot.Handler {
		return bot.HandlerFunc(func(ctx context.Context, e *bot.Event) error {
			result := metrics.ResultError
			defer func() { met.UpdateHandled(e.Transport, result) }()
			if err := next.Handle(ctx, e); err != nil {
				return err
			}
			result = metrics.ResultOK
			return nil
		})
	}
}

// readiness is what /readyz knows of Main beyond the database: the
// transports that stopped on their own, and whether Main shuts down.
type readiness struct {
	mu      sync.Mutex
	stopped []string
	closing bool
}

func (r *readiness) transportStopped(name string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stopped = append(r.stopped, name)
}

func (r *readiness) shutdown() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.closing = true
}

// check fails while a transport is stopped or Main shuts down.
func (r *readiness) check(context.Context) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	var errs []string
	if r.closing {
		errs = append(errs, "shutting down")
	}
	for _, name := range r.stopped {
		errs = append(errs, "transport "+name+" stopped")
	}
	if len(errs) == 0 {
		return nil
	}
	return errors.New(strings.Join(errs, "; "))
}

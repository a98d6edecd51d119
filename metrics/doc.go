// Package metrics is planbot's Prometheus metrics, for whoever operates
// the bot: a registry of its own (not the global default), served by
// Handler at GET /metrics of `planbot serve`'s HTTP server.
//
// The components do not import this package. They report through small
// hooks that cmd/planbot glues to a Metrics: a bot.Middleware calling
// UpdateHandled, delivery.WithObserver calling Delivery,
// scheduler.WithObserver calling Tick, web.Server.Wrap with HTTP; the
// stores the core writes through are decorated (Progress, Updates), and
// the outbox gauges are read from the database at scrape time
// (WatchOutbox).
//
// Label values are bounded: transport names, fixed result words, the
// HTTP route pattern that matched (never the raw path) and the status
// code. No label carries a chat id, a user or a token.
package metrics

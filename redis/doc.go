// Package redis coordinates planbot's replicas through Redis (go-redis
// v9): a lease that makes one replica the scheduler's leader, a rate
// limiter shared by every replica's dispatcher so that together they keep
// to Telegram's limits, and a fast de-duplication of incoming updates.
//
// Redis is a helper, never the record: the database's reminder ledger,
// outbox and update log are. Everything here degrades when Redis is
// unreachable: the lease reports "not leading" (a second scheduler would
// be harmless, the ledger prevents doubles, but it is avoided), the rate
// limiter falls back to a local one, and the update log asks the database
// alone. Each degradation and recovery is logged once.
//
// Keys start with a prefix (WithPrefix, default "planbot:"), so that
// several deployments or tests can share one server.
package redis

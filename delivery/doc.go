// Package delivery sends the outbox: a Dispatcher claims due items from a
// plan.Outbox, sends each through the plan.Sender of its transport within
// the rate limits, and records the outcome.
//
// The database is the record of what was sent. An item is claimed with a
// lease (plan.Outbox.Claim), so dispatchers of several replicas never send
// the same item; it is marked sent right after the transport accepted it,
// so a crash repeats at most the one message that was in flight. A
// dispatcher restarted under the same owner id takes its leased items back
// at once; the items of a dispatcher that died are taken by the others
// when their lease runs out.
//
// Refusals are handled by their plan.SendFailure:
//
//	rate_limited  the item goes back to the queue after RetryAfter, and the
//	              dispatcher pauses that group chat (a group's own limit)
//	              or the whole transport (a 429 in a private chat means the
//	              bot's overall limit); no attempt is counted
//	temporary     retry with exponential backoff and jitter; given up after
//	              MaxAttempts
//	unreachable   given up; the officer is marked unreachable and, the
//	              first time only, the secretariat is told
//	migrated      the officer's and every queued item's address move to the
//	              new chat, and the item is sent again at once
//	permanent     given up
//
// Rates are kept by a plan.RateLimiter: LocalLimiter within one process,
// or the Redis-backed one of package redis shared by all replicas. Keys
// are "global:<transport>" and "chat:<transport>:<chat id>"; a Telegram
// chat id starting with "-" is a group and gets the group rate.
package delivery

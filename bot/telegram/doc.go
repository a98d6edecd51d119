// Package telegram is planbot's Telegram transport, built on
// go-telegram-bot-api v5: it delivers plan.Messages (HTML parse mode, long
// texts split, inline keyboards, replies, documents), classifies Bot API
// refusals as *plan.SendError for the outbox, and feeds updates to a
// bot.Handler either from its own long-poll loop on getUpdates or from a
// webhook.
//
// Delivery of updates is at-least-once: an update's offset is confirmed
// to Telegram only after the handler returned nil for it, so a crash or a
// restart re-delivers what was not handled and the core drops duplicates
// by Event.ID.
//
// The library's calls take no context. Every call here runs on a shallow
// copy of the *tgbotapi.BotAPI whose HTTP client attaches the caller's
// context (with a deadline) to the request, so a call — the long poll
// included — ends when its context does, without abandoning goroutines.
// The token appears in request URLs: errors are scrubbed of it before they
// leave the package.
package telegram

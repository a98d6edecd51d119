// Package zalo is planbot's Zalo transport, written against the Zalo Bot
// API (bot-api.zaloplatforms.com) with the standard library: it delivers
// plan.Messages as plain text (Zalo has no markup, buttons, replies or
// documents: tags are stripped, buttons become numbered lines, a file
// becomes a download link or a note), splits long texts to 2,000 UTF-16
// code units on line boundaries, classifies refusals as *plan.SendError
// for the outbox, and feeds updates to a bot.Handler from a getUpdates
// loop (development) or a webhook (production).
//
// Every answer of the Bot API is the envelope {ok, result, error_code,
// description}; ok:false is an error whatever the HTTP status, returned
// as *APIError. The token is part of every URL: errors are scrubbed of
// it before they leave the package, and it is never logged.
//
// Zalo has no offset to confirm updates with: an update getUpdates
// returned is gone, whether the handler succeeded or not. A webhook
// answer of 500 may bring the push again; the transport keeps the last
// message ids it handled and passes a repeated one on only when its first
// handling failed, and the core de-duplicates by Event.ID as well.
//
// In a group the bot sees only messages that mention it or reply to it,
// so every group message is marked Mentioned.
package zalo

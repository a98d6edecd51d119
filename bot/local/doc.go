// Package local is an in-process transport: messages the bot sends are
// kept in memory, and events are handed to the core by the caller. The
// demo runs on it, offline and without a token; tests use it where the
// Telegram wire format does not matter.
package local

// Package zalotest is an in-process fake of the Zalo Bot API for tests,
// faithful to what is known of the platform (docs/zalo.md): calls go to
// /bot<TOKEN>/<method> with parameters as JSON, form or query string;
// every answer is the envelope {ok, result | error_code, description};
// getUpdates hands out ONE queued update per call (no offset: an update
// returned is gone) and, when idle, answers ok:false 408 "Request
// timeout" after a short wait; getUpdates is refused while a webhook is
// set; sendMessage takes 1–2,000 characters (UTF-16 code units).
//
// It records every call and every message sent, and injects faults
// (FailNext for any method, Block for a chat that blocked the bot).
// Whether Zalo's HTTP status mirrors error_code is not known: by default
// refusals come with HTTP 200 (a wrong token with 401), WithMirroredStatus
// makes the status follow error_code.
//
// Nothing in it sleeps: waiting (long polls, WaitSent) is done on a
// channel that is closed and replaced on every change of state.
package zalotest

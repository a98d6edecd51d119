// Package telegramtest is an in-process fake of the Telegram Bot API for
// tests: an httptest.Server that answers the methods planbot uses with
// Telegram's real envelope ({ok, result | error_code, description,
// parameters}), queues updates for getUpdates (long-polling and
// confirming them by offset exactly like Telegram), records every call and
// every sent message, and injects faults (429 with retry_after, 403
// blocked, 400 migrate_to_chat_id, 500, 409, hanging requests).
//
// Point go-telegram-bot-api at it with
//
//	srv := telegramtest.New(t)
//	api, err := tgbotapi.NewBotAPIWithAPIEndpoint(srv.Token(), srv.URL()+"/bot%s/%s")
//
// Outside tests (cmd/fakebotapi, to try planbot locally) NewServer starts
// the same server without a testing.TB, on a chosen address with WithAddr
// or WithListener, and Handle mounts extra handlers beside the Bot API.
//
// Nothing in it sleeps: waiting (long polls, WaitSent) is done on a
// channel that is replaced on every change of state.
package telegramtest

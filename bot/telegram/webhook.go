package telegram

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/chanhlo/planbot/bot"
)

// SecretHeader is the header Telegram puts the webhook's secret_token in.
const SecretHeader = "X-Telegram-Bot-Api-Secret-Token"

// WebhookHandler returns the handler Telegram posts updates to. In order:
// a method other than POST gets 405; a missing or wrong secret header
// gets 401 before a byte of the body is read (compared in constant time;
// with no secret configured every request gets 401); a body over
// MaxBodyBytes gets 413, an undecodable one 400. A handler error gets 500
// so that Telegram retries the update — up to MaxAttempts times, after
// which it is logged and acknowledged, as in the poll loop.
func (t *Transport) WebhookHandler(h bot.Handler) http.Handler {
	want := sha256.Sum256([]byte(t.secret))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		// Hashing first makes the comparison constant-time in the length too.
		got := sha256.Sum256([]byte(r.Header.Get(SecretHeader)))
		if t.secret == "" || subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		if r.ContentLength > t.maxBody {
			http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, t.maxBody)
		var u tgbotapi.Update
		if err := json.NewDecoder(r.Body).Decode(&u); err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
				return
			}
			http.Error(w, "bad update", http.StatusBadRequest)
			return
		}
		if err := t.dispatch(r.Context(), h, u); err != nil {
			if t.hookFailed(u.UpdateID) {
				t.log.Error("webhook update skipped: the handler failed on it repeatedly",
					"update_id", u.UpdateID, "attempts", t.maxAttempts, "err", err)
				t.answerCallback(r.Context(), u)
				w.WriteHeader(http.StatusOK)
				return
			}
			t.log.Warn("handler failed; Telegram will resend the update", "update_id", u.UpdateID, "err", err)
			http.Error(w, "handler failed", http.StatusInternalServerError)
			return
		}
		t.hookMu.Lock()
		delete(t.hookFails, u.UpdateID)
		t.hookMu.Unlock()
		w.WriteHeader(http.StatusOK)
	})
}

// hookFailed counts a handler failure of the update and reports whether
// it has failed MaxAttempts times (and is then forgotten).
func (t *Transport) hookFailed(id int) bool {
	t.hookMu.Lock()
	defer t.hookMu.Unlock()
	if len(t.hookFails) > 10000 { // a bound, in case Telegram stops resending
		clear(t.hookFails)
	}
	t.hookFails[id]++
	if t.hookFails[id] >= t.maxAttempts {
		delete(t.hookFails, id)
		return true
	}
	return false
}

// SetWebhook points Telegram at url with the secret it must send back in
// SecretHeader. The library has no secret_token field, hence the raw
// request.
func (t *Transport) SetWebhook(ctx context.Context, hookURL, secret string) error {
	allowed, _ := json.Marshal(allowedUpdates)
	err := t.call(ctx, func(api *tgbotapi.BotAPI) error {
		_, err := api.MakeRequest("setWebhook", tgbotapi.Params{
			"url":             hookURL,
			"secret_token":    secret,
			"allowed_updates": string(allowed),
		})
		return err
	})
	if err != nil {
		return fmt.Errorf("telegram setWebhook: %w", err)
	}
	return nil
}

// DeleteWebhook removes the webhook, so that getUpdates works again.
// Pending updates are kept.
func (t *Transport) DeleteWebhook(ctx context.Context) error {
	err := t.call(ctx, func(api *tgbotapi.BotAPI) error {
		_, err := api.Request(tgbotapi.DeleteWebhookConfig{})
		return err
	})
	if err != nil {
		return fmt.Errorf("telegram deleteWebhook: %w", err)
	}
	return nil
}

// RunWebhook sets the webhook and serves WebhookHandler(h) on the
// webhook URL's path until ctx is done, then shuts the server down. The
// webhook stays set: the next start sets it again, and updates that come
// meanwhile wait at Telegram.
func (t *Transport) RunWebhook(ctx context.Context, h bot.Handler) error {
	u, err := url.Parse(t.hookURL)
	if err != nil {
		return fmt.Errorf("telegram: webhook url: %w", err)
	}
	path := u.Path
	if path == "" {
		path = "/"
	}
	ln := t.hookLn
	if ln == nil {
		if ln, err = net.Listen("tcp", t.hookListen); err != nil {
			return fmt.Errorf("telegram: webhook listen: %w", err)
		}
	}
	mux := http.NewServeMux()
	mux.Handle(path, t.WebhookHandler(h))
	srv := &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	// The server is up before Telegram is told about it, so the first
	// update finds it listening.
	if err := t.SetWebhook(ctx, t.hookURL, t.secret); err != nil && ctx.Err() == nil {
		_ = srv.Close()
		return err
	}
	if ctx.Err() == nil {
		t.log.Info("serving the Telegram webhook", "addr", ln.Addr().String(), "host", u.Host)
	}
	select {
	case err := <-errc:
		return fmt.Errorf("telegram: webhook server: %w", err)
	case <-ctx.Done():
	}
	// Shutdown waits for the updates being handled (bounded by
	// HandleTimeout in dispatch) before Run returns.
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), t.handleTimeout+5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("telegram: webhook shutdown: %w", err)
	}
	return nil
}

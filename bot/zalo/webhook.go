package zalo

import (
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"io"
	"net/http"
	"net/url"

	"github.com/chanhlo/planbot/bot"
)

// WebhookHandler returns the handler Zalo posts updates to, for
// planbot's HTTP server to mount. In order: a method other than POST gets
// 405; a missing or wrong SecretHeader gets 401 before a byte of the body
// is read (compared in constant time; with no secret configured every
// request gets 401); a body over MaxBodyBytes gets 413, an undecodable
// one 400. The body may be the update or {ok, result: update}. A handler
// error gets 500, so that Zalo may push the update again; otherwise 200.
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
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, t.maxBody))
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
				return
			}
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		ups, err := decodeUpdate(body)
		if err != nil {
			t.log.Warn("webhook body is not a Zalo update", "err", err, "bytes", len(body))
			http.Error(w, "bad update", http.StatusBadRequest)
			return
		}
		for _, u := range ups {
			if err := t.dispatch(r.Context(), h, u); err != nil {
				t.log.Warn("handler failed on a webhook update; answering 500 so Zalo may send it again",
					"event", u.EventName, "err", err)
				http.Error(w, "handler failed", http.StatusInternalServerError)
				return
			}
		}
		w.WriteHeader(http.StatusOK)
	})
}

// hostOf is the host of a URL, for logs (the path may hold a secret).
func hostOf(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return ""
	}
	return u.Host
}

package zalo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/chanhlo/planbot/bot"
)

// Run implements bot.Transport. In polling mode it calls getUpdates in a
// loop; in webhook mode it sets the webhook and waits for ctx, the
// updates coming through WebhookHandler mounted on planbot's HTTP
// server. It returns nil when ctx is done, and an error when Zalo refuses
// the token (401) or the webhook.
func (t *Transport) Run(ctx context.Context, h bot.Handler) error {
	if t.mode == ModeWebhook {
		return t.runWebhook(ctx)
	}
	return t.poll(ctx, h)
}

// runWebhook sets the webhook and blocks until ctx is done. The webhook
// is left set at the end: other replicas still serve it, and the next
// start sets it again.
func (t *Transport) runWebhook(ctx context.Context) error {
	if err := checkWebhook(t.hookURL, t.secret); err != nil {
		return err
	}
	err := t.call(ctx, "setWebhook", map[string]string{"url": t.hookURL, "secret_token": t.secret}, nil)
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return fmt.Errorf("zalo: setWebhook: %w", err)
	}
	t.log.Info("Zalo webhook set; updates come through the HTTP server", "bot", t.accountName)
	<-ctx.Done()
	return nil
}

// poll is the getUpdates loop:
//
//   - A webhook found set at the start is deleted once (getUpdates is
//     refused while one is set), with a warning: another deployment may be
//     using the token in webhook mode.
//   - getUpdates returns one update or nothing: ok:false 408 and ok:true
//     without a result both mean "poll again".
//   - 401 stops Run with an error: the token is wrong or was reset.
//   - Other failures (429, 5xx, network) back off from 1 s doubling to
//     30 s.
//   - Zalo forgets an update once it returned it: a handler error is
//     logged and the loop goes on.
func (t *Transport) poll(ctx context.Context, h bot.Handler) error {
	if err := t.clearWebhook(ctx); err != nil {
		return err
	}
	t.log.Info("polling Zalo for updates (development mode: Zalo may miss events; use the webhook in production)",
		"bot", t.accountName, "poll_timeout", t.pollTimeout)
	failures := 0
	for ctx.Err() == nil {
		ups, err := t.getUpdates(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			var ae *APIError
			if errors.As(err, &ae) && ae.Code == 401 {
				t.log.Error("zalo token refused: polling stops", "err", err)
				return fmt.Errorf("zalo: getUpdates: the bot token was refused: %w", err)
			}
			failures++
			d := t.backoff(failures)
			if errors.As(err, &ae) && ae.RetryAfter > d {
				d = ae.RetryAfter
			}
			t.log.Warn("getUpdates failed; backing off", "err", err, "failures", failures, "retry_in", d)
			select {
			case <-t.after(d):
			case <-ctx.Done():
				return nil
			}
			continue
		}
		failures = 0
		for _, u := range ups {
			if err := t.dispatch(ctx, h, u); err != nil {
				id := ""
				if u.Message != nil {
					id = string(u.Message.MessageID)
				}
				t.log.Error("handler failed on a polled update; Zalo will not send it again",
					"event", u.EventName, "message_id", id, "err", err)
			}
		}
	}
	return nil
}

// backoff is the wait after n consecutive failures: 1 s doubling, at
// most 30 s.
func (t *Transport) backoff(n int) time.Duration {
	d := t.backoffBase
	for i := 1; i < n && d < t.backoffMax; i++ {
		d *= 2
	}
	return min(d, t.backoffMax)
}

// clearWebhook deletes a webhook set for the bot, so getUpdates works.
func (t *Transport) clearWebhook(ctx context.Context) error {
	var info struct {
		URL string `json:"url"`
	}
	err := t.call(ctx, "getWebhookInfo", nil, &info)
	var ae *APIError
	switch {
	case err == nil:
	case errors.As(err, &ae) && ae.Code == 401:
		return fmt.Errorf("zalo: getWebhookInfo: the bot token was refused: %w", err)
	default:
		// Polling will tell whether a webhook is in the way.
		t.log.Warn("getWebhookInfo failed; polling anyway", "err", err)
		return nil
	}
	if info.URL == "" {
		return nil
	}
	t.log.Warn("a webhook is set for this Zalo bot; deleting it to poll (is another deployment running in webhook mode?)",
		"webhook_host", hostOf(info.URL))
	if err := t.call(ctx, "deleteWebhook", nil, nil); err != nil {
		if errors.As(err, &ae) && ae.Code == 401 {
			return fmt.Errorf("zalo: deleteWebhook: the bot token was refused: %w", err)
		}
		t.log.Warn("deleteWebhook failed; polling anyway", "err", err)
	}
	return nil
}

// getUpdates long-polls once. Idle answers (408, or no result) are no
// updates and no error.
func (t *Transport) getUpdates(ctx context.Context) ([]update, error) {
	var raw json.RawMessage
	params := map[string]string{"timeout": strconv.Itoa(int(t.pollTimeout / time.Second))}
	err := t.callTimeout(ctx, t.pollTimeout+t.reqTimeout, "getUpdates", params, &raw)
	var ae *APIError
	if errors.As(err, &ae) && ae.Code == 408 {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	ups, err := decodeResult(raw)
	if err != nil {
		return nil, fmt.Errorf("zalo getUpdates: decoding the update: %w", err)
	}
	return ups, nil
}

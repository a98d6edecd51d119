package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"slices"
	"strconv"

	"github.com/chanhlo/planbot/bot/zalo"
	"github.com/chanhlo/planbot/delivery"
	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/texts"
	"github.com/chanhlo/planbot/web"
)

// zaloWebhookPath is where Zalo posts updates on planbot's HTTP server.
const zaloWebhookPath = "/zalo/webhook"

// signingKeySetting names the shared download-link key in the database.
const signingKeySetting = "download_signing_key"

// downloads returns the signed download links when people can reach the
// server (http.public_url), else nil: files then become a note.
func (m *Main) downloads(ctx context.Context) (*web.Downloads, error) {
	h := m.Config.HTTP
	if h.PublicURL == "" {
		return nil, nil
	}
	key := h.SigningKey
	if key == "" {
		var b [32]byte
		if _, err := rand.Read(b[:]); err != nil {
			return nil, fmt.Errorf("signing key: %w", err)
		}
		var err error
		if key, err = m.DB.SettingOrCreate(ctx, signingKeySetting, hex.EncodeToString(b[:])); err != nil {
			return nil, err
		}
	}
	return &web.Downloads{
		Store: m.DB, Key: []byte(key), PublicURL: h.PublicURL, TTL: h.DownloadTTL,
		Officers: m.DB.OfficerStore(), Clock: m.Clock, Log: m.Logger,
	}, nil
}

// startZalo reaches the Zalo bot named name (zalo.Name, or a ward's own
// "zalo/<ward>") with token, retrying what may pass like startTelegram;
// download links go with it. Every message it sends counts against its
// quota, monthly, whose warning goes to the wards orgs (nil: all).
func (m *Main) startZalo(ctx context.Context, links *web.Downloads, token, name string, monthly int64, orgs []int64) (*zalo.Transport, *delivery.Quota, error) {
	zc := m.Config.Zalo
	var quota *delivery.Quota // set once the bot is reached: it names the bot
	cfg := zalo.Config{
		Name: name, Token: token, API: zc.API, Mode: zc.Mode, WebhookSecret: zc.WebhookSecret,
		PollTimeout: zc.PollTimeout, RequestTimeout: zc.RequestTimeout,
		Logger: m.Logger.With("transport", name), Clock: m.Clock, After: m.After,
		Counted: func(ctx context.Context, n int) {
			if quota != nil {
				quota.Counted(ctx, n)
			}
		},
	}
	if zc.Mode == zalo.ModeWebhook {
		cfg.WebhookURL = webhookURL(m.Config.HTTP.PublicURL, name)
	} else if m.Config.Redis.URL != "" {
		// Replicas would share Zalo's one queue of updates by polling,
		// and polling may miss some: the webhook reaches every replica
		// through the load balancer.
		m.Logger.Warn("zalo polls while replicas are configured (PLANBOT_REDIS_URL); use PLANBOT_ZALO_MODE=webhook with several replicas / nhiều bản sao thì dùng webhook cho Zalo")
	}
	if links != nil {
		cfg.Links = links.Link
	}
	tr, err := startWithRetry(ctx, m, name, func() (*zalo.Transport, error) { return zalo.New(ctx, cfg) }, mayPass)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", name, err)
	}
	quota = m.newZaloQuota(tr, monthly, orgs)
	return tr, quota, nil
}

// mayPass tells a failure to reach Zalo that may pass (the network, a
// 5xx, 429) from a refusal that will not (a wrong token, a bad setting).
func mayPass(err error) bool {
	var ae *zalo.APIError
	if errors.As(err, &ae) {
		return ae.Temporary()
	}
	var ne net.Error
	return errors.As(err, &ne)
}

func webhookURL(public, name string) string {
	for len(public) > 0 && public[len(public)-1] == '/' {
		public = public[:len(public)-1]
	}
	return public + zaloHookPath(name)
}

// zaloHookPath is where planbot's HTTP server takes the Zalo bot's
// updates: zaloWebhookPath for the deployment's bot, /zalo/<ward>/webhook
// for a ward's own.
func zaloHookPath(name string) string {
	if name == zalo.Name {
		return zaloWebhookPath
	}
	return "/" + name + "/webhook"
}

// zaloQuota counts the Zalo bot's messages against the configured
// monthly quota and warns the secretariat, through the outbox, once a
// month at 80%.
//
// orgs are the wards on the bot (nil: every ward served); monthly is the
// bot's quota.
func (m *Main) newZaloQuota(tr *zalo.Transport, monthly int64, orgs []int64) *delivery.Quota {
	return &delivery.Quota{
		Counter: m.DB, Transport: tr.Name(), Bot: tr.BotID(), Monthly: monthly,
		Clock: m.Clock, Location: m.Loc, Log: m.Logger,
		Warn: func(ctx context.Context, used, monthly int64, month string) error {
			// The bot's quota is every ward's on it: each secretariat hears.
			var officers []plan.Officer
			for _, w := range m.Wards {
				if orgs != nil && !slices.Contains(orgs, w.Org.ID) {
					continue
				}
				list, err := m.DB.OfficerStore().Officers(ctx, w.Org.ID)
				if err != nil {
					return err
				}
				officers = append(officers, list...)
			}
			var items []plan.OutboxItem
			for _, o := range officers {
				if o.Role != plan.RoleSecretariat || !o.Active {
					continue
				}
				items = append(items, plan.OutboxItem{
					OrgID: o.OrgID, Key: "quota|" + tr.Name() + "|" + month + "|officer:" + strconv.FormatInt(o.ID, 10),
					OfficerID: o.ID, Address: o.Address, NotBefore: m.Clock.Now(),
					Message: plan.Message{Text: texts.QuotaWarning(texts.Messenger(tr.Name()), used, monthly, month)},
					Context: plan.ReplyContext{Kind: plan.ReplyNotice},
				})
			}
			if len(items) == 0 {
				return nil
			}
			_, err := m.outbox.Enqueue(ctx, items...)
			return err
		},
	}
}

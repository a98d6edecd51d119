package delivery

import (
	"context"
	"log/slog"
	"time"

	"github.com/chanhlo/planbot/plan"
)

// QuotaGate tells the dispatcher when a messenger's monthly quota runs
// short: copies for information then give way to reminders.
type QuotaGate interface {
	Short(ctx context.Context, transport string) bool
}

// WithQuota holds back copies (plan.ReplyContext.Copy) on a messenger
// whose quota runs short.
func WithQuota(q QuotaGate) Option { return func(d *Dispatcher) { d.quota = q } }

// Quota counts what one messenger's bot sends per month against its
// quota (Zalo's free plan is small): the transport calls Counted for
// every message the messenger accepted, answers included. At WarnAt of
// the quota the secretariat is told, once a month; from ShortAt on,
// copies are held back so that reminders and requests still go out.
type Quota struct {
	Counter   plan.SendCounter
	Transport string
	Bot       string
	// Monthly is the quota; 0 counts without limits.
	Monthly int64
	// WarnAt and ShortAt are shares of Monthly (defaults 0.8 and 0.9).
	WarnAt, ShortAt float64
	// Warn tells the secretariat (through the outbox).
	Warn     func(ctx context.Context, used, monthly int64, month string) error
	Clock    plan.Clock
	Location *time.Location
	Log      *slog.Logger
}

func (q *Quota) now() time.Time {
	if q.Clock != nil {
		return q.Clock.Now()
	}
	return time.Now()
}

func (q *Quota) month() string {
	now := q.now()
	if q.Location != nil {
		now = now.In(q.Location)
	}
	return now.Format("2006-01")
}

func (q *Quota) log() *slog.Logger {
	if q.Log == nil {
		return slog.Default()
	}
	return q.Log
}

func (q *Quota) share(def, v float64) int64 {
	if v <= 0 || v > 1 {
		v = def
	}
	return int64(float64(q.Monthly) * v)
}

// Counted records n messages the messenger accepted. A counting failure
// is logged, never stops a send.
func (q *Quota) Counted(ctx context.Context, n int) {
	month := q.month()
	used, err := q.Counter.CountSent(ctx, q.Transport, q.Bot, month, n)
	if err != nil {
		q.log().Warn("quota: count not recorded", "transport", q.Transport, "err", err)
		return
	}
	if q.Monthly <= 0 || used < q.share(0.8, q.WarnAt) {
		return
	}
	first, err := q.Counter.MarkQuotaWarned(ctx, q.Transport, q.Bot, month, q.now())
	if err != nil || !first {
		return
	}
	q.log().Warn("quota: messenger's monthly quota nearly used / sắp hết hạn mức tin nhắn tháng",
		"transport", q.Transport, "used", used, "monthly", q.Monthly, "month", month)
	if q.Warn != nil {
		if err := q.Warn(ctx, used, q.Monthly, month); err != nil {
			q.log().Error("quota: warning not queued", "err", err)
		}
	}
}

// Short implements QuotaGate.
func (q *Quota) Short(ctx context.Context, transport string) bool {
	if transport != q.Transport || q.Monthly <= 0 {
		return false
	}
	used, err := q.Counter.SentCount(ctx, q.Transport, q.Bot, q.month())
	if err != nil {
		q.log().Warn("quota: count not read", "err", err)
		return false
	}
	return used >= q.share(0.9, q.ShortAt)
}

// Quotas are the quotas of several bots (a deployment whose wards have
// Zalo bots of their own): each answers for its own transport.
type Quotas []*Quota

// Short reports whether the quota of transport's bot runs short.
func (qs Quotas) Short(ctx context.Context, transport string) bool {
	for _, q := range qs {
		if q.Transport == transport {
			return q.Short(ctx, transport)
		}
	}
	return false
}

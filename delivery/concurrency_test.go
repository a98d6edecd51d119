package delivery

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/chanhlo/planbot/plan"
)

// gateSender holds every send until `width` sends are in flight at once
// (or a second passes), and records the order per chat.
type gateSender struct {
	width int

	mu       sync.Mutex
	inFlight int
	most     int
	perChat  map[string][]string
	all      chan struct{}
	released bool
}

func (g *gateSender) Capabilities() plan.Capabilities { return plan.Capabilities{MaxText: 4096} }

func (g *gateSender) Send(ctx context.Context, to plan.Address, m plan.Message) (plan.Sent, error) {
	g.mu.Lock()
	g.inFlight++
	g.most = max(g.most, g.inFlight)
	if g.inFlight >= g.width && !g.released {
		g.released = true
		close(g.all)
	}
	g.mu.Unlock()
	select {
	case <-g.all:
	case <-time.After(time.Second):
	}
	g.mu.Lock()
	g.inFlight--
	g.perChat[to.ChatID] = append(g.perChat[to.ChatID], m.Text)
	g.mu.Unlock()
	return plan.Sent{MessageID: m.Text}, nil
}

// Chats are served at once, up to the concurrency, and each chat's items
// still go in their order; everything is marked sent once.
func TestDispatcherSendsChatsAtOnce(t *testing.T) {
	const chats, perChat, width = 12, 3, 8
	out := newOutbox()
	var items []plan.OutboxItem
	for m := range perChat {
		for c := range chats {
			items = append(items, plan.OutboxItem{OrgID: 1, Key: fmt.Sprintf("c%d-m%d", c, m),
				Address: tg(fmt.Sprint(1000 + c)), Message: plan.Message{Text: fmt.Sprintf("c%d-m%d", c, m)}, NotBefore: t0})
		}
	}
	if _, err := out.Enqueue(context.Background(), items...); err != nil {
		t.Fatal(err)
	}
	g := &gateSender{width: width, perChat: map[string][]string{}, all: make(chan struct{})}
	d := New(out, map[string]plan.Sender{"telegram": g}, WithClock(plan.SystemClock), WithLogger(slog.New(slog.DiscardHandler)),
		WithOwner("test"), WithConcurrency(width), WithLimits(Limits{Overall: RateOf(1000, time.Second), Chat: RateOf(1000, time.Second)}))
	n, err := d.RunOnce(context.Background())
	if err != nil || n != chats*perChat {
		t.Fatalf("RunOnce = %d, %v", n, err)
	}
	if g.most < width {
		t.Errorf("at most %d sends at once, want %d", g.most, width)
	}
	if g.most > width {
		t.Errorf("%d sends at once, more than the concurrency %d", g.most, width)
	}
	for c := range chats {
		want := []string{fmt.Sprintf("c%d-m0", c), fmt.Sprintf("c%d-m1", c), fmt.Sprintf("c%d-m2", c)}
		if got := g.perChat[fmt.Sprint(1000+c)]; !slices.Equal(got, want) {
			t.Errorf("chat %d got %v, want %v in order", c, got, want)
		}
	}
	if got := len(out.keys(plan.OutboxSent)); got != chats*perChat {
		t.Errorf("%d sent, want %d", got, chats*perChat)
	}
}

// slowSender answers each send after a fixed delay, as a Bot API far
// away does.
type slowSender struct {
	delay time.Duration
	mu    sync.Mutex
	n     int
}

func (s *slowSender) Capabilities() plan.Capabilities { return plan.Capabilities{MaxText: 4096} }

func (s *slowSender) Send(ctx context.Context, to plan.Address, m plan.Message) (plan.Sent, error) {
	time.Sleep(s.delay) // the network's round trip, not a wait on a timer
	s.mu.Lock()
	s.n++
	s.mu.Unlock()
	return plan.Sent{MessageID: m.Text}, nil
}

// BenchmarkDeliveryAtDistance sends 300 messages to 300 chats through a
// sender 100 ms away with the overall limit at 300/s, one at a time and
// at the default concurrency: "ratio" is the rate achieved over the
// limit.
func BenchmarkDeliveryAtDistance(b *testing.B) {
	const n, limit = 300, 300.0
	for _, workers := range []int{1, DefaultConcurrency, 64} {
		b.Run(fmt.Sprintf("concurrency=%d", workers), func(b *testing.B) {
			for range b.N {
				out := newOutbox()
				var items []plan.OutboxItem
				for i := range n {
					items = append(items, plan.OutboxItem{OrgID: 1, Key: fmt.Sprint(i), Address: tg(fmt.Sprint(5000 + i)),
						Message: plan.Message{Text: fmt.Sprint(i)}, NotBefore: t0})
				}
				if _, err := out.Enqueue(context.Background(), items...); err != nil {
					b.Fatal(err)
				}
				s := &slowSender{delay: 100 * time.Millisecond}
				d := New(out, map[string]plan.Sender{"telegram": s}, WithClock(plan.SystemClock), WithLogger(slog.New(slog.DiscardHandler)),
					WithOwner("bench"), WithConcurrency(workers), WithBatch(n),
					WithLimits(Limits{Overall: OverallRate(limit), Chat: RateOf(1, time.Second)}))
				start := time.Now()
				for s.n < n {
					if _, err := d.RunOnce(context.Background()); err != nil {
						b.Fatal(err)
					}
				}
				rate := float64(n) / time.Since(start).Seconds()
				b.ReportMetric(rate, "msg/s")
				b.ReportMetric(rate/limit, "ratio")
			}
		})
	}
}

package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"

	"github.com/chanhlo/planbot/bot/telegram"
	"github.com/chanhlo/planbot/bot/telegram/telegramtest"
	"github.com/chanhlo/planbot/delivery"
	"github.com/chanhlo/planbot/plan"
)

// The delivery scenario's settings, from the issue: a bot allowed 300
// messages a second (ten times Telegram's real limit, so that the
// dispatcher's own costs show) behind an API 100 ms away.
const (
	benchRate        = 300 // messages a second, overall
	benchLatency     = 100 * time.Millisecond
	benchChatRate    = 1 // messages a second into one chat, as Telegram
	fault429Share    = 0.05
	fault5xxShare    = 0.02
	faultRetryAfterS = 1
)

// benchDelivery sends 3,000 messages to 1,000 chats through the outbox,
// the real dispatcher and the real Telegram transport, to a fake Bot API
// that answers each call after 100 ms and refuses (429) what exceeds the
// limits; once cleanly, once with 5% 429s and 2% 5xx injected.
func benchDelivery(ctx context.Context, e *env) (figures, error) {
	chats, perChat := e.scale(1000, 60), 3
	clean, err := deliveryRun(ctx, e, "delivery", chats, perChat, 0, 0)
	if err != nil {
		return nil, err
	}
	faulty, err := deliveryRun(ctx, e, "delivery-faults", chats, perChat, fault429Share, fault5xxShare)
	if err != nil {
		return nil, fmt.Errorf("with faults: %w", err)
	}
	clean["faults"] = faulty
	return clean, nil
}

// farAPI is the fake Bot API's front: the network's delay, the limits
// Telegram enforces, injected faults, and the record of what arrived.
type farAPI struct {
	latency    time.Duration
	overall    *rate.Limiter
	chatRate   rate.Limit
	p429, p5xx float64

	mu    sync.Mutex
	chats map[string]*rate.Limiter
	rng   *rand.Rand
	got   map[string]int // text → times delivered
	last  time.Time      // when the last message was accepted

	injected429, injected5xx, limit429 atomic.Int64
}

func newFarAPI(p429, p5xx float64) *farAPI {
	return &farAPI{
		latency: benchLatency,
		// Telegram tolerates short bursts; so does the fake, by a tenth
		// of a second's worth (the dispatcher's own burst) twice over,
		// because requests sent together arrive a little apart.
		overall:  rate.NewLimiter(benchRate, 2*benchRate/10),
		chatRate: benchChatRate,
		p429:     p429,
		p5xx:     p5xx,
		chats:    map[string]*rate.Limiter{},
		rng:      rand.New(rand.NewPCG(6, 2023)),
		got:      map[string]int{},
	}
}

func (f *farAPI) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The request travels to the API and the answer back: a sleep
		// is the network here, not a wait for a timer in a test.
		time.Sleep(f.latency)
		if !strings.HasSuffix(r.URL.Path, "/sendMessage") {
			next.ServeHTTP(w, r)
			return
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		form, _ := url.ParseQuery(string(body))
		chat, text := form.Get("chat_id"), form.Get("text")

		f.mu.Lock()
		dice := f.rng.Float64()
		lim := f.chats[chat]
		if lim == nil {
			// One a second into a chat, with a burst of two: two sends a
			// second apart may arrive closer than that.
			lim = rate.NewLimiter(f.chatRate, 2)
			f.chats[chat] = lim
		}
		f.mu.Unlock()
		switch {
		case dice < f.p429:
			f.injected429.Add(1)
			tooMany(w, faultRetryAfterS)
			return
		case dice < f.p429+f.p5xx:
			f.injected5xx.Add(1)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusInternalServerError)
			io.WriteString(w, `{"ok":false,"error_code":500,"description":"Internal Server Error"}`)
			return
		case !lim.Allow() || !f.overall.Allow():
			f.limit429.Add(1)
			tooMany(w, 1)
			return
		}
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		if rec.status == http.StatusOK {
			f.mu.Lock()
			f.got[text]++
			f.last = time.Now()
			f.mu.Unlock()
		}
	})
}

func tooMany(w http.ResponseWriter, retryAfter int) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusTooManyRequests)
	fmt.Fprintf(w, `{"ok":false,"error_code":429,"description":"Too Many Requests: retry after %d","parameters":{"retry_after":%d}}`, retryAfter, retryAfter)
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// delivered returns how many distinct texts arrived, how many arrived
// more than once (the extra copies), and when the last one did.
func (f *farAPI) delivered() (distinct, duplicates int, last time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, n := range f.got {
		distinct++
		duplicates += n - 1
	}
	return distinct, duplicates, f.last
}

func deliveryRun(ctx context.Context, e *env, name string, chats, perChat int, p429, p5xx float64) (figures, error) {
	db, closeDB, err := e.openStore(ctx, name)
	if err != nil {
		return nil, err
	}
	defer closeDB()

	api := newFarAPI(p429, p5xx)
	srv := telegramtest.NewServer(telegramtest.WithMiddleware(api.wrap))
	defer srv.Close()
	tr, err := telegram.New(telegram.Config{Token: srv.Token(), API: srv.URL(), Logger: e.log})
	if err != nil {
		return nil, err
	}

	// Rounds of one message to every chat, as broadcasts and report
	// requests are enqueued.
	total := chats * perChat
	now := time.Now()
	var items []plan.OutboxItem
	for round := range perChat {
		for c := range chats {
			n := round*chats + c
			items = append(items, plan.OutboxItem{
				OrgID:     plan.DefaultOrg,
				Key:       "bench|" + strconv.Itoa(n),
				Address:   plan.Address{Transport: telegram.Name, ChatID: strconv.Itoa(1_000_000 + c)},
				Message:   plan.Message{Text: "Tin thử số " + strconv.Itoa(n)},
				Context:   plan.ReplyContext{Kind: plan.ReplyNotice},
				NotBefore: now,
			})
		}
	}
	for i := 0; i < len(items); i += 500 {
		if _, err := db.Enqueue(ctx, items[i:min(i+500, len(items))]...); err != nil {
			return nil, fmt.Errorf("enqueue: %w", err)
		}
	}

	d := delivery.New(db, map[string]plan.Sender{telegram.Name: tr},
		delivery.WithLimits(delivery.ConfigLimits(benchRate, benchChatRate, 20)),
		delivery.WithLogger(e.log), delivery.WithOwner("planbench"))
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	start := time.Now()
	done := make(chan error, 1)
	go func() { done <- d.Run(runCtx) }()

	// Four times what the limit allows, plus the retries' backoff, is
	// far beyond a healthy run: a stuck run fails instead of hanging.
	allowed := time.Duration(float64(total) / benchRate * float64(time.Second))
	give := 4*allowed + 30*time.Second
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		distinct, _, _ := api.delivered()
		if distinct >= total {
			break
		}
		if time.Since(start) > give {
			break
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-tick.C:
		}
	}
	// Let the dispatcher record the last sends before counting.
	if err := waitSettled(ctx, db, 10*time.Second); err != nil {
		return nil, err
	}
	stop()
	if err := <-done; err != nil {
		return nil, err
	}
	distinct, duplicates, last := api.delivered()
	elapsed := last.Sub(start)
	if distinct == 0 || elapsed <= 0 {
		return nil, fmt.Errorf("nothing was delivered in %s", give)
	}
	achieved := float64(distinct) / elapsed.Seconds()
	return figures{
		"messages":      total,
		"chats":         chats,
		"latency_ms":    ms(benchLatency),
		"limit_per_sec": benchRate,
		"per_sec":       round3(achieved),
		"ratio":         round3(achieved / benchRate),
		"seconds":       round3(elapsed.Seconds()),
		"lost":          total - distinct,
		"duplicates":    duplicates,
		"injected_429":  api.injected429.Load(),
		"injected_5xx":  api.injected5xx.Load(),
		"limit_429":     api.limit429.Load(),
	}, nil
}

// pendingCounter is what waitSettled needs of the store.
type pendingCounter interface {
	NextDue(ctx context.Context) (time.Time, bool, error)
}

// waitSettled waits until nothing is pending in the outbox, at most max.
func waitSettled(ctx context.Context, db pendingCounter, max time.Duration) error {
	deadline := time.Now().Add(max)
	for time.Now().Before(deadline) {
		_, pending, err := db.NextDue(ctx)
		if err != nil {
			return err
		}
		if !pending {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
	return nil
}

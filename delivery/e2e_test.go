package delivery_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chanhlo/planbot/delivery"
	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/storage"
	"github.com/chanhlo/planbot/storage/storagetest"
)

// Environment of the child process of TestKilledDispatcher.
const (
	childEnv   = "PLANBOT_DELIVERY_CHILD" // the SQLite file
	childURL   = "PLANBOT_DELIVERY_CHILD_URL"
	childOwner = "PLANBOT_DELIVERY_CHILD_OWNER"
	childRate  = "PLANBOT_DELIVERY_CHILD_RATE"
	// childRun makes the child send with Run, claiming as sends finish,
	// instead of one RunOnce pass after the other.
	childRun = "PLANBOT_DELIVERY_CHILD_RUN"
)

func TestMain(m *testing.M) {
	if path := os.Getenv(childEnv); path != "" {
		os.Exit(runChild(path))
	}
	os.Exit(m.Run())
}

// runChild is a dispatcher process: it sends the outbox in the SQLite
// file until nothing is pending.
func runChild(path string) int {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	db, err := storage.Open(ctx, path, storage.WithLogger(log))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	defer db.Close()
	rate, _ := strconv.ParseFloat(os.Getenv(childRate), 64)
	d := delivery.New(db, map[string]plan.Sender{"telegram": &httpSender{url: os.Getenv(childURL)}},
		delivery.WithOwner(os.Getenv(childOwner)), delivery.WithLogger(log),
		delivery.WithLimits(delivery.Limits{Overall: delivery.RateOf(rate, time.Second)}))
	drainWith := drain
	if os.Getenv(childRun) != "" {
		drainWith = runUntilEmpty
	}
	if err := drainWith(ctx, db, d); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// drain runs passes until nothing is pending.
func drain(ctx context.Context, db *storage.DB, d *delivery.Dispatcher) error {
	for ctx.Err() == nil {
		n, err := d.RunOnce(ctx)
		if err != nil {
			return err
		}
		if n > 0 {
			continue
		}
		if _, ok, err := db.NextDue(ctx); err != nil || !ok {
			return err
		}
		<-time.After(5 * time.Millisecond) // another dispatcher holds the rest
	}
	return nil
}

// runUntilEmpty runs the dispatcher until nothing is pending.
func runUntilEmpty(ctx context.Context, db *storage.DB, d *delivery.Dispatcher) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case err := <-done:
			return err
		case <-tick.C:
		}
		if _, ok, err := db.NextDue(ctx); err != nil || !ok {
			cancel()
			if err2 := <-done; err == nil {
				err = err2
			}
			return err
		}
	}
}

// httpSender posts each message to a receiving server, like a Bot API.
type httpSender struct{ url string }

func (s *httpSender) Send(ctx context.Context, to plan.Address, m plan.Message) (plan.Sent, error) {
	body, _ := json.Marshal(map[string]string{"chat_id": to.ChatID, "text": m.Text})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.url, bytes.NewReader(body))
	if err != nil {
		return plan.Sent{}, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return plan.Sent{}, err
	}
	defer resp.Body.Close()
	var r struct {
		MessageID int `json:"message_id"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		return plan.Sent{}, fmt.Errorf("decode answer: %w", err)
	}
	return plan.Sent{MessageID: strconv.Itoa(r.MessageID)}, nil
}

func (s *httpSender) Capabilities() plan.Capabilities { return plan.Capabilities{MaxText: 4096} }

// receiver counts deliveries per message text. onDelivery, if set, runs
// for each delivery (with its ordinal) before the answer is written.
type receiver struct {
	mu         sync.Mutex
	got        map[string]int
	total      int
	onDelivery func(n int)
	// delay is how long the answer takes, as a Bot API's far away would;
	// inflight counts requests not yet answered.
	delay    time.Duration
	inflight int
}

func newReceiver(t *testing.T) (*receiver, string) {
	t.Helper()
	r := &receiver{got: map[string]int{}}
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	return r, srv.URL
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	var m struct{ Text string }
	if err := json.NewDecoder(req.Body).Decode(&m); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	r.mu.Lock()
	r.got[m.Text]++
	r.total++
	r.inflight++
	n := r.total
	hook, delay := r.onDelivery, r.delay
	r.mu.Unlock()
	defer func() {
		r.mu.Lock()
		r.inflight--
		r.mu.Unlock()
	}()
	if hook != nil {
		hook(n)
	}
	if delay > 0 {
		// The network between the bot and a distant API, not a wait for
		// a timer: the dispatcher must overlap its sends across it.
		time.Sleep(delay)
	}
	fmt.Fprintf(w, `{"message_id":%d}`, n)
}

// counts returns how many distinct messages arrived and how many
// arrivals were repeats.
func (r *receiver) counts() (distinct, duplicates int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, n := range r.got {
		distinct++
		duplicates += n - 1
	}
	return distinct, duplicates
}

func enqueueN(t *testing.T, db *storage.DB, n int) {
	t.Helper()
	items := make([]plan.OutboxItem, n)
	for i := range items {
		// Distinct chats: only the overall rate applies.
		items[i] = plan.OutboxItem{
			OrgID: 1, Key: fmt.Sprintf("msg-%03d", i), Address: plan.Address{Transport: "telegram", ChatID: strconv.Itoa(10000 + i)},
			Message: plan.Message{Text: fmt.Sprintf("msg-%03d", i)}, NotBefore: storagetest.Epoch,
		}
	}
	if added, err := db.Enqueue(context.Background(), items...); err != nil || added != n {
		t.Fatalf("enqueue = %d, %v", added, err)
	}
}

func assertAllSent(t *testing.T, db *storage.DB, n int) {
	t.Helper()
	counts, err := db.OutboxCounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if counts[plan.OutboxSent] != n || len(counts) != 1 {
		t.Errorf("outbox = %v, want %d sent", counts, n)
	}
}

// TestKilledDispatcher kills a dispatcher process with SIGKILL while the
// 150th of 500 messages is in flight, and starts it again: every message
// arrives, and only those in flight (one per chat being served) twice.
func TestKilledDispatcher(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	const n, killAt = 500, 150
	path := filepath.Join(t.TempDir(), "planbot.db")
	db, err := storage.Open(context.Background(), path, storage.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	enqueueN(t, db, n)

	recv, url := newReceiver(t)
	start := childStarter(t, path, url, childRate+"=200")
	began := time.Now()
	killChildAt(t, recv, start, killAt)
	before, _ := recv.counts()

	second := start()
	if err := second.Wait(); err != nil {
		t.Fatalf("restarted dispatcher: %v", err)
	}
	elapsed := time.Since(began)
	distinct, dups := recv.counts()
	t.Logf("killed after %d deliveries; after restart %d distinct of %d, %d duplicate(s), %s in all", before, distinct, n, dups, elapsed.Round(time.Millisecond))
	if distinct != n {
		t.Errorf("%d distinct messages arrived, want %d", distinct, n)
	}
	// At most the messages in flight repeat: one per chat being served.
	if dups > delivery.DefaultConcurrency {
		t.Errorf("%d duplicates, want at most %d (the messages in flight)", dups, delivery.DefaultConcurrency)
	}
	assertAllSent(t, db, n)
}

// TestKilledDuringConcurrentDrain kills a dispatcher with SIGKILL while it
// sends to many chats at once through an API 40 ms away, and starts it
// again: every message arrives, and at most those in flight — one per
// chat being served — twice.
func TestKilledDuringConcurrentDrain(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	const n, killAt = 600, 200
	path := filepath.Join(t.TempDir(), "planbot.db")
	db, err := storage.Open(context.Background(), path, storage.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	enqueueN(t, db, n)

	recv, url := newReceiver(t)
	recv.delay = 40 * time.Millisecond
	start := childStarter(t, path, url, childRate+"=2000", childRun+"=1")
	inflight := killChildAt(t, recv, start, killAt)
	_, dupsBefore := recv.counts()
	if dupsBefore > 0 {
		t.Errorf("%d duplicates before the kill: a running dispatcher sent an item twice", dupsBefore)
	}
	if inflight < 2 {
		t.Errorf("%d request(s) in flight when killed: the drain was not concurrent", inflight)
	}

	second := start()
	if err := second.Wait(); err != nil {
		t.Fatalf("restarted dispatcher: %v", err)
	}
	distinct, dups := recv.counts()
	t.Logf("killed with %d requests in flight; after restart %d distinct of %d, %d duplicate(s)", inflight, distinct, n, dups)
	if distinct != n {
		t.Errorf("%d distinct messages arrived, want %d: messages were lost", distinct, n)
	}
	if dups > delivery.DefaultConcurrency {
		t.Errorf("%d duplicates, want at most %d (one per chat being served)", dups, delivery.DefaultConcurrency)
	}
	assertAllSent(t, db, n)
}

// childStarter returns a function that starts the dispatcher child on the
// database at path, sending to url, with env added.
func childStarter(t *testing.T, path, url string, env ...string) func() *exec.Cmd {
	t.Helper()
	return func() *exec.Cmd {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(append(os.Environ(), childEnv+"="+path, childURL+"="+url, childOwner+"=host-a"), env...)
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd
	}
}

// killAt_ starts a child and SIGKILLs it when the receiver takes its
// killAt-th delivery, before the child hears the answer: that message is
// in flight. It returns how many requests were in flight then.
func killChildAt(t *testing.T, recv *receiver, start func() *exec.Cmd, killAt int) int {
	t.Helper()
	// The hook is set before the child starts, under the receiver's lock,
	// and reads the child through a channel: no race with the server.
	children := make(chan *exec.Cmd, 1)
	killed := make(chan int, 1)
	recv.mu.Lock()
	recv.onDelivery = func(k int) {
		if k == killAt {
			recv.mu.Lock()
			inflight := recv.inflight
			recv.mu.Unlock()
			(<-children).Process.Kill()
			killed <- inflight
		}
	}
	recv.mu.Unlock()
	first := start()
	children <- first
	inflight := <-killed
	if err := first.Wait(); err == nil {
		t.Fatal("the first dispatcher was not killed")
	}
	recv.mu.Lock()
	recv.onDelivery = nil
	recv.mu.Unlock()
	return inflight
}

// TestTwoDispatchersExactlyOnce runs two dispatchers, each with its own
// database handle, on one outbox: every message goes exactly once.
func TestTwoDispatchersExactlyOnce(t *testing.T) {
	const n = 500
	open := func(t *testing.T, dsn string, opts ...storage.Option) *storage.DB {
		t.Helper()
		db, err := storage.Open(context.Background(), dsn, append(opts, storage.WithLogger(slog.New(slog.DiscardHandler)))...)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	run := func(t *testing.T, a, b *storage.DB) {
		enqueueN(t, a, n)
		recv, url := newReceiver(t)
		var wg sync.WaitGroup
		sent := make([]int, 2)
		for i, db := range []*storage.DB{a, b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				d := delivery.New(db, map[string]plan.Sender{"telegram": &httpSender{url: url}},
					delivery.WithOwner(fmt.Sprint("replica-", i)), delivery.WithLimits(delivery.Limits{}),
					delivery.WithBatch(20), delivery.WithLogger(slog.New(slog.DiscardHandler)))
				ctx := context.Background()
				for {
					k, err := d.RunOnce(ctx)
					if err != nil {
						t.Error(err)
						return
					}
					sent[i] += k
					if k == 0 {
						if _, ok, _ := db.NextDue(ctx); !ok {
							return
						}
						<-time.After(time.Millisecond) // the other holds the rest
					}
				}
			}()
		}
		wg.Wait()
		distinct, dups := recv.counts()
		t.Logf("replicas handled %v items; %d distinct, %d duplicates", sent, distinct, dups)
		if distinct != n || dups != 0 {
			t.Errorf("%d distinct, %d duplicates; want %d exactly once", distinct, dups, n)
		}
		assertAllSent(t, a, n)
	}
	t.Run("sqlite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "planbot.db")
		run(t, open(t, path), open(t, path))
	})
	t.Run("postgres", func(t *testing.T) {
		dsn := os.Getenv(storagetest.PostgresEnv)
		if dsn == "" {
			t.Skipf("PostgreSQL tests skipped: set %s", storagetest.PostgresEnv)
		}
		schema := storagetest.NewSchema(t, dsn)
		run(t, open(t, dsn, storage.WithSchema(schema)), open(t, dsn, storage.WithSchema(schema)))
	})
}

// TestThroughputAtDefaultRate measures delivery with Telegram's default
// overall limit of 30 messages a second, on the real clock.
func TestThroughputAtDefaultRate(t *testing.T) {
	if testing.Short() {
		t.Skip("takes three seconds of real time")
	}
	const n = 91
	db := storagetest.Open(t, storage.WithClock(plan.SystemClock))
	enqueueN(t, db, n)
	recv, url := newReceiver(t)
	d := delivery.New(db, map[string]plan.Sender{"telegram": &httpSender{url: url}},
		delivery.WithLogger(slog.New(slog.DiscardHandler)))
	start := time.Now()
	if err := drain(context.Background(), db, d); err != nil {
		t.Fatal(err)
	}
	elapsed := time.Since(start)
	// The first burst goes at once; the rest at the rate.
	rate := float64(n-delivery.OverallRate(30).Burst) / elapsed.Seconds()
	t.Logf("%d messages in %s: %.1f messages/s", n, elapsed.Round(time.Millisecond), rate)
	if distinct, dups := recv.counts(); distinct != n || dups != 0 {
		t.Errorf("%d distinct, %d duplicates", distinct, dups)
	}
	if rate > 30.5 || rate < 25 {
		t.Errorf("rate %.1f/s, want just under 30/s", rate)
	}
}

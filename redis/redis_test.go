package redis

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	goredis "github.com/redis/go-redis/v9"

	"github.com/chanhlo/planbot/plan"
)

// RedisEnv names the variable holding the URL of a Redis server for tests.
const RedisEnv = "PLANBOT_TEST_REDIS_URL"

var t0 = time.Date(2023, 5, 2, 1, 0, 0, 0, time.UTC)

// target is a Redis server a test runs against.
type target struct {
	rdb    *goredis.Client
	prefix string
	// expire makes key's TTL run out: FastForward on miniredis, DEL on a
	// real server (tests do not sleep).
	expire func(key string, ttl time.Duration)
	// setTime sets the server's TIME where the server allows it.
	setTime func(time.Time)
	real    bool
}

// forEachServer runs fn on miniredis and, when RedisEnv is set, on that
// server with a random key prefix whose keys are deleted afterwards.
func forEachServer(t *testing.T, fn func(t *testing.T, s target)) {
	t.Helper()
	t.Run("miniredis", func(t *testing.T) {
		m := miniredis.RunT(t)
		m.SetTime(t0)
		rdb := goredis.NewClient(&goredis.Options{Addr: m.Addr()})
		t.Cleanup(func() { rdb.Close() })
		fn(t, target{
			rdb: rdb, prefix: "planbot:",
			expire:  func(_ string, ttl time.Duration) { m.FastForward(ttl) },
			setTime: m.SetTime,
		})
	})
	t.Run("server", func(t *testing.T) {
		url := os.Getenv(RedisEnv)
		if url == "" {
			t.Skipf("real Redis tests skipped: set %s (e.g. redis://127.0.0.1:6379/0)", RedisEnv)
		}
		opt, err := goredis.ParseURL(url)
		if err != nil {
			t.Fatalf("%s: %v", RedisEnv, err)
		}
		rdb := goredis.NewClient(opt)
		prefix := "planbot_test_" + randomHex(t) + ":"
		t.Cleanup(func() {
			defer rdb.Close()
			cleanPrefix(t, rdb, prefix)
			cleanPrefix(t, rdb, "rate:"+prefix) // redis_rate's own prefix
		})
		fn(t, target{
			rdb: rdb, prefix: prefix, real: true,
			expire:  func(key string, _ time.Duration) { rdb.Del(context.Background(), key) },
			setTime: func(time.Time) {},
		})
	})
}

func randomHex(t *testing.T) string {
	t.Helper()
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b[:])
}

func cleanPrefix(t *testing.T, rdb *goredis.Client, prefix string) {
	t.Helper()
	ctx := context.Background()
	iter := rdb.Scan(ctx, 0, prefix+"*", 100).Iterator()
	for iter.Next(ctx) {
		if err := rdb.Del(ctx, iter.Val()).Err(); err != nil {
			t.Errorf("clean %s: %v", iter.Val(), err)
		}
	}
	if err := iter.Err(); err != nil {
		t.Errorf("clean %s*: %v", prefix, err)
	}
}

// clock is a test clock moved by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// logs collects log messages.
type logs struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logs) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logs) count(s string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Count(l.buf.String(), s)
}

func (l *logs) logger() *slog.Logger { return slog.New(slog.NewTextHandler(l, nil)) }

// memUpdates is the database's update log, in memory.
type memUpdates struct {
	mu    sync.Mutex
	seen  map[string]bool
	calls int
	fail  error
}

func (m *memUpdates) FirstSeen(_ context.Context, transport, id string, _ time.Time) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls++
	if m.fail != nil {
		return false, m.fail
	}
	if m.seen == nil {
		m.seen = map[string]bool{}
	}
	k := transport + ":" + id
	if m.seen[k] {
		return false, nil
	}
	m.seen[k] = true
	return true, nil
}

func (m *memUpdates) Forget(_ context.Context, transport, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return m.fail
	}
	delete(m.seen, transport+":"+id)
	return nil
}

// ownServer is a redis-server process of the test's own, which the test
// may stop and start again on the same port.
type ownServer struct {
	t    *testing.T
	port int
	cmd  *exec.Cmd
}

func startOwnServer(t *testing.T) *ownServer {
	t.Helper()
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Skip("redis-server is not on PATH: the test that stops Redis needs its own server")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	s := &ownServer{t: t, port: port}
	s.start()
	t.Cleanup(s.stop)
	return s
}

func (s *ownServer) addr() string { return "127.0.0.1:" + strconv.Itoa(s.port) }

func (s *ownServer) start() {
	s.t.Helper()
	s.cmd = exec.Command("redis-server", "--port", strconv.Itoa(s.port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--dir", s.t.TempDir())
	if err := s.cmd.Start(); err != nil {
		s.t.Fatalf("start redis-server: %v", err)
	}
	rdb := goredis.NewClient(&goredis.Options{Addr: s.addr(), MaxRetries: -1})
	defer rdb.Close()
	for i := 0; ; i++ {
		if rdb.Ping(context.Background()).Err() == nil {
			return
		}
		if i == 200 {
			s.t.Fatal("redis-server did not answer")
		}
		<-time.After(10 * time.Millisecond) // waiting for a process, not for logic
	}
}

func (s *ownServer) stop() {
	if s.cmd == nil {
		return
	}
	s.cmd.Process.Kill()
	s.cmd.Wait()
	s.cmd = nil
}

func newClient(addr string) *goredis.Client {
	return goredis.NewClient(&goredis.Options{
		Addr: addr, MaxRetries: -1, DialTimeout: 200 * time.Millisecond,
		DialerRetries: 1, DialerRetryTimeout: time.Millisecond,
		ReadTimeout: 200 * time.Millisecond, WriteTimeout: 200 * time.Millisecond,
	})
}

// waitPing waits until every client reaches its server again.
func waitPing(t *testing.T, clients ...*goredis.Client) {
	t.Helper()
	for _, c := range clients {
		for i := 0; c.Ping(context.Background()).Err() != nil; i++ {
			if i == 300 {
				t.Fatal("client did not reconnect")
			}
			<-time.After(10 * time.Millisecond) // waiting for a process, not for logic
		}
	}
}

func TestLease(t *testing.T) {
	forEachServer(t, func(t *testing.T, s target) {
		ctx := context.Background()
		c := &clock{t: t0}
		opts := []Option{WithPrefix(s.prefix), WithClock(c), WithLogger(slog.New(slog.DiscardHandler))}
		a := NewLease(s.rdb, "scheduler", 30*time.Second, opts...)
		b := NewLease(s.rdb, "scheduler", 30*time.Second, opts...)

		mustHold := func(l *Lease, want bool) {
			t.Helper()
			got, err := l.Hold(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if got != want || l.Leading(ctx) != want {
				t.Fatalf("Hold = %v, Leading = %v, want %v", got, l.Leading(ctx), want)
			}
		}
		mustHold(a, true)
		mustHold(b, false)
		mustHold(a, true) // renewal
		if ttl := s.rdb.PTTL(ctx, a.Key()).Val(); ttl <= 0 || ttl > 30*time.Second {
			t.Errorf("PTTL = %s", ttl)
		}
		// Without renewal, a trusts itself for at most 9/10 of the TTL.
		c.Add(27 * time.Second)
		if a.Leading(ctx) {
			t.Error("a leads past its local deadline")
		}
		// a paused past the TTL; b took over; a's renewal fails.
		s.expire(a.Key(), 31*time.Second)
		mustHold(b, true)
		mustHold(a, false)
		// Releasing a lease that is not ours leaves it alone.
		if err := a.Release(ctx); err != nil {
			t.Fatal(err)
		}
		if got := s.rdb.Get(ctx, b.Key()).Val(); got != b.token {
			t.Errorf("lease holds %q, want b's token", got)
		}
		if err := b.Release(ctx); err != nil {
			t.Fatal(err)
		}
		if b.Leading(ctx) {
			t.Error("b leads after release")
		}
		mustHold(a, true)
		a.Release(ctx)
	})
}

func TestLeaseRunRenewsAndReleases(t *testing.T) {
	m := miniredis.RunT(t)
	rdb := goredis.NewClient(&goredis.Options{Addr: m.Addr()})
	defer rdb.Close()
	c := &clock{t: t0}
	ticks := make(chan chan time.Time)
	after := func(d time.Duration) <-chan time.Time {
		if d != 10*time.Second {
			t.Errorf("Run waits %s, want a third of the TTL", d)
		}
		ch := make(chan time.Time, 1)
		ticks <- ch
		return ch
	}
	l := NewLease(rdb, "scheduler", 30*time.Second, WithClock(c), WithAfter(after), WithLogger(slog.New(slog.DiscardHandler)))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- l.Run(ctx) }()
	for range 5 {
		tick := <-ticks
		if !l.Leading(ctx) {
			t.Fatal("not leading while running")
		}
		c.Add(10 * time.Second)
		m.FastForward(10 * time.Second)
		tick <- c.Now()
	}
	<-ticks
	// 50 s passed on a 30 s lease: only renewals kept it.
	if !l.Leading(ctx) || m.TTL(l.Key()) != 30*time.Second {
		t.Errorf("Leading = %v, TTL = %s after renewals", l.Leading(ctx), m.TTL(l.Key()))
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if m.Exists(l.Key()) {
		t.Error("lease still in Redis after Run stopped")
	}
}

func TestLimiter(t *testing.T) {
	forEachServer(t, func(t *testing.T, s target) {
		ctx := context.Background()
		fallback := &countingLimiter{}
		l := NewLimiter(s.rdb, fallback, WithPrefix(s.prefix), WithLogger(slog.New(slog.DiscardHandler)))
		// Two replicas share the limit: a second limiter on the same keys.
		l2 := NewLimiter(s.rdb, fallback, WithPrefix(s.prefix), WithLogger(slog.New(slog.DiscardHandler)))
		perSecond := plan.Rate{N: 1, Per: time.Second, Burst: 1}
		if w, err := l.Allow(ctx, "chat:telegram:1", perSecond); err != nil || w != 0 {
			t.Fatalf("first Allow = %s, %v", w, err)
		}
		w, err := l2.Allow(ctx, "chat:telegram:1", perSecond)
		if err != nil || w <= 0 || w > time.Second {
			t.Errorf("second Allow (other replica) = %s, %v; want a wait of at most 1s", w, err)
		}
		if w, _ := l.Allow(ctx, "chat:telegram:2", perSecond); w != 0 {
			t.Errorf("another chat waits %s", w)
		}
		if !s.real {
			s.setTime(t0.Add(time.Second))
			if w, _ := l2.Allow(ctx, "chat:telegram:1", perSecond); w != 0 {
				t.Errorf("after 1s Allow waits %s", w)
			}
			// 30 a second: a sender that waits as told sends 30 in a
			// second.
			now, n := t0.Add(2*time.Second), 0
			for now.Before(t0.Add(3 * time.Second)) {
				s.setTime(now)
				w, err := l.Allow(ctx, "global:telegram", plan.Rate{N: 30, Per: time.Second, Burst: 1})
				if err != nil {
					t.Fatal(err)
				}
				if w == 0 {
					n++
				}
				now = now.Add(w)
			}
			if n != 30 {
				t.Errorf("%d sends in one second, want 30", n)
			}
		}
		if fallback.calls != 0 || l.Degraded() {
			t.Errorf("fallback used %d times with Redis up", fallback.calls)
		}
	})
}

type countingLimiter struct {
	mu    sync.Mutex
	calls int
}

func (c *countingLimiter) Allow(context.Context, string, plan.Rate) (time.Duration, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls++
	return 0, nil
}

func TestUpdateLog(t *testing.T) {
	forEachServer(t, func(t *testing.T, s target) {
		ctx := context.Background()
		db := &memUpdates{}
		u := NewUpdateLog(s.rdb, db, WithPrefix(s.prefix), WithLogger(slog.New(slog.DiscardHandler)))
		first := func(id string) bool {
			t.Helper()
			ok, err := u.FirstSeen(ctx, "telegram", id, t0)
			if err != nil {
				t.Fatal(err)
			}
			return ok
		}
		if !first("100") || first("100") || !first("101") {
			t.Error("want new, duplicate, new")
		}
		if db.calls != 2 {
			t.Errorf("database asked %d times, want 2 (duplicates answered by Redis)", db.calls)
		}
		key := s.prefix + "update:telegram:100"
		if ttl := s.rdb.TTL(ctx, key).Val(); ttl <= 23*time.Hour || ttl > UpdateRetention {
			t.Errorf("TTL = %s, want 24h", ttl)
		}
		// Redis forgot (TTL, flush): the database still knows.
		s.expire(key, UpdateRetention+time.Second)
		if first("100") {
			t.Error("update seen again after Redis forgot it")
		}
		// The database fails: the key is forgotten so a redelivery counts.
		db.fail = fmt.Errorf("database is locked")
		if _, err := u.FirstSeen(ctx, "telegram", "102", t0); err == nil {
			t.Error("no error from a failing database")
		}
		db.fail = nil
		if !first("102") {
			t.Error("redelivered update after a database failure taken as a duplicate")
		}
	})
}

// TestRedisStopsMidRun stops a Redis server of its own while updates come
// in twice each, through two replicas, and the scheduler lease is held;
// then starts it again. Every update is taken exactly once, the limiter
// falls back and comes back, and each change of state is logged once.
func TestRedisStopsMidRun(t *testing.T) {
	srv := startOwnServer(t)
	ctx := context.Background()
	c := &clock{t: t0}
	var lg logs
	db := &memUpdates{}
	fallback := &countingLimiter{}
	opts := []Option{WithClock(c), WithLogger(lg.logger()), WithProbeInterval(time.Second)}
	rdbA, rdbB := newClient(srv.addr()), newClient(srv.addr())
	defer rdbA.Close()
	defer rdbB.Close()
	replicas := []*UpdateLog{NewUpdateLog(rdbA, db, opts...), NewUpdateLog(rdbB, db, opts...)}
	lim := NewLimiter(rdbA, fallback, opts...)
	lease := NewLease(rdbA, "scheduler", 30*time.Second, opts...)

	taken := map[string]int{}
	const n = 300
	for i := range n {
		switch i {
		case 100:
			srv.stop()
		case 200:
			srv.start()
			// The clients' pools notice the server's return on their
			// own, within a second of real time.
			waitPing(t, rdbA, rdbB)
		}
		c.Add(100 * time.Millisecond) // probes come around every ten updates
		id := strconv.Itoa(500000 + i)
		for r := range 2 {
			ok, err := replicas[(i+r)%2].FirstSeen(ctx, "telegram", id, c.Now())
			if err != nil {
				t.Fatalf("update %d: %v", i, err)
			}
			if ok {
				taken[id]++
			}
		}
		w, err := lim.Allow(ctx, "chat:telegram:"+id, plan.Rate{N: 1, Per: time.Second, Burst: 1})
		if err != nil || w != 0 {
			t.Fatalf("Allow = %s, %v", w, err)
		}
		leading, _ := lease.Hold(ctx)
		switch {
		case i < 100 && !leading:
			t.Fatalf("update %d: not leading with Redis up", i)
		case i >= 100 && i < 200 && (leading || lease.Leading(ctx)):
			t.Fatalf("update %d: leading with Redis down", i)
		case i >= 201 && !leading:
			t.Fatalf("update %d: lease not taken back after Redis returned", i)
		}
	}
	if len(taken) != n {
		t.Errorf("%d updates taken, want %d (lost some)", len(taken), n)
	}
	for id, k := range taken {
		if k != 1 {
			t.Errorf("update %s taken %d times", id, k)
		}
	}
	if fallback.calls < 100 || fallback.calls > 110 {
		t.Errorf("fallback limiter used %d times, want about 100 (while Redis was down)", fallback.calls)
	}
	if lim.Degraded() || replicas[0].Degraded() {
		t.Error("still degraded after Redis came back")
	}
	for _, msg := range []string{"shared rate limiter (using the local one) degraded", "shared rate limiter (using the local one) restored"} {
		if got := lg.count(msg); got != 1 {
			t.Errorf("%q logged %d times, want once", msg, got)
		}
	}
	if got := lg.count("update de-duplication (using the database alone) degraded"); got != 2 {
		t.Errorf("update log degradation logged %d times, want once per replica", got)
	}
}

func TestUpdateLogWithoutDatabase(t *testing.T) {
	m := miniredis.RunT(t)
	rdb := goredis.NewClient(&goredis.Options{Addr: m.Addr(), MaxRetries: -1})
	defer rdb.Close()
	u := NewUpdateLog(rdb, nil, WithLogger(slog.New(slog.DiscardHandler)))
	ctx := context.Background()
	if ok, err := u.FirstSeen(ctx, "telegram", "1", t0); !ok || err != nil {
		t.Errorf("first = %v, %v", ok, err)
	}
	if ok, err := u.FirstSeen(ctx, "telegram", "1", t0); ok || err != nil {
		t.Errorf("second = %v, %v", ok, err)
	}
	m.Close()
	if _, err := u.FirstSeen(ctx, "telegram", "2", t0); err == nil {
		t.Error("no error with Redis down and no database")
	}
}

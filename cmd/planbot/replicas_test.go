package main

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"

	"github.com/chanhlo/planbot/bot"
	"github.com/chanhlo/planbot/bot/local"
	"github.com/chanhlo/planbot/configs"
	"github.com/chanhlo/planbot/importer"
	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/storage"
	"github.com/chanhlo/planbot/storage/storagetest"
)

// Two replicas of planbot — two Mains, each with its own database handle,
// transport and dispatcher, sharing one database and one Redis — run
// April–June 2023 of the sample plan, ticking and delivering at the same
// moments. Every reminder reaches its officer exactly once; halfway
// through, Redis stops, and still nothing is lost or doubled.
func TestTwoReplicasSendEachReminderOnce(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		dsn := filepath.Join(t.TempDir(), "shared.db")
		runReplicas(t, dsn)
	})
	t.Run("postgres", func(t *testing.T) {
		base := os.Getenv("PLANBOT_TEST_POSTGRES_DSN")
		if base == "" {
			t.Skip("set PLANBOT_TEST_POSTGRES_DSN to run this test on PostgreSQL")
		}
		schema := storagetest.NewSchema(t, base)
		runReplicas(t, base, storage.WithSchema(schema))
	})
}

func runReplicas(t *testing.T, dsn string, opts ...storage.Option) {
	ctx := context.Background()
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	clock := &demoClock{t: time.Date(2023, 4, 3, 7, 0, 0, 0, loc)}
	mr := miniredis.RunT(t)
	log := slog.New(slog.DiscardHandler)

	open := func() *storage.DB {
		t.Helper()
		db, err := storage.Open(ctx, dsn, append([]storage.Option{storage.WithClock(clock), storage.WithLogger(log)}, opts...)...)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	db1 := open()
	p, err := importer.Parse(bytes.NewReader(configs.SamplePlan), configs.SamplePlanName)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db1.SavePlan(ctx, p); err != nil {
		t.Fatal(err)
	}
	// An officer for every unit but one, and the secretariat.
	officers := db1.OfficerStore()
	enrol(t, officers, clock.Now(), local.Name, "100", "", plan.RoleSecretariat)
	for i, u := range p.Units[1:] {
		enrol(t, officers, clock.Now(), local.Name, strconv.Itoa(101+i), u, plan.RoleOfficer)
	}

	cfg := configs.Default()
	cfg.Redis.URL = "redis://" + mr.Addr() + "/0"
	var replicas []*Main
	var transports []*local.Transport
	for _, db := range []*storage.DB{db1, open()} {
		tr := local.New(clock)
		m := &Main{Config: cfg, Logger: log, Clock: clock, Loc: loc, DB: db, Manual: true,
			Transports: []bot.Transport{tr}, After: clock.After}
		if err := m.Run(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { m.Close() })
		replicas = append(replicas, m)
		transports = append(transports, tr)
	}

	// Both replicas do everything at the same moments, concurrently.
	both := func(fn func(m *Main) error) {
		t.Helper()
		var wg sync.WaitGroup
		errs := make([]error, len(replicas))
		for i, m := range replicas {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = fn(m)
			}()
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	redisDown := false
	for day := plan.NewDate(2023, 4, 3); day.Before(plan.NewDate(2023, 7, 1)); day = day.AddDays(1) {
		if day == plan.NewDate(2023, 5, 15) {
			mr.Close() // Redis stops for the rest of the run
			redisDown = true
		}
		clock.Set(day.At(8, 0, loc))
		both(func(m *Main) error {
			m.lease.Hold(ctx) // what the lease's loop does; an error means Redis is down
			return m.Scheduler.Tick(ctx, clock.Now())
		})
		for pass := 0; pass < 50; pass++ {
			both(func(m *Main) error {
				_, err := m.Dispatcher.RunOnce(ctx)
				return err
			})
			next, ok, err := db1.NextDue(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !ok || next.After(clock.Now().Add(time.Hour)) {
				break
			}
			clock.Set(next)
		}
	}
	if !redisDown {
		t.Fatal("the run never stopped Redis")
	}

	counts, err := db1.OutboxCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	delivered := map[string]int{} // chat + text → deliveries
	total := 0
	for _, tr := range transports {
		for _, d := range tr.Sent() {
			delivered[d.To.ChatID+"\x00"+d.Message.Text]++
			total++
		}
	}
	for k, n := range delivered {
		if n > 1 {
			t.Errorf("delivered %d times: %q", n, k)
		}
	}
	if counts[plan.OutboxPending] != 0 || total != counts[plan.OutboxSent] || total < 50 {
		t.Errorf("outbox %v, %d deliveries by the two replicas; want every item sent once (and a quarter's worth)", counts, total)
	}
	t.Logf("%d messages, %d by replica 1 and %d by replica 2; outbox %v", total, len(transports[0].Sent()), len(transports[1].Sent()), counts)
}

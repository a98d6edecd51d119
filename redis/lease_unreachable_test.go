package redis

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	goredis "github.com/redis/go-redis/v9"
)

// With LeadWhenUnreachable, a replica that cannot reach Redis leads (the
// job is idempotent in the database), and goes back to the lease when
// Redis answers again.
func TestLeaseLeadWhenUnreachable(t *testing.T) {
	ctx := context.Background()
	mr := miniredis.RunT(t)
	rdb := goredis.NewClient(&goredis.Options{Addr: mr.Addr(), MaxRetries: -1, DialTimeout: 200 * time.Millisecond})
	defer rdb.Close()
	c := &clock{t: t0}
	opts := []Option{WithClock(c), WithLogger(slog.New(slog.DiscardHandler))}
	a := NewLease(rdb, "scheduler", 30*time.Second, opts...).LeadWhenUnreachable()
	b := NewLease(rdb, "scheduler", 30*time.Second, opts...) // the default: follows the lease only

	if ok, err := a.Hold(ctx); err != nil || !ok {
		t.Fatalf("a.Hold = %v, %v", ok, err)
	}
	if ok, _ := b.Hold(ctx); ok || b.Leading(ctx) {
		t.Fatal("b leads while a holds the lease")
	}

	mr.SetError("LOADING Redis is loading the dataset in memory")
	if _, err := a.Hold(ctx); err == nil {
		t.Fatal("Hold succeeded against a failing server")
	}
	if _, err := b.Hold(ctx); err == nil {
		t.Fatal("Hold succeeded against a failing server")
	}
	if !a.Leading(ctx) {
		t.Error("a does not lead while Redis is unreachable")
	}
	if b.Leading(ctx) {
		t.Error("b leads without LeadWhenUnreachable")
	}

	mr.SetError("")
	mr.FastForward(31 * time.Second) // a's key expired meanwhile
	if ok, err := b.Hold(ctx); err != nil || !ok {
		t.Fatalf("b.Hold after recovery = %v, %v", ok, err)
	}
	if ok, err := a.Hold(ctx); err != nil || ok {
		t.Fatalf("a.Hold after recovery = %v, %v; want the lease to stay with b", ok, err)
	}
	if a.Leading(ctx) {
		t.Error("a still leads after Redis came back and b took the lease")
	}
}

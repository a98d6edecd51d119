package storagetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"

	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/storage"
)

// PostgresEnv names the variable holding the PostgreSQL DSN for tests.
const PostgresEnv = "PLANBOT_TEST_POSTGRES_DSN"

// Epoch is the time of the default test clock: 9:00 on 2 May 2023 in
// Vietnam.
var Epoch = time.Date(2023, 5, 2, 2, 0, 0, 0, time.UTC)

// Clock is a clock for tests that moves only when told. It is safe for
// concurrent use.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock standing at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Add moves the clock by d.
func (c *Clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// Open returns a migrated SQLite store in a temporary file. Without a
// WithClock option the store's clock stands still at Epoch.
func Open(t testing.TB, opts ...storage.Option) *storage.DB {
	t.Helper()
	path := filepath.Join(t.TempDir(), "planbot.db")
	return open(t, path, opts)
}

// OpenPostgres returns a migrated store in a fresh PostgreSQL schema,
// dropped when the test ends. It skips the test when PostgresEnv is unset.
func OpenPostgres(t testing.TB, opts ...storage.Option) *storage.DB {
	t.Helper()
	dsn := os.Getenv(PostgresEnv)
	if dsn == "" {
		t.Skipf("PostgreSQL tests skipped: set %s (e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable)", PostgresEnv)
	}
	schema := NewSchema(t, dsn)
	return open(t, dsn, append([]storage.Option{storage.WithSchema(schema)}, opts...))
}

// NewSchema creates an empty PostgreSQL schema with a random name and
// drops it, with everything in it, when the test ends.
func NewSchema(t testing.TB, dsn string) string {
	t.Helper()
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	schema := "planbot_test_" + hex.EncodeToString(b[:])
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatalf("open %s: %v", PostgresEnv, err)
	}
	ctx := context.Background()
	if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		admin.Close()
		t.Fatalf("create schema %s: %v", schema, err)
	}
	t.Cleanup(func() {
		defer admin.Close()
		if _, err := admin.ExecContext(ctx, `DROP SCHEMA `+schema+` CASCADE`); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	return schema
}

// ForEachEngine runs fn as a subtest on SQLite ("sqlite") and on
// PostgreSQL ("postgres"); the PostgreSQL subtest skips when PostgresEnv
// is unset. Each subtest gets a fresh, migrated store.
func ForEachEngine(t *testing.T, fn func(t *testing.T, db *storage.DB), opts ...storage.Option) {
	t.Helper()
	t.Run(storage.EngineSQLite, func(t *testing.T) { fn(t, Open(t, opts...)) })
	t.Run(storage.EnginePostgres, func(t *testing.T) { fn(t, OpenPostgres(t, opts...)) })
}

func open(t testing.TB, dsn string, opts []storage.Option) *storage.DB {
	t.Helper()
	base := []storage.Option{
		storage.WithClock(plan.ClockFunc(func() time.Time { return Epoch })),
		storage.WithLogger(slog.New(slog.DiscardHandler)),
	}
	db, err := storage.Open(context.Background(), dsn, append(base, opts...)...)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("close store: %v", err)
		}
	})
	return db
}

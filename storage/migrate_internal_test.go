package storage

import (
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"gorm.io/gorm"
)

func openInternal(t *testing.T, path string) *DB {
	t.Helper()
	db, err := Open(context.Background(), path, WithoutMigrations(), WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func tableExists(t *testing.T, db *DB, name string) bool {
	t.Helper()
	return db.gdb.Migrator().HasTable(name)
}

func TestMigrateOrderAndRollback(t *testing.T) {
	ctx := context.Background()
	db := openInternal(t, filepath.Join(t.TempDir(), "m.db"))
	var order []int
	boom := errors.New("boom")
	step := func(v int, ddl string, fail bool) Migration {
		return Migration{Version: v, Name: "step", Up: func(tx *gorm.DB) error {
			order = append(order, v)
			if err := execDDL(tx, ddl); err != nil {
				return err
			}
			if fail {
				return boom
			}
			return nil
		}}
	}
	ms := []Migration{
		step(1, `CREATE TABLE a (id {{pk}}, at {{time}}, data {{blob}})`, false),
		step(2, `CREATE TABLE b (id {{pk}})`, false),
		step(3, `CREATE TABLE c (id {{pk}})`, true),
	}
	err := db.migrate(ctx, ms)
	if !errors.Is(err, boom) {
		t.Fatalf("migrate = %v, want boom", err)
	}
	if want := []int{1, 2, 3}; !slices.Equal(order, want) {
		t.Errorf("order = %v, want %v", order, want)
	}
	if !tableExists(t, db, "a") || !tableExists(t, db, "b") {
		t.Error("tables of applied versions missing")
	}
	if tableExists(t, db, "c") {
		t.Error("failed version left its table behind")
	}
	applied, err := db.AppliedMigrations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(applied) != 2 || applied[0].Version != 1 || applied[1].Version != 2 {
		t.Errorf("applied = %+v, want versions 1 and 2", applied)
	}

	// Fixed, the failed version applies; the others do not run again.
	order = nil
	ms[2] = step(3, `CREATE TABLE c (id {{pk}})`, false)
	if err := db.migrate(ctx, ms); err != nil {
		t.Fatal(err)
	}
	if want := []int{3}; !slices.Equal(order, want) {
		t.Errorf("second run order = %v, want %v", order, want)
	}
}

func TestMigrateConcurrentProcesses(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "m.db")
	a, b := openInternal(t, path), openInternal(t, path)
	var mu sync.Mutex
	runs := 0
	ms := []Migration{{Version: 1, Name: "t", Up: func(tx *gorm.DB) error {
		mu.Lock()
		runs++
		mu.Unlock()
		return execDDL(tx, `CREATE TABLE t (id {{pk}})`)
	}}}
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, db := range []*DB{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = db.migrate(ctx, ms)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if runs != 1 {
		t.Errorf("migration ran %d times, want 1", runs)
	}
}

func TestRegisterRejects(t *testing.T) {
	up := func(*gorm.DB) error { return nil }
	tests := []struct {
		name string
		m    Migration
	}{
		{"zero version", Migration{Version: 0, Name: "x", Up: up}},
		{"no name", Migration{Version: 99, Up: up}},
		{"no up", Migration{Version: 99, Name: "x"}},
		{"duplicate", Migration{Version: 1, Name: "again", Up: up}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("register did not panic")
				}
			}()
			register(tt.m)
		})
	}
}

func TestSQLiteDSN(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "planbot.db?_journal_mode=WAL&_busy_timeout=5000&_txlock=immediate&_foreign_keys=on"},
		{"/var/lib/planbot/x.db", "/var/lib/planbot/x.db?_journal_mode=WAL&_busy_timeout=5000&_txlock=immediate&_foreign_keys=on"},
		{"file:x.db?cache=shared", "file:x.db?cache=shared&_journal_mode=WAL&_busy_timeout=5000&_txlock=immediate&_foreign_keys=on"},
		{"file:x.db?_journal=DELETE&_timeout=100&_txlock=deferred&_fk=0", "file:x.db?_journal=DELETE&_timeout=100&_txlock=deferred&_fk=0"},
		{"sqlite://x.db?_busy_timeout=1", "x.db?_busy_timeout=1&_journal_mode=WAL&_txlock=immediate&_foreign_keys=on"},
	}
	for _, tt := range tests {
		got, err := sqliteDSN(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("sqliteDSN(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestPostgresDSN(t *testing.T) {
	for _, dsn := range []string{"postgres://u:secret@h:5432/db", "postgresql://h/db", "host=h dbname=db"} {
		if !isPostgresDSN(dsn) {
			t.Errorf("isPostgresDSN(%q) = false", dsn)
		}
	}
	for _, dsn := range []string{"", "planbot.db", "file:planbot.db?mode=ro"} {
		if isPostgresDSN(dsn) {
			t.Errorf("isPostgresDSN(%q) = true", dsn)
		}
	}
	if got := redactPostgres("postgres://u:secret@h:5432/db?sslmode=disable"); got != "h:5432/db" {
		t.Errorf("redactPostgres = %q", got)
	}
	if db, err := Open(context.Background(), "postgres://u@127.0.0.1:1/db", WithSchema("Bad-Name")); err == nil {
		db.Close()
		t.Error("Open accepted schema name Bad-Name")
	}
	got, err := withSearchPath("postgres://u@h/db?sslmode=disable", "s1")
	if err != nil || got != "postgres://u@h/db?search_path=s1&sslmode=disable" {
		t.Errorf("withSearchPath = %q, %v", got, err)
	}
}

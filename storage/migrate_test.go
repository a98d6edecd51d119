package storage_test

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/storage"
	"github.com/chanhlo/planbot/storage/storagetest"
)

// reopenable returns a DSN and options that open the same empty database
// any number of times, on each engine.
func reopenable(t *testing.T, engine string) (string, []storage.Option) {
	t.Helper()
	quiet := storage.WithLogger(slog.New(slog.DiscardHandler))
	if engine == storage.EngineSQLite {
		return filepath.Join(t.TempDir(), "planbot.db"), []storage.Option{quiet}
	}
	dsn := os.Getenv(storagetest.PostgresEnv)
	if dsn == "" {
		t.Skipf("PostgreSQL tests skipped: set %s", storagetest.PostgresEnv)
	}
	return dsn, []storage.Option{quiet, storage.WithSchema(storagetest.NewSchema(t, dsn))}
}

func TestMigrationsApplyOnce(t *testing.T) {
	for _, engine := range []string{storage.EngineSQLite, storage.EnginePostgres} {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			dsn, opts := reopenable(t, engine)
			first := time.Date(2023, 5, 2, 2, 0, 0, 0, time.UTC)
			clock := storagetest.NewClock(first)
			opts = append(opts, storage.WithClock(clock))

			db, err := storage.Open(ctx, dsn, opts...)
			if err != nil {
				t.Fatal(err)
			}
			if got := db.Engine(); got != engine {
				t.Errorf("Engine() = %q, want %q", got, engine)
			}
			applied, err := db.AppliedMigrations(ctx)
			if err != nil {
				t.Fatal(err)
			}
			want := storage.Migrations()
			if len(applied) != len(want) || len(want) == 0 {
				t.Fatalf("applied %d migrations, registered %d", len(applied), len(want))
			}
			for i, a := range applied {
				if a.Version != want[i].Version || a.Name != want[i].Name || !a.AppliedAt.Equal(first) {
					t.Errorf("applied[%d] = %+v, want version %d %q at %v", i, a, want[i].Version, want[i].Name, first)
				}
			}
			if applied[0].Version != 1 {
				t.Errorf("first migration is version %d, want 1", applied[0].Version)
			}
			if err := db.Close(); err != nil {
				t.Fatal(err)
			}

			// Reopening later applies nothing again.
			clock.Add(time.Hour)
			db, err = storage.Open(ctx, dsn, opts...)
			if err != nil {
				t.Fatalf("reopen: %v", err)
			}
			defer db.Close()
			again, err := db.AppliedMigrations(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(again) != len(applied) {
				t.Fatalf("after reopen %d migrations recorded, want %d", len(again), len(applied))
			}
			for i := range again {
				if !again[i].AppliedAt.Equal(applied[i].AppliedAt) {
					t.Errorf("migration %d re-applied at %v", again[i].Version, again[i].AppliedAt)
				}
			}
			// The seeded organisation exists once.
			units, err := db.Units(ctx, plan.DefaultOrg)
			if err != nil {
				t.Fatal(err)
			}
			if len(units) != 0 {
				t.Errorf("fresh store has units %v", units)
			}
		})
	}
}

func TestOpenWithoutMigrations(t *testing.T) {
	ctx := context.Background()
	dsn, opts := reopenable(t, storage.EngineSQLite)
	db, err := storage.Open(ctx, dsn, append(opts, storage.WithoutMigrations())...)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.AppliedMigrations(ctx); err == nil {
		t.Fatal("schema_migrations exists before Migrate")
	}
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	applied, err := db.AppliedMigrations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(applied) != len(storage.Migrations()) {
		t.Errorf("applied %d migrations, want %d", len(applied), len(storage.Migrations()))
	}
}

func TestOpenSchemaWithSQLite(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "x.db")
	if db, err := storage.Open(context.Background(), dsn, storage.WithSchema("x")); err == nil {
		db.Close()
		t.Fatal("WithSchema accepted for SQLite")
	}
}

// CheckWritable passes on a database that takes writes, leaves nothing
// behind, and fails on one opened read-only.
func TestCheckWritable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.db")
	ctx := context.Background()
	db, err := storage.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.CheckWritable(ctx); err != nil {
		t.Errorf("writable database: %v", err)
	}
	db.Close()
	ro, err := storage.Open(ctx, "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatalf("open read-only: %v", err)
	}
	defer ro.Close()
	if err := ro.CheckWritable(ctx); err == nil {
		t.Error("a read-only database passed the write check")
	}
}

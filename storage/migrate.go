package storage

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"
)

// Migration is one version of the schema. Up runs inside a transaction,
// together with the row that records the version in schema_migrations, so
// a version is applied entirely or not at all.
type Migration struct {
	Version int
	Name    string
	Up      func(tx *gorm.DB) error
}

var (
	registryMu sync.Mutex
	registry   = map[int]Migration{}
)

// register adds m to the migrations Open applies. Each version calls it
// from an init function in its own file; registering a version twice is a
// programming error and panics.
func register(m Migration) {
	registryMu.Lock()
	defer registryMu.Unlock()
	switch {
	case m.Version <= 0:
		panic(fmt.Sprintf("storage: migration %q: version must be positive", m.Name))
	case m.Name == "" || m.Up == nil:
		panic(fmt.Sprintf("storage: migration %d: name and Up are required", m.Version))
	}
	if old, ok := registry[m.Version]; ok {
		panic(fmt.Sprintf("storage: migration %d registered twice (%q and %q)", m.Version, old.Name, m.Name))
	}
	registry[m.Version] = m
}

// Migrations returns every registered migration, by version.
func Migrations() []Migration {
	registryMu.Lock()
	defer registryMu.Unlock()
	out := make([]Migration, 0, len(registry))
	for _, m := range registry {
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b Migration) int { return a.Version - b.Version })
	return out
}

// AppliedMigration is a row of schema_migrations.
type AppliedMigration struct {
	Version   int
	Name      string
	AppliedAt time.Time
}

// migrationLockKey serialises migrations across processes on PostgreSQL
// (pg_advisory_xact_lock); it spells "planbot".
const migrationLockKey = 0x706c616e626f74

const createSchemaMigrations = `CREATE TABLE IF NOT EXISTS schema_migrations (
	version BIGINT PRIMARY KEY,
	name TEXT NOT NULL,
	applied_at {{time}} NOT NULL
)`

// Migrate applies the registered migrations that the database lacks, in
// order of version, each in its own transaction. It is safe to run from
// several processes at once. Open calls it unless WithoutMigrations is
// given.
func (db *DB) Migrate(ctx context.Context) error {
	return db.migrate(ctx, Migrations())
}

func (db *DB) migrate(ctx context.Context, migrations []Migration) error {
	if err := execDDL(db.gdb.WithContext(ctx), createSchemaMigrations); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	applied, err := db.AppliedMigrations(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	done := map[int]bool{}
	for _, a := range applied {
		done[a.Version] = true
	}
	known := map[int]bool{}
	for _, m := range migrations {
		known[m.Version] = true
		if done[m.Version] {
			continue
		}
		ran := false
		err := db.tx(ctx, func(tx *gorm.DB) error {
			if db.engine == EnginePostgres {
				if err := tx.Exec(`SELECT pg_advisory_xact_lock(?)`, migrationLockKey).Error; err != nil {
					return fmt.Errorf("lock: %w", err)
				}
			}
			// Another process may have applied it while we waited.
			var n int64
			if err := tx.Table("schema_migrations").Where("version = ?", m.Version).Count(&n).Error; err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			if err := m.Up(tx); err != nil {
				return err
			}
			ran = true
			return tx.Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
				m.Version, m.Name, db.now()).Error
		})
		if err != nil {
			return fmt.Errorf("migrate to version %d (%s): %w", m.Version, m.Name, err)
		}
		if ran {
			db.log.Info("storage migrated", "engine", db.engine, "version", m.Version, "name", m.Name)
		}
	}
	for _, a := range applied {
		if !known[a.Version] {
			db.log.Warn("database has a migration this program does not know; is it older than the database?",
				"version", a.Version, "name", a.Name)
		}
	}
	return nil
}

// AppliedMigrations returns the rows of schema_migrations, by version.
func (db *DB) AppliedMigrations(ctx context.Context) ([]AppliedMigration, error) {
	var out []AppliedMigration
	err := db.gdb.WithContext(ctx).Raw(`SELECT version, name, applied_at FROM schema_migrations ORDER BY version`).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("applied migrations: %w", err)
	}
	for i := range out {
		out[i].AppliedAt = out[i].AppliedAt.UTC()
	}
	return out, nil
}

// execDDL runs statements written for both engines, after replacing
// these placeholders with each engine's spelling:
//
//	{{pk}}    an auto-incrementing 64-bit primary key column type
//	{{time}}  a timestamp (with time zone on PostgreSQL)
//	{{blob}}  a byte string
//
// Everything else must be SQL both engines accept: TEXT, BIGINT,
// INTEGER, BOOLEAN, DOUBLE PRECISION, REFERENCES, UNIQUE, CREATE INDEX.
// Store days (plan.Date) as TEXT 'YYYY-MM-DD' so they never shift.
func execDDL(tx *gorm.DB, stmts ...string) error {
	r := ddlReplacer(tx)
	for _, s := range stmts {
		if err := tx.Exec(r.Replace(s)).Error; err != nil {
			return fmt.Errorf("%s: %w", firstLine(s), err)
		}
	}
	return nil
}

func ddlReplacer(tx *gorm.DB) *strings.Replacer {
	if tx.Dialector.Name() == EnginePostgres {
		return strings.NewReplacer(
			"{{pk}}", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
			"{{time}}", "TIMESTAMPTZ",
			"{{blob}}", "BYTEA",
		)
	}
	return strings.NewReplacer(
		"{{pk}}", "INTEGER PRIMARY KEY AUTOINCREMENT",
		"{{time}}", "DATETIME",
		"{{blob}}", "BLOB",
	)
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}

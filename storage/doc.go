// Package storage keeps planbot's data in SQLite or PostgreSQL through
// gorm, and implements the store interfaces of package plan (plan.PlanStore
// and, in sibling files, the others).
//
// # Opening
//
// Open picks the engine from the DSN: postgres:// or postgresql:// is
// PostgreSQL; "", a file path or a file: URI is SQLite (mattn/go-sqlite3,
// cgo) in WAL mode with IMMEDIATE transactions, so that concurrent
// read-then-write transactions queue on the busy timeout instead of failing
// with "database is locked". Open applies pending migrations unless
// WithoutMigrations is given. Times written by the store come from the
// clock given with WithClock, in UTC, cut to microseconds.
//
// # Migrations
//
// The schema is versioned. Each version lives in its own file,
// migrate_vN.go, and registers itself:
//
//	func init() {
//		register(Migration{Version: 2, Name: "officers, invites, progress", Up: migrateV2})
//	}
//
//	func migrateV2(tx *gorm.DB) error {
//		return execDDL(tx,
//			`CREATE TABLE officers (
//				id {{pk}},
//				org_id BIGINT NOT NULL REFERENCES organisations(id),
//				name TEXT NOT NULL,
//				created_at {{time}} NOT NULL
//			)`,
//			`CREATE INDEX officers_org ON officers (org_id)`,
//		)
//	}
//
// Migrate (called by Open) applies the versions the database lacks in
// order, each in one transaction together with its row in
// schema_migrations (version, name, applied_at); on PostgreSQL an advisory
// lock keeps two processes from migrating at once. A released migration is
// frozen: never edit it, add a version. Write tables as explicit DDL (or
// migration-local structs), not with AutoMigrate of live types, because
// AutoMigrate cannot rename, drop or rewrite and its result changes when
// the types change. execDDL replaces {{pk}}, {{time}} and {{blob}} with each
// engine's spelling; the rest must be SQL both engines accept. Store days
// (plan.Date) as TEXT 'YYYY-MM-DD' and JSON as TEXT.
//
// Version 1 (migrate_v1.go) holds organisations (organisation 1 is seeded),
// units, plans, plan_units, sections, tasks, task_units and targets. Tasks
// are never deleted while their plan exists: a task missing from a
// re-imported document gets removed_at, so rows of later versions may
// reference tasks(id) safely.
//
// # Sibling files
//
// Files of this package reach gorm through db.gdb, run transactions with
// db.tx (IMMEDIATE on SQLite) and take the time from db.now. They keep
// their own row structs with TableName methods; user-facing failures are
// *plan.Error with Vietnamese messages.
//
// # Tests
//
// Package storagetest opens throwaway stores: storagetest.Open for a
// SQLite file in t.TempDir, storagetest.ForEachEngine to run a test on
// SQLite and, when PLANBOT_TEST_POSTGRES_DSN is set, on PostgreSQL in a
// fresh schema dropped afterwards. Its stores' clock stands still at
// storagetest.Epoch unless a WithClock option is passed. Tests in package
// storage_test reach the gorm handle with GormOf (export_test.go), e.g. to
// check rows no API returns.
//
// Times read back are in UTC on both engines; days are exact.
package storage

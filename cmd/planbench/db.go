package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"path/filepath"

	"github.com/chanhlo/planbot/storage"

	_ "github.com/jackc/pgx/v5/stdlib" // the PostgreSQL driver, for the schema and the baselines
)

// openStore opens a fresh, migrated store for one measurement: a new
// SQLite file in the run's directory, or a new PostgreSQL schema that
// closing drops.
func (e *env) openStore(ctx context.Context, name string, opts ...storage.Option) (*storage.DB, func(), error) {
	if e.postgres == "" {
		db, err := storage.Open(ctx, filepath.Join(e.dir, name+".db"), append([]storage.Option{storage.WithLogger(e.log)}, opts...)...)
		if err != nil {
			return nil, nil, err
		}
		return db, func() { db.Close() }, nil
	}
	var b [6]byte
	rand.Read(b[:])
	schema := "planbench_" + hex.EncodeToString(b[:])
	admin, err := sql.Open("pgx", e.postgres)
	if err != nil {
		return nil, nil, fmt.Errorf("connect to postgres: %w", err)
	}
	db, err := storage.Open(ctx, e.postgres, append([]storage.Option{storage.WithLogger(e.log), storage.WithSchema(schema)}, opts...)...)
	if err != nil {
		admin.Close()
		return nil, nil, err
	}
	return db, func() {
		db.Close()
		admin.ExecContext(context.Background(), `DROP SCHEMA IF EXISTS `+schema+` CASCADE`)
		admin.Close()
	}, nil
}

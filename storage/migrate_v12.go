package storage

import "gorm.io/gorm"

// Version 12: bearer tokens of the read-only JSON API. Only the SHA-256
// of a token is kept (hash, hex); a name is unique among the tokens that
// are not revoked. Versions need not be contiguous: Migrate applies the
// registered versions the database lacks in order, so a version 11
// registered later is still applied to a database already at 12. This
// file is frozen once released: change the schema with a new version.
func init() {
	register(Migration{Version: 12, Name: "api tokens", Up: migrateV12})
}

func migrateV12(tx *gorm.DB) error {
	return execDDL(tx,
		`CREATE TABLE api_tokens (
			id {{pk}},
			org_id BIGINT NOT NULL REFERENCES organisations(id),
			name TEXT NOT NULL,
			role TEXT NOT NULL,
			hash TEXT NOT NULL UNIQUE,
			created_at {{time}} NOT NULL,
			last_used_at {{time}},
			revoked_at {{time}}
		)`,
		`CREATE UNIQUE INDEX api_tokens_name ON api_tokens (org_id, name) WHERE revoked_at IS NULL`,
	)
}

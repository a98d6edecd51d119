package storage

import "gorm.io/gorm"

// Version 11: the web pages' sign-in — one-time sign-in links sent in the
// chat, and the sessions they open, both kept as hashes so a copy of the
// database signs nobody in; in the database so that every replica knows
// them. This file is frozen once released: change the schema with a new
// version.
func init() {
	register(Migration{Version: 11, Name: "web sign-in links and sessions", Up: migrateV11})
}

func migrateV11(tx *gorm.DB) error {
	return execDDL(tx,
		`CREATE TABLE web_signins (
			hash TEXT PRIMARY KEY,
			officer_id BIGINT NOT NULL,
			created_at {{time}} NOT NULL,
			expires_at {{time}} NOT NULL,
			used_at {{time}}
		)`,
		`CREATE TABLE web_sessions (
			hash TEXT PRIMARY KEY,
			officer_id BIGINT NOT NULL,
			csrf TEXT NOT NULL,
			created_at {{time}} NOT NULL,
			expires_at {{time}} NOT NULL,
			revoked_at {{time}}
		)`,
		`CREATE INDEX web_sessions_officer ON web_sessions (officer_id)`,
	)
}

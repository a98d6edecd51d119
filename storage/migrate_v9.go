package storage

import "gorm.io/gorm"

// Version 9: a second messenger (Zalo). An officer keeps one row in
// officers, whose address is where reminders go; the other messengers
// the same person registered on are officer_contacts. An invite may be
// for a messenger (Zalo's short typed codes) and may link a new contact
// to an existing officer instead of registering a new one. Files that a
// messenger cannot carry are kept in downloads for a signed link; sends
// are counted per bot and month against a messenger's quota; settings
// holds values every replica must share (the signing key). This file is
// frozen once released: change the schema with a new version.
func init() {
	register(Migration{Version: 9, Name: "zalo: contacts, typed invites, downloads, send counts", Up: migrateV9})
}

func migrateV9(tx *gorm.DB) error {
	return execDDL(tx,
		`ALTER TABLE invites ADD COLUMN messenger TEXT NOT NULL DEFAULT ''`,
		`ALTER TABLE invites ADD COLUMN link_officer BIGINT NOT NULL DEFAULT 0`,
		`CREATE TABLE officer_contacts (
			id {{pk}},
			officer_id BIGINT NOT NULL REFERENCES officers(id) ON DELETE CASCADE,
			transport TEXT NOT NULL,
			user_id TEXT NOT NULL,
			chat_id TEXT NOT NULL,
			created_at {{time}} NOT NULL
		)`,
		`CREATE UNIQUE INDEX officer_contacts_user ON officer_contacts (transport, user_id)`,
		`CREATE INDEX officer_contacts_officer ON officer_contacts (officer_id)`,
		`CREATE TABLE downloads (
			id TEXT PRIMARY KEY,
			org_id BIGINT NOT NULL,
			officer_id BIGINT NOT NULL DEFAULT 0,
			name TEXT NOT NULL,
			mime TEXT NOT NULL,
			data {{blob}} NOT NULL,
			created_at {{time}} NOT NULL,
			expires_at {{time}} NOT NULL
		)`,
		`CREATE INDEX downloads_expires ON downloads (expires_at)`,
		`CREATE TABLE send_counts (
			transport TEXT NOT NULL,
			bot TEXT NOT NULL,
			month TEXT NOT NULL,
			sent BIGINT NOT NULL DEFAULT 0,
			warned_at {{time}},
			PRIMARY KEY (transport, bot, month)
		)`,
		`CREATE TABLE settings (
			key TEXT PRIMARY KEY,
			value TEXT NOT NULL
		)`,
	)
}

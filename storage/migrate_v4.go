package storage

import "gorm.io/gorm"

// Version 4: the outbox, the durable queue of outbound messages (see
// outbox.go). This file is frozen once released: change the schema with a
// new version.
func init() {
	register(Migration{Version: 4, Name: "outbox", Up: migrateV4})
}

func migrateV4(tx *gorm.DB) error {
	return execDDL(tx,
		// message is plan.Message as JSON without the document's bytes,
		// which are in document; context is plan.ReplyContext as JSON.
		// status is pending, sent or failed. A pending item is leased to
		// claimed_by until claim_until while a dispatcher sends it.
		`CREATE TABLE outbox (
			id {{pk}},
			org_id BIGINT NOT NULL REFERENCES organisations(id),
			key TEXT NOT NULL UNIQUE,
			officer_id BIGINT NOT NULL DEFAULT 0,
			transport TEXT NOT NULL,
			chat_id TEXT NOT NULL,
			message TEXT NOT NULL,
			document {{blob}},
			context TEXT NOT NULL DEFAULT '{}',
			not_before {{time}} NOT NULL,
			status TEXT NOT NULL DEFAULT 'pending',
			attempts INTEGER NOT NULL DEFAULT 0,
			last_error TEXT NOT NULL DEFAULT '',
			claimed_by TEXT NOT NULL DEFAULT '',
			claim_until {{time}},
			sent_at {{time}},
			external_id TEXT NOT NULL DEFAULT '',
			created_at {{time}} NOT NULL
		)`,
		`CREATE INDEX outbox_due ON outbox (status, not_before)`,
		`CREATE INDEX outbox_external ON outbox (transport, chat_id, external_id)`,
	)
}

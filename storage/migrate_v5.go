package storage

import "gorm.io/gorm"

// Version 5: broadcasts (announcements from the secretariat) and their
// recipients with delivery and acknowledgement times. This file is frozen
// once released: change the schema with a new version.
func init() {
	register(Migration{Version: 5, Name: "broadcasts and acknowledgements", Up: migrateV5})
}

func migrateV5(tx *gorm.DB) error {
	return execDDL(tx,
		// units is a JSON array of unit names; [] means everyone.
		// created_by is an officer id (0 from the CLI); chased_at is set
		// once the reminder to those who did not acknowledge went out.
		`CREATE TABLE broadcasts (
			id {{pk}},
			org_id BIGINT NOT NULL REFERENCES organisations(id),
			text TEXT NOT NULL,
			units TEXT NOT NULL DEFAULT '[]',
			created_by BIGINT NOT NULL DEFAULT 0,
			created_at {{time}} NOT NULL,
			chased_at {{time}}
		)`,
		`CREATE INDEX broadcasts_org ON broadcasts (org_id, created_at)`,
		// One row per officer the broadcast was addressed to. outbox_key
		// is the key of the officer's outbox item (plan.BroadcastKey):
		// delivered_at and unreachable_at are copied from it once the
		// dispatcher has settled the item.
		`CREATE TABLE broadcast_recipients (
			broadcast_id BIGINT NOT NULL REFERENCES broadcasts(id) ON DELETE CASCADE,
			officer_id BIGINT NOT NULL,
			name TEXT NOT NULL DEFAULT '',
			unit TEXT NOT NULL DEFAULT '',
			position INTEGER NOT NULL DEFAULT 0,
			outbox_key TEXT NOT NULL,
			delivered_at {{time}},
			acknowledged_at {{time}},
			unreachable_at {{time}},
			failure TEXT NOT NULL DEFAULT '',
			PRIMARY KEY (broadcast_id, officer_id)
		)`,
		`CREATE INDEX broadcast_recipients_officer ON broadcast_recipients (officer_id, acknowledged_at)`,
	)
}

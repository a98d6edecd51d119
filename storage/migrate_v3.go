package storage

import "gorm.io/gorm"

// Version 3: the reminder ledger. Every reminder the scheduler plans is
// recorded here once, under plan.Reminder.Key(), before it is handed to
// the outbox; the UNIQUE key is what keeps two replicas (or a restart in
// the middle of a tick) from sending it twice. This file is frozen once
// released: change the schema with a new version.
func init() {
	register(Migration{Version: 3, Name: "reminder ledger", Up: migrateV3})
}

func migrateV3(tx *gorm.DB) error {
	return execDDL(tx,
		// state is pending (recorded, not yet in the outbox), enqueued,
		// missed (too late to send; listed to the secretariat) or dropped
		// (no longer relevant when its turn came). remind_at is when the
		// reminder was due; settled_at when it left the pending state.
		// plan_id is not a foreign key: the ledger outlives re-imports and
		// must never block deleting a plan.
		`CREATE TABLE reminder_ledger (
			id {{pk}},
			reminder_key TEXT NOT NULL UNIQUE,
			plan_id BIGINT NOT NULL,
			task_code TEXT NOT NULL,
			unit TEXT NOT NULL DEFAULT '',
			kind TEXT NOT NULL,
			occurrence TEXT NOT NULL DEFAULT '',
			remind_at {{time}} NOT NULL,
			state TEXT NOT NULL DEFAULT 'pending',
			created_at {{time}} NOT NULL,
			settled_at {{time}}
		)`,
		`CREATE INDEX reminder_ledger_state ON reminder_ledger (state, created_at)`,
	)
}

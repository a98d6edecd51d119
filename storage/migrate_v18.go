package storage

import "gorm.io/gorm"

// Version 18: the reminder ledger loses its index on (state, created_at).
// Every reminder is found by its key when it is settled, by its plan
// while it waits (version 16); the state index kept an entry for every
// reminder settled since the last VACUUM under 'pending', and PostgreSQL
// chose it to settle a tick's reminders, visiting them all (a report
// day's tick spent most of its time there, docs/benchmarks.md). Each
// settled row also had one index less to update. This file is frozen once
// released: change the schema with a new version.
func init() {
	register(Migration{Version: 18, Name: "reminder ledger: no index by state", Up: migrateV18})
}

func migrateV18(tx *gorm.DB) error {
	return execDDL(tx, `DROP INDEX reminder_ledger_state`)
}

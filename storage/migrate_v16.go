package storage

import "gorm.io/gorm"

// Version 16: the reminder ledger's pending reminders by plan. A ward's
// tick reads its own plans' waiting reminders (UnsentReminders); through
// the index on (state, created_at) that meant passing every ward's. This
// file is frozen once released: change the schema with a new version.
func init() {
	register(Migration{Version: 16, Name: "index of pending reminders by plan", Up: migrateV16})
}

func migrateV16(tx *gorm.DB) error {
	return execDDL(tx, `CREATE INDEX reminder_ledger_plan_state ON reminder_ledger (plan_id, state, created_at)`)
}

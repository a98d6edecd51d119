package storage

import "gorm.io/gorm"

// Version 6: the day the secretariat set a task's deadline with /sethan,
// so that summaries of periods judged before that day still see the task
// waiting for its condition. This file is frozen once released: change
// the schema with a new version.
func init() {
	register(Migration{Version: 6, Name: "day a manual deadline was set", Up: migrateV6})
}

func migrateV6(tx *gorm.DB) error {
	return execDDL(tx,
		// 'YYYY-MM-DD', or NULL when the deadline comes from the document
		// (or was set before this version).
		`ALTER TABLE tasks ADD COLUMN deadline_set_on TEXT`,
	)
}

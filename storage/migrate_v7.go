package storage

import "gorm.io/gorm"

// Version 7: the plan's standing body (cơ quan thường trực), read from its
// implementation part, which is told of "done" reports and blockers beside
// the secretariat. This file is frozen once released: change the schema
// with a new version.
func init() {
	register(Migration{Version: 7, Name: "plan standing body", Up: migrateV7})
}

func migrateV7(tx *gorm.DB) error {
	return execDDL(tx,
		// A unit name; '' when the plan names none (and for plans stored
		// before this version: they are re-read on the next import).
		`ALTER TABLE plans ADD COLUMN standing_unit TEXT NOT NULL DEFAULT ''`,
	)
}

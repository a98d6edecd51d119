package storage

import "gorm.io/gorm"

// Version 7: a plan's standing body (cơ quan thường trực), the unit that
// compiles results and receives difficulties. This file is frozen once
// released: change the schema with a new version.
func init() {
	register(Migration{Version: 7, Name: "standing body of a plan", Up: migrateV7})
}

func migrateV7(tx *gorm.DB) error {
	return execDDL(tx,
		// The unit's canonical name; '' when the plan names none.
		`ALTER TABLE plans ADD COLUMN standing TEXT NOT NULL DEFAULT ''`,
	)
}

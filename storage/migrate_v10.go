package storage

import "gorm.io/gorm"

// Version 10: several plans at once — a plan can be archived when its
// year ends; its tasks and history stay. This file is frozen once
// released: change the schema with a new version.
func init() {
	register(Migration{Version: 10, Name: "archived plans", Up: migrateV10})
}

func migrateV10(tx *gorm.DB) error {
	return execDDL(tx, `ALTER TABLE plans ADD COLUMN archived_at {{time}}`)
}

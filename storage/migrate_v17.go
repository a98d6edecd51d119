package storage

import "gorm.io/gorm"

// Version 17: an organisation's kind — 'ward' (every organisation so
// far), or 'province', the level above whose officers follow every ward
// of the deployment and which has no plan of its own. This file is frozen
// once released: change the schema with a new version.
func init() {
	register(Migration{Version: 17, Name: "organisations: ward or province", Up: migrateV17})
}

func migrateV17(tx *gorm.DB) error {
	return execDDL(tx, `ALTER TABLE organisations ADD COLUMN kind TEXT NOT NULL DEFAULT 'ward'`)
}

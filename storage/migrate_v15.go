package storage

import "gorm.io/gorm"

// Version 15: wards as first-class organisations. short is the slug
// typed after --org ("chanh-lo"); it is NULL rather than backfilled for
// the organisations that exist, because the migration cannot know a
// ward's name (organisation 1 was seeded as "UBND phường") and a made-up
// slug would be typed and scripted until someone renamed it — such an
// organisation is named by its ID. Both engines let a UNIQUE index hold
// many NULLs. The other columns are the ward's own values for settings
// of the configuration file (org_name, report.signer, standing.unit,
// zalo.monthly_quota): an empty string or NULL means "the file's value", so a single
// ward's behaviour does not change. This file is frozen once released:
// change the schema with a new version.
func init() {
	register(Migration{Version: 15, Name: "organisations: short names and per-ward overrides", Up: migrateV15})
}

func migrateV15(tx *gorm.DB) error {
	return execDDL(tx,
		`ALTER TABLE organisations ADD COLUMN short TEXT`,
		`ALTER TABLE organisations ADD COLUMN org_name TEXT NOT NULL DEFAULT ''`,
		`ALTER TABLE organisations ADD COLUMN signer TEXT NOT NULL DEFAULT ''`,
		`ALTER TABLE organisations ADD COLUMN standing_unit TEXT NOT NULL DEFAULT ''`,
		`ALTER TABLE organisations ADD COLUMN zalo_monthly_quota BIGINT`,
		`CREATE UNIQUE INDEX organisations_short ON organisations (short)`,
	)
}

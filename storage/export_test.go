package storage

import "gorm.io/gorm"

// GormOf gives external tests of this package (package storage_test) the
// store's gorm handle, to look at rows no API returns or to simulate
// tables of later versions.
func GormOf(db *DB) *gorm.DB { return db.gdb }

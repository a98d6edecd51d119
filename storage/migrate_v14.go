package storage

import "gorm.io/gorm"

// Version 14: an index of each task and unit's reports in time order, for
// summaries (SummaryProgress): it finds a plan's reports and hands them
// to the query's window already sorted, so that a summary reads a plan's
// history without a sort. id is the tiebreak of reports sent at the same
// instant. This file is frozen once released: change the schema with a
// new version.
func init() {
	register(Migration{Version: 14, Name: "index of reports by task, unit and time", Up: migrateV14})
}

func migrateV14(tx *gorm.DB) error {
	return execDDL(tx, `CREATE INDEX progress_history ON progress (org_id, plan_id, task_code, unit, reported_at, id)`)
}

package storage

import "gorm.io/gorm"

// Version 1: organisations, units, plans with their sections and tasks,
// the units assigned to each task, and task targets. This file is frozen
// once released: change the schema with a new version.
func init() {
	register(Migration{Version: 1, Name: "plans, sections, tasks, units", Up: migrateV1})
}

func migrateV1(tx *gorm.DB) error {
	err := execDDL(tx,
		`CREATE TABLE organisations (
			id {{pk}},
			name TEXT NOT NULL,
			created_at {{time}} NOT NULL
		)`,
		`CREATE TABLE units (
			id {{pk}},
			org_id BIGINT NOT NULL REFERENCES organisations(id),
			name TEXT NOT NULL,
			aliases TEXT NOT NULL DEFAULT '[]',
			created_at {{time}} NOT NULL,
			UNIQUE (org_id, name)
		)`,
		// plan_key is plan.Plan.Key(); signed_on is plan.Plan.Date as
		// 'YYYY-MM-DD' or NULL; warnings is a JSON array of strings.
		`CREATE TABLE plans (
			id {{pk}},
			org_id BIGINT NOT NULL REFERENCES organisations(id),
			plan_key TEXT NOT NULL,
			number TEXT NOT NULL DEFAULT '',
			signed_on TEXT,
			title TEXT NOT NULL DEFAULT '',
			year INTEGER NOT NULL DEFAULT 0,
			warnings TEXT NOT NULL DEFAULT '[]',
			created_at {{time}} NOT NULL,
			updated_at {{time}} NOT NULL,
			UNIQUE (org_id, plan_key)
		)`,
		`CREATE TABLE plan_units (
			plan_id BIGINT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
			unit_id BIGINT NOT NULL REFERENCES units(id),
			position INTEGER NOT NULL,
			PRIMARY KEY (plan_id, unit_id)
		)`,
		`CREATE TABLE sections (
			id {{pk}},
			plan_id BIGINT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
			number TEXT NOT NULL DEFAULT '',
			title TEXT NOT NULL DEFAULT '',
			position INTEGER NOT NULL,
			UNIQUE (plan_id, position)
		)`,
		// Tasks are never deleted while their plan exists: a task that
		// disappears from the document gets removed_at, so progress and
		// reminders that refer to it keep their meaning. Deadline days are
		// 'YYYY-MM-DD' or NULL. deadline_source is 'document' or 'manual'
		// (set by the secretariat); document_deadline_text is the phrase
		// the document had when the deadline was last taken from it.
		`CREATE TABLE tasks (
			id {{pk}},
			plan_id BIGINT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
			code TEXT NOT NULL,
			section TEXT NOT NULL DEFAULT '',
			title TEXT NOT NULL DEFAULT '',
			position INTEGER NOT NULL,
			support_all BOOLEAN NOT NULL DEFAULT FALSE,
			deadline_kind TEXT NOT NULL DEFAULT '',
			deadline_due TEXT,
			deadline_start TEXT,
			deadline_expected TEXT,
			deadline_recurrence TEXT NOT NULL DEFAULT '',
			deadline_text TEXT NOT NULL DEFAULT '',
			deadline_source TEXT NOT NULL DEFAULT 'document',
			document_deadline_text TEXT NOT NULL DEFAULT '',
			created_at {{time}} NOT NULL,
			updated_at {{time}} NOT NULL,
			removed_at {{time}},
			UNIQUE (plan_id, code)
		)`,
		// role is plan.AssignmentRole: lead, execute or support.
		`CREATE TABLE task_units (
			task_id BIGINT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
			unit_id BIGINT NOT NULL REFERENCES units(id),
			role TEXT NOT NULL,
			position INTEGER NOT NULL,
			PRIMARY KEY (task_id, role, unit_id)
		)`,
		`CREATE INDEX task_units_unit ON task_units (unit_id)`,
		`CREATE TABLE targets (
			id {{pk}},
			task_id BIGINT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
			position INTEGER NOT NULL,
			value DOUBLE PRECISION NOT NULL DEFAULT 0,
			unit TEXT NOT NULL DEFAULT '',
			text TEXT NOT NULL DEFAULT '',
			UNIQUE (task_id, position)
		)`,
	)
	if err != nil {
		return err
	}
	if err := tx.Exec(`INSERT INTO organisations (id, name, created_at) VALUES (1, ?, ?)`,
		"UBND phường", tx.NowFunc()).Error; err != nil {
		return err
	}
	return resyncIdentity(tx, "organisations")
}

// resyncIdentity moves a PostgreSQL identity past the largest id after rows
// were inserted with explicit ids. SQLite needs nothing.
func resyncIdentity(tx *gorm.DB, table string) error {
	if tx.Dialector.Name() != EnginePostgres {
		return nil
	}
	return tx.Exec(`SELECT setval(pg_get_serial_sequence(?, 'id'), (SELECT COALESCE(MAX(id), 1) FROM `+table+`))`, table).Error
}

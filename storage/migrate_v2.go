package storage

import "gorm.io/gorm"

// Version 2: what the chat core writes — invites and the officers
// registered through them, progress reports, the audit log and the
// transport updates already handled. This file is frozen once released:
// change the schema with a new version.
func init() {
	register(Migration{Version: 2, Name: "officers, invites, progress, audit, processed updates", Up: migrateV2})
}

func migrateV2(tx *gorm.DB) error {
	return execDDL(tx,
		// role is plan.Role. A person is registered once per transport
		// (officers_active_user); a unit has one active officer and one
		// active deputy, the ward one active chairman
		// (officers_active_seat). Replaced rows stay, inactive, with
		// replaced_at, so reports keep their author.
		`CREATE TABLE officers (
			id {{pk}},
			org_id BIGINT NOT NULL REFERENCES organisations(id),
			name TEXT NOT NULL DEFAULT '',
			unit TEXT NOT NULL DEFAULT '',
			role TEXT NOT NULL,
			transport TEXT NOT NULL,
			user_id TEXT NOT NULL,
			chat_id TEXT NOT NULL,
			active BOOLEAN NOT NULL DEFAULT TRUE,
			unreachable_since {{time}},
			created_at {{time}} NOT NULL,
			replaced_at {{time}}
		)`,
		`CREATE UNIQUE INDEX officers_active_user ON officers (org_id, transport, user_id) WHERE active`,
		`CREATE UNIQUE INDEX officers_active_seat ON officers (org_id, unit, role) WHERE active AND role IN ('officer', 'deputy', 'chairman')`,
		`CREATE INDEX officers_address ON officers (transport, chat_id)`,
		// An invite is single-use: used_at is set once, by the
		// redemption that wins.
		`CREATE TABLE invites (
			code TEXT PRIMARY KEY,
			org_id BIGINT NOT NULL REFERENCES organisations(id),
			unit TEXT NOT NULL DEFAULT '',
			role TEXT NOT NULL,
			created_by BIGINT NOT NULL DEFAULT 0,
			created_at {{time}} NOT NULL,
			expires_at {{time}} NOT NULL,
			used_at {{time}},
			used_by BIGINT NOT NULL DEFAULT 0
		)`,
		// Reports are appended, never updated (but for the secretariat's
		// confirmation): the newest per plan, task, unit and period
		// counts. period is plan.Period.String() ("2023-04"). plan_id is
		// not a foreign key, like the ledger's: reports outlive re-imports.
		`CREATE TABLE progress (
			id {{pk}},
			org_id BIGINT NOT NULL REFERENCES organisations(id),
			plan_id BIGINT NOT NULL,
			task_code TEXT NOT NULL,
			unit TEXT NOT NULL,
			period TEXT NOT NULL,
			kind TEXT NOT NULL,
			percent DOUBLE PRECISION NOT NULL DEFAULT 0,
			done_count DOUBLE PRECISION NOT NULL DEFAULT 0,
			total_count DOUBLE PRECISION NOT NULL DEFAULT 0,
			count_unit TEXT NOT NULL DEFAULT '',
			blocker TEXT NOT NULL DEFAULT '',
			note TEXT NOT NULL DEFAULT '',
			reported_by BIGINT NOT NULL DEFAULT 0,
			reported_at {{time}} NOT NULL,
			confirm TEXT NOT NULL DEFAULT '',
			confirm_note TEXT NOT NULL DEFAULT '',
			confirmed_by BIGINT NOT NULL DEFAULT 0,
			confirmed_at {{time}}
		)`,
		`CREATE INDEX progress_lookup ON progress (org_id, plan_id, task_code, unit, period)`,
		`CREATE INDEX progress_period ON progress (org_id, period)`,
		`CREATE TABLE audit_log (
			id {{pk}},
			org_id BIGINT NOT NULL,
			at {{time}} NOT NULL,
			actor_id BIGINT NOT NULL DEFAULT 0,
			action TEXT NOT NULL,
			detail TEXT NOT NULL DEFAULT ''
		)`,
		`CREATE INDEX audit_log_at ON audit_log (org_id, at)`,
		`CREATE TABLE processed_updates (
			transport TEXT NOT NULL,
			update_id TEXT NOT NULL,
			seen_at {{time}} NOT NULL,
			PRIMARY KEY (transport, update_id)
		)`,
		`CREATE INDEX processed_updates_seen ON processed_updates (seen_at)`,
	)
}

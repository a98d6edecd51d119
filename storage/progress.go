package storage

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/chanhlo/planbot/plan"
)

var _ plan.ProgressStore = (*DB)(nil)

type progressRow struct {
	ID          int64
	OrgID       int64
	PlanID      int64
	TaskCode    string
	Unit        string
	Period      string
	Kind        string
	Percent     float64
	DoneCount   float64
	TotalCount  float64
	CountUnit   string
	Blocker     string
	Note        string
	ReportedBy  int64
	ReportedAt  time.Time
	Confirm     string
	ConfirmNote string
	ConfirmedBy int64
	ConfirmedAt *time.Time
}

func (progressRow) TableName() string { return "progress" }

func (r progressRow) progress() (plan.Progress, error) {
	per, err := plan.ParsePeriod(r.Period)
	if err != nil {
		return plan.Progress{}, fmt.Errorf("progress %d: %w", r.ID, err)
	}
	p := plan.Progress{
		ID: r.ID, OrgID: r.OrgID, PlanID: r.PlanID, TaskCode: r.TaskCode, Unit: r.Unit, Period: per,
		Figure: plan.Figure{
			Kind: plan.ProgressKind(r.Kind), Percent: r.Percent, Done: r.DoneCount, Total: r.TotalCount,
			CountUnit: r.CountUnit, Blocker: r.Blocker, Note: r.Note,
		},
		ReportedBy: r.ReportedBy, ReportedAt: r.ReportedAt.UTC(),
		Confirm: plan.ConfirmState(r.Confirm), ConfirmNote: r.ConfirmNote, ConfirmedBy: r.ConfirmedBy,
	}
	if r.ConfirmedAt != nil {
		t := r.ConfirmedAt.UTC()
		p.ConfirmedAt = &t
	}
	return p, nil
}

// AddProgress appends a report and sets p.ID, with its audit entries in
// the same transaction.
func (db *DB) AddProgress(ctx context.Context, p *plan.Progress, audit ...plan.AuditEntry) error {
	row, err := db.progressRowOf(p)
	if err != nil {
		return err
	}
	// The hot path of every reply: plain database/sql, one transaction,
	// no gorm reflection — a third of a reply's time went to gorm's
	// Create here (docs/benchmarks.md).
	id, err := db.insertProgress(ctx, row, audit)
	if err != nil {
		return fmt.Errorf("add progress %s/%s %s: %w", p.TaskCode, p.Unit, row.Period, err)
	}
	row.ID = id
	p.ID = row.ID
	return nil
}

// progressRowOf checks a report, fills in what defaults (the default
// organisation, now) and returns its row, for AddProgress and
// AddProgressBatch alike.
func (db *DB) progressRowOf(p *plan.Progress) (progressRow, error) {
	switch {
	case p.TaskCode == "" || p.Unit == "":
		return progressRow{}, fmt.Errorf("add progress: task code and unit are required")
	case p.Period.Kind == "":
		return progressRow{}, fmt.Errorf("add progress %s/%s: no period", p.TaskCode, p.Unit)
	}
	if p.OrgID == 0 {
		p.OrgID = plan.DefaultOrg
	}
	if p.ReportedAt.IsZero() {
		p.ReportedAt = db.now()
	}
	row := progressRow{
		OrgID: p.OrgID, PlanID: p.PlanID, TaskCode: p.TaskCode, Unit: p.Unit, Period: p.Period.String(),
		Kind: string(p.Kind), Percent: p.Percent, DoneCount: p.Done, TotalCount: p.Total, CountUnit: p.CountUnit,
		Blocker: p.Blocker, Note: p.Note, ReportedBy: p.ReportedBy, ReportedAt: utc(p.ReportedAt),
		Confirm: string(p.Confirm), ConfirmNote: p.ConfirmNote, ConfirmedBy: p.ConfirmedBy,
	}
	if p.ConfirmedAt != nil {
		t := utc(*p.ConfirmedAt)
		row.ConfirmedAt = &t
	}
	return row, nil
}

// ListProgress returns the reports the filter selects, oldest first. With
// LatestOnly it keeps the newest per plan, task, unit and period.
func (db *DB) ListProgress(ctx context.Context, f plan.ProgressFilter) ([]plan.Progress, error) {
	if f.Newest > 0 {
		return db.newestProgress(ctx, f)
	}
	var where []string
	var args []any
	for _, c := range []struct {
		cond string
		set  bool
		arg  any
	}{
		{"org_id = ?", f.OrgID != 0, f.OrgID},
		{"plan_id = ?", f.PlanID != 0, f.PlanID},
		{"task_code = ?", f.TaskCode != "", f.TaskCode},
		{"unit = ?", f.Unit != "", f.Unit},
	} {
		if c.set {
			where, args = append(where, c.cond), append(args, c.arg)
		}
	}
	if len(f.Periods) > 0 {
		where, args = append(where, inList("period", len(f.Periods))), appendStrings(args, f.Periods)
	}
	q := `SELECT ` + progressColumns + ` FROM progress`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	// Plain SQL, prepared once per shape (which filters, how many
	// periods), scanned by hand: every scheduler tick reads a plan's
	// reports, and gorm's statement building and reflection cost more
	// than the read.
	list, err := db.queryProgress(ctx, q+` ORDER BY reported_at, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("list progress: %w", err)
	}
	if f.LatestOnly {
		type key struct {
			plan       int64
			task, unit string
			period     string
		}
		last := map[key]int{}
		for i, p := range list {
			last[key{p.PlanID, p.TaskCode, p.Unit, p.Period.String()}] = i
		}
		kept := list[:0]
		for i, p := range list {
			if last[key{p.PlanID, p.TaskCode, p.Unit, p.Period.String()}] == i {
				kept = append(kept, p)
			}
		}
		list = kept
	}
	return list, nil
}

// queryProgress runs a read of progressColumns through a prepared
// statement and returns its reports in the order read.
//
// It keeps ctx's cancellation on PostgreSQL: a summary or the API may
// read a ward's whole history, which is not a short statement.
func (db *DB) queryProgress(ctx context.Context, q string, args ...any) ([]plan.Progress, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ctx = db.local(ctx)
	stmt, err := db.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	rows, err := stmt.QueryContext(ctx, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []plan.Progress
	for rows.Next() {
		p, err := scanProgress(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// SetConfirm records the secretariat's verdict on a report.
func (db *DB) SetConfirm(ctx context.Context, progressID int64, state plan.ConfirmState, note string, by int64, at time.Time) error {
	at = utc(at)
	res := db.conn(ctx).Model(&progressRow{}).Where("id = ?", progressID).Updates(map[string]any{
		"confirm": string(state), "confirm_note": note, "confirmed_by": by, "confirmed_at": &at,
	})
	if res.Error != nil {
		return fmt.Errorf("confirm progress %d: %w", progressID, res.Error)
	}
	if res.RowsAffected == 0 {
		return plan.Errorf(plan.ENotFound, "Không tìm thấy báo cáo (mã %d).", progressID)
	}
	return nil
}

var (
	insertProgressSQL = `INSERT INTO progress (org_id, plan_id, task_code, unit, period, kind, percent, done_count, total_count,
		count_unit, blocker, note, reported_by, reported_at, confirm, confirm_note, confirmed_by, confirmed_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`
	insertAuditSQL = `INSERT INTO audit_log (org_id, at, actor_id, action, detail) VALUES (?, ?, ?, ?, ?)`
)

// insertProgress stores row and the audit entries in one transaction and
// returns the row's id.
func (db *DB) insertProgress(ctx context.Context, row progressRow, audit []plan.AuditEntry) (id int64, err error) {
	if ctx, err = db.quick(ctx); err != nil {
		return 0, err
	}
	if db.engine == EnginePostgres && len(audit) <= maxAuditWithReport {
		return db.insertProgressOnce(ctx, row, audit)
	}
	insProgress, err := db.stmt(ctx, insertProgressSQL)
	if err != nil {
		return 0, err
	}
	insAudit, err := db.stmt(ctx, insertAuditSQL)
	if err != nil {
		return 0, err
	}
	tx, err := db.sqlDB.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer func() {
		if err != nil {
			tx.Rollback()
		}
	}()
	err = tx.StmtContext(ctx, insProgress).QueryRowContext(ctx, progressArgs(row)...).Scan(&id)
	if err != nil {
		return 0, err
	}
	for _, e := range audit {
		e, err := db.auditRow(e)
		if err != nil {
			return 0, err
		}
		e.Detail = strings.ReplaceAll(e.Detail, plan.AuditProgressID, strconv.FormatInt(id, 10))
		if _, err := tx.StmtContext(ctx, insAudit).ExecContext(ctx, e.OrgID, e.At, e.ActorID, e.Action, e.Detail); err != nil {
			return 0, fmt.Errorf("audit %s: %w", e.Action, err)
		}
	}
	return id, tx.Commit()
}

// maxAuditWithReport is how many audit lines insertProgressOnce writes
// with a report; a reply writes one.
const maxAuditWithReport = 4

// insertProgressOnce is insertProgress on PostgreSQL as one statement:
// the report's INSERT in a WITH clause and the audit lines inserted from
// its RETURNING, which PostgreSQL runs whole or not at all. A transaction
// was four round trips (BEGIN, two INSERTs, COMMIT) of a reply's nine
// (docs/benchmarks.md). An audit line's plan.AuditProgressID becomes the
// report's id in SQL, as insertProgress does in Go.
func (db *DB) insertProgressOnce(ctx context.Context, row progressRow, audit []plan.AuditEntry) (int64, error) {
	args := progressArgs(row)
	for _, e := range audit {
		e, err := db.auditRow(e)
		if err != nil {
			return 0, err
		}
		args = append(args, e.OrgID, e.At, e.ActorID, e.Action, e.Detail)
	}
	stmt, err := db.stmt(ctx, insertProgressOnceSQL(len(audit)))
	if err != nil {
		return 0, err
	}
	var id int64
	if err := stmt.QueryRowContext(ctx, args...).Scan(&id); err != nil {
		return 0, err
	}
	return id, nil
}

// insertProgressOnceSQL is insertProgressOnce's statement with n audit
// lines (n ≤ maxAuditWithReport); without any it is the report's INSERT.
func insertProgressOnceSQL(n int) string {
	if n == 0 {
		return insertProgressSQL
	}
	// VALUES does not take its types from the INSERT: each is cast.
	row := "(CAST(? AS BIGINT), CAST(? AS TIMESTAMPTZ), CAST(? AS BIGINT), CAST(? AS TEXT), CAST(? AS TEXT))"
	return "WITH p AS (" + insertProgressSQL + "), a AS (INSERT INTO audit_log (org_id, at, actor_id, action, detail) " +
		"SELECT v.org_id, v.at, v.actor_id, v.action, REPLACE(v.detail, '" + plan.AuditProgressID + "', CAST(p.id AS TEXT)) " +
		"FROM p, (VALUES " + row + strings.Repeat(", "+row, n-1) + ") AS v(org_id, at, actor_id, action, detail)) SELECT id FROM p"
}

// progressArgs are row's values in the order of insertProgressSQL.
func progressArgs(row progressRow) []any {
	return []any{row.OrgID, row.PlanID, row.TaskCode, row.Unit, row.Period, row.Kind, row.Percent, row.DoneCount, row.TotalCount,
		row.CountUnit, row.Blocker, row.Note, row.ReportedBy, row.ReportedAt, row.Confirm, row.ConfirmNote, row.ConfirmedBy, row.ConfirmedAt}
}

// newestProgress is ListProgress with Newest: one indexed read, however
// long the history, as plain prepared SQL. Every reply asks it (the
// previous figure, "first report?"); through gorm, building and scanning
// the query was half its time (docs/benchmarks.md).
func (db *DB) newestProgress(ctx context.Context, f plan.ProgressFilter) ([]plan.Progress, error) {
	var where []string
	var args []any
	add := func(cond string, v any) { where, args = append(where, cond), append(args, v) }
	if f.OrgID != 0 {
		add("org_id = ?", f.OrgID)
	}
	if f.PlanID != 0 {
		add("plan_id = ?", f.PlanID)
	}
	if f.TaskCode != "" {
		add("task_code = ?", f.TaskCode)
	}
	if f.Unit != "" {
		add("unit = ?", f.Unit)
	}
	if len(f.Periods) > 0 {
		where = append(where, inList("period", len(f.Periods)))
		args = appendStrings(args, f.Periods)
	}
	q := `SELECT ` + progressColumns + ` FROM progress`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	q += ` ORDER BY reported_at DESC, id DESC LIMIT ?`
	args = append(args, f.Newest)
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("list progress: %w", err)
	}
	// Short and bounded (a few rows): without go-sqlite3's goroutine per
	// row (db.quick).
	qctx, err := db.quick(ctx)
	if err != nil {
		return nil, fmt.Errorf("list progress: %w", err)
	}
	stmt, err := db.stmt(qctx, q)
	if err != nil {
		return nil, fmt.Errorf("list progress: %w", err)
	}
	rows, err := stmt.QueryContext(qctx, args...)
	if err != nil {
		return nil, fmt.Errorf("list progress: %w", err)
	}
	defer rows.Close()
	out := make([]plan.Progress, 0, f.Newest)
	for rows.Next() {
		p, err := scanProgress(rows)
		if err != nil {
			return nil, fmt.Errorf("list progress: %w", err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list progress: %w", err)
	}
	return out, nil
}

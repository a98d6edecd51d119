package storage

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/chanhlo/planbot/plan"
)

var _ plan.SummaryProgressStore = (*DB)(nil)

// summaryProgressSQL selects a plan.SummaryScope. One window per task and
// unit counts, for every report, the reports from it to the newest that
// break a run of standing "done", that carry a figure, that show the task
// begun: where a count is 1 on a report of its kind, that report is the
// newest of its kind. The window runs oldest first so that the index of
// migration 14 hands it the rows in order, without a sort (newest first
// it needs one). {{known}} is the filter of known reports.
const summaryProgressSQL = `
SELECT ` + progressColumns + ` FROM (
	SELECT ` + progressColumns + `,
		SUM(CASE WHEN kind = 'done' AND confirm <> 'returned' THEN 0 ELSE 1 END) OVER newer AS breaks,
		SUM(CASE WHEN kind IN ('percent', 'count', 'done') AND NOT (kind = 'done' AND confirm = 'returned') THEN 1 ELSE 0 END) OVER newer AS figures,
		SUM(CASE WHEN kind <> 'not_started' THEN 1 ELSE 0 END) OVER newer AS begun
	FROM progress
	WHERE {{known}}
	WINDOW newer AS (PARTITION BY task_code, unit ORDER BY reported_at, id ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING)
) r
WHERE breaks = 0
	OR (breaks = 1 AND NOT (kind = 'done' AND confirm <> 'returned'))
	OR (figures = 1 AND kind IN ('percent', 'count', 'done') AND NOT (kind = 'done' AND confirm = 'returned'))
	OR (begun = 1 AND kind <> 'not_started')
	OR period IN ?
ORDER BY reported_at, id`

const progressColumns = `id, org_id, plan_id, task_code, unit, period, kind, percent, done_count, total_count, count_unit,
	blocker, note, reported_by, reported_at, confirm, confirm_note, confirmed_by, confirmed_at`

// SummaryProgress returns the reports of s's scope, oldest first: what a
// summary reads of the plan's history, selected in the database.
func (db *DB) SummaryProgress(ctx context.Context, s plan.SummaryScope) ([]plan.Progress, error) {
	var known []string
	var args []any
	if s.OrgID != 0 {
		known, args = append(known, "org_id = ?"), append(args, s.OrgID)
	}
	if s.PlanID != 0 {
		known, args = append(known, "plan_id = ?"), append(args, s.PlanID)
	}
	known, args = append(known, "(reported_at < ? OR period IN ?)"), append(args, utc(s.Before), nonEmpty(s.Late))
	args = append(args, nonEmpty(s.Periods))
	q := strings.Replace(summaryProgressSQL, "{{known}}", strings.Join(known, " AND "), 1)

	// The read is short and bounded (a few reports per task and unit);
	// with a context that can be cancelled go-sqlite3 starts a goroutine
	// for every row it steps (+45% on reading reports, issue 15), so the
	// query runs without one. ctx is still checked before it starts.
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("summary progress of plan %d: %w", s.PlanID, err)
	}
	rows, err := db.gdb.WithContext(context.WithoutCancel(ctx)).Raw(q, args...).Rows()
	if err != nil {
		return nil, fmt.Errorf("summary progress of plan %d: %w", s.PlanID, err)
	}
	defer rows.Close()
	var out []plan.Progress
	for rows.Next() {
		p, err := scanProgress(rows)
		if err != nil {
			return nil, fmt.Errorf("summary progress of plan %d: %w", s.PlanID, err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("summary progress of plan %d: %w", s.PlanID, err)
	}
	return out, nil
}

// scanProgress reads a row of progressColumns. Scanning by hand spares
// gorm's reflection on every row of a read that exists to be fast.
func scanProgress(rows *sql.Rows) (plan.Progress, error) {
	var r progressRow
	err := rows.Scan(&r.ID, &r.OrgID, &r.PlanID, &r.TaskCode, &r.Unit, &r.Period, &r.Kind, &r.Percent, &r.DoneCount, &r.TotalCount,
		&r.CountUnit, &r.Blocker, &r.Note, &r.ReportedBy, &r.ReportedAt, &r.Confirm, &r.ConfirmNote, &r.ConfirmedBy, &r.ConfirmedAt)
	if err != nil {
		return plan.Progress{}, err
	}
	return r.progress()
}

// nonEmpty keeps "IN ?" valid SQL for an empty list: it matches nothing.
func nonEmpty(keys []string) []string {
	if len(keys) == 0 {
		return []string{""}
	}
	return keys
}

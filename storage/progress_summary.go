package storage

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
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
// it needs one), and carries only what it judges: the chosen reports are
// read whole by id afterwards. They are put in time order in Go: sorting
// the whole rows in the database cost 7–8% of the statement's time on
// either engine (1,000 wards, each statement run with and without, one
// after the other), for a hundred-odd rows that sort in microseconds once
// read. {{known}} is the filter of known reports, {{periods}} the scope's
// periods.
const summaryProgressSQL = `
SELECT ` + progressColumns + ` FROM progress WHERE id IN (
	SELECT id FROM (
		SELECT id, kind, confirm, period,
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
		OR {{periods}}
)`

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
	if len(s.Late) > 0 {
		known, args = append(known, "(reported_at < ? OR "+inList("period", len(s.Late))+")"), append(args, utc(s.Before))
		args = appendStrings(args, s.Late)
	} else {
		known, args = append(known, "reported_at < ?"), append(args, utc(s.Before))
	}
	periods := "FALSE"
	if len(s.Periods) > 0 {
		periods = inList("period", len(s.Periods))
		args = appendStrings(args, s.Periods)
	}
	q := strings.NewReplacer("{{known}}", strings.Join(known, " AND "), "{{periods}}", periods).Replace(summaryProgressSQL)

	// The read is short and bounded (a few reports per task and unit):
	// on SQLite it runs without the context's cancellation (db.quick),
	// which costs go-sqlite3 a goroutine per row; ctx is checked first.
	// Planning the statement cost a fifth of a summary in the profile:
	// it is prepared once (db.stmt); its text depends only on how many
	// periods it names.
	out, err := db.queryProgress(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("summary progress of plan %d: %w", s.PlanID, err)
	}
	slices.SortFunc(out, func(a, b plan.Progress) int {
		if c := a.ReportedAt.Compare(b.ReportedAt); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out, nil
}

// inList is "column IN (?, ?, …)" for n values.
func inList(column string, n int) string {
	return column + " IN (?" + strings.Repeat(", ?", n-1) + ")"
}

func appendStrings(args []any, ss []string) []any {
	for _, s := range ss {
		args = append(args, s)
	}
	return args
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

package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"hash/fnv"
	"slices"
	"strings"
	"time"

	"github.com/chanhlo/planbot/calendar"
	"github.com/chanhlo/planbot/configs"
	"github.com/chanhlo/planbot/importer"
	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/storage"
	"github.com/chanhlo/planbot/summary"
	"github.com/chanhlo/planbot/xlsx"
)

// benchSummary measures monthly summaries at a province's size: 100 wards,
// each with the sample plan and a year of reports from every unit of every
// task, then 1,000 wards. The summaries are the project's own
// (summary.Source, as the bot and the web build them); the baseline is one
// hand-written SQL statement giving, for every ward at once, counts the
// summaries also give, and the scenario fails unless both agree.
func benchSummary(ctx context.Context, e *env) (figures, error) {
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		return nil, fmt.Errorf("time zone: %w", err)
	}
	months := e.scale(12, 2)
	// The last month of the data: the one a December summary is asked
	// for, with the whole year's history behind it.
	period := plan.Month(2023, time.Month(months))

	small, err := buildSummaryProvince(ctx, e, "summary", e.scale(100, 3), months, loc)
	if err != nil {
		return nil, err
	}
	defer small.close()
	ward := small.wards[len(small.wards)/2]
	one, err := summaryMedian(e.scale(11, 3), func() error {
		_, err := small.source(ward).Summary(ctx, period, plan.Date{})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("summary of ward %d: %w", ward, err)
	}
	prov, sqlTime, err := small.measure(ctx, e, period)
	if err != nil {
		return nil, err
	}
	// The workbook /tonghop attaches: a summary sheet and a sheet per ward.
	roll, err := small.source(0).Province(ctx, small.orgs, summary.ProvinceOptions{Period: period}, plan.Date{}, 0)
	if err != nil {
		return nil, err
	}
	book, err := summaryMedian(e.scale(3, 1), func() error {
		_, err := xlsx.ProvinceDocument(roll)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("province workbook: %w", err)
	}
	small.close()

	big, err := buildSummaryProvince(ctx, e, "summary_1000", e.scale(1000, 30), months, loc)
	if err != nil {
		return nil, err
	}
	defer big.close()
	prov1000, sql1000, err := big.measure(ctx, e, period)
	if err != nil {
		return nil, err
	}
	return figures{
		"ward_month_ms":    ms(one),
		"province_ms":      ms(prov),
		"province_xlsx_ms": ms(book),
		"sql_ms":           ms(sqlTime),
		"ratio":            round3(float64(prov) / float64(sqlTime)),
		"province_1000_ms": ms(prov1000),
		"sql_1000_ms":      ms(sql1000),
		"ratio_1000":       round3(float64(prov1000) / float64(sql1000)),
		"rows":             small.rows,
		"rows_1000":        big.rows,
		"wards":            len(small.wards),
		"wards_1000":       len(big.wards),
		"rollup_workers":   summary.DefaultRollUpWorkers(),
	}, nil
}

// summaryProvince is a store of many wards with their reports, and the
// store's plain database/sql handle for the baseline.
type summaryProvince struct {
	db     *storage.DB
	raw    *sql.DB
	engine string
	wards  []int64
	orgs   []plan.Organisation // the wards'
	rows   int
	cal    *calendar.Calendar
	loc    *time.Location
	closed bool
	done   func()
}

func (p *summaryProvince) close() {
	if p.closed {
		return
	}
	p.closed = true
	p.done()
}

// source is how the bot and the web build a ward's summaries; ward 0 is
// the template of a roll-up.
func (p *summaryProvince) source(ward int64) *summary.Source {
	return &summary.Source{Plans: p.db, Progress: p.db, Workdays: p.cal, Loc: p.loc, DueSoonDays: 3, OrgID: ward, Officers: p.db.OfficerStore()}
}

// buildSummaryProvince stores n wards, each with the sample plan imported at the
// end of 2022 and months months of 2023's reports.
func buildSummaryProvince(ctx context.Context, e *env, name string, n, months int, loc *time.Location) (*summaryProvince, error) {
	start := time.Now()
	// Plans are imported before the year begins, so every month of it
	// expects reports.
	clock := plan.ClockFunc(func() time.Time { return time.Date(2022, 12, 15, 2, 0, 0, 0, time.UTC) })
	db, done, err := e.openStore(ctx, name, storage.WithClock(clock))
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	p := &summaryProvince{db: db, done: done, engine: db.Engine(), cal: calendar.New(calendar.Adjustments{}), loc: loc}
	fail := func(err error) (*summaryProvince, error) {
		done()
		return nil, err
	}
	for i := range n {
		ward, err := db.AddOrganisation(ctx, fmt.Sprintf("Phường %04d", i+1))
		if err != nil {
			return fail(err)
		}
		pl, err := importer.Parse(bytes.NewReader(configs.SamplePlan), configs.SamplePlanName)
		if err != nil {
			return fail(fmt.Errorf("sample plan: %w", err))
		}
		pl.OrgID = ward
		if _, err := db.SavePlan(ctx, pl); err != nil {
			return fail(fmt.Errorf("save the plan of ward %d: %w", ward, err))
		}
		reports := wardReports(pl, i, months, loc)
		if err := db.AddProgressBatch(ctx, reports); err != nil {
			return fail(fmt.Errorf("reports of ward %d: %w", ward, err))
		}
		p.wards = append(p.wards, ward)
		p.rows += len(reports)
	}
	orgs, err := db.Organisations(ctx)
	if err != nil {
		return fail(err)
	}
	for _, o := range orgs {
		if slices.Contains(p.wards, o.ID) {
			p.orgs = append(p.orgs, o)
		}
	}
	// The baseline's plain database/sql: the store's own handle, so the
	// same file or schema and connection settings.
	p.raw = db.SQL()
	e.say("summary: %d wards, %d reports stored in %s", n, p.rows, time.Since(start).Round(time.Millisecond))
	return p, nil
}

// wardReports is a year of reports on plan p by every unit of every task
// (responsible and supporting), varied but reproducible: a third of the
// months without a report, some answered after the month, corrected the
// next day, blocked, "đang thực hiện", counts, and in the last quarter of the months
// "xong" that the secretariat confirms, leaves pending or returns.
func wardReports(p *plan.Plan, ward, months int, loc *time.Location) []plan.Progress {
	var out []plan.Progress
	for _, t := range p.Tasks {
		for _, u := range append(t.Responsible(), t.Support...) {
			for m := 1; m <= months; m++ {
				h := reportHash(ward, t.Code, u, m)
				if h%3 == 0 {
					continue
				}
				at := time.Date(2023, time.Month(m), 15+int(h/3%10), 9, 0, int(h%3600), 0, loc)
				if h%23 == 1 {
					at = time.Date(2023, time.Month(m+1), 3, 8, 30, 0, 0, loc) // April's report on 3 May
				}
				pct := min(100, float64(9*m+int(h%15)))
				r := plan.Progress{OrgID: p.OrgID, PlanID: p.ID, TaskCode: t.Code, Unit: u, Period: plan.Month(2023, time.Month(m)),
					Figure: plan.Figure{Kind: plan.ProgressPercent, Percent: pct}, ReportedBy: int64(ward*100 + 1), ReportedAt: at}
				switch {
				case h%17 == 2:
					r.Figure = plan.Figure{Kind: plan.ProgressBlocked, Blocker: "vướng: chưa có kinh phí"}
				case h%13 == 3:
					r.Figure = plan.Figure{Kind: plan.ProgressInProgress}
				case m <= 3 && h%11 == 4:
					r.Figure = plan.Figure{Kind: plan.ProgressNotStarted}
				case pct >= 100 || (m >= months*3/4 && h%4 == 0):
					r.Figure = plan.Figure{Kind: plan.ProgressDone, Percent: 100}
					switch h % 7 {
					case 0:
						r.Confirm, r.ConfirmNote = plan.ConfirmReturned, "chưa đủ hồ sơ"
					case 1, 2, 3:
						r.Confirm = plan.ConfirmAccepted
					default:
						r.Confirm = plan.ConfirmPending
					}
				case h%5 == 0:
					r.Figure = plan.Figure{Kind: plan.ProgressCount, Percent: pct, Done: 15 * pct, Total: 1500, CountUnit: "hồ sơ"}
				}
				out = append(out, r)
				if h%19 == 5 && r.Kind == plan.ProgressPercent {
					// Corrected the next day.
					c := r
					c.Percent = min(100, r.Percent+5)
					c.ReportedAt = at.AddDate(0, 0, 1)
					out = append(out, c)
				}
			}
		}
	}
	return out
}

func reportHash(ward int, code, unit string, month int) uint32 {
	h := fnv.New32a()
	fmt.Fprintf(h, "%d|%s|%s|%d", ward, code, unit, month)
	return h.Sum32()
}

// rollUp is the province's roll-up as the bot will run it: every
// ward's summary of period, a few at once, as the province's /tonghop
// does: summary.Source.Province over the wards' organisations, which
// summarises each (Source.RollUp) and compares them (RollUpProvince). The
// summaries come back in the order of p.wards.
func (p *summaryProvince) rollUp(ctx context.Context, period plan.Period) ([]*summary.Summary, error) {
	prov, err := p.source(0).Province(ctx, p.orgs, summary.ProvinceOptions{Period: period}, plan.Date{}, 0)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]*summary.Summary, len(prov.Wards))
	for _, w := range prov.Wards {
		byID[w.ID] = w.Summary
	}
	out := make([]*summary.Summary, len(p.wards))
	for i, id := range p.wards {
		if out[i] = byID[id]; out[i] == nil {
			return nil, fmt.Errorf("the roll-up has no summary of ward %d", id)
		}
	}
	return out, nil
}

// measure times the roll-up and the baseline, and checks that they
// agree.
func (p *summaryProvince) measure(ctx context.Context, e *env, period plan.Period) (rollup, baseline time.Duration, err error) {
	var sums []*summary.Summary
	rollup, err = summaryMedian(3, func() error {
		var err error
		sums, err = p.rollUp(ctx, period)
		return err
	})
	if err != nil {
		return 0, 0, err
	}
	var counts map[int64]summaryCounts
	baseline, err = summaryMedian(e.scale(5, 3), func() error {
		var err error
		counts, err = p.aggregate(ctx, period)
		return err
	})
	if err != nil {
		return 0, 0, err
	}
	var total summaryCounts
	for i, w := range p.wards {
		got, want := summaryCountsOf(sums[i], period), counts[w]
		if got != want {
			return 0, 0, fmt.Errorf("ward %d, %s: the summary counts %+v, the SQL aggregate %+v", w, period, got, want)
		}
		total.Tasks, total.Pairs, total.Done, total.Blockers = total.Tasks+got.Tasks, total.Pairs+got.Pairs, total.Done+got.Done, total.Blockers+got.Blockers
	}
	// Agreeing on zeros would prove nothing.
	if total.Tasks == 0 || total.Pairs == 0 || total.Done == 0 || total.Blockers == 0 {
		return 0, 0, fmt.Errorf("%s: the data gives nothing to compare (%+v in all)", period, total)
	}
	e.say("summary: %d wards agree with the SQL aggregate on %+v in all", len(p.wards), total)
	return rollup, baseline, nil
}

// summaryCounts are what the baseline computes and a summary must agree
// with, for one ward and one month: the tasks and (task, responsible
// unit) pairs whose latest report known at the month's end is the
// month's; the pairs whose latest report is a "done" not returned; and
// the blockers named in the month's latest reports of every unit.
type summaryCounts struct {
	Tasks, Pairs, Done, Blockers int
}

func summaryCountsOf(s *summary.Summary, period plan.Period) summaryCounts {
	var c summaryCounts
	for _, row := range s.Tasks {
		reported := false
		for _, j := range row.Units {
			if j.Latest == nil {
				continue
			}
			if j.Latest.Period == period {
				c.Pairs++
				reported = true
			}
			if j.Latest.Kind == plan.ProgressDone && j.Latest.Confirm != plan.ConfirmReturned {
				c.Done++
			}
		}
		if reported {
			c.Tasks++
		}
	}
	c.Blockers = len(s.Blockers)
	return c
}

// summaryAggregateSQL is the baseline: the counts of summaryCounts for every ward
// at once, from the reports known at the month's end (sent by then, or
// answering for the month) and the plans' responsible units. Parameters:
// the month's key and the first instant after it.
const summaryAggregateSQL = `
WITH known AS (
	SELECT org_id, plan_id, task_code, unit, period, kind, confirm, blocker,
		ROW_NUMBER() OVER (PARTITION BY plan_id, task_code, unit ORDER BY reported_at DESC, id DESC) AS newest,
		ROW_NUMBER() OVER (PARTITION BY plan_id, task_code, unit, period = @month ORDER BY reported_at DESC, id DESC) AS newest_of_month
	FROM progress
	WHERE reported_at < @end OR period = @month
), responsible AS (
	SELECT DISTINCT t.plan_id, t.code, u.name
	FROM tasks t
	JOIN task_units tu ON tu.task_id = t.id AND tu.role IN ('lead', 'execute')
	JOIN units u ON u.id = tu.unit_id
	WHERE t.removed_at IS NULL
), latest AS (
	SELECT k.*, r.code IS NOT NULL AS responsible FROM known k
	LEFT JOIN responsible r ON r.plan_id = k.plan_id AND r.code = k.task_code AND r.name = k.unit
)
SELECT org_id,
	COUNT(DISTINCT CASE WHEN newest = 1 AND responsible AND period = @month THEN task_code END),
	SUM(CASE WHEN newest = 1 AND responsible AND period = @month THEN 1 ELSE 0 END),
	SUM(CASE WHEN newest = 1 AND responsible AND kind = 'done' AND confirm <> 'returned' THEN 1 ELSE 0 END),
	SUM(CASE WHEN newest_of_month = 1 AND period = @month AND blocker <> '' THEN 1 ELSE 0 END)
FROM latest
GROUP BY org_id`

// aggregate runs the baseline on the plain database/sql handle.
func (p *summaryProvince) aggregate(ctx context.Context, period plan.Period) (map[int64]summaryCounts, error) {
	end := period.End().AddDays(1)
	endAt := time.Date(end.Year, end.Month, end.Day, 0, 0, 0, 0, p.loc).UTC()
	q, args := summaryAggregateSQL, []any{}
	if p.engine == storage.EnginePostgres {
		q = strings.NewReplacer("@month", "$1", "@end", "$2").Replace(q)
		args = []any{period.String(), endAt}
	} else {
		q = strings.NewReplacer("@month", "?1", "@end", "?2").Replace(q)
		args = []any{period.String(), endAt}
	}
	rows, err := p.raw.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("aggregate: %w", err)
	}
	defer rows.Close()
	out := map[int64]summaryCounts{}
	for rows.Next() {
		var org int64
		var c summaryCounts
		if err := rows.Scan(&org, &c.Tasks, &c.Pairs, &c.Done, &c.Blockers); err != nil {
			return nil, fmt.Errorf("aggregate: %w", err)
		}
		out[org] = c
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("aggregate: %w", err)
	}
	return out, nil
}

// summaryMedian runs fn n times and returns the median duration.
func summaryMedian(n int, fn func() error) (time.Duration, error) {
	ds := make([]time.Duration, 0, n)
	for range n {
		start := time.Now()
		if err := fn(); err != nil {
			return 0, err
		}
		ds = append(ds, time.Since(start))
	}
	slices.Sort(ds)
	return ds[len(ds)/2], nil
}

package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/chanhlo/planbot/plan"
)

var _ plan.Ledger = (*DB)(nil)

// Reminder ledger states (column reminder_ledger.state).
const (
	// LedgerPending: recorded, not yet handed to the outbox.
	LedgerPending = "pending"
	// LedgerEnqueued: the digest carrying it is in the outbox.
	LedgerEnqueued = "enqueued"
	// LedgerMissed: too late to send; listed to the secretariat.
	LedgerMissed = "missed"
	// LedgerDropped: no longer relevant when its turn came (the task was
	// reported done, its deadline changed).
	LedgerDropped = "dropped"
)

type ledgerRow struct {
	ID          int64
	ReminderKey string
	PlanID      int64
	TaskCode    string
	Unit        string
	Kind        string
	Occurrence  string
	RemindAt    time.Time
	State       string
	CreatedAt   time.Time
	SettledAt   *time.Time
}

func (ledgerRow) TableName() string { return "reminder_ledger" }

// recordChunk is how many reminders one of Record's statements inserts: 9
// parameters a row, far below SQLite's and PostgreSQL's limits.
const recordChunk = 200

// Record stores the reminders whose key is not in the ledger yet, as
// pending, and returns exactly those, in the order given. The rows go in
// INSERT … ON CONFLICT DO NOTHING RETURNING statements, many rows each,
// and the keys returned are the rows this call inserted, so two processes
// recording the same reminders at once split them: every reminder is
// returned to exactly one caller. Duplicates within rs count once (the
// first).
//
// The rows are inserted in key order, whatever the order of rs: two
// transactions inserting overlapping sets in different orders would
// otherwise wait on each other's unique-index locks on PostgreSQL and one
// would fail with a deadlock.
//
// A report day records hundreds of reminders per ward; one statement per
// reminder was a third of the tick (each one prepared, executed and its
// row count read on its own).
func (db *DB) Record(ctx context.Context, rs []plan.Reminder) ([]plan.Reminder, error) {
	if len(rs) == 0 {
		return nil, nil
	}
	keys := make([]string, len(rs))
	first := make(map[string]int, len(rs)) // key → its first index in rs
	for i, r := range rs {
		keys[i] = r.Key()
		if _, ok := first[keys[i]]; !ok {
			first[keys[i]] = i
		}
	}
	order := make([]int, 0, len(first))
	for _, i := range first {
		order = append(order, i)
	}
	slices.SortFunc(order, func(a, b int) int { return strings.Compare(keys[a], keys[b]) })
	added := map[string]bool{}
	insert := func(tx *gorm.DB) error {
		clear(added)
		now := db.now()
		for chunk := range slices.Chunk(order, recordChunk) {
			q := `INSERT INTO reminder_ledger
				(reminder_key, plan_id, task_code, unit, kind, occurrence, remind_at, state, created_at)
				VALUES ` + placeholderRows(len(chunk), 9) + ` ON CONFLICT (reminder_key) DO NOTHING RETURNING reminder_key`
			args := make([]any, 0, 9*len(chunk))
			for _, i := range chunk {
				r := rs[i]
				args = append(args, keys[i], r.PlanID, r.TaskCode, r.Unit, string(r.Kind), r.Occurrence,
					r.At.UTC().Truncate(time.Microsecond), LedgerPending, now)
			}
			// Rows, not Scan: gorm's Scan renders the statement with its
			// arguments for its logger on every call, which cost as much
			// as the insert.
			rows, err := tx.Raw(q, args...).Rows()
			if err != nil {
				return fmt.Errorf("%d reminders from %s: %w", len(chunk), keys[chunk[0]], err)
			}
			for rows.Next() {
				var k string
				if err := rows.Scan(&k); err != nil {
					rows.Close()
					return fmt.Errorf("recorded reminder: %w", err)
				}
				added[k] = true
			}
			if err := errors.Join(rows.Err(), rows.Close()); err != nil {
				return fmt.Errorf("%d reminders from %s: %w", len(chunk), keys[chunk[0]], err)
			}
		}
		return nil
	}
	var err error
	if len(order) <= recordChunk {
		// One statement is atomic by itself: a transaction around it
		// would only add its BEGIN and COMMIT, two more round trips to
		// PostgreSQL.
		err = insert(db.conn(ctx))
	} else {
		err = db.tx(ctx, insert)
	}
	if err != nil {
		return nil, fmt.Errorf("record reminders: %w", err)
	}
	var out []plan.Reminder
	for i, r := range rs {
		if added[keys[i]] && first[keys[i]] == i {
			out = append(out, r)
		}
	}
	return out, nil
}

// RecordQueued records reminders that no tick has recorded yet and
// queues their messages, in one transaction: those in queued as
// enqueued at at, with items added to the outbox (skipping keys already
// there), those in waiting as pending (nobody to send them to yet).
// When any of them is in the ledger already — another replica's tick, or
// this process's before a restart, claimed it — it writes nothing and
// returns ok false, and the caller records them with Record instead.
//
// It is a running bot's usual report-day tick in one step: Record's
// pending rows followed by SettleReminders' update cost two statements,
// two commits and every row written twice. On PostgreSQL it is one
// statement, the ledger's INSERT in a WITH clause with no ON CONFLICT,
// so a key already there fails the whole statement and nothing stays.
func (db *DB) RecordQueued(ctx context.Context, queued, waiting []plan.Reminder, at time.Time, items ...plan.OutboxItem) (ok bool, added int, err error) {
	n := len(queued) + len(waiting)
	if n == 0 || n > recordChunk || len(items) > outboxChunk {
		// Nothing to do, or more than one statement's worth: Record and
		// SettleReminders chunk them.
		return false, 0, nil
	}
	out, err := outboxRows(items, db.now())
	if err != nil {
		return false, 0, fmt.Errorf("record queued reminders: %w", err)
	}
	ledger := queuedLedgerRows(queued, waiting, db.now(), utc(at))
	// database/sql rather than gorm: building a statement of a few
	// hundred parameters through gorm cost more than running it.
	if ctx, err = db.quick(ctx); err != nil {
		return false, 0, fmt.Errorf("record %d queued reminders: %w", n, err)
	}
	if db.engine == EnginePostgres {
		stmt, err := db.stmt(ctx, recordQueuedSQL)
		if err == nil {
			added, err = execCount(ctx, stmt, "", append(ledger.columns(), outboxColumnsOf(out)...)...)
		}
		return db.recordedQueued(n, added, err)
	}
	q, args := ledger.insert()
	switch {
	case len(out) == 0:
		_, err = db.sqlDB.ExecContext(ctx, q, args...)
	default:
		var tx *sql.Tx
		if tx, err = db.sqlDB.BeginTx(ctx, nil); err != nil {
			break
		}
		if _, err = tx.ExecContext(ctx, q, args...); err == nil {
			q, ins := outboxInsert("", out)
			added, err = execCount(ctx, tx, q, ins...)
		}
		if err == nil {
			err = tx.Commit()
		} else if rbErr := tx.Rollback(); rbErr != nil {
			return false, 0, fmt.Errorf("record %d queued reminders: %w (rollback: %w)", n, err, rbErr)
		}
	}
	return db.recordedQueued(n, added, err)
}

// execCount runs a statement (q on a database or a transaction, or a
// prepared statement with q empty) and returns how many rows it changed.
func execCount(ctx context.Context, c any, q string, args ...any) (int, error) {
	var res sql.Result
	var err error
	switch c := c.(type) {
	case *sql.Stmt:
		res, err = c.ExecContext(ctx, args...)
	case interface {
		ExecContext(context.Context, string, ...any) (sql.Result, error)
	}:
		res, err = c.ExecContext(ctx, q, args...)
	default:
		return 0, fmt.Errorf("exec on %T", c)
	}
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// recordQueuedSQL is RecordQueued on PostgreSQL: the ledger's INSERT in a
// WITH clause (no ON CONFLICT: a key already there fails the statement,
// and nothing of it stays), the outbox's after it. Each column comes as
// an array: the statement's text is the same for any number of rows, so
// it is prepared once, and bound with 21 parameters rather than ten a
// reminder and eleven a message.
const recordQueuedSQL = `WITH claimed AS (
		INSERT INTO reminder_ledger
			(reminder_key, plan_id, task_code, unit, kind, occurrence, remind_at, state, created_at, settled_at)
		SELECT * FROM unnest(?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[],
			?::timestamptz[], ?::text[], ?::timestamptz[], ?::timestamptz[])
		RETURNING 1)
	INSERT INTO outbox (org_id, key, officer_id, transport, chat_id, message, document, context, not_before, status, created_at)
	SELECT * FROM unnest(?::bigint[], ?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[],
		?::bytea[], ?::text[], ?::timestamptz[], ?::text[], ?::timestamptz[])
	ON CONFLICT (key) DO NOTHING`

// outboxColumnsOf is rows as recordQueuedSQL's outbox arrays.
func outboxColumnsOf(rows []outboxRow) []any {
	var (
		orgs, officers                = make([]int64, len(rows)), make([]int64, len(rows))
		keys, transports, chats, msgs = make([]string, len(rows)), make([]string, len(rows)), make([]string, len(rows)), make([]string, len(rows))
		contexts, statuses            = make([]string, len(rows)), make([]string, len(rows))
		docs                          = make([][]byte, len(rows))
		notBefore, created            = make([]time.Time, len(rows)), make([]time.Time, len(rows))
	)
	for i, r := range rows {
		orgs[i], keys[i], officers[i], transports[i], chats[i] = r.OrgID, r.Key, r.OfficerID, r.Transport, r.ChatID
		msgs[i], docs[i], contexts[i], notBefore[i], statuses[i], created[i] = r.Message, r.Document, r.Context, r.NotBefore, r.Status, r.CreatedAt
	}
	return []any{orgs, keys, officers, transports, chats, msgs, docs, contexts, notBefore, statuses, created}
}

// recordedQueued is RecordQueued's answer for its statements' error: a
// key already in the ledger is "not mine", anything else an error.
func (db *DB) recordedQueued(n, added int, err error) (bool, int, error) {
	if err == nil {
		return true, added, nil
	}
	if t, ok := db.gdb.Dialector.(gorm.ErrorTranslator); ok && errors.Is(t.Translate(err), gorm.ErrDuplicatedKey) {
		return false, 0, nil
	}
	return false, 0, fmt.Errorf("record %d queued reminders: %w", n, err)
}

// queuedLedger is RecordQueued's ledger rows, in key order (as Record,
// so that two ticks inserting the same keys wait on each other instead of
// deadlocking), each key once.
type queuedLedger struct {
	rows    []queuedRow
	now, at time.Time
}

type queuedRow struct {
	key     string
	r       plan.Reminder
	settled bool // enqueued at at; else pending
}

func queuedLedgerRows(queued, waiting []plan.Reminder, now, at time.Time) queuedLedger {
	rows := make([]queuedRow, 0, len(queued)+len(waiting))
	for _, r := range queued {
		rows = append(rows, queuedRow{r.Key(), r, true})
	}
	for _, r := range waiting {
		rows = append(rows, queuedRow{r.Key(), r, false})
	}
	slices.SortStableFunc(rows, func(a, b queuedRow) int { return strings.Compare(a.key, b.key) })
	rows = slices.CompactFunc(rows, func(a, b queuedRow) bool { return a.key == b.key })
	return queuedLedger{rows: rows, now: now, at: at}
}

func (l queuedLedger) state(x queuedRow) (string, *time.Time) {
	if x.settled {
		return LedgerEnqueued, &l.at
	}
	return LedgerPending, nil
}

// insert is the rows' multi-row INSERT.
func (l queuedLedger) insert() (string, []any) {
	args := make([]any, 0, 10*len(l.rows))
	for _, x := range l.rows {
		state, settled := l.state(x)
		args = append(args, x.key, x.r.PlanID, x.r.TaskCode, x.r.Unit, string(x.r.Kind), x.r.Occurrence,
			x.r.At.UTC().Truncate(time.Microsecond), state, l.now, settled)
	}
	return `INSERT INTO reminder_ledger
		(reminder_key, plan_id, task_code, unit, kind, occurrence, remind_at, state, created_at, settled_at)
		VALUES ` + placeholderRows(len(l.rows), 10), args
}

// columns is the rows as recordQueuedSQL's ledger arrays.
func (l queuedLedger) columns() []any {
	n := len(l.rows)
	var (
		keys, codes, units, kinds, occs, states = make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		plans                                   = make([]int64, n)
		at, created                             = make([]time.Time, n), make([]time.Time, n)
		settled                                 = make([]*time.Time, n)
	)
	for i, x := range l.rows {
		keys[i], plans[i], codes[i], units[i], kinds[i], occs[i] = x.key, x.r.PlanID, x.r.TaskCode, x.r.Unit, string(x.r.Kind), x.r.Occurrence
		at[i], created[i] = x.r.At.UTC().Truncate(time.Microsecond), l.now
		states[i], settled[i] = l.state(x)
	}
	return []any{keys, plans, codes, units, kinds, occs, at, states, created, settled}
}

// MissedReminders returns the reminders of the given plans settled as
// missed (no officer, or too late to send) in [since, until), in the
// order they were due. A ward asks for its own plans' (the daily
// notice); the index of pending reminders by plan finds them, as a
// reminder is recorded before it is settled (created_at < until).
func (db *DB) MissedReminders(ctx context.Context, planIDs []int64, since, until time.Time) ([]plan.Reminder, error) {
	if len(planIDs) == 0 {
		return nil, nil
	}
	var rows []ledgerRow
	err := db.conn(ctx).
		Where("plan_id IN ? AND state = ? AND created_at < ? AND settled_at >= ? AND settled_at < ?",
			planIDs, LedgerMissed, until.UTC(), since.UTC(), until.UTC()).
		Order("remind_at, id").Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("missed reminders: %w", err)
	}
	return remindersOf(rows), nil
}

func remindersOf(rows []ledgerRow) []plan.Reminder {
	out := make([]plan.Reminder, len(rows))
	for i, r := range rows {
		out[i] = plan.Reminder{
			PlanID:     r.PlanID,
			TaskCode:   r.TaskCode,
			Unit:       r.Unit,
			Kind:       plan.ReminderKind(r.Kind),
			Occurrence: r.Occurrence,
			At:         r.RemindAt.UTC(),
		}
	}
	return out
}

// UnsentReminders returns the pending reminders of the given plans
// recorded before the given time, oldest first: those whose tick died
// between recording and enqueueing, and those still waiting for their
// unit's officer. Times are in UTC. A ward's tick asks for its own plans
// only: in a province's deployment every ward ticks each minute, and
// reading every ward's waiting reminders each time grew with the square
// of the wards (and showed one ward another's).
func (db *DB) UnsentReminders(ctx context.Context, planIDs []int64, recordedBefore time.Time) ([]plan.Reminder, error) {
	if len(planIDs) == 0 {
		return nil, nil
	}
	// Plain SQL prepared once (its text depends only on how many plans):
	// every tick of every ward asks.
	args := make([]any, 0, len(planIDs)+2)
	for _, id := range planIDs {
		args = append(args, id)
	}
	args = append(args, LedgerPending, utc(recordedBefore))
	ctx, err := db.quick(ctx)
	if err != nil {
		return nil, fmt.Errorf("unsent reminders: %w", err)
	}
	stmt, err := db.stmt(ctx, `SELECT plan_id, task_code, unit, kind, occurrence, remind_at FROM reminder_ledger
		WHERE `+inList("plan_id", len(planIDs))+` AND state = ? AND created_at < ? ORDER BY remind_at, id`)
	if err != nil {
		return nil, fmt.Errorf("unsent reminders: %w", err)
	}
	rows, err := stmt.QueryContext(ctx, args...)
	if err != nil {
		return nil, fmt.Errorf("unsent reminders: %w", err)
	}
	defer rows.Close()
	var out []plan.Reminder
	for rows.Next() {
		var r plan.Reminder
		if err := rows.Scan(&r.PlanID, &r.TaskCode, &r.Unit, &r.Kind, &r.Occurrence, &r.At); err != nil {
			return nil, fmt.Errorf("unsent reminders: %w", err)
		}
		r.At = r.At.UTC()
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("unsent reminders: %w", err)
	}
	return out, nil
}

// SettleReminders moves the pending reminders with the given keys to
// state (LedgerEnqueued, LedgerMissed or LedgerDropped) at the given time
// and, in the same transaction, adds items to the outbox (skipping keys
// already there, as Enqueue does). It returns how many items were added.
// Doing both at once is what makes a reminder neither lost nor doubled
// when the process dies mid-tick: either the message is queued and the
// reminder settled, or neither, and the next tick tries again. Reminders
// already settled keep their first state.
func (db *DB) SettleReminders(ctx context.Context, keys []string, state string, at time.Time, items ...plan.OutboxItem) (int, error) {
	switch state {
	case LedgerEnqueued, LedgerMissed, LedgerDropped:
	default:
		return 0, fmt.Errorf("settle reminders: unknown state %q", state)
	}
	rows, err := outboxRows(items, db.now())
	if err != nil {
		return 0, fmt.Errorf("settle reminders: %w", err)
	}
	at = utc(at)
	if db.engine == EnginePostgres && len(keys) > 0 && len(keys) <= settleChunk && len(rows) > 0 && len(rows) <= outboxChunk {
		// One statement, atomic by itself: the ledger's UPDATE in a WITH
		// clause, which PostgreSQL runs to the end whether or not the
		// INSERT reads it. A transaction of two statements was four round
		// trips (BEGIN, INSERT, UPDATE, COMMIT) of a report day's tick.
		set, args := settleUpdate(keys, state, at)
		q, ins := outboxInsert("WITH settled AS ("+set+" RETURNING 1) ", rows)
		res := db.conn(ctx).Exec(q, append(args, ins...)...)
		if res.Error != nil {
			return 0, fmt.Errorf("settle %d reminders as %s: %w", len(keys), state, res.Error)
		}
		return int(res.RowsAffected), nil
	}
	added := 0
	err = db.tx(ctx, func(tx *gorm.DB) error {
		var err error
		if added, err = insertOutbox(tx, rows); err != nil {
			return fmt.Errorf("enqueue: %w", err)
		}
		for chunk := range slices.Chunk(keys, settleChunk) {
			q, args := settleUpdate(chunk, state, at)
			if err := tx.Exec(q, args...).Error; err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("settle %d reminders as %s: %w", len(keys), state, err)
	}
	return added, nil
}

// settleChunk is how many reminders one UPDATE settles at most.
const settleChunk = 500

// settleUpdate moves the pending reminders with keys to state at at;
// those already settled keep their first state.
func settleUpdate(keys []string, state string, at time.Time) (string, []any) {
	args := make([]any, 0, 2+len(keys))
	args = append(args, state, at)
	for _, k := range keys {
		args = append(args, k)
	}
	return `UPDATE reminder_ledger SET state = ?, settled_at = ? WHERE ` + inList("reminder_key", len(keys)) + ` AND state = '` + LedgerPending + `'`, args
}

// ReminderState returns the ledger state of the reminder with the given
// key, or "" when it was never recorded.
func (db *DB) ReminderState(ctx context.Context, key string) (string, error) {
	var rows []ledgerRow
	if err := db.conn(ctx).Where("reminder_key = ?", key).Limit(1).Find(&rows).Error; err != nil {
		return "", fmt.Errorf("reminder state %s: %w", key, err)
	}
	if len(rows) == 0 {
		return "", nil
	}
	return rows[0].State, nil
}

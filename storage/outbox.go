package storage

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/chanhlo/planbot/plan"
)

var _ plan.Outbox = (*DB)(nil)

// outboxRow is a row of the outbox table (version 4).
type outboxRow struct {
	ID         int64
	OrgID      int64
	Key        string
	OfficerID  int64
	Transport  string
	ChatID     string
	Message    string
	Document   []byte
	Context    string
	NotBefore  time.Time
	Status     string
	Attempts   int
	LastError  string
	ClaimedBy  string
	ClaimUntil *time.Time
	SentAt     *time.Time
	ExternalID string
	CreatedAt  time.Time
}

func (outboxRow) TableName() string { return "outbox" }

// outboxColumns lists the columns in the order of outboxRow, for RETURNING.
const outboxColumns = `id, org_id, key, officer_id, transport, chat_id, message, document, context,
	not_before, status, attempts, last_error, claimed_by, claim_until, sent_at, external_id, created_at`

// maxLastError caps the stored reason of a failed attempt.
const maxLastError = 1000

func utc(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// notBefore stores a time an item must not go out before, rounded up to
// the microsecond the databases keep: rounded down, a rate limiter's
// "wait until T" would read as a moment before T, and the item would be
// claimed, refused and released again without end.
func notBefore(t time.Time) time.Time {
	u := utc(t)
	if u.Before(t) {
		u = u.Add(time.Microsecond)
	}
	return u
}

func toOutboxRow(it plan.OutboxItem, now time.Time) (outboxRow, error) {
	switch {
	case it.Key == "":
		return outboxRow{}, errors.New("outbox item without key")
	case it.OrgID == 0:
		return outboxRow{}, fmt.Errorf("outbox item %s: no organisation", it.Key)
	case it.Address.Transport == "" || it.Address.ChatID == "":
		return outboxRow{}, fmt.Errorf("outbox item %s: incomplete address %+v", it.Key, it.Address)
	}
	m := it.Message
	var doc []byte
	if m.Document != nil {
		d := *m.Document
		doc = d.Data
		if doc == nil {
			doc = []byte{}
		}
		d.Data = nil
		m.Document = &d
	}
	mb, err := json.Marshal(m)
	if err != nil {
		return outboxRow{}, fmt.Errorf("outbox item %s: encode message: %w", it.Key, err)
	}
	cb, err := json.Marshal(it.Context)
	if err != nil {
		return outboxRow{}, fmt.Errorf("outbox item %s: encode context: %w", it.Key, err)
	}
	nb := it.NotBefore
	if nb.IsZero() {
		nb = now
	}
	return outboxRow{
		OrgID:     it.OrgID,
		Key:       it.Key,
		OfficerID: it.OfficerID,
		Transport: it.Address.Transport,
		ChatID:    it.Address.ChatID,
		Message:   string(mb),
		Document:  doc,
		Context:   string(cb),
		NotBefore: utc(nb),
		Status:    string(plan.OutboxPending),
		CreatedAt: now,
	}, nil
}

func (r outboxRow) item() (plan.OutboxItem, error) {
	it := plan.OutboxItem{
		ID:         r.ID,
		OrgID:      r.OrgID,
		Key:        r.Key,
		OfficerID:  r.OfficerID,
		Address:    plan.Address{Transport: r.Transport, ChatID: r.ChatID},
		NotBefore:  r.NotBefore.UTC(),
		Status:     plan.OutboxStatus(r.Status),
		Attempts:   r.Attempts,
		LastError:  r.LastError,
		ExternalID: r.ExternalID,
		CreatedAt:  r.CreatedAt.UTC(),
	}
	if r.SentAt != nil {
		t := r.SentAt.UTC()
		it.SentAt = &t
	}
	if err := json.Unmarshal([]byte(r.Message), &it.Message); err != nil {
		return it, fmt.Errorf("outbox item %d: decode message: %w", r.ID, err)
	}
	if it.Message.Document != nil {
		it.Message.Document.Data = r.Document
	}
	if err := json.Unmarshal([]byte(r.Context), &it.Context); err != nil {
		return it, fmt.Errorf("outbox item %d: decode context: %w", r.ID, err)
	}
	return it, nil
}

func outboxItems(rows []outboxRow) ([]plan.OutboxItem, error) {
	out := make([]plan.OutboxItem, 0, len(rows))
	for _, r := range rows {
		it, err := r.item()
		if err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, nil
}

// Enqueue adds items, skipping those whose key is already in the outbox
// (queued, sent or failed), and returns how many were added. An item
// without NotBefore may go out at once.
func (db *DB) Enqueue(ctx context.Context, items ...plan.OutboxItem) (int, error) {
	if len(items) == 0 {
		return 0, nil
	}
	rows, err := outboxRows(items, db.now())
	if err != nil {
		return 0, fmt.Errorf("enqueue: %w", err)
	}
	added := 0
	insert := func(tx *gorm.DB) error {
		added, err = insertOutbox(tx, rows)
		return err
	}
	if len(rows) <= outboxChunk {
		// One statement is atomic by itself; BEGIN and COMMIT around it
		// were two more round trips to PostgreSQL for every
		// acknowledgement a reply queues.
		err = insert(db.conn(ctx))
	} else {
		err = db.tx(ctx, insert)
	}
	if err != nil {
		return 0, fmt.Errorf("enqueue %d outbox items: %w", len(items), err)
	}
	return added, nil
}

// outboxRows converts items for insertOutbox.
func outboxRows(items []plan.OutboxItem, now time.Time) ([]outboxRow, error) {
	rows := make([]outboxRow, 0, len(items))
	for _, it := range items {
		r, err := toOutboxRow(it, now)
		if err != nil {
			return nil, err
		}
		rows = append(rows, r)
	}
	return rows, nil
}

// insertOutbox adds rows inside the caller's transaction, skipping keys
// already in the outbox, and returns how many were added. Every way into
// the outbox goes through it, so that a reminder, a broadcast or a summary
// is queued in the same transaction as the record that causes it.
func insertOutbox(tx *gorm.DB, rows []outboxRow) (int, error) {
	added := 0
	for batch := range slices.Chunk(rows, outboxChunk) {
		q, args := outboxInsert("", batch)
		res := tx.Exec(q, args...)
		if res.Error != nil {
			return 0, res.Error
		}
		added += int(res.RowsAffected)
	}
	return added, nil
}

// outboxChunk is how many items one INSERT adds at most.
const outboxChunk = 200

// outboxInsert is the INSERT of rows that skips keys already queued,
// after with (a WITH clause, or ""). Written out rather than by gorm's
// Create, whose reflection over the row type and RETURNING of ids nobody
// reads cost more than the statement on a report day's tick. The columns
// left out start at their defaults, as a new item's do.
func outboxInsert(with string, rows []outboxRow) (string, []any) {
	args := make([]any, 0, 11*len(rows))
	for _, r := range rows {
		args = append(args, r.OrgID, r.Key, r.OfficerID, r.Transport, r.ChatID, r.Message, r.Document, r.Context, r.NotBefore, r.Status, r.CreatedAt)
	}
	return with + `INSERT INTO outbox (org_id, key, officer_id, transport, chat_id, message, document, context, not_before, status, created_at)
		VALUES ` + placeholderRows(len(rows), 11) + ` ON CONFLICT (key) DO NOTHING`, args
}

// placeholderRows is "(?, …), (?, …)" for a multi-row INSERT of rows rows
// of cols columns.
func placeholderRows(rows, cols int) string {
	row := "(?" + strings.Repeat(", ?", cols-1) + ")"
	return row + strings.Repeat(", "+row, rows-1)
}

// claimable is the condition for a pending item owner may claim at now.
const claimable = `status = 'pending' AND not_before <= @now
	AND (claim_until IS NULL OR claim_until <= @now OR claimed_by = @owner)`

// Claim leases up to limit due items to owner, in the order they were
// enqueued: a message retried after a second goes before those enqueued
// after it, instead of waiting for the end of a broadcast. On PostgreSQL the rows are
// picked with FOR UPDATE SKIP LOCKED, so concurrent claims neither wait
// for nor take each other's rows; SQLite runs the single statement under
// its database write lock. The outer WHERE repeats the condition so that
// a row changed by a concurrent statement is re-checked.
func (db *DB) Claim(ctx context.Context, owner string, now time.Time, lease time.Duration, limit int) ([]plan.OutboxItem, error) {
	if owner == "" {
		return nil, errors.New("claim outbox: empty owner")
	}
	if limit <= 0 || lease <= 0 {
		return nil, fmt.Errorf("claim outbox: limit %d and lease %s must be positive", limit, lease)
	}
	now = utc(now)
	lock := ""
	if db.engine == EnginePostgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	// The CTE is materialised: evaluated once, whatever the plan.
	q := `WITH picked AS MATERIALIZED (
			SELECT id FROM outbox WHERE ` + claimable + `
			ORDER BY id LIMIT @limit` + lock + `)
		UPDATE outbox SET claimed_by = @owner, claim_until = @until
		WHERE ` + claimable + ` AND id IN (SELECT id FROM picked)
		RETURNING ` + outboxColumns
	var rows []outboxRow
	err := db.conn(ctx).Raw(q, map[string]any{
		"owner": owner, "now": now, "until": now.Add(lease), "limit": limit,
	}).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("claim outbox for %s: %w", owner, err)
	}
	// RETURNING keeps no order.
	slices.SortFunc(rows, func(a, b outboxRow) int { return cmp.Compare(a.ID, b.ID) })
	return outboxItems(rows)
}

// NextDue returns when the earliest pending item becomes claimable.
func (db *DB) NextDue(ctx context.Context) (time.Time, bool, error) {
	// The soonest not_before among unleased items, and the soonest lease
	// end among leased ones; the earlier of the two.
	var free, leased []outboxRow
	q := db.conn(ctx).Model(&outboxRow{}).Select("not_before", "claim_until")
	if err := q.Session(&gorm.Session{}).Where("status = 'pending' AND claim_until IS NULL").
		Order("not_before").Limit(1).Find(&free).Error; err != nil {
		return time.Time{}, false, fmt.Errorf("next due outbox item: %w", err)
	}
	if err := q.Session(&gorm.Session{}).Where("status = 'pending' AND claim_until IS NOT NULL").
		Order("claim_until").Limit(1).Find(&leased).Error; err != nil {
		return time.Time{}, false, fmt.Errorf("next due outbox item: %w", err)
	}
	var next time.Time
	for _, r := range append(free, leased...) {
		t := r.NotBefore
		if r.ClaimUntil != nil && r.ClaimUntil.After(t) {
			t = *r.ClaimUntil
		}
		if next.IsZero() || t.Before(next) {
			next = t
		}
	}
	return next.UTC(), !next.IsZero(), nil
}

// MarkSent records that the transport accepted the item and ends its
// lease. A failed item stays failed.
func (db *DB) MarkSent(ctx context.Context, id int64, externalID string, at time.Time) error {
	return db.updateOutbox(ctx, "mark outbox item sent", id, `status <> 'failed'`, map[string]any{
		"status": string(plan.OutboxSent), "external_id": externalID, "sent_at": utc(at),
		"claimed_by": "", "claim_until": nil,
	})
}

// MarkSentBatch records many deliveries at once (see MarkSent): one
// UPDATE … FROM a list of values per markBatchRows marks, atomic without
// a transaction around it.
func (db *DB) MarkSentBatch(ctx context.Context, marks []plan.SentMark) error {
	ctx = db.local(ctx)
	for len(marks) > 0 {
		n := min(len(marks), markBatchRows)
		q, args := db.markSentSQL(marks[:n])
		if _, err := db.sqlDB.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("mark %d outbox items sent: %w", n, err)
		}
		marks = marks[n:]
	}
	return nil
}

// markBatchRows bounds one statement's marks (three parameters each).
const markBatchRows = 200

func (db *DB) markSentSQL(marks []plan.SentMark) (string, []any) {
	var b strings.Builder
	args := make([]any, 0, 3*len(marks))
	row := "(?, ?, ?)"
	if db.engine == EnginePostgres {
		// VALUES' columns take their types from the first row.
		row = "(CAST(? AS BIGINT), CAST(? AS TEXT), CAST(? AS TIMESTAMPTZ))"
	}
	for i, m := range marks {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(row)
		args = append(args, m.ID, m.ExternalID, utc(m.At))
	}
	// SQLite names a VALUES list's columns column1, column2 …; PostgreSQL
	// takes names after the alias.
	id, ext, at, alias := "v.column1", "v.column2", "v.column3", "v"
	if db.engine == EnginePostgres {
		id, ext, at, alias = "v.id", "v.ext", "v.at", "v(id, ext, at)"
	}
	q := `UPDATE outbox SET status = 'sent', external_id = ` + ext + `, sent_at = ` + at + `, claimed_by = '', claim_until = NULL
		FROM (VALUES ` + b.String() + `) AS ` + alias + `
		WHERE outbox.id = ` + id + ` AND outbox.status <> 'failed'`
	return db.rebind(q), args
}

// Retry counts a failed attempt and makes the item claimable at next.
func (db *DB) Retry(ctx context.Context, id int64, next time.Time, reason string) error {
	return db.updateOutbox(ctx, "retry outbox item", id, `status = 'pending'`, map[string]any{
		"attempts": gorm.Expr("attempts + 1"), "not_before": notBefore(next), "last_error": clip(reason),
		"claimed_by": "", "claim_until": nil,
	})
}

// Release ends the lease on a pending item without counting an attempt.
func (db *DB) Release(ctx context.Context, id int64, next time.Time) error {
	return db.updateOutbox(ctx, "release outbox item", id, `status = 'pending'`, map[string]any{
		"not_before": notBefore(next), "claimed_by": "", "claim_until": nil,
	})
}

// Fail gives up on a pending item, counting the attempt that failed.
func (db *DB) Fail(ctx context.Context, id int64, reason string) error {
	return db.updateOutbox(ctx, "fail outbox item", id, `status = 'pending'`, map[string]any{
		"status": string(plan.OutboxFailed), "attempts": gorm.Expr("attempts + 1"), "last_error": clip(reason),
		"claimed_by": "", "claim_until": nil,
	})
}

func (db *DB) updateOutbox(ctx context.Context, what string, id int64, cond string, set map[string]any) error {
	res := db.conn(ctx).Model(&outboxRow{}).Where("id = ? AND "+cond, id).Updates(set)
	if res.Error != nil {
		return fmt.Errorf("%s %d: %w", what, id, res.Error)
	}
	if res.RowsAffected == 0 {
		var n int64
		if err := db.conn(ctx).Model(&outboxRow{}).Where("id = ?", id).Count(&n).Error; err != nil {
			return fmt.Errorf("%s %d: %w", what, id, err)
		}
		if n == 0 {
			return fmt.Errorf("%s %d: %w", what, id, plan.Errorf(plan.ENotFound, "Không tìm thấy tin nhắn chờ gửi (mã %d).", id))
		}
		// The item is already in a final state: nothing to do.
	}
	return nil
}

// MoveAddress points the pending items addressed to from at to.
func (db *DB) MoveAddress(ctx context.Context, from, to plan.Address) (int, error) {
	res := db.conn(ctx).Model(&outboxRow{}).
		Where("status = 'pending' AND transport = ? AND chat_id = ?", from.Transport, from.ChatID).
		Updates(map[string]any{"transport": to.Transport, "chat_id": to.ChatID})
	if res.Error != nil {
		return 0, fmt.Errorf("move outbox items from %s:%s: %w", from.Transport, from.ChatID, res.Error)
	}
	return int(res.RowsAffected), nil
}

// ByExternalID finds the sent item with the transport's message id.
func (db *DB) ByExternalID(ctx context.Context, to plan.Address, externalID string) (*plan.OutboxItem, error) {
	if externalID == "" {
		return nil, plan.Errorf(plan.ENotFound, "Không tìm thấy tin nhắn được trả lời.")
	}
	var rows []outboxRow
	err := db.conn(ctx).
		Where("transport = ? AND chat_id = ? AND external_id = ? AND status = 'sent'", to.Transport, to.ChatID, externalID).
		Order("id DESC").Limit(1).Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("outbox item by external id %s: %w", externalID, err)
	}
	if len(rows) == 0 {
		return nil, plan.Errorf(plan.ENotFound, "Không tìm thấy tin nhắn được trả lời.")
	}
	it, err := rows[0].item()
	if err != nil {
		return nil, err
	}
	return &it, nil
}

// LatestNumbered returns the newest message sent to the chat that carried
// a numbered list of tasks (plan.ReplyContext.Numbered), or an ENotFound
// *plan.Error: what "2. 80%" typed without replying refers to.
func (db *DB) LatestNumbered(ctx context.Context, to plan.Address, since time.Time) (*plan.OutboxItem, error) {
	var rows []outboxRow
	err := db.conn(ctx).
		Where("transport = ? AND chat_id = ? AND status = 'sent' AND sent_at >= ? AND context LIKE ?", to.Transport, to.ChatID, since.UTC(), `%"numbered":%`).
		Order("id DESC").Limit(1).Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("latest numbered message: %w", err)
	}
	if len(rows) == 0 {
		return nil, plan.Errorf(plan.ENotFound, "Không có tin đề nghị báo cáo nào.")
	}
	it, err := rows[0].item()
	if err != nil {
		return nil, err
	}
	return &it, nil
}

// LastPendingAnswer returns the latest not-before of the answers
// (plan.ReplyAnswer) to the chat still waiting in the outbox, and false
// when none waits: a later answer queues behind them, not before.
func (db *DB) LastPendingAnswer(ctx context.Context, to plan.Address) (time.Time, bool, error) {
	// Plain SQL: every answer the bot gives asks (docs/benchmarks.md).
	var last time.Time
	ctx, err := db.quick(ctx)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("last pending answer to %s:%s: %w", to.Transport, to.ChatID, err)
	}
	stmt, err := db.stmt(ctx, `SELECT not_before FROM outbox
		WHERE transport = ? AND chat_id = ? AND status = 'pending' AND key LIKE ?
		ORDER BY not_before DESC LIMIT 1`)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("pending answers: %w", err)
	}
	err = stmt.QueryRowContext(ctx, to.Transport, to.ChatID, "answer|%").Scan(&last)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return time.Time{}, false, nil
	case err != nil:
		return time.Time{}, false, fmt.Errorf("pending answers: %w", err)
	}
	return last.UTC(), true, nil
}

// OutboxItem returns one item by id, or an ENotFound *plan.Error.
func (db *DB) OutboxItem(ctx context.Context, id int64) (*plan.OutboxItem, error) {
	var rows []outboxRow
	if err := db.conn(ctx).Where("id = ?", id).Limit(1).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("outbox item %d: %w", id, err)
	}
	if len(rows) == 0 {
		return nil, plan.Errorf(plan.ENotFound, "Không tìm thấy tin nhắn chờ gửi (mã %d).", id)
	}
	it, err := rows[0].item()
	if err != nil {
		return nil, err
	}
	return &it, nil
}

// OutboxCounts returns how many items are in each status.
func (db *DB) OutboxCounts(ctx context.Context) (map[plan.OutboxStatus]int, error) {
	var rows []struct {
		Status string
		N      int
	}
	if err := db.conn(ctx).Raw(`SELECT status, COUNT(*) AS n FROM outbox GROUP BY status`).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("count outbox: %w", err)
	}
	out := map[plan.OutboxStatus]int{}
	for _, r := range rows {
		out[plan.OutboxStatus(r.Status)] = r.N
	}
	return out, nil
}

// OldestDuePending returns the not-before time of the oldest pending
// item due at now (held back until later ones are not waiting yet), and
// false when none is due: how long the outbox has kept someone waiting.
func (db *DB) OldestDuePending(ctx context.Context, now time.Time) (time.Time, bool, error) {
	var rows []outboxRow
	err := db.conn(ctx).Model(&outboxRow{}).Select("not_before").
		Where("status = 'pending' AND not_before <= ?", utc(now)).
		Order("not_before").Limit(1).Find(&rows).Error
	if err != nil {
		return time.Time{}, false, fmt.Errorf("oldest due outbox item: %w", err)
	}
	if len(rows) == 0 {
		return time.Time{}, false, nil
	}
	return rows[0].NotBefore.UTC(), true, nil
}

func clip(s string) string {
	s = strings.ToValidUTF8(s, "?")
	if len(s) <= maxLastError {
		return s
	}
	cut := maxLastError
	for cut > 0 && !utf8RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }

// LatestWithChoices returns the newest message with choices delivered to
// the chat since then: on a messenger without buttons the choices were
// shown as numbers, and "1" typed back is the first. ENotFound when none.
func (db *DB) LatestWithChoices(ctx context.Context, to plan.Address, since time.Time) (*plan.OutboxItem, error) {
	return db.latestSent(ctx, to, since, "latest message with choices", "message LIKE ?", `%"choices":[{%`)
}

// LatestRequest returns the newest reminder or report request delivered
// to the chat since then: on a messenger without reply-to, a bare "80%"
// answers it. ENotFound when none.
func (db *DB) LatestRequest(ctx context.Context, to plan.Address, since time.Time) (*plan.OutboxItem, error) {
	return db.latestSent(ctx, to, since, "latest request", "(context LIKE ? OR context LIKE ?)",
		`%"kind":"`+string(plan.ReplyReminder)+`"%`, `%"kind":"`+string(plan.ReplyReportRequest)+`"%`)
}

func (db *DB) latestSent(ctx context.Context, to plan.Address, since time.Time, what, cond string, args ...any) (*plan.OutboxItem, error) {
	var rows []outboxRow
	err := db.conn(ctx).
		Where("transport = ? AND chat_id = ? AND status = 'sent' AND sent_at >= ?", to.Transport, to.ChatID, since.UTC()).
		Where(cond, args...).
		Order("sent_at DESC, id DESC").Limit(1).Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	if len(rows) == 0 {
		return nil, plan.Errorf(plan.ENotFound, "Không có tin nào.")
	}
	it, err := rows[0].item()
	if err != nil {
		return nil, err
	}
	return &it, nil
}

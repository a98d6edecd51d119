package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/chanhlo/planbot/plan"
)

// Engines.
const (
	EngineSQLite   = "sqlite"
	EnginePostgres = "postgres"
)

// DefaultSQLitePath is the database file used when Open is given an empty
// DSN.
const DefaultSQLitePath = "planbot.db"

// DB is planbot's store. It is safe for concurrent use.
type DB struct {
	gdb    *gorm.DB
	sqlDB  *sql.DB
	engine string
	clock  plan.Clock
	log    *slog.Logger
	plans  planCache
	stmts  sync.Map // query → *sql.Stmt, see stmt
}

// maxIdleConns is how many connections a store keeps open between uses
// (see Open).
const maxIdleConns = 32

// maxOpenConnsPostgres bounds a store's connections to PostgreSQL. A
// province's deployment ticks every ward's scheduler in the same minute
// and sends 32 messages at once: unbounded, that opened a connection per
// ward and ran into PostgreSQL's max_connections (100 by default: "too
// many clients"), failing ticks. Bounded, a statement waits for a free
// connection instead. Two replicas stay under the default with room for
// an administrator's psql.
const maxOpenConnsPostgres = 40

// sqliteHeapKept is how much freed C memory the process keeps for SQLite
// to reuse (keepFreedHeap): a page cache of about 2 MB for each of up to
// maxIdleConns connections, which SQLite drops and refills as other
// connections write.
const sqliteHeapKept = 64 << 20

// keepSQLiteHeap applies sqliteHeapKept once per process, on the first
// SQLite store opened.
var keepSQLiteHeap sync.Once

// Option configures Open.
type Option func(*options)

type options struct {
	clock     plan.Clock
	log       *slog.Logger
	schema    string
	noMigrate bool
}

// WithClock sets the clock that stamps created_at, updated_at and the
// like. The default is plan.SystemClock.
func WithClock(c plan.Clock) Option { return func(o *options) { o.clock = c } }

// WithLogger sets the logger. The default is slog.Default().
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.log = l } }

// WithSchema makes a PostgreSQL store live in the named schema: the schema
// is created when missing and put first on every connection's search_path.
// Tests use it to isolate themselves. It is an error with SQLite.
func WithSchema(name string) Option { return func(o *options) { o.schema = name } }

// WithoutMigrations skips applying pending migrations on Open (see
// (*DB).Migrate).
func WithoutMigrations() Option { return func(o *options) { o.noMigrate = true } }

var schemaName = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// Open opens the store named by dsn and applies pending migrations.
//
// A DSN starting with postgres:// or postgresql:// (or a key=value
// PostgreSQL DSN containing host= or dbname=) opens PostgreSQL. Anything
// else is SQLite: "" means DefaultSQLitePath, otherwise a file path or a
// file: URI. SQLite DSNs get _journal_mode=WAL, _busy_timeout=5000,
// _txlock=immediate and _foreign_keys=on unless they set them already:
// without IMMEDIATE transactions, concurrent read-then-write transactions
// fail with "database is locked".
func Open(ctx context.Context, dsn string, opts ...Option) (*DB, error) {
	o := options{clock: plan.SystemClock, log: slog.Default()}
	for _, opt := range opts {
		opt(&o)
	}
	db := &DB{clock: o.clock, log: o.log}

	var dialector gorm.Dialector
	attrs := []any{}
	switch {
	case isPostgresDSN(dsn):
		db.engine = EnginePostgres
		pdsn := dsn
		if o.schema != "" {
			if !schemaName.MatchString(o.schema) {
				return nil, fmt.Errorf("open postgres: invalid schema name %q", o.schema)
			}
			var err error
			if pdsn, err = withSearchPath(dsn, o.schema); err != nil {
				return nil, fmt.Errorf("open postgres: %w", err)
			}
			attrs = append(attrs, "schema", o.schema)
		}
		attrs = append(attrs, "target", redactPostgres(dsn))
		dialector = postgres.Open(pdsn)
	default:
		if o.schema != "" {
			return nil, fmt.Errorf("open sqlite: schemas are a PostgreSQL feature (schema %q)", o.schema)
		}
		db.engine = EngineSQLite
		keepSQLiteHeap.Do(func() {
			if !keepFreedHeap(sqliteHeapKept) {
				o.log.Warn("the C allocator did not take the heap setting; SQLite's caches are returned to the kernel when freed")
			}
		})
		sdsn, err := sqliteDSN(dsn)
		if err != nil {
			return nil, fmt.Errorf("open sqlite: %w", err)
		}
		attrs = append(attrs, "target", sqlitePath(sdsn))
		dialector = sqlite.Open(sdsn)
	}

	gdb, err := gorm.Open(dialector, &gorm.Config{
		TranslateError: true,
		// Preparing a statement cost as much as running it (an eighth of
		// a progress reply's time, by the profile in docs/benchmarks.md):
		// prepared statements are kept per connection, the least used
		// dropped beyond a bound.
		PrepareStmt:        true,
		PrepareStmtMaxSize: 512,
		// A single statement is atomic by itself; gorm's wrapping of each
		// write in BEGIN … COMMIT only re-prepared it on the transaction's
		// connection. Writes of several rows use db.tx.
		SkipDefaultTransaction: true,
		Logger:                 &gormLogger{log: o.log, slow: 200 * time.Millisecond},
		NowFunc:                db.now,
	})
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", db.engine, err)
	}
	db.gdb = gdb
	if db.sqlDB, err = gdb.DB(); err != nil {
		return nil, fmt.Errorf("open %s: %w", db.engine, err)
	}
	// database/sql keeps two idle connections by default: the
	// dispatcher's concurrent sends (delivery.DefaultConcurrency) would
	// open and close a connection for most of their updates, which on
	// PostgreSQL costs more than the update.
	db.sqlDB.SetMaxIdleConns(maxIdleConns)
	if db.engine == EnginePostgres {
		db.sqlDB.SetMaxOpenConns(maxOpenConnsPostgres)
	}
	if db.engine == EngineSQLite && strings.Contains(dsn, ":memory:") {
		// Every connection to :memory: is a database of its own.
		db.sqlDB.SetMaxOpenConns(1)
	}
	if err := db.sqlDB.PingContext(ctx); err != nil {
		db.sqlDB.Close()
		return nil, fmt.Errorf("open %s: %w", db.engine, err)
	}
	if o.schema != "" {
		if err := gdb.WithContext(ctx).Exec(`CREATE SCHEMA IF NOT EXISTS "` + o.schema + `"`).Error; err != nil {
			db.sqlDB.Close()
			return nil, fmt.Errorf("open postgres: create schema %s: %w", o.schema, err)
		}
	}
	o.log.Debug("storage opened", append([]any{"engine", db.engine}, attrs...)...)
	if !o.noMigrate {
		if err := db.Migrate(ctx); err != nil {
			db.sqlDB.Close()
			return nil, err
		}
	}
	return db, nil
}

// Close closes the store.
func (db *DB) Close() error {
	db.stmts.Range(func(_, s any) bool {
		s.(*sql.Stmt).Close()
		return true
	})
	if err := db.sqlDB.Close(); err != nil {
		return fmt.Errorf("close %s: %w", db.engine, err)
	}
	return nil
}

// Ping checks that the database answers (readiness).
func (db *DB) Ping(ctx context.Context) error {
	if err := db.sqlDB.PingContext(ctx); err != nil {
		return fmt.Errorf("ping %s: %w", db.engine, err)
	}
	return nil
}

// SQL returns the store's database/sql handle, for what measures the
// store against plain SQL on the same connection settings (cmd/planbench).
// Writing through it bypasses the plan cache.
func (db *DB) SQL() *sql.DB { return db.sqlDB }

// Engine returns EngineSQLite or EnginePostgres.
func (db *DB) Engine() string { return db.engine }

// now returns the clock's time in UTC, cut to microseconds so that it
// round-trips through PostgreSQL unchanged.
func (db *DB) now() time.Time { return db.clock.Now().UTC().Truncate(time.Microsecond) }

// quick returns the context for one of the short hand-written statements
// (or a transaction of two) that every reply and every scheduler tick
// runs — a row or a ward's few rows by an index, a reply's or a tick's
// write — with ctx's error when ctx is already done: the statement then
// does not start. Once started it runs to its end, whatever ctx does. On
// a healthy database such a statement ends within milliseconds, before a
// cancellation would reach it; a wait for SQLite's write lock is bounded
// by busy_timeout. On PostgreSQL nothing but the server and the network
// bound it: a stuck server holds the caller (a tick, a reply, shutdown)
// as it holds the gorm statements around it. Reads that can be long (a
// ward's history) keep their cancellation (queryProgress). Watching a cancellable context costs database/sql a
// goroutine for each query and transaction (go-sqlite3 one more for each
// row read): their creation and wake-ups were a sixth of serve's CPU on
// SQLite, and a fifth of a report-day tick's on PostgreSQL
// (docs/benchmarks.md).
func (db *DB) quick(ctx context.Context) (context.Context, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return context.WithoutCancel(ctx), nil
}

// rebind turns the ? placeholders of plain SQL into PostgreSQL's $1, $2 …
// on PostgreSQL. The queries it is given have no ? in literals.
func (db *DB) rebind(q string) string {
	if db.engine != EnginePostgres {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// stmt returns the prepared statement of a plain-SQL query (after
// rebind), preparing it the first time: a SQLite statement cost as much
// to prepare as to run. database/sql prepares it again on each
// connection it runs on; Close closes them all.
func (db *DB) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if s, ok := db.stmts.Load(query); ok {
		return s.(*sql.Stmt), nil
	}
	s, err := db.sqlDB.PrepareContext(ctx, db.rebind(query))
	if err != nil {
		return nil, err
	}
	if prev, loaded := db.stmts.LoadOrStore(query, s); loaded {
		s.Close()
		return prev.(*sql.Stmt), nil
	}
	return s, nil
}

// conn returns the handle for one call under ctx. On SQLite the
// context's cancellation (and deadline) is dropped: go-sqlite3 watches a
// cancellable context with a goroutine per row read and per statement,
// which cost nearly half of reading reports and a sixth of serve's CPU
// in a profile (docs/benchmarks.md); a local statement is short, and a
// wait for the write lock is bounded by busy_timeout anyway.
func (db *DB) conn(ctx context.Context) *gorm.DB {
	return db.gdb.WithContext(db.local(ctx))
}

// local is ctx without its cancellation on SQLite (see conn), ctx itself
// on PostgreSQL.
func (db *DB) local(ctx context.Context) context.Context {
	if db.engine == EngineSQLite {
		return context.WithoutCancel(ctx)
	}
	return ctx
}

// tx runs fn in a transaction. On SQLite it begins IMMEDIATE (see Open),
// so read-then-write transactions queue instead of failing.
func (db *DB) tx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	return db.conn(ctx).Transaction(fn)
}

func isPostgresDSN(dsn string) bool {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return true
	}
	return !strings.HasPrefix(dsn, "file:") && (strings.Contains(dsn, "host=") || strings.Contains(dsn, "dbname="))
}

// withSearchPath sets search_path in a PostgreSQL DSN; pgx sends unknown
// parameters to the server as run-time settings on every connection.
func withSearchPath(dsn, schema string) (string, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil {
			return "", fmt.Errorf("parse dsn: %w", err)
		}
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		return u.String(), nil
	}
	return dsn + " search_path=" + schema, nil
}

// redactPostgres describes a PostgreSQL DSN for logs without its password.
func redactPostgres(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.Host == "" {
		return "(key=value dsn)"
	}
	return u.Host + u.Path
}

// sqliteParams are the parameters Open adds to SQLite DSNs, with the
// aliases mattn/go-sqlite3 accepts for each.
var sqliteParams = []struct {
	names []string
	value string
}{
	{[]string{"_journal_mode", "_journal"}, "WAL"},
	{[]string{"_busy_timeout", "_timeout"}, "5000"},
	{[]string{"_txlock"}, "immediate"},
	{[]string{"_foreign_keys", "_fk"}, "on"},
}

func sqliteDSN(dsn string) (string, error) {
	dsn = strings.TrimPrefix(dsn, "sqlite://")
	dsn = strings.TrimPrefix(dsn, "sqlite:")
	if dsn == "" {
		dsn = DefaultSQLitePath
	}
	base, query, _ := strings.Cut(dsn, "?")
	q, err := url.ParseQuery(query)
	if err != nil {
		return "", fmt.Errorf("parse dsn query: %w", err)
	}
	var add []string
	for _, p := range sqliteParams {
		present := false
		for _, n := range p.names {
			present = present || q.Has(n)
		}
		if !present {
			add = append(add, p.names[0]+"="+p.value)
		}
	}
	if len(add) == 0 {
		return dsn, nil
	}
	if query != "" {
		return base + "?" + query + "&" + strings.Join(add, "&"), nil
	}
	return base + "?" + strings.Join(add, "&"), nil
}

func sqlitePath(dsn string) string {
	p, _, _ := strings.Cut(strings.TrimPrefix(dsn, "file:"), "?")
	return p
}

// gormLogger routes gorm's messages to slog. Failed statements are logged
// at debug level only: their errors go back to the caller, who decides.
// Slow statements are warnings.
type gormLogger struct {
	log  *slog.Logger
	slow time.Duration
}

func (l *gormLogger) LogMode(logger.LogLevel) logger.Interface { return l }

func (l *gormLogger) Info(ctx context.Context, msg string, args ...any) {
	l.log.DebugContext(ctx, "gorm: "+fmt.Sprintf(msg, args...))
}

func (l *gormLogger) Warn(ctx context.Context, msg string, args ...any) {
	l.log.WarnContext(ctx, "gorm: "+fmt.Sprintf(msg, args...))
}

func (l *gormLogger) Error(ctx context.Context, msg string, args ...any) {
	l.log.ErrorContext(ctx, "gorm: "+fmt.Sprintf(msg, args...))
}

func (l *gormLogger) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	elapsed := time.Since(begin)
	switch {
	case err != nil && !errors.Is(err, gorm.ErrRecordNotFound):
		if l.log.Enabled(ctx, slog.LevelDebug) {
			q, _ := fc()
			l.log.DebugContext(ctx, "sql failed", "sql", q, "err", err)
		}
	case elapsed > l.slow:
		q, rows := fc()
		l.log.WarnContext(ctx, "slow sql", "sql", q, "rows", rows, "elapsed", elapsed)
	}
}

// errCheckRollback ends CheckWritable's transaction without keeping it.
var errCheckRollback = errors.New("storage: write check rolled back")

// CheckWritable proves the database takes writes: it updates the newest
// row of schema_migrations in a transaction and rolls it back. serve runs
// it at start, so a read-only file or a user without write rights stops
// the process with a clear message instead of failing every update.
func (db *DB) CheckWritable(ctx context.Context) error {
	err := db.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Exec(`UPDATE schema_migrations SET name = name WHERE version = (SELECT MAX(version) FROM schema_migrations)`)
		if res.Error != nil {
			return res.Error
		}
		return errCheckRollback
	})
	if errors.Is(err, errCheckRollback) {
		return nil
	}
	return fmt.Errorf("database is not writable: %w", err)
}

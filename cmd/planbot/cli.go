package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/chanhlo/planbot/configs"
	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/storage"
	"github.com/chanhlo/planbot/texts"
)

// Command is one subcommand. Each lives in its own cmd_*.go file and
// registers itself in init, so that adding a command touches one file.
type Command struct {
	// Name is the words that select it: "plan import", "serve".
	Name string
	// Usage is the argument synopsis after the name.
	Usage string
	// Summary is one line for `planbot help`.
	Summary string
	// Run executes the command with the arguments after its name (global
	// flags already removed). Return errUsage (wrapped) for wrong calls.
	Run func(ctx context.Context, env *Env, args []string) error
}

var commands []Command

func register(c Command) { commands = append(commands, c) }

// errUsage marks an error as a wrong call (exit code 2).
var errUsage = errors.New("usage")

// usageErrorf returns a wrong-call error with a message for the user.
func usageErrorf(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errUsage, fmt.Sprintf(format, args...))
}

// findCommand picks the command whose name matches the longest prefix of
// args.
func findCommand(args []string) (*Command, []string) {
	var best *Command
	bestLen := 0
	for i := range commands {
		words := strings.Fields(commands[i].Name)
		if len(words) > len(args) || len(words) <= bestLen {
			continue
		}
		match := true
		for j, w := range words {
			if args[j] != w {
				match = false
				break
			}
		}
		if match {
			best, bestLen = &commands[i], len(words)
		}
	}
	if best == nil {
		return nil, nil
	}
	return best, args[bestLen:]
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "planbot — trợ lý nhắc việc và tổng hợp Kế hoạch cho UBND phường")
	fmt.Fprintln(w, "\nCách dùng: planbot [--config FILE] [--db DSN] [--org PHƯỜNG] LỆNH [tham số]")
	fmt.Fprintln(w, "\nLệnh:")
	cs := append([]Command(nil), commands...)
	sort.Slice(cs, func(i, j int) bool { return cs[i].Name < cs[j].Name })
	for _, c := range cs {
		synopsis := strings.TrimSpace(c.Name + " " + c.Usage)
		if len([]rune(synopsis)) > 30 {
			fmt.Fprintf(w, "  %s\n  %-30s %s\n", synopsis, "", c.Summary)
			continue
		}
		fmt.Fprintf(w, "  %-30s %s\n", synopsis, c.Summary)
	}
	fmt.Fprintln(w, "\n--org PHƯỜNG (mã hoặc tên ngắn, xem org list): phường mà lệnh làm việc; bỏ qua được khi cơ sở dữ liệu chỉ có một phường.")
	fmt.Fprintln(w, "\nBiến môi trường: PLANBOT_DB, PLANBOT_TIMEZONE, PLANBOT_TELEGRAM_TOKEN, PLANBOT_TELEGRAM_API, PLANBOT_REDIS_URL.")
}

// globalFlags are accepted anywhere on the command line, before or after
// the subcommand: `planbot --db x.db plan list` = `planbot plan list --db x.db`.
type globalFlags struct {
	config string
	db     string
	// org is --org: the ward a command works on, by id or short name.
	org string
}

func parseGlobal(args []string) (globalFlags, []string, error) {
	var g globalFlags
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			rest = append(rest, args[i:]...)
			break
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || (name != "config" && name != "db" && name != "org") {
			rest = append(rest, a)
			continue
		}
		if !hasValue {
			if i+1 >= len(args) {
				return g, nil, fmt.Errorf("cờ --%s cần một giá trị", name)
			}
			i++
			value = args[i]
		}
		switch name {
		case "config":
			g.config = value
		case "db":
			g.db = value
		default:
			g.org = value
		}
	}
	return g, rest, nil
}

// Env is what a command runs with: settings, output, logger, clock and a
// lazily opened database.
type Env struct {
	Config configs.Config
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Logger *slog.Logger
	Clock  plan.Clock
	Loc    *time.Location
	Getenv func(string) string
	// DBFlag is the --db flag as given ("" when absent): the demo keeps
	// its database only when asked to.
	DBFlag string
	// OrgFlag is the --org flag as given ("" when absent); Org resolves it.
	OrgFlag string

	db  *storage.DB
	org *plan.Organisation
}

func newEnv(g globalFlags, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) (*Env, error) {
	cfg, err := configs.Load(g.config, getenv)
	if err != nil {
		return nil, err
	}
	if g.db != "" {
		cfg.DB = g.db
	}
	loc, err := cfg.Location()
	if err != nil {
		return nil, err
	}
	return &Env{
		Config:  cfg,
		Stdin:   stdin,
		Stdout:  stdout,
		Stderr:  stderr,
		Logger:  newLogger(stderr, cfg.LogLevel),
		Clock:   plan.SystemClock,
		Loc:     loc,
		Getenv:  getenv,
		DBFlag:  g.db,
		OrgFlag: g.org,
	}, nil
}

func newLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		l = slog.LevelInfo
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l}))
}

// DB opens the configured database on first use and runs migrations.
func (e *Env) DB(ctx context.Context) (*storage.DB, error) {
	if e.db != nil {
		return e.db, nil
	}
	db, err := storage.Open(ctx, e.Config.DB, storage.WithClock(e.Clock), storage.WithLogger(e.Logger))
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	e.db = db
	return db, nil
}

// ExistingDB is DB for the commands that only read: a SQLite file that is
// not there is an error that says so, rather than a new empty database.
func (e *Env) ExistingDB(ctx context.Context) (*storage.DB, error) {
	if e.db == nil {
		if path, ok := e.dbExists(); !ok {
			return nil, plan.Errorf(plan.ENotFound, "%s", texts.NoDatabase(path))
		}
	}
	return e.DB(ctx)
}

// Org is the ward the command works on, resolved on first use in the
// database the command opened (call DB or ExistingDB first: a command
// that only reads must not create one): the one --org names, by id or
// short name; without --org, the only ward there is, so that a single
// ward notices nothing; with several and no --org, an error asking for
// it. The errors list the wards there are.
func (e *Env) Org(ctx context.Context) (*plan.Organisation, error) {
	if e.org != nil {
		return e.org, nil
	}
	db, err := e.DB(ctx)
	if err != nil {
		return nil, err
	}
	orgs, err := db.Organisations(ctx)
	if err != nil {
		return nil, err
	}
	o, err := resolveOrg(orgs, e.OrgFlag)
	if err != nil {
		return nil, err
	}
	e.Logger.Debug("organisation", "id", o.ID, "short", o.Short)
	e.org = o
	return o, nil
}

// resolveOrg picks the ward ref names (an id or a short name, any case)
// among orgs, or the only one when ref is "".
func resolveOrg(orgs []plan.Organisation, ref string) (*plan.Organisation, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		switch len(orgs) {
		case 0:
			return nil, plan.Errorf(plan.ENotFound, "%s", texts.OrgNone)
		case 1:
			return &orgs[0], nil
		}
		return nil, plan.Errorf(plan.EInvalid, "%s", texts.OrgAmbiguous(orgs))
	}
	for i := range orgs {
		o := &orgs[i]
		if strconv.FormatInt(o.ID, 10) == ref || (o.Short != "" && o.Short == strings.ToLower(ref)) {
			return o, nil
		}
	}
	return nil, plan.Errorf(plan.ENotFound, "%s", texts.OrgUnknown(ref, orgs))
}

// wardConfig is cfg with the ward's own settings in place of the
// file's: a ward's override wins, an unset one leaves the file's value.
func wardConfig(cfg configs.Config, o *plan.Organisation) configs.Config {
	ov := o.Overrides
	if ov.OrgName != "" && ov.OrgName != cfg.OrgName {
		// Another ward than the file's: its báo cáo is issued in its own
		// name, not the file's ward's.
		cfg.Report.Issuer, cfg.Report.IssuerName, cfg.Report.Place = issuerOf(ov.OrgName)
	}
	if ov.OrgName != "" {
		cfg.OrgName = ov.OrgName
	}
	if ov.Signer != "" {
		cfg.Report.Signer = ov.Signer
	}
	if ov.StandingUnit != "" {
		cfg.Standing.Unit = ov.StandingUnit
	}
	if ov.ZaloMonthlyQuota != nil {
		cfg.Zalo.MonthlyQuota = *ov.ZaloMonthlyQuota
	}
	return cfg
}

// issuerOf is a ward's letterhead from its name, as Nghị định 30/2020
// writes it: "UBND phường Quảng Phú" issues as "ỦY BAN NHÂN DÂN" /
// "PHƯỜNG QUẢNG PHÚ", and dates its báo cáo at "Quảng Phú".
func issuerOf(name string) (lines []string, issuerName, place string) {
	name = strings.Join(strings.Fields(name), " ")
	rest := name
	for _, p := range []string{"UBND ", "Ủy ban nhân dân ", "Uỷ ban nhân dân "} {
		if len(rest) > len(p) && strings.EqualFold(rest[:len(p)], p) {
			rest = rest[len(p):]
			lines = []string{"ỦY BAN NHÂN DÂN"}
			break
		}
	}
	lines = append(lines, strings.ToUpper(rest))
	place = rest
	for _, p := range []string{"phường ", "xã ", "thị trấn "} {
		// A numbered ward keeps its word: "Phường 1", not "1".
		if len(place) > len(p) && strings.EqualFold(place[:len(p)], p) && strings.Trim(place[len(p):], "0123456789") != "" {
			place = place[len(p):]
			break
		}
	}
	return lines, name, place
}

// WardConfig is the configuration with the ward's overrides applied
// (wardConfig of Org): what commands build the ward's messages and
// documents from.
func (e *Env) WardConfig(ctx context.Context) (configs.Config, *plan.Organisation, error) {
	o, err := e.Org(ctx)
	if err != nil {
		return configs.Config{}, nil, err
	}
	return wardConfig(e.Config, o), o, nil
}

// Close releases what the command opened.
func (e *Env) Close() error {
	if e.db != nil {
		return e.db.Close()
	}
	return nil
}

// newFlagSet returns a flag set that reports to the command's stderr and
// turns flag errors into usage errors.
// listArgs reads the arguments of a "… list" command — --json and
// nothing else — and opens the existing database.
func listArgs(ctx context.Context, env *Env, name string, args []string) (asJSON bool, db *storage.DB, err error) {
	fs := newFlagSet(env, name)
	js := fs.Bool("json", false, "in kết quả dạng JSON")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return false, nil, err
	}
	if len(pos) != 0 {
		return false, nil, usageErrorf("lệnh không nhận tham số %q", pos[0])
	}
	db, err = env.ExistingDB(ctx)
	return *js, db, err
}

func newFlagSet(e *Env, name string) *flag.FlagSet {
	fs := flag.NewFlagSet("planbot "+name, flag.ContinueOnError)
	fs.SetOutput(e.Stderr)
	return fs
}

// parseFlags parses args, allowing flags after positional arguments
// (`plan import FILE --json`), and returns the positional ones.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, fmt.Errorf("%w: %v", errUsage, err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// reportError prints err for the person at the terminal and returns the
// exit code. A *plan.Error is shown as is; anything else is logged with
// its chain.
func reportError(w io.Writer, log *slog.Logger, cmd string, err error) int {
	switch {
	case errors.Is(err, flag.ErrHelp):
		return 2
	case errors.Is(err, errUsage):
		fmt.Fprintf(w, "planbot %s: %s\n", cmd, strings.TrimPrefix(err.Error(), errUsage.Error()+": "))
		return 2
	case plan.ErrorMessage(err) != "":
		fmt.Fprintf(w, "planbot %s: %s\n", cmd, plan.ErrorMessage(err))
		return 1
	}
	fmt.Fprintf(w, "planbot %s: lỗi: %v\n", cmd, err)
	return 1
}

func joinArgs(a []string) string { return strings.Join(a, " ") }

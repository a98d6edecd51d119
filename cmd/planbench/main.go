// Command planbench measures planbot where it has to be fast: delivery to
// a Bot API as far away as the real one, progress replies, summaries at a
// province's size, a report day, and memory. It builds its own data and
// runs the project's real code on loopback. Every figure is a ratio
// measured in the same run against a limit or a baseline, so that it holds
// on a noisy machine; absolute times are printed beside them.
//
//	go run ./cmd/planbench [--json] [--postgres DSN] [--only delivery,inbound] [--quick]
//
// docs/benchmarks.md records results and how they were reached.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// A scenario measures one thing and returns its figures by key.
type scenario struct {
	name string
	run  func(ctx context.Context, e *env) (figures, error)
}

// figures are one scenario's results; values are numbers, or nested
// figures for a variant of the scenario (delivery's "faults").
type figures map[string]any

// scenarios in the order they run.
var scenarios = []scenario{
	{"delivery", benchDelivery},
	{"inbound", benchInbound},
	{"summary", benchSummary},
	{"schedule", benchSchedule},
	{"memory", benchMemory},
}

// env is what every scenario shares.
type env struct {
	// postgres is the PostgreSQL DSN, or "" for SQLite files in dir.
	postgres string
	dir      string
	// quick scales every scenario down (the test of this command): the
	// figures then only show that everything runs.
	quick bool
	// planbot is the planbot binary the memory scenario runs ("" builds it).
	planbot string
	log     *slog.Logger
	// progress tells the person waiting what runs; not the results.
	progress io.Writer
}

func (e *env) engine() string {
	if e.postgres != "" {
		return "postgres"
	}
	return "sqlite"
}

// scale returns full, or quick when the run is scaled down.
func (e *env) scale(full, quick int) int {
	if e.quick {
		return quick
	}
	return full
}

func (e *env) say(format string, args ...any) {
	fmt.Fprintf(e.progress, "planbench: "+format+"\n", args...)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("planbench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print the results as one JSON object")
	pg := fs.String("postgres", "", "run on this PostgreSQL `DSN` (a fresh schema, dropped afterwards) instead of SQLite")
	only := fs.String("only", "", "run only these `scenarios`, comma-separated ("+names()+")")
	quick := fs.Bool("quick", false, "scale everything down: checks that it runs, measures nothing")
	planbot := fs.String("planbot", "", "the planbot `binary` the memory scenario runs (default: built with go build)")
	verbose := fs.Bool("v", false, "log what the code under test logs")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the run to `file` (go tool pprof)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	var chosen []scenario
	for _, s := range scenarios {
		if *only == "" || slices.Contains(strings.Split(*only, ","), s.name) {
			chosen = append(chosen, s)
		}
	}
	if len(chosen) == 0 {
		fmt.Fprintf(stderr, "planbench: no scenario named %q (have %s)\n", *only, names())
		return 2
	}
	dir, err := os.MkdirTemp("", "planbench-")
	if err != nil {
		fmt.Fprintln(stderr, "planbench:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	logger := slog.New(slog.DiscardHandler)
	if *verbose {
		logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	e := &env{postgres: *pg, dir: dir, quick: *quick, planbot: *planbot, log: logger, progress: stderr}

	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			fmt.Fprintln(stderr, "planbench:", err)
			return 1
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(stderr, "planbench:", err)
			return 1
		}
		defer pprof.StopCPUProfile()
	}

	out := figures{"engine": e.engine(), "machine": machine(), "quick": *quick}
	failed := false
	for _, s := range chosen {
		e.say("%s …", s.name)
		start := time.Now()
		f, err := s.run(ctx, e)
		if err != nil {
			fmt.Fprintf(stderr, "planbench: %s: %v\n", s.name, err)
			failed = true
			if ctx.Err() != nil {
				break
			}
			continue
		}
		e.say("%s done in %s", s.name, time.Since(start).Round(time.Millisecond))
		out[s.name] = f
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			fmt.Fprintln(stderr, "planbench:", err)
			return 1
		}
	} else {
		printText(stdout, out)
	}
	if failed {
		return 1
	}
	return 0
}

func names() string {
	var n []string
	for _, s := range scenarios {
		n = append(n, s.name)
	}
	return strings.Join(n, ", ")
}

// machine describes where the figures were measured.
func machine() figures {
	m := figures{"cpus": runtime.NumCPU(), "os": runtime.GOOS, "arch": runtime.GOARCH, "go": runtime.Version()}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m["cpu"] = strings.TrimSpace(v)
				break
			}
		}
	}
	return m
}

// printText prints the results as "scenario.key  value" lines, sorted.
func printText(w io.Writer, f figures) {
	var walk func(prefix string, f figures)
	walk = func(prefix string, f figures) {
		keys := make([]string, 0, len(f))
		for k := range f {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			switch v := f[k].(type) {
			case figures:
				walk(prefix+k+".", v)
			case float64:
				fmt.Fprintf(w, "%-36s %.3f\n", prefix+k, v)
			default:
				fmt.Fprintf(w, "%-36s %v\n", prefix+k, v)
			}
		}
	}
	walk("", f)
}

// round3 keeps three decimals: the figures are ratios and milliseconds,
// and more digits would only print noise.
func round3(x float64) float64 {
	return float64(int64(x*1000+0.5)) / 1000
}

// ms returns d in milliseconds, rounded to three decimals.
func ms(d time.Duration) float64 { return round3(float64(d) / float64(time.Millisecond)) }

package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/storage/storagetest"
)

// The summary scenario runs, scaled down, on both engines: its summaries
// agree with the SQL aggregate (it fails otherwise) and it gives every key.
func TestSummaryQuick(t *testing.T) {
	for _, tc := range []struct {
		engine, dsn string
	}{
		{"sqlite", ""},
		{"postgres", os.Getenv(storagetest.PostgresEnv)},
	} {
		t.Run(tc.engine, func(t *testing.T) {
			if tc.engine == "postgres" && tc.dsn == "" {
				t.Skipf("set %s to run on PostgreSQL", storagetest.PostgresEnv)
			}
			e := &env{postgres: tc.dsn, dir: t.TempDir(), quick: true, log: slog.New(slog.DiscardHandler), progress: io.Discard}
			f, err := benchSummary(context.Background(), e)
			if err != nil {
				t.Fatal(err)
			}
			for _, k := range []string{"ward_month_ms", "province_ms", "ratio", "province_1000_ms", "rows", "rows_1000"} {
				if _, ok := f[k]; !ok {
					t.Errorf("no %q in %v", k, f)
				}
			}
		})
	}
}

// BenchmarkSummaryProvince is the scenario's roll-up alone, of 100 and
// 1,000 wards, for a CPU profile without the setup in it:
//
//	go test -run='^$' -bench=SummaryProvince/wards=100 -benchtime=20x -cpuprofile=cpu.out ./cmd/planbench
//	go tool pprof -top -cum -focus='Source..Summary' cpu.out
//
// PLANBENCH_POSTGRES=DSN runs it on PostgreSQL.
func BenchmarkSummaryProvince(b *testing.B) {
	for _, wards := range []int{100, 1000} {
		b.Run(fmt.Sprintf("wards=%d", wards), func(b *testing.B) {
			// A context that can be cancelled, like planbench's (and a
			// request's): go-sqlite3 behaves differently without one.
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
			if err != nil {
				b.Fatal(err)
			}
			e := &env{postgres: os.Getenv("PLANBENCH_POSTGRES"), dir: b.TempDir(), log: slog.New(slog.DiscardHandler), progress: io.Discard}
			p, err := buildSummaryProvince(ctx, e, "profile", wards, 12, loc)
			if err != nil {
				b.Fatal(err)
			}
			defer p.close()
			period := plan.Month(2023, 12)
			b.ResetTimer()
			for range b.N {
				if _, err := p.rollUp(ctx, period); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

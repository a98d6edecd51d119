package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/storage"
)

func init() {
	register(Command{
		Name:    "demo",
		Usage:   "[--db DSN] [--from YYYY-MM-DD] [--to YYYY-MM-DD]",
		Summary: "chạy thử ngoại tuyến một quý của kế hoạch mẫu, in hội thoại (không cần mã bot)",
		Run:     runDemo,
	})
}

func runDemo(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "demo")
	from := fs.String("from", "2023-04-01", "ngày bắt đầu (YYYY-MM-DD)")
	to := fs.String("to", "2023-07-04", "ngày kết thúc, không tính (YYYY-MM-DD)")
	if pos, err := parseFlags(fs, args); err != nil {
		return err
	} else if len(pos) != 0 {
		return usageErrorf("lệnh không nhận tham số %q", pos[0])
	}
	start, err := plan.ParseDate(*from)
	if err != nil {
		return usageErrorf("--from: ngày %q không hợp lệ", *from)
	}
	end, err := plan.ParseDate(*to)
	if err != nil || !start.Before(end) {
		return usageErrorf("--to: ngày %q không hợp lệ hoặc không sau --from", *to)
	}

	dsn := env.DBFlag
	if dsn == "" {
		dir, err := os.MkdirTemp("", "planbot-demo-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		dsn = filepath.Join(dir, "demo.db")
	}
	clock := &demoClock{t: start.At(7, 0, env.Loc)}
	db, err := storage.Open(ctx, dsn, storage.WithClock(clock), storage.WithLogger(quietLogger(env)))
	if err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	defer db.Close()
	if plans, err := db.Plans(ctx, plan.DefaultOrg); err != nil {
		return err
	} else if len(plans) > 0 {
		return plan.Errorf(plan.EConflict, "cơ sở dữ liệu %s đã có dữ liệu; hãy chạy demo với một tệp mới (--db demo.db)", env.DBFlag)
	}

	d, err := newDemo(ctx, env, db, clock)
	if err != nil {
		return err
	}
	defer d.main.Close()
	began := time.Now()
	if err := d.run(ctx, start, end); err != nil {
		return err
	}
	d.footer(ctx, time.Since(began))
	if env.DBFlag != "" {
		fmt.Fprintf(env.Stdout, "\nCơ sở dữ liệu được giữ lại: %s\nXem tổng hợp: planbot --db %s summary --period %s\n",
			env.DBFlag, env.DBFlag, plan.MonthOf(end.AddDays(-1)).Prev().String())
	}
	return nil
}

// quietLogger keeps the transcript readable: only warnings and errors.
func quietLogger(env *Env) *slog.Logger {
	return slog.New(slog.NewTextHandler(env.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

package main

import (
	"context"
	"errors"

	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/texts"
)

func init() {
	register(Command{
		Name:    "serve",
		Summary: "chạy bot: Telegram (PLANBOT_TELEGRAM_TOKEN), nhắc hạn, gửi tin, tổng hợp",
		Run:     runServe,
	})
}

// runServe runs the bot until SIGINT or SIGTERM, then shuts down in order.
func runServe(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "serve")
	if pos, err := parseFlags(fs, args); err != nil {
		return err
	} else if len(pos) != 0 {
		return usageErrorf("lệnh không nhận tham số %q", pos[0])
	}
	// serve runs every ward of the database, each with its own core and
	// scheduler, or the one --org names. Main uses the database opened
	// here (and leaves it to env).
	db, err := env.DB(ctx)
	if err != nil {
		return err
	}
	cfg, orgID := env.Config, int64(0)
	if env.OrgFlag != "" {
		var org *plan.Organisation
		if cfg, org, err = env.WardConfig(ctx); err != nil {
			return err
		}
		orgID = org.ID
	}
	m, err := NewMain(cfg, env.Logger)
	if err != nil {
		return err
	}
	m.Clock, m.DB, m.OrgID, m.Getenv = env.Clock, db, orgID, env.Getenv
	if err := m.Run(ctx); err != nil {
		return err
	}
	select {
	case <-ctx.Done():
		env.Logger.Info("stopping: no new updates; finishing sends in flight")
		return m.Close()
	case err := <-m.Failed():
		cerr := m.Close()
		return errors.Join(plan.Errorf(plan.EInvalid, "%s", texts.TransportStopped(err)), cerr)
	}
}

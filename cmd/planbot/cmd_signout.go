package main

import (
	"context"
	"fmt"
	"strconv"
)

func init() {
	register(Command{
		Name:    "web signout",
		Usage:   "--officer MÃ | --all",
		Summary: "đăng xuất trang web: một cán bộ (mã ở /donvi) hoặc tất cả",
		Run:     runWebSignout,
	})
}

// runWebSignout ends web sessions: one officer's, or everyone's.
func runWebSignout(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "web signout")
	officer := fs.String("officer", "", "mã cán bộ")
	all := fs.Bool("all", false, "đăng xuất tất cả")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 || (*officer == "") == !*all {
		return usageErrorf("cần đúng một trong --officer MÃ hoặc --all")
	}
	db, err := env.ExistingDB(ctx)
	if err != nil {
		return err
	}
	now := env.Clock.Now()
	var n int64
	if *all {
		n, err = db.RevokeAllSessions(ctx, now)
	} else {
		id, perr := strconv.ParseInt(*officer, 10, 64)
		if perr != nil {
			return usageErrorf("mã cán bộ %q không phải số", *officer)
		}
		n, err = db.RevokeOfficerSessions(ctx, id, now)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Đã đăng xuất %d phiên.\n", n)
	return nil
}

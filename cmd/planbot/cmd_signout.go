package main

import (
	"context"
	"fmt"
	"strconv"

	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/texts"
)

func init() {
	register(Command{
		Name:    "web signout",
		Usage:   "--officer MÃ | --all",
		Summary: "đăng xuất trang web: một cán bộ (mã ở /donvi) hoặc tất cả cán bộ của phường",
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
	org, err := env.Org(ctx)
	if err != nil {
		return err
	}
	now := env.Clock.Now()
	var n int64
	if *all {
		n, err = db.RevokeOrgSessions(ctx, org.ID, now)
	} else {
		id, perr := strconv.ParseInt(*officer, 10, 64)
		if perr != nil {
			return usageErrorf("mã cán bộ %q không phải số", *officer)
		}
		// An officer of another ward is not this ward's to sign out.
		o, oerr := db.OfficerStore().OfficerByID(ctx, id)
		if plan.ErrorCode(oerr) == plan.ENotFound || (oerr == nil && o.OrgID != org.ID) {
			return plan.Errorf(plan.ENotFound, "%s", texts.SignoutOtherOrg(id, *org))
		}
		if oerr != nil {
			return fmt.Errorf("find officer %d: %w", id, oerr)
		}
		n, err = db.RevokeOfficerSessions(ctx, id, now)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Đã đăng xuất %d phiên.\n", n)
	return nil
}

package main

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/texts"
)

func init() {
	register(Command{
		Name:    "token create",
		Usage:   "--name TÊN [--role reader|secretariat]",
		Summary: "tạo mã truy cập API (Bearer), in ra một lần duy nhất",
		Run:     runTokenCreate,
	})
	register(Command{
		Name:    "token list",
		Usage:   "[--json]",
		Summary: "liệt kê mã truy cập API: tên, vai trò, ngày tạo, lần dùng cuối, thu hồi",
		Run:     runTokenList,
	})
	register(Command{
		Name:    "token revoke",
		Usage:   "TÊN|MÃ_SỐ",
		Summary: "thu hồi một mã truy cập API",
		Run:     runTokenRevoke,
	})
}

func runTokenCreate(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "token create")
	name := fs.String("name", "", "tên gợi nhớ của mã (ví dụ: bang-dieu-khien)")
	role := fs.String("role", string(plan.APIReader), "vai trò: reader hoặc secretariat (hiện cả hai chỉ được đọc)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageErrorf("không nhận tham số %q; dùng --name", joinArgs(pos))
	}
	if *name == "" {
		return usageErrorf("cần --name")
	}
	if !plan.APIRole(*role).Valid() {
		return usageErrorf("vai trò %q không hợp lệ (reader, secretariat)", *role)
	}
	db, err := env.DB(ctx)
	if err != nil {
		return err
	}
	org, err := env.Org(ctx)
	if err != nil {
		return err
	}
	secret, hash, err := plan.NewAPIToken()
	if err != nil {
		return err
	}
	tok := &plan.APIToken{OrgID: org.ID, Name: *name, Role: plan.APIRole(*role), Hash: hash, CreatedAt: env.Clock.Now()}
	if err := db.CreateAPIToken(ctx, tok); err != nil {
		return err
	}
	fmt.Fprint(env.Stdout, texts.TokenCreated(tok.Name, tok.Role, secret))
	return nil
}

// tokenJSON is one token as `token list --json` prints it (never the
// secret, which is not kept).
type tokenJSON struct {
	ID         int64   `json:"id"`
	Name       string  `json:"name"`
	Role       string  `json:"role"`
	CreatedAt  string  `json:"created_at"`
	LastUsedAt *string `json:"last_used_at"`
	RevokedAt  *string `json:"revoked_at"`
}

func runTokenList(ctx context.Context, env *Env, args []string) error {
	asJSON, db, err := listArgs(ctx, env, "token list", args)
	if err != nil {
		return err
	}
	org, err := env.Org(ctx)
	if err != nil {
		return err
	}
	toks, err := db.ListAPITokens(ctx, org.ID)
	if err != nil {
		return err
	}
	if asJSON {
		out := make([]tokenJSON, 0, len(toks))
		rfc := func(t *time.Time) *string {
			if t == nil {
				return nil
			}
			s := t.In(env.Loc).Format(time.RFC3339)
			return &s
		}
		for _, t := range toks {
			out = append(out, tokenJSON{ID: t.ID, Name: t.Name, Role: string(t.Role), CreatedAt: *rfc(&t.CreatedAt),
				LastUsedAt: rfc(t.LastUsedAt), RevokedAt: rfc(t.RevokedAt)})
		}
		return writeJSON(env.Stdout, out)
	}
	if len(toks) == 0 {
		fmt.Fprintln(env.Stdout, texts.TokenNone)
		return nil
	}
	when := func(t *time.Time) string {
		if t == nil {
			return "—"
		}
		return t.In(env.Loc).Format("15:04 02/01/2006")
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "MÃ SỐ\tTÊN\tVAI TRÒ\tTẠO LÚC\tDÙNG LẦN CUỐI\tTHU HỒI")
	for _, t := range toks {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Name, t.Role, when(&t.CreatedAt), when(t.LastUsedAt), when(t.RevokedAt))
	}
	return tw.Flush()
}

func runTokenRevoke(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "token revoke")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageErrorf("cần đúng một mã truy cập: tên hoặc mã số (xem planbot token list)")
	}
	db, err := env.ExistingDB(ctx)
	if err != nil {
		return err
	}
	org, err := env.Org(ctx)
	if err != nil {
		return err
	}
	// Scoped to the ward: another ward's token, by name or id, is "not
	// found" here.
	tok, err := db.RevokeAPIToken(ctx, org.ID, pos[0], env.Clock.Now())
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, texts.TokenRevoked(tok.Name, tok.ID))
	return nil
}

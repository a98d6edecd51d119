package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/chanhlo/planbot/bot"
	"github.com/chanhlo/planbot/bot/telegram"
	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/texts"
)

func init() {
	register(Command{
		Name:    "invite",
		Usage:   "--unit ĐƠN_VỊ [--role officer|deputy|secretariat|chairman|province] [--messenger telegram|zalo] [--json]",
		Summary: "tạo mã mời đăng ký (dùng một lần): đường liên kết t.me, hoặc mã gõ tay DK XXXX-XXXX cho Zalo",
		Run:     runInvite,
	})
}

// inviteJSON is what `planbot invite --json` prints.
type inviteJSON struct {
	Code    string `json:"code"`
	Link    string `json:"link"`
	Unit    string `json:"unit"`
	Role    string `json:"role"`
	Expires string `json:"expires"`
	// Messenger is "zalo" for a typed code, "telegram" for a link.
	Messenger string `json:"messenger"`
	// Type is what the person types to the bot ("DK 7KQ2-M9XP"), for a
	// typed code.
	Type string `json:"type,omitempty"`
}

func runInvite(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "invite")
	unitFlag := fs.String("unit", "", "đơn vị (viết thế nào cũng được: \"cong an\", \"Tư pháp\")")
	roleFlag := fs.String("role", string(plan.RoleOfficer), "vai trò: officer, deputy, secretariat, chairman; province (cán bộ cấp tỉnh, trong --org của tỉnh)")
	asJSON := fs.Bool("json", false, "in kết quả dạng JSON")
	messenger := fs.String("messenger", "telegram", "kênh: telegram (đường liên kết) hoặc zalo (mã gõ tay DK XXXX-XXXX)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageErrorf("không nhận tham số %q; dùng --unit", joinArgs(pos))
	}
	switch *messenger {
	case "telegram", "zalo":
	default:
		return usageErrorf("kênh %q không hợp lệ (telegram, zalo)", *messenger)
	}
	role, ok := bot.ParseRole(*roleFlag)
	if !ok {
		return usageErrorf("vai trò %q không hợp lệ (officer, deputy, secretariat, chairman, province)", *roleFlag)
	}
	if *unitFlag == "" && (role == plan.RoleOfficer || role == plan.RoleDeputy) {
		return usageErrorf("cần --unit cho %s", role.Vietnamese())
	}
	db, err := env.DB(ctx)
	if err != nil {
		return err
	}
	org, err := env.Org(ctx)
	if err != nil {
		return err
	}
	// The province's people register in the province, a ward's in the ward.
	if (role == plan.RoleProvince) != org.IsProvince() {
		return usageErrorf("%s", texts.InviteRoleOrg(role.Vietnamese(), org.DisplayName(), org.IsProvince()))
	}
	unit := ""
	if *unitFlag != "" {
		known, err := knownUnits(ctx, env)
		if err != nil {
			return err
		}
		if unit, err = bot.ResolveUnit(*unitFlag, known); err != nil {
			return err
		}
	}
	now := env.Clock.Now()
	inv, err := bot.CreateInvite(ctx, db.OfficerStore(), db, bot.InviteSpec{
		OrgID: org.ID, Unit: unit, Role: role, TTL: env.Config.Invites.TTL, Messenger: typedMessenger(*messenger),
	}, now)
	if err != nil {
		return err
	}
	if bot.TypedCodes(inv.Messenger) {
		code := bot.FormatShortCode(inv.Code)
		expires := inv.ExpiresAt.In(env.Loc)
		if *asJSON {
			enc := json.NewEncoder(env.Stdout)
			enc.SetIndent("", "  ")
			enc.SetEscapeHTML(false)
			return enc.Encode(inviteJSON{Code: code, Unit: unit, Role: string(role), Expires: expires.Format(time.RFC3339),
				Messenger: inv.Messenger, Type: "DK " + code})
		}
		fmt.Fprintln(env.Stdout, texts.InviteTypedCLI(unit, role, env.Config.Zalo.BotName, code, expires.Format("15:04 02/01/2006")))
		return nil
	}
	link := ""
	if u := inviteUsername(env, org); u != "" {
		link = bot.InviteLink(u, inv.Code)
	}
	expires := inv.ExpiresAt.In(env.Loc)
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(inviteJSON{Code: inv.Code, Link: link, Unit: unit, Role: string(role), Expires: expires.Format(time.RFC3339), Messenger: "telegram"})
	}
	who := role.Vietnamese()
	if unit != "" {
		who += " của " + unit
	}
	if link == "" {
		link = texts.InviteNoLink(inv.Code)
	}
	fmt.Fprintf(env.Stdout, "Mã mời cho %s: %s\nĐường liên kết: %s\nHạn dùng: %s (dùng một lần)\n",
		who, inv.Code, link, expires.Format("15:04 02/01/2006"))
	return nil
}

// inviteUsername is the real bot's username for the link: the ward's own
// bot's (getMe with PLANBOT_TELEGRAM_TOKEN_<WARD>) when it has one, else
// the configured one, else getMe's when the shared token is set; "" when
// none is known (the link would name a bot that is not ours).
func inviteUsername(env *Env, org *plan.Organisation) string {
	tc := env.Config.Telegram
	token := ""
	if org != nil && org.Short != "" && env.Getenv != nil {
		token = strings.TrimSpace(env.Getenv(WardTokenEnv(org.Short)))
	}
	if token == "" {
		if u := env.Config.BotUsername(); u != "" {
			return u
		}
		token = tc.Token
	}
	if token == "" {
		return ""
	}
	tr, err := telegram.New(telegram.Config{Token: token, API: tc.API, RequestTimeout: 10 * time.Second, Logger: env.Logger})
	if err != nil {
		fmt.Fprintf(env.Stderr, "%s\n", texts.InviteGetMeFailed)
		env.Logger.Warn("invite: getMe", "err", err)
		return ""
	}
	return tr.Username()
}

// knownUnits returns the units of the ward's newest stored plan, or
// every unit of the ward when no plan names any.
func knownUnits(ctx context.Context, env *Env) ([]string, error) {
	db, err := env.DB(ctx)
	if err != nil {
		return nil, err
	}
	org, err := env.Org(ctx)
	if err != nil {
		return nil, err
	}
	plans, err := db.Plans(ctx, org.ID)
	if err != nil {
		return nil, fmt.Errorf("load plans: %w", err)
	}
	if len(plans) > 0 && len(plans[0].Units) > 0 {
		return plans[0].Units, nil
	}
	units, err := db.Units(ctx, org.ID)
	if err != nil {
		return nil, fmt.Errorf("load units: %w", err)
	}
	out := make([]string, len(units))
	for i, u := range units {
		out[i] = u.Name
	}
	return out, nil
}

// typedMessenger is the invite's messenger when its codes are typed.
func typedMessenger(m string) string {
	if bot.TypedCodes(m) {
		return m
	}
	return ""
}

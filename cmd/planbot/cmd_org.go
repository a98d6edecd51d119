package main

import (
	"context"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/chanhlo/planbot/importer"
	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/texts"
)

func init() {
	register(Command{
		Name:    "org add",
		Usage:   "--name TÊN [--short TÊN_NGẮN] [--signer HỌ_TÊN] [--standing ĐƠN_VỊ] [--zalo-quota SỐ_TIN] [--province]",
		Summary: "thêm một phường vào cơ sở dữ liệu (nhiều phường chung một bot); các lệnh khác chọn phường bằng --org",
		Run:     runOrgAdd,
	})
	register(Command{
		Name:    "org set",
		Usage:   "[--name TÊN] [--short TÊN_NGẮN] [--signer HỌ_TÊN] [--standing ĐƠN_VỊ] [--zalo-quota SỐ_TIN]",
		Summary: "sửa tên, tên ngắn hoặc thiết lập riêng của phường --org (giá trị rỗng \"\": bỏ, dùng lại tệp cấu hình)",
		Run:     runOrgSet,
	})
	register(Command{
		Name:    "org list",
		Usage:   "[--json]",
		Summary: "liệt kê các phường: mã, tên ngắn (dùng với --org), tên, thiết lập riêng",
		Run:     runOrgList,
	})
}

func runOrgAdd(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "org add")
	name := fs.String("name", "", "tên phường, ví dụ \"UBND phường Chánh Lộ\"")
	short := fs.String("short", "", "tên ngắn gõ sau --org: chữ thường không dấu, số, gạch ngang (mặc định: lấy từ tên, ví dụ chanh-lo)")
	signer := fs.String("signer", "", "họ tên người ký báo cáo của phường (mặc định: report.signer trong tệp cấu hình)")
	standing := fs.String("standing", "", "cơ quan thường trực của phường (mặc định: standing.unit trong tệp cấu hình)")
	quota := fs.String("zalo-quota", "", "hạn mức tin Zalo mỗi tháng của phường, 0: không giới hạn (mặc định: zalo.monthly_quota)")
	province := fs.Bool("province", false, "tổ chức cấp tỉnh (Công an tỉnh, Văn phòng UBND tỉnh): theo dõi tổng hợp mọi xã, phường, không có kế hoạch riêng")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageErrorf("không nhận tham số %q; dùng --name", joinArgs(pos))
	}
	if strings.TrimSpace(*name) == "" {
		return usageErrorf("cần --name, ví dụ: planbot org add --name \"UBND phường Chánh Lộ\" --short chanh-lo")
	}
	// The name a ward is added with is how its pages call it: without
	// this override it would show the configuration file's org_name,
	// which names the deployment's first ward.
	o := plan.Organisation{Name: *name, Short: strings.TrimSpace(*short),
		Overrides: plan.OrgOverrides{OrgName: *name, Signer: *signer, StandingUnit: *standing}}
	if o.Short == "" {
		o.Short = deriveShort(*name)
	}
	if *province {
		o.Kind = plan.OrgProvince
	}
	if *quota != "" {
		q, err := parseQuota(*quota)
		if err != nil {
			return err
		}
		o.Overrides.ZaloMonthlyQuota = q
	}
	db, err := env.DB(ctx)
	if err != nil {
		return err
	}
	if err := db.CreateOrganisation(ctx, &o); err != nil {
		return err
	}
	env.Logger.Info("organisation added", "id", o.ID, "short", o.Short)
	fmt.Fprint(env.Stdout, texts.OrgAdded(o))
	return nil
}

// runOrgSet changes the ward --org names: only the flags given, an empty
// value clearing an override (the configuration file's value then
// applies) or the short name (the ward is then named by its id). This is
// how ward 1, made by the first migration as "UBND phường" without a
// short name, gets its real name once a second ward arrives.
func runOrgSet(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "org set")
	name := fs.String("name", "", "tên phường (cũng là tên hiển thị trên trang web)")
	short := fs.String("short", "", "tên ngắn gõ sau --org; rỗng: bỏ tên ngắn")
	signer := fs.String("signer", "", "họ tên người ký báo cáo; rỗng: theo tệp cấu hình")
	standing := fs.String("standing", "", "cơ quan thường trực; rỗng: theo tệp cấu hình")
	quota := fs.String("zalo-quota", "", "hạn mức tin Zalo mỗi tháng, 0: không giới hạn; rỗng: theo tệp cấu hình")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageErrorf("không nhận tham số %q", joinArgs(pos))
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	if len(given) == 0 {
		return usageErrorf("cần ít nhất một thay đổi: --name, --short, --signer, --standing hoặc --zalo-quota")
	}
	if _, err := env.ExistingDB(ctx); err != nil {
		return err
	}
	org, err := env.Org(ctx)
	if err != nil {
		return err
	}
	o := *org
	if given["name"] {
		if strings.TrimSpace(*name) == "" {
			return usageErrorf("tên phường không được để trống")
		}
		o.Name, o.Overrides.OrgName = *name, *name
	}
	if given["short"] {
		o.Short = strings.TrimSpace(*short)
	}
	if given["signer"] {
		o.Overrides.Signer = *signer
	}
	if given["standing"] {
		o.Overrides.StandingUnit = *standing
	}
	if given["zalo-quota"] {
		o.Overrides.ZaloMonthlyQuota = nil
		if strings.TrimSpace(*quota) != "" {
			q, err := parseQuota(*quota)
			if err != nil {
				return err
			}
			o.Overrides.ZaloMonthlyQuota = q
		}
	}
	db, err := env.DB(ctx)
	if err != nil {
		return err
	}
	if err := db.UpdateOrganisation(ctx, &o); err != nil {
		return err
	}
	env.Logger.Info("organisation changed", "id", o.ID, "short", o.Short)
	fmt.Fprint(env.Stdout, texts.OrgChanged(o))
	return nil
}

// parseQuota reads --zalo-quota: a count of messages, 0 for no limit.
func parseQuota(v string) (*int64, error) {
	q, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil || q < 0 {
		return nil, usageErrorf("%s", texts.OrgQuotaInvalid(v))
	}
	return &q, nil
}

// adminWords begin nearly every ward's name ("UBND phường", "Ủy ban
// nhân dân xã", "Thị trấn") and tell no ward from another: a short name
// made from the name leaves them out.
var adminWords = map[string]bool{
	"ubnd": true, "uy": true, "ban": true, "nhan": true, "dan": true,
	"phuong": true, "xa": true, "thi": true, "tran": true,
}

// deriveShort makes a short name from a ward's name: "UBND phường Chánh
// Lộ" gives "chanh-lo". The whole name is used when what is left after
// the administrative words would not do ("Phường 1" gives "phuong-1"),
// and "" when neither does (the ward is then named by its id).
func deriveShort(name string) string {
	words := strings.Fields(importer.Key(name))
	full := slug(words)
	for len(words) > 1 && adminWords[words[0]] {
		words = words[1:]
	}
	for _, s := range []string{slug(words), full} {
		if len(s) > plan.MaxOrgShort {
			s = strings.TrimRight(s[:plan.MaxOrgShort], "-")
		}
		if plan.ValidateOrgShort(s) == nil {
			return s
		}
	}
	return ""
}

// slug joins words with hyphens, keeping only a–z and 0–9.
func slug(words []string) string {
	var parts []string
	for _, w := range words {
		var b strings.Builder
		for _, r := range w {
			if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
				b.WriteRune(r)
			}
		}
		if b.Len() > 0 {
			parts = append(parts, b.String())
		}
	}
	return strings.Join(parts, "-")
}

// orgJSON is one ward as `org list --json` prints it; an override left
// to the configuration file is absent.
type orgJSON struct {
	ID               int64  `json:"id"`
	Short            string `json:"short,omitempty"`
	Name             string `json:"name"`
	CreatedAt        string `json:"created_at"`
	OrgName          string `json:"org_name,omitempty"`
	Signer           string `json:"signer,omitempty"`
	StandingUnit     string `json:"standing_unit,omitempty"`
	ZaloMonthlyQuota *int64 `json:"zalo_monthly_quota,omitempty"`
	Kind             string `json:"kind"`
}

func runOrgList(ctx context.Context, env *Env, args []string) error {
	asJSON, db, err := listArgs(ctx, env, "org list", args)
	if err != nil {
		return err
	}
	orgs, err := db.Organisations(ctx)
	if err != nil {
		return err
	}
	if asJSON {
		out := make([]orgJSON, 0, len(orgs))
		for _, o := range orgs {
			ov := o.Overrides
			out = append(out, orgJSON{ID: o.ID, Short: o.Short, Name: o.Name, CreatedAt: o.CreatedAt.In(env.Loc).Format(time.RFC3339),
				OrgName: ov.OrgName, Signer: ov.Signer, StandingUnit: ov.StandingUnit, ZaloMonthlyQuota: ov.ZaloMonthlyQuota, Kind: string(o.Kind)})
		}
		return writeJSON(env.Stdout, out)
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, texts.OrgListHeader)
	for _, o := range orgs {
		short := o.Short
		if short == "" {
			short = "—"
		}
		name := o.Name
		if o.IsProvince() {
			name += " " + texts.OrgProvinceMark
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", o.ID, short, name, texts.OrgOverridesLine(o.Overrides))
	}
	return tw.Flush()
}

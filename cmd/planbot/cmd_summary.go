package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/chanhlo/planbot/calendar"
	"github.com/chanhlo/planbot/configs"
	"github.com/chanhlo/planbot/docx"
	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/report"
	"github.com/chanhlo/planbot/summary"
	"github.com/chanhlo/planbot/xlsx"
)

func init() {
	register(Command{
		Name:    "summary",
		Usage:   "[--period 2023-05|05/2023|Q2/2023|2023-H1|2023] [--plan KÝ_HIỆU] [--json] [--xlsx FILE] [--docx FILE]",
		Summary: "tổng hợp tình hình thực hiện kế hoạch theo kỳ (mặc định: tháng trước)",
		Run:     runSummary,
	})
}

func runSummary(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "summary")
	periodArg := fs.String("period", "", "kỳ tổng hợp: 2023-05, 05/2023, Q2/2023 hoặc 2023 (mặc định: tháng trước)")
	asJSON := fs.Bool("json", false, "in kết quả dạng JSON")
	xlsxPath := fs.String("xlsx", "", "ghi bảng tổng hợp ra tệp .xlsx")
	docxPath := fs.String("docx", "", "ghi dự thảo báo cáo (thể thức Nghị định 30/2020) ra tệp .docx")
	planRef := fs.String("plan", "", "kế hoạch: ký hiệu (ĐA06, CĐS…), mã hoặc số (mặc định: kế hoạch mới nhất đang chạy)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	now := env.Clock.Now().In(env.Loc)
	period, err := periodOf(env, pos, *periodArg, now)
	if err != nil {
		return err
	}
	src, cfg, err := summarySource(ctx, env)
	if err != nil {
		return err
	}
	// A period not yet over is judged as of today.
	asOf := plan.Date{}
	if today := plan.DateOf(now); period.Contains(today) {
		asOf = today
	}
	p, err := choosePlan(ctx, src, *planRef)
	if err != nil {
		return err
	}
	s, err := src.SummaryOf(ctx, p, period, asOf)
	if err != nil {
		return err
	}
	if *xlsxPath != "" {
		b, err := xlsx.Bytes(s)
		if err != nil {
			return err
		}
		if err := os.WriteFile(*xlsxPath, b, 0o644); err != nil {
			return fileError(*xlsxPath, err)
		}
		fmt.Fprintf(env.Stderr, "Đã ghi %s.\n", *xlsxPath)
	}
	if *docxPath != "" {
		doc, err := docx.Document(report.Build(s, p, cfg.Report.Letterhead(), plan.DateOf(now)))
		if err != nil {
			return err
		}
		if err := os.WriteFile(*docxPath, doc.Data, 0o644); err != nil {
			return fileError(*docxPath, err)
		}
		fmt.Fprintf(env.Stderr, "Đã ghi %s.\n", *docxPath)
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(s)
	}
	for _, part := range s.Text(summary.TextOptions{MaxText: 1 << 20}) {
		fmt.Fprintln(env.Stdout, htmlToTerminal(part))
	}
	return nil
}

// htmlToTerminal strips the chat markup for a terminal.
var htmlToTerminal = strings.NewReplacer("<b>", "", "</b>", "", "<i>", "", "</i>", "", "<code>", "", "</code>",
	"", "&lt;", "<", "&gt;", ">", "&amp;", "&", "&#34;", `"`, "&#39;", "'").Replace

// choosePlan is the plan a command is about, among src's ward's: the one
// ref names (tag, id or number, archived ones included), else the newest
// running plan.
func choosePlan(ctx context.Context, src *summary.Source, ref string) (*plan.Plan, error) {
	if ref == "" {
		return src.CurrentPlan(ctx)
	}
	plans, err := src.Plans.Plans(ctx, src.OrgID)
	if err != nil {
		return nil, fmt.Errorf("list plans: %w", err)
	}
	if p := findPlan(plans, ref); p != nil {
		return p, nil
	}
	return nil, usageErrorf("không có kế hoạch %q; xem planbot plan list", ref)
}

// periodOf reads the period of a summary command: --period or the one
// positional argument; default the last full month.
func periodOf(env *Env, pos []string, arg string, now time.Time) (plan.Period, error) {
	switch {
	case len(pos) == 1 && arg == "":
		arg = pos[0]
	case len(pos) > 0:
		return plan.Period{}, usageErrorf("tham số thừa: %s", strings.Join(pos, " "))
	}
	if arg == "" {
		return summary.LastFullMonth(now, env.Loc), nil
	}
	p, err := plan.ParsePeriod(arg)
	if err != nil {
		return plan.Period{}, usageErrorf("%v", err)
	}
	return p, nil
}

// summarySource computes the ward's summaries from the existing
// database; cfg is the configuration with the ward's overrides (its
// signer) for the documents.
func summarySource(ctx context.Context, env *Env) (*summary.Source, configs.Config, error) {
	db, err := env.ExistingDB(ctx)
	if err != nil {
		return nil, configs.Config{}, err
	}
	cfg, org, err := env.WardConfig(ctx)
	if err != nil {
		return nil, configs.Config{}, err
	}
	return &summary.Source{
		Plans: db, Progress: db, Workdays: calendar.New(cfg.Calendar), OrgID: org.ID,
		Loc: env.Loc, DueSoonDays: cfg.Summary.DueSoonDays, Officers: db.OfficerStore(),
	}, cfg, nil
}

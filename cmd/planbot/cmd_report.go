package main

import (
	"context"
	"fmt"
	"os"

	"github.com/chanhlo/planbot/docx"
	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/report"
	"github.com/chanhlo/planbot/summary"
	"github.com/chanhlo/planbot/xlsx"
)

func init() {
	register(Command{
		Name:    "report",
		Usage:   "[--period 2023-05|Q2/2023|2023-H1|2023] [--plan KÝ_HIỆU] [--date YYYY-MM-DD] [--docx FILE] [--xlsx FILE] [--text]",
		Summary: "dự thảo báo cáo (.docx, thể thức Nghị định 30/2020) và phụ lục (.xlsx) của một kỳ",
		Run:     runReport,
	})
}

func runReport(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "report")
	periodArg := fs.String("period", "", "kỳ báo cáo: 2023-05, Q2/2023, 2023-H1 (6 tháng), 2023 (mặc định: tháng trước)")
	dateArg := fs.String("date", "", "ngày ghi trên báo cáo, YYYY-MM-DD (mặc định: hôm nay)")
	docxPath := fs.String("docx", "", "tệp .docx (mặc định: bao-cao-KỲ.docx)")
	xlsxPath := fs.String("xlsx", "", "tệp .xlsx của phụ lục (mặc định: phu-luc-KỲ.xlsx)")
	asText := fs.Bool("text", false, "in nội dung báo cáo ra màn hình, không ghi tệp")
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
	day := plan.DateOf(now)
	if *dateArg != "" {
		if day, err = plan.ParseDate(*dateArg); err != nil {
			return usageErrorf("ngày %q: cần dạng YYYY-MM-DD", *dateArg)
		}
	}
	src, cfg, err := summarySource(ctx, env)
	if err != nil {
		return err
	}
	p, err := choosePlan(ctx, src, *planRef)
	if err != nil {
		return err
	}
	d, err := buildReport(ctx, src, p, cfg.Report.Letterhead(), period, day)
	if err != nil {
		return err
	}
	if *asText {
		fmt.Fprint(env.Stdout, d.Text())
		return nil
	}
	if *docxPath == "" {
		*docxPath = docx.FileName(period)
	}
	if *xlsxPath == "" {
		*xlsxPath = appendixFileName(period)
	}
	docs, err := reportDocuments(d)
	if err != nil {
		return err
	}
	for i, path := range []string{*docxPath, *xlsxPath} {
		if err := os.WriteFile(path, docs[i].Data, 0o644); err != nil {
			return fileError(path, err)
		}
		fmt.Fprintf(env.Stdout, "Đã ghi %s.\n", path)
	}
	return nil
}

// buildReport drafts the báo cáo of period, judged as of today while the
// period runs, dated day.
func buildReport(ctx context.Context, src *summary.Source, p *plan.Plan, lh plan.Letterhead, period plan.Period, day plan.Date) (*report.Draft, error) {
	asOf := plan.Date{}
	if period.Contains(day) {
		asOf = day
	}
	s, err := src.SummaryOf(ctx, p, period, asOf)
	if err != nil {
		return nil, err
	}
	return report.Build(s, p, lh, day), nil
}

// appendixFileName names the appendix workbook: "phu-luc-2023-05.xlsx".
func appendixFileName(p plan.Period) string { return "phu-luc-" + p.String() + ".xlsx" }

// reportDocuments are the báo cáo (.docx) and its appendix (.xlsx).
func reportDocuments(d *report.Draft) ([]plan.Document, error) {
	word, err := docx.Document(d)
	if err != nil {
		return nil, err
	}
	book, err := xlsx.Document(d.Summary, xlsx.WithLetterhead(d.Letterhead, d.Date))
	if err != nil {
		return nil, err
	}
	book.Name = appendixFileName(d.Period)
	return []plan.Document{*word, *book}, nil
}

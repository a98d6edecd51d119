package main

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"regexp"
	"strings"
	"text/tabwriter"

	"github.com/chanhlo/planbot/configs"
	"github.com/chanhlo/planbot/importer"
	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/scheduler"
	"github.com/chanhlo/planbot/texts"
)

func init() {
	register(Command{
		Name:    "schedule preview",
		Usage:   "--from YYYY-MM-DD --to YYYY-MM-DD [--json]",
		Summary: "xem trước các nhắc việc sẽ gửi từ ngày --from đến hết ngày --to",
		Run:     runSchedulePreview,
	})
}

// previewJSON is one line of `schedule preview --json`.
type previewJSON struct {
	At   string `json:"at"`
	Task string `json:"task"`
	Unit string `json:"unit"`
	Kind string `json:"kind"`
	Text string `json:"text"`
}

func runSchedulePreview(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "schedule preview")
	fromArg := fs.String("from", "", "ngày đầu, YYYY-MM-DD")
	toArg := fs.String("to", "", "ngày cuối (tính cả ngày này), YYYY-MM-DD")
	asJSON := fs.Bool("json", false, "in kết quả dạng JSON")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return usageErrorf("tham số thừa: %s", strings.Join(pos, " "))
	}
	if *fromArg == "" || *toArg == "" {
		return usageErrorf("cần --from và --to, ví dụ: --from 2023-04-01 --to 2023-07-01")
	}
	from, err := plan.ParseDate(*fromArg)
	if err != nil {
		return usageErrorf("--from %q: cần dạng YYYY-MM-DD", *fromArg)
	}
	to, err := plan.ParseDate(*toArg)
	if err != nil {
		return usageErrorf("--to %q: cần dạng YYYY-MM-DD", *toArg)
	}
	if to.Before(from) {
		return usageErrorf("--from phải trước hoặc trùng --to")
	}
	if from.DaysUntil(to) > 3*366 {
		return usageErrorf("khoảng thời gian dài quá 3 năm")
	}
	pol, err := reminderPolicy(env.Config.Reminders)
	if err != nil {
		return err
	}
	plans, statuses, err := previewPlans(ctx, env)
	if err != nil {
		return err
	}
	cal := workCalendar(env.Config)
	loc := cal.Location()
	var rs []plan.Reminder
	byID := map[int64]*plan.Plan{}
	for i := range plans {
		p := &plans[i]
		byID[p.ID] = p
		// The window is [from 00:00, the day after to 00:00): --to is
		// included.
		rs = append(rs, pol.Due(cal, p, statuses[p.ID], from.In(loc), to.AddDays(1).In(loc))...)
		var waiting []string
		for _, t := range scheduler.Waiting(p) {
			waiting = append(waiting, t.Code)
		}
		if len(waiting) > 0 {
			fmt.Fprintf(env.Stderr, "Chưa nhắc (chờ điều kiện; đặt hạn bằng /sethan): %s\n", strings.Join(waiting, ", "))
		}
		var undated []string
		for _, t := range scheduler.Undated(p) {
			undated = append(undated, t.Code)
		}
		if len(undated) > 0 {
			fmt.Fprintf(env.Stderr, "Chưa có thời hạn (nhắc báo cáo hằng tháng; đặt hạn bằng /sethan): %s\n", strings.Join(undated, ", "))
		}
	}
	scheduler.SortReminders(rs)
	out := make([]previewJSON, 0, len(rs))
	for _, r := range rs {
		p := byID[r.PlanID]
		it := scheduler.Describe(cal, p.Task(r.TaskCode), r, plan.DateOf(r.At.In(loc)))
		out = append(out, previewJSON{
			At:   r.At.In(loc).Format("2006-01-02T15:04:05-07:00"),
			Task: r.TaskCode,
			Unit: r.Unit,
			Kind: string(r.Kind),
			Text: plainText(texts.ReminderLine(it)),
		})
	}
	if *asJSON {
		return writeJSON(env.Stdout, out)
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "THỜI ĐIỂM\tLOẠI\tNV\tĐƠN VỊ\tNỘI DUNG")
	count := map[string]int{}
	for i, o := range out {
		count[o.Kind]++
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", rs[i].At.In(loc).Format("02/01/2006 15:04"), texts.ReminderKindName(plan.ReminderKind(o.Kind)), o.Task, o.Unit, shorten(o.Text, 70))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	var parts []string
	for _, k := range []plan.ReminderKind{plan.RemindBefore, plan.RemindDue, plan.RemindOverdue, plan.RemindEscalation,
		plan.RemindStart, plan.RemindReportRequest, plan.RemindChaser} {
		if n := count[string(k)]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", texts.ReminderKindName(k), n))
		}
	}
	fmt.Fprintf(env.Stdout, "Tổng: %d nhắc việc từ %s đến hết %s (%s).\n", len(out), from.Vietnamese(), to.Vietnamese(), strings.Join(parts, ", "))
	return nil
}

// previewPlans returns the stored plans, with what is recorded as done on
// each, or the bundled sample plan when none is stored (or there is no
// database: a preview creates none).
func previewPlans(ctx context.Context, env *Env) ([]plan.Plan, map[int64]scheduler.Status, error) {
	statuses := map[int64]scheduler.Status{}
	if _, ok := env.dbExists(); ok {
		db, err := env.DB(ctx)
		if err != nil {
			return nil, nil, err
		}
		org, err := env.Org(ctx)
		if err != nil {
			return nil, nil, err
		}
		plans, err := db.Plans(ctx, org.ID)
		if err != nil {
			return nil, nil, fmt.Errorf("load plans: %w", err)
		}
		for _, p := range plans {
			st, err := scheduler.DoneStatus(ctx, db, p.OrgID, p.ID)
			if err != nil {
				return nil, nil, err
			}
			statuses[p.ID] = st
		}
		if len(plans) > 0 {
			return plans, statuses, nil
		}
	}
	p, err := importer.Parse(bytes.NewReader(configs.SamplePlan), configs.SamplePlanName)
	if err != nil {
		return nil, nil, fmt.Errorf("sample plan: %w", err)
	}
	fmt.Fprintf(env.Stderr, "Chưa có kế hoạch nào được lưu: xem trước với kế hoạch mẫu %s.\n", configs.SamplePlanName)
	return []plan.Plan{*p}, statuses, nil
}

var tags = regexp.MustCompile(`</?(b|i|code)>`)

// plainText turns a chat message's HTML into plain text.
func plainText(s string) string { return html.UnescapeString(tags.ReplaceAllString(s, "")) }

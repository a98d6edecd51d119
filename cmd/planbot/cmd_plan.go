package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/chanhlo/planbot/bot"
	"github.com/chanhlo/planbot/importer"
	"github.com/chanhlo/planbot/plan"
)

func init() {
	register(Command{
		Name:    "plan import",
		Usage:   "FILE [--json] [--save]",
		Summary: "đọc kế hoạch (.txt, .md, .docx), in bảng rà soát; --save lưu vào CSDL",
		Run:     runPlanImport,
	})
	register(Command{
		Name:    "plan archive",
		Usage:   "MÃ|KÝ_HIỆU [--undo]",
		Summary: "lưu trữ một kế hoạch đã hết năm (không nhắc việc nữa, giữ nguyên lịch sử); --undo để chạy lại",
		Run:     runPlanArchive,
	})
	register(Command{
		Name:    "plan list",
		Usage:   "[--json]",
		Summary: "liệt kê các kế hoạch đã lưu",
		Run:     runPlanList,
	})
}

func runPlanImport(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "plan import")
	asJSON := fs.Bool("json", false, "in kết quả dạng JSON")
	save := fs.Bool("save", false, "lưu kế hoạch vào cơ sở dữ liệu")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageErrorf("cần đúng một tệp kế hoạch, ví dụ: planbot plan import ke-hoach.txt")
	}
	p, err := readPlanFile(pos[0])
	if err != nil {
		return err
	}
	if *save {
		db, err := env.DB(ctx)
		if err != nil {
			return err
		}
		org, err := env.Org(ctx)
		if err != nil {
			return err
		}
		p.OrgID = org.ID
		res, err := db.SavePlan(ctx, p)
		if err != nil {
			return fmt.Errorf("save plan %s: %w", p.Key(), err)
		}
		// The confirmation goes to stderr so that --json output stays one document.
		if res.Created {
			fmt.Fprintf(env.Stderr, "Đã lưu kế hoạch mới (mã %d): %d nhiệm vụ.\n", p.ID, res.Added)
		} else {
			fmt.Fprintf(env.Stderr, "Đã cập nhật kế hoạch (mã %d): thêm %d, sửa %d, bỏ %d nhiệm vụ; lịch sử báo cáo được giữ nguyên.\n",
				p.ID, res.Added, res.Updated, res.Removed)
		}
	}
	if *asJSON {
		return writeJSON(env.Stdout, importer.NewReview(p))
	}
	return importer.WriteReview(env.Stdout, p)
}

// readPlanFile reads and parses one plan document. "-" reads stdin.
func readPlanFile(path string) (*plan.Plan, error) {
	var r io.Reader
	if path == "-" {
		r = os.Stdin
	} else {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fileError(path, err)
		}
		r = bytes.NewReader(b)
	}
	p, err := importer.Parse(r, filepath.Base(path))
	if err != nil {
		return nil, fmt.Errorf("import %s: %w", path, err)
	}
	return p, nil
}

func runPlanList(ctx context.Context, env *Env, args []string) error {
	asJSON, db, err := listArgs(ctx, env, "plan list", args)
	if err != nil {
		return err
	}
	org, err := env.Org(ctx)
	if err != nil {
		return err
	}
	plans, err := db.Plans(ctx, org.ID)
	if err != nil {
		return fmt.Errorf("list plans of organisation %d: %w", org.ID, err)
	}
	tags := bot.PlanTags(plans)
	if asJSON {
		out := make([]planListJSON, 0, len(plans))
		for _, p := range plans {
			out = append(out, planListJSON{ID: p.ID, Tag: tags[p.ID], Number: p.Number, Title: p.Title, Year: p.Year,
				TaskCount: len(p.Tasks), UnitCount: len(p.Units), Archived: !p.Active()})
		}
		return writeJSON(env.Stdout, out)
	}
	if len(plans) == 0 {
		fmt.Fprintln(env.Stdout, "Chưa có kế hoạch nào. Dùng: planbot plan import TỆP --save")
		return nil
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "MÃ\tKÝ HIỆU\tSỐ\tNĂM\tNHIỆM VỤ\tĐƠN VỊ\tTRẠNG THÁI\tTÊN")
	for _, p := range plans {
		state := "đang chạy"
		if !p.Active() {
			state = "đã lưu trữ"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%d\t%d\t%s\t%s\n", p.ID, tags[p.ID], p.Number, p.Year, len(p.Tasks), len(p.Units), state, shorten(p.Title, 60))
	}
	return tw.Flush()
}

// planListJSON is one plan as `plan list --json` prints it; `plan show`
// gives the tasks.
type planListJSON struct {
	ID int64 `json:"id"`
	// Tag is typed before a task code when several plans run ("CĐS 2.1").
	Tag       string `json:"tag"`
	Archived  bool   `json:"archived"`
	Number    string `json:"number"`
	Title     string `json:"title"`
	Year      int    `json:"year"`
	TaskCount int    `json:"task_count"`
	UnitCount int    `json:"unit_count"`
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// shorten cuts s to at most n runes, marking the cut with an ellipsis.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// runPlanArchive archives a plan (or, with --undo, runs it again).
func runPlanArchive(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "plan archive")
	undo := fs.Bool("undo", false, "chạy lại kế hoạch đã lưu trữ")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageErrorf("cần đúng một kế hoạch: mã (cột MÃ của plan list) hoặc ký hiệu (ĐA06, CĐS…)")
	}
	db, err := env.ExistingDB(ctx)
	if err != nil {
		return err
	}
	org, err := env.Org(ctx)
	if err != nil {
		return err
	}
	// Only the ward's own plans are looked in: another ward's plan id
	// is "no such plan" here.
	plans, err := db.Plans(ctx, org.ID)
	if err != nil {
		return fmt.Errorf("list plans of organisation %d: %w", org.ID, err)
	}
	p := findPlan(plans, pos[0])
	if p == nil {
		return plan.Errorf(plan.ENotFound, "Không có kế hoạch %q; xem planbot plan list.", pos[0])
	}
	var at *time.Time
	if !*undo {
		now := env.Clock.Now()
		at = &now
	}
	if err := db.ArchivePlan(ctx, p.ID, at); err != nil {
		return err
	}
	if *undo {
		fmt.Fprintf(env.Stdout, "Kế hoạch %s (%s) chạy lại: nhắc việc và báo cáo như trước.\n", bot.PlanTags(plans)[p.ID], p.Number)
	} else {
		fmt.Fprintf(env.Stdout, "Đã lưu trữ kế hoạch %s (%s): không nhắc việc nữa; số liệu và báo cáo cũ vẫn giữ.\n", bot.PlanTags(plans)[p.ID], p.Number)
	}
	return nil
}

// findPlan finds a plan by id, tag (any spelling) or number.
func findPlan(plans []plan.Plan, ref string) *plan.Plan {
	tags := bot.PlanTags(plans)
	for i := range plans {
		p := &plans[i]
		if strconv.FormatInt(p.ID, 10) == ref || importer.Key(tags[p.ID]) == importer.Key(ref) || p.Number == ref {
			return p
		}
	}
	return nil
}

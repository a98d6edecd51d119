package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"text/tabwriter"

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
	fs := newFlagSet(env, "plan list")
	asJSON := fs.Bool("json", false, "in kết quả dạng JSON")
	if pos, err := parseFlags(fs, args); err != nil {
		return err
	} else if len(pos) != 0 {
		return usageErrorf("lệnh không nhận tham số %q", pos[0])
	}
	db, err := env.ExistingDB(ctx)
	if err != nil {
		return err
	}
	plans, err := db.Plans(ctx, plan.DefaultOrg)
	if err != nil {
		return fmt.Errorf("list plans: %w", err)
	}
	if *asJSON {
		out := make([]planListJSON, 0, len(plans))
		for _, p := range plans {
			out = append(out, planListJSON{ID: p.ID, Number: p.Number, Title: p.Title, Year: p.Year, TaskCount: len(p.Tasks), UnitCount: len(p.Units)})
		}
		return writeJSON(env.Stdout, out)
	}
	if len(plans) == 0 {
		fmt.Fprintln(env.Stdout, "Chưa có kế hoạch nào. Dùng: planbot plan import TỆP --save")
		return nil
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "MÃ\tSỐ\tNĂM\tNHIỆM VỤ\tĐƠN VỊ\tTÊN")
	for _, p := range plans {
		fmt.Fprintf(tw, "%d\t%s\t%d\t%d\t%d\t%s\n", p.ID, p.Number, p.Year, len(p.Tasks), len(p.Units), shorten(p.Title, 60))
	}
	return tw.Flush()
}

// planListJSON is one plan as `plan list --json` prints it; `plan show`
// gives the tasks.
type planListJSON struct {
	ID        int64  `json:"id"`
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

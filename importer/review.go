package importer

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/chanhlo/planbot/plan"
)

// Review is the JSON document the command line prints after an import
// (`planbot import --json`): what was understood, for a person or a script
// to check. Dates are "YYYY-MM-DD" or null; lists are [] when empty.
type Review struct {
	Document ReviewDocument `json:"document"`
	Tasks    []ReviewTask   `json:"tasks"`
	Units    []string       `json:"units"`
	Warnings []string       `json:"warnings"`
}

// ReviewDocument is the plan's header.
type ReviewDocument struct {
	Number string    `json:"number"`
	Date   plan.Date `json:"date"`
	Title  string    `json:"title"`
	Year   int       `json:"year"`
}

// ReviewTask is one task as understood.
type ReviewTask struct {
	Code    string   `json:"code"`
	Section string   `json:"section"`
	Title   string   `json:"title"`
	Lead    []string `json:"lead"`
	Execute []string `json:"execute"`
	Support []string `json:"support"`
	// SupportAll is true when every unit supports ("Các ban ngành, đơn vị
	// phường").
	SupportAll bool          `json:"support_all"`
	Deadline   plan.Deadline `json:"deadline"`
	Targets    []plan.Target `json:"targets"`
}

// NewReview returns the review document of p.
func NewReview(p *plan.Plan) Review {
	r := Review{
		Document: ReviewDocument{Number: p.Number, Date: p.Date, Title: p.Title, Year: p.Year},
		Tasks:    make([]ReviewTask, 0, len(p.Tasks)),
		Units:    nonNil(p.Units),
		Warnings: nonNil(p.Warnings),
	}
	for _, t := range p.Tasks {
		targets := append([]plan.Target{}, t.Targets...)
		r.Tasks = append(r.Tasks, ReviewTask{
			Code: t.Code, Section: t.Section, Title: t.Title,
			Lead: nonNil(t.Lead), Execute: nonNil(t.Execute), Support: nonNil(t.Support),
			SupportAll: t.SupportAll, Deadline: t.Deadline, Targets: targets,
		})
	}
	return r
}

func nonNil(xs []string) []string {
	return append([]string{}, xs...)
}

// WriteReviewJSON writes the review document of p as indented JSON.
func WriteReviewJSON(w io.Writer, p *plan.Plan) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(NewReview(p)); err != nil {
		return fmt.Errorf("write review: %w", err)
	}
	return nil
}

// WriteReview writes a review of p that a secretary can read: the header,
// a table of tasks (code, responsible units, deadline, targets), every
// warning, and apart from them the parts of the document left out (the
// tables that are not task lists).
func WriteReview(w io.Writer, p *plan.Plan) error {
	ew := &errWriter{w: w}
	number := p.Number
	if number == "" || !strings.ContainsAny(number, "0123456789") {
		number = strings.TrimSpace(number + " (chưa có số)")
	}
	date := "(để trống)"
	if !p.Date.IsZero() {
		date = p.Date.Vietnamese()
	}
	fmt.Fprintf(ew, "Kế hoạch số: %s, ngày %s\n", number, date)
	fmt.Fprintf(ew, "Tiêu đề: %s\n", p.Title)
	fmt.Fprintf(ew, "Năm: %d · %d nhiệm vụ · %d đơn vị\n\n", p.Year, len(p.Tasks), len(p.Units))

	// The long columns come last and are not cut: the review is where the
	// secretary checks every unit.
	var table bytes.Buffer
	tw := tabwriter.NewWriter(&table, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "Mã\tThời hạn\tChỉ tiêu\tĐơn vị chủ trì / thực hiện · phối hợp")
	for _, t := range p.Tasks {
		support := strings.Join(t.Support, ", ")
		if t.SupportAll {
			support = strings.TrimPrefix(support+", các ban ngành", ", ")
		}
		var targets []string
		for _, g := range t.Targets {
			targets = append(targets, strings.ReplaceAll(strconv.FormatFloat(g.Value, 'f', -1, 64), ".", ",")+g.Unit)
		}
		units := strings.Join(t.Responsible(), ", ")
		if support != "" {
			units += " · phối hợp: " + support
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", t.Code, cell(DeadlineVietnamese(t.Deadline), 40), strings.Join(targets, ", "), units)
	}
	tw.Flush()
	for _, line := range strings.SplitAfter(table.String(), "\n") {
		trimmed := strings.TrimRight(strings.TrimSuffix(line, "\n"), " ")
		if strings.HasSuffix(line, "\n") {
			trimmed += "\n"
		}
		ew.Write([]byte(trimmed))
	}
	var checks, ignored []string
	for _, w := range p.Warnings {
		if IsIgnoredNote(w) {
			ignored = append(ignored, w)
		} else {
			checks = append(checks, w)
		}
	}
	if len(checks) > 0 {
		fmt.Fprintf(ew, "\nCần kiểm tra (%d):\n", len(checks))
		for _, warning := range checks {
			fmt.Fprintf(ew, "- %s\n", warning)
		}
	}
	if len(ignored) > 0 {
		fmt.Fprintf(ew, "\nĐã bỏ qua (%d):\n", len(ignored))
		for _, note := range ignored {
			fmt.Fprintf(ew, "- %s\n", note)
		}
	}
	if ew.err != nil {
		return fmt.Errorf("write review: %w", ew.err)
	}
	return nil
}

// ignoredPrefix opens the note of a part of the document the importer
// left out on purpose ("Bỏ qua bảng 3 (không phải danh sách nhiệm vụ: Nơi
// nhận)."). The notes travel in Plan.Warnings, so that nothing is skipped
// in silence; the review lists them apart from the warnings to check.
const ignoredPrefix = "Bỏ qua "

// IsIgnoredNote reports whether a warning of Plan.Warnings is the note of
// a part left out on purpose rather than a doubt to check.
func IsIgnoredNote(w string) bool { return strings.HasPrefix(w, ignoredPrefix) }

// DeadlineVietnamese says a deadline the way officials write it:
// "30/6/2023", "1/4/2024 - 30/9/2024", "Thường xuyên", "Hằng tháng từ
// 1/4/2023", "Chờ điều kiện (dự kiến 30/6/2023)", "Chưa rõ: …".
func DeadlineVietnamese(d plan.Deadline) string {
	switch d.Kind {
	case plan.DeadlineDate:
		return d.Due.Vietnamese()
	case plan.DeadlineRange:
		return d.Start.Vietnamese() + " - " + d.Due.Vietnamese()
	case plan.DeadlineRecurring:
		s := map[plan.Recurrence]string{
			plan.RecurOngoing: "Thường xuyên", plan.RecurMonthly: "Hằng tháng",
			plan.RecurQuarterly: "Hằng quý", plan.RecurYearly: "Hằng năm",
		}[d.Recurrence]
		if s == "" {
			s = "Định kỳ"
		}
		if !d.Start.IsZero() {
			s += " từ " + d.Start.Vietnamese()
		}
		return s
	case plan.DeadlineConditional:
		if !d.Expected.IsZero() {
			return "Chờ điều kiện (dự kiến " + d.Expected.Vietnamese() + ")"
		}
		return "Chờ điều kiện"
	}
	if d.Text == "" {
		return "Chưa có"
	}
	return "Chưa rõ: " + d.Text
}

// cell shortens s to n runes for a table cell.
func cell(s string, n int) string {
	s = strings.ReplaceAll(s, "\t", " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// errWriter keeps the first write error.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(b []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(b)
	e.err = err
	return n, err
}

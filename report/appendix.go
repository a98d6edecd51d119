package report

import (
	"html"
	"strconv"
	"strings"

	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/summary"
	"github.com/chanhlo/planbot/texts"
)

// AppendixRow is one line of the appendix table. A plan section is a row
// of its own (Section set, the rest empty). A task answered for by
// several units takes one line per unit, so that every figure says whose
// it is; the task's own cells (STT, Task, Support, Deadline) are on its
// first line, which also tells how many lines follow (Span).
type AppendixRow struct {
	Section string

	STT      int
	Task     string // "2.a. Tiếp tục thúc đẩy …"
	Support  string
	Deadline string
	Span     int // lines of the task, on its first line; 0 on the others

	Unit   string
	Result string
	Status string
	Note   string
}

// AppendixColumns head the appendix table: the official columns, with
// the lead and executing units one per line.
var AppendixColumns = []string{"STT", "Nhiệm vụ", "Đơn vị chủ trì, thực hiện", "Đơn vị phối hợp", "Thời hạn", "Kết quả (số liệu so với chỉ tiêu)", "Tình trạng", "Ghi chú"}

// Cells returns the row's values in the order of AppendixColumns (the
// task's own cells empty on its continuing lines).
func (r AppendixRow) Cells() []string {
	stt := ""
	if r.STT > 0 {
		stt = strconv.Itoa(r.STT)
	}
	return []string{stt, r.Task, r.Unit, r.Support, r.Deadline, r.Result, r.Status, r.Note}
}

// OwnColumn reports whether column i belongs to the task (merged over its
// unit lines) rather than to one unit.
func OwnColumn(i int) bool { return i == 0 || i == 1 || i == 3 || i == 4 }

// Appendix returns the rows of the appendix table of s.
func Appendix(s *summary.Summary) []AppendixRow {
	titles := map[string]string{}
	for _, sec := range s.Sections {
		titles[sec.Number] = sec.Title
	}
	var rows []AppendixRow
	last := "\x00"
	stt := 0
	for _, r := range s.Tasks {
		t := r.Task
		if t.Section != last && titles[t.Section] != "" {
			last = t.Section
			rows = append(rows, AppendixRow{Section: texts.ReportSection(t.Section, titles[t.Section])})
		}
		stt++
		support := strings.Join(t.Support, ", ")
		if t.SupportAll {
			support = texts.AllUnitsSupport
		}
		target := ""
		if len(t.Targets) > 0 {
			target = texts.TargetText(t.Targets[0])
		}
		var lines []AppendixRow
		for _, j := range r.Units {
			if j.Role == plan.RoleSupport {
				continue
			}
			result := ""
			if j.Figure != nil {
				result = texts.SummaryFigure(j.Figure.Figure)
			} else if j.Latest != nil {
				result = texts.SummaryFigure(j.Latest.Figure)
			}
			lines = append(lines, AppendixRow{
				Unit:   j.Unit,
				Result: texts.TargetResult(result, target, unitTargetMet(t, j)),
				Status: StatusText(j.Status, j.Pending, j.DaysLate),
				Note:   strings.Join(UnitNotes(j), "\n"),
			})
		}
		if len(lines) == 0 {
			lines = []AppendixRow{{Status: StatusText(r.Status, r.Pending, r.DaysLate)}}
		}
		lines[0].STT, lines[0].Task, lines[0].Support, lines[0].Deadline, lines[0].Span =
			stt, t.Code+". "+t.Title, support, deadlineText(t.Deadline), len(lines)
		rows = append(rows, lines...)
	}
	return rows
}

// unitTargetMet compares one unit's figure with the task's first target.
func unitTargetMet(t plan.Task, j summary.Judgement) *bool {
	if j.Figure == nil {
		return nil
	}
	return summary.TargetMet(&t, j.Figure)
}

// StatusText is a status as a table cell: "Quá hạn, chưa hoàn thành (21
// ngày làm việc)", "Đã hoàn thành quá hạn (3 ngày làm việc; chờ xác nhận)".
func StatusText(st summary.Status, pending bool, daysLate int) string {
	var notes []string
	if daysLate > 0 {
		notes = append(notes, texts.DaysLateNote(daysLate))
	}
	if pending {
		notes = append(notes, texts.SummaryPending)
	}
	if len(notes) == 0 {
		return texts.StatusLabel(string(st))
	}
	return texts.StatusLabel(string(st)) + " (" + strings.Join(notes, "; ") + ")"
}

// UnitNotes are one unit's notes on a task for the Ghi chú cell: a
// returned "done" and why, its blocker, its note.
func UnitNotes(j summary.Judgement) []string {
	var notes []string
	if j.Returned {
		notes = append(notes, texts.ReturnedNote(j.Unit, j.ReturnNote))
	}
	if j.Latest != nil && j.Latest.Blocker != "" {
		notes = append(notes, "vướng mắc “"+j.Latest.Blocker+"”")
	}
	if j.Latest != nil && j.Latest.Note != "" {
		notes = append(notes, j.Latest.Note)
	}
	return notes
}

// deadlineText is the deadline as plain text.
func deadlineText(d plan.Deadline) string {
	switch d.Kind {
	case plan.DeadlineDate, plan.DeadlineRange, plan.DeadlineRecurring, plan.DeadlineConditional:
		if s := html.UnescapeString(texts.DeadlineText(d)); s != "" {
			return s
		}
	}
	if t := strings.TrimSpace(d.Text); t != "" {
		return texts.Shorten(t, 90)
	}
	return html.UnescapeString(texts.DeadlineText(d))
}

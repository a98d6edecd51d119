package texts

import (
	"fmt"
	"html"
	"regexp"
	"strconv"
	"strings"

	"github.com/chanhlo/planbot/plan"
)

// Status labels of the summary, as Vietnamese task-tracking reports count
// them. The keys are summary.Status values.
var statusLabels = map[string]string{
	"done_on_time":         "Đã hoàn thành đúng hạn",
	"done_late":            "Đã hoàn thành quá hạn",
	"in_progress":          "Đang thực hiện trong hạn",
	"due_soon":             "Đang thực hiện, sắp đến hạn",
	"overdue":              "Quá hạn, chưa hoàn thành",
	"not_reported":         "Chưa báo cáo",
	"ongoing_reported":     "Thường xuyên, đã báo cáo",
	"ongoing_not_reported": "Thường xuyên, chưa báo cáo",
	"waiting":              "Chờ điều kiện",
	"no_deadline":          "Chưa có thời hạn",
}

// StatusLabel names a summary status ("done_on_time") in Vietnamese.
func StatusLabel(status string) string {
	if l, ok := statusLabels[status]; ok {
		return l
	}
	return status
}

// Summary phrases.
const (
	SummaryPending       = "chờ xác nhận"
	SummaryReturned      = "bị trả lại"
	SummaryDetailsInFile = "Chi tiết: tệp đính kèm."
	SummaryNoTasks       = "Kế hoạch chưa có nhiệm vụ nào."
	SummaryTargetMet     = "đạt"
	SummaryTargetNotMet  = "chưa đạt"
	SummaryNoReport      = "chưa có số liệu"
)

// Command of summaries (Telegram's command menu and /huongdan).
const (
	CmdSummary   = "Tổng hợp tình hình thực hiện theo tháng, quý, năm"
	CmdSummaryEN = "Progress summary by month, quarter or year"
	UsageSummary = "[MM/YYYY | Qn/YYYY | YYYY]"
)

// SummaryNotStarted rejects a summary of a period that has not begun.
// Plain text (a *plan.Error message).
func SummaryNotStarted(p plan.Period) string {
	return fmt.Sprintf("Kỳ %s chưa bắt đầu.", p.Vietnamese())
}

var (
	deAnRe     = regexp.MustCompile(`Đề án\s+(\d+)`)
	decisionRe = regexp.MustCompile(`(\d+)/QĐ-TTg`)
)

// PlanShortName names a plan briefly for the titles of summaries and
// their sheets: "Kế hoạch Đề án 06" when the plan implements a numbered
// Đề án (named, as usual, after the number of the Prime Minister's
// decision approving it), else "Kế hoạch số 56/KH-UBND", else "Kế hoạch
// năm 2023". It differs from PlanName, the full name the registration
// greeting uses ("Kế hoạch số 56/KH-UBND (năm 2023)"): a title names the
// programme people know, a greeting the document they were assigned by.
// The result is plain text; escape it.
func PlanShortName(p *plan.Plan) string {
	if m := deAnRe.FindStringSubmatch(p.Title); m != nil {
		return "Kế hoạch Đề án " + m[1]
	}
	if m := decisionRe.FindStringSubmatch(p.Title); m != nil && strings.Contains(p.Title, "Đề án") {
		return "Kế hoạch Đề án " + m[1]
	}
	if n := strings.TrimSpace(p.Number); strings.ContainsAny(n, "0123456789") {
		return "Kế hoạch số " + n
	}
	if p.Year > 0 {
		return "Kế hoạch năm " + strconv.Itoa(p.Year)
	}
	return "Kế hoạch"
}

// SummaryTitle is the first line of a summary: "📊 Tổng hợp thực hiện
// Kế hoạch Đề án 06 — tháng 7/2023". name is already escaped.
func SummaryTitle(name string, p plan.Period) string {
	return fmt.Sprintf("📊 Tổng hợp thực hiện %s — %s", name, p.Vietnamese())
}

// SummaryAsOf tells the day the statuses were judged on, when it is not
// the end of the period: the period is not over, the figures are those
// reported so far.
func SummaryAsOf(d plan.Date) string {
	return "Số liệu đến nay (ngày " + d.Vietnamese() + "), kỳ chưa kết thúc."
}

// SummaryTotals is the headline: "26 nhiệm vụ: 2 hoàn thành (1 đúng hạn,
// 1 quá hạn) · 1 đang thực hiện trong hạn · …". Parts with zero are left
// out.
func SummaryTotals(total int, c map[string]int, pending int) string {
	var parts []string
	if done := c["done_on_time"] + c["done_late"]; done > 0 {
		s := fmt.Sprintf("%d hoàn thành (%d đúng hạn, %d quá hạn", done, c["done_on_time"], c["done_late"])
		if pending > 0 {
			s += fmt.Sprintf("; %d %s", pending, SummaryPending)
		}
		parts = append(parts, s+")")
	}
	add := func(n int, label string) {
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, label))
		}
	}
	add(c["in_progress"], "đang thực hiện trong hạn")
	add(c["due_soon"], "sắp đến hạn")
	add(c["overdue"], "quá hạn")
	add(c["not_reported"], "chưa báo cáo")
	if on := c["ongoing_reported"] + c["ongoing_not_reported"]; on > 0 {
		parts = append(parts, fmt.Sprintf("%d thường xuyên (%d đã báo cáo)", on, c["ongoing_reported"]))
	}
	add(c["no_deadline"], "chưa có thời hạn")
	add(c["waiting"], "chờ điều kiện")
	return fmt.Sprintf("%d nhiệm vụ: %s.", total, strings.Join(parts, " · "))
}

// SummaryOverdueHeader introduces the overdue list.
const SummaryOverdueHeader = "Quá hạn:"

// SummaryOverdueItem is one overdue task: "• <b>1.b</b> Công an phường —
// 21 ngày làm việc". code and units are already escaped.
func SummaryOverdueItem(code, units string, workingDaysLate int) string {
	return fmt.Sprintf("• <b>%s</b> %s — %d ngày làm việc", code, units, workingDaysLate)
}

// SummaryDueSoonHeader introduces the tasks due within a few working days.
const SummaryDueSoonHeader = "Sắp đến hạn:"

// SummaryDueSoonItem is one task due soon. code and units are escaped.
func SummaryDueSoonItem(code, units string, due plan.Date) string {
	return fmt.Sprintf("• <b>%s</b> %s — hạn %s", code, units, due.Vietnamese())
}

// SummaryNotReported lists the units that sent nothing for the period.
// units are already escaped.
func SummaryNotReported(units []string) string {
	return "Chưa báo cáo: " + strings.Join(units, ", ") + "."
}

// SummaryBlockersHeader introduces the blockers.
const SummaryBlockersHeader = "Vướng mắc:"

// SummaryBlockerItem is a difficulty in the officer's words. All arguments
// are already escaped.
func SummaryBlockerItem(code, unit, text string) string {
	return fmt.Sprintf("• <b>%s</b> %s: “%s”", code, unit, text)
}

// SummaryTargetsHeader introduces targets against the latest figures.
const SummaryTargetsHeader = "Chỉ tiêu:"

// SummaryTargetItem is "• <b>2.e</b> 80% / chỉ tiêu 100% — chưa đạt".
func SummaryTargetItem(code, latest, target string, met bool) string {
	v := SummaryTargetNotMet
	if met {
		v = SummaryTargetMet
	}
	return fmt.Sprintf("• <b>%s</b> %s / chỉ tiêu %s — %s", code, latest, target, v)
}

// SummaryContinued heads the second and later parts of a summary split
// over several messages.
func SummaryContinued(part, of int) string {
	return fmt.Sprintf("(tiếp %d/%d)", part, of)
}

// SummaryFigure describes a reported figure briefly: "80%", "1.200/1.500 hồ sơ
// (80%)", "hoàn thành", "đang thực hiện", "vướng: …". The result is plain
// text (not escaped).
func SummaryFigure(f plan.Figure) string {
	switch f.Kind {
	case plan.ProgressCount:
		// The plain-text form: the summary escapes where it renders.
		return html.UnescapeString(FigureText(f))
	case plan.ProgressBlocked:
		if f.Blocker != "" {
			return "vướng: " + f.Blocker
		}
	case "":
		return ""
	}
	return FigureText(f)
}

// TargetText describes a target: "100%", "1.500 hồ sơ".
func TargetText(t plan.Target) string {
	if t.Unit == "%" {
		return Number(t.Value) + "%"
	}
	if t.Unit == "" {
		return Number(t.Value)
	}
	return Number(t.Value) + " " + t.Unit
}

// SummaryColumns are the official columns of a summary table.
var SummaryColumns = []string{"STT", "Nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn", "Kết quả (số liệu so với chỉ tiêu)", "Tình trạng", "Ghi chú"}

// UnitTableColumns head the per-unit table of a summary workbook.
var UnitTableColumns = []string{"STT", "Đơn vị", "Nhiệm vụ được giao", "Phải báo cáo", "Đã báo cáo", "Đúng hạn / trong hạn", "Quá hạn", "Tỷ lệ báo cáo"}

// Workbook sheet names and phrases.
const (
	SheetSummary    = "Tổng hợp"
	SheetUnits      = "Theo đơn vị"
	SheetChartData  = "Dữ liệu biểu đồ"
	ChartTitle      = "Tình trạng nhiệm vụ theo đơn vị"
	AllUnitsSupport = "Các ban ngành, đơn vị phường"
	ColumnUnit      = "Đơn vị"
)

// SheetTitle is the title row of a workbook sheet.
func SheetTitle(name string, p plan.Period) string {
	return fmt.Sprintf("Tổng hợp thực hiện %s — %s", name, p.Vietnamese())
}

// UnitSheetTitle is the title row of one unit's sheet.
func UnitSheetTitle(unit string, p plan.Period) string {
	return fmt.Sprintf("%s — %s", unit, p.Vietnamese())
}

// SheetSubtitle tells the day the statuses were judged on.
func SheetSubtitle(asOf plan.Date) string {
	return "Tình trạng tính đến ngày " + asOf.Vietnamese() + "; số ngày quá hạn tính theo ngày làm việc."
}

// DaysLateNote is "21 ngày làm việc", how late a task is.
func DaysLateNote(n int) string { return fmt.Sprintf("%d ngày làm việc", n) }

// ReturnedNote is why the secretariat returned a "done".
func ReturnedNote(unit, reason string) string {
	if reason == "" {
		return unit + ": báo cáo hoàn thành bị trả lại"
	}
	return unit + ": báo cáo hoàn thành bị trả lại (" + reason + ")"
}

// BlockerNote is a blocker in a table cell.
func BlockerNote(unit, text string) string { return unit + ": vướng mắc “" + text + "”" }

// UnitStatusNote is one unit's status in a task's note when units differ.
func UnitStatusNote(unit, status string) string { return unit + ": " + status }

// TargetResult is "1.300/1.500 hồ sơ (86,7%); chỉ tiêu 1.500 hồ sơ: chưa đạt".
func TargetResult(latest, target string, met *bool) string {
	switch {
	case latest == "" && target == "":
		return ""
	case latest == "":
		return SummaryNoReport + "; chỉ tiêu " + target
	case target == "":
		return latest
	case met == nil:
		return latest + "; chỉ tiêu " + target
	case *met:
		return latest + "; chỉ tiêu " + target + ": " + SummaryTargetMet
	}
	return latest + "; chỉ tiêu " + target + ": " + SummaryTargetNotMet
}

// PlanTag is the short tag of a plan, typed before a task code when a
// ward runs several plans: "ĐA06", "CĐS", "CCHC", else "KH56" from its
// number, else "KH2023".
func PlanTag(p *plan.Plan) string {
	title := strings.ToLower(p.Title)
	switch {
	case strings.HasPrefix(PlanShortName(p), "Kế hoạch Đề án "):
		return "ĐA" + strings.TrimPrefix(PlanShortName(p), "Kế hoạch Đề án ")
	case strings.Contains(title, "chuyển đổi số"):
		return "CĐS"
	case strings.Contains(title, "cải cách hành chính"):
		return "CCHC"
	}
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, strings.SplitN(p.Number, "/", 2)[0])
	if digits != "" {
		return "KH" + digits
	}
	return "KH" + strconv.Itoa(p.Year)
}

// AmbiguousTask asks which plan a task code is of.
func AmbiguousTask(code string, tags []string) string {
	var ex []string
	for _, t := range tags {
		ex = append(ex, "“"+t+" "+code+"”")
	}
	return fmt.Sprintf("Nhiệm vụ %s có trong %d kế hoạch (%s). Đồng chí ghi rõ kế hoạch trước mã, ví dụ %s.",
		code, len(tags), strings.Join(tags, ", "), strings.Join(ex, " hoặc "))
}

// PlanHeading heads one plan's part of a list when several plans run.
func PlanHeading(tag, name string) string {
	return fmt.Sprintf("📁 <b>%s</b> — %s", plan.EscapeHTML(tag), plan.EscapeHTML(name))
}

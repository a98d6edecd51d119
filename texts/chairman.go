package texts

import (
	"fmt"
	"strings"

	"github.com/chanhlo/planbot/plan"
)

// Texts of the chairman's summary in the chat (summary.Summary.Lines):
// tasks grouped by status, each with its short title and lead unit; how
// each figure moved; the units behind and why; the blockers with their
// unit and day. Arguments are plain text; these functions escape.

// ChairTitleRunes is how much of a task's title a summary line shows: a
// short title, enough to know the task without the plan at hand.
const ChairTitleRunes = 60

// ChairTaskItem is one task of a group: "• <b>1.c</b> Đăng ký và thực
// hiện một số nhiệm vụ… — Công an phường: 21 ngày làm việc".
func ChairTaskItem(code, title string, units []string, detail string) string {
	s := fmt.Sprintf("• <b>%s</b> %s", plan.EscapeHTML(code), plan.EscapeHTML(TitleIn(title, ChairTitleRunes)))
	if len(units) > 0 {
		s += " — " + plan.EscapeHTML(strings.Join(units, ", "))
	}
	if detail != "" {
		s += ": " + detail
	}
	return s
}

// ChairOverdueHeader and the other headers count what they introduce, so
// the count and the list beside it always agree.
func ChairOverdueHeader(n int) string { return fmt.Sprintf("⚠️ <b>Quá hạn (%d):</b>", n) }

// ChairDueSoonHeader introduces the tasks due within a few working days.
func ChairDueSoonHeader(n int) string { return fmt.Sprintf("⏳ <b>Sắp đến hạn (%d):</b>", n) }

// ChairDoneHeader introduces the tasks finished in the period.
func ChairDoneHeader(n int) string { return fmt.Sprintf("✅ <b>Hoàn thành trong kỳ (%d):</b>", n) }

// ChairFiguresHeader introduces the figures and how they moved.
func ChairFiguresHeader(n int, p plan.Period) string {
	return fmt.Sprintf("📈 <b>Số liệu (%d), diễn biến các tháng đến %s:</b>", n, plan.MonthOf(p.End()).Vietnamese())
}

// ChairBlockersHeader introduces the difficulties reported.
func ChairBlockersHeader(n int) string { return fmt.Sprintf("🧱 <b>Vướng mắc (%d):</b>", n) }

// ChairDue is a due-soon task's detail: "hạn 30/6/2023".
func ChairDue(d plan.Date) string { return "hạn " + d.Vietnamese() }

// ChairDone is a finished task's detail.
func ChairDone(late, pending bool) string {
	s := "đúng hạn"
	if late {
		s = "quá hạn"
	}
	if pending {
		s += ", " + SummaryPending
	}
	return s
}

// ChairBlockerNote is a blocker with the day it was reported: "vướng
// “chờ Công an thành phố duyệt…” (4/5)".
func ChairBlockerNote(text string, day plan.Date) string {
	return fmt.Sprintf("vướng “%s” (%d/%d)", plan.EscapeHTML(Shorten(text, 120)), day.Day, int(day.Month))
}

// ChairTarget is " / chỉ tiêu 70% — chưa đạt".
func ChairTarget(target string, met bool) string {
	v := SummaryTargetNotMet
	if met {
		v = SummaryTargetMet
	}
	return " / chỉ tiêu " + plan.EscapeHTML(target) + " — " + v
}

// ChairFigure is a figure with how it moved over the last months, oldest
// first: "55% → 62% → 68%", the last in full ("850 → 1.120 → 1.380/1.500
// hồ sơ (92%)" reads as "57% → 75% → 1.380/1.500 hồ sơ (92%)"), then the
// target.
func ChairFigure(trend []plan.Figure, latest plan.Figure, target string) string {
	var parts []string
	for i, f := range trend {
		if i == len(trend)-1 {
			break
		}
		parts = append(parts, Number(roundPercent(f.Percent))+"%")
	}
	last := SummaryFigure(latest)
	if len(trend) > 0 {
		last = SummaryFigure(trend[len(trend)-1])
	}
	parts = append(parts, last)
	return plan.EscapeHTML(strings.Join(parts, " → ")) + target
}

func roundPercent(p float64) float64 {
	return float64(int(p + 0.5))
}

// ChairUnitsBehind lists the units behind, by why: no report, the bot
// blocked, nobody registered.
func ChairUnitsBehind(n int, notReported, unreachable, unregistered []string) []string {
	lines := []string{fmt.Sprintf("🏢 <b>Đơn vị cần đôn đốc (%d):</b>", n)}
	add := func(label string, us []string) {
		if len(us) > 0 {
			lines = append(lines, fmt.Sprintf("• %s (%d): %s", label, len(us), plan.EscapeHTML(strings.Join(us, ", "))))
		}
	}
	add("Chưa gửi báo cáo", notReported)
	add("Đã chặn bot, không nhận được nhắc việc", unreachable)
	add("Chưa có cán bộ đăng ký nhận tin", unregistered)
	return lines
}

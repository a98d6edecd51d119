package texts

import (
	"fmt"
	"strings"

	"github.com/chanhlo/planbot/plan"
)

// AckItem is one report recorded from an officer's message.
type AckItem struct {
	Code     string
	Progress plan.Progress
	// Target is the task's percentage target, 0 when it has none.
	Target float64
	// Previous is the unit's latest report of the same period before this
	// one, if any.
	Previous *plan.Progress
	// NoteCut says the note was longer than the bot keeps and was cut.
	NoteCut bool
}

// AckRefused is one part of an officer's message that was not recorded.
type AckRefused struct {
	Text   string
	Reason string
}

// CorrectHint tells an officer how to correct a figure.
const CorrectHint = "Gửi lại số liệu mới để sửa."

// NoteCut says a note was cut to the length the bot keeps.
const NoteCut = "Ghi chú quá dài nên chỉ giữ 500 ký tự đầu."

// Change says how a report moves on from the unit's previous report of
// the same period: "Đã sửa: 80% → 60%" when the previous one was sent the
// same day and the new figure is lower (a mistake put right), "Cập nhật:
// 60% → 80%" for any other change (progress, or a later day's
// correction), and "" when there is no previous report or the figure is
// the same.
func Change(previous *plan.Progress, now plan.Progress) string {
	if previous == nil {
		return ""
	}
	from, to := FigureText(previous.Figure), FigureText(now.Figure)
	if from == to && previous.Blocker == now.Blocker {
		return ""
	}
	word := "Cập nhật"
	if plan.DateOf(previous.ReportedAt) == plan.DateOf(now.ReportedAt) && lower(now.Figure, previous.Figure) {
		word = "Đã sửa"
	}
	return fmt.Sprintf("%s: %s → %s", word, from, to)
}

// lower reports whether figure a says less than b: a smaller percentage,
// or a status further from done.
func lower(a, b plan.Figure) bool {
	rank := func(f plan.Figure) float64 {
		switch f.Kind {
		case plan.ProgressNotStarted:
			return -2
		case plan.ProgressBlocked, plan.ProgressInProgress:
			if f.Percent > 0 {
				return f.Percent
			}
			return -1
		}
		return f.Percent
	}
	return rank(a) < rank(b)
}

// Acknowledge answers an officer's message of several reports once: every
// task recorded with its figure, and every part not understood with the
// reason. The hint on how to correct is shown with the unit's first
// report only (first), when nothing was refused (that answer already
// says to send again): an officer who has reported once knows how.
func Acknowledge(items []AckItem, refused []AckRefused, standing string, first bool) string {
	var b strings.Builder
	hint := len(items) > 0 && first
	pending := false
	if len(items) > 0 {
		fmt.Fprintf(&b, "✅ Đã ghi nhận %d nhiệm vụ — %s:", len(items), items[0].Progress.Period.Vietnamese())
	}
	for _, it := range items {
		p := it.Progress
		b.WriteString("\n• <b>" + plan.EscapeHTML(it.Code) + "</b>: ")
		if p.Kind == plan.ProgressBlocked {
			fmt.Fprintf(&b, "vướng mắc \"%s\"", plan.EscapeHTML(p.Blocker))
		} else {
			b.WriteString(FigureText(p.Figure))
			if it.Target > 0 && p.HasPercent() {
				verdict := "chưa đạt"
				if p.Percent >= it.Target {
					verdict = "đạt"
				}
				fmt.Fprintf(&b, " — chỉ tiêu %s%%: %s", Number(it.Target), verdict)
			}
			if p.Blocker != "" {
				fmt.Fprintf(&b, "; vướng mắc \"%s\"", plan.EscapeHTML(p.Blocker))
			}
			if p.Note != "" {
				fmt.Fprintf(&b, "; ghi chú \"%s\"", plan.EscapeHTML(p.Note))
			}
		}
		if ch := Change(it.Previous, p); ch != "" {
			fmt.Fprintf(&b, " (%s)", ch)
		}
		if it.NoteCut {
			b.WriteString(" — " + NoteCut)
		}
		if it.Previous != nil {
			hint = false
		}
		pending = pending || p.Confirm == plan.ConfirmPending
	}
	if len(refused) > 0 {
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		fmt.Fprintf(&b, "⚠️ Chưa ghi nhận %d mục:", len(refused))
		for _, r := range refused {
			fmt.Fprintf(&b, "\n• \"%s\": %s", plan.EscapeHTML(shorten(r.Text, 60)), plan.EscapeHTML(r.Reason))
		}
		b.WriteString("\nĐồng chí sửa các mục trên và gửi lại.")
	}
	if pending {
		b.WriteString("\n" + Reviewers(standing) + " sẽ xác nhận các kết quả hoàn thành.")
	}
	if hint && len(refused) == 0 {
		b.WriteString("\n" + CorrectHint)
	}
	return b.String()
}

// shorten cuts text to n runes, on one line.
func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// NoNumberedRequestTyped is NoNumberedRequest where people cannot reply
// to a message (Zalo).
const NoNumberedRequestTyped = "không rõ số thứ tự này của tin nào (chưa có tin đề nghị báo cáo gần đây); đồng chí ghi mã nhiệm vụ trước số liệu, ví dụ \"2.a 80%\""

// NoNumberedRequest refuses "2. 80%" when no numbered request is known.
const NoNumberedRequest = "không rõ số thứ tự này của tin nào; đồng chí trả lời vào tin đề nghị báo cáo, hoặc ghi mã nhiệm vụ trước số liệu, ví dụ \"2.a 80%\""

// NoListedTask refuses "N." beyond the message's numbered list.
func NoListedTask(n, count int) string {
	return fmt.Sprintf("đơn vị không có nhiệm vụ số %d (danh sách có %d nhiệm vụ); gõ /nhiemvu để xem", n, count)
}

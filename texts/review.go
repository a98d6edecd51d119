package texts

import (
	"fmt"
	"strings"

	"github.com/chanhlo/planbot/plan"
)

// Texts of the standing body's and the secretariat's part in the daily
// loop: the notice that a unit reported a task done (to confirm) or a
// blocker, and the answers to their buttons.

// Reviewers names who confirms results and receives difficulties: "Công
// an phường (cơ quan thường trực) và Văn phòng UBND phường", or the
// secretariat alone when the plan names no standing body. Escaped.
func Reviewers(standing string) string {
	if standing == "" {
		return "Văn phòng UBND phường"
	}
	return plan.EscapeHTML(standing) + " (cơ quan thường trực) và Văn phòng UBND phường"
}

// ReviewItem is one task of a review notice.
type ReviewItem struct {
	Code, Title string
	// Figure is the report as FigureText gives it; Words the blocker or
	// note in the officer's words.
	Figure, Words string
}

// ReviewNotice tells the standing body and the secretariat that a unit
// reported tasks done, to confirm, or blockers, to act on. Without
// buttons (Zalo) the choices follow as numbered lines.
func ReviewNotice(unit, officer string, day plan.Date, done, blocked []ReviewItem, buttons bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "📌 <b>%s</b> (đồng chí %s) báo cáo ngày %s:\n", plan.EscapeHTML(unit), plan.EscapeHTML(officer), day.Vietnamese())
	line := func(it ReviewItem) {
		fmt.Fprintf(&b, "• <b>%s</b> %s", plan.EscapeHTML(it.Code), plan.EscapeHTML(TitleIn(it.Title, 70)))
		if it.Words != "" {
			fmt.Fprintf(&b, ": \"%s\"", plan.EscapeHTML(it.Words))
		}
		b.WriteString("\n")
	}
	if len(done) > 0 {
		b.WriteString("✅ Hoàn thành, chờ xác nhận:\n")
		for _, it := range done {
			line(it)
		}
	}
	if len(blocked) > 0 {
		b.WriteString("⚠️ Vướng mắc, đề nghị chỉ đạo, hướng dẫn:\n")
		for _, it := range blocked {
			line(it)
		}
	}
	if len(done) > 0 {
		codes := make([]string, len(done))
		for i, it := range done {
			codes[i] = it.Code
		}
		how := "Bấm nút bên dưới"
		if !buttons {
			how = "Trả lời số bên dưới"
		}
		fmt.Fprintf(&b, "%s, hoặc gõ /xacnhan %s hay /tralai %s lý do.", how, plan.EscapeHTML(codes[0]), plan.EscapeHTML(codes[0]))
	} else {
		b.WriteString("Vướng mắc được đưa vào báo cáo tổng hợp gửi Chủ tịch.")
	}
	return b.String()
}

// ReviewConfirmLabel and ReviewReturnLabel label the notice's buttons.
func ReviewConfirmLabel(code string) string { return "Xác nhận " + code }

// ReviewReturnLabel labels the button that sends a "done" back.
func ReviewReturnLabel(code string) string { return "Trả lại " + code }

// AskReturnReason asks for the reason after "Trả lại" was pressed. Plain
// text.
func AskReturnReason(code string) string {
	return fmt.Sprintf("Đồng chí gửi lý do trả lại %s trong tin nhắn tiếp theo (hoặc gõ /tralai %s lý do).", code, code)
}

// NotReviewer refuses a confirmation by someone who is neither the
// secretariat nor the standing body. Plain text.
func NotReviewer(standing string) string {
	if standing == "" {
		return "Chỉ Văn phòng UBND phường xác nhận hoặc trả lại kết quả."
	}
	return fmt.Sprintf("Chỉ %s (cơ quan thường trực) và Văn phòng UBND phường xác nhận hoặc trả lại kết quả.", standing)
}

// Confirmer names who confirmed or returned a "done" to the unit: the
// secretariat, or the standing body's unit. Not escaped.
func Confirmer(secretariat bool, unit string) string {
	if secretariat || unit == "" {
		return "Văn phòng UBND phường"
	}
	return unit + " (cơ quan thường trực)"
}

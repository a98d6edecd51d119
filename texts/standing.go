package texts

import (
	"fmt"
	"strings"

	"github.com/chanhlo/planbot/plan"
)

// Secretariat is who confirms results when the plan names no standing body.
const Secretariat = "Văn phòng UBND phường"

// StandingName is how messages name the standing body: "Công an phường
// (thường trực)"; the secretariat's own name when unit is "".
func StandingName(unit string) string {
	if unit == "" {
		return Secretariat
	}
	return unit + " (thường trực)"
}

// StandingCopy names the standing body's copy of a digest meant for the
// secretariat: "(bản gửi cơ quan thường trực Công an phường)".
func StandingCopy(unit string) string { return "cơ quan thường trực " + unit }

// NoticeItem is one task of an officer's message, as the standing body and
// the secretariat are told of it: a "done" to confirm, a blocker, or both.
type NoticeItem struct {
	Code, Title string
	Done        bool
	Blocker     string
}

// ReportNotice tells the standing body and the secretariat, in one
// message, what a unit's officer reported in one message: the "done"s
// waiting for confirmation and the blockers.
func ReportNotice(unit, officer string, on plan.Date, items []NoticeItem) string {
	var b strings.Builder
	done, blocked := 0, 0
	for _, it := range items {
		if it.Done {
			done++
		}
		if it.Blocker != "" {
			blocked++
		}
	}
	head := "📋 Báo cáo hoàn thành"
	switch {
	case done == 0:
		head = "⚠️ Vướng mắc"
	case blocked > 0:
		head = "📋 Báo cáo hoàn thành và vướng mắc"
	}
	fmt.Fprintf(&b, "%s — <b>%s</b>, %s", head, plan.EscapeHTML(unit), on.Vietnamese())
	if officer != "" {
		fmt.Fprintf(&b, " (đồng chí %s)", plan.EscapeHTML(officer))
	}
	b.WriteString(":\n")
	for _, it := range items {
		fmt.Fprintf(&b, "• <b>%s</b> %s", plan.EscapeHTML(it.Code), plan.EscapeHTML(TitleIn(it.Title, 60)))
		switch {
		case it.Done && it.Blocker != "":
			fmt.Fprintf(&b, " — hoàn thành, chờ xác nhận; vướng: \"%s\"", plan.EscapeHTML(it.Blocker))
		case it.Done:
			b.WriteString(" — hoàn thành, chờ xác nhận")
		default:
			fmt.Fprintf(&b, " — vướng: \"%s\"", plan.EscapeHTML(it.Blocker))
		}
		b.WriteString(".\n")
	}
	if done > 0 {
		b.WriteString("Xác nhận kết quả, hoặc trả lại kèm lý do.")
	} else {
		b.WriteString("Đề nghị chỉ đạo, hướng dẫn đơn vị tháo gỡ.")
	}
	return b.String()
}

// ConfirmLabel and ReturnLabel are the buttons under a "done" notice.
func ConfirmLabel(code string) string { return "Xác nhận " + code }

// ReturnLabel: see ConfirmLabel.
func ReturnLabel(code string) string { return "Trả lại " + code }

// AskReturnReason asks for the reason after Trả lại was pressed.
func AskReturnReason(code string) string {
	return fmt.Sprintf("Đồng chí gửi lý do trả lại <b>%s</b> trong tin nhắn tiếp theo.", plan.EscapeHTML(code))
}

// ConfirmedBy tells the unit's officer who confirmed their "done".
func ConfirmedBy(by, code, title string) string {
	return fmt.Sprintf("✅ %s đã xác nhận hoàn thành nhiệm vụ <b>%s</b> %s.", plan.EscapeHTML(by), plan.EscapeHTML(code), plan.EscapeHTML(TitleIn(title, 80)))
}

// ReturnedBy tells the unit's officer who returned their "done", and why.
func ReturnedBy(by, code, title, reason string) string {
	return fmt.Sprintf("↩️ %s trả lại báo cáo hoàn thành nhiệm vụ <b>%s</b> %s.\nLý do: %s\nĐồng chí vui lòng bổ sung rồi báo cáo lại.",
		plan.EscapeHTML(by), plan.EscapeHTML(code), plan.EscapeHTML(TitleIn(title, 80)), plan.EscapeHTML(reason))
}

// NotStandingBody refuses a confirmation button pressed by someone who is
// neither the secretariat nor the standing body.
const NotStandingBody = "Chỉ Văn phòng UBND phường và cơ quan thường trực được xác nhận hoặc trả lại kết quả."

// DailyNotice is the secretariat's one message a day about what could not
// reach people: deliveries given up, reminders not sent, units nobody
// registered for and invites running out unused.
type DailyNotice struct {
	Day          plan.Date
	Failed       []FailedLine
	Missed       []MissedLine
	Unregistered []string
	Expired      []InviteLine // expired unused since the last notice
	Expiring     []InviteLine // unused, expiring within two days
}

// FailedLine is one person whose messages were given up.
type FailedLine struct {
	Name, Unit, Reason string
	Count              int
}

// MissedLine is a unit's reminders that were not sent. NoOfficer says
// why: nobody registered for the unit, else they were too late.
type MissedLine struct {
	Unit      string
	Codes     []string
	Count     int
	NoOfficer bool
}

// InviteLine is an unused invite.
type InviteLine struct {
	Unit    string
	Role    plan.Role
	Expires plan.Date
}

// Empty reports whether the notice has nothing to say.
func (n DailyNotice) Empty() bool {
	return len(n.Failed)+len(n.Missed)+len(n.Unregistered)+len(n.Expired)+len(n.Expiring) == 0
}

// DailyNoticeText renders n.
func DailyNoticeText(n DailyNotice) string {
	var b strings.Builder
	fmt.Fprintf(&b, "ℹ️ Tình hình gửi tin — %s\n", n.Day.Vietnamese())
	if len(n.Failed) > 0 {
		b.WriteString("Không gửi được:\n")
		for _, f := range n.Failed {
			who := plan.EscapeHTML(f.Unit)
			if f.Name != "" {
				who = fmt.Sprintf("%s (đồng chí %s)", who, plan.EscapeHTML(f.Name))
			}
			fmt.Fprintf(&b, "• %s — %s: %d tin.\n", who, plan.EscapeHTML(f.Reason), f.Count)
		}
	}
	if len(n.Missed) > 0 {
		b.WriteString("Nhắc việc chưa gửi:\n")
		for _, m := range n.Missed {
			why := "quá thời điểm gửi do hệ thống ngừng"
			if m.NoOfficer {
				why = "chưa có cán bộ đầu mối đăng ký"
			}
			fmt.Fprintf(&b, "• %s — %s: %d nhắc việc (%s).\n", plan.EscapeHTML(unitOrSecretariat(m.Unit)), why, m.Count,
				plan.EscapeHTML(strings.Join(m.Codes, ", ")))
		}
	}
	if len(n.Unregistered) > 0 {
		fmt.Fprintf(&b, "Đơn vị chưa có cán bộ đầu mối đăng ký: %s.\n", plan.EscapeHTML(strings.Join(n.Unregistered, ", ")))
	}
	invites := func(head string, ls []InviteLine) {
		if len(ls) == 0 {
			return
		}
		parts := make([]string, len(ls))
		for i, l := range ls {
			who := l.Unit
			if who == "" {
				who = l.Role.Vietnamese()
			}
			parts[i] = fmt.Sprintf("%s (%s)", plan.EscapeHTML(who), l.Expires.Vietnamese())
		}
		fmt.Fprintf(&b, "%s: %s.\n", head, strings.Join(parts, ", "))
	}
	invites("Mã mời đã hết hạn, chưa dùng", n.Expired)
	invites("Mã mời sắp hết hạn, chưa dùng", n.Expiring)
	b.WriteString("Đề nghị Văn phòng liên hệ trực tiếp các đơn vị; gõ /moi để tạo mã mời mới.")
	return b.String()
}

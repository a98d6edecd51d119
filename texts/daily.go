package texts

import (
	"fmt"
	"slices"
	"strings"

	"github.com/chanhlo/planbot/plan"
)

// Texts of the secretariat's daily notice (scheduler.DailyNotice): what
// could not be delivered and who cannot be reached, once a day instead of
// a message per failure.

// DailyOfficer is an officer the bot cannot reach.
type DailyOfficer struct {
	Name, Unit string
	Role       plan.Role
	Since      plan.Date
}

// DailyInvite is an invite not used.
type DailyInvite struct {
	Unit    string
	Expires plan.Date
}

// DailyNotice is what the daily notice tells.
type DailyNotice struct {
	Day plan.Date
	// Missed are the reminders that could not be sent since the previous
	// notice.
	Missed []ReminderItem
	// Blocked are the officers who blocked the bot since the previous
	// notice; StillBlocked those who had before and still have.
	Blocked, StillBlocked []DailyOfficer
	// Expired are invites that expired unused since the previous notice;
	// Expiring those that will within two days.
	Expired, Expiring []DailyInvite
	// NoOfficer are the plan's units with nobody registered.
	NoOfficer []string
}

// DailyNoticeText is the daily notice, in the HTML subset of
// plan.Message.
func DailyNoticeText(n DailyNotice) string {
	var b strings.Builder
	fmt.Fprintf(&b, "🗂 <b>Tình hình nhận tin ngày %s</b>\n", n.Day.Vietnamese())
	if len(n.Blocked) > 0 {
		b.WriteString("Đã chặn bot, không nhận được nhắc việc:\n")
		for _, o := range n.Blocked {
			fmt.Fprintf(&b, "• %s — %s (từ %s)\n", escUnitOrRole(o.Unit, o.Role), plan.EscapeHTML(o.Name), o.Since.Vietnamese())
		}
	}
	if len(n.Missed) > 0 {
		fmt.Fprintf(&b, "Nhắc việc không gửi được (%d):\n", len(n.Missed))
		for _, g := range groupMissed(n.Missed, n.NoOfficer) {
			fmt.Fprintf(&b, "• %s — %s: %s\n", plan.EscapeHTML(unitOrSecretariat(g.unit)), g.why, strings.Join(g.what, "; "))
		}
	}
	if len(n.Expired) > 0 {
		b.WriteString("Lời mời đã hết hạn mà chưa dùng:\n")
		for _, inv := range n.Expired {
			fmt.Fprintf(&b, "• %s (hết hạn %s)\n", plan.EscapeHTML(inv.Unit), inv.Expires.Vietnamese())
		}
	}
	if len(n.Expiring) > 0 {
		b.WriteString("Lời mời sắp hết hạn, chưa dùng:\n")
		for _, inv := range n.Expiring {
			fmt.Fprintf(&b, "• %s (hết hạn %s)\n", plan.EscapeHTML(inv.Unit), inv.Expires.Vietnamese())
		}
	}
	if len(n.NoOfficer) > 0 {
		fmt.Fprintf(&b, "Đơn vị chưa có cán bộ đầu mối (%d): %s.\n", len(n.NoOfficer), plan.EscapeHTML(strings.Join(n.NoOfficer, ", ")))
	}
	if len(n.StillBlocked) > 0 {
		names := make([]string, len(n.StillBlocked))
		for i, o := range n.StillBlocked {
			names[i] = escUnitOrRole(o.Unit, o.Role) + " (từ " + o.Since.Vietnamese() + ")"
		}
		fmt.Fprintf(&b, "Vẫn chặn bot: %s.\n", strings.Join(names, ", "))
	}
	b.WriteString("Đề nghị Văn phòng liên hệ trực tiếp các đơn vị; gửi lời mời mới bằng /moi ĐƠN VỊ. Tin này gửi mỗi ngày làm việc một lần, khi có việc mới.")
	return b.String()
}

func escUnitOrRole(unit string, r plan.Role) string {
	if unit == "" {
		return plan.EscapeHTML(r.Vietnamese())
	}
	return plan.EscapeHTML(unit)
}

type missedGroup struct {
	unit, why string
	what      []string
}

// groupMissed puts a unit's missed reminders on one line: "2.c đề nghị
// báo cáo tháng 5/2023; 2.c nhắc báo cáo tháng 5/2023".
// A unit with an officer missed them because the bot was down too long.
func groupMissed(items []ReminderItem, noOfficer []string) []missedGroup {
	var out []missedGroup
	idx := map[string]int{}
	for _, it := range items {
		why := "quá thời điểm gửi do hệ thống ngừng hoạt động"
		switch {
		case it.Unit == "":
			why = "không có người nhận"
		case slices.Contains(noOfficer, it.Unit):
			why = "chưa có cán bộ đăng ký"
		}
		i, ok := idx[it.Unit]
		if !ok {
			i = len(out)
			idx[it.Unit] = i
			out = append(out, missedGroup{unit: it.Unit, why: why})
		}
		what := "<b>" + plan.EscapeHTML(it.Code) + "</b> " + ReminderKindName(it.Kind)
		switch {
		case IsReportKind(it.Kind):
			what += " " + it.Period.Vietnamese()
		case !it.Due.IsZero():
			what += " (hạn " + it.Due.Vietnamese() + ")"
		}
		out[i].what = append(out[i].what, what)
	}
	return out
}

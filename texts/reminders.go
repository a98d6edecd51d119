package texts

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/chanhlo/planbot/plan"
)

// Texts of the reminder scheduler (package scheduler): the daily digest an
// officer gets, the secretariat's list of overdue tasks and of reminders
// that could not be sent. Titles and unit names are escaped here.

// ReminderTitleRunes is how much of a task's title a reminder line shows.
const ReminderTitleRunes = 90

// ReminderItem is one line of a reminder message: one task, for one unit,
// of one reminder kind.
type ReminderItem struct {
	Kind  plan.ReminderKind
	Code  string
	Title string
	// Unit is the unit the reminder is for; shown in the secretariat's
	// lists, not in the unit's own digest.
	Unit string
	// Role is the unit's part in the task; a supporting unit's due-day
	// notice says so.
	Role plan.AssignmentRole
	// Due is the deadline as the plan gives it; Effective is the last
	// working day on or before it (Due itself when Due is a working day).
	Due, Effective plan.Date
	// DueOff says what kind of day Due is when it is not a working day:
	// "ngày nghỉ lễ", "thứ Bảy", "Chủ nhật"; "" when it is one.
	DueOff string
	// WorkingDaysLeft counts the working days from the day the message
	// goes out to Effective (before kind).
	WorkingDaysLeft int
	// DaysLate counts the full working days past Due before the day the
	// message goes out (overdue and escalation kinds), as the weekly
	// digest does.
	DaysLate int
	// Period is the reporting period (report_request and chaser kinds).
	Period plan.Period
	// At is when the reminder was due (lists of missed reminders).
	At time.Time
	// No is the task's number in the message's list of report requests
	// (plan.ReplyContext.Numbered), 1 for the first; 0 for none.
	No int
}

// ReminderKindName names a reminder kind in the secretariat's lists.
func ReminderKindName(k plan.ReminderKind) string {
	switch k {
	case plan.RemindBefore:
		return "nhắc trước hạn"
	case plan.RemindDue:
		return "nhắc đến hạn"
	case plan.RemindOverdue:
		return "nhắc quá hạn"
	case plan.RemindEscalation:
		return "báo quá hạn cho Văn phòng"
	case plan.RemindStart:
		return "báo bắt đầu thực hiện"
	case plan.RemindReportRequest:
		return "đề nghị báo cáo"
	case plan.RemindChaser:
		return "nhắc báo cáo"
	}
	return string(k)
}

// IsReportKind reports whether k asks for a period's report rather than
// reminding of a deadline.
func IsReportKind(k plan.ReminderKind) bool {
	return k == plan.RemindReportRequest || k == plan.RemindChaser
}

func remindHead(it ReminderItem) string {
	return "<b>" + plan.EscapeHTML(it.Code) + "</b> " + plan.EscapeHTML(TitleIn(it.Title, ReminderTitleRunes))
}

// DuePhrase is how every reminder tells a deadline: the plan's date,
// always, and when it is not a working day, what day it is and the
// working day to finish by: "hạn 30/4/2023 (Chủ nhật, nghỉ lễ), đề nghị
// hoàn thành chậm nhất thứ Sáu 28/4". The official date never moves.
func DuePhrase(due, effective plan.Date, off string) string {
	s := "hạn <b>" + due.Vietnamese() + "</b>"
	if off == "" || effective.IsZero() || effective == due {
		return s
	}
	return s + " (" + dayOffName(due, off) + "), đề nghị hoàn thành chậm nhất " + weekdayName(effective) + " " + dayMonth(effective)
}

// dayOffName is "Chủ nhật, nghỉ lễ", "thứ Bảy" or "thứ Hai, nghỉ lễ".
func dayOffName(d plan.Date, off string) string {
	if off == DayOffHoliday {
		return weekdayName(d) + ", nghỉ lễ"
	}
	if off == DayOffOther {
		return weekdayName(d) + ", ngày nghỉ"
	}
	return off
}

func weekdayName(d plan.Date) string {
	return [...]string{"Chủ nhật", "thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy"}[d.Weekday()]
}

func dayMonth(d plan.Date) string { return fmt.Sprintf("%d/%d", d.Day, int(d.Month)) }

// shortDue is the compact request's "hạn 30/6" or "hạn 30/4, chậm nhất
// 28/4" (the year is the plan's; the line must fit a phone).
func shortDue(it ReminderItem) string {
	if it.Due.IsZero() {
		return ""
	}
	s := "hạn " + dayMonth(it.Due)
	if it.DueOff != "" && !it.Effective.IsZero() && it.Effective != it.Due {
		s += ", chậm nhất " + dayMonth(it.Effective)
	}
	return s
}

// overdueFor is ", quá 5 ngày làm việc" after "hạn 30/4/2023"; "" on the
// first notice, before a full working day has passed.
func overdueFor(days int) string {
	if days <= 0 {
		return ""
	}
	return fmt.Sprintf(", đã quá %d ngày làm việc", days)
}

// ReminderLine renders one reminder as a line of a digest, without the
// unit (the digest names it once). Deadlines read as DuePhrase says.
func ReminderLine(it ReminderItem) string {
	head := remindHead(it)
	due := DuePhrase(it.Due, it.Effective, it.DueOff)
	support := ""
	if it.Role == plan.RoleSupport {
		support = " (đơn vị phối hợp)"
	}
	switch it.Kind {
	case plan.RemindBefore:
		return fmt.Sprintf("%s — %s; còn %d ngày làm việc%s.", head, due, it.WorkingDaysLeft, support)
	case plan.RemindDue:
		if it.Effective != it.Due && !it.Effective.IsZero() {
			return fmt.Sprintf("%s — %s; <b>hôm nay</b> là ngày làm việc cuối trước hạn%s.", head, due, support)
		}
		return fmt.Sprintf("%s — hạn <b>hôm nay, %s</b>%s.", head, it.Due.Vietnamese(), support)
	case plan.RemindOverdue:
		return fmt.Sprintf("%s — hạn %s%s, chưa báo cáo hoàn thành.", head, it.Due.Vietnamese(), overdueFor(it.DaysLate))
	case plan.RemindStart:
		return fmt.Sprintf("%s — bắt đầu thực hiện từ hôm nay, %s.", head, due)
	case plan.RemindReportRequest, plan.RemindChaser:
		what := "đề nghị báo cáo kết quả"
		if it.Kind == plan.RemindChaser {
			what = "chưa nhận được báo cáo"
		}
		s := fmt.Sprintf("%s — %s %s", head, what, it.Period.Vietnamese())
		if !it.Due.IsZero() {
			s += "; " + due
		}
		return s + "."
	case plan.RemindEscalation:
		return fmt.Sprintf("%s — <b>%s</b>: hạn %s%s, chưa báo cáo hoàn thành.",
			head, plan.EscapeHTML(it.Unit), it.Due.Vietnamese(), overdueFor(it.DaysLate))
	}
	return head
}

// compactTitleRunes is how much of a title a numbered request line shows.
const compactTitleRunes = 48

// RequestLine is one line of a numbered report request: "3. <b>2.a</b>
// Tiếp tục thúc đẩy, nâng cao tỉ lệ người dân tham gia… (hạn 30/6)". No
// is the task's number in the message, which a reply "3. 80%" answers.
func RequestLine(it ReminderItem) string {
	s := strconv.Itoa(it.No) + ". <b>" + plan.EscapeHTML(it.Code) + "</b> " + plan.EscapeHTML(TitleIn(it.Title, compactTitleRunes))
	if d := shortDue(it); d != "" {
		s += " (" + d + ")"
	}
	return s
}

// ReminderDigest is the one message an officer of unit gets on a day:
// overdue notices under their own heading, then deadline reminders, then
// report requests as a numbered list, then how to answer. Items are shown
// in the order given. A digest of report requests only is headed "📝 Đề
// nghị báo cáo tháng 4/2023", one that only chases reports already asked
// for "📝 Nhắc báo cáo tháng 4/2023".
func ReminderDigest(unit string, items []ReminderItem) string {
	var overdue, deadlines, reports []ReminderItem
	for _, it := range items {
		switch {
		case IsReportKind(it.Kind):
			reports = append(reports, it)
		case it.Kind == plan.RemindOverdue:
			overdue = append(overdue, it)
		default:
			deadlines = append(deadlines, it)
		}
	}
	var b strings.Builder
	b.Grow(256 * (len(items) + 1))
	u := plan.EscapeHTML(unit)
	if len(overdue) > 0 {
		fmt.Fprintf(&b, "⚠️ Quá hạn — %s\n", u)
		for _, it := range overdue {
			b.WriteString(ReminderLine(it) + "\n")
		}
	}
	if len(deadlines) > 0 {
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "⏰ Nhắc hạn — %s\n", u)
		for _, it := range deadlines {
			b.WriteString(ReminderLine(it) + "\n")
		}
	}
	if len(reports) > 0 {
		head := "Đề nghị báo cáo"
		if allChasers(reports) {
			head = "Nhắc báo cáo"
		}
		if b.Len() > 0 {
			fmt.Fprintf(&b, "\n📝 %s %s:\n", head, reports[0].Period.Vietnamese())
		} else {
			fmt.Fprintf(&b, "📝 %s %s — %s\n", head, reports[0].Period.Vietnamese(), u)
		}
		numbered := true
		for _, it := range reports {
			numbered = numbered && it.No > 0
		}
		for _, it := range reports {
			if numbered {
				b.WriteString(RequestLine(it) + "\n")
			} else {
				b.WriteString(ReminderLine(it) + "\n")
			}
		}
		if numbered && len(reports) > 1 {
			b.WriteString(ReplyHint(reports[0].No, reports[1].No))
			return b.String()
		}
	}
	support := len(items) > 0
	for _, it := range items {
		support = support && it.Role == plan.RoleSupport
	}
	if support {
		b.WriteString(SupportOnlyHint)
		return b.String()
	}
	code := "1.a"
	if len(items) > 0 {
		code = plan.EscapeHTML(items[0].Code)
	}
	fmt.Fprintf(&b, "Trả lời tin nhắn này bằng số liệu, ví dụ: \"%s 80%%\", \"%s xong\", \"%s vướng: chưa có mẫu văn bản\".", code, code, code)
	return b.String()
}

// SupportOnlyHint ends a digest of tasks the unit only supports: the lead
// unit reports on them.
const SupportOnlyHint = "Đơn vị phối hợp: đơn vị chủ trì báo cáo kết quả; đồng chí phối hợp theo đề nghị của đơn vị chủ trì."

// ReplyHint tells how to answer a numbered request in one message.
func ReplyHint(first, second int) string {
	return fmt.Sprintf("Trả lời một tin, mỗi dòng một nhiệm vụ theo số thứ tự (hoặc mã), ví dụ:\n%d. 80%%\n%d. xong\nhoặc \"vướng: …\" khi có khó khăn.", first, second)
}

// allChasers reports whether every item chases a report already asked
// for.
func allChasers(items []ReminderItem) bool {
	for _, it := range items {
		if it.Kind != plan.RemindChaser {
			return false
		}
	}
	return len(items) > 0
}

// Kinds of days that are not working days, as ReminderItem.DueOff names
// them ("30/4 là ngày nghỉ lễ").
const (
	DayOffHoliday  = "ngày nghỉ lễ"
	DayOffSaturday = "thứ Bảy"
	DayOffSunday   = "Chủ nhật"
	DayOffOther    = "ngày nghỉ"
)

// EscalationDigest tells the secretariat which units let tasks run
// overdue without reporting them done.
func EscalationDigest(items []ReminderItem) string {
	var b strings.Builder
	b.WriteString("⚠️ Nhiệm vụ quá hạn chưa báo cáo hoàn thành\n")
	for _, it := range items {
		b.WriteString(ReminderLine(it) + "\n")
	}
	b.WriteString("Đề nghị Văn phòng đôn đốc các đơn vị; tình hình được đưa vào báo cáo tổng hợp gửi Chủ tịch.")
	return b.String()
}

// MissedReminders lists, once, to the secretariat the reminders that were
// not sent: late ones because the bot was stopped longer than
// catchUpDays, unassigned ones because their unit has no registered
// officer.
func MissedReminders(late, unassigned []ReminderItem, catchUpDays int) string {
	var b strings.Builder
	b.WriteString("ℹ️ Nhắc việc không gửi được\n")
	line := func(it ReminderItem) {
		at := it.At
		fmt.Fprintf(&b, "• %s — <b>%s</b> %s: %s", at.Format("15:04 2/1/2006"),
			plan.EscapeHTML(it.Code), plan.EscapeHTML(unitOrSecretariat(it.Unit)), ReminderKindName(it.Kind))
		switch {
		case IsReportKind(it.Kind):
			fmt.Fprintf(&b, " %s", it.Period.Vietnamese())
		case !it.Due.IsZero():
			fmt.Fprintf(&b, " (hạn %s)", it.Due.Vietnamese())
		}
		b.WriteString(".\n")
	}
	if len(late) > 0 {
		fmt.Fprintf(&b, "Quá thời điểm gửi hơn %d ngày do hệ thống ngừng hoạt động, nên không gửi nữa:\n", catchUpDays)
		for _, it := range late {
			line(it)
		}
	}
	if len(unassigned) > 0 {
		b.WriteString("Đơn vị chưa có cán bộ đầu mối đăng ký nhận tin:\n")
		for _, it := range unassigned {
			line(it)
		}
	}
	b.WriteString("Đề nghị Văn phòng kiểm tra, nhắc trực tiếp các đơn vị nếu cần.")
	return b.String()
}

func unitOrSecretariat(unit string) string {
	if unit == "" {
		return "Văn phòng"
	}
	return unit
}

// Texts of /sethan, which gives a task waiting for a condition its
// deadline.

// SetDeadlineUsage explains /sethan.
const SetDeadlineUsage = "Cú pháp: /sethan MÃ NGÀY (ví dụ: /sethan 1.a 30/6/2023) để đặt hạn cho nhiệm vụ chờ điều kiện; " +
	"hoặc /sethan MÃ thuongxuyen khi điều kiện đã có nhưng không có hạn cụ thể (báo cáo hằng tháng)."

// Command /sethan (Telegram's command menu and /huongdan).
const (
	CmdSetDeadline   = "Đặt hạn cho nhiệm vụ chờ điều kiện (/sethan 1.a 30/6/2023 hoặc /sethan 1.a thuongxuyen)"
	CmdSetDeadlineEN = "Set the deadline of a task waiting for a condition"
	UsageSetDeadline = "MÃ NGÀY | MÃ thuongxuyen"
)

// Errors of /sethan. They are plain text (*plan.Error messages); arg is
// the date as typed.

// DeadlineBadDate rejects a date that is not d/m/yyyy; withUsage adds
// SetDeadlineUsage (when the argument has not even three parts).
func DeadlineBadDate(arg string, withUsage bool) string {
	if withUsage {
		return fmt.Sprintf("Ngày %q không hợp lệ; viết dạng 30/6/2023. %s", arg, SetDeadlineUsage)
	}
	return fmt.Sprintf("Ngày %q không hợp lệ; viết dạng 30/6/2023.", arg)
}

// DeadlineNoSuchDay rejects a well-formed date that is not in the
// calendar (31/6/2023) or out of range.
func DeadlineNoSuchDay(arg string) string {
	return fmt.Sprintf("Ngày %q không có trong lịch; viết dạng 30/6/2023.", arg)
}

// DeadlineNoTask: no plan has the task.
func DeadlineNoTask(code string) string {
	return fmt.Sprintf("Không có nhiệm vụ %s trong kế hoạch.", code)
}

// DeadlineAlreadySet: the task has a deadline of its own (text is the
// plan's phrase).
func DeadlineAlreadySet(code, text string) string {
	return fmt.Sprintf("Nhiệm vụ %s đã có thời hạn (%s); /sethan chỉ dùng cho nhiệm vụ chờ điều kiện hoặc chưa rõ thời hạn.", code, text)
}

// DeadlinePast rejects a due day before today.
func DeadlinePast(d plan.Date) string {
	return fmt.Sprintf("Ngày %s đã qua.", d.Vietnamese())
}

// DeadlineSet confirms a deadline given with /sethan.
func DeadlineSet(code, title string, due plan.Date, original string) string {
	return fmt.Sprintf("✅ Đã đặt hạn <b>%s</b> %s: <b>%s</b> (theo kế hoạch: %s). Các đơn vị được nhắc trước hạn và khi đến hạn.",
		plan.EscapeHTML(code), plan.EscapeHTML(TitleIn(title, ReminderTitleRunes)), due.Vietnamese(), plan.EscapeHTML(original))
}

// DeadlineOngoing confirms that a task's condition is met and it is now
// reported monthly.
func DeadlineOngoing(code, title string, from plan.Period, original string) string {
	return fmt.Sprintf("✅ Đã ghi nhận điều kiện của <b>%s</b> %s (theo kế hoạch: %s). Từ %s, các đơn vị báo cáo nhiệm vụ này hằng tháng.",
		plan.EscapeHTML(code), plan.EscapeHTML(TitleIn(title, ReminderTitleRunes)), plan.EscapeHTML(original), from.Vietnamese())
}

// WeeklyItem is one task of the chairman's weekly digest: a task overdue
// long enough to have been escalated, and the responsible units that have
// not reported it done.
type WeeklyItem struct {
	Code  string
	Title string
	// Units are the late units; Role says whether they lead the task
	// (RoleLead) or carry it out (RoleExecute).
	Units []string
	Role  plan.AssignmentRole
	// Due is the deadline as the plan gives it; WorkingDaysLate counts
	// the full working days since.
	Due             plan.Date
	WorkingDaysLate int
	// Blocker is the latest difficulty reported on the task, with its
	// unit and day; empty when none.
	Blocker, BlockerUnit string
	BlockerOn            plan.Date
}

// WeeklyLine renders one task of the weekly digest.
func WeeklyLine(it WeeklyItem) string {
	who := "đơn vị chủ trì"
	if it.Role == plan.RoleExecute {
		who = "đơn vị thực hiện"
	}
	units := make([]string, len(it.Units))
	for i, u := range it.Units {
		units[i] = plan.EscapeHTML(u)
	}
	s := fmt.Sprintf("<b>%s</b> %s — hạn %s, quá <b>%d ngày làm việc</b>; %s: <b>%s</b>.",
		plan.EscapeHTML(it.Code), plan.EscapeHTML(TitleIn(it.Title, ReminderTitleRunes)), it.Due.Vietnamese(),
		it.WorkingDaysLate, who, strings.Join(units, ", "))
	if it.Blocker != "" {
		s += fmt.Sprintf(" Vướng mắc (%s, %d/%d): “%s”.", plan.EscapeHTML(it.BlockerUnit), it.BlockerOn.Day, int(it.BlockerOn.Month),
			plan.EscapeHTML(Shorten(it.Blocker, 150)))
	}
	return s
}

// WeeklyDigest is the chairman's Monday message: the tasks overdue more
// than escalateDays working days without a "done" report, as of the week
// from (its first day) to to (its last). copyFor names the recipient of a
// copy ("Văn phòng"), "" for the chairman's own.
func WeeklyDigest(from, to plan.Date, escalateDays int, items []WeeklyItem, copyFor string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "📋 Tổng hợp tuần %d/%d–%s: nhiệm vụ quá hạn", from.Day, int(from.Month), to.Vietnamese())
	if escalateDays > 0 {
		fmt.Fprintf(&b, " từ %d ngày làm việc trở lên", escalateDays)
	}
	b.WriteString(", chưa báo cáo hoàn thành")
	if copyFor != "" {
		fmt.Fprintf(&b, " (bản gửi %s)", plan.EscapeHTML(copyFor))
	}
	b.WriteString("\n")
	for _, it := range items {
		b.WriteString(WeeklyLine(it) + "\n")
	}
	// Overdue notices repeat on the scheduler's policy (weekly by
	// default), not daily: do not name a frequency here.
	b.WriteString("Văn phòng đã nhắc định kỳ các đơn vị. Xem tình hình chung bằng lệnh /tonghop.")
	return b.String()
}

// StandingCopy names the standing body's copy of a digest meant for the
// secretariat: "(bản gửi cơ quan thường trực Công an phường)".
func StandingCopy(unit string) string { return "cơ quan thường trực " + unit }

// WeeklyCopySecretariat names the secretariat's copy of the weekly digest.
const WeeklyCopySecretariat = "Văn phòng"

// UndatedItem is a task whose deadline the importer could not read.
type UndatedItem struct {
	Code, Title string
	Units       []string
	// Words are the plan's words for the deadline, when there were any.
	Words string
}

// UndatedAsk asks the secretariat to set the deadlines the plan's words
// did not give.
func UndatedAsk(items []UndatedItem) string {
	var b strings.Builder
	fmt.Fprintf(&b, "📅 <b>Nhiệm vụ chưa có thời hạn (%d)</b> — các đơn vị vẫn báo cáo hằng tháng:\n", len(items))
	for _, it := range items {
		fmt.Fprintf(&b, "• <b>%s</b> %s — %s", plan.EscapeHTML(it.Code), plan.EscapeHTML(TitleIn(it.Title, 70)), plan.EscapeHTML(strings.Join(it.Units, ", ")))
		if it.Words != "" {
			fmt.Fprintf(&b, " (kế hoạch ghi: “%s”)", plan.EscapeHTML(Shorten(it.Words, 60)))
		}
		b.WriteString("\n")
	}
	code := plan.EscapeHTML(items[0].Code)
	fmt.Fprintf(&b, "Đề nghị Văn phòng đặt hạn: /sethan %s NGÀY (ví dụ /sethan %s 30/9/2023), hoặc /sethan %s thuongxuyen nếu làm thường xuyên.", code, code, code)
	return b.String()
}

package texts

import (
	"fmt"
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/chanhlo/planbot/plan"
)

// Texts of the chat core (package bot). Values from plans and people are
// escaped by the functions that take them; constants are HTML as is.

// Apology is the reply when something went wrong inside the bot.
const Apology = "Xin lỗi đồng chí, hệ thống đang gặp sự cố nên chưa xử lý được yêu cầu. Đồng chí vui lòng thử lại sau ít phút."

// NotRegistered answers an unregistered person who wrote anything but
// /start or /help.
const NotRegistered = "Đồng chí chưa đăng ký sử dụng. Vui lòng mở đường liên kết mời do Văn phòng UBND phường gửi, hoặc gõ /start kèm mã mời (ví dụ: /start AbC123)."

// Forbidden answers a command the person's role may not use.
const Forbidden = "Đồng chí không có quyền dùng lệnh này."

// UnknownCommand answers a command the bot does not know.
func UnknownCommand(name string) string {
	return fmt.Sprintf("Không có lệnh /%s. Gõ /huongdan để xem các lệnh.", plan.EscapeHTML(name))
}

// StartWithoutCode answers /start with no code from an unregistered person.
const StartWithoutCode = "Chào đồng chí. Để đăng ký, vui lòng mở đường liên kết mời do Văn phòng UBND phường gửi, hoặc gõ /start kèm mã mời."

// AlreadyRegistered answers /start without a code from a registered person.
func AlreadyRegistered(o *plan.Officer) string {
	return fmt.Sprintf("Đồng chí đã đăng ký là %s%s. Gõ /nhiemvu để xem nhiệm vụ, /huongdan để xem cách báo cáo.",
		plan.EscapeHTML(o.Role.Vietnamese()), unitSuffix(o.Unit))
}

func unitSuffix(unit string) string {
	if unit == "" {
		return ""
	}
	return " của <b>" + plan.EscapeHTML(unit) + "</b>"
}

// Invite code problems.
const (
	InviteUnknown  = "Mã mời không đúng. Đồng chí kiểm tra lại đường liên kết hoặc xin Văn phòng UBND phường mã mới."
	InviteUsed     = "Mã mời này đã được dùng. Mỗi mã chỉ dùng được một lần; đồng chí xin Văn phòng UBND phường mã mới."
	InviteExpired  = "Mã mời đã hết hạn. Đồng chí xin Văn phòng UBND phường mã mới."
	InviteThrottle = "Đồng chí đã nhập sai mã quá nhiều lần. Vui lòng thử lại sau 15 phút."
)

// Greeting welcomes a newly registered person. planName names the plan
// ("Kế hoạch số 56/KH-UBND"); tasks counts the unit's tasks; nearest is
// the task with the nearest deadline (nil when none).
type Greeting struct {
	Name      string
	Role      plan.Role
	Unit      string
	PlanName  string
	Main      int // chủ trì or thực hiện
	Support   int // phối hợp
	Nearest   *plan.Task
	Replacing bool
}

// Greet renders the registration greeting.
func Greet(g Greeting) string {
	var b strings.Builder
	name := strings.TrimSpace(g.Name)
	if name == "" {
		b.WriteString("Chào đồng chí. ")
	} else {
		fmt.Fprintf(&b, "Chào đồng chí %s. ", plan.EscapeHTML(name))
	}
	fmt.Fprintf(&b, "Đồng chí đã được ghi nhận là %s%s", plan.EscapeHTML(g.Role.Vietnamese()), unitSuffix(g.Unit))
	if g.PlanName != "" {
		fmt.Fprintf(&b, " trong %s", plan.EscapeHTML(g.PlanName))
	}
	b.WriteString(".\n")
	if g.Unit != "" && !g.Role.SeesAll() {
		total := g.Main + g.Support
		if total == 0 {
			b.WriteString("Đơn vị hiện chưa được giao nhiệm vụ nào trong kế hoạch.\n")
		} else {
			fmt.Fprintf(&b, "Đơn vị có %d nhiệm vụ: %d chủ trì hoặc thực hiện, %d phối hợp.", total, g.Main, g.Support)
			if g.Nearest != nil {
				fmt.Fprintf(&b, " Gần nhất: <b>%s</b> %s — hạn %s.",
					plan.EscapeHTML(g.Nearest.Code), plan.EscapeHTML(TitleIn(g.Nearest.Title, 60)), g.Nearest.Deadline.Due.Vietnamese())
			}
			b.WriteString("\n")
		}
		b.WriteString("Gõ /nhiemvu để xem danh sách, /huongdan để xem cách báo cáo.")
	} else if g.Role == plan.RoleProvince {
		b.WriteString("Gõ /tonghop để xem tổng hợp các xã, phường, /thongbao để gửi thông báo tới các xã, phường, /huongdan để xem các lệnh.")
	} else {
		b.WriteString("Gõ /nhiemvu để xem các nhiệm vụ, /donvi để xem các đơn vị, /huongdan để xem các lệnh.")
	}
	return b.String()
}

// Replaced tells an officer that someone else now answers for their unit.
func Replaced(o *plan.Officer, by string) string {
	return fmt.Sprintf("Đồng chí %s đã được đăng ký thay đồng chí làm %s%s. Từ nay đồng chí không nhận nhắc việc qua kênh này nữa. Nếu có nhầm lẫn, vui lòng liên hệ Văn phòng UBND phường.",
		plan.EscapeHTML(by), plan.EscapeHTML(o.Role.Vietnamese()), unitSuffix(o.Unit))
}

// Shorten cuts s to at most n characters on a word boundary, adding "…".
// It works on plain text; escape the result.
//
// Every reminder line shortens its task's title, hundreds per ward on a
// report day: the usual title (valid UTF-8, single spaces) is cut in
// place, without splitting it into words and runes.
func Shorten(s string, n int) string {
	end, ok := plainPrefix(s, n)
	if !ok {
		if !utf8.ValidString(s) {
			return shortenRunes(s, n)
		}
		s = squeezeSpace(s)
		end = len(s)
		count := 0
		for i := range s {
			if count == n {
				end = i
				break
			}
			count++
		}
	}
	if end == len(s) {
		return s
	}
	cut := s[:end]
	if i := strings.LastIndexByte(cut, ' '); s[end] != ' ' && i > n/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:.-–") + "…"
}

// plainPrefix returns the byte offset of s's n-th rune (len(s) when s is
// shorter), and whether s up to one rune past it is valid UTF-8 with no
// space to squeeze: then Shorten cuts s there as it is, without reading
// the rest of a long title.
func plainPrefix(s string, n int) (end int, ok bool) {
	prevSpace := true // a space first would be leading
	count := 0
	for i := 0; i < len(s); {
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			if r, size = utf8.DecodeRuneInString(s[i:]); r == utf8.RuneError && size == 1 {
				return 0, false
			}
		}
		if unicode.IsSpace(r) {
			if r != ' ' || prevSpace {
				return 0, false
			}
			prevSpace = true
		} else {
			prevSpace = false
		}
		if count == n {
			// The rune after the cut is read: Shorten looks at it. A
			// space there may be the last thing in s, which squeezing
			// drops: the long way decides.
			return i, r != ' '
		}
		count++
		i += size
	}
	return len(s), !prevSpace || s == ""
}

// shortenRunes is Shorten on any string: invalid bytes become U+FFFD.
func shortenRunes(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := string(r[:n])
	if i := strings.LastIndexByte(cut, ' '); r[n] != ' ' && i > n/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:.-–") + "…"
}

// squeezeSpace is strings.Join(strings.Fields(s), " "), returning s
// itself when it has no space to squeeze.
func squeezeSpace(s string) string {
	prevSpace := true // a space first would be leading
	for _, r := range s {
		if unicode.IsSpace(r) {
			if r != ' ' || prevSpace {
				return strings.Join(strings.Fields(s), " ")
			}
			prevSpace = true
		} else {
			prevSpace = false
		}
	}
	if prevSpace && s != "" {
		return strings.Join(strings.Fields(s), " ")
	}
	return s
}

// TitleIn shortens a task's title to n characters, as Shorten does, for
// a sentence that goes on after it: a title the plan ends with "." loses
// the dot, so "… năm 2023." does not read "năm 2023.." or "năm 2023. —
// hạn …". Use it wherever a title is embedded in a line; plain text,
// escape the result.
func TitleIn(title string, n int) string {
	return strings.TrimRight(Shorten(title, n), " .")
}

// DeadlineText renders a task's deadline for a chat line: "30/4/2023",
// "Thường xuyên", "Hằng tháng", "Chờ điều kiện", or the plan's words.
func DeadlineText(d plan.Deadline) string {
	switch d.Kind {
	case plan.DeadlineDate:
		if !d.Due.IsZero() {
			return d.Due.Vietnamese()
		}
	case plan.DeadlineRange:
		if !d.Start.IsZero() && !d.Due.IsZero() {
			return d.Start.Vietnamese() + " – " + d.Due.Vietnamese()
		}
		if !d.Due.IsZero() {
			return d.Due.Vietnamese()
		}
	case plan.DeadlineRecurring:
		switch d.Recurrence {
		case plan.RecurMonthly:
			return "Hằng tháng"
		case plan.RecurQuarterly:
			return "Hằng quý"
		case plan.RecurYearly:
			return "Hằng năm"
		}
		return "Thường xuyên"
	case plan.DeadlineConditional:
		if !d.Expected.IsZero() {
			return "Chờ điều kiện (dự kiến " + d.Expected.Vietnamese() + ")"
		}
		return "Chờ điều kiện"
	}
	if t := strings.TrimSpace(d.Text); t != "" {
		return plan.EscapeHTML(t)
	}
	return "Chưa rõ"
}

// FigureText renders a reported figure: "80%", "1.200/1.500 hồ sơ (80%)",
// "hoàn thành", "đang thực hiện", "chưa thực hiện", "vướng mắc".
func FigureText(f plan.Figure) string {
	switch f.Kind {
	case plan.ProgressPercent:
		return Number(f.Percent) + "%"
	case plan.ProgressCount:
		s := Number(f.Done) + "/" + Number(f.Total)
		if f.CountUnit != "" {
			s += " " + plan.EscapeHTML(f.CountUnit)
		}
		return s + " (" + Number(f.Percent) + "%)"
	case plan.ProgressDone:
		if f.Total > 0 { // "1.500/1.500 hồ sơ": done, and the count says so
			f.Kind = plan.ProgressCount
			return "hoàn thành, " + FigureText(f)
		}
		return "hoàn thành"
	case plan.ProgressInProgress:
		return "đang thực hiện"
	case plan.ProgressNotStarted:
		return "chưa thực hiện"
	case plan.ProgressBlocked:
		return "vướng mắc"
	}
	return string(f.Kind)
}

// Number writes x as Vietnamese officials do: "1.200", "85,5".
func Number(x float64) string {
	x = math.Round(x*10) / 10
	neg := x < 0
	if neg {
		x = -x
	}
	whole := int64(x)
	frac := x - float64(whole)
	digits := fmt.Sprint(whole)
	var b strings.Builder
	for i, r := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	s := b.String()
	if d := int64(math.Round(frac * 10)); d > 0 && d < 10 {
		s += "," + fmt.Sprint(d)
	}
	if neg {
		s = "-" + s
	}
	return s
}

// ChoiceFallback offers button number n as text on transports without
// buttons.
func ChoiceFallback(n int, label string) string {
	return fmt.Sprintf("• Trả lời <b>%d</b> để %s", n, plan.EscapeHTML(lowerFirst(label)))
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	if len(r) > 1 && unicode.IsUpper(r[1]) {
		return s
	}
	r[0] = unicode.ToLower(r[0])
	return string(r)
}

// NoDocuments replaces a file the transport cannot carry.
func NoDocuments(name string) string {
	return fmt.Sprintf("(Tệp %s không gửi được qua kênh này; đồng chí vui lòng xem trên Telegram hoặc xin Văn phòng UBND phường.)", plan.EscapeHTML(name))
}

// Command descriptions (Telegram's command menu and /huongdan).
const (
	CmdStart      = "Đăng ký bằng mã mời"
	CmdHelp       = "Hướng dẫn sử dụng"
	CmdTasks      = "Nhiệm vụ của đơn vị"
	CmdTask       = "Chi tiết một nhiệm vụ"
	CmdReport     = "Báo cáo tiến độ một nhiệm vụ"
	CmdUnits      = "Các đơn vị và cán bộ đầu mối"
	CmdInvite     = "Tạo mã mời đăng ký"
	CmdStartEN    = "Register with an invite code"
	CmdHelpEN     = "How to use the bot"
	CmdTasksEN    = "My unit's tasks"
	CmdTaskEN     = "Task details"
	CmdReportEN   = "Report progress on a task"
	CmdUnitsEN    = "Units and their officers"
	CmdInviteEN   = "Create a registration invite"
	UsageTask     = "MÃ (ví dụ: /xem 1.c)"
	UsageReport   = "MÃ SỐ_LIỆU [ghi chú] (ví dụ: /baocao 1.c 80%)"
	UsageInvite   = "ĐƠN_VỊ [officer|deputy|secretariat|chairman]"
	HelpReporting = "<b>Cách báo cáo</b>\n" +
		"Trả lời (reply) tin nhắc việc bằng số liệu, hoặc gõ mã nhiệm vụ trước số liệu:\n" +
		"• <code>1.c 80%</code> hoặc <code>1.c 85,5%</code>\n" +
		"• <code>2.e 1.200/1.500 hồ sơ</code>\n" +
		"• <code>1.c xong</code>, <code>1.c đang thực hiện</code>, <code>1.c chưa thực hiện</code>\n" +
		"• <code>2.d vướng: chưa có mẫu văn bản</code>\n" +
		"Ghi chú viết sau số liệu: <code>1.c 80% đã gửi văn bản đăng ký</code>. Gửi lại số liệu mới để sửa."
	HelpRegister = "Để đăng ký, mở đường liên kết mời do Văn phòng UBND phường gửi, hoặc gõ /start kèm mã mời."
	// HelpReportingTyped and HelpRegisterTyped are the same for a
	// messenger without reply-to and invite links (Zalo).
	HelpReportingTyped = "<b>Cách báo cáo</b>\n" +
		"Sau tin nhắc việc hoặc đề nghị báo cáo, gõ số liệu (bot hiểu là trả lời tin gần nhất; tin có nhiều nhiệm vụ thì gõ số thứ tự: <code>2. 80%</code>), hoặc gõ mã nhiệm vụ trước số liệu:\n" +
		"• <code>1.c 80%</code> hoặc <code>1.c 85,5%</code>\n" +
		"• <code>2.e 1.200/1.500 hồ sơ</code>\n" +
		"• <code>1.c xong</code>, <code>1.c đang thực hiện</code>, <code>1.c chưa thực hiện</code>\n" +
		"• <code>2.d vướng: chưa có mẫu văn bản</code>\n" +
		"Ghi chú viết sau số liệu: <code>1.c 80% đã gửi văn bản đăng ký</code>. Gửi lại số liệu mới để sửa."
	HelpRegisterTyped = "Để đăng ký, gõ mã đăng ký do Văn phòng UBND phường gửi, ví dụ: <code>DK 7KQ2-M9XP</code>."
)

// HelpCommand is one line of /huongdan.
func HelpCommand(name, usage, desc string) string {
	s := "/" + name
	if usage != "" {
		s += " " + plan.EscapeHTML(usage)
	}
	return s + " — " + plan.EscapeHTML(desc)
}

// NoPlan answers when no plan has been imported yet.
const NoPlan = "Chưa có kế hoạch nào được nhập vào hệ thống."

// TaskLine is one task of /nhiemvu.
type TaskLine struct {
	Task   *plan.Task
	Role   plan.AssignmentRole // "" when listing every task
	Latest *plan.Progress      // the latest report, if any
	Status string
}

// TasksHeader opens /nhiemvu.
func TasksHeader(unit string, n int) string {
	if unit == "" {
		return fmt.Sprintf("<b>Các nhiệm vụ của kế hoạch</b> (%d):", n)
	}
	return fmt.Sprintf("<b>Nhiệm vụ của %s</b> (%d):", plan.EscapeHTML(unit), n)
}

// NoTasks answers /nhiemvu for a unit with no task.
func NoTasks(unit string) string {
	return fmt.Sprintf("%s hiện chưa được giao nhiệm vụ nào trong kế hoạch.", plan.EscapeHTML(unit))
}

// RenderTaskLine renders one line of /nhiemvu: code, shortened title,
// role, deadline, latest figure, status.
func RenderTaskLine(l TaskLine) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<b>%s</b> %s", plan.EscapeHTML(l.Task.Code), plan.EscapeHTML(TitleIn(l.Task.Title, 70)))
	if l.Role != "" {
		fmt.Fprintf(&b, " · %s", l.Role.Vietnamese())
	}
	fmt.Fprintf(&b, " · hạn: %s", DeadlineText(l.Task.Deadline))
	if l.Latest != nil {
		fmt.Fprintf(&b, " · báo cáo %s: %s", l.Latest.Period.Vietnamese(), FigureText(l.Latest.Figure))
	}
	if l.Status != "" {
		fmt.Fprintf(&b, " · <i>%s</i>", plan.EscapeHTML(l.Status))
	}
	return b.String()
}

// TasksFooter closes /nhiemvu.
const TasksFooter = "Gõ /xem MÃ để xem chi tiết, ví dụ /xem 1.c."

// Statuses of a task for one unit, as /nhiemvu shows them.
const (
	StatusDone        = "đã hoàn thành"
	StatusDonePending = "đã hoàn thành, chờ xác nhận"
	StatusDueSoon     = "sắp đến hạn"
	StatusConditional = "chờ điều kiện"
	StatusInProgress  = "đang thực hiện"
	StatusNoReport    = "chưa báo cáo"
	StatusBlocked     = "có vướng mắc"
)

// StatusOverdue says a task is n days past its deadline.
func StatusOverdue(n int) string { return fmt.Sprintf("quá hạn %d ngày làm việc", n) }

// TaskDetail is what /xem shows.
type TaskDetail struct {
	Task    *plan.Task
	Section string // the section's title
	Reports []plan.Progress
	// Effective is the last working day on or before a due date that is
	// not one, and DueOff what day the due date is (DayOffHoliday …);
	// zero and "" when the due date is a working day.
	Effective plan.Date
	DueOff    string
}

// RenderTaskDetail renders /xem.
func RenderTaskDetail(d TaskDetail) string {
	t := d.Task
	var b strings.Builder
	fmt.Fprintf(&b, "<b>%s</b> %s\n", plan.EscapeHTML(t.Code), plan.EscapeHTML(t.Title))
	if d.Section != "" {
		fmt.Fprintf(&b, "Mục %s. %s\n", plan.EscapeHTML(t.Section), plan.EscapeHTML(d.Section))
	}
	units := func(label string, us []string) {
		if len(us) > 0 {
			fmt.Fprintf(&b, "%s: %s\n", label, plan.EscapeHTML(strings.Join(us, ", ")))
		}
	}
	units("Chủ trì", t.Lead)
	units("Thực hiện", t.Execute)
	if t.SupportAll {
		b.WriteString("Phối hợp: các ban ngành, đơn vị phường\n")
	} else {
		units("Phối hợp", t.Support)
	}
	fmt.Fprintf(&b, "Thời hạn: %s", DeadlineText(t.Deadline))
	if d.DueOff != "" && !d.Effective.IsZero() {
		// As reminders say it: the plan's date, what day it is, the
		// working day to finish by.
		fmt.Fprintf(&b, " (%s), đề nghị hoàn thành chậm nhất %s %s", dayOffName(t.Deadline.Due, d.DueOff), weekdayName(d.Effective), dayMonth(d.Effective))
	}
	if txt := strings.TrimSpace(t.Deadline.Text); txt != "" && txt != DeadlineText(t.Deadline) {
		fmt.Fprintf(&b, " (%s)", plan.EscapeHTML(txt))
	}
	b.WriteString("\n")
	if len(t.Targets) > 0 {
		var ts []string
		for _, tg := range t.Targets {
			if tg.Text != "" {
				ts = append(ts, tg.Text)
			} else {
				ts = append(ts, Number(tg.Value)+tg.Unit)
			}
		}
		fmt.Fprintf(&b, "Chỉ tiêu: %s\n", plan.EscapeHTML(strings.Join(ts, "; ")))
	}
	if len(d.Reports) == 0 {
		b.WriteString("Chưa có báo cáo.")
		return b.String()
	}
	b.WriteString("<b>Báo cáo gần nhất</b>:")
	for _, p := range d.Reports {
		fmt.Fprintf(&b, "\n• %s — %s: %s", plan.EscapeHTML(p.Unit), p.Period.Vietnamese(), FigureText(p.Figure))
		if p.Confirm == plan.ConfirmPending {
			b.WriteString(" (chờ xác nhận)")
		}
		if p.Blocker != "" {
			fmt.Fprintf(&b, ". Vướng mắc: \"%s\"", plan.EscapeHTML(p.Blocker))
		}
		if p.Note != "" {
			fmt.Fprintf(&b, ". Ghi chú: \"%s\"", plan.EscapeHTML(p.Note))
		}
	}
	return b.String()
}

// Recorded confirms a progress report. target is the task's percentage
// target (0: none); previous is the report it corrects, if any.
// The hint on how to correct goes with the unit's first report only
// (first).
func Recorded(code string, p plan.Progress, target float64, previous *plan.Progress, standing string, first bool) string {
	var b strings.Builder
	if p.Kind == plan.ProgressBlocked {
		fmt.Fprintf(&b, "✅ Đã ghi nhận vướng mắc của <b>%s</b> — %s: \"%s\". Đã chuyển tới %s để tổng hợp, báo cáo Chủ tịch.",
			plan.EscapeHTML(code), p.Period.Vietnamese(), plan.EscapeHTML(p.Blocker), Reviewers(standing))
	} else {
		fmt.Fprintf(&b, "✅ Đã ghi nhận <b>%s</b> — %s — %s", plan.EscapeHTML(code), FigureText(p.Figure), p.Period.Vietnamese())
		if target > 0 && p.HasPercent() {
			verdict := "chưa đạt"
			if p.Percent >= target {
				verdict = "đạt"
			}
			fmt.Fprintf(&b, " — chỉ tiêu %s%%: %s", Number(target), verdict)
		}
		b.WriteString(".")
		if p.Blocker != "" {
			fmt.Fprintf(&b, " Vướng mắc: \"%s\".", plan.EscapeHTML(p.Blocker))
		}
		if p.Note != "" {
			fmt.Fprintf(&b, " Ghi chú: \"%s\".", plan.EscapeHTML(p.Note))
		}
		if p.Confirm == plan.ConfirmPending {
			b.WriteString(" " + Reviewers(standing) + " sẽ xác nhận kết quả.")
		}
	}
	// Later reports say how the figure moved (Change) instead.
	if ch := Change(previous, p); ch != "" {
		b.WriteString(" " + ch + ".")
	} else if first {
		b.WriteString(" " + CorrectHint)
	}
	return b.String()
}

// Progress reply problems.
const (
	NoUnit    = "Đồng chí không phụ trách đơn vị nào nên không báo cáo số liệu. Gõ /huongdan để xem các lệnh."
	WhichTask = "Đồng chí báo cáo cho nhiệm vụ nào? Vui lòng ghi mã nhiệm vụ trước số liệu, ví dụ: \"1.c 80%\"."
)

// WhichOfTasks asks which of the reminder's tasks a reply is about.
func WhichOfTasks(codes []string) string {
	return fmt.Sprintf("Tin nhắn có nhiều nhiệm vụ (%s). Đồng chí ghi mã nhiệm vụ trước số liệu, ví dụ: \"%s 80%%\".",
		strings.Join(codes, ", "), codes[0])
}

// NotAssigned says a task is not the unit's.
func NotAssigned(code, unit string) string {
	return fmt.Sprintf("Nhiệm vụ %s không giao cho %s. Gõ /nhiemvu để xem nhiệm vụ của đơn vị.", code, unit)
}

// UnknownTask says the plan has no such task.
func UnknownTask(code string) string {
	return fmt.Sprintf("Không có nhiệm vụ %s trong kế hoạch. Gõ /nhiemvu để xem danh sách.", code)
}

// UnitLine is one unit of /donvi.
type UnitLine struct {
	Unit     string
	Officers []plan.Officer
}

// RenderUnits renders /donvi.
func RenderUnits(lines []UnitLine, others []plan.Officer) string {
	var b strings.Builder
	b.WriteString("<b>Đơn vị và cán bộ đầu mối</b>")
	for _, l := range lines {
		fmt.Fprintf(&b, "\n<b>%s</b>: ", plan.EscapeHTML(l.Unit))
		if len(l.Officers) == 0 {
			b.WriteString("chưa có cán bộ đăng ký")
			continue
		}
		var ps []string
		for _, o := range l.Officers {
			ps = append(ps, officerText(o))
		}
		b.WriteString(strings.Join(ps, "; "))
	}
	if len(others) > 0 {
		b.WriteString("\n<b>Lãnh đạo, thường trực</b>: ")
		var ps []string
		for _, o := range others {
			ps = append(ps, officerText(o))
		}
		b.WriteString(strings.Join(ps, "; "))
	}
	return b.String()
}

func officerText(o plan.Officer) string {
	name := strings.TrimSpace(o.Name)
	if name == "" {
		name = "(chưa rõ tên)"
	}
	s := plan.EscapeHTML(name) + " (" + o.Role.Vietnamese()
	if o.UnreachableSince != nil {
		s += ", không liên lạc được từ " + plan.DateOf(*o.UnreachableSince).Vietnamese()
	}
	return s + ")"
}

// InviteCreated answers /moi.
func InviteCreated(unit string, role plan.Role, code, link string, expires plan.Date) string {
	who := role.Vietnamese()
	if unit != "" {
		who += " của " + unit
	}
	if link == "" {
		// A transport with no deep links (or a bot whose name is not
		// known): the code is typed after /start.
		return fmt.Sprintf("Đã tạo mã mời cho %s.\nMã: <code>%s</code>\nNgười được mời nhắn cho bot: /start %s\nHạn dùng: %s. Mỗi mã chỉ dùng một lần; chuyển mã cho đúng người.",
			plan.EscapeHTML(who), plan.EscapeHTML(code), plan.EscapeHTML(code), expires.Vietnamese())
	}
	return fmt.Sprintf("Đã tạo mã mời cho %s.\nMã: <code>%s</code>\nĐường liên kết: %s\nHạn dùng: %s. Mỗi mã chỉ dùng một lần; chuyển đường liên kết cho đúng người.",
		plan.EscapeHTML(who), plan.EscapeHTML(code), plan.EscapeHTML(link), expires.Vietnamese())
}

// InviteUsage explains /moi.
const InviteUsage = "Cách dùng: /moi ĐƠN_VỊ [cán bộ | phó | thư ký | chủ tịch], ví dụ: /moi Công an phường, /moi Tư pháp phó, /moi chủ tịch."

// HelpHeading starts /huongdan.
const HelpHeading = "<b>Các lệnh</b>"

// Usage errors of /xem and /baocao. They are plain text (*plan.Error
// messages).
const (
	TaskUsageError   = "Cách dùng: /xem MÃ, ví dụ /xem 1.c."
	ReportUsageError = "Cách dùng: /baocao MÃ SỐ_LIỆU, ví dụ: /baocao 1.c 80% hoặc /baocao 2.e 1.200/1.500 hồ sơ."
)

// ButtonExpired answers a button whose data no handler knows any more.
const ButtonExpired = "Nút bấm này không còn dùng được."

// PlanName names a plan in full, as the registration greeting does:
// "Kế hoạch số 56/KH-UBND (năm 2023)"; "Kế hoạch năm 2023" when the
// document has no number (a number without a digit, such as the blank
// "/KH-UBND" of a draft, is none), as PlanShortName says it; "Kế hoạch"
// with neither. Titles of summaries use the shorter PlanShortName. The
// result is plain text; escape it.
func PlanName(p *plan.Plan) string {
	number := strings.TrimSpace(p.Number)
	switch {
	case strings.ContainsAny(number, "0123456789") && p.Year > 0:
		return fmt.Sprintf("Kế hoạch số %s (năm %d)", number, p.Year)
	case strings.ContainsAny(number, "0123456789"):
		return "Kế hoạch số " + number
	case p.Year > 0:
		return fmt.Sprintf("Kế hoạch năm %d", p.Year)
	}
	return "Kế hoạch"
}

// InvalidRole rejects a role that is none of plan.Role's values (an
// invite from the CLI or the API).
func InvalidRole(role plan.Role) string {
	return fmt.Sprintf("Vai trò %q không hợp lệ (officer, deputy, secretariat, chairman).", string(role))
}

// InviteNeedsUnit rejects an invite for an officer or deputy without a
// unit.
func InviteNeedsUnit(role plan.Role) string {
	return fmt.Sprintf("Cần ghi tên đơn vị cho %s.", role.Vietnamese())
}

// UnknownUnit rejects a unit name that matches none of known, the units
// of the plan (none: no plan was imported). Plain text.
func UnknownUnit(name string, known []string) string {
	if len(known) == 0 {
		return fmt.Sprintf("Không nhận ra đơn vị %q: chưa có kế hoạch nào được nhập.", name)
	}
	return fmt.Sprintf("Không nhận ra đơn vị %q. Các đơn vị trong kế hoạch: %s.", name, strings.Join(known, "; "))
}

// StartInGroup refuses registering in a group chat. Plain text.
const StartInGroup = "Không đăng ký trong nhóm: đồng chí mở cuộc trò chuyện riêng với bot và gõ /start kèm mã mời, để nhắc việc của đơn vị chỉ gửi tới đồng chí."

package texts

import (
	"fmt"
	"html"
	"strings"

	"github.com/chanhlo/planbot/plan"
)

// Texts of the báo cáo (package report), in plain text: the document is
// laid out by package docx, not sent in a chat.

// The national name and motto of the header (Nghị định 30/2020).
const (
	NationalName  = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
	NationalMotto = "Độc lập - Tự do - Hạnh phúc"
)

// Fixed headings and labels of the báo cáo.
const (
	ReportTitle            = "BÁO CÁO"
	ReportPartResults      = "I. KẾT QUẢ THỰC HIỆN"
	ReportPartShortcomings = "II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN"
	ReportPartNext         = "III. NHIỆM VỤ TRỌNG TÂM THỜI GIAN TỚI"
	ReportPartProposals    = "IV. ĐỀ XUẤT, KIẾN NGHỊ"
	ReportRecipientsLabel  = "Nơi nhận:"

	ReportProposalsPlaceholder = "Văn phòng UBND phường bổ sung đề xuất, kiến nghị với cấp trên (nếu có)."
	ReportCausesPlaceholder    = "Nguyên nhân: Văn phòng UBND phường bổ sung nguyên nhân khách quan, chủ quan của các tồn tại trên."
	ReportNoShortcomings       = "Trong kỳ, các đơn vị không báo cáo vướng mắc; không có nhiệm vụ quá hạn."
	ReportNextNone             = "Tiếp tục thực hiện các nhiệm vụ theo Kế hoạch."
)

// ReportPlanRef names the plan as the báo cáo cites it: "Kế hoạch số
// 56/KH-UBND ngày 20/3/2023"; what the plan leaves blank is a
// placeholder ("Kế hoạch số …/KH-UBND ngày …/3/2023").
func ReportPlanRef(number string, date plan.Date, year int) string {
	number = strings.TrimSpace(number)
	if number == "" || !strings.ContainsAny(strings.SplitN(number, "/", 2)[0], "0123456789") {
		suffix := "KH-UBND"
		if _, s, ok := strings.Cut(number, "/"); ok && s != "" {
			suffix = s
		}
		number = plan.Placeholder + "/" + suffix
	}
	when := plan.Placeholder
	if !date.IsZero() {
		when = fmt.Sprintf("%d/%d/%d", date.Day, int(date.Month), date.Year)
	} else if year > 0 {
		when = fmt.Sprintf("%s/%s/%d", plan.Placeholder, plan.Placeholder, year)
	}
	return fmt.Sprintf("Kế hoạch số %s ngày %s", number, when)
}

// periodWords names a period in a sentence: "tháng 5 năm 2023", "quý II
// năm 2023", "6 tháng đầu năm 2023", "năm 2023".
func periodWords(p plan.Period) string {
	switch p.Kind {
	case plan.PeriodMonth:
		return fmt.Sprintf("tháng %d năm %d", p.N, p.Year)
	case plan.PeriodQuarter:
		return fmt.Sprintf("quý %s năm %d", [...]string{"", "I", "II", "III", "IV"}[p.N], p.Year)
	}
	return p.Vietnamese()
}

// ReportSubject is the trích yếu: "Kết quả thực hiện Kế hoạch số … tháng
// 5 năm 2023".
func ReportSubject(planRef string, p plan.Period) string {
	return fmt.Sprintf("Kết quả thực hiện %s\n%s", planRef, periodWords(p))
}

// ReportBasis is the căn cứ paragraph.
func ReportBasis(planRef, planTitle, issuer string, p plan.Period) string {
	about := strings.TrimSpace(planTitle)
	if about != "" {
		about = " về " + lowerFirstWord(strings.TrimSuffix(about, "."))
	}
	return fmt.Sprintf("Thực hiện %s của %s%s; %s báo cáo kết quả thực hiện %s như sau:",
		planRef, issuer, about, issuer, periodWords(p))
}

// lowerFirstWord lowers the first letter of a title used inside a
// sentence ("Triển khai …" → "triển khai …"), keeping names and
// acronyms ("Đề án", "UBND").
func lowerFirstWord(s string) string {
	w, _, _ := strings.Cut(s, " ")
	r := []rune(w)
	if len(r) > 1 && strings.ToUpper(string(r[1:])) == string(r[1:]) {
		return s // an acronym
	}
	return lowerFirst(s)
}

// ReportClosing is the closing sentence.
func ReportClosing(planRef string, p plan.Period, issuer string) string {
	return fmt.Sprintf("Trên đây là báo cáo kết quả thực hiện %s %s của %s./.", planRef, periodWords(p), issuer)
}

// ReportOverview opens part I with the totals of the summary.
func ReportOverview(p plan.Period, tasks int, counts map[string]int, pending, reported, expected int) string {
	done := counts["done_on_time"] + counts["done_late"]
	var parts []string
	add := func(n int, what string) {
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, what))
		}
	}
	if done > 0 {
		s := fmt.Sprintf("%d nhiệm vụ đã hoàn thành", done)
		if counts["done_late"] > 0 {
			s += fmt.Sprintf(" (%d hoàn thành quá hạn)", counts["done_late"])
		}
		parts = append(parts, s)
	}
	add(counts["in_progress"], "nhiệm vụ đang thực hiện trong hạn")
	add(counts["due_soon"], "nhiệm vụ sắp đến hạn")
	add(counts["overdue"], "nhiệm vụ quá hạn chưa hoàn thành")
	add(counts["not_reported"], "nhiệm vụ chưa có báo cáo")
	if n := counts["ongoing_reported"] + counts["ongoing_not_reported"]; n > 0 {
		parts = append(parts, fmt.Sprintf("%d nhiệm vụ thường xuyên (%d đã báo cáo)", n, counts["ongoing_reported"]))
	}
	add(counts["no_deadline"], "nhiệm vụ chưa xác định thời hạn")
	add(counts["waiting"], "nhiệm vụ chờ điều kiện thực hiện")
	s := fmt.Sprintf("Kế hoạch có %d nhiệm vụ. Đến hết %s: %s.", tasks, periodWords(p), strings.Join(parts, "; "))
	if pending > 0 {
		s += fmt.Sprintf(" Có %d nhiệm vụ đơn vị báo cáo hoàn thành đang chờ xác nhận.", pending)
	}
	if expected > 0 {
		s += fmt.Sprintf(" %d/%d đơn vị có nhiệm vụ phải báo cáo đã gửi báo cáo trong kỳ.", reported, expected)
	}
	return s
}

// ReportSection is a plan section's sub-heading in part I.
func ReportSection(number, title string) string {
	return fmt.Sprintf("%s. %s", number, strings.TrimSuffix(strings.TrimSpace(title), "."))
}

// ReportTask is one task's paragraph: "- 4.a (Đẩy mạnh thu nhận hồ sơ
// cấp CCCD…): Công an phường đạt 1.380/1.500 hồ sơ (92%)."
func ReportTask(code, title string, units []string) string {
	s := fmt.Sprintf("- Nhiệm vụ %s (%s)", code, TitleIn(title, 90))
	if len(units) == 0 {
		return s + "."
	}
	return s + ": " + strings.Join(units, "; ") + "."
}

// PlainFigure is FigureText without HTML: "1.200/1.500 hồ sơ (80%)".
func PlainFigure(f plan.Figure) string { return html.UnescapeString(FigureText(f)) }

// ReportTarget compares a figure with the task's target.
func ReportTarget(target string, met bool) string {
	target = strings.TrimPrefix(strings.TrimSpace(target), "đạt ")
	if met {
		return "đạt chỉ tiêu " + target
	}
	return "chưa đạt chỉ tiêu " + target
}

func withNote(s, note string) string {
	note = strings.TrimSpace(note)
	if note == "" {
		return s
	}
	return s + " (" + strings.TrimRight(note, ".;") + ")"
}

// ReportUnitDone tells a unit finished a task.
func ReportUnitDone(unit string, on plan.Date, late bool, daysLate int, pending bool, note string) string {
	s := unit + " đã hoàn thành"
	if !on.IsZero() {
		s += " ngày " + on.Vietnamese()
	}
	if late {
		s += ", quá hạn"
		if daysLate > 0 {
			s += fmt.Sprintf(" %d ngày làm việc", daysLate)
		}
	}
	if pending {
		s += ", đang chờ xác nhận"
	}
	return withNote(s, note)
}

// ReportUnitOverdue tells a unit has not finished a task past its due day.
func ReportUnitOverdue(unit string, due plan.Date, daysLate int, figure, blocker string) string {
	s := unit + " chưa hoàn thành"
	if !due.IsZero() {
		s += " (hạn " + due.Vietnamese() + ")"
	}
	if daysLate > 0 {
		s += fmt.Sprintf(", quá hạn %d ngày làm việc", daysLate)
	}
	if figure != "" {
		s += ", đạt " + figure
	}
	if blocker != "" {
		s += ", vướng mắc: " + strings.TrimRight(blocker, ".;")
	}
	return s
}

// ReportUnitNoNews tells a unit has not reported on an open task.
func ReportUnitNoNews(unit string, due plan.Date) string {
	if due.IsZero() {
		return unit + " chưa báo cáo kết quả"
	}
	return unit + " chưa báo cáo kết quả (hạn " + due.Vietnamese() + ")"
}

// ReportUnitNotReported tells a unit sent no report in the period.
func ReportUnitNotReported(unit string) string {
	return unit + " chưa báo cáo kết quả trong kỳ"
}

// ReportUnitWaiting tells a task waits for its condition.
func ReportUnitWaiting(unit, condition string) string {
	condition = strings.TrimSpace(condition)
	if condition == "" {
		return unit + ": chưa đến thời điểm thực hiện"
	}
	return unit + ": chưa đến thời điểm thực hiện (" + lowerFirst(strings.TrimSuffix(condition, ".")) + ")"
}

// ReportUnitProgress tells a unit's figure or work in the period.
func ReportUnitProgress(unit, figure, target, note, blocker string) string {
	s := unit
	switch {
	case strings.HasPrefix(figure, "hoàn thành"):
		s += " báo cáo " + figure
	case figure != "" && figure != "đang thực hiện":
		s += " đạt " + figure
		if target != "" {
			s += ", " + target
		}
	default:
		s += " đang thực hiện"
	}
	s = withNote(s, note)
	if blocker != "" {
		s += ", vướng mắc: " + strings.TrimRight(blocker, ".;")
	}
	return s
}

// ReportBlocker is a difficulty reported by a unit, in its words.
func ReportBlocker(unit, code, text string, on plan.Date) string {
	return fmt.Sprintf("- %s (nhiệm vụ %s, báo cáo ngày %s): %s.", unit, code, on.Vietnamese(), strings.TrimRight(strings.TrimSpace(text), ".;"))
}

// ReportOverdue is a task open past its due day.
func ReportOverdue(code, title string, units []string, daysLate int) string {
	return fmt.Sprintf("- Nhiệm vụ %s (%s) quá hạn %d ngày làm việc chưa hoàn thành; đơn vị: %s.", code, TitleIn(title, 80), daysLate, strings.Join(units, ", "))
}

// ReportNotReported names the units that sent no report.
func ReportNotReported(units []string) string {
	return fmt.Sprintf("- %d đơn vị chưa gửi báo cáo trong kỳ: %s.", len(units), strings.Join(units, ", "))
}

// ReportUnreachable names the units the bot cannot reach.
func ReportUnreachable(unreachable, unregistered []string) string {
	var parts []string
	if len(unreachable) > 0 {
		parts = append(parts, "không nhận được tin nhắc việc (đã chặn bot): "+strings.Join(unreachable, ", "))
	}
	if len(unregistered) > 0 {
		parts = append(parts, "chưa có cán bộ đầu mối đăng ký nhận tin: "+strings.Join(unregistered, ", "))
	}
	return "- Đơn vị " + strings.Join(parts, "; đơn vị ") + "."
}

// ReportNextOverdue asks to finish a task past its due day.
func ReportNextOverdue(code, title string, units []string) string {
	return fmt.Sprintf("- Khẩn trương hoàn thành nhiệm vụ %s (%s) đã quá hạn — %s.", code, TitleIn(title, 80), strings.Join(units, ", "))
}

// ReportNextDue lists a task due in the next period.
func ReportNextDue(code, title string, leads []string, due plan.Date) string {
	return fmt.Sprintf("- Nhiệm vụ %s (%s), hạn %s — %s.", code, TitleIn(title, 80), due.Vietnamese(), strings.Join(leads, ", "))
}

// ReportNextOngoing lists the ongoing tasks to keep up.
func ReportNextOngoing(codes []string) string {
	return fmt.Sprintf("- Tiếp tục thực hiện thường xuyên các nhiệm vụ %s, báo cáo kết quả hằng tháng.", strings.Join(codes, ", "))
}

// The appendix of the báo cáo.
const (
	AppendixLabel                 = "Phụ lục"
	AppendixPreparedBy            = "Người lập biểu"
	AppendixPreparedByPlaceholder = "(Họ và tên người lập biểu)"
)

// AppendixTitle is the appendix's title: "KẾT QUẢ THỰC HIỆN KẾ HOẠCH ĐỀ
// ÁN 06 THÁNG 5/2023".
func AppendixTitle(name string, p plan.Period) string {
	return strings.ToUpper("Kết quả thực hiện " + name + " " + p.Vietnamese())
}

// AppendixAttached is "(Kèm theo Báo cáo số …/BC-UBND ngày 22/5/2023 của
// UBND phường Chánh Lộ)".
func AppendixAttached(symbol string, day plan.Date, issuer string) string {
	return fmt.Sprintf("(Kèm theo Báo cáo số %s/%s ngày %02d/%02d/%d của %s)", plan.Placeholder, symbol, day.Day, int(day.Month), day.Year, issuer)
}

// ReportCaption goes with the báo cáo file in the chat.
func ReportCaption(p plan.Period) string {
	return fmt.Sprintf("📄 Dự thảo báo cáo kết quả thực hiện %s (thể thức Nghị định 30/2020, kèm phụ lục). Văn phòng điền số, ngày ký, nguyên nhân và kiến nghị trước khi trình ký.", p.Vietnamese())
}

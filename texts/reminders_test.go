package texts

import (
	"strings"
	"testing"

	"github.com/chanhlo/planbot/plan"
)

func TestWeeklyDigest(t *testing.T) {
	items := []WeeklyItem{
		{Code: "1.c", Title: "Rà soát <dữ liệu> & cập nhật", Units: []string{"Công an phường"}, Role: plan.RoleLead,
			Due: plan.NewDate(2023, 4, 30), WorkingDaysLate: 7},
		{Code: "2.a", Title: "Số hóa hồ sơ", Units: []string{"Tư pháp - Hộ tịch", "Bộ phận Một cửa"}, Role: plan.RoleExecute,
			Due: plan.NewDate(2023, 5, 5), WorkingDaysLate: 4},
	}
	tests := []struct {
		name    string
		copyFor string
		want    []string
		notWant []string
	}{
		{name: "chairman", want: []string{
			"📋 Tổng hợp tuần 15/5–21/5/2023: nhiệm vụ quá hạn từ 3 ngày làm việc trở lên, chưa báo cáo hoàn thành\n",
			"<b>1.c</b> Rà soát &lt;dữ liệu&gt; &amp; cập nhật — hạn 30/4/2023, quá <b>7 ngày làm việc</b>; đơn vị chủ trì: <b>Công an phường</b>.\n",
			"<b>2.a</b> Số hóa hồ sơ — hạn 5/5/2023, quá <b>4 ngày làm việc</b>; đơn vị thực hiện: <b>Tư pháp - Hộ tịch, Bộ phận Một cửa</b>.\n",
		}, notWant: []string{"bản gửi"}},
		{name: "copy", copyFor: "Văn phòng", want: []string{"chưa báo cáo hoàn thành (bản gửi Văn phòng)\n"}},
		// Overdue notices are not daily (weekly by default).
		{name: "frequency", want: []string{"Văn phòng đã nhắc định kỳ các đơn vị."}, notWant: []string{"hằng ngày"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := WeeklyDigest(plan.NewDate(2023, 5, 15), plan.NewDate(2023, 5, 21), 3, items, tt.copyFor)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("missing %q in:\n%s", w, got)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(got, w) {
					t.Errorf("unexpected %q in:\n%s", w, got)
				}
			}
		})
	}
}

func TestReportLineDeadline(t *testing.T) {
	april := plan.MonthOf(plan.NewDate(2023, 4, 1))
	december := plan.MonthOf(plan.NewDate(2023, 12, 1))
	tests := []struct {
		name string
		it   ReminderItem
		want string
	}{
		{"recurring", ReminderItem{Kind: plan.RemindReportRequest, Code: "2.e", Title: "Số hóa", Period: april},
			"<b>2.e</b> Số hóa — đề nghị báo cáo kết quả tháng 4/2023."},
		{"working day", ReminderItem{Kind: plan.RemindReportRequest, Code: "1.d", Title: "Rà soát", Period: april,
			Due: plan.NewDate(2023, 4, 21), Effective: plan.NewDate(2023, 4, 21)},
			"<b>1.d</b> Rà soát — đề nghị báo cáo kết quả tháng 4/2023; hạn <b>21/4/2023</b>."},
		// The plan's day is shown, what day it is, and the working day
		// to finish by.
		{"holiday", ReminderItem{Kind: plan.RemindChaser, Code: "1.c", Title: "Đăng ký", Period: april,
			Due: plan.NewDate(2023, 4, 30), Effective: plan.NewDate(2023, 4, 28), DueOff: DayOffHoliday},
			"<b>1.c</b> Đăng ký — chưa nhận được báo cáo tháng 4/2023; hạn <b>30/4/2023</b> (Chủ nhật, nghỉ lễ), đề nghị hoàn thành chậm nhất thứ Sáu 28/4."},
		{"Sunday", ReminderItem{Kind: plan.RemindReportRequest, Code: "2.e", Title: "Số hóa hồ sơ.", Period: december,
			Due: plan.NewDate(2023, 12, 31), Effective: plan.NewDate(2023, 12, 29), DueOff: DayOffSunday},
			"<b>2.e</b> Số hóa hồ sơ — đề nghị báo cáo kết quả tháng 12/2023; hạn <b>31/12/2023</b> (Chủ nhật), đề nghị hoàn thành chậm nhất thứ Sáu 29/12."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ReminderLine(tt.it); got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestOverdueLine(t *testing.T) {
	it := ReminderItem{Kind: plan.RemindOverdue, Code: "1.c", Title: "Đăng ký năm 2023.",
		Due: plan.NewDate(2023, 4, 30), Effective: plan.NewDate(2023, 4, 28), DueOff: DayOffHoliday}
	tests := []struct {
		late int
		want string
	}{
		{0, "<b>1.c</b> Đăng ký năm 2023 — hạn 30/4/2023, chưa báo cáo hoàn thành."},
		{5, "<b>1.c</b> Đăng ký năm 2023 — hạn 30/4/2023, đã quá 5 ngày làm việc, chưa báo cáo hoàn thành."},
	}
	for _, tt := range tests {
		it.DaysLate = tt.late
		if got := ReminderLine(it); got != tt.want {
			t.Errorf("%d days late:\ngot  %q\nwant %q", tt.late, got, tt.want)
		}
	}
}

// A title the plan ends with "." loses the dot wherever a sentence goes
// on after it.
func TestTitleInSentence(t *testing.T) {
	const title = "Số hóa hồ sơ năm 2023."
	due := plan.NewDate(2023, 4, 28)
	task := &plan.Task{Code: "1.c", Title: title, Deadline: plan.Deadline{Kind: plan.DeadlineDate, Due: due}}
	for name, got := range map[string]string{
		"before":    ReminderLine(ReminderItem{Kind: plan.RemindBefore, Code: "1.c", Title: title, Due: due, Effective: due, WorkingDaysLeft: 3}),
		"weekly":    WeeklyLine(WeeklyItem{Code: "1.c", Title: title, Units: []string{"Công an phường"}, Due: due, WorkingDaysLate: 4}),
		"confirmed": ConfirmedToUnit("Văn phòng UBND phường", "1.c", title),
		"returned":  ReturnedToUnit("Văn phòng UBND phường", "1.c", title, "thiếu văn bản"),
		"set":       DeadlineSet("1.c", title, due, "Chờ hướng dẫn"),
		"ongoing":   DeadlineOngoing("1.c", title, plan.MonthOf(due), "Chờ hướng dẫn"),
		"task line": RenderTaskLine(TaskLine{Task: task}),
		"greeting":  Greet(Greeting{Role: plan.RoleOfficer, Unit: "Công an phường", Main: 1, Nearest: task}),
	} {
		if !strings.Contains(got, "Số hóa hồ sơ năm 2023") {
			t.Errorf("%s: title missing:\n%s", name, got)
		}
		for _, bad := range []string{"2023..", "2023. —", "2023. ·"} {
			if strings.Contains(got, bad) {
				t.Errorf("%s: the title's dot is kept (%q):\n%s", name, bad, got)
			}
		}
	}
	if got := TitleIn("Số hóa…", 90); got != "Số hóa…" {
		t.Errorf("TitleIn kept no ellipsis: %q", got)
	}
	if got := TitleIn("Đăng ký và thực hiện một số nhiệm vụ.", 20); got != "Đăng ký và thực hiện…" {
		t.Errorf("TitleIn(20) = %q", got)
	}
}

func TestReminderDigestHeader(t *testing.T) {
	april := plan.MonthOf(plan.NewDate(2023, 4, 1))
	request := ReminderItem{Kind: plan.RemindReportRequest, Code: "1.c", Title: "Đăng ký", Period: april}
	chaser := ReminderItem{Kind: plan.RemindChaser, Code: "2.a", Title: "Số hóa", Period: april}
	before := ReminderItem{Kind: plan.RemindBefore, Code: "1.d", Title: "Rà soát",
		Due: plan.NewDate(2023, 4, 21), Effective: plan.NewDate(2023, 4, 21), WorkingDaysLeft: 1}
	tests := []struct {
		name  string
		items []ReminderItem
		want  string
	}{
		{"requests only", []ReminderItem{request}, "📝 Đề nghị báo cáo tháng 4/2023 — Công an phường\n"},
		{"chasers only", []ReminderItem{chaser, chaser}, "📝 Nhắc báo cáo tháng 4/2023 — Công an phường\n"},
		{"requests and chasers", []ReminderItem{chaser, request}, "📝 Đề nghị báo cáo tháng 4/2023 — Công an phường\n"},
		{"deadlines first", []ReminderItem{before, chaser}, "⏰ Nhắc hạn — Công an phường\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ReminderDigest("Công an phường", tt.items)
			if !strings.HasPrefix(got, tt.want) {
				t.Errorf("header: got\n%s\nwant it to start with %q", got, tt.want)
			}
		})
	}
}

// One phrasing of a deadline everywhere: the plan's date, and on a day
// off what day it is and the working day before.
func TestDuePhrase(t *testing.T) {
	tests := []struct {
		name           string
		due, effective plan.Date
		off            string
		want           string
	}{
		{"working day", plan.NewDate(2023, 6, 30), plan.NewDate(2023, 6, 30), "", "hạn <b>30/6/2023</b>"},
		{"holiday on Sunday", plan.NewDate(2023, 4, 30), plan.NewDate(2023, 4, 28), DayOffHoliday,
			"hạn <b>30/4/2023</b> (Chủ nhật, nghỉ lễ), đề nghị hoàn thành chậm nhất thứ Sáu 28/4"},
		{"holiday on a weekday", plan.NewDate(2023, 5, 1), plan.NewDate(2023, 4, 28), DayOffHoliday,
			"hạn <b>1/5/2023</b> (thứ Hai, nghỉ lễ), đề nghị hoàn thành chậm nhất thứ Sáu 28/4"},
		{"Saturday", plan.NewDate(2023, 9, 30), plan.NewDate(2023, 9, 29), DayOffSaturday,
			"hạn <b>30/9/2023</b> (thứ Bảy), đề nghị hoàn thành chậm nhất thứ Sáu 29/9"},
		{"no working day known", plan.NewDate(2023, 9, 30), plan.Date{}, DayOffSaturday, "hạn <b>30/9/2023</b>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := DuePhrase(tt.due, tt.effective, tt.off); got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

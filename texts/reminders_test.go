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
	it := ReminderItem{Kind: plan.RemindReportRequest, Code: "2.e", Title: "Số hóa", Period: plan.MonthOf(plan.NewDate(2023, 4, 1))}
	if got, want := ReminderLine(it), "<b>2.e</b> Số hóa — đề nghị báo cáo kết quả tháng 4/2023."; got != want {
		t.Errorf("recurring: %q, want %q", got, want)
	}
	it.Due, it.Effective = plan.NewDate(2023, 4, 30), plan.NewDate(2023, 4, 28)
	it.Kind = plan.RemindChaser
	if got, want := ReminderLine(it), "<b>2.e</b> Số hóa — chưa nhận được báo cáo tháng 4/2023 (hạn hoàn thành 28/4/2023)."; got != want {
		t.Errorf("dated chaser: %q, want %q", got, want)
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

package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chanhlo/planbot/bot"
	"github.com/chanhlo/planbot/plan"
)

func TestSetDeadline(t *testing.T) {
	e := newEnv(t, telegramCaps)
	bot.RegisterDeadline(e.core)
	e.register("900", "Trần Thư Ký", "Văn phòng phường", plan.RoleSecretariat)
	e.register("100", "Nguyễn Văn Công", "Công an phường", plan.RoleOfficer)

	task := func(code string) plan.Task {
		t.Helper()
		ps, err := e.db.Plans(context.Background(), plan.DefaultOrg)
		if err != nil {
			t.Fatal(err)
		}
		return *ps[0].Task(code)
	}

	if got := e.say("100", "/sethan 2.đ 30/6/2023"); !strings.Contains(got, "không có quyền") {
		t.Errorf("officer: %q", got)
	}
	for _, tc := range []struct{ text, want string }{
		{"/sethan", "Cú pháp: /sethan MÃ NGÀY"},
		{"/sethan 2.đ", "Cú pháp"},
		{"/sethan 2.đ 31/6/2023", "không có trong lịch"},
		{"/sethan 2.đ ngày-mai", "không hợp lệ"},
		{"/sethan 2.đ 1/4/2023", "đã qua"},
		{"/sethan 9.z 30/6/2023", "Không có nhiệm vụ 9.z"},
		{"/sethan 1.c 30/6/2023", "đã có thời hạn"},
	} {
		if got := e.say("900", tc.text); !strings.Contains(got, tc.want) {
			t.Errorf("%s: %q, want %q", tc.text, got, tc.want)
		}
	}
	if k := task("2.đ").Deadline.Kind; k != plan.DeadlineConditional {
		t.Fatalf("refused commands changed the deadline to %s", k)
	}

	if on := task("2.đ").DeadlineSetOn; !on.IsZero() {
		t.Fatalf("deadline set on %s before /sethan", on)
	}
	// 22:00 UTC on 25/4 is already 26/4 in the ward: the day is the
	// ward's.
	e.clock.Add(20 * time.Hour)
	// Typed in Telex, as /xem accepts it.
	got := e.say("900", "/sethan 2.dd 30/06/2023")
	wantContains(t, got, "Đã đặt hạn <b>2.đ</b>", "<b>30/6/2023</b>", "Khi có hướng dẫn của cấp trên", "&lt;thủ tục&gt;")
	d := task("2.đ").Deadline
	if d.Kind != plan.DeadlineDate || d.Due != plan.NewDate(2023, 6, 30) || d.Text != "Khi có hướng dẫn của cấp trên" {
		t.Errorf("deadline = %+v", d)
	}
	if on := task("2.đ").DeadlineSetOn; on != plan.NewDate(2023, 4, 26) {
		t.Errorf("deadline set on %s, want 2023-04-26", on)
	}
	// Now it has a date: a second /sethan is refused.
	if got := e.say("900", "/sethan 2.đ thuongxuyen"); !strings.Contains(got, "đã có thời hạn") {
		t.Errorf("second sethan: %q", got)
	}

	e2 := newEnv(t, telegramCaps)
	bot.RegisterDeadline(e2.core)
	e2.register("900", "Trần Thư Ký", "Văn phòng phường", plan.RoleSecretariat)
	wantContains(t, e2.say("900", "/sethan 2.đ thường xuyên"), "Đã ghi nhận điều kiện", "tháng 4/2023")
	ps, err := e2.db.Plans(context.Background(), plan.DefaultOrg)
	if err != nil {
		t.Fatal(err)
	}
	if d := ps[0].Task("2.đ").Deadline; d.Kind != plan.DeadlineRecurring || d.Recurrence != plan.RecurOngoing || d.Start != plan.NewDate(2023, 4, 1) {
		t.Errorf("deadline = %+v", d)
	}
}

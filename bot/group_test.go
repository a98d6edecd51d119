package bot_test

import (
	"testing"

	"github.com/chanhlo/planbot/bot"
	"github.com/chanhlo/planbot/plan"
)

// In a group the bot answers commands, replies to its own messages and
// mentions, and leaves the group's chatter alone.
func TestGroupChat(t *testing.T) {
	e := newEnv(t, telegramCaps)
	e.register("ca", "Nguyễn Văn Công", "Công an phường", plan.RoleOfficer)
	group := func(text string, mentioned, replyToBot bool) []plan.Message {
		t.Helper()
		return e.do(&bot.Event{UserID: "ca", ChatID: "-100", Group: true, Text: text, Mentioned: mentioned, ReplyToBot: replyToBot})
	}
	if ms := group("1.c 80% chiều nay họp nhé", false, false); len(ms) != 0 {
		t.Errorf("chatter answered: %+v", ms)
	}
	if n := len(e.latest("Công an phường")); n != 0 {
		t.Errorf("chatter recorded as %d reports", n)
	}
	if ms := group("/xacnhan@other_bot 1.c", false, false); len(ms) != 0 {
		t.Errorf("another bot's command answered: %+v", ms)
	}
	wantContains(t, msgText(group("/nhiemvu", false, false)), "1.c")
	wantContains(t, msgText(group("/start "+e.invite("Tư pháp - Hộ tịch", plan.RoleOfficer), false, false)), "Không đăng ký trong nhóm")
	wantContains(t, msgText(group("@planbot_test 1.c 80%", true, false)), "Đã ghi nhận <b>1.c</b> — 80%")
	wantContains(t, msgText(group("1.c 85%", false, true)), "Đã ghi nhận <b>1.c</b> — 85%")
}

// /nhiemvu counts overdue in working days, as reminders and summaries do.
func TestTasksOverdueInWorkingDays(t *testing.T) {
	e := newEnv(t, telegramCaps)
	e.register("ca", "Nguyễn Văn Công", "Công an phường", plan.RoleOfficer)
	// 1.c is due Friday 28/4/2023; on Monday 8/5 the working days after
	// it (no calendar: Monday to Friday) are 1–5/5.
	e.clock.Add(plan.NewDate(2023, 5, 8).At(9, 0, e.core.Location()).Sub(e.clock.Now()))
	wantContains(t, e.say("ca", "/nhiemvu"), "quá hạn 5 ngày làm việc")
}

// /xem tells a deadline on a day off as the reminders do.
func TestTaskDeadlineOnDayOff(t *testing.T) {
	p := testPlan()
	p.Tasks[0].Deadline.Due = plan.NewDate(2023, 4, 30) // a Sunday
	e := newEnvWith(t, telegramCaps, p)
	e.register("ca", "Nguyễn Văn Công", "Công an phường", plan.RoleOfficer)
	wantContains(t, e.say("ca", "/xem 1.c"), "Thời hạn: 30/4/2023 (Chủ nhật), đề nghị hoàn thành chậm nhất thứ Sáu 28/4")
}

package scheduler

import (
	"strings"
	"testing"

	"github.com/chanhlo/planbot/plan"
)

// The secretariat hears of undelivered reminders, blocked officers and
// unused invites in one message a working day, at the daily time, and
// only when there is news; the ticks send it nothing of the kind.
func TestDailyNotice(t *testing.T) {
	daily := &fakeDaily{}
	var h *harness
	h = newHarness(t, testPlan(t, at(t, "1/4 10:00")), WithCatchUp(1),
		WithDaily(daily, 16, 30))
	daily.fakeLedger = h.ledger
	daily.invites = []plan.Invite{
		{Code: "x", Unit: unitC, Role: plan.RoleOfficer, ExpiresAt: at(t, "6/4 09:00")},
		{Code: "y", Unit: unitC, Role: plan.RoleOfficer, ExpiresAt: at(t, "20/4 09:00")},
		// Văn phòng phường has its officer: its spare invite is no news.
		{Code: "z", Unit: unitB, Role: plan.RoleOfficer, ExpiresAt: at(t, "6/4 10:00")},
	}
	notices := map[string]string{}
	notice := func(when string) {
		t.Helper()
		for _, it := range h.run(h.s.DailyNotice, when) {
			if it.OfficerID != 9 || it.Context.Kind != plan.ReplyNotice {
				t.Errorf("%s: notice item %+v", when, it)
			}
			if _, dup := notices[when[:strings.Index(when, " ")]]; dup {
				t.Errorf("%s: a second notice the same day", when)
			}
			notices[when[:strings.Index(when, " ")]] = it.Message.Text
		}
	}
	for day := plan.NewDate(2023, 4, 3); day.Before(plan.NewDate(2023, 5, 10)); day = day.AddDays(1) {
		d := day.Vietnamese()[:strings.LastIndex(day.Vietnamese(), "/")]
		for _, it := range append(h.tick(d+" 08:00"), h.tick(d+" 16:00")...) {
			if it.OfficerID == 9 && it.Context.Kind == plan.ReplyNotice && !strings.Contains(it.Message.Text, "quá hạn") {
				t.Errorf("%s: the tick sent the secretariat %q", d, it.Message.Text)
			}
		}
		if d == "12/4" {
			since := at(t, "12/4 10:00")
			h.officers.mu.Lock()
			h.officers.list[1].UnreachableSince = &since
			h.officers.mu.Unlock()
		}
		notice(d + " 16:00") // too early
		notice(d + " 16:30")
		notice(d + " 16:45")
	}
	want := map[string][]string{
		// 4/4: the invite expiring on 6/4 is news.
		"4/4":  {"Lời mời sắp hết hạn, chưa dùng:\n• Trạm y tế phường (hết hạn 6/4/2023)", "Đơn vị chưa có cán bộ đầu mối (1): Trạm y tế phường."},
		"6/4":  {"Lời mời đã hết hạn mà chưa dùng:\n• Trạm y tế phường (hết hạn 6/4/2023)"},
		"12/4": {"Đã chặn bot, không nhận được nhắc việc:\n• Văn phòng phường — Lê Thị Văn (từ 12/4/2023)"},
	}
	for d, wants := range want {
		for _, w := range wants {
			if !strings.Contains(notices[d], w) {
				t.Errorf("notice of %s lacks %q:\n%s", d, w, notices[d])
			}
		}
	}
	// The support notices of 1.c for Trạm y tế (no officer) are missed
	// once the catch-up day has passed, and told in one notice.
	missed := 0
	for d, text := range notices {
		if strings.Contains(text, "Trạm y tế phường — chưa có cán bộ đăng ký:") {
			missed++
			if !strings.Contains(text, "<b>1.c</b>") {
				t.Errorf("%s: missed line without the task: %s", d, text)
			}
		}
	}
	if missed == 0 {
		t.Error("no notice told of the reminders Trạm y tế phường could not get")
	}
	for _, d := range []string{"8/4", "9/4", "15/4", "16/4"} {
		if _, ok := notices[d]; ok {
			t.Errorf("a notice on %s, a weekend", d)
		}
	}
	if _, ok := notices["3/4"]; ok {
		t.Errorf("a notice on 3/4 with no news: %s", notices["3/4"])
	}
}

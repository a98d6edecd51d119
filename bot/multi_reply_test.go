package bot_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chanhlo/planbot/bot"
	"github.com/chanhlo/planbot/plan"
)

// manyPlan gives Công an phường eleven tasks, 1.a to 1.l (no 1.j: plans
// skip it as Vietnamese has no j), ongoing but 1.c (due 30/6/2023), and
// Tư pháp - Hộ tịch task 2.a.
func manyPlan() *plan.Plan {
	p := testPlan()
	p.Tasks = nil
	for _, l := range []string{"a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l"} {
		t := plan.Task{Code: "1." + l, Section: "1", Title: "Nhiệm vụ 1." + l, Lead: []string{"Công an phường"},
			Deadline: plan.Deadline{Kind: plan.DeadlineRecurring, Recurrence: plan.RecurOngoing, Text: "Thường xuyên"}}
		if l == "a" {
			t.Targets = []plan.Target{{Value: 100, Unit: "%", Text: "100%"}}
		}
		if l == "c" { // a dated task: its "done" waits for confirmation
			t.Deadline = plan.Deadline{Kind: plan.DeadlineDate, Due: plan.NewDate(2023, 6, 30), Text: "Tháng 6/2023"}
		}
		p.Tasks = append(p.Tasks, t)
	}
	p.Tasks = append(p.Tasks, plan.Task{Code: "2.a", Section: "2", Title: "Số hóa hồ sơ", Lead: []string{"Tư pháp - Hộ tịch"},
		Deadline: plan.Deadline{Kind: plan.DeadlineRecurring, Recurrence: plan.RecurOngoing, Text: "Thường xuyên"}})
	return p
}

// eleven is one message of eleven reports in every form officers use.
const eleven = "1.a 75%\n" +
	"1.b: 60%, không vướng\n" +
	"• 1.c xong\n" +
	"- 1.d 1.120/1.500 hồ sơ\n" +
	"1.đ đang thực hiện\n" +
	"còn vướng kinh phí\n" +
	"1.e 30%; 1.g 40%\n" +
	"1.h\t90%\tđã trình UBND\n" +
	"* 1.i chưa thực hiện\n" +
	"+ 1.k 1,5%\n" +
	"1.l 12/20 buổi"

// latest returns the latest report per task of the unit, by task code.
func (e *env) latest(unit string) map[string]plan.Progress {
	e.t.Helper()
	return e.latestIn(e.plan.ID, unit)
}

func TestElevenReportsInOneMessage(t *testing.T) {
	e := newEnvWith(t, telegramCaps, manyPlan())
	e.register("100", "Nguyễn Văn Công", "Công an phường", plan.RoleOfficer)
	got := e.say("100", eleven)
	golden(t, "recorded-many", got)

	rs := e.latest("Công an phường")
	want := map[string]string{
		"1.a": "percent 75", "1.b": "percent 60", "1.c": "done 100", "1.d": "count 74.7", "1.đ": "in_progress 0",
		"1.e": "percent 30", "1.g": "percent 40", "1.h": "percent 90", "1.i": "not_started 0", "1.k": "percent 1.5", "1.l": "count 60",
	}
	if len(rs) != len(want) {
		t.Fatalf("stored %d reports, want %d: %+v", len(rs), len(want), rs)
	}
	for code, w := range want {
		r, ok := rs[code]
		if g := fmt.Sprintf("%s %g", r.Kind, r.Percent); !ok || g != w {
			t.Errorf("%s: stored %q, want %q", code, g, w)
		}
	}
	if r := rs["1.đ"]; r.Blocker != "kinh phí" {
		t.Errorf("1.đ blocker %q, want the next line's \"kinh phí\"", r.Blocker)
	}
	if r := rs["1.h"]; r.Note != "đã trình UBND" {
		t.Errorf("1.h note %q", r.Note)
	}
}

func TestManyReportsReplies(t *testing.T) {
	long := strings.Repeat("rất dài ", 100)
	tests := []struct {
		name     string
		text     string
		stored   map[string]float64 // task code → percent stored
		contains []string
		absent   []string
	}{
		{"lines", "1.a 75%\n1.b 60%", map[string]float64{"1.a": 75, "1.b": 60},
			[]string{"Đã ghi nhận 2 nhiệm vụ — tháng 4/2023", "<b>1.a</b>: 75% — chỉ tiêu 100%: chưa đạt", "<b>1.b</b>: 60%", "Gửi lại số liệu mới để sửa."}, []string{"Chưa ghi nhận"}},
		{"commas", "1.a 75%, 1.b 60%, 1.c xong", map[string]float64{"1.a": 75, "1.b": 60, "1.c": 100},
			[]string{"3 nhiệm vụ", "<b>1.c</b>: hoàn thành", "Văn phòng UBND phường sẽ xác nhận"}, nil},
		{"semicolons", "1.a 75%; 1.b đang thực hiện", map[string]float64{"1.a": 75, "1.b": 0}, []string{"<b>1.b</b>: đang thực hiện"}, nil},
		{"bullets", "• 1.a 75%\n- 1.b 60%\n* 1.c 10%\n+ 1.d 20%", map[string]float64{"1.a": 75, "1.b": 60, "1.c": 10, "1.d": 20}, []string{"4 nhiệm vụ"}, nil},
		// The newest numbered request (sentRequest: 1.a … 1.l) gives the
		// numbers their tasks.
		{"numbered list answers the request's numbering", "1. 75%\n2) 60%\n11. xong", map[string]float64{"1.a": 75, "1.b": 60, "1.l": 100},
			[]string{"<b>1.a</b>: 75%", "<b>1.b</b>: 60%", "<b>1.l</b>: hoàn thành"}, nil},
		{"one numbered item", "3. 45%", map[string]float64{"1.c": 45}, []string{"<b>1.c</b>: 45%"}, nil},
		{"number beyond the list", "1. 75%\n12. 60%", map[string]float64{"1.a": 75}, []string{"không có nhiệm vụ số 12 (danh sách có 11 nhiệm vụ)"}, nil},
		{"bare number is ambiguous", "1.a 75%\n3 80%", map[string]float64{"1.a": 75}, []string{`"3 80%": không rõ`, "là mã nhiệm vụ hay số thứ tự"}, nil},
		{"tab rows", "1\t1.a\tNhiệm vụ 1.a\t75%\n2\t1.b\tNhiệm vụ 1.b\t60%", map[string]float64{"1.a": 75, "1.b": 60}, []string{"2 nhiệm vụ"}, nil},
		{"mixed good and bad", "1.a 75%\n1.b ???\n60%", map[string]float64{"1.a": 75},
			[]string{"Đã ghi nhận 1 nhiệm vụ", "Chưa ghi nhận 2 mục", `"1.b ???": Chưa hiểu số liệu`, `"60%": không rõ nhiệm vụ nào`, "sửa các mục trên và gửi lại"}, []string{"Gửi lại số liệu mới để sửa."}},
		// An ongoing task's report is the work done, in words.
		{"ongoing task in words", "1.a 75%\n1.b đã họp 2 tổ dân phố", map[string]float64{"1.a": 75, "1.b": 0},
			[]string{"Đã ghi nhận 2 nhiệm vụ", `1.b</b>: đang thực hiện; ghi chú "đã họp 2 tổ dân phố"`}, nil},
		{"task of another unit", "1.a 75%\n2.a 60%", map[string]float64{"1.a": 75}, []string{`"2.a 60%": Nhiệm vụ 2.a không giao cho Công an phường`}, nil},
		{"unknown task", "1.a 75%\n9.z 60%", map[string]float64{"1.a": 75}, []string{"Không có nhiệm vụ 9.z"}, nil},
		{"negative", "1.a 75%\n1.b -5%", map[string]float64{"1.a": 75}, []string{`"1.b -5%": Số liệu không được là số âm`}, nil},
		{"over 100%", "1.a 75%\n1.b 120%", map[string]float64{"1.a": 75}, []string{"vượt quá 100%"}, nil},
		{"done over total", "1.a 75%\n1.b 1.600/1.500", map[string]float64{"1.a": 75}, []string{"lớn hơn tổng số"}, nil},
		{"too large", "1.a 75%\n1.b 20.000.000/30.000.000 hồ sơ", map[string]float64{"1.a": 75}, []string{"Số quá lớn"}, nil},
		{"control characters", "1.a 75% đã\x00 gửi\x07\n1.b 60%", map[string]float64{"1.a": 75, "1.b": 60}, []string{`ghi chú "đã gửi"`}, []string{"\x00", "\x07"}},
		{"long note", "1.a 75% " + long + "\n1.b 60%", map[string]float64{"1.a": 75, "1.b": 60}, []string{"Ghi chú quá dài nên chỉ giữ 500 ký tự đầu."}, nil},
		{"all refused", "1.a 120%\n1.b -1%", map[string]float64{}, []string{"Chưa ghi nhận 2 mục"}, []string{"Đã ghi nhận", "Gửi lại số liệu mới để sửa."}},
		{"command with many", "/baocao 1.a 75%\n1.b 60%", map[string]float64{"1.a": 75, "1.b": 60}, []string{"2 nhiệm vụ"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnvWith(t, telegramCaps, manyPlan())
			e.register("100", "Nguyễn Văn Công", "Công an phường", plan.RoleOfficer)
			e.sentRequest("100", plan.UnitTaskCodes(manyPlan(), "Công an phường"))
			got := e.say("100", tt.text)
			wantContains(t, got, tt.contains...)
			for _, a := range tt.absent {
				if strings.Contains(got, a) {
					t.Errorf("reply has %q:\n%s", a, got)
				}
			}
			rs := e.latest("Công an phường")
			if len(rs) != len(tt.stored) {
				t.Errorf("stored %d reports, want %d: %+v", len(rs), len(tt.stored), rs)
			}
			for code, pct := range tt.stored {
				if r, ok := rs[code]; !ok || r.Percent != pct {
					t.Errorf("%s: stored %+v (%v), want %g", code, r.Figure, ok, pct)
				}
			}
			if r, ok := rs["1.a"]; ok && len([]rune(r.Note)) > 500 {
				t.Errorf("1.a note has %d runes, want at most 500", len([]rune(r.Note)))
			}
		})
	}
}

// TestManyReportsUpdateAndCorrect: a later day's new figure is an update,
// a lower figure the same day a correction, and the hint on correcting is
// shown only on the first report of the period.
func TestManyReportsUpdateAndCorrect(t *testing.T) {
	e := newEnvWith(t, telegramCaps, manyPlan())
	e.register("100", "Nguyễn Văn Công", "Công an phường", plan.RoleOfficer)
	first := e.say("100", "1.a 60%\n1.b 50%")
	wantContains(t, first, "Gửi lại số liệu mới để sửa.")

	e.clock.Add(24 * time.Hour)
	next := e.say("100", "1.a 80%\n1.b xong")
	wantContains(t, next, "(Cập nhật: 60% → 80%)", "(Cập nhật: 50% → hoàn thành)")
	if strings.Contains(next, "Gửi lại số liệu mới để sửa.") {
		t.Errorf("update repeats the hint:\n%s", next)
	}
	fix := e.say("100", "1.a 70%\n1.b 90%")
	wantContains(t, fix, "(Đã sửa: 80% → 70%)", "(Đã sửa: hoàn thành → 90%)")
	same := e.say("100", "1.a 70%\n1.b 95%")
	wantContains(t, same, "<b>1.a</b>: 70% — chỉ tiêu 100%: chưa đạt\n", "(Cập nhật: 90% → 95%)")
}

func TestNegativeSingleReportRefused(t *testing.T) {
	e := newEnv(t, telegramCaps)
	e.register("100", "Nguyễn Văn Công", "Công an phường", plan.RoleOfficer)
	wantContains(t, e.say("100", "/baocao 1.c -5%"), "số âm")
	if rs := e.latest("Công an phường"); len(rs) != 0 {
		t.Errorf("stored %+v", rs)
	}
}

func TestSingleReportLongNoteIsCut(t *testing.T) {
	e := newEnv(t, telegramCaps)
	e.register("100", "Nguyễn Văn Công", "Công an phường", plan.RoleOfficer)
	wantContains(t, e.say("100", "/baocao 1.c 80% "+strings.Repeat("ghi chú\x00 ", 100)), "Đã ghi nhận <b>1.c</b>", "Ghi chú quá dài nên chỉ giữ 500 ký tự đầu.")
	r := e.latest("Công an phường")["1.c"]
	if n := len([]rune(r.Note)); n != 500 || strings.ContainsRune(r.Note, 0) {
		t.Errorf("stored note has %d runes (NUL: %v), want 500 and none", n, strings.ContainsRune(r.Note, 0))
	}
}

// sentRequest records a numbered report request as sent to chat, listing
// codes, and returns its message id.
func (e *env) sentRequest(chat string, codes []string) string {
	e.t.Helper()
	ctx := context.Background()
	e.seq++
	key := "request-" + strconv.Itoa(e.seq)
	_, err := e.db.Enqueue(ctx, plan.OutboxItem{OrgID: plan.DefaultOrg, Key: key,
		Address: plan.Address{Transport: "telegram", ChatID: chat}, Message: plan.Message{Text: "📝 Đề nghị báo cáo"},
		Context:   plan.ReplyContext{Kind: plan.ReplyReportRequest, PlanID: 1, TaskCodes: codes, Numbered: codes, Period: "2023-04"},
		NotBefore: e.clock.Now()})
	if err != nil {
		e.t.Fatal(err)
	}
	items, err := e.db.Claim(ctx, "test", e.clock.Now(), time.Minute, 100)
	if err != nil {
		e.t.Fatal(err)
	}
	id := "req-" + strconv.Itoa(e.seq)
	for _, it := range items {
		if it.Key == key {
			if err := e.db.MarkSent(ctx, it.ID, id, e.clock.Now()); err != nil {
				e.t.Fatal(err)
			}
		}
	}
	return id
}

// Numbers answer the request they reply to; without one, the newest
// numbered request; with none at all, they are refused, never guessed.
func TestNumberedAnswers(t *testing.T) {
	e := newEnvWith(t, telegramCaps, manyPlan())
	e.register("100", "Nguyễn Văn Công", "Công an phường", plan.RoleOfficer)
	wantContains(t, e.say("100", "1. 75%\n2. 60%"), "Chưa ghi nhận 2 mục", "trả lời vào tin đề nghị báo cáo")
	if n := len(e.latest("Công an phường")); n != 0 {
		t.Errorf("stored %d reports with no request, want 0", n)
	}
	// April's request listed 1.c and 1.e; May's 1.g and 1.h.
	april := e.sentRequest("100", []string{"1.c", "1.e"})
	e.sentRequest("100", []string{"1.g", "1.h"})
	ms := e.do(&bot.Event{UserID: "100", Text: "1. 40%\n2. 50%", ReplyToID: april})
	wantContains(t, msgText(ms), "<b>1.c</b>: 40%", "<b>1.e</b>: 50%")
	wantContains(t, e.say("100", "1. 70%\n2. xong"), "<b>1.g</b>: 70%", "<b>1.h</b>: hoàn thành")
	wantContains(t, e.say("100", "3. 10%"), "không có nhiệm vụ số 3 (danh sách có 2 nhiệm vụ)")
}

// The hint on how to correct comes with the unit's first report only.
func TestCorrectHintOnce(t *testing.T) {
	e := newEnvWith(t, telegramCaps, manyPlan())
	e.register("100", "Nguyễn Văn Công", "Công an phường", plan.RoleOfficer)
	wantContains(t, e.say("100", "1.a 75%\n1.b 60%"), "Gửi lại số liệu mới để sửa.")
	for _, text := range []string{"1.c 10%\n1.d 20%", "1.e 30%"} {
		if got := e.say("100", text); strings.Contains(got, "Gửi lại số liệu mới để sửa.") {
			t.Errorf("%q: the hint again:\n%s", text, got)
		}
	}
}

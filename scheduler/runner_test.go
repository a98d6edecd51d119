package scheduler

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chanhlo/planbot/calendar"
	"github.com/chanhlo/planbot/plan"
)

var update = flag.Bool("update", false, "rewrite testdata golden files")

const (
	unitA = "Công an phường"
	unitB = "Văn phòng phường"
	unitC = "Trạm y tế phường"
)

// at returns a time on a day of 2023 in Vietnam: at(t, "25/4 08:00").
func at(t testing.TB, s string) time.Time {
	t.Helper()
	tm, err := time.ParseInLocation("2/1/2006 15:04", strings.Replace(s, " ", "/2023 ", 1), loc)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

func testPlan(t testing.TB, created time.Time) plan.Plan {
	t.Helper()
	return plan.Plan{
		ID: 1, OrgID: 1, Number: "12/KH-UBND", Year: 2023, CreatedAt: created,
		Units: []string{unitA, unitB, unitC},
		Tasks: []plan.Task{
			{Code: "1.c", Title: "Đăng ký và thực hiện một số nhiệm vụ <Đề án 06> năm 2023 & báo cáo", Lead: []string{unitA},
				Support: []string{unitB, unitC}, Deadline: plan.Deadline{Kind: plan.DeadlineDate, Due: plan.NewDate(2023, 4, 30), Text: "Trong tháng 4/2023"}},
			{Code: "1.d", Title: "Rà soát dữ liệu dân cư", Lead: []string{unitA},
				Deadline: plan.Deadline{Kind: plan.DeadlineDate, Due: plan.NewDate(2023, 5, 5)}},
			{Code: "2.a", Title: "Thúc đẩy dịch vụ công thiết yếu", Execute: []string{unitA},
				Deadline: plan.Deadline{Kind: plan.DeadlineRecurring, Recurrence: plan.RecurOngoing}},
		},
	}
}

type harness struct {
	t        *testing.T
	s        *Scheduler
	ledger   *fakeLedger
	officers *fakeOfficers
	progress *fakeProgress
	mu       sync.Mutex
	now      time.Time
}

func newHarness(t *testing.T, p plan.Plan, opts ...Option) *harness {
	t.Helper()
	h := &harness{t: t, officers: &fakeOfficers{}, progress: &fakeProgress{}}
	h.ledger = newFakeLedger(func() time.Time { h.mu.Lock(); defer h.mu.Unlock(); return h.now })
	h.officers.add(plan.Officer{ID: 5, Name: "Nguyễn Văn Công", Unit: unitA, Role: plan.RoleOfficer, Address: plan.Address{Transport: "telegram", ChatID: "105"}})
	h.officers.add(plan.Officer{ID: 6, Name: "Lê Thị Văn", Unit: unitB, Role: plan.RoleOfficer, Address: plan.Address{Transport: "telegram", ChatID: "106"}})
	h.officers.add(plan.Officer{ID: 9, Name: "Trần Thư Ký", Unit: unitB, Role: plan.RoleSecretariat, Address: plan.Address{Transport: "telegram", ChatID: "109"}})
	s, err := New(Deps{
		Plans:    &fakePlans{plans: []plan.Plan{p}},
		Officers: h.officers,
		Progress: h.progress,
		Ledger:   h.ledger,
		Calendar: calendar.New(calendar.Adjustments{}),
	}, DefaultPolicy(), append([]Option{WithLogger(slog.New(slog.DiscardHandler))}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	h.s = s
	return h
}

// tick runs a tick at the given time and returns the outbox items it
// queued.
func (h *harness) tick(when string) []plan.OutboxItem {
	h.t.Helper()
	now := at(h.t, when)
	h.mu.Lock()
	h.now = now
	h.mu.Unlock()
	if err := h.s.Tick(context.Background(), now); err != nil {
		h.t.Fatalf("tick at %s: %v", when, err)
	}
	return h.ledger.take()
}

func describeItems(items []plan.OutboxItem) string {
	var b strings.Builder
	for _, it := range items {
		fmt.Fprintf(&b, "officer %d %v\n", it.OfficerID, it.Context.TaskCodes)
	}
	return b.String()
}

func wantItems(t *testing.T, when string, got []plan.OutboxItem, want ...string) {
	t.Helper()
	var g []string
	for _, it := range got {
		g = append(g, fmt.Sprintf("officer %d %s %v", it.OfficerID, it.Context.Kind, it.Context.TaskCodes))
	}
	if !slices.Equal(g, want) {
		t.Errorf("tick at %s queued:\n\t%s\nwant:\n\t%s", when, strings.Join(g, "\n\t"), strings.Join(want, "\n\t"))
	}
}

// TestStoppedAcross0800: the bot was down when the 08:00 reminder was
// due; started again at 09:10 it sends it, once.
func TestStoppedAcross0800(t *testing.T) {
	h := newHarness(t, testPlan(t, at(t, "24/4 10:00")))
	wantItems(t, "25/4 07:55", h.tick("25/4 07:55"))
	// down from 07:56 to 09:09
	wantItems(t, "25/4 09:10", h.tick("25/4 09:10"), "officer 5 reminder [1.c]")
	wantItems(t, "25/4 09:15", h.tick("25/4 09:15"))
	wantItems(t, "26/4 09:15", h.tick("26/4 09:15"))
}

// TestNightCatchUp: started at night after missing the 08:00 reminder,
// the bot queues it at once but holds it until the next office morning.
func TestNightCatchUp(t *testing.T) {
	h := newHarness(t, testPlan(t, at(t, "24/4 10:00")))
	wantItems(t, "25/4 07:55", h.tick("25/4 07:55"))
	got := h.tick("25/4 22:10")
	wantItems(t, "25/4 22:10", got, "officer 5 reminder [1.c]")
	for _, it := range got {
		if !it.NotBefore.Equal(at(t, "26/4 07:30")) {
			t.Errorf("NotBefore = %s, want 26/4 07:30", it.NotBefore)
		}
	}
}

// TestCrashBetweenRecordAndQueue: the tick recorded its reminders but
// died before the outbox had them; the next tick sends them, once.
func TestCrashBetweenRecordAndQueue(t *testing.T) {
	h := newHarness(t, testPlan(t, at(t, "24/4 10:00")))
	h.ledger.failSettle = 1
	now := at(t, "25/4 08:00")
	h.now = now
	if err := h.s.Tick(context.Background(), now); err == nil {
		t.Fatal("tick with a failing ledger returned no error")
	}
	if got := h.ledger.take(); len(got) != 0 {
		t.Fatalf("failed tick queued %v", describeItems(got))
	}
	wantItems(t, "25/4 08:05", h.tick("25/4 08:05"), "officer 5 reminder [1.c]")
	wantItems(t, "25/4 08:10", h.tick("25/4 08:10"))
}

// TestTwoReplicas: replicas ticking at the same moment (both believing
// they lead) send each reminder once between them.
func TestTwoReplicas(t *testing.T) {
	for round := range 20 {
		h := newHarness(t, testPlan(t, at(t, "24/4 10:00")))
		other, err := New(h.s.deps, DefaultPolicy(), WithLogger(slog.New(slog.DiscardHandler)))
		if err != nil {
			t.Fatal(err)
		}
		h.tick("27/4 09:00")
		now := at(t, "28/4 08:00")
		h.now = now
		var wg sync.WaitGroup
		for _, s := range []*Scheduler{h.s, other, h.s, other} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := s.Tick(context.Background(), now); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		got := h.ledger.take()
		slices.SortFunc(got, func(a, b plan.OutboxItem) int { return int(a.OfficerID - b.OfficerID) })
		// Officer 5 (lead) gets 1.c's due-day reminder, officer 6 the
		// supporting unit's notice.
		wantItems(t, fmt.Sprintf("28/4 08:00 round %d", round), got,
			"officer 5 reminder [1.c]", "officer 6 reminder [1.c]")
	}
}

func TestNotLeading(t *testing.T) {
	leading := false
	h := newHarness(t, testPlan(t, at(t, "24/4 10:00")), WithLeader(leaderFunc(func() bool { return leading })))
	res, err := h.s.TickResult(context.Background(), at(t, "25/4 09:00"))
	if err != nil || !res.NotLeading {
		t.Fatalf("TickResult = %+v, %v; want NotLeading", res, err)
	}
	if len(h.ledger.rows) != 0 {
		t.Fatalf("a replica that does not lead recorded %d reminders", len(h.ledger.rows))
	}
	leading = true
	wantItems(t, "25/4 09:05", h.tick("25/4 09:05"), "officer 5 reminder [1.c]")
}

// TestNoOfficer: a reminder for a unit nobody registered for waits; an
// officer who registers within the catch-up period gets it; after that
// it is listed to the secretariat, once.
func TestNoOfficer(t *testing.T) {
	h := newHarness(t, testPlan(t, at(t, "24/4 10:00")))
	h.tick("27/4 08:00")
	wantItems(t, "28/4 08:00", h.tick("28/4 08:00"), "officer 5 reminder [1.c]", "officer 6 reminder [1.c]")
	dueC := plan.Reminder{PlanID: 1, TaskCode: "1.c", Unit: unitC, Kind: plan.RemindDue, Occurrence: "2023-04-30"}
	if st := h.ledger.state(dueC.Key()); st != "pending" {
		t.Fatalf("reminder for a unit without officer is %q, want pending", st)
	}
	wantItems(t, "28/4 10:00", h.tick("28/4 10:00"))
	h.officers.add(plan.Officer{ID: 7, Unit: unitC, Role: plan.RoleDeputy, Address: plan.Address{Transport: "telegram", ChatID: "107"}})
	// The deputy stands in: the unit has no officer.
	wantItems(t, "28/4 14:00", h.tick("28/4 14:00"), "officer 7 reminder [1.c]")
	if st := h.ledger.state(dueC.Key()); st != StateEnqueued {
		t.Fatalf("state = %q, want enqueued", st)
	}

	// Nobody for unit C this time, and the catch-up passes.
	h = newHarness(t, testPlan(t, at(t, "24/4 10:00")))
	h.tick("27/4 08:00")
	h.tick("28/4 08:00")
	wantItems(t, "30/4 08:00", h.tick("30/4 08:00"))
	got := h.tick("1/5 08:05")
	wantItems(t, "1/5 08:05", got, "officer 9 notice [1.c]")
	if len(got) == 1 && !strings.Contains(got[0].Message.Text, "chưa có cán bộ đầu mối") {
		t.Errorf("missed list does not say why:\n%s", got[0].Message.Text)
	}
	// 1/5 is Labour Day and 2–3/5 are compensatory days off: the notice
	// waits for the next working morning.
	if len(got) == 1 && !got[0].NotBefore.Equal(at(t, "4/5 07:30")) {
		t.Errorf("missed list NotBefore = %s, want 4/5 07:30", got[0].NotBefore)
	}
	if st := h.ledger.state(dueC.Key()); st != StateMissed {
		t.Fatalf("state = %q, want missed", st)
	}
	wantItems(t, "1/5 08:10", h.tick("1/5 08:10"))
}

// TestDownForDays: after five days down, reminders at most three days
// late are sent (one digest per officer); older ones are listed once to
// the secretariat.
func TestDownForDays(t *testing.T) {
	h := newHarness(t, testPlan(t, at(t, "1/3 10:00")))
	got := h.tick("27/4 09:00")
	// Late (before 24/4 09:00): the requests of 18/4 (1.c, 1.d, 2.a) and
	// their chasers of 20/4, 1.c before-7 19/4, 1.d before-7 21/4. Sent:
	// 1.c before-3 (25/4) and before-1 (27/4), which read the same today
	// and show as one line, and 1.d before-3 (27/4).
	wantItems(t, "27/4 09:00", got, "officer 5 reminder [1.c 1.d]", "officer 9 notice [1.c 1.d 2.a]")
	golden(t, "down_for_days", got)
	wantItems(t, "27/4 09:05", h.tick("27/4 09:05"))
}

// TestOverdueAndEscalation: the lead unit is reminded when overdue and
// the secretariat told after three working days; a "done" report stops
// both.
func TestOverdueAndEscalation(t *testing.T) {
	h := newHarness(t, testPlan(t, at(t, "24/4 10:00")))
	h.tick("27/4 08:00")
	h.tick("28/4 08:00")
	// Also on 4/5, the list of what could not be sent: the due-day
	// notice of 28/4 to Trạm y tế phường, which has no officer.
	wantItems(t, "4/5 08:00", h.tick("4/5 08:00"), "officer 5 reminder [1.c 1.d]", "officer 9 notice [1.c]")
	wantItems(t, "5/5 08:00", h.tick("5/5 08:00"), "officer 5 reminder [1.d]")
	wantItems(t, "8/5 08:00", h.tick("8/5 08:00"), "officer 5 reminder [1.d]")
	got := h.tick("9/5 08:00")
	wantItems(t, "9/5 08:00", got, "officer 9 notice [1.c]")
	golden(t, "escalation", got)

	h = newHarness(t, testPlan(t, at(t, "24/4 10:00")))
	h.tick("27/4 08:00")
	h.tick("28/4 08:00")
	h.progress.list = append(h.progress.list, plan.Progress{PlanID: 1, TaskCode: "1.c", Unit: unitA,
		Period: plan.Month(2023, 4), Figure: plan.Figure{Kind: plan.ProgressDone, Percent: 100}, ReportedAt: at(t, "28/4 15:00")})
	wantItems(t, "4/5 08:00 after done", h.tick("4/5 08:00"), "officer 5 reminder [1.d]")
	h.tick("5/5 08:00")
	h.tick("8/5 08:00")
	wantItems(t, "9/5 08:00 after done", h.tick("9/5 08:00"))

	// A "done" the secretariat returned counts as not done.
	h.progress.list[0].Confirm = plan.ConfirmReturned
	// The escalation of 9/5 is still relevant: sent late. The overdue
	// notice of 4/5 was not due then and is not listed as missed.
	wantItems(t, "10/5 08:00 after return", h.tick("10/5 08:00"), "officer 9 notice [1.c]")
	// 1.d was never reported: its escalation is due on 11/5.
	wantItems(t, "11/5 08:00 after return", h.tick("11/5 08:00"), "officer 5 reminder [1.c]", "officer 9 notice [1.d]")
}

// TestDigest: one message per officer per day, tasks in plan order,
// titles escaped, the reply context filled in.
func TestDigest(t *testing.T) {
	h := newHarness(t, testPlan(t, at(t, "24/4 10:00")))
	h.tick("26/4 08:00")
	got := h.tick("27/4 08:00")
	wantItems(t, "27/4 08:00", got, "officer 5 reminder [1.c 1.d]")
	golden(t, "digest", got)
	if len(got) != 1 {
		return
	}
	it := got[0]
	if want := (plan.ReplyContext{Kind: plan.ReplyReminder, PlanID: 1, TaskCodes: []string{"1.c", "1.d"}, Unit: unitA, Period: "2023-04"}); !equalContext(it.Context, want) {
		t.Errorf("context = %+v, want %+v", it.Context, want)
	}
	if !strings.HasPrefix(it.Key, "remind|2023-04-27|officer:5|") || it.Address.ChatID != "105" || !it.NotBefore.Equal(at(t, "27/4 08:00")) {
		t.Errorf("item = key %q address %v not before %v", it.Key, it.Address, it.NotBefore)
	}
	if strings.Contains(it.Message.Text, "<Đề án 06>") || !strings.Contains(it.Message.Text, "&lt;Đề án 06&gt;") {
		t.Errorf("title not escaped:\n%s", it.Message.Text)
	}

	// Report requests alone are a report_request digest for the period.
	p := testPlan(t, at(t, "24/4 10:00"))
	p.Tasks = p.Tasks[2:]
	h = newHarness(t, p)
	got = h.tick("18/5 08:00")
	wantItems(t, "18/5 08:00", got, "officer 5 report_request [2.a]")
	if len(got) == 1 && got[0].Context.Period != "2023-05" {
		t.Errorf("period = %q, want 2023-05", got[0].Context.Period)
	}
}

// TestReportDay: on the report day a unit gets one message with its
// deadline reminders and the report requests of its dated tasks and its
// recurring ones; the chaser goes only for tasks not reported since.
func TestReportDay(t *testing.T) {
	p := testPlan(t, at(t, "17/4 10:00"))
	p.Tasks[1].Deadline.Due = plan.NewDate(2023, 4, 21) // 1.d: before-3 on 18/4
	h := newHarness(t, p)
	got := h.tick("18/4 08:00")
	wantItems(t, "18/4 08:00", got, "officer 5 reminder [1.d 1.c 2.a]")
	golden(t, "report_day", got)
	if len(got) == 1 {
		txt := got[0].Message.Text
		if strings.Count(txt, "<b>1.d</b>") != 2 || strings.Count(txt, "<b>1.c</b>") != 1 || strings.Count(txt, "<b>2.a</b>") != 1 {
			t.Errorf("want 1.d twice (deadline and request), 1.c and 2.a once:\n%s", txt)
		}
		if !strings.Contains(txt, "1. <b>1.c</b> Đăng ký và thực hiện một số nhiệm vụ &lt;Đề án 06&gt;… (hạn 30/4, chậm nhất 28/4)") {
			t.Errorf("1.c's request does not give its deadline:\n%s", txt)
		}
	}
	// 1.c reported for April on 19/4: chased on 20/4 for 1.d and 2.a
	// only, and no repeat of the 18/4 message.
	h.progress.list = append(h.progress.list, plan.Progress{PlanID: 1, TaskCode: "1.c", Unit: unitA,
		Period: plan.MonthOf(plan.NewDate(2023, 4, 19)), Figure: plan.Figure{Kind: plan.ProgressPercent, Percent: 80},
		ReportedAt: at(t, "19/4 09:00")})
	wantItems(t, "19/4 08:00", h.tick("19/4 08:00"), "officer 5 reminder [1.c]")
	// 20/4: 1.d's before-1 reminder, and the chasers of 1.d and 2.a.
	got = h.tick("20/4 08:00")
	wantItems(t, "20/4 08:00", got, "officer 5 reminder [1.d 2.a]")
	if len(got) == 1 && (!strings.Contains(got[0].Message.Text, "📝 Nhắc báo cáo tháng 4/2023") ||
		!strings.Contains(got[0].Message.Text, "1. <b>1.d</b>") || !strings.Contains(got[0].Message.Text, "2. <b>2.a</b>")) {
		t.Errorf("chaser text:\n%s", got[0].Message.Text)
	}
	// In May 1.c (due 30/4) and 1.d (due 21/4) are past due: the
	// overdue notice of 1.c goes out, 2.a alone is asked for its report.
	for d := plan.NewDate(2023, 4, 21); d.Before(plan.NewDate(2023, 5, 18)); d = d.AddDays(1) {
		h.tick(fmt.Sprintf("%d/%d 08:00", d.Day, int(d.Month)))
	}
	got = h.tick("18/5 08:00")
	wantItems(t, "18/5 08:00", got, "officer 5 reminder [1.c 2.a]")
	if len(got) == 1 && (!strings.Contains(got[0].Message.Text, "⚠️ Quá hạn — Công an phường") || !strings.Contains(got[0].Message.Text, "Đề nghị báo cáo tháng 5/2023:\n1. <b>2.a</b>")) {
		t.Errorf("May's digest:\n%s", got[0].Message.Text)
	}
}

func equalContext(a, b plan.ReplyContext) bool {
	return a.Kind == b.Kind && a.PlanID == b.PlanID && slices.Equal(a.TaskCodes, b.TaskCodes) && a.Unit == b.Unit && a.Period == b.Period
}

// TestDigestKeyDeterministic: the same reminders give the same key, so
// queueing them again is a no-op.
func TestDigestKeyDeterministic(t *testing.T) {
	d := plan.NewDate(2023, 4, 27)
	a := plan.Reminder{PlanID: 1, TaskCode: "1.c", Unit: unitA, Kind: plan.RemindBefore, Occurrence: "2023-04-30/1"}
	b := plan.Reminder{PlanID: 1, TaskCode: "1.d", Unit: unitA, Kind: plan.RemindBefore, Occurrence: "2023-05-05/3"}
	k1 := digestKey("remind", d, 5, []plan.Reminder{a, b})
	if k2 := digestKey("remind", d, 5, []plan.Reminder{b, a}); k1 != k2 {
		t.Errorf("order changes the key: %s != %s", k1, k2)
	}
	for _, k := range []string{
		digestKey("remind", d, 5, []plan.Reminder{a}),
		digestKey("remind", d, 6, []plan.Reminder{a, b}),
		digestKey("remind", d.AddDays(1), 5, []plan.Reminder{a, b}),
	} {
		if k == k1 {
			t.Errorf("different digests share key %s", k)
		}
	}
}

func TestJobs(t *testing.T) {
	leading := true
	h := newHarness(t, testPlan(t, at(t, "24/4 10:00")),
		WithLeader(leaderFunc(func() bool { return leading })),
		WithClock(plan.ClockFunc(func() time.Time { return at(t, "25/4 09:00") })))
	var calls []time.Time
	if err := h.s.AddJob("0 9 22 * *", "summary", func(_ context.Context, now time.Time) error {
		calls = append(calls, now)
		panic("boom")
	}); err != nil {
		t.Fatal(err)
	}
	if err := h.s.AddJob("not a spec", "bad", nil); err == nil {
		t.Error("a bad spec was accepted")
	}
	if got := h.s.Jobs(); !slices.Equal(got, []string{"reminders", "summary"}) {
		t.Errorf("Jobs = %v", got)
	}
	entries := h.s.cron.Entries()
	if len(entries) != 2 {
		t.Fatalf("%d cron entries", len(entries))
	}
	// Run the wrapped jobs as cron would: the reminder tick reads the
	// clock; the panicking job is recovered; nothing runs while another
	// replica leads.
	entries[0].WrappedJob.Run()
	if got := h.ledger.take(); len(got) != 1 {
		t.Errorf("reminder job queued %d items, want 1", len(got))
	}
	entries[1].WrappedJob.Run()
	if len(calls) != 1 || !calls[0].Equal(at(t, "25/4 09:00")) {
		t.Errorf("job calls = %v", calls)
	}
	leading = false
	entries[1].WrappedJob.Run()
	if len(calls) != 1 {
		t.Errorf("job ran while not leading")
	}
	if loc := entries[1].Schedule.Next(at(t, "1/5 00:00")); !loc.Equal(at(t, "22/5 09:00")) {
		t.Errorf("next run = %v, want 22/5 09:00 in Vietnam", loc)
	}
	h.s.Start()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := h.s.Stop(ctx); err != nil {
		t.Fatal(err)
	}
}

func golden(t *testing.T, name string, items []plan.OutboxItem) {
	t.Helper()
	var b strings.Builder
	for _, it := range items {
		fmt.Fprintf(&b, "--- to officer %d (%s:%s), %s %v period %q\n%s\n", it.OfficerID, it.Address.Transport, it.Address.ChatID,
			it.Context.Kind, it.Context.TaskCodes, it.Context.Period, it.Message.Text)
	}
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if b.String() != string(want) {
		t.Errorf("%s differs from %s:\n%s", name, path, b.String())
	}
}

// TestEscalationCopyToStandingBody: the standing body gets the
// secretariat's copy of another unit's escalation, not of its own.
func TestEscalationCopyToStandingBody(t *testing.T) {
	for _, tc := range []struct {
		name      string
		plan      string
		opts      []Option
		wantItems []string
	}{
		{"the plan's", unitB, nil, []string{"officer 9 notice [1.c]", "officer 6 notice [1.c]"}},
		{"configured", "", []Option{WithStandingUnit(unitB)}, []string{"officer 9 notice [1.c]", "officer 6 notice [1.c]"}},
		{"its own task", unitA, nil, []string{"officer 9 notice [1.c]"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := testPlan(t, at(t, "24/4 10:00"))
			p.Standing = tc.plan
			h := newHarness(t, p, tc.opts...)
			for _, d := range []string{"27/4", "28/4", "4/5", "5/5", "8/5"} {
				h.tick(d + " 08:00")
			}
			wantItems(t, "9/5 08:00", h.tick("9/5 08:00"), tc.wantItems...)
		})
	}
}

// TestNewRemindersInOneStep: a running bot's tick records its new
// reminders and queues their messages in one step (RecordQueued), with
// the same messages the two steps queue; a reminder another replica has
// recorded meanwhile sends it back to Record, which leaves that one to
// the other replica; and a tick that dies in the one step has written
// nothing, so the next sends everything once.
func TestNewRemindersInOneStep(t *testing.T) {
	// A process's first tick takes two steps.
	slow := newHarness(t, testPlan(t, at(t, "24/4 10:00")))
	slow.tick("27/4 09:00")
	if slow.ledger.quick != 0 {
		t.Fatalf("a process's first tick used the one step %d times", slow.ledger.quick)
	}
	// So does any tick whose one step is refused.
	slow.ledger.noQuick = true
	want := slow.tick("28/4 08:00")

	h := newHarness(t, testPlan(t, at(t, "24/4 10:00")))
	h.tick("27/4 09:00")
	got := h.tick("28/4 08:00")
	if h.ledger.quick != 1 {
		t.Fatalf("RecordQueued called %d times on a running bot's tick, want 1", h.ledger.quick)
	}
	if len(got) != len(want) || len(got) == 0 {
		t.Fatalf("one step queued %d items, two steps %d", len(got), len(want))
	}
	for i := range got {
		if got[i].Key != want[i].Key || got[i].Message.Text != want[i].Message.Text || !got[i].NotBefore.Equal(want[i].NotBefore) {
			t.Errorf("item %d: one step %s %q, two steps %s %q", i, got[i].Key, got[i].Message.Text, want[i].Key, want[i].Message.Text)
		}
	}
	dueC := plan.Reminder{PlanID: 1, TaskCode: "1.c", Unit: unitC, Kind: plan.RemindDue, Occurrence: "2023-04-30"}
	dueA := plan.Reminder{PlanID: 1, TaskCode: "1.c", Unit: unitA, Kind: plan.RemindDue, Occurrence: "2023-04-30"}
	for key, st := range map[string]string{dueA.Key(): StateEnqueued, dueC.Key(): "pending"} {
		if got := h.ledger.state(key); got != st {
			t.Errorf("state of %s = %q, want %q", key, got, st)
		}
	}
	// Later ticks offer nothing to the ledger again.
	quick, offered := h.ledger.quick, h.ledger.offered
	wantItems(t, "28/4 08:05", h.tick("28/4 08:05"))
	if h.ledger.quick != quick || h.ledger.offered != offered {
		t.Errorf("a tick with nothing new gave the ledger %d reminders and called RecordQueued %d times",
			h.ledger.offered-offered, h.ledger.quick-quick)
	}

	// Another replica recorded officer 5's reminder a moment ago (its
	// settle still to come): this one queues only officer 6's.
	h = newHarness(t, testPlan(t, at(t, "24/4 10:00")))
	h.tick("27/4 09:00")
	h.now = at(t, "28/4 08:00")
	dueA.At = at(t, "28/4 08:00")
	if fresh, _ := h.ledger.Record(context.Background(), []plan.Reminder{dueA}); len(fresh) != 1 {
		t.Fatal("the other replica's Record failed")
	}
	wantItems(t, "28/4 08:00 after another replica", h.tick("28/4 08:00"), "officer 6 reminder [1.c]")
	if h.ledger.quick != 1 {
		t.Errorf("RecordQueued called %d times, want 1 (refused)", h.ledger.quick)
	}

	// The one step fails: nothing recorded, the next tick sends it all.
	h = newHarness(t, testPlan(t, at(t, "24/4 10:00")))
	h.tick("27/4 09:00")
	h.ledger.failSettle = 1
	h.now = at(t, "28/4 08:00")
	if err := h.s.Tick(context.Background(), h.now); err == nil {
		t.Fatal("tick with a failing ledger returned no error")
	}
	if st := h.ledger.state(dueA.Key()); st != "" {
		t.Fatalf("a failed one step left %s %q", dueA.Key(), st)
	}
	wantItems(t, "28/4 08:05", h.tick("28/4 08:05"), "officer 5 reminder [1.c]", "officer 6 reminder [1.c]")
	wantItems(t, "28/4 08:10", h.tick("28/4 08:10"))
}

// TestRecordedKeysKeptForTheCatchUpWindow: the keys a process remembers
// as in the ledger are those the next tick can meet, not every reminder
// since it started.
func TestRecordedKeysKeptForTheCatchUpWindow(t *testing.T) {
	h := newHarness(t, testPlan(t, at(t, "24/4 10:00")))
	h.tick("27/4 09:00")
	h.tick("28/4 08:00")
	if len(h.s.recorded) == 0 {
		t.Fatal("no keys remembered after two ticks")
	}
	h.tick("10/5 09:00")
	cut := at(t, "10/5 09:00").Add(-3 * 24 * time.Hour)
	for k, due := range h.s.recorded {
		if due.Before(cut) {
			t.Errorf("%s (due %s) still remembered at 10/5 09:00", k, due.Format("2/1 15:04"))
		}
	}
	// What the ledger holds from before is not offered again either way.
	wantItems(t, "10/5 09:05", h.tick("10/5 09:05"))
}

// TestOneStepBesideWaitingReminders: a unit nobody registered for keeps
// its reminders pending, and they come back every tick; while they are
// still waiting, the next new reminders still take the one step.
func TestOneStepBesideWaitingReminders(t *testing.T) {
	p := testPlan(t, at(t, "8/5 08:00"))
	p.Tasks = []plan.Task{
		{Code: "X", Title: "Việc của trạm y tế", Lead: []string{unitC}, Deadline: plan.Deadline{Kind: plan.DeadlineDate, Due: plan.NewDate(2023, 5, 12)}},
		{Code: "Y", Title: "Việc của công an", Lead: []string{unitA}, Deadline: plan.Deadline{Kind: plan.DeadlineDate, Due: plan.NewDate(2023, 5, 15)}},
	}
	h := newHarness(t, p)
	h.tick("8/5 09:00")
	wantItems(t, "9/5 08:00", h.tick("9/5 08:00")) // X before-3, for unit C: nobody to send it to
	xBefore := plan.Reminder{PlanID: 1, TaskCode: "X", Unit: unitC, Kind: plan.RemindBefore, Occurrence: "2023-05-12/3"}
	if st := h.ledger.state(xBefore.Key()); st != "pending" {
		t.Fatalf("X's reminder for unit C is %q, want pending", st)
	}
	quick, offered := h.ledger.quick, h.ledger.offered
	wantItems(t, "10/5 08:00", h.tick("10/5 08:00"), "officer 5 reminder [Y]") // Y before-3, unit A
	if h.ledger.quick != quick+1 || h.ledger.offered != offered {
		t.Errorf("10/5 08:00 called RecordQueued %d times and gave Record %d reminders; want the one step",
			h.ledger.quick-quick, h.ledger.offered-offered)
	}
	if st := h.ledger.state(xBefore.Key()); st != "pending" {
		t.Errorf("X's waiting reminder is %q after the one step, want pending", st)
	}
	// Unit C's officer registers: the waiting reminder goes out with the
	// next tick, the two steps' way.
	h.officers.add(plan.Officer{ID: 7, Unit: unitC, Role: plan.RoleOfficer, Address: plan.Address{Transport: "telegram", ChatID: "107"}})
	wantItems(t, "10/5 08:05", h.tick("10/5 08:05"), "officer 7 reminder [X]")
}

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chanhlo/planbot/calendar"
	"github.com/chanhlo/planbot/configs"
	"github.com/chanhlo/planbot/importer"
	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/scheduler"
	"github.com/chanhlo/planbot/storage"
	"github.com/chanhlo/planbot/storage/storagetest"
)

func runPlanbot(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(""), &out, &errb, func(string) string { return "" })
	return code, out.String(), errb.String()
}

func previewJSONOf(t *testing.T, args ...string) ([]previewJSON, string) {
	t.Helper()
	code, out, errOut := runPlanbot(t, args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got []previewJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	return got, errOut
}

// TestSchedulePreviewSample previews the bundled plan for April–June 2023
// with no plan stored. The expected counts: 1.c (due 30/4, on Friday
// 28/4) and 1.b, 2.d, 5.a (due 30/6) give 15 before reminders (3 per
// responsible unit) and 16 due-day notices (responsible and supporting
// units); 1.c is overdue every Thursday from 4/5 to 29/6 (9) and escalated
// on 9/5 (1); 27 unit–task pairs of recurring tasks get a request and a
// chaser in each of April, May and June (81 + 81), and the dated tasks
// under way get one too: 1.b (two lead units), 2.d, 5.a, 2.e (due
// 31/12) and 8.2 each month (6 + 3 + 3 + 3 + 3), 1.c in April only (past
// due in May), and 2.đ whose deadline could not be read (3), so 103 +
// 103.
func TestSchedulePreviewSample(t *testing.T) {
	db := filepath.Join(t.TempDir(), "p.db")
	got, errOut := previewJSONOf(t, "--db", db, "schedule", "preview", "--from", "2023-04-01", "--to", "2023-07-01", "--json")
	if !strings.Contains(errOut, "kế hoạch mẫu") || !strings.Contains(errOut, "chờ điều kiện; đặt hạn bằng /sethan): 1.a, 2.h, 4.c, 5.c") ||
		!strings.Contains(errOut, "Chưa có thời hạn (nhắc báo cáo hằng tháng; đặt hạn bằng /sethan): 2.đ") {
		t.Errorf("stderr does not say the sample is used and which tasks wait:\n%s", errOut)
	}
	count := map[string]int{}
	cal := calendar.New(calendar.Adjustments{})
	var prev time.Time
	prevRank := 0
	for _, r := range got {
		count[r.Kind]++
		at, err := time.Parse(time.RFC3339, r.At)
		if err != nil || !strings.HasSuffix(r.At, "+07:00") {
			t.Fatalf("at %q is not RFC 3339 in +07:00: %v", r.At, err)
		}
		if !cal.InOfficeHours(at, calendar.DefaultOfficeHours) {
			t.Errorf("%s %s %s on a non-working day or outside office hours", r.At, r.Kind, r.Task)
		}
		rank := scheduler.KindRank(plan.ReminderKind(r.Kind))
		if at.Before(prev) || at.Equal(prev) && rank < prevRank {
			t.Errorf("not sorted at %s %s", r.At, r.Kind)
		}
		prev, prevRank = at, rank
		if r.Text == "" || strings.Contains(r.Text, "<b>") {
			t.Errorf("text %q", r.Text)
		}
	}
	want := map[string]int{"before": 15, "due": 16, "overdue": 9, "escalation": 1, "report_request": 103, "chaser": 103}
	for k, n := range want {
		if count[k] != n {
			t.Errorf("%s: %d, want %d", k, count[k], n)
		}
	}
	if len(got) != 247 {
		t.Errorf("%d reminders, want 247", len(got))
	}
	first := previewJSON{At: "2023-04-19T08:00:00+07:00", Task: "1.c", Unit: "Công an phường", Kind: "before",
		Text: "1.c Đăng ký và thực hiện một số nhiệm vụ trong thực hiện Đề án 06 năm 2023 — hạn 30/4/2023 (Chủ nhật, nghỉ lễ), đề nghị hoàn thành chậm nhất thứ Sáu 28/4; còn 7 ngày làm việc."}
	if !slices.Contains(got, first) {
		t.Errorf("missing %+v", first)
	}
	request := previewJSON{At: "2023-04-18T08:00:00+07:00", Task: "1.c", Unit: "Công an phường", Kind: "report_request",
		Text: "1.c Đăng ký và thực hiện một số nhiệm vụ trong thực hiện Đề án 06 năm 2023 — đề nghị báo cáo kết quả tháng 4/2023; hạn 30/4/2023 (Chủ nhật, nghỉ lễ), đề nghị hoàn thành chậm nhất thứ Sáu 28/4."}
	if !slices.Contains(got, request) {
		t.Errorf("missing %+v", request)
	}

	// The table says the same in short.
	code, out, _ := runPlanbot(t, "--db", db, "schedule", "preview", "--from", "2023-04-01", "--to", "2023-07-01")
	if code != 0 || !strings.Contains(out, "Tổng: 247 nhắc việc từ 1/4/2023 đến hết 1/7/2023 (nhắc trước hạn 15, nhắc đến hạn 16, nhắc quá hạn 9, báo quá hạn cho Văn phòng 1, đề nghị báo cáo 103, nhắc báo cáo 103).") ||
		!strings.Contains(out, "đề nghị báo cáo            1.b  Công an phường") {
		t.Errorf("table (exit %d):\n%s", code, out)
	}
}

func TestSchedulePreviewStoredPlan(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, configs.SamplePlanName)
	if err := os.WriteFile(path, configs.SamplePlan, 0o600); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "p.db")
	if code, _, errOut := runPlanbot(t, "--db", db, "plan", "import", path, "--save"); code != 0 {
		t.Fatalf("import: exit %d: %s", code, errOut)
	}
	got, errOut := previewJSONOf(t, "--db", db, "schedule", "preview", "--from", "2023-04-28", "--to", "2023-04-29", "--json")
	if strings.Contains(errOut, "kế hoạch mẫu") {
		t.Errorf("stored plan ignored: %s", errOut)
	}
	if len(got) != 6 {
		t.Errorf("28/4/2023: %d reminders, want the 6 due-day notices of 1.c: %+v", len(got), got)
	}

	// 1.c recorded as done by its lead unit: the preview reminds it no
	// more.
	sdb, err := storage.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	pr := plan.Progress{OrgID: plan.DefaultOrg, PlanID: 1, TaskCode: "1.c", Unit: "Công an phường", Period: plan.MonthOf(plan.NewDate(2023, 4, 20)),
		Figure: plan.Figure{Kind: plan.ProgressDone, Percent: 100}, ReportedAt: time.Date(2023, 4, 20, 3, 0, 0, 0, time.UTC)}
	if err := sdb.AddProgress(context.Background(), &pr); err != nil {
		t.Fatal(err)
	}
	sdb.Close()
	got, _ = previewJSONOf(t, "--db", db, "schedule", "preview", "--from", "2023-04-28", "--to", "2023-04-28", "--json")
	for _, r := range got {
		if r.Task == "1.c" && r.Unit == "Công an phường" {
			t.Errorf("1.c reminded to its lead unit after it was done: %+v", r)
		}
	}
}

func TestSchedulePreviewUsage(t *testing.T) {
	db := filepath.Join(t.TempDir(), "p.db")
	for _, args := range [][]string{
		{"schedule", "preview"},
		{"schedule", "preview", "--from", "2023-04-01"},
		{"schedule", "preview", "--from", "1/4/2023", "--to", "2023-07-01"},
		{"schedule", "preview", "--from", "2023-07-01", "--to", "2023-04-01"},
		{"schedule", "preview", "--from", "2023-04-01", "--to", "2023-07-01", "extra"},
	} {
		if code, _, _ := runPlanbot(t, append([]string{"--db", db}, args...)...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}

func TestHolidays(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "planbot.yaml")
	if err := os.WriteFile(cfg, []byte("calendar:\n  days_off:\n    - {date: 2023-06-30, name: Nghỉ thử}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runPlanbot(t, "--config", cfg, "holidays", "2023", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got []holidayJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	var dates []string
	for _, h := range got {
		dates = append(dates, h.Date)
	}
	for _, d := range []string{"2023-01-01", "2023-01-22", "2023-04-29", "2023-04-30", "2023-05-01", "2023-05-02", "2023-05-03", "2023-06-30", "2023-09-01", "2023-09-02", "2023-09-04"} {
		if !slices.Contains(dates, d) {
			t.Errorf("%s missing from %v", d, dates)
		}
	}
	if !slices.Contains(got, holidayJSON{Date: "2023-06-30", Name: "Nghỉ thử"}) {
		t.Errorf("configured day off missing: %+v", got)
	}
	if !slices.IsSorted(dates) {
		t.Errorf("not sorted: %v", dates)
	}
	for _, args := range [][]string{{"holidays"}, {"holidays", "năm"}, {"holidays", "2023", "2024"}} {
		if code, _, _ := runPlanbot(t, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}

func TestReminderPolicyFromConfig(t *testing.T) {
	pol, err := reminderPolicy(configs.Default().Reminders)
	if err != nil {
		t.Fatal(err)
	}
	if def := scheduler.DefaultPolicy(); pol.At != def.At || pol.Office != def.Office || !slices.Equal(pol.BeforeDays, def.BeforeDays) ||
		pol.ReportDay != def.ReportDay || pol.ChaserAfterDays != def.ChaserAfterDays || pol.EscalateAfterDays != def.EscalateAfterDays ||
		pol.OverdueEveryDays != def.OverdueEveryDays {
		t.Errorf("default config gives %+v, want %+v", pol, def)
	}
	bad := configs.Default().Reminders
	bad.OfficeStart, bad.OfficeEnd = "17:00", "07:30"
	if _, err := reminderPolicy(bad); err == nil {
		t.Error("office hours ending before they start accepted")
	}
}

// TestLedgerStateNames: the scheduler's state names are the storage's.
func TestLedgerStateNames(t *testing.T) {
	for _, p := range [][2]string{
		{scheduler.StateEnqueued, storage.LedgerEnqueued},
		{scheduler.StateMissed, storage.LedgerMissed},
		{scheduler.StateDropped, storage.LedgerDropped},
	} {
		if p[0] != p[1] {
			t.Errorf("scheduler %q != storage %q", p[0], p[1])
		}
	}
}

// TestSchedulerOnStorage runs the reminder tick on a real store: the
// sample plan, one registered officer, the bot stopped across 08:00.
func TestSchedulerOnStorage(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		p, err := importer.Parse(bytes.NewReader(configs.SamplePlan), configs.SamplePlanName)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.SavePlan(ctx, p); err != nil {
			t.Fatal(err)
		}
		officers := db.OfficerStore()
		// The store's clock stands at storagetest.Epoch (2/5/2023 09:00).
		now := storagetest.Epoch
		inv := &plan.Invite{Code: "abc123", OrgID: plan.DefaultOrg, Unit: "Công an phường", Role: plan.RoleOfficer,
			CreatedAt: now, ExpiresAt: now.Add(24 * time.Hour)}
		if err := officers.CreateInvite(ctx, inv); err != nil {
			t.Fatal(err)
		}
		o := &plan.Officer{OrgID: plan.DefaultOrg, Name: "Nguyễn Văn Công", UserID: "42", Address: plan.Address{Transport: "telegram", ChatID: "42"}}
		if _, err := officers.RedeemInvite(ctx, "abc123", o, now); err != nil {
			t.Fatal(err)
		}
		s, err := scheduler.New(scheduler.Deps{Plans: db, Officers: officers, Progress: db, Ledger: db,
			Calendar: calendar.New(calendar.Adjustments{})}, scheduler.DefaultPolicy(),
			scheduler.WithLogger(slog.New(slog.DiscardHandler)), scheduler.WithRetryAfter(0))
		if err != nil {
			t.Fatal(err)
		}
		// 4/5/2023 08:00: 1.c is overdue. The bot ticks at 07:55, is
		// down, and ticks again at 09:10 and 09:15.
		loc := calendar.Location()
		for _, tc := range []struct {
			at   time.Time
			want int
		}{
			{time.Date(2023, 5, 4, 7, 55, 0, 0, loc), 0},
			{time.Date(2023, 5, 4, 9, 10, 0, 0, loc), 1},
			{time.Date(2023, 5, 4, 9, 15, 0, 0, loc), 0},
		} {
			before, err := db.OutboxCounts(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Tick(ctx, tc.at); err != nil {
				t.Fatal(err)
			}
			after, err := db.OutboxCounts(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if n := after[plan.OutboxPending] - before[plan.OutboxPending]; n != tc.want {
				t.Errorf("tick at %s queued %d messages, want %d", tc.at.Format("15:04"), n, tc.want)
			}
		}
		items, err := db.Claim(ctx, "test", time.Date(2023, 5, 4, 10, 0, 0, 0, loc), time.Minute, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(items) != 1 || items[0].OfficerID != o.ID || !slices.Equal(items[0].Context.TaskCodes, []string{"1.c"}) ||
			!strings.Contains(items[0].Message.Text, "⚠️ Quá hạn — Công an phường") || !strings.Contains(items[0].Message.Text, "hạn 30/4/2023, chưa báo cáo hoàn thành") {
			t.Fatalf("outbox = %+v", items)
		}
	})
}

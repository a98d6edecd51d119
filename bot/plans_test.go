package bot_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chanhlo/planbot/bot"
	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/summary"
)

// cdsPlan is a second plan of the ward: chuyển đổi số, sharing the code
// 1.c with the Đề án 06 plan and having 9.1 of its own.
func cdsPlan() *plan.Plan {
	return &plan.Plan{
		OrgID: plan.DefaultOrg, Number: "80/KH-UBND", Year: 2023, Date: plan.NewDate(2023, 4, 2),
		Title:    "Kế hoạch chuyển đổi số phường Chánh Lộ năm 2023",
		Sections: []plan.Section{{Number: "1", Title: "Hạ tầng số"}, {Number: "9", Title: "Dữ liệu số"}},
		Units:    []string{"Công an phường", "Văn phòng phường"},
		Tasks: []plan.Task{
			{Code: "1.c", Section: "1", Title: "Lắp wifi công cộng tại trụ sở", Lead: []string{"Công an phường"},
				Deadline: plan.Deadline{Kind: plan.DeadlineRecurring, Recurrence: plan.RecurOngoing, Text: "Thường xuyên"}},
			{Code: "9.1", Section: "9", Title: "Số hóa sổ hộ khẩu cũ", Lead: []string{"Công an phường"},
				Deadline: plan.Deadline{Kind: plan.DeadlineRecurring, Recurrence: plan.RecurOngoing, Text: "Thường xuyên"}},
		},
	}
}

// latestIn returns the unit's latest reports in one plan, by task code.
func (e *env) latestIn(planID int64, unit string) map[string]plan.Progress {
	e.t.Helper()
	rs, err := e.db.ListProgress(context.Background(), plan.ProgressFilter{OrgID: plan.DefaultOrg, PlanID: planID, Unit: unit, LatestOnly: true})
	if err != nil {
		e.t.Fatal(err)
	}
	out := map[string]plan.Progress{}
	for _, r := range rs {
		out[r.TaskCode] = r
	}
	return out
}

// Two plans at once: an officer with tasks in both sees both; a code in
// one plan needs no tag; a code in both is asked about, never guessed;
// the tag names the plan; an archived plan is no longer offered.
func TestTwoPlansAtOnce(t *testing.T) {
	e := newEnvWith(t, telegramCaps, manyPlan())
	cds := cdsPlan()
	if _, err := e.db.SavePlan(context.Background(), cds); err != nil {
		t.Fatal(err)
	}
	e.register("100", "Nguyễn Văn Công", "Công an phường", plan.RoleOfficer)
	ps, err := e.core.ActivePlans(context.Background())
	if err != nil || len(ps) != 2 {
		t.Fatalf("plans %d, %v", len(ps), err)
	}
	tags := bot.PlanTags(ps)
	if tags[cds.ID] != "CĐS" {
		t.Fatalf("tags %v", tags)
	}
	da := e.plan.ID
	daTag := tags[da]

	list := e.say("100", "/nhiemvu")
	wantContains(t, list, "<b>CĐS</b>", "<b>"+daTag+"</b>", "9.1", "1.k")

	wantContains(t, e.say("100", "9.1 50%"), "50%")
	if r := e.latestIn(cds.ID, "Công an phường")["9.1"]; r.Percent != 50 {
		t.Errorf("9.1 in CĐS = %+v", r.Figure)
	}
	asked := e.say("100", "1.c 80%")
	wantContains(t, asked, "có trong 2 kế hoạch", "CĐS 1.c")
	if _, ok := e.latestIn(cds.ID, "Công an phường")["1.c"]; ok {
		t.Fatal("an ambiguous code was recorded")
	}
	if _, ok := e.latestIn(da, "Công an phường")["1.c"]; ok {
		t.Fatal("an ambiguous code was recorded")
	}
	wantContains(t, e.say("100", "cds 1.c 80%"), "80%")
	if r := e.latestIn(cds.ID, "Công an phường")["1.c"]; r.Percent != 80 {
		t.Errorf("1.c in CĐS = %+v", r.Figure)
	}
	wantContains(t, e.say("100", daTag+" 1.c 40%"), "40%")
	if r := e.latestIn(da, "Công an phường")["1.c"]; r.Percent != 40 {
		t.Errorf("1.c in %s = %+v", daTag, r.Figure)
	}
	wantContains(t, e.say("100", "/xem 9.1"), "Số hóa sổ hộ khẩu cũ")
	wantContains(t, e.say("100", "/xem 1.c"), "có trong 2 kế hoạch")

	// Summaries: one per plan, a plan by its tag, or both combined.
	bot.RegisterSummary(e.core, bot.SummaryDeps{Source: &summary.Source{Plans: e.db, Progress: e.db, Loc: e.core.Location()}})
	e.register("vp", "Văn Phòng", "", plan.RoleSecretariat)
	both := e.do(&bot.Event{UserID: "vp", Text: "/tonghop 04/2023"})
	if len(both) != 2 || !strings.Contains(both[0].Text+both[1].Text, "80/KH-UBND") {
		t.Errorf("/tonghop with two plans: %d messages\n%+v", len(both), both)
	}
	one := e.do(&bot.Event{UserID: "vp", Text: "/tonghop 04/2023 CĐS"})
	if len(one) != 1 || !strings.Contains(one[0].Text, "80/KH-UBND") {
		t.Errorf("/tonghop 04/2023 CĐS: %+v", one)
	}
	combined := e.do(&bot.Event{UserID: "vp", Text: "/tonghop chung 04/2023"})
	if len(combined) != 1 || strings.Count(combined[0].Text, "📊") != 2 {
		t.Errorf("/tonghop chung: %+v", combined)
	}

	// Archived at the end of its year: the CĐS plan is history.
	now := e.clock.Now()
	if err := e.db.ArchivePlan(context.Background(), cds.ID, &now); err != nil {
		t.Fatal(err)
	}
	if list := e.say("100", "/nhiemvu"); strings.Contains(list, "9.1") || strings.Contains(list, "CĐS") {
		t.Errorf("an archived plan is still listed:\n%s", list)
	}
	wantContains(t, e.say("100", "1.c 90%"), "90%")
	if r := e.latestIn(da, "Công an phường")["1.c"]; r.Percent != 90 {
		t.Errorf("after archiving, 1.c goes to %s: %+v", daTag, r.Figure)
	}
}

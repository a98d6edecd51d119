package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chanhlo/planbot/plan"
)

// Two plans imported side by side and run by planbot serve: the officer
// of Công an phường has tasks in both, sees both, reports on each — by a
// code only one plan gives the unit, by the plan's tag where both do —
// and is asked, never guessed for, when a code is in both.
func TestServeTwoPlans(t *testing.T) {
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	f := newServeFixture(t, time.Date(2023, 4, 24, 9, 0, 0, 0, loc))
	if code, out, errOut := runCLI(t, nil, "--db", f.cfg.DB, "plan", "import", "testdata/ke-hoach-cds-2023.txt", "--save"); code != 0 {
		t.Fatalf("import: exit %d\n%s\n%s", code, out, errOut)
	}
	code, list, _ := runCLI(t, nil, "--db", f.cfg.DB, "plan", "list")
	if code != 0 || !strings.Contains(list, "CĐS") || !strings.Contains(list, "ĐA06") {
		t.Fatalf("plan list:\n%s", list)
	}
	const officer = 7007
	m := f.startWithOfficer(officer, "Công an phường")

	f.srv.PushText(officer, officer, "/nhiemvu")
	tasks := f.await(officer, "CĐS")
	if !strings.Contains(tasks.Text, "ĐA06") || !strings.Contains(tasks.Text, "Số hóa hồ sơ hộ khẩu") || !strings.Contains(tasks.Text, "1.c") {
		t.Errorf("/nhiemvu does not show both plans:\n%s", tasks.Text)
	}

	f.srv.PushText(officer, officer, "2.a 45%")
	f.await(officer, "có trong 2 kế hoạch")
	f.srv.PushText(officer, officer, "CĐS 2.a 30% đã số hóa 300 hồ sơ")
	f.await(officer, "30%")
	f.srv.PushText(officer, officer, "ĐA06 2.a 45%")
	f.await(officer, "45%")
	f.srv.PushText(officer, officer, "1.c 70%") // only Đề án 06's 1.c is Công an's
	f.await(officer, "70%")

	ctx := context.Background()
	plans, err := m.DB.Plans(ctx, plan.DefaultOrg)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, p := range plans {
		rs, err := m.DB.ListProgress(ctx, plan.ProgressFilter{OrgID: plan.DefaultOrg, PlanID: p.ID, Unit: "Công an phường", LatestOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		tag := "ĐA06"
		if strings.Contains(p.Title, "Chuyển đổi số") {
			tag = "CĐS"
		}
		for _, r := range rs {
			got[tag+" "+r.TaskCode] = r.Percent
		}
	}
	want := map[string]float64{"CĐS 2.a": 30, "ĐA06 2.a": 45, "ĐA06 1.c": 70}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v (all: %v)", k, got[k], v, got)
		}
	}
	if len(got) != len(want) {
		t.Errorf("reports %v, want exactly %v", got, want)
	}
}

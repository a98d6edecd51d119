package main

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chanhlo/planbot/configs"
	"github.com/chanhlo/planbot/importer"
	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/storage"
)

// One message of eleven lines from Công an phường's officer, in the forms
// officers use (codes, bullets, a tab row), records
// eleven figures through planbot serve and is answered once.
func TestServeElevenReportsInOneMessage(t *testing.T) {
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	f := newServeFixture(t, time.Date(2023, 5, 10, 9, 0, 0, 0, loc))
	const unit, officer = "Công an phường", 1001

	p, err := importer.Parse(bytes.NewReader(configs.SamplePlan), configs.SamplePlanName)
	if err != nil {
		t.Fatal(err)
	}
	codes := plan.UnitTaskCodes(p, unit)
	if len(codes) < 11 {
		t.Fatalf("the sample plan gives %s %d tasks, the test needs 11: %v", unit, len(codes), codes)
	}
	// Line i reports 10+i percent on the unit's task i+1.
	var lines []string
	for i, c := range codes[:11] {
		pct := fmt.Sprintf("%d%%", 10+i)
		switch i % 4 {
		case 0:
			lines = append(lines, c+" "+pct)
		case 1:
			lines = append(lines, "• "+c+": "+pct+" đã triển khai")
		case 2:
			lines = append(lines, "- "+c+" "+pct)
		case 3:
			lines = append(lines, c+"\t"+pct)
		}
	}

	m := f.startWithOfficer(officer, unit)
	before := len(f.srv.Sent(officer))
	f.srv.PushText(officer, officer, strings.Join(lines, "\n"))
	ack := f.await(officer, "Đã ghi nhận 11 nhiệm vụ")
	if strings.Contains(ack.Text, "Chưa ghi nhận") {
		t.Errorf("acknowledgement refuses a line:\n%s", ack.Text)
	}
	if err := m.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if n := len(f.srv.Sent(officer)) - before; n != 1 {
		t.Errorf("the message got %d answers, want 1", n)
	}

	db, err := storage.Open(context.Background(), f.cfg.DB)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rs, err := db.ListProgress(context.Background(), plan.ProgressFilter{OrgID: plan.DefaultOrg, Unit: unit, LatestOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, r := range rs {
		if r.Period.String() != "2023-05" {
			t.Errorf("%s stored for %s, want 2023-05", r.TaskCode, r.Period)
		}
		got[r.TaskCode] = r.Percent
	}
	if len(got) != 11 {
		t.Errorf("stored %d reports, want 11: %v", len(got), got)
	}
	for i, c := range codes[:11] {
		if got[c] != float64(10+i) {
			t.Errorf("%s: stored %g%%, want %d%%", c, got[c], 10+i)
		}
	}
	t.Logf("one message, %d lines, %d reports stored, 1 answer of %d runes", len(lines), len(got), len([]rune(ack.Text)))
}

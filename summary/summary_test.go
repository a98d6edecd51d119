package summary

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/chanhlo/planbot/plan"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from golden file:\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

func compute(t *testing.T, period string, asOf plan.Date) *Summary {
	t.Helper()
	p, err := plan.ParsePeriod(period)
	if err != nil {
		t.Fatal(err)
	}
	return Compute(fixturePlan(), fixtureReports(), Options{Period: p, AsOf: asOf, Loc: hcm, Workdays: holidays2023{}})
}

func TestGolden(t *testing.T) {
	tests := []struct {
		name   string
		period string
		asOf   plan.Date
	}{
		{"quarter", "Q2/2023", plan.Date{}},
		{"july", "07/2023", plan.Date{}},
		{"may-midmonth", "2023-05", plan.NewDate(2023, 5, 26)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := compute(t, tt.period, tt.asOf)
			text := strings.Join(s.Text(TextOptions{Attached: true}), "\n---\n") + "\n"
			golden(t, tt.name+".txt", []byte(text))
			js, err := json.MarshalIndent(s, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden(t, tt.name+".json", append(js, '\n'))
		})
	}
}

func TestComputeQuarter(t *testing.T) {
	s := compute(t, "Q2/2023", plan.Date{})
	status := map[string]Status{}
	for _, r := range s.Tasks {
		status[r.Task.Code] = r.Status
	}
	want := map[string]Status{
		"1.a": Waiting,            // nobody reported on the condition
		"1.b": InProgress,         // Công an 90% in June, Văn phòng silent but due 30/6 is the day judged → due soon
		"1.c": DoneOnTime,         // done 27/4, due 30/4
		"2.a": OngoingNotReported, // Trạm y tế missed June
		"2.d": DueSoon,            // done returned; 30/6 is the day judged
		"2.e": InProgress,         // 1.200/1.500 in June
		"3.c": OngoingNotReported, // April only
		"5.a": DueSoon,            // 60% in May, due 30/6
		"5.c": InProgress,         // condition met in June
		"7.b": OngoingNotReported, // never
	}
	// 1.b: Văn phòng phường never reported before 30/6 and the deadline is
	// the day judged, so it is due soon (worse than Công an's in progress).
	want["1.b"] = DueSoon
	for code, st := range want {
		if status[code] != st {
			t.Errorf("%s: %s, want %s", code, status[code], st)
		}
	}
	// Văn phòng phường leads 1.b and sent nothing before 30/6.
	if got := strings.Join(s.NotReported, ", "); got != "Văn phòng phường, Đoàn phường" {
		t.Errorf("not reported: %s", got)
	}
	var sum int
	for _, n := range s.Totals {
		sum += n
	}
	if sum != len(s.Tasks) {
		t.Errorf("totals add up to %d, want %d", sum, len(s.Tasks))
	}
}

func TestComputeJuly(t *testing.T) {
	s := compute(t, "07/2023", plan.Date{})
	rows := map[string]TaskRow{}
	for _, r := range s.Tasks {
		rows[r.Task.Code] = r
	}
	// 1.b: Văn phòng done 5/7 (late, pending), Công an still open: overdue.
	if r := rows["1.b"]; r.Status != Overdue || r.DaysLate != 21 || strings.Join(r.LateUnits(), ",") != "Công an phường,Văn phòng phường" {
		t.Errorf("1.b: %s late %d units %v", r.Status, r.DaysLate, r.LateUnits())
	}
	if r := rows["5.a"]; r.Status != Overdue || r.DaysLate != 21 {
		t.Errorf("5.a: %s late %d", r.Status, r.DaysLate)
	}
	if r := rows["2.e"]; r.TargetMet == nil || *r.TargetMet {
		t.Errorf("2.e target: %v, want not met", r.TargetMet)
	}
	if r := rows["1.c"]; r.Status != DoneOnTime {
		t.Errorf("1.c: %s", r.Status)
	}
	units := map[string]UnitRow{}
	for _, u := range s.Units {
		units[u.Unit] = u
	}
	ca := units["Công an phường"]
	// Công an answers for 1.a 1.b 1.c 2.a 2.d; 1.c finished before July.
	if ca.Assigned != 5 || ca.Expected != 3 || ca.Reported != 1 || ca.Overdue != 2 {
		t.Errorf("Công an: %+v", ca)
	}
	if len(s.Blockers) != 1 || s.Blockers[0].Text != "thiếu máy scan <A4>" {
		t.Errorf("blockers: %+v", s.Blockers)
	}
}

func TestReportsAfterAsOfIgnored(t *testing.T) {
	s := compute(t, "2023-04", plan.NewDate(2023, 4, 25))
	for _, r := range s.Tasks {
		if r.Task.Code == "1.c" && r.Status == DoneOnTime {
			t.Errorf("1.c counted a report from 27/4 as of 25/4")
		}
	}
}

func TestSplit(t *testing.T) {
	lines := []string{"📊 Tiêu đề", strings.Repeat("á", 30), "<b>1.b</b> " + strings.Repeat("x ", 40), "cuối"}
	for _, max := range []int{20, 35, 50, 4096} {
		parts := Split(lines, max)
		joined := strings.Join(parts, "\n")
		for _, p := range parts {
			if n := utf8.RuneCountInString(p); n > max {
				t.Errorf("max %d: part of %d runes: %q", max, n, p)
			}
			if strings.Count(p, "<b>") != strings.Count(p, "</b>") && max >= 20 {
				// A tag may be split from its closing tag only by a cut
				// inside a long line; it must never be cut in half.
				if strings.Contains(p, "<b") && !strings.Contains(p, "<b>") {
					t.Errorf("max %d: tag cut: %q", max, p)
				}
			}
		}
		if strings.ReplaceAll(strings.ReplaceAll(joined, "\n", ""), " ", "") !=
			strings.ReplaceAll(strings.Join(lines, ""), " ", "") {
			t.Errorf("max %d: text lost: %q", max, joined)
		}
	}
	if got := Split(lines, 4096); len(got) != 1 {
		t.Errorf("short text split into %d parts", len(got))
	}
}

func TestTextSplitsForZalo(t *testing.T) {
	p := fixturePlan()
	var reports []plan.Progress
	for i := 0; i < 60; i++ {
		code := "t" + strings.Repeat("x", i%5) + string(rune('a'+i%26))
		p.Tasks = append(p.Tasks, plan.Task{Code: code, Section: "5", Title: "Nhiệm vụ", Lead: []string{"Đoàn phường"}, Deadline: due(2023, 6, 1)})
		reports = append(reports, rep(code, "Đoàn phường", at(2023, 5, 10), blocked(strings.Repeat("thiếu kinh phí & nhân lực ", 4))))
	}
	s := Compute(p, reports, Options{Period: plan.Month(2023, time.July), Loc: hcm})
	parts := s.Text(TextOptions{MaxText: 2000})
	if len(parts) < 2 {
		t.Fatalf("%d parts, want several", len(parts))
	}
	for _, part := range parts {
		if utf8.RuneCountInString(part) > 2000 {
			t.Errorf("part of %d runes", utf8.RuneCountInString(part))
		}
		if strings.Contains(part, "& ") {
			t.Errorf("unescaped ampersand in %q", part[:80])
		}
	}
}

func TestPlanName(t *testing.T) {
	tests := []struct {
		p    plan.Plan
		want string
	}{
		{*fixturePlan(), "Kế hoạch Đề án 06"},
		{plan.Plan{Title: "Thực hiện Đề án 06 năm 2024"}, "Kế hoạch Đề án 06"},
		{plan.Plan{Number: "12/KH-UBND", Title: "Cải cách hành chính"}, "Kế hoạch số 12/KH-UBND"},
		{plan.Plan{Number: "/KH-UBND", Year: 2023, Title: "Cải cách hành chính"}, "Kế hoạch năm 2023"},
	}
	for _, tt := range tests {
		if got := PlanName(&tt.p); got != tt.want {
			t.Errorf("PlanName(%q) = %q, want %q", tt.p.Title, got, tt.want)
		}
	}
}

// A "done" that kept its count (the parser turns 1.500/1.500 hồ sơ into
// done) is judged against a count target.
func TestTargetMetDoneCount(t *testing.T) {
	task := &plan.Task{Targets: []plan.Target{{Value: 1500, Unit: "hồ sơ"}}}
	done := &plan.Progress{Figure: plan.Figure{Kind: plan.ProgressDone, Percent: 100, Done: 1500, Total: 1500, CountUnit: "hồ sơ"}}
	if met := TargetMet(task, done); met == nil || !*met {
		t.Errorf("TargetMet(done 1.500/1.500 hồ sơ vs 1.500 hồ sơ) = %v, want đạt", met)
	}
}

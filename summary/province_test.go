package summary

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/chanhlo/planbot/plan"
)

// Wards of the province fixture, July 2023. Chánh Lộ finished or reported
// everything; Nghĩa Lộ is the ward fixture (overdue tasks, a blocker);
// Trần Phú has the same plan and sent nothing; Tịnh Khê's plan is its own,
// with other codes and sections written otherwise; Nghĩa Chánh has no
// plan.
const (
	chanhLo   = "Phường Chánh Lộ"
	nghiaLo   = "Phường Nghĩa Lộ"
	tranPhu   = "Phường Trần Phú"
	tinhKhe   = "Xã Tịnh Khê"
	nghiaChan = "Phường Nghĩa Chánh"
)

var julyPeriod = plan.Month(2023, time.July)

func julySummary(t *testing.T, p *plan.Plan, reports []plan.Progress) *Summary {
	t.Helper()
	return Compute(p, reports, Options{Period: julyPeriod, Loc: hcm, Workdays: holidays2023{}})
}

// completeReports has every responsible unit of the fixture plan finish
// its dated and conditional tasks in June and report its recurring ones
// in July.
func completeReports(t *testing.T) []plan.Progress {
	t.Helper()
	var out []plan.Progress
	for _, task := range fixturePlan().Tasks {
		for _, u := range task.Responsible() {
			if task.Deadline.Kind == plan.DeadlineRecurring {
				out = append(out, rep(task.Code, u, at(2023, 7, 18), pct(75)))
				continue
			}
			out = append(out, confirmed(rep(task.Code, u, at(2023, 6, 20), doneF()), plan.ConfirmAccepted, ""))
		}
	}
	return out
}

// tinhKhePlan is a commune's plan of the same programme, numbered its own
// way: roman sections whose titles carry their number and the old tone
// placement, task codes that match none of the ward fixture's.
func tinhKhePlan() *plan.Plan {
	return &plan.Plan{
		ID: 1, OrgID: 4, Number: "12/KH-UBND", Year: 2023,
		Title: "Thực hiện Đề án 06 năm 2023 trên địa bàn xã",
		Sections: []plan.Section{
			{Number: "I", Title: "I. CÔNG TÁC THAM MƯU, CHỈ ĐẠO, TRIỂN KHAI"},
			{Number: "II", Title: "II. Phục vụ giải quyết thủ tục hành chính – cung cấp dịch vụ công"},
			{Number: "III", Title: "III. Chuyển đổi số, số hoá dữ liệu"},
		},
		Units: []string{"Công an xã", "Văn phòng - Thống kê", "Tư pháp - Hộ tịch"},
		Tasks: []plan.Task{
			{Code: "I.1", Section: "I", Title: "Ban hành kế hoạch thực hiện Đề án 06 của xã", Lead: []string{"Văn phòng - Thống kê"}, Deadline: due(2023, 6, 30)},
			{Code: "II.1", Section: "II", Title: "Tỉ lệ hồ sơ dịch vụ công trực tuyến toàn trình", Lead: []string{"Công an xã"},
				Deadline: due(2023, 9, 30), Targets: []plan.Target{{Value: 80, Unit: "%", Text: "80%"}}},
			{Code: "II.2", Section: "II", Title: "Số hóa sổ hộ tịch", Lead: []string{"Tư pháp - Hộ tịch"},
				Deadline: due(2023, 12, 31), Targets: []plan.Target{{Value: 2000, Unit: "hồ sơ", Text: "2.000 hồ sơ"}}},
			{Code: "III.1", Section: "III", Title: "Kết nối dữ liệu dân cư", Lead: []string{"Công an xã"}, Deadline: ongoing},
		},
	}
}

func tinhKheReports() []plan.Progress {
	return []plan.Progress{
		confirmed(rep("I.1", "Văn phòng - Thống kê", at(2023, 6, 29), doneF()), plan.ConfirmAccepted, ""),
		rep("II.1", "Công an xã", at(2023, 7, 18), pct(30)),
		rep("II.2", "Tư pháp - Hộ tịch", at(2023, 7, 18), count(1500, 2000, "hồ sơ")),
		rep("III.1", "Công an xã", at(2023, 7, 19), pct(60)),
	}
}

func provinceWards(t *testing.T) []Ward {
	t.Helper()
	return []Ward{
		{ID: 1, Name: chanhLo, Summary: julySummary(t, fixturePlan(), completeReports(t))},
		{ID: 2, Name: nghiaLo, Summary: julySummary(t, fixturePlan(), fixtureReports())},
		{ID: 3, Name: tranPhu, Summary: julySummary(t, fixturePlan(), nil)},
		{ID: 4, Name: tinhKhe, Summary: julySummary(t, tinhKhePlan(), tinhKheReports())},
		{ID: 5, Name: nghiaChan},
	}
}

func wardByName(t *testing.T, p *Province, name string) WardRow {
	t.Helper()
	for _, w := range p.Wards {
		if w.Name == name {
			return w
		}
	}
	t.Fatalf("no ward %s in the roll-up", name)
	return WardRow{}
}

func weakCodes(w WardRow) []string {
	var out []string
	for _, wf := range w.Weakest {
		out = append(out, wf.Code)
	}
	return out
}

func TestRollUpProvinceWards(t *testing.T) {
	p := RollUpProvince(provinceWards(t), ProvinceOptions{Period: julyPeriod})
	tests := []struct {
		ward                          string
		expected, reported            int
		tasks, done, overdue, blocked int
		notReported, noData           bool
		weakest                       []string
	}{
		{ward: chanhLo, expected: 5, reported: 5, tasks: 10, done: 7},
		// The fixture's July: 1.b, 2.d and 5.a overdue, 2.e blocked and
		// short of its count, 3.c short of 70%; Đoàn phường and Văn hóa
		// - Xã hội silent. 2.d's "done" was returned: no figure, all of
		// it missing; 5.a is at 60%, 2.e at 1.300 of 1.500.
		{ward: nghiaLo, expected: 7, reported: 5, tasks: 10, done: 1, overdue: 3, blocked: 1,
			weakest: []string{"2.d", "5.a", "2.e"}},
		// Nothing reported: the most days late first.
		{ward: tranPhu, expected: 7, reported: 0, tasks: 10, overdue: 4, notReported: true,
			weakest: []string{"1.c", "1.b", "2.d"}},
		// II.1 is 30% of 80% (62.5% short), II.2 1.500 of 2.000 (25%).
		{ward: tinhKhe, expected: 2, reported: 2, tasks: 4, done: 1, weakest: []string{"II.1", "II.2"}},
		{ward: nghiaChan, noData: true},
	}
	for _, tt := range tests {
		t.Run(tt.ward, func(t *testing.T) {
			w := wardByName(t, p, tt.ward)
			if w.UnitsExpected != tt.expected || w.UnitsReported != tt.reported {
				t.Errorf("units reported %d/%d, want %d/%d", w.UnitsReported, w.UnitsExpected, tt.reported, tt.expected)
			}
			if w.Tasks != tt.tasks || w.Done != tt.done || w.Overdue != tt.overdue || w.Blocked != tt.blocked {
				t.Errorf("tasks %d done %d overdue %d blocked %d, want %d %d %d %d",
					w.Tasks, w.Done, w.Overdue, w.Blocked, tt.tasks, tt.done, tt.overdue, tt.blocked)
			}
			if w.NotReported != tt.notReported || w.NoData() != tt.noData {
				t.Errorf("not reported %v, no data %v; want %v, %v", w.NotReported, w.NoData(), tt.notReported, tt.noData)
			}
			if got := weakCodes(w); !slices.Equal(got, tt.weakest) {
				t.Errorf("weakest %v, want %v", got, tt.weakest)
			}
		})
	}
	if !slices.Equal(p.NotReported, []string{tranPhu}) || !slices.Equal(p.NoData, []string{nghiaChan}) {
		t.Errorf("not reported %v, no data %v", p.NotReported, p.NoData)
	}
	want := ProvinceTotals{Wards: 5, WithData: 4, UnitsExpected: 21, UnitsReported: 12, Tasks: 34, Done: 9, Overdue: 7, Blocked: 1}
	if p.Totals != want {
		t.Errorf("totals %+v, want %+v", p.Totals, want)
	}
	// Tịnh Khê's plan is its own but of the same programme.
	if p.Name != "Kế hoạch Đề án 06" {
		t.Errorf("name %q", p.Name)
	}
}

func TestProvinceRank(t *testing.T) {
	p := RollUpProvince(provinceWards(t), ProvinceOptions{Period: julyPeriod})
	var got []string
	for _, w := range p.Wards {
		got = append(got, w.Name)
	}
	// Trần Phú sent nothing; Nghĩa Lộ has 30% of its tasks overdue;
	// Tịnh Khê and Chánh Lộ none, both reported in full: input order;
	// Nghĩa Chánh has no data.
	want := []string{tranPhu, nghiaLo, chanhLo, tinhKhe, nghiaChan}
	if !slices.Equal(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}

	rows := []WardRow{
		{Name: "fewer reported", Tasks: 10, Overdue: 1, UnitsExpected: 4, UnitsReported: 1},
		{Name: "more overdue", Tasks: 10, Overdue: 3, UnitsExpected: 4, UnitsReported: 4},
		{Name: "blocked", Tasks: 10, Overdue: 1, UnitsExpected: 4, UnitsReported: 1, Blocked: 2},
		{Name: "long plan, same share", Tasks: 30, Overdue: 9, UnitsExpected: 4, UnitsReported: 4},
	}
	slices.SortStableFunc(rows, ProvinceRank)
	got = got[:0]
	for _, w := range rows {
		got = append(got, w.Name)
	}
	want = []string{"more overdue", "long plan, same share", "blocked", "fewer reported"}
	if !slices.Equal(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
}

func indicatorNames(p *Province) []string {
	var out []string
	for _, ind := range p.Indicators {
		var ws []string
		for _, w := range ind.Wards {
			ws = append(ws, fmt.Sprintf("%s %s %d/%d", w.Ward, strings.Join(w.Codes, ","), w.Done, w.Tasks))
		}
		out = append(out, ind.Name+": "+strings.Join(ws, "; "))
	}
	return out
}

// Tịnh Khê's codes match nobody's: it is compared on the sections its
// plan shares with the others, by title.
func TestProvinceBySection(t *testing.T) {
	p := RollUpProvince(provinceWards(t), ProvinceOptions{Period: julyPeriod})
	got := indicatorNames(p)
	want := []string{
		"Công tác tham mưu, chỉ đạo, triển khai: " + chanhLo + " 1.a,1.b,1.c 3/3; " + nghiaLo + " 1.a,1.b,1.c 1/3; " + tranPhu + " 1.a,1.b,1.c 0/3; " + tinhKhe + " I.1 1/1",
		"Phục vụ giải quyết thủ tục hành chính, cung cấp dịch vụ công: " + chanhLo + " 2.a,2.d,2.e,3.c 2/4; " + nghiaLo + " 2.a,2.d,2.e,3.c 0/4; " + tranPhu + " 2.a,2.d,2.e,3.c 0/4; " + tinhKhe + " II.1,II.2 0/2",
		"Phục vụ xây dựng hệ sinh thái, dữ liệu dùng chung: " + chanhLo + " 5.a,5.c,7.b 2/3; " + nghiaLo + " 5.a,5.c,7.b 0/3; " + tranPhu + " 5.a,5.c,7.b 0/3",
	}
	if !slices.Equal(got, want) {
		t.Errorf("indicators:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if p.ByMapping {
		t.Error("ByMapping without a mapping")
	}
	// Trần Phú has 1.b and 1.c overdue, Nghĩa Lộ 1.b.
	if w, ok := p.Indicators[0].Slowest(); !ok || w.Ward != tranPhu {
		t.Errorf("slowest on section 1: %v %v, want %s", w.Ward, ok, tranPhu)
	}
}

// With the province's mapping, Tịnh Khê's II.1 and the wards' 2.d are one
// indicator; a code the mapping gives but the plan lacks is told, not
// guessed at.
func TestProvinceByMapping(t *testing.T) {
	const dvc, hotich = "Dịch vụ công trực tuyến", "Số hóa dữ liệu hộ tịch"
	ward := map[string]string{"2.d": dvc, "2.E": hotich}
	m := ProvinceMapping{
		1: ward,
		2: ward,
		4: {"II.1": dvc, "ii.2": hotich, "II.9": hotich},
	}
	p := RollUpProvince(provinceWards(t), ProvinceOptions{Period: julyPeriod, Mapping: m})
	got := indicatorNames(p)
	want := []string{
		dvc + ": " + chanhLo + " 2.d 1/1; " + nghiaLo + " 2.d 0/1; " + tinhKhe + " II.1 0/1",
		hotich + ": " + chanhLo + " 2.e 1/1; " + nghiaLo + " 2.e 0/1; " + tinhKhe + " II.2 0/1",
	}
	if !slices.Equal(got, want) {
		t.Errorf("indicators:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !p.ByMapping || !slices.Equal(p.Unmapped, []string{tranPhu}) {
		t.Errorf("by mapping %v, unmapped %v", p.ByMapping, p.Unmapped)
	}
	if want := []MappingMiss{{Ward: tinhKhe, Code: "II.9", Indicator: hotich}}; !slices.Equal(p.MappingMisses, want) {
		t.Errorf("misses %+v, want %+v", p.MappingMisses, want)
	}
	dv := p.Indicators[0]
	if w, ok := dv.Slowest(); !ok || w.Ward != nghiaLo {
		t.Errorf("slowest on %s: %s %v, want %s (overdue)", dv.Name, w.Ward, ok, nghiaLo)
	}
	if w := dv.Wards[2]; !w.HasFigure || w.Lowest != 30 {
		t.Errorf("Tịnh Khê's lowest figure: %+v", w)
	}
}

func TestSectionKey(t *testing.T) {
	tests := []struct{ a, b string }{
		{"Công tác tham mưu, chỉ đạo, triển khai", "I. CÔNG TÁC THAM MƯU, CHỈ ĐẠO, TRIỂN KHAI"},
		{"Chuyển đổi số, số hóa dữ liệu", "3. Chuyển đổi số – số hoá dữ liệu"},
		// Decomposed (NFD) input, as some editors save it.
		{"Phục vụ dân cư", "Phu\u0323c vu\u0323 da\u0302n cu\u031b"},
		{"Triển khai", "a) Triển khai"},
	}
	for _, tt := range tests {
		if ka, kb := sectionKey(tt.a), sectionKey(tt.b); ka != kb {
			t.Errorf("sectionKey(%q) = %q, sectionKey(%q) = %q", tt.a, ka, tt.b, kb)
		}
	}
	different := []struct{ a, b string }{
		{"Vi phạm hành chính", "Phạm hành chính"},
		{"Phục vụ phát triển kinh tế - xã hội", "Phục vụ phát triển công dân số"},
	}
	for _, tt := range different {
		if sectionKey(tt.a) == sectionKey(tt.b) {
			t.Errorf("sectionKey(%q) = sectionKey(%q) = %q", tt.a, tt.b, sectionKey(tt.a))
		}
	}
}

func TestProvinceGolden(t *testing.T) {
	wards := provinceWards(t)
	tests := []struct {
		name string
		opt  ProvinceOptions
		text ProvinceTextOptions
	}{
		{"province-by-section", ProvinceOptions{Period: julyPeriod}, ProvinceTextOptions{Attached: true}},
		{"province-by-mapping", ProvinceOptions{Period: julyPeriod, Name: "Kế hoạch Đề án 06", Mapping: ProvinceMapping{
			1: {"2.d": "Dịch vụ công trực tuyến"}, 2: {"2.d": "Dịch vụ công trực tuyến"}, 4: {"II.1": "Dịch vụ công trực tuyến", "II.9": "Dịch vụ công trực tuyến"},
		}}, ProvinceTextOptions{MaxWards: 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := RollUpProvince(wards, tt.opt)
			golden(t, tt.name+".txt", []byte(strings.Join(p.Text(tt.text), "\n---\n")+"\n"))
		})
	}
}

// A hundred wards fit Zalo's 2,000 characters per message, each ward's
// line kept with its weakest figures, and every ward that did not report
// is named.
func TestProvinceTextHundredWards(t *testing.T) {
	var wards []Ward
	for i := 1; i <= 100; i++ {
		var s *Summary
		switch i % 3 {
		case 0:
			s = julySummary(t, fixturePlan(), nil)
		default:
			s = julySummary(t, fixturePlan(), fixtureReports())
		}
		wards = append(wards, Ward{ID: int64(i), Name: fmt.Sprintf("Phường %d", i), Summary: s})
	}
	p := RollUpProvince(wards, ProvinceOptions{Period: julyPeriod})
	if len(p.NotReported) != 33 {
		t.Fatalf("%d wards not reported, want 33", len(p.NotReported))
	}
	parts := p.Text(ProvinceTextOptions{MaxText: 2000, MaxWards: 100, Attached: true})
	if len(parts) < 2 {
		t.Fatalf("%d parts, want several", len(parts))
	}
	all := strings.Join(parts, "\n")
	for _, part := range parts {
		if n := utf8.RuneCountInString(part); n > 2000 {
			t.Errorf("part of %d runes", n)
		}
		if strings.HasPrefix(part, "   – ") {
			t.Errorf("a part starts with a weakest figure, cut from its ward: %.80q", part)
		}
	}
	for _, name := range p.NotReported {
		if !strings.Contains(all, name+",") && !strings.Contains(all, name+".") {
			t.Errorf("%s not named", name)
		}
	}
	if short := p.Text(ProvinceTextOptions{Attached: true}); len(short) != 1 {
		t.Errorf("the default list (10 wards) takes %d messages", len(short))
	}
}

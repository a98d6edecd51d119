package summary

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"unicode"

	"github.com/chanhlo/planbot/plan"
)

// A province (Công an tỉnh, Văn phòng UBND tỉnh) oversees about a hundred
// wards, each running its own plan. The roll-up is built from the wards'
// own summaries, so that what the province reads of a ward is what the
// ward's chairman read: nothing is judged twice, by other rules.

// Ward is one ward of a province roll-up: its organisation, its name as
// the province writes it, and its summary for the period (nil when the
// ward has no running plan or no data).
type Ward struct {
	ID      int64
	Name    string
	Summary *Summary
}

// ProvinceMapping is how the province lines up wards whose plans differ:
// for each ward (by organisation ID), its task codes → the province's
// indicator name ("Dịch vụ công trực tuyến"). Several codes of one ward
// may feed one indicator. It comes from the province's configuration.
type ProvinceMapping map[int64]map[string]string

// ProvinceOptions say how to roll up.
type ProvinceOptions struct {
	Period plan.Period
	// Name is the programme's name in the title; empty means the wards'
	// plan name when they all share one ("Kế hoạch Đề án 06").
	Name string
	// Mapping, when set, compares wards by the province's indicators;
	// without it wards are compared by the sections their plans share
	// (titles equal once case, diacritics, numbering and punctuation are
	// set aside).
	Mapping ProvinceMapping
	// Weakest is how many weakest figures each ward lists; 0 means 3.
	Weakest int
}

// Province is the roll-up of a period.
type Province struct {
	Name   string
	Period plan.Period
	// AsOf is the latest day the wards were judged on (a period not over
	// is judged "đến nay").
	AsOf plan.Date
	// Wards are worst first (see ProvinceRank).
	Wards  []WardRow
	Totals ProvinceTotals
	// NotReported names the wards with a plan from which no unit
	// reported; NoData those without a summary. Both in input order.
	NotReported, NoData []string
	// ByMapping is set when Indicators come from a ProvinceMapping;
	// otherwise they are the sections the plans share.
	ByMapping  bool
	Indicators []Indicator
	// Unmapped names, with a mapping, the wards with data the mapping
	// does not cover; MappingMisses are the mapped codes a ward's plan
	// does not have (a configuration to fix, never guessed at).
	Unmapped      []string
	MappingMisses []MappingMiss
}

// ProvinceTotals add up the wards with data.
type ProvinceTotals struct {
	Wards, WithData int
	// UnitsExpected and UnitsReported add up the wards' units.
	UnitsExpected, UnitsReported  int
	Tasks, Done, Overdue, Blocked int
}

// ReportingRate is units reported over units expected, and false when
// none was expected.
func (t ProvinceTotals) ReportingRate() (float64, bool) {
	return rate(t.UnitsReported, t.UnitsExpected)
}

// WardRow is one ward's record in the roll-up.
type WardRow struct {
	ID   int64
	Name string
	// Summary is the ward's own; nil means no data.
	Summary *Summary
	// UnitsExpected counts the units from which a report was due in the
	// period; UnitsReported those of them that sent one.
	UnitsExpected, UnitsReported int
	// Tasks, Done and Overdue count the ward's tasks by status; Blocked
	// the tasks on which a unit's latest report of the period names a
	// difficulty.
	Tasks, Done, Overdue, Blocked int
	// NotReported is set when a report was due and no unit sent one.
	NotReported bool
	// Weakest are the ward's tasks furthest behind, worst first.
	Weakest []WeakFigure
}

// NoData reports whether the ward has no summary.
func (w *WardRow) NoData() bool { return w.Summary == nil }

// ReportingRate is units reported over units expected, and false when
// none was expected.
func (w *WardRow) ReportingRate() (float64, bool) {
	return rate(w.UnitsReported, w.UnitsExpected)
}

func rate(n, of int) (float64, bool) {
	if of == 0 {
		return 0, false
	}
	return float64(n) / float64(of), true
}

// WeakFigure is a task behind: its figure short of the target, or open
// past its due day.
type WeakFigure struct {
	Code, Title string
	// Units are the units behind: the overdue ones, else the unit of the
	// figure.
	Units    []string
	Status   Status
	DaysLate int
	// Figure is the figure judged (TaskRow.Latest's), nil when none came.
	Figure *plan.Figure
	// Returned is set when the figure judged was a "done" the
	// secretariat sent back: Figure is then nil.
	Returned bool
	// Target is the task's first target, nil when it has none.
	Target *plan.Target
	// Shortfall is how much is missing, 0–1: of the target when the
	// figure is compared with one, else of the task (100%).
	Shortfall float64
}

// Indicator is one thing the wards share, with each ward's record on it,
// in input order.
type Indicator struct {
	Name  string
	Wards []IndicatorWard
}

// IndicatorWard is a ward's tasks under an indicator.
type IndicatorWard struct {
	WardID int64
	Ward   string
	// Codes are the ward's task codes counted, in plan order.
	Codes                         []string
	Tasks, Done, Overdue, Blocked int
	// Lowest is the lowest percentage among those tasks' figures
	// (TaskRow.Latest), when one carries a percentage.
	Lowest    float64
	HasFigure bool
}

// MappingMiss is a code the mapping gives a ward that its plan lacks.
type MappingMiss struct {
	Ward, Code, Indicator string
}

// RollUpProvince builds the province's roll-up of the wards, in the
// order given (the province's list), for opt.Period.
func RollUpProvince(wards []Ward, opt ProvinceOptions) *Province {
	n := opt.Weakest
	if n <= 0 {
		n = 3
	}
	p := &Province{Name: opt.Name, Period: opt.Period, ByMapping: opt.Mapping != nil}
	names := map[string]bool{}
	for _, w := range wards {
		row := wardRow(w, n)
		p.Wards = append(p.Wards, row)
		p.Totals.Wards++
		if w.Summary == nil {
			p.NoData = append(p.NoData, w.Name)
			continue
		}
		names[w.Summary.Name] = true
		if w.Summary.AsOf.After(p.AsOf) {
			p.AsOf = w.Summary.AsOf
		}
		t := &p.Totals
		t.WithData++
		t.UnitsExpected += row.UnitsExpected
		t.UnitsReported += row.UnitsReported
		t.Tasks += row.Tasks
		t.Done += row.Done
		t.Overdue += row.Overdue
		t.Blocked += row.Blocked
		if row.NotReported {
			p.NotReported = append(p.NotReported, w.Name)
		}
	}
	if p.Name == "" && len(names) == 1 {
		for n := range names {
			p.Name = n
		}
	}
	if p.AsOf.IsZero() {
		p.AsOf = opt.Period.End()
	}
	slices.SortStableFunc(p.Wards, ProvinceRank)
	if opt.Mapping != nil {
		p.Indicators, p.Unmapped, p.MappingMisses = byMapping(wards, opt.Mapping)
	} else {
		p.Indicators = bySection(wards)
	}
	return p
}

// ProvinceRank orders wards worst first, as a provincial officer chases
// them: first the wards from which nothing came (nothing else about them
// can be trusted); then by the share of tasks overdue (a share, so that a
// ward with a long plan is not worse for its length); then by the lower
// reporting rate; then by the larger share of tasks blocked. Shares are
// compared to the whole percent, so that 33.3% and 33.4% tie, and ties
// keep the input order. Wards without data come last: they cannot be
// ranked, and the roll-up names them apart.
func ProvinceRank(a, b WardRow) int {
	if c := cmp.Compare(boolRank(a.NoData()), boolRank(b.NoData())); c != 0 {
		return c
	}
	if c := cmp.Compare(boolRank(!a.NotReported), boolRank(!b.NotReported)); c != 0 {
		return c
	}
	if c := cmp.Compare(share(b.Overdue, b.Tasks), share(a.Overdue, a.Tasks)); c != 0 {
		return c
	}
	if c := cmp.Compare(share(a.UnitsReported, a.UnitsExpected), share(b.UnitsReported, b.UnitsExpected)); c != 0 {
		return c
	}
	return cmp.Compare(share(b.Blocked, b.Tasks), share(a.Blocked, a.Tasks))
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}

// share is n of total in whole percent; 100 when total is 0 (nothing
// was due: nothing is missing).
func share(n, total int) int {
	if total == 0 {
		return 100
	}
	return int(math.Round(100 * float64(n) / float64(total)))
}

func wardRow(w Ward, weakest int) WardRow {
	row := WardRow{ID: w.ID, Name: w.Name, Summary: w.Summary}
	s := w.Summary
	if s == nil {
		return row
	}
	for _, u := range s.Units {
		if u.Expected > 0 {
			row.UnitsExpected++
			if u.Reported > 0 {
				row.UnitsReported++
			}
		}
	}
	row.NotReported = row.UnitsExpected > 0 && row.UnitsReported == 0
	row.Tasks = len(s.Tasks)
	row.Done = s.Totals[DoneOnTime] + s.Totals[DoneLate]
	row.Overdue = s.Totals[Overdue]
	row.Blocked = len(blockedCodes(s))
	var weak []WeakFigure
	for i := range s.Tasks {
		if wf, ok := weakFigure(&s.Tasks[i]); ok {
			weak = append(weak, wf)
		}
	}
	slices.SortStableFunc(weak, func(a, b WeakFigure) int {
		if c := cmp.Compare(b.Shortfall, a.Shortfall); c != 0 {
			return c
		}
		return cmp.Compare(b.DaysLate, a.DaysLate)
	})
	row.Weakest = weak[:min(weakest, len(weak))]
	return row
}

// blockedCodes are the tasks of s with a blocker in the period.
func blockedCodes(s *Summary) map[string]bool {
	out := map[string]bool{}
	for _, b := range s.Blockers {
		out[b.Code] = true
	}
	return out
}

// weakFigure says how far behind a task is: an open task whose figure
// falls short of its target, or which is past its due day. A finished
// task is not behind, whatever its figure.
func weakFigure(r *TaskRow) (WeakFigure, bool) {
	if r.Status.Done() {
		return WeakFigure{}, false
	}
	missed := r.TargetMet != nil && !*r.TargetMet
	if !missed && r.Status != Overdue {
		return WeakFigure{}, false
	}
	wf := WeakFigure{Code: r.Task.Code, Title: r.Task.Title, Status: r.Status, DaysLate: r.DaysLate, Shortfall: 1}
	if len(r.Task.Targets) > 0 {
		wf.Target = &r.Task.Targets[0]
	}
	switch {
	case r.Latest != nil && r.Latest.Confirm == plan.ConfirmReturned:
		// A "done" sent back is no figure: the task is as far along as
		// before it, which nobody has told.
		wf.Returned = true
	case r.Latest != nil && r.Latest.Kind != "":
		f := r.Latest.Figure
		wf.Figure = &f
	}
	if r.Status == Overdue {
		wf.Units = r.LateUnits()
	} else if r.Latest != nil {
		wf.Units = []string{r.Latest.Unit}
	}
	switch {
	case missed:
		tg := r.Task.Targets[0]
		got := r.Latest.Percent
		if tg.Unit != "%" {
			got = r.Latest.Done
		}
		if tg.Value > 0 {
			wf.Shortfall = clamp01(1 - got/tg.Value)
		}
	case wf.Figure != nil && wf.Figure.HasPercent():
		wf.Shortfall = clamp01(1 - wf.Figure.Percent/100)
	}
	return wf, true
}

func clamp01(x float64) float64 { return max(0, min(1, x)) }

// bySection lines wards up by the sections their plans share: the same
// title once folded (sectionKey). A section only one ward has compares
// nothing and is left out. Indicators follow the order the first ward
// holding them lists them in.
func bySection(wards []Ward) []Indicator {
	type acc struct {
		ind   Indicator
		order int
	}
	idx := map[string]*acc{}
	var keys []string
	for _, w := range wards {
		s := w.Summary
		if s == nil {
			continue
		}
		byNumber := map[string]string{} // section number → key
		for _, sec := range s.Sections {
			k := sectionKey(sec.Title)
			if k == "" {
				continue
			}
			byNumber[sec.Number] = k
			if _, ok := idx[k]; !ok {
				idx[k] = &acc{ind: Indicator{Name: strings.TrimSpace(sec.Title)}, order: len(keys)}
				keys = append(keys, k)
			}
		}
		groups := map[string][]*TaskRow{}
		for i := range s.Tasks {
			if k, ok := byNumber[s.Tasks[i].Task.Section]; ok {
				groups[k] = append(groups[k], &s.Tasks[i])
			}
		}
		for k, rows := range groups {
			a := idx[k]
			a.ind.Wards = append(a.ind.Wards, indicatorWard(w, s, rows))
		}
	}
	var out []Indicator
	for _, k := range keys {
		a := idx[k]
		if len(a.ind.Wards) < 2 {
			continue
		}
		slices.SortStableFunc(a.ind.Wards, func(x, y IndicatorWard) int { return cmp.Compare(wardPos(wards, x.WardID), wardPos(wards, y.WardID)) })
		out = append(out, a.ind)
	}
	return out
}

func wardPos(wards []Ward, id int64) int {
	return slices.IndexFunc(wards, func(w Ward) bool { return w.ID == id })
}

// byMapping lines wards up by the province's indicators, in the order
// the indicators first appear in the wards' plans. Codes are matched as
// plan.Task.Code after trimming and case folding (a mapping typed in a
// configuration file may write "2.Đ").
func byMapping(wards []Ward, m ProvinceMapping) (inds []Indicator, unmapped []string, misses []MappingMiss) {
	at := map[string]int{}
	for _, w := range wards {
		s := w.Summary
		if s == nil {
			continue
		}
		codes, ok := m[w.ID]
		if !ok || len(codes) == 0 {
			unmapped = append(unmapped, w.Name)
			continue
		}
		norm := make(map[string]string, len(codes))
		for code, ind := range codes {
			norm[codeKey(code)] = strings.TrimSpace(ind)
		}
		groups := map[string][]*TaskRow{}
		var order []string
		found := map[string]bool{}
		for i := range s.Tasks {
			k := codeKey(s.Tasks[i].Task.Code)
			ind, ok := norm[k]
			if !ok || ind == "" {
				continue
			}
			found[k] = true
			if _, seen := groups[ind]; !seen {
				order = append(order, ind)
			}
			groups[ind] = append(groups[ind], &s.Tasks[i])
		}
		for _, ind := range order {
			i, ok := at[ind]
			if !ok {
				i = len(inds)
				at[ind] = i
				inds = append(inds, Indicator{Name: ind})
			}
			inds[i].Wards = append(inds[i].Wards, indicatorWard(w, s, groups[ind]))
		}
		var missed []MappingMiss
		for code, ind := range codes {
			if !found[codeKey(code)] {
				missed = append(missed, MappingMiss{Ward: w.Name, Code: code, Indicator: ind})
			}
		}
		slices.SortFunc(missed, func(a, b MappingMiss) int { return cmp.Compare(a.Code, b.Code) })
		misses = append(misses, missed...)
	}
	return inds, unmapped, misses
}

func codeKey(code string) string { return strings.ToLower(strings.TrimSpace(code)) }

func indicatorWard(w Ward, s *Summary, rows []*TaskRow) IndicatorWard {
	blocked := blockedCodes(s)
	iw := IndicatorWard{WardID: w.ID, Ward: w.Name, Tasks: len(rows)}
	for _, r := range rows {
		iw.Codes = append(iw.Codes, r.Task.Code)
		if r.Status.Done() {
			iw.Done++
		}
		if r.Status == Overdue {
			iw.Overdue++
		}
		if blocked[r.Task.Code] {
			iw.Blocked++
		}
		if r.Latest != nil && r.Latest.HasPercent() && (!iw.HasFigure || r.Latest.Percent < iw.Lowest) {
			iw.Lowest, iw.HasFigure = r.Latest.Percent, true
		}
	}
	return iw
}

// sectionKey is the form in which two plans' section titles are compared:
// lower case, without diacritics ("đ" as "d"), without a leading number
// ("2.", "II.", "a)"), punctuation as spaces, single spaces. Plans typed
// by different wards differ in exactly these (old and new tone placement,
// "Phục vụ giải quyết TTHC, cung cấp dịch vụ công" with or without the
// comma), not in their words. importer.Key does the same for unit names
// but is not the domain's to import, and needs golang.org/x/text.
func sectionKey(title string) string {
	title = strings.TrimSpace(title)
	if first, rest, ok := strings.Cut(title, " "); ok && isNumbering(first) {
		title = rest
	}
	var b strings.Builder
	for _, r := range strings.ToLower(title) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue // a decomposed mark
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(baseLetter(r))
		default:
			b.WriteByte(' ')
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// isNumbering reports whether w is a heading's number as typed before
// its title: "2.", "2.1.", "II.", "a)". The mark after it tells it from
// a word ("Vi phạm" starts with a roman-looking word).
func isNumbering(w string) bool {
	body := strings.TrimRight(w, ".)")
	if body == w || body == "" {
		return false
	}
	if strings.Trim(body, "0123456789.") == "" || strings.Trim(body, "IVXL") == "" {
		return true
	}
	r := []rune(body)
	return len(r) == 1 && unicode.IsLower(r[0])
}

// vietnameseBases maps each precomposed Vietnamese lower-case letter to
// its base letter: the stdlib has no decomposition table.
var vietnameseBases = func() map[rune]rune {
	groups := map[rune]string{
		'a': "àáảãạăằắẳẵặâầấẩẫậ",
		'e': "èéẻẽẹêềếểễệ",
		'i': "ìíỉĩị",
		'o': "òóỏõọôồốổỗộơờớởỡợ",
		'u': "ùúủũụưừứửữự",
		'y': "ỳýỷỹỵ",
		'd': "đ",
	}
	m := map[rune]rune{}
	for base, letters := range groups {
		for _, r := range letters {
			m[r] = base
		}
	}
	return m
}()

func baseLetter(r rune) rune {
	if b, ok := vietnameseBases[r]; ok {
		return b
	}
	return r
}

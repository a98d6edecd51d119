package summary

import (
	"cmp"
	"slices"
	"strings"

	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/texts"
)

// ProvinceTextOptions shape the roll-up's chat text.
type ProvinceTextOptions struct {
	// MaxText is the transport's longest message, in characters; 0 means
	// 4096.
	MaxText int
	// Attached says the workbook goes along: the wards cut from the list
	// are in it.
	Attached bool
	// MaxWards is how many wards the list shows, worst first; 0 means 10.
	// The wards that did not report are always named, all of them.
	MaxWards int
	// ChatWeakest is how many weakest figures each ward shows; 0 means 1
	// (the workbook has more): ten wards then fit one Telegram message.
	ChatWeakest int
}

// Lines returns the roll-up for the chat, in the HTML subset of
// plan.Message. A ward's line and its weakest figures are one element,
// so that a split never separates them.
func (p *Province) Lines(opt ProvinceTextOptions) []string {
	maxWards := opt.MaxWards
	if maxWards <= 0 {
		maxWards = 10
	}
	weakest := opt.ChatWeakest
	if weakest <= 0 {
		weakest = 1
	}
	lines := []string{texts.ProvinceTitle(p.Name, len(p.Wards), p.Period)}
	if p.AsOf != p.Period.End() {
		lines = append(lines, texts.SummaryAsOf(p.AsOf))
	}
	t := p.Totals
	if t.WithData > 0 {
		lines = append(lines, texts.ProvinceTotals(t.UnitsReported, t.UnitsExpected, t.Tasks, t.Done, t.Overdue, t.Blocked))
	}
	if len(p.NotReported) > 0 {
		lines = append(lines, texts.ProvinceNotReported(p.NotReported))
	}
	if len(p.NoData) > 0 {
		lines = append(lines, texts.ProvinceNoData(p.NoData))
	}
	ranked := slices.DeleteFunc(slices.Clone(p.Wards), func(w WardRow) bool { return w.NoData() })
	if len(ranked) > 0 {
		shown := ranked[:min(maxWards, len(ranked))]
		lines = append(lines, texts.ProvinceWardsHeader(len(shown), len(ranked)))
		for i, w := range shown {
			item := []string{texts.ProvinceWard(i+1, w.Name, w.UnitsReported, w.UnitsExpected, w.Tasks, w.Done, w.Overdue, w.Blocked)}
			for _, wf := range w.Weakest[:min(weakest, len(w.Weakest))] {
				item = append(item, texts.ProvinceWeak(wf.Code, wf.Title, wf.Units, plan.EscapeHTML(wf.Detail())))
			}
			lines = append(lines, strings.Join(item, "\n"))
		}
		if n := len(ranked) - len(shown); n > 0 {
			lines = append(lines, texts.ProvinceMoreWards(n, opt.Attached))
		}
	}
	switch {
	case len(p.Indicators) > 0:
		lines = append(lines, texts.ProvinceIndicatorsHeader(len(p.Indicators), p.ByMapping))
		for _, ind := range p.Indicators {
			var tasks, done, overdue int
			for _, w := range ind.Wards {
				tasks += w.Tasks
				done += w.Done
				overdue += w.Overdue
			}
			slowest := ""
			if w, ok := ind.Slowest(); ok {
				slowest = w.Ward
			}
			lines = append(lines, texts.ProvinceIndicator(ind.Name, len(ind.Wards), tasks, done, overdue, slowest))
		}
	case !p.ByMapping && t.WithData > 1:
		lines = append(lines, texts.ProvinceNoCommon)
	}
	if len(p.Unmapped) > 0 {
		lines = append(lines, texts.ProvinceUnmapped(p.Unmapped))
	}
	if len(p.MappingMisses) > 0 {
		var ms []string
		for _, m := range p.MappingMisses {
			ms = append(ms, texts.MappingMiss(m.Ward, m.Code))
		}
		lines = append(lines, texts.ProvinceMappingMisses(ms))
	}
	if opt.Attached {
		lines = append(lines, texts.SummaryDetailsInFile)
	}
	return lines
}

// Text renders the roll-up as chat messages of at most opt.MaxText
// characters each, split between lines as Split does.
func (p *Province) Text(opt ProvinceTextOptions) []string {
	return Split(p.Lines(opt), opt.MaxText)
}

// Detail tells, in plain text, how far behind the task is
// (texts.WeakDetail).
func (wf *WeakFigure) Detail() string {
	late := 0
	if wf.Status == Overdue {
		late = wf.DaysLate
	}
	return texts.WeakDetail(wf.Figure, wf.Returned, wf.Target, late)
}

// Slowest returns the ward lagging the others on the indicator: the most
// tasks overdue, then the smallest share done, then the lowest figure.
// It returns false when no ward lags (all alike, or only one).
func (ind *Indicator) Slowest() (IndicatorWard, bool) {
	if len(ind.Wards) < 2 {
		return IndicatorWard{}, false
	}
	worse := func(a, b IndicatorWard) int {
		if c := cmp.Compare(b.Overdue, a.Overdue); c != 0 {
			return c
		}
		if c := cmp.Compare(share(a.Done, a.Tasks), share(b.Done, b.Tasks)); c != 0 {
			return c
		}
		switch {
		case a.HasFigure && b.HasFigure:
			return cmp.Compare(a.Lowest, b.Lowest)
		case a.HasFigure != b.HasFigure:
			// No figure at all is further behind than a low one.
			return cmp.Compare(boolRank(a.HasFigure), boolRank(b.HasFigure))
		}
		return 0
	}
	ws := slices.Clone(ind.Wards)
	slices.SortStableFunc(ws, worse)
	if worse(ws[0], ws[len(ws)-1]) == 0 {
		return IndicatorWard{}, false
	}
	return ws[0], true
}

// WeakestText is the ward's weakest figures in plain text for a cell,
// one a line, "" when nothing is behind.
func (w *WardRow) WeakestText() string {
	var lines []string
	for _, wf := range w.Weakest {
		lines = append(lines, texts.WeakCell(wf.Code, wf.Title, wf.Units, wf.Detail()))
	}
	return strings.Join(lines, "\n")
}

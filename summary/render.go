package summary

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/texts"
)

// TextOptions shape the chat text.
type TextOptions struct {
	// MaxText is the transport's longest message, in characters (4096 on
	// Telegram, 2000 on Zalo); 0 means 4096.
	MaxText int
	// Attached adds "Chi tiết: tệp đính kèm." when an .xlsx goes along.
	Attached bool
}

// Lines returns the chat summary, one short line per element, in the
// HTML subset of plan.Message with everything from people escaped.
func (s *Summary) Lines(attached bool) []string {
	esc := plan.EscapeHTML
	loc := s.Loc
	if loc == nil {
		loc = time.UTC
	}
	lines := []string{texts.SummaryTitle(esc(s.Name), s.Period)}
	if s.AsOf != s.Period.End() {
		lines = append(lines, texts.SummaryAsOf(s.AsOf))
	}
	if len(s.Tasks) == 0 {
		return append(lines, texts.SummaryNoTasks)
	}
	counts := map[string]int{}
	for st, n := range s.Totals {
		counts[string(st)] = n
	}
	lines = append(lines, texts.SummaryTotals(len(s.Tasks), counts, s.Pending))

	// The chairman reads each task by what it is and who leads it, not
	// by its code alone; an overdue task carries its latest blocker.
	item := func(r *TaskRow, units []string, detail string) string {
		return texts.ChairTaskItem(r.Task.Code, r.Task.Title, units, detail)
	}
	latestBlocker := func(code string) *Blocker {
		var b *Blocker
		for i := range s.Blockers {
			if s.Blockers[i].Code == code && (b == nil || s.Blockers[i].At.After(b.At)) {
				b = &s.Blockers[i]
			}
		}
		return b
	}
	if od := s.Overdue(); len(od) > 0 {
		lines = append(lines, texts.ChairOverdueHeader(len(od)))
		for _, r := range od {
			var us []string
			for _, j := range r.Units {
				if j.Status == Overdue {
					us = append(us, j.Unit)
				}
			}
			detail := texts.DaysLateNote(r.DaysLate)
			if b := latestBlocker(r.Task.Code); b != nil {
				detail += "; " + texts.ChairBlockerNote(b.Text, dayOf(b.At, loc))
			}
			lines = append(lines, item(&r, us, detail))
		}
	}
	if ds := s.DueSoon(); len(ds) > 0 {
		lines = append(lines, texts.ChairDueSoonHeader(len(ds)))
		for _, r := range ds {
			var us []string
			for _, j := range r.Units {
				if j.Status == DueSoon {
					us = append(us, j.Unit)
				}
			}
			lines = append(lines, item(&r, us, texts.ChairDue(r.Task.Deadline.Due)))
		}
	}
	var done []string
	for i := range s.Tasks {
		r := &s.Tasks[i]
		if !r.Status.Done() {
			continue
		}
		in := false
		for _, j := range r.Units {
			in = in || j.DoneInPeriod
		}
		if in {
			done = append(done, item(r, r.Task.Responsible(), texts.ChairDone(r.Status == DoneLate, r.Pending)))
		}
	}
	if len(done) > 0 {
		lines = append(lines, texts.ChairDoneHeader(len(done)))
		lines = append(lines, done...)
	}
	var figures []string
	for i := range s.Tasks {
		r := &s.Tasks[i]
		if r.Latest == nil || r.Status.Done() || (r.TargetMet == nil && !moved(r.Trend)) {
			continue
		}
		target := ""
		if r.TargetMet != nil {
			target = texts.ChairTarget(texts.TargetText(r.Task.Targets[0]), *r.TargetMet)
		}
		figures = append(figures, item(r, []string{r.Latest.Unit}, texts.ChairFigure(r.Trend, r.Latest.Figure, target)))
	}
	if len(figures) > 0 {
		lines = append(lines, texts.ChairFiguresHeader(len(figures), s.Period))
		lines = append(lines, figures...)
	}
	if n := len(s.NotReported) + len(s.Unreachable) + len(s.Unregistered); n > 0 {
		lines = append(lines, texts.ChairUnitsBehind(n, s.NotReported, s.Unreachable, s.Unregistered)...)
	}
	if len(s.Blockers) > 0 {
		lines = append(lines, texts.ChairBlockersHeader(len(s.Blockers)))
		for _, b := range s.Blockers {
			t := &plan.Task{Code: b.Code}
			if r := s.task(b.Code); r != nil {
				t = &r.Task
			}
			lines = append(lines, texts.ChairTaskItem(t.Code, t.Title, []string{b.Unit}, texts.ChairBlockerNote(b.Text, dayOf(b.At, loc))))
		}
	}
	if attached {
		lines = append(lines, texts.SummaryDetailsInFile)
	}
	return lines
}

// Text renders the summary as chat messages of at most opt.MaxText
// characters each, split on line boundaries.
func (s *Summary) Text(opt TextOptions) []string {
	return Split(s.Lines(opt.Attached), opt.MaxText)
}

// Split joins lines into messages of at most max characters (runes),
// breaking only between lines. A line longer than max on its own is cut
// at a space where possible (never inside an HTML tag or entity). max <= 0
// means 4096.
func Split(lines []string, max int) []string {
	if max <= 0 {
		max = 4096
	}
	var out []string
	var cur strings.Builder
	n := 0
	flush := func() {
		if n > 0 {
			out = append(out, cur.String())
			cur.Reset()
			n = 0
		}
	}
	for _, l := range lines {
		for _, piece := range cutLine(l, max) {
			pl := utf8.RuneCountInString(piece)
			sep := 0
			if n > 0 {
				sep = 1
			}
			if n+sep+pl > max {
				flush()
				sep = 0
			}
			if sep == 1 {
				cur.WriteByte('\n')
			}
			cur.WriteString(piece)
			n += sep + pl
		}
	}
	flush()
	return out
}

// cutLine cuts a line longer than max runes into pieces, preferring
// spaces and never splitting a tag (<…>) or an entity (&…;).
func cutLine(l string, max int) []string {
	var out []string
	for utf8.RuneCountInString(l) > max {
		r := []rune(l)
		cut := max
		// Step back out of a tag or entity.
		for i := cut - 1; i >= 0 && i > cut-12; i-- {
			if r[i] == '>' || r[i] == ';' {
				break
			}
			if r[i] == '<' || r[i] == '&' {
				cut = i
				break
			}
		}
		if sp := strings.LastIndex(string(r[:cut]), " "); sp > 0 && utf8.RuneCountInString(string(r[:cut])[:sp]) > max/2 {
			cut = utf8.RuneCountInString(string(r[:cut])[:sp])
		}
		if cut == 0 {
			cut = max
		}
		out = append(out, strings.TrimRight(string(r[:cut]), " "))
		l = strings.TrimLeft(string(r[cut:]), " ")
	}
	if l != "" {
		out = append(out, l)
	}
	return out
}

// JSON shapes, as `planbot summary --json` prints them.
type jsonSummary struct {
	Period   string         `json:"period"`
	Totals   map[Status]int `json:"totals"`
	Units    []jsonUnit     `json:"units"`
	Tasks    []jsonTask     `json:"tasks"`
	Blockers []jsonBlocker  `json:"blockers"`
}

type jsonUnit struct {
	Unit     string `json:"unit"`
	Assigned int    `json:"assigned"`
	Reported int    `json:"reported"`
	OnTime   int    `json:"on_time"`
	Overdue  int    `json:"overdue"`
	// ReportingRate is 0–1 with three decimals; null when nothing was due.
	ReportingRate *float64 `json:"reporting_rate"`
}

type jsonTask struct {
	Code   string   `json:"code"`
	Title  string   `json:"title"`
	Lead   []string `json:"lead"`
	Status Status   `json:"status"`
	Latest *string  `json:"latest"`
	Target *string  `json:"target"`
	Due    *string  `json:"due"`
}

type jsonBlocker struct {
	Code string `json:"code"`
	Unit string `json:"unit"`
	Text string `json:"text"`
}

// MarshalJSON writes the summary as
//
//	{"period","totals":{status: count},"units":[{"unit","assigned","reported","on_time","overdue","reporting_rate"}],
//	 "tasks":[{"code","title","lead","status","latest","target","due"}],"blockers":[{"code","unit","text"}]}
//
// period is the stable key ("2023-05", "2023-Q2", "2023"); totals has every
// status key; lead lists the responsible units (plan.Task.Responsible);
// latest and target are plain text ("80%", "100%") or null; due is
// YYYY-MM-DD or null.
func (s *Summary) MarshalJSON() ([]byte, error) {
	js := jsonSummary{Period: s.Period.String(), Totals: s.Totals, Units: []jsonUnit{}, Tasks: []jsonTask{}, Blockers: []jsonBlocker{}}
	for _, u := range s.Units {
		ju := jsonUnit{Unit: u.Unit, Assigned: u.Assigned, Reported: u.Reported, OnTime: u.OnTime, Overdue: u.Overdue}
		if r, ok := u.ReportingRate(); ok {
			r = math.Round(r*1000) / 1000
			ju.ReportingRate = &r
		}
		js.Units = append(js.Units, ju)
	}
	str := func(v string) *string {
		if v == "" {
			return nil
		}
		return &v
	}
	for _, r := range s.Tasks {
		jt := jsonTask{Code: r.Task.Code, Title: r.Task.Title, Lead: r.Task.Responsible(), Status: r.Status}
		if jt.Lead == nil {
			jt.Lead = []string{}
		}
		if r.Latest != nil {
			jt.Latest = str(texts.SummaryFigure(r.Latest.Figure))
		}
		if len(r.Task.Targets) > 0 {
			jt.Target = str(texts.TargetText(r.Task.Targets[0]))
		}
		if r.Task.Deadline.HasDue() {
			jt.Due = str(r.Task.Deadline.Due.String())
		}
		js.Tasks = append(js.Tasks, jt)
	}
	for _, b := range s.Blockers {
		js.Blockers = append(js.Blockers, jsonBlocker{Code: b.Code, Unit: b.Unit, Text: b.Text})
	}
	// <, > and & stay as they are: an encoder that escapes HTML (json.Marshal,
	// `planbot summary --json`) escapes them itself; the JSON API does not.
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(js); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

// task returns the row of the task with the code, or nil.
func (s *Summary) task(code string) *TaskRow {
	for i := range s.Tasks {
		if s.Tasks[i].Task.Code == code {
			return &s.Tasks[i]
		}
	}
	return nil
}

// moved reports whether a trend shows a change worth a line.
func moved(trend []plan.Figure) bool {
	for _, f := range trend[min(1, len(trend)):] {
		if f.Percent != trend[0].Percent {
			return true
		}
	}
	return false
}

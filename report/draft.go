package report

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/summary"
	"github.com/chanhlo/planbot/texts"
)

// Draft is a báo cáo ready to be laid out.
type Draft struct {
	Letterhead plan.Letterhead
	// Date is the date line's day (the day the draft is made).
	Date   plan.Date
	Period plan.Period
	// Subject is the trích yếu under "BÁO CÁO".
	Subject string
	// Basis is the căn cứ paragraph.
	Basis string
	Parts []Part
	// Closing is "Trên đây là báo cáo …/.".
	Closing string
	// Summary is what the draft was built from (the appendix table).
	Summary *summary.Summary
}

// Part is one of the body's numbered parts (I. KẾT QUẢ THỰC HIỆN …).
type Part struct {
	Heading    string
	Paragraphs []Paragraph
}

// Paragraph is one paragraph of a part.
type Paragraph struct {
	Text string
	// Heading marks a sub-heading (a plan section: "1. Nhiệm vụ chung").
	Heading bool
	// Placeholder marks text for the secretariat to replace.
	Placeholder bool
}

// Build drafts the báo cáo of s (the summary of a period of plan p),
// dated day, under lh.
func Build(s *summary.Summary, p *plan.Plan, lh plan.Letterhead, day plan.Date) *Draft {
	d := &Draft{Letterhead: lh, Date: day, Period: s.Period, Summary: s}
	planRef := texts.ReportPlanRef(p.Number, p.Date, p.Year)
	d.Subject = texts.ReportSubject(planRef, s.Period)
	d.Basis = texts.ReportBasis(planRef, p.Title, lh.IssuerName, s.Period)
	d.Parts = []Part{d.results(), d.shortcomings(), d.next(p), {
		Heading:    texts.ReportPartProposals,
		Paragraphs: []Paragraph{{Text: texts.ReportProposalsPlaceholder, Placeholder: true}},
	}}
	d.Closing = texts.ReportClosing(planRef, s.Period, lh.IssuerName)
	return d
}

// results is part I: totals, then each plan section's tasks, a sentence
// each from the units' figures.
func (d *Draft) results() Part {
	s := d.Summary
	part := Part{Heading: texts.ReportPartResults}
	counts := map[string]int{}
	for st, n := range s.Totals {
		counts[string(st)] = n
	}
	reported := 0
	for _, u := range s.Units {
		if u.Expected > 0 && u.Reported > 0 {
			reported++
		}
	}
	expected := 0
	for _, u := range s.Units {
		if u.Expected > 0 {
			expected++
		}
	}
	part.Paragraphs = append(part.Paragraphs, Paragraph{Text: texts.ReportOverview(s.Period, len(s.Tasks), counts, s.Pending, reported, expected)})
	for _, sec := range s.Sections {
		var rows []summary.TaskRow
		for _, r := range s.Tasks {
			if r.Task.Section == sec.Number {
				rows = append(rows, r)
			}
		}
		if len(rows) == 0 {
			continue
		}
		part.Paragraphs = append(part.Paragraphs, Paragraph{Text: texts.ReportSection(sec.Number, sec.Title), Heading: true})
		for _, r := range rows {
			part.Paragraphs = append(part.Paragraphs, Paragraph{Text: d.taskSentence(r)})
		}
	}
	return part
}

// taskSentence tells one task: what it is, then each responsible unit's
// result in the period.
func (d *Draft) taskSentence(r summary.TaskRow) string {
	var said []string
	for _, j := range r.Units {
		if j.Role == plan.RoleSupport {
			continue
		}
		said = append(said, d.unitResult(r, j))
	}
	return texts.ReportTask(r.Task.Code, r.Task.Title, said)
}

// unitResult is one unit's result on a task, in words.
func (d *Draft) unitResult(r summary.TaskRow, j summary.Judgement) string {
	note := ""
	if j.Latest != nil {
		note = strings.TrimSpace(j.Latest.Note)
	}
	figure := ""
	if j.Figure != nil {
		figure = texts.PlainFigure(j.Figure.Figure)
	}
	target := ""
	if len(r.Task.Targets) > 0 && r.TargetMet != nil && j.Figure != nil && j.Figure.Kind != plan.ProgressDone {
		target = texts.ReportTarget(r.Task.Targets[0].Text, *r.TargetMet)
	}
	blocker := ""
	if j.Latest != nil && j.Latest.Blocker != "" {
		blocker = j.Latest.Blocker
	}
	switch j.Status {
	case summary.DoneOnTime, summary.DoneLate:
		return texts.ReportUnitDone(j.Unit, j.DoneOn, j.Status == summary.DoneLate, j.DaysLate, j.Pending, note)
	case summary.Overdue:
		return texts.ReportUnitOverdue(j.Unit, r.Task.Deadline.Due, j.DaysLate, figure, blocker)
	case summary.NotReported, summary.OngoingNotReported:
		return texts.ReportUnitNotReported(j.Unit)
	case summary.Waiting:
		return texts.ReportUnitWaiting(j.Unit, r.Task.Deadline.Text)
	}
	if j.Latest == nil {
		// Open and within its deadline, but the unit has said nothing.
		return texts.ReportUnitNoNews(j.Unit, r.Task.Deadline.Due)
	}
	return texts.ReportUnitProgress(j.Unit, figure, target, note, blocker)
}

// shortcomings is part II: the blockers officers reported, in their
// words and with their units; overdue tasks; units that did not report
// or cannot be reached; and a place for the causes.
func (d *Draft) shortcomings() Part {
	s := d.Summary
	loc := s.Loc
	if loc == nil {
		loc = time.UTC
	}
	part := Part{Heading: texts.ReportPartShortcomings}
	for _, b := range s.Blockers {
		part.Paragraphs = append(part.Paragraphs, Paragraph{Text: texts.ReportBlocker(b.Unit, b.Code, b.Text, plan.DateOf(b.At.In(loc)))})
	}
	for _, r := range s.Overdue() {
		part.Paragraphs = append(part.Paragraphs, Paragraph{Text: texts.ReportOverdue(r.Task.Code, r.Task.Title, r.LateUnits(), r.DaysLate)})
	}
	if len(s.NotReported) > 0 {
		part.Paragraphs = append(part.Paragraphs, Paragraph{Text: texts.ReportNotReported(s.NotReported)})
	}
	if len(s.Unreachable)+len(s.Unregistered) > 0 {
		part.Paragraphs = append(part.Paragraphs, Paragraph{Text: texts.ReportUnreachable(s.Unreachable, s.Unregistered)})
	}
	if len(part.Paragraphs) == 0 {
		part.Paragraphs = append(part.Paragraphs, Paragraph{Text: texts.ReportNoShortcomings})
	}
	part.Paragraphs = append(part.Paragraphs, Paragraph{Text: texts.ReportCausesPlaceholder, Placeholder: true})
	return part
}

// next is part III: tasks due in the next period of the same length,
// then those still open past their due day, then the ongoing ones.
func (d *Draft) next(p *plan.Plan) Part {
	s := d.Summary
	part := Part{Heading: texts.ReportPartNext}
	next := s.Period.Next()
	nextStart, nextEnd := next.Start(), next.End()
	var due, open []summary.TaskRow
	for _, r := range s.Tasks {
		dl := r.Task.Deadline
		switch {
		case r.Status.Done():
		case r.Status == summary.Overdue:
			open = append(open, r)
		case dl.HasDue() && !dl.Due.After(nextEnd) && (!dl.Due.Before(nextStart) || r.Status != summary.Waiting):
			// Due in the next period, or due by the end of this one and
			// not finished yet.
			due = append(due, r)
		}
	}
	for _, r := range open {
		part.Paragraphs = append(part.Paragraphs, Paragraph{Text: texts.ReportNextOverdue(r.Task.Code, r.Task.Title, r.LateUnits())})
	}
	for _, r := range due {
		part.Paragraphs = append(part.Paragraphs, Paragraph{Text: texts.ReportNextDue(r.Task.Code, r.Task.Title, leads(r.Task), r.Task.Deadline.Due)})
	}
	var ongoing []string
	for _, r := range s.Tasks {
		if r.Task.Deadline.Kind == plan.DeadlineRecurring {
			ongoing = append(ongoing, r.Task.Code)
		}
	}
	if len(ongoing) > 0 {
		part.Paragraphs = append(part.Paragraphs, Paragraph{Text: texts.ReportNextOngoing(ongoing)})
	}
	if len(part.Paragraphs) == 0 {
		part.Paragraphs = append(part.Paragraphs, Paragraph{Text: texts.ReportNextNone})
	}
	return part
}

func leads(t plan.Task) []string {
	if len(t.Lead) > 0 {
		return slices.Clone(t.Lead)
	}
	return slices.Clone(t.Execute)
}

// Text is the draft as plain text, in reading order: what golden tests
// compare and what a reviewer reads without Word.
func (d *Draft) Text() string {
	lh := d.Letterhead
	var b strings.Builder
	line := func(format string, a ...any) { fmt.Fprintf(&b, format+"\n", a...) }
	if lh.Superior != "" {
		line("%s", lh.Superior)
	}
	for _, l := range lh.Issuer {
		line("%s", l)
	}
	line("%s", lh.NumberLine())
	line("%s", texts.NationalName)
	line("%s", texts.NationalMotto)
	line("%s", lh.DateLine(d.Date))
	line("")
	line("%s", texts.ReportTitle)
	line("%s", d.Subject)
	line("")
	line("%s", d.Basis)
	for _, p := range d.Parts {
		line("")
		line("%s", p.Heading)
		for _, para := range p.Paragraphs {
			if para.Placeholder {
				line("[%s]", para.Text)
				continue
			}
			line("%s", para.Text)
		}
	}
	line("")
	line("%s", d.Closing)
	line("")
	line("%s", texts.ReportRecipientsLabel)
	for _, r := range Recipients(lh) {
		line("%s", r)
	}
	line("%s", lh.Authority)
	line("%s", lh.Title)
	line("%s", lh.SignerName())
	return b.String()
}

// Recipients are the "Nơi nhận" lines as written: "- UBND thành phố
// (b/c);" … "- Lưu: VT.".
func Recipients(lh plan.Letterhead) []string {
	out := make([]string, len(lh.Recipients))
	for i, r := range lh.Recipients {
		end := ";"
		if i == len(lh.Recipients)-1 {
			end = "."
		}
		out[i] = "- " + strings.TrimRight(r, ";.") + end
	}
	return out
}

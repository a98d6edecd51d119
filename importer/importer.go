package importer

import (
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/chanhlo/planbot/plan"
)

// Option configures Parse.
type Option func(*options)

type options struct {
	year int
	org  int64
}

// WithYear sets the year used when the document does not say which year it
// plans for (neither its title nor its date gives one).
func WithYear(year int) Option { return func(o *options) { o.year = year } }

// WithOrg sets the organisation the plan belongs to (plan.DefaultOrg by
// default).
func WithOrg(id int64) Option { return func(o *options) { o.org = id } }

// Parse reads a plan document (plain text, Markdown or .docx, told apart by
// content) and returns the plan it describes. name is the file name, used
// in messages only.
//
// Only part III ("CÁC NHIỆM VỤ CỤ THỂ …") holds tasks; the preamble, the
// other parts, the signature and "Nơi nhận" are skipped. A .docx table
// laid out as a task list (see doc.go) adds its tasks wherever it stands,
// an appendix included; other tables are noted. Doubts (a blank
// document number, a deadline not understood, a gap in the lettering, a
// unit not recognised) become warnings in Plan.Warnings; no task is
// dropped. A file that is not a document, is empty or holds no task is a
// *plan.Error with code plan.EInvalid.
func Parse(r io.Reader, name string, opts ...Option) (*plan.Plan, error) {
	o := options{org: plan.DefaultOrg}
	for _, opt := range opts {
		opt(&o)
	}
	blocks, err := readText(r, name)
	if err != nil {
		return nil, err
	}
	raw, tables := splitBlocks(blocks)
	lines := make([]string, len(raw))
	for i, l := range raw {
		lines[i] = cleanLine(l)
	}
	ps := &parser{p: &plan.Plan{OrgID: o.org}, sectionDeadline: map[string]plan.Deadline{}}
	body := ps.header(raw, lines, o.year)
	ps.tasks(body)
	notes := ps.tableTasks(tables)
	if len(ps.p.Tasks) == 0 {
		return nil, plan.Errorf(plan.EInvalid, "Không tìm thấy nhiệm vụ nào trong %s. Nhiệm vụ cần được đánh số như “a) …” hoặc “1.1. …”, kèm “Đơn vị chủ trì: …” và “Thời gian thực hiện: …”.", strings.ToLower(fileLabel(name)[:1])+fileLabel(name)[1:])
	}
	ps.finishPlan()
	ps.p.Warnings = append(ps.p.Warnings, notes...)
	ps.p.Standing = StandingBody(raw)
	return ps.p, nil
}

// cleanLine removes Markdown decoration (emphasis, heading marks) and
// extra spaces from a line.
func cleanLine(s string) string {
	s = strings.ReplaceAll(s, "*", "")
	s = strings.ReplaceAll(s, "\u00a0", " ")
	s = strings.TrimLeft(strings.TrimSpace(s), "#>")
	return strings.Join(strings.Fields(s), " ")
}

type parser struct {
	p               *plan.Plan
	year            int
	warnings        []string // task warnings, in task order
	sectionDeadline map[string]plan.Deadline
	// state while reading part III
	section    string
	secBlock   *block // the section's own text, a task when it has labels
	secEmitted bool
	children   int
	lastLetter string
	cur        *block
}

var (
	numberRe   = regexp.MustCompile(`^(?i:số)\s*:\s*(.*)$`)
	placeRe    = regexp.MustCompile(`(?i)([\p{L} ]{1,40}),\s*ngày\s*(\d{0,2})\s*tháng\s*(\d{0,2})\s*năm\s*(\d{4})`)
	romanRe    = regexp.MustCompile(`^(XII|XI|X|IX|VIII|VII|VI|V|IV|III|II|I)\s*[.)]\s*(\S.*)$`)
	yearEndRe  = regexp.MustCompile(`(?i)năm\s+(\d{4})\W*$`)
	yearAnyRe  = regexp.MustCompile(`(?i)năm\s+(\d{4})`)
	sectionRe  = regexp.MustCompile(`^(\d{1,2})\s*\.\s+(\S.*)$`)
	subtaskRe  = regexp.MustCompile(`^(\d{1,2})\.(\d{1,2})\.?\s+(\S.*)$`)
	letterRe   = regexp.MustCompile(`^([a-zA-ZđĐ])\)\s*(\S.*)$`)
	letterDot  = regexp.MustCompile(`^([a-zđ])\.\s+(\S.*)$`)
	unitHeadRe = regexp.MustCompile(`^\((\d{1,2})\)\s*(\S.*)$`)
	bulletRe   = regexp.MustCompile(`^[-–—+•·▪◦]\s*`)
)

// header reads the document number, date, title and year, and returns the
// lines that hold tasks (part III, or the whole body when the document has
// no such part).
func (ps *parser) header(raw, lines []string, defaultYear int) []string {
	p := ps.p
	titleAt := -1
	for i, l := range lines {
		if Fold(l) == "kế hoạch" {
			titleAt = i
			break
		}
	}
	headEnd := titleAt
	if headEnd < 0 {
		headEnd = min(len(lines), 30)
	}
	var headWarn []string
	sawNumber := false
	for i := 0; i < headEnd; i++ {
		if m := numberRe.FindStringSubmatch(strings.TrimSpace(strings.ReplaceAll(raw[i], "*", ""))); m != nil && !sawNumber {
			sawNumber = true
			num := m[1]
			if j := strings.IndexAny(num, "\t"); j >= 0 {
				num = num[:j]
			}
			if j := strings.Index(num, "  "); j >= 0 {
				num = num[:j]
			}
			p.Number = strings.Join(strings.Fields(num), "")
			if !strings.ContainsAny(p.Number, "0123456789") {
				headWarn = append(headWarn, fmt.Sprintf("Kế hoạch chưa có số (ghi “Số: %s”).", p.Number))
			}
		}
		if m := placeRe.FindStringSubmatch(lines[i]); m != nil && p.Date.IsZero() && ps.year == 0 {
			y, _ := strconv.Atoi(m[4])
			ps.year = y
			if d, ok := civil(y, m[3], m[2]); ok && m[2] != "" && m[3] != "" {
				p.Date = d
			} else {
				headWarn = append(headWarn, fmt.Sprintf("Ngày ký kế hoạch còn để trống hoặc không đúng (“%s”).", strings.TrimSpace(m[0])))
			}
		}
	}
	if !sawNumber {
		headWarn = append(headWarn, "Không thấy số kế hoạch (dòng “Số: …/KH-UBND”).")
	}
	bodyFrom := 0
	if titleAt >= 0 {
		p.Title, bodyFrom = readTitle(lines, titleAt+1)
		if n := utf8.RuneCountInString(p.Title); n > maxTitle {
			headWarn = append(headWarn, fmt.Sprintf("Tiêu đề kế hoạch dài bất thường (%d ký tự): kiểm tra xem tiêu đề có lẫn đề mục hay nhiệm vụ đầu tiên không.", n))
		}
	}
	dateYear := ps.year
	switch {
	case yearEndRe.MatchString(p.Title):
		ps.year, _ = strconv.Atoi(yearEndRe.FindStringSubmatch(p.Title)[1])
	case dateYear != 0:
	case defaultYear != 0:
		ps.year = defaultYear
	default:
		if ms := yearAnyRe.FindAllStringSubmatch(p.Title, -1); ms != nil {
			ps.year, _ = strconv.Atoi(ms[len(ms)-1][1])
		} else {
			headWarn = append(headWarn, "Không xác định được năm của kế hoạch; thời hạn không ghi năm sẽ không được hiểu.")
		}
	}
	p.Year = ps.year
	p.Warnings = append(p.Warnings, headWarn...)

	// Part III: the roman part about tasks.
	type part struct {
		at    int
		title string
	}
	var parts []part
	for i := bodyFrom; i < len(lines); i++ {
		if m := romanRe.FindStringSubmatch(lines[i]); m != nil {
			parts = append(parts, part{i, Fold(m[2])})
		}
	}
	end := len(lines)
	for i := bodyFrom; i < len(lines); i++ {
		if f := Fold(lines[i]); strings.HasPrefix(f, "nơi nhận") {
			end = i
			break
		}
	}
	pick := -1
	for k, pt := range parts {
		if strings.Contains(pt.title, "nhiệm vụ") && (pick < 0 || strings.Contains(pt.title, "cụ thể") || strings.Contains(pt.title, "phân công")) {
			if pick >= 0 && (strings.Contains(parts[pick].title, "cụ thể") || strings.Contains(parts[pick].title, "phân công")) {
				continue
			}
			pick = k
		}
	}
	if pick < 0 {
		if len(parts) > 0 {
			p.Warnings = append(p.Warnings, "Không thấy phần “CÁC NHIỆM VỤ CỤ THỂ”; đã tìm nhiệm vụ trong toàn bộ văn bản.")
		}
		return lines[bodyFrom:end]
	}
	// The other parts hold no tasks: say which were left out, so the
	// secretary can see nothing was dropped by mistake.
	for k, pt := range parts {
		if k != pick && pt.at < end {
			p.Warnings = append(p.Warnings, fmt.Sprintf(ignoredPrefix+"phần %s (không phải phần nhiệm vụ).", strings.TrimSpace(lines[pt.at])))
		}
	}
	from := parts[pick].at + 1
	to := end
	if pick+1 < len(parts) && parts[pick+1].at < to {
		to = parts[pick+1].at
	}
	if from > to {
		return nil
	}
	return lines[from:to]
}

// readTitle joins the paragraph(s) after "KẾ HOẠCH" into the title and
// returns the index of the first line after it.
func readTitle(lines []string, from int) (string, int) {
	i := from
	for i < len(lines) && lines[i] == "" {
		i++
	}
	var title []string
	for i < len(lines) {
		var para []string
		for i < len(lines) && lines[i] != "" {
			// A heading or a numbered item right under the title, with no
			// blank line between, starts the body: it is not the title's.
			if (len(title) > 0 || len(para) > 0) && startsBody(lines[i]) {
				return strings.Join(append(title, para...), " "), i
			}
			para = append(para, lines[i])
			i++
		}
		if len(para) > 0 {
			title = append(title, para...)
		}
		// A title set as several short paragraphs (as .docx often has)
		// goes on while the last one does not end a sentence.
		j := i
		for j < len(lines) && lines[j] == "" {
			j++
		}
		if j >= len(lines) || len(title) == 0 {
			break
		}
		last := title[len(title)-1]
		next := lines[j]
		f := Fold(next)
		if strings.HasSuffix(last, ".") || strings.HasSuffix(last, ":") || utf8.RuneCountInString(next) > 150 ||
			romanRe.MatchString(next) || strings.HasPrefix(f, "căn cứ") || strings.HasPrefix(f, "thực hiện") {
			break
		}
		i = j
	}
	return strings.Join(title, " "), i
}

// maxTitle is the longest plausible plan title; a longer one has most
// likely swallowed what follows it.
const maxTitle = 400

// startsBody reports whether a line opens the body of the plan rather
// than continuing its title: a part heading ("I. MỤC ĐÍCH"), a numbered
// section or item ("1. …", "1.1 …", "a) …"), or the căn cứ.
func startsBody(line string) bool {
	f := Fold(line)
	return romanRe.MatchString(line) || sectionRe.MatchString(line) || subtaskRe.MatchString(line) || letterRe.MatchString(line) ||
		strings.HasPrefix(f, "căn cứ") || strings.HasPrefix(f, "thực hiện ")
}

// field is what a labelled line of a task says.
type field int

const (
	fNone field = iota
	fLead
	fExecute
	fSupport
	fDeadline
	fTarget
	fTask
)

var labels = map[string]field{
	"đơn vị chủ trì": fLead, "cơ quan chủ trì": fLead, "chủ trì": fLead, "đơn vị chủ trì thực hiện": fLead,
	"cơ quan chủ trì thực hiện": fLead, "chủ trì thực hiện": fLead, "bộ phận chủ trì": fLead,
	"đơn vị thực hiện": fExecute, "cơ quan thực hiện": fExecute, "bộ phận thực hiện": fExecute, "đơn vị triển khai": fExecute,
	"đơn vị phối hợp": fSupport, "cơ quan phối hợp": fSupport, "phối hợp": fSupport, "đơn vị phối hợp thực hiện": fSupport,
	"cơ quan phối hợp thực hiện": fSupport, "bộ phận phối hợp": fSupport,
	"thời gian hoàn thành": fDeadline, "thời gian thực hiện": fDeadline, "thời hạn": fDeadline, "thời hạn hoàn thành": fDeadline,
	"thời hạn thực hiện": fDeadline, "thời gian": fDeadline, "tiến độ": fDeadline, "tiến độ thực hiện": fDeadline, "tiến độ hoàn thành": fDeadline,
	"nhiệm vụ": fTask, "nội dung": fTask, "nội dung nhiệm vụ": fTask,
}

// label recognises "- Đơn vị chủ trì: Công an phường." and returns the
// field and the value.
func label(line string) (field, string, bool) {
	s := bulletRe.ReplaceAllString(line, "")
	before, after, ok := strings.Cut(s, ":")
	if !ok || utf8.RuneCountInString(before) > 60 {
		return fNone, "", false
	}
	f := Fold(before)
	if fl, ok := labels[f]; ok {
		return fl, strings.TrimSpace(after), true
	}
	if strings.HasPrefix(f, "chỉ tiêu") {
		return fTarget, strings.TrimSpace(after), true
	}
	return fNone, "", false
}

// block is a task being read.
type block struct {
	code, section string
	head          string // the unit of a "(1) Công an phường" block
	title         []string
	fields        map[field][]string
	cur           field
	labels        int
}

func (b *block) add(f field, s string) {
	if s == "" {
		return
	}
	if b.fields == nil {
		b.fields = map[field][]string{}
	}
	b.fields[f] = append(b.fields[f], s)
}

// tasks reads the task part line by line.
func (ps *parser) tasks(lines []string) {
	for _, l := range lines {
		if l == "" {
			continue
		}
		if m := subtaskRe.FindStringSubmatch(l); m != nil {
			ps.startChild(m[1], m[1]+"."+m[2], &block{title: []string{m[3]}})
			continue
		}
		if m := sectionRe.FindStringSubmatch(l); m != nil {
			ps.startSection(m[1], m[2])
			continue
		}
		if m := letterRe.FindStringSubmatch(l); m != nil {
			ps.startLetter(strings.ToLower(m[1]), m[2])
			continue
		}
		if m := letterDot.FindStringSubmatch(l); m != nil && ps.section != "" {
			ps.startLetter(m[1], m[2])
			continue
		}
		if m := unitHeadRe.FindStringSubmatch(l); m != nil && ps.section != "" && looksLikeUnit(m[2]) {
			ps.startChild(ps.section, ps.section+"."+m[1], &block{head: m[2]})
			continue
		}
		b := ps.cur
		if fl, val, ok := label(l); ok {
			if b == nil {
				b = &block{code: ps.section, section: ps.section}
				if ps.section == "" {
					b.code = strconv.Itoa(len(ps.p.Tasks) + 1)
				}
				ps.cur, ps.secBlock = b, b
			}
			b.labels++
			b.cur = fl
			b.add(fl, val)
			continue
		}
		if b == nil {
			continue
		}
		first, _ := utf8.DecodeRuneInString(l)
		cont := unicode.IsLower(first) || strings.HasPrefix(l, "+")
		switch {
		case b.labels == 0 && b.cur == fNone:
			b.title = append(b.title, l)
		case b.cur == fTask || b.cur == fTarget || (cont && b.cur != fNone):
			b.add(b.cur, bulletRe.ReplaceAllString(l, ""))
		}
	}
	ps.endSection()
}

// looksLikeUnit tells "(1) Công an phường" (a unit heading) from "(1) Mô
// hình về …" (an enumerated item of a task's text).
func looksLikeUnit(s string) bool {
	if _, ok := lookupUnit(s); ok {
		return true
	}
	words := len(strings.Fields(s))
	return words <= 8 && !strings.ContainsAny(s, ".;:,")
}

func (ps *parser) startSection(num, title string) {
	ps.endSection()
	ps.section = num
	ps.p.Sections = append(ps.p.Sections, plan.Section{Number: num, Title: strings.TrimRight(title, " :")})
	ps.secBlock = &block{code: num, section: num, title: nil}
	ps.cur = ps.secBlock
	ps.secEmitted = false
	ps.children = 0
	ps.lastLetter = ""
}

// closeSectionBlock turns the section's own text into a task when it is one:
// it has labels, or the section has no lettered tasks at all.
func (ps *parser) closeSectionBlock(final bool) {
	b := ps.secBlock
	if b == nil || ps.secEmitted {
		return
	}
	if b.labels > 0 || (final && ps.children == 0 && len(b.title) > 0) {
		ps.emit(b)
		ps.secEmitted = true
	}
}

func (ps *parser) endSection() {
	if ps.cur != nil && ps.cur != ps.secBlock {
		ps.emit(ps.cur)
	}
	ps.closeSectionBlock(true)
	ps.cur, ps.secBlock = nil, nil
}

func (ps *parser) startChild(section, code string, b *block) {
	if section != ps.section {
		// "2.1." without a "2." heading, or after another section.
		ps.endSection()
		ps.section = section
	}
	if ps.cur != nil && ps.cur != ps.secBlock {
		ps.emit(ps.cur)
	}
	ps.closeSectionBlock(false)
	ps.secEmitted = true // text before the first child is an introduction
	ps.children++
	b.code, b.section = code, section
	ps.cur = b
}

// letters is the order of list letters in Vietnamese documents.
const letters = "abcdđeghiklmnopqrstuvxy"

func letterIndex(l string) int {
	i := 0
	for _, r := range letters {
		if string(r) == l {
			return i
		}
		i++
	}
	return -1
}

func (ps *parser) startLetter(letter, text string) {
	code := letter
	if ps.section != "" {
		code = ps.section + "." + letter
	}
	prev := ps.lastLetter
	ok := false
	switch {
	case prev == "":
		ok = letter == "a"
	default:
		i, j := letterIndex(prev), letterIndex(letter)
		ok = j == i+1 || (prev == "d" && letter == "e") || (len(prev) == 1 && len(letter) == 1 && letter[0] == prev[0]+1 && prev != "d")
	}
	if !ok && letterIndex(letter) >= 0 {
		where := "Mục " + ps.section
		if ps.section == "" {
			where = "Danh sách nhiệm vụ"
		}
		if prev == "" {
			ps.warnings = append(ps.warnings, fmt.Sprintf("%s: nhiệm vụ đầu tiên là %s, không phải a); giữ nguyên mã như văn bản.", where, code))
		} else {
			ps.warnings = append(ps.warnings, fmt.Sprintf("%s: sau nhiệm vụ %s là %s (thiếu thứ tự); giữ nguyên mã như văn bản.", where, prefixed(ps.section, prev), code))
		}
	}
	ps.lastLetter = letter
	ps.startChild(ps.section, code, &block{title: []string{text}})
}

func prefixed(section, letter string) string {
	if section == "" {
		return letter
	}
	return section + "." + letter
}

var (
	fromPhraseRe = regexp.MustCompile(`(?i)(?:kể\s+)?từ\s+(?:ngày\s+)?(?:(?:tháng|quý|năm)\s+)?(?:\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4}|[0-9IVXivx]{1,4}\s*[/-]\s*\d{4}|\d{1,2}\s*[/.]\s*\d{1,2}|[0-9IVXivx]{1,4})\b`)
	leadPeriodRe = regexp.MustCompile(`(?i)^((?:trong\s+)?(?:năm|quý|tháng)\s+[0-9IVXivx]{1,4}(?:\s*[/-]\s*\d{4})?)\s+đạt\b`)
)

// emit turns a block into a task.
func (ps *parser) emit(b *block) {
	t := plan.Task{Code: b.code, Section: b.section}
	join := func(f field, sep string) string { return strings.Join(b.fields[f], sep) }
	t.Title = strings.Join(b.title, " ")
	if task := join(fTask, " "); task != "" && (b.head != "" || t.Title == "") {
		t.Title = task
	}
	if t.Title == "" {
		t.Title = b.head
	}
	warn := func(format string, args ...any) {
		ps.warnings = append(ps.warnings, fmt.Sprintf("Nhiệm vụ %s: ", t.Code)+fmt.Sprintf(format, args...))
	}
	units := func(f field, role string) ([]string, bool) {
		var out []string
		all := false
		for _, v := range b.fields[f] {
			refs, a := splitUnits(v)
			all = all || a
			for _, r := range refs {
				if !r.Known {
					warn("chưa nhận ra đơn vị “%s” (%s), giữ tên “%s”.", r.Raw, role, r.Name)
				}
				if !slices.Contains(out, r.Name) {
					out = append(out, r.Name)
				}
			}
		}
		return out, all
	}
	var all bool
	t.Lead, all = units(fLead, "chủ trì")
	if all {
		warn("đơn vị chủ trì ghi chung là các ban ngành; cần ghi rõ đơn vị.")
	}
	if b.head != "" && len(b.fields[fLead]) == 0 {
		if name := CanonicalUnit(b.head); name != "" {
			t.Lead = []string{name}
			if _, ok := lookupUnit(b.head); !ok {
				warn("chưa nhận ra đơn vị “%s”, giữ tên “%s”.", b.head, name)
			}
		}
	}
	t.Execute, all = units(fExecute, "thực hiện")
	if all {
		warn("đơn vị thực hiện ghi chung là các ban ngành; cần ghi rõ đơn vị.")
	}
	t.Support, t.SupportAll = units(fSupport, "phối hợp")
	if len(t.Lead) == 0 && len(t.Execute) == 0 {
		warn("không có đơn vị chủ trì hoặc thực hiện.")
	}

	targetText := join(fTarget, " ")
	switch {
	case len(b.fields[fDeadline]) > 0:
		text := join(fDeadline, " ")
		d, ok := ParseDeadline(text, ps.year)
		if !ok {
			warn("chưa hiểu thời hạn “%s”; cần nhập thời hạn bằng tay.", d.Text)
		}
		t.Deadline = d
		if b.code == b.section {
			ps.sectionDeadline[b.section] = d
		}
	default:
		if d, ok := deadlineFromTarget(targetText, ps.year); ok {
			t.Deadline = d
		} else if d, ok := ps.sectionDeadline[b.section]; ok && b.code != b.section {
			t.Deadline = d
		} else {
			t.Deadline = plan.Deadline{Kind: plan.DeadlineOpen}
			warn("không ghi thời hạn.")
		}
	}
	t.Targets = appendTargets(nil, t.Title, ps.year)
	t.Targets = appendTargets(t.Targets, targetText, ps.year)
	ps.p.Tasks = append(ps.p.Tasks, t)
}

// deadlineFromTarget reads a deadline from a target line when the task has
// no deadline line: "Năm 2023 đạt 70%" is due at the end of 2023; "đạt
// 100% … kể từ tháng 4/2023" is a monthly figure from April 2023.
func deadlineFromTarget(s string, year int) (plan.Deadline, bool) {
	s = strings.TrimSpace(s)
	if m := leadPeriodRe.FindStringSubmatch(s); m != nil {
		if d, ok := ParseDeadline(m[1], year); ok && d.Kind == plan.DeadlineDate {
			return d, true
		}
	}
	if m := fromPhraseRe.FindString(s); m != "" {
		if d, ok := ParseDeadline(m, year); ok && d.Kind == plan.DeadlineRecurring {
			d.Recurrence = plan.RecurMonthly
			return d, true
		}
	}
	return plan.Deadline{}, false
}

var (
	percentRe   = regexp.MustCompile(`(?i)((?:(?:đạt|tăng|giảm)\s+)?(?:tối thiểu|ít nhất|trên|không dưới|không thấp hơn|tối đa|dưới|hơn|khoảng)?\s*)(\d{1,3}(?:[.,]\d{1,2})?)\s*%`)
	otherYearRe = regexp.MustCompile(`(?i)năm\s+(\d{4})`)
)

// appendTargets adds the percentages of s, skipping clauses about another
// year than the plan's ("từ năm 2025 trở đi đạt trên 70%").
func appendTargets(ts []plan.Target, s string, year int) []plan.Target {
	if s == "" {
		return ts
	}
	for _, clause := range regexp.MustCompile(`;|,\s`).Split(s, -1) {
		if year != 0 {
			other := false
			for _, m := range otherYearRe.FindAllStringSubmatch(clause, -1) {
				if y, _ := strconv.Atoi(m[1]); y != year {
					other = true
				}
			}
			if other {
				continue
			}
		}
		for _, m := range percentRe.FindAllStringSubmatch(clause, -1) {
			v, err := strconv.ParseFloat(strings.Replace(m[2], ",", ".", 1), 64)
			if err != nil || v > 100 {
				continue
			}
			t := plan.Target{Value: v, Unit: "%", Text: strings.TrimSpace(m[0])}
			if !slices.ContainsFunc(ts, func(o plan.Target) bool { return o.Value == t.Value && o.Unit == t.Unit }) {
				ts = append(ts, t)
			}
		}
	}
	return ts
}

// finishPlan collects units and warnings across tasks.
func (ps *parser) finishPlan() {
	p := ps.p
	seen := map[string]bool{}
	codes := map[string]int{}
	for _, t := range p.Tasks {
		codes[t.Code]++
		for _, list := range [][]string{t.Lead, t.Execute, t.Support} {
			for _, u := range list {
				if !seen[u] {
					seen[u] = true
					p.Units = append(p.Units, u)
				}
			}
		}
	}
	p.Warnings = append(p.Warnings, ps.warnings...)
	for _, t := range p.Tasks {
		if codes[t.Code] > 1 {
			p.Warnings = append(p.Warnings, fmt.Sprintf("Mã nhiệm vụ %s xuất hiện %d lần; cần sửa để mỗi nhiệm vụ có một mã.", t.Code, codes[t.Code]))
			codes[t.Code] = 0
		}
	}
	for _, pair := range maybeSame {
		if seen[pair[0]] && seen[pair[1]] {
			p.Warnings = append(p.Warnings, fmt.Sprintf("Kế hoạch ghi cả “%s” và “%s”; đã giữ là hai đơn vị khác nhau. Nếu là một đơn vị, cần sửa lại tên.", pair[0], pair[1]))
		}
	}
}

package progress

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/chanhlo/planbot/plan"
)

// Refusal reasons of Split's parts, shown to the officer next to the part.
const (
	// NoTaskFor refuses a line with a figure but no task code after
	// another task's line: it is not that task's note, and guessing would
	// record a figure on the wrong task.
	NoTaskFor = "không rõ nhiệm vụ nào; đồng chí ghi mã nhiệm vụ trước số liệu, ví dụ \"2.b 60%\""
	// AmbiguousNumber refuses "3 80%": task 3, or the 3rd of the list?
	AmbiguousNumber = "không rõ \"%d\" là mã nhiệm vụ hay số thứ tự; đồng chí ghi \"%d. 80%%\" (số thứ tự) hoặc mã đầy đủ, ví dụ \"2.b 80%%\""
)

// Reply is an officer's message split into the reports it carries.
type Reply struct {
	Parts []Part
}

// Part is one report of a message: one line, or one item of a line split
// by commas or semicolons, with the lines after it that only add to its
// note.
type Part struct {
	// Text is the part as typed, bullet off; continuation lines follow
	// after "\n".
	Text string
	// Code is the task code typed (canonical, as ParseTaskCode), if any.
	Code string
	// ListNo is N of "N." or "N)": the Nth task of the numbered request
	// the officer got (plan.UnitTaskCodes).
	ListNo int
	// Bare is N of "N 80%": a task code or a list number, nobody can
	// tell; the part is refused.
	Bare int
	// FigText is the text read as the figure: Text without its code.
	FigText string
	Figure  plan.Figure
	// Refused says why the part is not understood; empty when Figure
	// holds what the officer reported.
	Refused string
}

// OK reports whether the part holds a figure to record.
func (p Part) OK() bool { return p.Refused == "" }

// Split splits a message into the reports it carries: one per line, per
// bullet (•, -, *, +), per numbered item ("1. 80%", "2) xong"), per
// spreadsheet row (cells separated by tabs), and per item of a line
// separated by commas or semicolons when the next item starts with a task
// code or a list number ("2.a 75%, 2.b 60%"); a comma or semicolon before
// anything else stays in the note ("80%, không vướng", "1,5%").
//
// A line with no code after another part adds to that part's note when it
// has no figure ("còn vướng thủ tục"); with a figure it is refused
// (NoTaskFor). A message of one report gives one part whose FigText is the
// whole message after the code, as Parse has always read it.
func Split(text string) Reply { return SplitWith(text, nil) }

// SplitWith is Split for a plan whose task codes include bare numbers
// ("6", "8"): isCode reports whether a bare number is one, and such a
// number at the start of a line is that task's code, whatever follows —
// "6 đã kiểm tra 12 máy trạm" is task 6's report, not a note of the line
// before. A bare number that is no task code stays ambiguous (it may be a
// list number).
func SplitWith(text string, isCode func(code string) bool) Reply {
	sp := splitter{isCode: isCode}
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	var r Reply
	for _, line := range strings.Split(text, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		if strings.Contains(line, "\t") {
			r.add(sp.tabRow(line))
			continue
		}
		line = stripBullet(line)
		for _, seg := range sp.splitInline(line) {
			r.add(sp.head(seg))
		}
	}
	for i := range r.Parts {
		r.Parts[i].parse()
	}
	return r
}

// add appends a part, or joins it to the last one as a continuation.
func (r *Reply) add(p Part) {
	if p.Text == "" {
		return
	}
	if p.Code != "" || p.ListNo > 0 || p.Bare > 0 || len(r.Parts) == 0 {
		r.Parts = append(r.Parts, p)
		return
	}
	last := &r.Parts[len(r.Parts)-1]
	// "2.a" alone on a line, then its figure: "75%".
	if strings.TrimSpace(last.FigText) == "" && last.Refused == "" {
		last.Text += "\n" + p.Text
		last.FigText = p.Text
		return
	}
	if !hasFigure(p.Text) {
		last.Text += "\n" + p.Text
		last.FigText += "\n" + p.Text
		return
	}
	p.Refused = NoTaskFor
	r.Parts = append(r.Parts, p)
}

// hasFigure reports whether a line says something of its own: a figure or
// a status that Parse reads (or refuses as a figure), not a blocker or
// words that can only be a note.
func hasFigure(s string) bool {
	fig, err := Parse(s)
	if err != nil {
		msg := err.Error()
		return msg != Examples && msg != NoBlockerNoFigure && !strings.Contains(msg, "vướng mắc sau dấu hai chấm")
	}
	return fig.Kind != plan.ProgressBlocked
}

func (p *Part) parse() {
	if p.Refused != "" {
		return
	}
	if p.Bare > 0 {
		p.Refused = fmt.Sprintf(AmbiguousNumber, p.Bare, p.Bare)
		return
	}
	fig, err := Parse(p.FigText)
	if err != nil {
		p.Refused = plan.ErrorMessage(err)
		return
	}
	p.Figure = fig
}

// stripBullet takes a bullet off a line: "• 80%", "- 2.a xong", "* …",
// "+ …". A dash right before a digit is a minus ("-5%"), not a bullet.
func stripBullet(line string) string {
	s := strings.TrimLeftFunc(line, unicode.IsSpace)
	for _, b := range []string{"•", "·", "◦", "▪", "-", "–", "—", "*", "+"} {
		if rest, ok := strings.CutPrefix(s, b); ok {
			if b == "•" || b == "·" || b == "◦" || b == "▪" || (rest != "" && unicode.IsSpace([]rune(rest)[0])) {
				return strings.TrimSpace(rest)
			}
		}
	}
	return strings.TrimSpace(s)
}

// splitInline splits a line at commas and semicolons that come before a
// new part.
// splitter holds what Split knows of the plan.
type splitter struct {
	isCode func(code string) bool
}

func (sp splitter) splitInline(line string) []string {
	var segs []string
	start := 0
	for i, r := range line {
		if (r != ',' && r != ';') || i < start {
			continue
		}
		// Only the text up to the next separator decides, which keeps a
		// long line linear; "2.b 1,5%" still shows its code and number.
		next := line[i+1:]
		if j := strings.IndexAny(next, ",;"); j >= 0 {
			next = next[:j]
		}
		if sp.startsPart(next) {
			segs = append(segs, strings.TrimSpace(line[start:i]))
			start = i + 1
		}
	}
	return append(segs, strings.TrimSpace(line[start:]))
}

// startsPart reports whether s starts a new report: a list number, or a
// task code followed by a figure.
func (sp splitter) startsPart(s string) bool {
	s = stripBullet(s)
	if n, _ := listNumber(s); n > 0 {
		return true
	}
	p := sp.head(s)
	return (p.Code != "" || p.Bare > 0) && looksLikeFigure(p.FigText)
}

// looksLikeFigure reports whether s reads as a figure or a status, or
// starts with a number Parse would refuse (120%, -5%).
func looksLikeFigure(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" {
		return false
	}
	if _, err := Parse(s); err == nil {
		return true
	}
	r := []rune(s)
	return isDigit(r[0]) || (len(r) > 1 && strings.ContainsRune("-–—−", r[0]) && isDigit(r[1]))
}

// listNumber reads "N." or "N)" (1 to 2 digits) then a space or the end,
// or "N)" then anything. It returns N and the rest.
func listNumber(s string) (int, string) {
	n, i := 0, 0
	for i < len(s) && i < 3 && isDigit(rune(s[i])) {
		n = n*10 + int(s[i]-'0')
		i++
	}
	if i == 0 || i > 2 || i >= len(s) || n == 0 {
		return 0, s
	}
	switch rest := s[i+1:]; {
	case s[i] == ')':
		return n, strings.TrimSpace(rest)
	case s[i] == '.' && (rest == "" || rest[0] == ' ' || rest[0] == '\t'):
		return n, strings.TrimSpace(rest)
	}
	return 0, s
}

// head reads what a segment starts with: a list number, a task code, a
// bare number before a figure, or nothing.
func (sp splitter) head(seg string) Part {
	seg = strings.TrimSpace(seg)
	p := Part{Text: seg, FigText: seg}
	if n, rest := listNumber(seg); n > 0 {
		p.ListNo, p.FigText = n, rest
		return p
	}
	code, rest, ok := CutTaskCode(seg)
	if !ok || rest == "" && !strings.ContainsAny(code, ".") && !hasLetter(code) {
		return p
	}
	if !strings.Contains(code, ".") && !hasLetter(code) {
		if sp.isCode != nil && sp.isCode(code) {
			p.Code, p.FigText = code, rest
			return p
		}
		// "3 80%": a number that is no code of the usual form. "12 hồ
		// sơ" is no report head at all.
		if looksLikeFigure(rest) {
			for _, r := range code {
				p.Bare = p.Bare*10 + int(r-'0')
			}
			p.FigText = rest
		}
		return p
	}
	p.Code, p.FigText = code, rest
	return p
}

func hasLetter(s string) bool { return strings.IndexFunc(s, unicode.IsLetter) >= 0 }

// tabRow reads a spreadsheet row pasted as tab-separated cells: "2.a\t75%",
// "1\t2.a\t75%\tghi chú" (a leading row number), "2.a\tTên nhiệm vụ\t75%"
// (the figure is read from the first cell it starts).
func (sp splitter) tabRow(line string) Part {
	var cells []string
	for _, c := range strings.Split(line, "\t") {
		if c = strings.TrimSpace(c); c != "" {
			cells = append(cells, c)
		}
	}
	if len(cells) == 0 {
		return Part{}
	}
	text := strings.Join(cells, " ")
	h := cells
	if len(h) >= 3 && strings.IndexFunc(h[0], func(r rune) bool { return !isDigit(r) }) < 0 {
		if code, rest, ok := CutTaskCode(h[1]); ok && rest == "" && (strings.Contains(code, ".") || hasLetter(code)) {
			h = h[1:]
		}
	}
	p := sp.head(strings.Join(h, " "))
	p.Text = text
	if p.Code != "" || p.ListNo > 0 {
		for i := 1; i < len(h); i++ {
			if looksLikeFigure(strings.Join(h[i:], " ")) {
				p.FigText = strings.Join(h[i:], " ")
				break
			}
		}
	}
	return p
}

package importer

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/chanhlo/planbot/plan"
)

// ParseDeadline understands a deadline phrase as plans write it. year is
// the plan's year, used for phrases that give none ("trong tháng 8").
//
//   - date: "Trong tháng 4/2023" (30/4/2023), "Quý II/2023", "Trong năm
//     2023", "6 tháng đầu năm", "ngày 05 tháng 5 năm 2023", "tháng 4-2023",
//     "Trước ngày 15/5/2023". "Trước ngày D" means "by D" in Vietnamese
//     administrative usage, so Due is D itself, not the day before.
//   - range: "từ ngày 01/4/2024 đến hết ngày 30/9/2024".
//   - recurring: "Thường xuyên", "Hằng tháng", "Định kỳ hằng quý", "Hằng
//     năm"; "(kể) từ tháng 4/2023" alone is ongoing work from that month.
//     A recurring deadline may carry Start when the phrase gives one. The
//     day of "Hằng tháng, trước ngày 20" or "Trước ngày 20 hằng tháng" has
//     no field of its own: the recurrence is set and Text keeps the day.
//   - conditional: "Sau khi …", "Khi có hướng dẫn …", with Expected set
//     from "(dự kiến tháng 6/2023)".
//
// Anything else is the open kind and ok is false. Text is always the
// phrase as written (trimmed).
func ParseDeadline(text string, year int) (d plan.Deadline, ok bool) {
	d.Text = strings.TrimSpace(strings.ReplaceAll(text, "*", ""))
	d.Text = strings.Join(strings.Fields(d.Text), " ")
	f := foldPhrase(d.Text)
	if f == "" {
		d.Kind = plan.DeadlineOpen
		return d, false
	}
	if isConditional(f) {
		d.Kind = plan.DeadlineConditional
		if m := expectedRe.FindStringSubmatchIndex(f); m != nil {
			if p, _, ok := parsePeriod(strings.TrimSpace(f[m[1]:]), year); ok {
				d.Expected = p.end
			}
		}
		return d, true
	}
	if r, ok := parseRecurrence(f); ok {
		d.Kind = plan.DeadlineRecurring
		d.Recurrence = r
		if i := strings.Index(f, "từ "); i >= 0 {
			if p, _, ok := parsePeriod(trimWords(f[i+len("từ "):], "ngày"), year); ok {
				d.Start = p.start
			}
		}
		return d, true
	}
	if r, ok := dayOfEvery(f); ok {
		d.Kind, d.Recurrence = plan.DeadlineRecurring, r
		return d, true
	}
	g := dropParens(f)
	g = strings.TrimSpace(g)
	if rest, ok := cutWord(g, "kể từ", "từ"); ok {
		p1, after, ok := parsePeriod(trimWords(rest, "ngày"), year)
		if !ok {
			return open(d)
		}
		after = strings.TrimSpace(after)
		if after == "" || after == "trở đi" {
			d.Kind, d.Recurrence, d.Start = plan.DeadlineRecurring, plan.RecurOngoing, p1.start
			return d, true
		}
		rest2, ok := cutWord(after, "đến", "tới", "-")
		if !ok {
			return open(d)
		}
		p2, tail, ok := parsePeriod(trimWords(rest2, "hết", "ngày"), year)
		if !ok || !blank(tail) {
			return open(d)
		}
		if !p1.hasYear && p2.hasYear {
			p1, _, _ = parsePeriod(trimWords(rest, "ngày"), p2.end.Year)
		}
		if p2.end.Before(p1.start) {
			return open(d)
		}
		d.Kind, d.Start, d.Due = plan.DeadlineRange, p1.start, p2.end
		return d, true
	}
	g = trimWords(g, "cả", "hoàn thành", "thực hiện", "xong", "thời hạn", "hạn chót", "hạn", "chậm nhất là", "chậm nhất", "là", "trước", "trong thời gian", "trong", "vào", "đến hết", "đến", "hết", "cuối", "ngày")
	p, tail, ok := parsePeriod(g, year)
	if !ok || !blank(tail) {
		return open(d)
	}
	d.Kind, d.Due = plan.DeadlineDate, p.end
	return d, true
}

func open(d plan.Deadline) (plan.Deadline, bool) {
	d.Kind, d.Due, d.Start, d.Expected, d.Recurrence = plan.DeadlineOpen, plan.Date{}, plan.Date{}, plan.Date{}, ""
	return d, false
}

// foldPhrase folds a deadline phrase and drops the punctuation that ends it.
func foldPhrase(s string) string {
	f := Fold(s)
	return strings.TrimRightFunc(f, func(r rune) bool { return unicode.IsSpace(r) || strings.ContainsRune(".,;:!", r) })
}

func blank(s string) bool {
	return strings.TrimFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) }) == ""
}

var expectedRe = regexp.MustCompile(`dự kiến(?: là)?(?: trong| vào| khoảng| trước| cuối)*`)

var conditionalPrefixes = []string{"sau khi", "ngay sau khi", "khi ", "ngay khi", "chờ ", "tùy theo", "tùy thuộc", "theo hướng dẫn", "theo chỉ đạo", "căn cứ hướng dẫn"}

func isConditional(f string) bool {
	for _, p := range conditionalPrefixes {
		if strings.HasPrefix(f, p) {
			return true
		}
	}
	return false
}

func parseRecurrence(f string) (plan.Recurrence, bool) {
	g := trimWords(f, "thực hiện", "định kỳ", "báo cáo")
	for _, c := range []struct {
		prefix []string
		r      plan.Recurrence
	}{
		{[]string{"thường xuyên", "liên tục"}, plan.RecurOngoing},
		{[]string{"hằng tháng", "hàng tháng", "mỗi tháng", "theo tháng"}, plan.RecurMonthly},
		{[]string{"hằng quý", "hàng quý", "mỗi quý", "theo quý"}, plan.RecurQuarterly},
		{[]string{"hằng năm", "hàng năm", "mỗi năm"}, plan.RecurYearly},
	} {
		for _, p := range c.prefix {
			if strings.HasPrefix(g, p) {
				return c.r, true
			}
		}
	}
	return "", false
}

// dayOfEveryRe matches a day of every month, quarter or year written
// before the recurrence: "Trước ngày 20 hằng tháng", "ngày 15 của mỗi quý".
var dayOfEveryRe = regexp.MustCompile(`^(?:(?:trước|chậm nhất|vào|đến) )?(?:ngày )?(\d{1,2}) (?:của )?(?:hằng|hàng|mỗi) (tháng|quý|năm)$`)

// dayOfEvery reads "Trước ngày 20 hằng tháng" as a recurrence. The day
// itself stays in Text: plan.Deadline has no field for it.
func dayOfEvery(f string) (plan.Recurrence, bool) {
	m := dayOfEveryRe.FindStringSubmatch(f)
	if m == nil {
		return "", false
	}
	if n, _ := strconv.Atoi(m[1]); n < 1 || n > 31 {
		return "", false
	}
	return map[string]plan.Recurrence{"tháng": plan.RecurMonthly, "quý": plan.RecurQuarterly, "năm": plan.RecurYearly}[m[2]], true
}

// cutWord cuts the first of words that starts s (as whole words).
func cutWord(s string, words ...string) (string, bool) {
	s = strings.TrimSpace(s)
	for _, w := range words {
		if rest, ok := strings.CutPrefix(s, w); ok && (rest == "" || rest[0] == ' ') {
			return strings.TrimSpace(rest), true
		}
	}
	return s, false
}

// trimWords cuts any of words from the start of s, repeatedly.
func trimWords(s string, words ...string) string {
	for {
		rest, ok := cutWord(s, words...)
		if !ok {
			return s
		}
		s = rest
	}
}

// period is a day, month, quarter, half-year or year.
type period struct {
	start, end plan.Date
	hasYear    bool
}

var (
	dayMonthWordsRe = regexp.MustCompile(`^(?:ngày )?(\d{1,2}) tháng (\d{1,2})(?: năm (\d{4}))?`)
	dmyRe           = regexp.MustCompile(`^(\d{1,2})\s?[/.]\s?(\d{1,2})(?:\s?[/.]\s?(\d{4}))?\b`)
	dmyDashRe       = regexp.MustCompile(`^(\d{1,2}) - (\d{1,2}) - (\d{4})\b`)
	monthRe         = regexp.MustCompile(`^tháng (\d{1,2})(?:\s?(?:/|-|\.)\s?(\d{4})| năm (\d{4}))?\b`)
	quarterRe       = regexp.MustCompile(`^quý (iv|iii|ii|i|[1-4])(?:\s?(?:/|-)\s?(\d{4})| năm (\d{4}))?\b`)
	halfRe          = regexp.MustCompile(`^(?:6|06|sáu) tháng (đầu|cuối) năm(?: (\d{4}))?\b`)
	yearRe          = regexp.MustCompile(`^năm(?: (\d{4}))?\b`)
)

// parsePeriod reads a period at the start of the folded s and returns it
// with the rest of s. year is used when the period gives none.
func parsePeriod(s string, year int) (p period, rest string, ok bool) {
	s = strings.TrimSpace(s)
	pickYear := func(ys ...string) (int, bool) {
		for _, y := range ys {
			if y != "" {
				n, _ := strconv.Atoi(y)
				return n, true
			}
		}
		return year, false
	}
	valid := func(y int) bool { return y >= 1900 && y <= 2200 }
	if m := dayMonthWordsRe.FindStringSubmatch(s); m != nil {
		y, has := pickYear(m[3])
		if d, ok := civil(y, m[2], m[1]); ok && valid(y) {
			return period{d, d, has}, s[len(m[0]):], true
		}
		return p, s, false
	}
	for _, re := range []*regexp.Regexp{dmyDashRe, dmyRe} {
		if m := re.FindStringSubmatch(s); m != nil {
			y, has := pickYear(m[3])
			if d, ok := civil(y, m[2], m[1]); ok && valid(y) {
				return period{d, d, has}, s[len(m[0]):], true
			}
			return p, s, false
		}
	}
	if m := monthRe.FindStringSubmatch(s); m != nil {
		y, has := pickYear(m[2], m[3])
		mo, _ := strconv.Atoi(m[1])
		if mo < 1 || mo > 12 || !valid(y) {
			return p, s, false
		}
		start := plan.NewDate(y, time.Month(mo), 1)
		return period{start, start.EndOfMonth(), has}, s[len(m[0]):], true
	}
	if m := quarterRe.FindStringSubmatch(s); m != nil {
		y, has := pickYear(m[2], m[3])
		if !valid(y) {
			return p, s, false
		}
		q := map[string]int{"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}[m[1]]
		start := plan.NewDate(y, time.Month(3*q-2), 1)
		end := plan.NewDate(y, time.Month(3*q+1), 0)
		return period{start, end, has}, s[len(m[0]):], true
	}
	if m := halfRe.FindStringSubmatch(s); m != nil {
		y, has := pickYear(m[2])
		if !valid(y) {
			return p, s, false
		}
		if m[1] == "đầu" {
			return period{plan.NewDate(y, 1, 1), plan.NewDate(y, 6, 30), has}, s[len(m[0]):], true
		}
		return period{plan.NewDate(y, 7, 1), plan.NewDate(y, 12, 31), has}, s[len(m[0]):], true
	}
	if m := yearRe.FindStringSubmatch(s); m != nil {
		y, has := pickYear(m[1])
		if !valid(y) {
			return p, s, false
		}
		return period{plan.NewDate(y, 1, 1), plan.NewDate(y, 12, 31), has}, s[len(m[0]):], true
	}
	return p, s, false
}

// civil returns the date y-m-d when it exists (no 31/4).
func civil(y int, m, d string) (plan.Date, bool) {
	mo, _ := strconv.Atoi(m)
	day, _ := strconv.Atoi(d)
	if mo < 1 || mo > 12 || day < 1 || day > 31 {
		return plan.Date{}, false
	}
	date := plan.NewDate(y, time.Month(mo), day)
	if date.Day != day {
		return plan.Date{}, false
	}
	return date, true
}

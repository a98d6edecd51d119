package plan

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// PeriodKind says how long a reporting period is.
type PeriodKind string

// Reporting period lengths.
const (
	PeriodMonth   PeriodKind = "month"
	PeriodQuarter PeriodKind = "quarter"
	PeriodYear    PeriodKind = "year"
	// PeriodHalf is six months (N 1: January–June, 2: July–December),
	// the "báo cáo 6 tháng" wards send.
	PeriodHalf PeriodKind = "half"
)

// Period is a reporting period: a month, a quarter or a year. Officers
// report per month; summaries cover a month, a quarter or a year.
type Period struct {
	Kind PeriodKind
	Year int
	// N is the month (1–12) or the quarter (1–4); unused for a year.
	N int
}

// MonthOf returns the month period containing d.
func MonthOf(d Date) Period { return Period{PeriodMonth, d.Year, int(d.Month)} }

// Month returns the month period m/year.
func Month(year int, m time.Month) Period { return Period{PeriodMonth, year, int(m)} }

// Start returns the first day of the period.
func (p Period) Start() Date {
	switch p.Kind {
	case PeriodQuarter:
		return NewDate(p.Year, time.Month(3*(p.N-1)+1), 1)
	case PeriodYear:
		return NewDate(p.Year, 1, 1)
	case PeriodHalf:
		return NewDate(p.Year, time.Month(6*(p.N-1)+1), 1)
	default:
		return NewDate(p.Year, time.Month(p.N), 1)
	}
}

// End returns the last day of the period.
func (p Period) End() Date {
	switch p.Kind {
	case PeriodQuarter:
		return NewDate(p.Year, time.Month(3*p.N+1), 0)
	case PeriodYear:
		return NewDate(p.Year, 12, 31)
	case PeriodHalf:
		return NewDate(p.Year, time.Month(6*p.N+1), 0)
	default:
		return NewDate(p.Year, time.Month(p.N+1), 0)
	}
}

// Contains reports whether d falls in the period.
func (p Period) Contains(d Date) bool {
	return !d.Before(p.Start()) && !d.After(p.End())
}

// Months returns the month periods the period covers, in order.
func (p Period) Months() []Period {
	var out []Period
	for d := p.Start(); !d.After(p.End()); d = NewDate(d.Year, d.Month+1, 1) {
		out = append(out, MonthOf(d))
	}
	return out
}

// Prev returns the period of the same kind just before p.
func (p Period) Prev() Period {
	switch p.Kind {
	case PeriodQuarter:
		if p.N == 1 {
			return Period{PeriodQuarter, p.Year - 1, 4}
		}
		return Period{PeriodQuarter, p.Year, p.N - 1}
	case PeriodYear:
		return Period{PeriodYear, p.Year - 1, 0}
	case PeriodHalf:
		if p.N == 1 {
			return Period{PeriodHalf, p.Year - 1, 2}
		}
		return Period{PeriodHalf, p.Year, 1}
	default:
		return MonthOf(p.Start().AddDays(-1))
	}
}

// String is the stable key of the period: "2023-04", "2023-Q2" or "2023".
func (p Period) String() string {
	switch p.Kind {
	case PeriodQuarter:
		return fmt.Sprintf("%d-Q%d", p.Year, p.N)
	case PeriodYear:
		return strconv.Itoa(p.Year)
	case PeriodHalf:
		return fmt.Sprintf("%d-H%d", p.Year, p.N)
	default:
		return fmt.Sprintf("%d-%02d", p.Year, p.N)
	}
}

// Vietnamese names the period as officials do: "tháng 4/2023",
// "quý II/2023", "năm 2023".
func (p Period) Vietnamese() string {
	switch p.Kind {
	case PeriodQuarter:
		return fmt.Sprintf("quý %s/%d", [...]string{"", "I", "II", "III", "IV"}[p.N], p.Year)
	case PeriodYear:
		return fmt.Sprintf("năm %d", p.Year)
	case PeriodHalf:
		if p.N == 1 {
			return fmt.Sprintf("6 tháng đầu năm %d", p.Year)
		}
		return fmt.Sprintf("6 tháng cuối năm %d", p.Year)
	default:
		return fmt.Sprintf("tháng %d/%d", p.N, p.Year)
	}
}

// ParsePeriod reads the stable keys written by String ("2023-04",
// "2023-Q2", "2023"), the words Vietnamese writes ("tháng 5/2023",
// "tháng 05/2023", "quý II/2023", "Quý 2/2023", "tháng 5 năm 2023",
// "năm 2023") and the short
// forms people type ("04/2023", "4/2023", "Q2/2023", "q2/2023",
// "QII/2023"). Quarters may be numbered 1–4 or I–IV; case and spacing do
// not matter.
func ParsePeriod(s string) (Period, error) {
	// Every report read from the store carries a key: reading one as
	// typed words (lower-casing, splitting, joining) was a tenth of
	// reading a summary's reports.
	if p, ok := parseKey(s); ok {
		return p, nil
	}
	return parsePeriodText(s)
}

// parseKey reads a key exactly as String writes it, and false for
// anything else (which parsePeriodText may still read).
func parseKey(s string) (Period, bool) {
	y, ok := periodYear(s[:min(len(s), 4)])
	if !ok {
		return Period{}, false
	}
	switch rest := s[4:]; {
	case rest == "":
		return Period{PeriodYear, y, 0}, true
	case len(rest) == 3 && rest[0] == '-' && (rest[1] == 'Q' || rest[1] == 'H'):
		n := int(rest[2]) - '0'
		if rest[1] == 'Q' && n >= 1 && n <= 4 {
			return Period{PeriodQuarter, y, n}, true
		}
		if rest[1] == 'H' && n >= 1 && n <= 2 {
			return Period{PeriodHalf, y, n}, true
		}
	case len(rest) == 3 && rest[0] == '-':
		if m, ok := periodNumber(rest[1:], 2); ok && m >= 1 && m <= 12 {
			return Period{PeriodMonth, y, m}, true
		}
	}
	return Period{}, false
}

// parsePeriodText is ParsePeriod for anything but a key.
func parsePeriodText(s string) (Period, error) {
	in := strings.TrimSpace(s)
	bad := func() (Period, error) {
		return Period{}, fmt.Errorf("kỳ %q không hợp lệ (ví dụ: tháng 5/2023, quý II/2023, năm 2023)", in)
	}
	t := strings.ToLower(strings.Join(strings.Fields(in), " "))
	if p, ok := parseHalf(t); ok {
		return p, nil
	}
	// A word says the kind: "tháng", "quý" or "năm" (also without
	// diacritics, as typed on a keyboard without them).
	want := PeriodKind("")
	for _, w := range []struct {
		word string
		kind PeriodKind
	}{
		{"tháng", PeriodMonth}, {"thang", PeriodMonth},
		{"quý", PeriodQuarter}, {"quy", PeriodQuarter},
		{"năm", PeriodYear}, {"nam", PeriodYear},
	} {
		if rest, ok := strings.CutPrefix(t, w.word+" "); ok {
			t, want = rest, w.kind
			break
		}
	}
	// "tháng 5 năm 2023", "quý II năm 2023": the word "năm" separates.
	if want == PeriodMonth || want == PeriodQuarter {
		t = strings.Replace(strings.Replace(t, " năm ", "/", 1), " nam ", "/", 1)
	}
	t = strings.ReplaceAll(t, " ", "")
	if y, ok := periodYear(t); ok {
		if want != "" && want != PeriodYear {
			return bad()
		}
		return Period{PeriodYear, y, 0}, nil
	}
	if want == PeriodYear {
		return bad()
	}
	a, b, ok := strings.Cut(t, "/")
	if !ok {
		if a, b, ok = strings.Cut(t, "-"); !ok {
			return bad()
		}
	}
	// Put the year first.
	y, ok := periodYear(a)
	if !ok {
		a, b = b, a
		if y, ok = periodYear(a); !ok {
			return bad()
		}
	}
	if want == PeriodQuarter || strings.HasPrefix(b, "q") {
		// "quý Q2/2023" and "tháng Q2/2023" say the kind twice.
		if want != "" && strings.HasPrefix(b, "q") {
			return bad()
		}
		q, ok := quarterNumber(strings.TrimPrefix(b, "q"))
		if !ok {
			return bad()
		}
		return Period{PeriodQuarter, y, q}, nil
	}
	m, ok := periodNumber(b, 2)
	if !ok || m < 1 || m > 12 {
		return bad()
	}
	return Period{PeriodMonth, y, m}, nil
}

// periodYear reads a four-digit year from 1900 to 2999.
func periodYear(s string) (int, bool) {
	if len(s) != 4 {
		return 0, false
	}
	y, ok := periodNumber(s, 4)
	return y, ok && y >= 1900 && y < 3000
}

// periodNumber reads 1 to max ASCII digits, nothing else (no sign, no
// spaces).
func periodNumber(s string, max int) (int, bool) {
	if s == "" || len(s) > max {
		return 0, false
	}
	n := 0
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = 10*n + int(c-'0')
	}
	return n, true
}

// quarterNumber reads a quarter as "1"–"4" or, lower-cased, "i"–"iv".
func quarterNumber(s string) (int, bool) {
	switch s {
	case "1", "i":
		return 1, true
	case "2", "ii":
		return 2, true
	case "3", "iii":
		return 3, true
	case "4", "iv":
		return 4, true
	}
	return 0, false
}

// parseHalf reads a half year: "2023-H1", "H2/2023", "6 tháng đầu năm
// 2023", "6 thang cuoi nam 2023".
func parseHalf(t string) (Period, bool) {
	for _, w := range []struct {
		prefix string
		n      int
	}{
		{"6 tháng đầu năm ", 1}, {"6 thang dau nam ", 1}, {"6 tháng cuối năm ", 2}, {"6 thang cuoi nam ", 2},
	} {
		if rest, ok := strings.CutPrefix(t, w.prefix); ok {
			if y, ok := periodYear(strings.TrimSpace(rest)); ok {
				return Period{PeriodHalf, y, w.n}, true
			}
			return Period{}, false
		}
	}
	t = strings.ReplaceAll(t, " ", "")
	a, b, ok := strings.Cut(t, "-")
	if !ok {
		b, a, ok = strings.Cut(t, "/")
	}
	if !ok {
		return Period{}, false
	}
	y, ok := periodYear(a)
	if !ok {
		return Period{}, false
	}
	switch b {
	case "h1":
		return Period{PeriodHalf, y, 1}, true
	case "h2":
		return Period{PeriodHalf, y, 2}, true
	}
	return Period{}, false
}

// Next returns the period of the same kind just after p.
func (p Period) Next() Period {
	d := p.End().AddDays(1)
	switch p.Kind {
	case PeriodQuarter:
		return Period{PeriodQuarter, d.Year, (int(d.Month)-1)/3 + 1}
	case PeriodHalf:
		return Period{PeriodHalf, d.Year, (int(d.Month)-1)/6 + 1}
	case PeriodYear:
		return Period{PeriodYear, d.Year, 0}
	default:
		return MonthOf(d)
	}
}

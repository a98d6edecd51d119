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
	default:
		return fmt.Sprintf("tháng %d/%d", p.N, p.Year)
	}
}

// ParsePeriod reads the stable keys written by String ("2023-04",
// "2023-Q2", "2023") and the forms people type: "04/2023", "4/2023",
// "Q2/2023", "q2/2023".
func ParsePeriod(s string) (Period, error) {
	s = strings.TrimSpace(strings.ToUpper(s))
	bad := func() (Period, error) {
		return Period{}, fmt.Errorf("kỳ %q không hợp lệ (ví dụ: 05/2023, Q2/2023, 2023)", s)
	}
	num := func(x string) (int, bool) {
		n, err := strconv.Atoi(x)
		return n, err == nil
	}
	if y, ok := num(s); ok && y >= 1900 && y < 3000 {
		return Period{PeriodYear, y, 0}, nil
	}
	var a, b string
	if i := strings.IndexAny(s, "-/"); i > 0 {
		a, b = s[:i], s[i+1:]
	} else {
		return bad()
	}
	// Put the year first.
	if len(a) != 4 {
		a, b = b, a
	}
	y, ok := num(a)
	if !ok || y < 1900 || y >= 3000 {
		return bad()
	}
	if strings.HasPrefix(b, "Q") {
		q, ok := num(b[1:])
		if !ok || q < 1 || q > 4 {
			return bad()
		}
		return Period{PeriodQuarter, y, q}, nil
	}
	m, ok := num(b)
	if !ok || m < 1 || m > 12 {
		return bad()
	}
	return Period{PeriodMonth, y, m}, nil
}

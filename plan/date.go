package plan

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// Date is a civil date with no time zone: a deadline or a holiday is a day
// in Vietnam, not an instant, and mixing the two is how reminders end up a
// day early.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// NewDate returns the date, normalised the way time.Date normalises
// (31/4 becomes 1/5).
func NewDate(year int, month time.Month, day int) Date {
	return DateOf(time.Date(year, month, day, 0, 0, 0, 0, time.UTC))
}

// DateOf returns the calendar date of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// ParseDate parses "YYYY-MM-DD".
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("parse date %q: %w", s, err)
	}
	return DateOf(t), nil
}

// IsZero reports whether d is the zero Date (no date).
func (d Date) IsZero() bool { return d == Date{} }

// String formats d as YYYY-MM-DD, or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	if d.Year < 0 || d.Year > 9999 || d.Month < 0 || d.Day < 0 {
		return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
	}
	// Written out: every reminder's key and occurrence holds a date.
	b := make([]byte, 0, 10)
	b = appendPadded(b, d.Year, 4)
	b = append(b, '-')
	b = appendPadded(b, int(d.Month), 2)
	b = append(b, '-')
	b = appendPadded(b, d.Day, 2)
	return string(b)
}

// appendPadded appends n (not negative) with leading zeros to width.
func appendPadded(b []byte, n, width int) []byte {
	for w := width - 1; w > 0 && n < pow10[w]; w-- {
		b = append(b, '0')
	}
	return strconv.AppendInt(b, int64(n), 10)
}

var pow10 = [...]int{1, 10, 100, 1000}

// Vietnamese formats d the way officials write it: 28/4/2023.
func (d Date) Vietnamese() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%d/%d/%d", d.Day, int(d.Month), d.Year)
}

// In returns midnight of d in loc.
func (d Date) In(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// At returns the instant hour:min of d in loc.
func (d Date) At(hour, min int, loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, hour, min, 0, 0, loc)
}

// AddDays returns d moved by n calendar days.
func (d Date) AddDays(n int) Date {
	// Within the month's first 28 days nothing needs normalising: the
	// reminder policy and the working-day arithmetic step a day at a
	// time, and time.Date was a tenth of a report-day tick.
	if day := d.Day + n; day >= 1 && day <= 28 && d.Month >= time.January && d.Month <= time.December {
		return Date{d.Year, d.Month, day}
	}
	return NewDate(d.Year, d.Month, d.Day+n)
}

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday {
	if d.Month < time.January || d.Month > time.December || d.Day < 1 || d.Day > 28 {
		return d.In(time.UTC).Weekday()
	}
	// Sakamoto's method, for a normalised date: the count of days since
	// a fixed Sunday, modulo 7, without building a time.Time.
	y := d.Year
	if d.Month < time.March {
		y--
	}
	w := (y + floorDiv(y, 4) - floorDiv(y, 100) + floorDiv(y, 400) + monthOffset[d.Month-1] + d.Day) % 7
	if w < 0 {
		w += 7
	}
	return time.Weekday(w)
}

// monthOffset is Sakamoto's table for Weekday.
var monthOffset = [12]int{0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4}

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// Before reports whether d is strictly before o.
func (d Date) Before(o Date) bool { return d.Compare(o) < 0 }

// After reports whether d is strictly after o.
func (d Date) After(o Date) bool { return d.Compare(o) > 0 }

// Compare returns -1, 0 or +1 as d is before, equal to or after o.
func (d Date) Compare(o Date) int {
	switch {
	case d.Year != o.Year:
		return cmpInt(d.Year, o.Year)
	case d.Month != o.Month:
		return cmpInt(int(d.Month), int(o.Month))
	default:
		return cmpInt(d.Day, o.Day)
	}
}

// DaysUntil returns the number of calendar days from d to o (negative when
// o is before d).
func (d Date) DaysUntil(o Date) int {
	return int(o.In(time.UTC).Sub(d.In(time.UTC)).Hours() / 24)
}

// EndOfMonth returns the last day of d's month.
func (d Date) EndOfMonth() Date { return NewDate(d.Year, d.Month+1, 0) }

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// MarshalJSON writes "YYYY-MM-DD", or null for the zero Date.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(d.String())
}

// UnmarshalJSON reads "YYYY-MM-DD", "" or null.
func (d *Date) UnmarshalJSON(b []byte) error {
	var s *string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	if s == nil || *s == "" {
		*d = Date{}
		return nil
	}
	p, err := ParseDate(*s)
	if err != nil {
		return err
	}
	*d = p
	return nil
}

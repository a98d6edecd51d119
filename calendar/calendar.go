package calendar

import (
	"sync"
	"time"

	"github.com/chanhlo/planbot/plan"
)

// Calendar answers which days are working days for the ward's offices:
// Monday to Friday, minus public holidays, compensatory days and announced
// days off, plus the weekend days announced as working days. It is safe
// for concurrent use; each year's holidays are worked out once.
type Calendar struct {
	tet         map[int]Span
	nationalDay map[int]plan.Date
	daysOff     map[int][]Holiday
	working     map[plan.Date]bool
	loc         *time.Location

	mu    sync.Mutex // held while a year is worked out
	years sync.Map   // int → *year; read on every working-day question
}

// year is the worked-out holidays of one year.
type year struct {
	list  []Holiday
	names map[plan.Date]string
	// off has bit d of off[m-1] set when day d of month m is not a
	// working day: the reminder policy asks about hundreds of days a
	// tick, and a bit is cheaper than two map lookups and a weekday.
	off [12]uint32
}

// New returns a calendar with the government's adjustments applied. It
// does not check them: call Adjustments.Validate on what a person wrote.
func New(adj Adjustments) *Calendar {
	c := &Calendar{
		tet:         map[int]Span{},
		nationalDay: map[int]plan.Date{},
		daysOff:     map[int][]Holiday{},
		working:     map[plan.Date]bool{},
		loc:         Location(),
	}
	for _, s := range adj.Tet {
		c.tet[s.From.Year] = s
	}
	for _, d := range adj.NationalDay {
		c.nationalDay[d.Year] = d
	}
	for _, h := range adj.DaysOff {
		c.daysOff[h.Date.Year] = append(c.daysOff[h.Date.Year], h)
	}
	for _, d := range adj.WorkingDays {
		c.working[d] = true
	}
	return c
}

func (c *Calendar) year(y int) *year {
	if yr, ok := c.years.Load(y); ok {
		return yr.(*year)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if yr, ok := c.years.Load(y); ok {
		return yr.(*year)
	}
	var tet *Span
	if s, ok := c.tet[y]; ok {
		tet = &s
	}
	list := yearHolidays(y, tet, c.nationalDay[y], c.daysOff[y])
	yr := &year{list: list, names: make(map[plan.Date]string, len(list))}
	for _, h := range list {
		yr.names[h.Date] = h.Name
	}
	for d := plan.NewDate(y, time.January, 1); d.Year == y; d = d.AddDays(1) {
		if _, holiday := yr.names[d]; !c.working[d] && (holiday || isWeekend(d)) {
			yr.off[d.Month-1] |= 1 << d.Day
		}
	}
	c.years.Store(y, yr)
	return yr
}

// Holidays returns the holidays of year y in date order: public holidays
// (including those that fall on a weekend), compensatory days off and
// announced days off. The caller may modify the slice.
func (c *Calendar) Holidays(y int) []Holiday {
	list := c.year(y).list
	out := make([]Holiday, len(list))
	copy(out, list)
	return out
}

// HolidayName returns the name of the holiday on d, and false when d is
// not a holiday.
func (c *Calendar) HolidayName(d plan.Date) (string, bool) {
	name, ok := c.year(d.Year).names[d]
	return name, ok
}

// IsWorkingDay reports whether the offices work on d.
func (c *Calendar) IsWorkingDay(d plan.Date) bool {
	if d.Month < time.January || d.Month > time.December || d.Day < 1 || d.Day > 28 {
		d = plan.NewDate(d.Year, d.Month, d.Day)
	}
	return c.year(d.Year).off[d.Month-1]&(1<<d.Day) == 0
}

// NextWorkingDay returns the first working day after d.
func (c *Calendar) NextWorkingDay(d plan.Date) plan.Date {
	for d = d.AddDays(1); !c.IsWorkingDay(d); d = d.AddDays(1) {
	}
	return d
}

// PrevWorkingDay returns the last working day before d.
func (c *Calendar) PrevWorkingDay(d plan.Date) plan.Date {
	for d = d.AddDays(-1); !c.IsWorkingDay(d); d = d.AddDays(-1) {
	}
	return d
}

// AddWorkingDays returns the n-th working day after d, or before d when n
// is negative ("3 ngày làm việc trước hạn" is AddWorkingDays(due, -3)). d
// itself is not counted; AddWorkingDays(d, 0) is d.
func (c *Calendar) AddWorkingDays(d plan.Date, n int) plan.Date {
	for ; n > 0; n-- {
		d = c.NextWorkingDay(d)
	}
	for ; n < 0; n++ {
		d = c.PrevWorkingDay(d)
	}
	return d
}

// WorkingDaysBetween counts the working days stepped on going from a to b,
// a excluded and b included: the working days in (a, b] when a is not
// after b, and minus those in [b, a) otherwise. It is the inverse of
// AddWorkingDays: WorkingDaysBetween(a, AddWorkingDays(a, n)) == n.
func (c *Calendar) WorkingDaysBetween(a, b plan.Date) int {
	n := 0
	switch {
	case a.Before(b):
		for d := a.AddDays(1); !d.After(b); d = d.AddDays(1) {
			if c.IsWorkingDay(d) {
				n++
			}
		}
	case b.Before(a):
		for d := b; d.Before(a); d = d.AddDays(1) {
			if c.IsWorkingDay(d) {
				n--
			}
		}
	}
	return n
}

// Location returns the zone the calendar's days are in (Asia/Ho_Chi_Minh).
func (c *Calendar) Location() *time.Location { return c.loc }

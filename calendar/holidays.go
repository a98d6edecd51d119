package calendar

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/chanhlo/planbot/plan"
)

// Names of the public holidays (ngày nghỉ lễ, tết) of the Labor Code 2019,
// art. 112. A compensatory day off is named CompensationPrefix + the name
// of the holiday it makes up for ("Nghỉ bù Quốc khánh").
const (
	NameNewYear        = "Tết Dương lịch"
	NameTet            = "Tết Nguyên Đán"
	NameHungKings      = "Giỗ Tổ Hùng Vương"
	NameVictory        = "Ngày Chiến thắng 30/4"
	NameLabour         = "Ngày Quốc tế Lao động"
	NameNationalDay    = "Quốc khánh"
	CompensationPrefix = "Nghỉ bù "
	// NameDayOff names a configured day off that came without a name.
	NameDayOff = "Nghỉ theo thông báo"
)

// Years in which the law changed what is a holiday. Before 2007 the rules
// of 2007 apply, minus Giỗ Tổ Hùng Vương.
const (
	// hungKingsFrom: Giỗ Tổ Hùng Vương became a paid holiday by the 2007
	// amendment of the Labor Code (first observed 26/4/2007).
	hungKingsFrom = 2007
	// tetFiveDaysFrom: the Labor Code 2012 (in force 1/5/2013) raised Tết
	// from four days to five; Tết 2014 was the first with five.
	tetFiveDaysFrom = 2014
	// nationalDayTwoDaysFrom: the Labor Code 2019 (in force 1/1/2021)
	// added a second day to Quốc khánh.
	nationalDayTwoDaysFrom = 2021
)

// Holiday is a non-working day and why: a public holiday, a compensatory
// day off, or a day off the government announced.
type Holiday struct {
	Date plan.Date `json:"date" yaml:"date"`
	Name string    `json:"name" yaml:"name"`
}

// Span is a run of days, both ends included.
type Span struct {
	From plan.Date `json:"from" yaml:"from"`
	To   plan.Date `json:"to" yaml:"to"`
}

// Contains reports whether d is within s.
func (s Span) Contains(d plan.Date) bool { return !d.Before(s.From) && !d.After(s.To) }

// Adjustments are what the government announces each year on top of the
// Labor Code: the exact Tết break, the day added to Quốc khánh, bridge days
// off and the Saturdays worked in exchange. They come from the config file:
//
//	calendar:
//	  tet:
//	    - {from: 2024-02-08, to: 2024-02-14}
//	  national_day: [2024-09-03]
//	  days_off:
//	    - {date: 2024-04-29, name: Nghỉ hoán đổi}
//	  working_days: [2024-05-04]
type Adjustments struct {
	// Tet replaces the default Tết break of the year it falls in: every
	// day of the span is off (weekends and compensation included, as the
	// announcement counts them) and no compensatory day is added.
	Tet []Span `json:"tet,omitempty" yaml:"tet"`
	// NationalDay picks the day added to 2/9 (1/9 or 3/9) in its year.
	NationalDay []plan.Date `json:"national_day,omitempty" yaml:"national_day"`
	// DaysOff are extra days off (nghỉ hoán đổi, bridge days).
	DaysOff []Holiday `json:"days_off,omitempty" yaml:"days_off"`
	// WorkingDays are weekend days worked in exchange (làm bù).
	WorkingDays []plan.Date `json:"working_days,omitempty" yaml:"working_days"`
}

// Validate checks adjustments as a person wrote them and returns a
// *plan.Error naming the first mistake.
func (a Adjustments) Validate() error {
	tetYears := map[int]bool{}
	for _, s := range a.Tet {
		if s.From.IsZero() || s.To.IsZero() {
			return plan.Errorf(plan.EInvalid, "Kỳ nghỉ Tết cần cả ngày bắt đầu và ngày kết thúc.")
		}
		if s.To.Before(s.From) || s.From.Year != s.To.Year || s.From.DaysUntil(s.To) > 15 {
			return plan.Errorf(plan.EInvalid, "Kỳ nghỉ Tết từ %s đến %s không hợp lệ.", s.From.Vietnamese(), s.To.Vietnamese())
		}
		if tetYears[s.From.Year] {
			return plan.Errorf(plan.EInvalid, "Kỳ nghỉ Tết năm %d được khai báo hai lần.", s.From.Year)
		}
		tetYears[s.From.Year] = true
		if tet := TetDay(s.From.Year); !s.Contains(tet) {
			return plan.Errorf(plan.EInvalid, "Kỳ nghỉ Tết từ %s đến %s không chứa mùng 1 Tết (%s).",
				s.From.Vietnamese(), s.To.Vietnamese(), tet.Vietnamese())
		}
	}
	ndYears := map[int]bool{}
	for _, d := range a.NationalDay {
		if d.Month != time.September || (d.Day != 1 && d.Day != 3) {
			return plan.Errorf(plan.EInvalid, "Ngày nghỉ Quốc khánh thêm %s phải là ngày 1/9 hoặc 3/9.", d.Vietnamese())
		}
		if ndYears[d.Year] {
			return plan.Errorf(plan.EInvalid, "Ngày nghỉ Quốc khánh năm %d được khai báo hai lần.", d.Year)
		}
		ndYears[d.Year] = true
	}
	off := map[plan.Date]bool{}
	for _, h := range a.DaysOff {
		if h.Date.IsZero() {
			return plan.Errorf(plan.EInvalid, "Ngày nghỉ %q thiếu ngày.", h.Name)
		}
		off[h.Date] = true
	}
	for _, d := range a.WorkingDays {
		if d.IsZero() {
			return plan.Errorf(plan.EInvalid, "Ngày làm bù thiếu ngày.")
		}
		if !isWeekend(d) {
			return plan.Errorf(plan.EInvalid, "Ngày làm bù %s không phải thứ Bảy hay Chủ nhật.", d.Vietnamese())
		}
		if off[d] {
			return plan.Errorf(plan.EInvalid, "Ngày %s vừa là ngày nghỉ vừa là ngày làm bù.", d.Vietnamese())
		}
	}
	return nil
}

func isWeekend(d plan.Date) bool {
	wd := d.Weekday()
	return wd == time.Saturday || wd == time.Sunday
}

// TetDay returns mùng 1 Tết, the first day of the lunar year that starts
// in Gregorian year y.
func TetDay(y int) plan.Date {
	d, _ := LunarToSolar(LunarDate{Year: y, Month: 1, Day: 1})
	return d
}

// HungKingsDay returns Giỗ Tổ Hùng Vương (10/3 lunar) of year y.
func HungKingsDay(y int) plan.Date {
	d, _ := LunarToSolar(LunarDate{Year: y, Month: 3, Day: 10})
	return d
}

// DefaultNationalDayExtra returns the day added to 2/9 when the government
// has not said (Adjustments.NationalDay): the one that joins the break to
// a weekend. It matches the announcements of 2021–2025: 3/9 when 2/9 is a
// Thursday, Sunday or Monday, otherwise 1/9 (a Wednesday 2/9 joins no
// weekend either way; 1/9 is chosen).
func DefaultNationalDayExtra(y int) plan.Date {
	switch plan.NewDate(y, time.September, 2).Weekday() {
	case time.Thursday, time.Sunday, time.Monday:
		return plan.NewDate(y, time.September, 3)
	}
	return plan.NewDate(y, time.September, 1)
}

// holiday is one public holiday while a year is being worked out.
type holiday struct {
	date plan.Date
	name string
	// announced days (a configured Tết span) already include their
	// compensation.
	announced bool
}

// publicHolidays returns the holidays of the Labor Code for year y, with
// adj's Tết span and Quốc khánh day applied, in date order.
func publicHolidays(y int, tet *Span, nationalDay plan.Date) []holiday {
	hs := []holiday{{date: plan.NewDate(y, time.January, 1), name: NameNewYear}}
	if tet != nil {
		for d := tet.From; !d.After(tet.To); d = d.AddDays(1) {
			hs = append(hs, holiday{date: d, name: NameTet, announced: true})
		}
	} else {
		n := 5
		if y < tetFiveDaysFrom {
			n = 4
		}
		// The last day of the old year (29 or 30 of month 12), then the
		// first days of the new one.
		first := TetDay(y).AddDays(-1)
		for i := range n {
			hs = append(hs, holiday{date: first.AddDays(i), name: NameTet})
		}
	}
	if y >= hungKingsFrom {
		hs = append(hs, holiday{date: HungKingsDay(y), name: NameHungKings})
	}
	hs = append(hs,
		holiday{date: plan.NewDate(y, time.April, 30), name: NameVictory},
		holiday{date: plan.NewDate(y, time.May, 1), name: NameLabour},
		holiday{date: plan.NewDate(y, time.September, 2), name: NameNationalDay},
	)
	if y >= nationalDayTwoDaysFrom {
		if nationalDay.IsZero() {
			nationalDay = DefaultNationalDayExtra(y)
		}
		hs = append(hs, holiday{date: nationalDay, name: NameNationalDay})
	}
	slices.SortStableFunc(hs, func(a, b holiday) int { return a.date.Compare(b.date) })
	return hs
}

// yearHolidays works out every non-working holiday of year y: the public
// holidays, a compensatory day on the next working day for each that
// falls on a weekend or on another holiday (Labor Code 2019, art. 112(3)),
// and the configured days off. The result is sorted by date, one entry a
// day.
func yearHolidays(y int, tet *Span, nationalDay plan.Date, daysOff []Holiday) []Holiday {
	names := map[plan.Date][]string{}
	add := func(d plan.Date, name string) {
		if !slices.Contains(names[d], name) {
			names[d] = append(names[d], name)
		}
	}
	public := publicHolidays(y, tet, nationalDay)
	for _, h := range public {
		add(h.date, h.name)
	}
	for _, h := range daysOff {
		if _, ok := names[h.Date]; ok {
			continue
		}
		name := h.Name
		if strings.TrimSpace(name) == "" {
			name = NameDayOff
		}
		add(h.Date, name)
	}
	// A day that is already a holiday absorbs the first holiday on it; any
	// further holiday on the same day, and any on a weekend, is made up.
	taken := map[plan.Date]bool{}
	for _, h := range public {
		if h.announced {
			continue
		}
		if !isWeekend(h.date) && !taken[h.date] {
			taken[h.date] = true
			continue
		}
		taken[h.date] = true
		d := h.date.AddDays(1)
		for isWeekend(d) || len(names[d]) > 0 {
			d = d.AddDays(1)
		}
		add(d, CompensationPrefix+h.name)
	}
	out := make([]Holiday, 0, len(names))
	for d, ns := range names {
		out = append(out, Holiday{Date: d, Name: strings.Join(ns, " và ")})
	}
	slices.SortFunc(out, func(a, b Holiday) int { return a.Date.Compare(b.Date) })
	return out
}

// String formats h as "30/4/2023 Ngày Chiến thắng 30/4".
func (h Holiday) String() string { return fmt.Sprintf("%s %s", h.Date.Vietnamese(), h.Name) }

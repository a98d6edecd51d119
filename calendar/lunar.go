package calendar

import (
	"fmt"
	"math"
	"time"

	"github.com/chanhlo/planbot/plan"
)

// timeZone is the offset from UTC, in hours, for which the Vietnamese
// lunar calendar is computed. China computes for UTC+8, which is why the
// two calendars disagree in some years (Tết 1985, Tết 2007).
const timeZone = 7.0

// synodicMonth is the mean length of a lunation, in days.
const synodicMonth = 29.530588853

// newMoon1900 is the Julian day (UT) of the new moon of 1 January 1900,
// the origin from which lunations are counted.
const newMoon1900 = 2415021.076998695

// LunarDate is a day of the Vietnamese lunar calendar (âm lịch). Year is
// the Gregorian number of the year in which the lunar year starts (Tết of
// lunar year 2023 falls on 22/1/2023); Leap marks the intercalary month
// (tháng nhuận) that repeats Month.
type LunarDate struct {
	Year  int
	Month int
	Day   int
	Leap  bool
}

// String formats l as officials write lunar dates: "10/3/2023 ÂL", or
// "10/3 nhuận/2023 ÂL" in a leap month.
func (l LunarDate) String() string {
	if l.Leap {
		return fmt.Sprintf("%d/%d nhuận/%d ÂL", l.Day, l.Month, l.Year)
	}
	return fmt.Sprintf("%d/%d/%d ÂL", l.Day, l.Month, l.Year)
}

// Vietnamese spells l out: "ngày 10 tháng 3 năm Quý Mão".
func (l LunarDate) Vietnamese() string {
	leap := ""
	if l.Leap {
		leap = " nhuận"
	}
	return fmt.Sprintf("ngày %d tháng %d%s năm %s", l.Day, l.Month, leap, YearName(l.Year))
}

var (
	stems    = [10]string{"Giáp", "Ất", "Bính", "Đinh", "Mậu", "Kỷ", "Canh", "Tân", "Nhâm", "Quý"}
	branches = [12]string{"Tý", "Sửu", "Dần", "Mão", "Thìn", "Tỵ", "Ngọ", "Mùi", "Thân", "Dậu", "Tuất", "Hợi"}
)

// YearName returns the sexagenary (can chi) name of lunar year y:
// 2023 is "Quý Mão", 2024 "Giáp Thìn".
func YearName(y int) string {
	return stems[mod(y+6, 10)] + " " + branches[mod(y+8, 12)]
}

func mod(a, n int) int {
	r := a % n
	if r < 0 {
		r += n
	}
	return r
}

// SolarToLunar converts a Gregorian date to the Vietnamese lunar calendar.
func SolarToLunar(d plan.Date) LunarDate {
	day := jdFromDate(d.Day, int(d.Month), d.Year)
	// The month starts on the last new moon day not after day. The mean
	// lunation k is a guess: the true new moon may be up to about 14 hours
	// off, so step back until it is not after day. (Hồ Ngọc Đức's code
	// steps back once, which is a month short on 7/5/2054.)
	k := floor((float64(day)-newMoon1900)/synodicMonth) + 1
	monthStart := newMoonDay(k)
	for monthStart > day {
		k--
		monthStart = newMoonDay(k)
	}
	a11 := lunarMonth11(d.Year)
	b11 := a11
	var year int
	if a11 >= monthStart {
		year = d.Year
		a11 = lunarMonth11(d.Year - 1)
	} else {
		year = d.Year + 1
		b11 = lunarMonth11(d.Year + 1)
	}
	l := LunarDate{Day: day - monthStart + 1}
	diff := (monthStart - a11) / 29
	l.Month = diff + 11
	if b11-a11 > 365 {
		leapDiff := leapMonthOffset(a11)
		if diff >= leapDiff {
			l.Month = diff + 10
			l.Leap = diff == leapDiff
		}
	}
	if l.Month > 12 {
		l.Month -= 12
	}
	if l.Month >= 11 && diff < 4 {
		year--
	}
	l.Year = year
	return l
}

// LunarToSolar converts a lunar date to the Gregorian calendar. It
// reports false when l does not exist: a leap flag on a month that is not
// repeated that year, day 30 of a 29-day month, a month outside 1–12.
func LunarToSolar(l LunarDate) (plan.Date, bool) {
	if l.Month < 1 || l.Month > 12 || l.Day < 1 || l.Day > 30 {
		return plan.Date{}, false
	}
	start, ok := lunarMonthStart(l.Year, l.Month, l.Leap)
	if !ok {
		return plan.Date{}, false
	}
	d := jdToDate(start + l.Day - 1)
	// Day 30 of a short month would spill into the next month.
	if SolarToLunar(d) != l {
		return plan.Date{}, false
	}
	return d, true
}

// lunarMonthStart returns the Julian day number of the first day of the
// given lunar month, and false if a leap month was asked for that does not
// exist.
func lunarMonthStart(year, month int, leap bool) (int, bool) {
	var a11, b11 int
	if month < 11 {
		a11 = lunarMonth11(year - 1)
		b11 = lunarMonth11(year)
	} else {
		a11 = lunarMonth11(year)
		b11 = lunarMonth11(year + 1)
	}
	off := month - 11
	if off < 0 {
		off += 12
	}
	if b11-a11 > 365 {
		leapOff := leapMonthOffset(a11)
		leapMonth := leapOff - 2
		if leapMonth < 0 {
			leapMonth += 12
		}
		if leap && month != leapMonth {
			return 0, false
		}
		if leap || off >= leapOff {
			off++
		}
	} else if leap {
		return 0, false
	}
	k := floor(0.5 + (float64(a11)-newMoon1900)/synodicMonth)
	return newMoonDay(k + off), true
}

// LeapMonth returns the month that is repeated in lunar year y, or 0 when
// the year has twelve months.
func LeapMonth(y int) int {
	for m := 1; m <= 12; m++ {
		if _, ok := lunarMonthStart(y, m, true); ok {
			return m
		}
	}
	return 0
}

// floor is Hồ Ngọc Đức's INT: the largest integer not greater than x.
func floor(x float64) int { return int(math.Floor(x)) }

// jdFromDate returns the Julian day number of a Gregorian date (Julian
// calendar before 15 October 1582).
func jdFromDate(dd, mm, yy int) int {
	a := floor(float64(14-mm) / 12)
	y := yy + 4800 - a
	m := mm + 12*a - 3
	jd := dd + floor(float64(153*m+2)/5) + 365*y + floor(float64(y)/4) - floor(float64(y)/100) + floor(float64(y)/400) - 32045
	if jd < 2299161 {
		jd = dd + floor(float64(153*m+2)/5) + 365*y + floor(float64(y)/4) - 32083
	}
	return jd
}

// jdToDate is the inverse of jdFromDate.
func jdToDate(jd int) plan.Date {
	var b, c int
	if jd > 2299160 {
		a := jd + 32044
		b = floor(float64(4*a+3) / 146097)
		c = a - floor(float64(b*146097)/4)
	} else {
		c = jd + 32082
	}
	d := floor(float64(4*c+3) / 1461)
	e := c - floor(float64(1461*d)/4)
	m := floor(float64(5*e+2) / 153)
	day := e - floor(float64(153*m+2)/5) + 1
	month := m + 3 - 12*floor(float64(m)/10)
	year := b*100 + d - 4800 + floor(float64(m)/10)
	return plan.Date{Year: year, Month: time.Month(month), Day: day}
}

// newMoon returns the Julian day (fractional, UT) of the k-th new moon
// after 1 January 1900 (Jean Meeus, Astronomical Algorithms, 1998, as
// simplified by Hồ Ngọc Đức).
func newMoon(k int) float64 {
	const dr = math.Pi / 180
	kf := float64(k)
	T := kf / 1236.85
	T2 := T * T
	T3 := T2 * T
	jd1 := 2415020.75933 + 29.53058868*kf + 0.0001178*T2 - 0.000000155*T3
	jd1 += 0.00033 * math.Sin((166.56+132.87*T-0.009173*T2)*dr)
	M := 359.2242 + 29.10535608*kf - 0.0000333*T2 - 0.00000347*T3    // Sun's mean anomaly
	Mpr := 306.0253 + 385.81691806*kf + 0.0107306*T2 + 0.00001236*T3 // Moon's mean anomaly
	F := 21.2964 + 390.67050646*kf - 0.0016528*T2 - 0.00000239*T3    // Moon's argument of latitude
	C1 := (0.1734-0.000393*T)*math.Sin(M*dr) + 0.0021*math.Sin(2*dr*M)
	C1 = C1 - 0.4068*math.Sin(Mpr*dr) + 0.0161*math.Sin(dr*2*Mpr)
	C1 = C1 - 0.0004*math.Sin(dr*3*Mpr)
	C1 = C1 + 0.0104*math.Sin(dr*2*F) - 0.0051*math.Sin(dr*(M+Mpr))
	C1 = C1 - 0.0074*math.Sin(dr*(M-Mpr)) + 0.0004*math.Sin(dr*(2*F+M))
	C1 = C1 - 0.0004*math.Sin(dr*(2*F-M)) - 0.0006*math.Sin(dr*(2*F+Mpr))
	C1 = C1 + 0.0010*math.Sin(dr*(2*F-Mpr)) + 0.0005*math.Sin(dr*(2*Mpr+M))
	var deltaT float64
	if T < -11 {
		deltaT = 0.001 + 0.000839*T + 0.0002261*T2 - 0.00000845*T3 - 0.000000081*T*T3
	} else {
		deltaT = -0.000278 + 0.000265*T + 0.000262*T2
	}
	return jd1 + C1 - deltaT
}

// sunLongitude returns the Sun's apparent longitude, in radians
// normalised to [0, 2π), at Julian day jdn (UT).
func sunLongitude(jdn float64) float64 {
	const dr = math.Pi / 180
	T := (jdn - 2451545.0) / 36525
	T2 := T * T
	M := 357.52910 + 35999.05030*T - 0.0001559*T2 - 0.00000048*T*T2 // mean anomaly
	L0 := 280.46645 + 36000.76983*T + 0.0003032*T2                  // mean longitude
	DL := (1.914600 - 0.004817*T - 0.000014*T2) * math.Sin(dr*M)
	DL += (0.019993-0.000101*T)*math.Sin(dr*2*M) + 0.000290*math.Sin(dr*3*M)
	L := (L0 + DL) * dr
	L -= 2 * math.Pi * math.Floor(L/(2*math.Pi))
	return L
}

// newMoonDay returns the Julian day number of the local day (UTC+7) on
// which the k-th new moon falls.
func newMoonDay(k int) int {
	return floor(newMoon(k) + 0.5 + timeZone/24)
}

// sunSector returns which of the twelve 30° sectors (0–11) the Sun is in
// at the start of the local day dayNumber; sector 9 begins at the winter
// solstice (270°).
func sunSector(dayNumber int) int {
	return floor(sunLongitude(float64(dayNumber)-0.5-timeZone/24) / math.Pi * 6)
}

// lunarMonth11 returns the Julian day number of the first day of lunar
// month 11 (the month containing the winter solstice) that begins in or
// before December of Gregorian year yy.
func lunarMonth11(yy int) int {
	off := float64(jdFromDate(31, 12, yy)) - 2415021
	k := floor(off / synodicMonth)
	nm := newMoonDay(k)
	if sunSector(nm) >= 9 {
		nm = newMoonDay(k - 1)
	}
	return nm
}

// leapMonthOffset returns the position, counted in months after the
// month 11 starting on a11, of the first month that contains no major
// solar term (trung khí): the leap month of a 13-month year.
func leapMonthOffset(a11 int) int {
	k := floor((float64(a11)-newMoon1900)/synodicMonth + 0.5)
	i := 1
	arc := sunSector(newMoonDay(k + i))
	for {
		last := arc
		i++
		arc = sunSector(newMoonDay(k + i))
		if arc == last || i >= 14 {
			break
		}
	}
	return i - 1
}

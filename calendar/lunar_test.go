package calendar

import (
	"testing"
	"time"

	"github.com/chanhlo/planbot/plan"
)

func date(y int, m time.Month, d int) plan.Date { return plan.Date{Year: y, Month: m, Day: d} }

func TestTetDay(t *testing.T) {
	tests := []struct {
		year int
		want plan.Date
		note string
	}{
		{1968, date(1968, 1, 29), "North Vietnam's first Tết on UTC+7; China 30/1/1968"},
		{1985, date(1985, 1, 21), "Vietnam; China 20/2/1985 (China repeated month 10 of 1984, Vietnam month 2 of 1985)"},
		{2007, date(2007, 2, 17), "Vietnam; China 18/2/2007"},
		{2019, date(2019, 2, 5), ""},
		{2020, date(2020, 1, 25), ""},
		{2021, date(2021, 2, 12), ""},
		{2022, date(2022, 2, 1), ""},
		{2023, date(2023, 1, 22), ""},
		{2024, date(2024, 2, 10), ""},
		{2025, date(2025, 1, 29), ""},
		{2026, date(2026, 2, 17), ""},
		{2030, date(2030, 2, 2), "new moon 16:07 UT: 23:07 in Hà Nội, 00:07 next day in Beijing"},
	}
	for _, tt := range tests {
		if got := TetDay(tt.year); got != tt.want {
			t.Errorf("TetDay(%d) = %v, want %v (%s)", tt.year, got, tt.want, tt.note)
		}
		if got := SolarToLunar(tt.want); got != (LunarDate{Year: tt.year, Month: 1, Day: 1}) {
			t.Errorf("SolarToLunar(%v) = %v, want 1/1/%d", tt.want, got, tt.year)
		}
	}
}

func TestHungKingsDay(t *testing.T) {
	tests := []struct {
		year int
		want plan.Date
	}{
		{2007, date(2007, 4, 26)},
		{2023, date(2023, 4, 29)}, // 2023 repeats month 2, not 3
		{2024, date(2024, 4, 18)},
		{2025, date(2025, 4, 7)},
	}
	for _, tt := range tests {
		if got := HungKingsDay(tt.year); got != tt.want {
			t.Errorf("HungKingsDay(%d) = %v, want %v", tt.year, got, tt.want)
		}
	}
}

func TestSolarToLunar(t *testing.T) {
	tests := []struct {
		solar plan.Date
		want  LunarDate
	}{
		{date(2023, 1, 20), LunarDate{2022, 12, 29, false}}, // "20/01/2023 (tức 29 tháng Chạp năm Nhâm Dần)"
		{date(2023, 1, 21), LunarDate{2022, 12, 30, false}},
		{date(2023, 2, 20), LunarDate{2023, 2, 1, false}},
		{date(2023, 3, 22), LunarDate{2023, 2, 1, true}}, // tháng 2 nhuận Quý Mão
		{date(2023, 9, 29), LunarDate{2023, 8, 15, false}},
		{date(2024, 2, 8), LunarDate{2023, 12, 29, false}}, // "08/02/2024 (tức 29 tháng Chạp)"
		{date(2024, 9, 17), LunarDate{2024, 8, 15, false}}, // Tết Trung thu 2024
		{date(2025, 1, 28), LunarDate{2024, 12, 29, false}},
		{date(2025, 6, 25), LunarDate{2025, 6, 1, false}},
		{date(2025, 7, 25), LunarDate{2025, 6, 1, true}},  // tháng 6 nhuận Ất Tỵ
		{date(2025, 9, 6), LunarDate{2025, 7, 15, false}}, // Vu Lan 2025
		{date(2054, 5, 7), LunarDate{2054, 3, 30, false}}, // the reference code gives day 0 here
		{date(2000, 1, 1), LunarDate{1999, 11, 25, false}},
	}
	for _, tt := range tests {
		if got := SolarToLunar(tt.solar); got != tt.want {
			t.Errorf("SolarToLunar(%v) = %v, want %v", tt.solar, got, tt.want)
		}
		got, ok := LunarToSolar(tt.want)
		if !ok || got != tt.solar {
			t.Errorf("LunarToSolar(%v) = %v, %v, want %v", tt.want, got, ok, tt.solar)
		}
	}
}

func TestLeapMonth(t *testing.T) {
	tests := map[int]int{
		1984: 0, 1985: 2, 2012: 4, 2014: 9, 2015: 0, 2017: 6, 2020: 4,
		2023: 2, 2024: 0, 2025: 6, 2028: 5, 2033: 11,
	}
	for y, want := range tests {
		if got := LeapMonth(y); got != want {
			t.Errorf("LeapMonth(%d) = %d, want %d", y, got, want)
		}
	}
}

func TestLunarToSolarInvalid(t *testing.T) {
	tests := []LunarDate{
		{2024, 2, 1, true},    // 2024 has no leap month
		{2023, 3, 1, true},    // 2023 repeats month 2, not 3
		{2025, 12, 30, false}, // month 12 of Ất Tỵ has 29 days… checked below
		{2023, 0, 1, false},
		{2023, 13, 1, false},
		{2023, 1, 0, false},
		{2023, 1, 31, false},
	}
	for _, l := range tests {
		if l.Month == 12 && l.Day == 30 {
			// Pick a month that really has 29 days.
			next, _ := LunarToSolar(LunarDate{Year: l.Year, Month: 12, Day: 29})
			if SolarToLunar(next.AddDays(1)).Day != 1 {
				t.Fatalf("month 12/%d unexpectedly has 30 days; fix the test", l.Year)
			}
		}
		if d, ok := LunarToSolar(l); ok {
			t.Errorf("LunarToSolar(%v) = %v, true; want false", l, d)
		}
	}
}

// TestLunarRoundTrip walks every day of 1900–2100 and checks that the
// lunar calendar is consistent: conversions invert each other, days count
// up by one, months have 29 or 30 days, years have 12 or 13 months with
// at most one leap month, and each new year starts between 21/1 and 20/2.
func TestLunarRoundTrip(t *testing.T) {
	start, end := date(1900, 1, 31), date(2100, 12, 31) // 31/1/1900 is Tết Canh Tý
	prev := SolarToLunar(start)
	if prev != (LunarDate{1900, 1, 1, false}) {
		t.Fatalf("SolarToLunar(%v) = %v, want 1/1/1900", start, prev)
	}
	monthLen, months := 1, 1
	for d := start.AddDays(1); !d.After(end); d = d.AddDays(1) {
		l := SolarToLunar(d)
		if back, ok := LunarToSolar(l); !ok || back != d {
			t.Fatalf("LunarToSolar(SolarToLunar(%v) = %v) = %v, %v", d, l, back, ok)
		}
		if l.Day != 1 {
			if want := (LunarDate{prev.Year, prev.Month, prev.Day + 1, prev.Leap}); l != want {
				t.Fatalf("%v: %v follows %v", d, l, prev)
			}
			monthLen++
			prev = l
			continue
		}
		if monthLen != 29 && monthLen != 30 {
			t.Fatalf("%v: month before %v has %d days", d, l, monthLen)
		}
		monthLen = 1
		switch {
		case l.Leap:
			if l.Month != prev.Month || prev.Leap || l.Year != prev.Year {
				t.Fatalf("%v: leap month %v follows %v", d, l, prev)
			}
			months++
		case l.Month == 1:
			if prev.Month != 12 || l.Year != prev.Year+1 {
				t.Fatalf("%v: new year %v follows %v", d, l, prev)
			}
			if months != 12 && months != 13 {
				t.Fatalf("lunar year %d has %d months", prev.Year, months)
			}
			if d.Before(date(d.Year, 1, 21)) || d.After(date(d.Year, 2, 20)) {
				t.Fatalf("Tết %d on %v", l.Year, d)
			}
			months = 1
		default:
			if l.Month != prev.Month+1 || l.Year != prev.Year {
				t.Fatalf("%v: month %v follows %v", d, l, prev)
			}
			months++
		}
		prev = l
	}
}

func TestYearName(t *testing.T) {
	tests := map[int]string{1968: "Mậu Thân", 1985: "Ất Sửu", 2007: "Đinh Hợi", 2023: "Quý Mão", 2024: "Giáp Thìn", 2025: "Ất Tỵ", 2026: "Bính Ngọ"}
	for y, want := range tests {
		if got := YearName(y); got != want {
			t.Errorf("YearName(%d) = %q, want %q", y, got, want)
		}
	}
	if got, want := (LunarDate{2023, 2, 10, true}).Vietnamese(), "ngày 10 tháng 2 nhuận năm Quý Mão"; got != want {
		t.Errorf("Vietnamese() = %q, want %q", got, want)
	}
	if got, want := (LunarDate{2023, 3, 10, false}).String(), "10/3/2023 ÂL"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

func FuzzLunarToSolar(f *testing.F) {
	f.Add(2023, 2, 1, true)
	f.Add(2024, 12, 30, false)
	f.Add(1985, 1, 1, false)
	f.Add(2033, 11, 15, true)
	f.Fuzz(func(t *testing.T, year, month, day int, leap bool) {
		if year < 1800 || year > 2200 {
			return
		}
		l := LunarDate{Year: year, Month: month, Day: day, Leap: leap}
		d, ok := LunarToSolar(l)
		if !ok {
			return
		}
		if got := SolarToLunar(d); got != l {
			t.Fatalf("SolarToLunar(LunarToSolar(%v) = %v) = %v", l, d, got)
		}
	})
}

func FuzzSolarToLunar(f *testing.F) {
	f.Add(0)
	f.Add(20000)
	f.Add(-40000)
	f.Fuzz(func(t *testing.T, offset int) {
		if offset < -80000 || offset > 80000 {
			return
		}
		d := date(2000, 1, 1).AddDays(offset)
		l := SolarToLunar(d)
		if back, ok := LunarToSolar(l); !ok || back != d {
			t.Fatalf("LunarToSolar(SolarToLunar(%v) = %v) = %v, %v", d, l, back, ok)
		}
	})
}

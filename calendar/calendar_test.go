package calendar

import (
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/chanhlo/planbot/plan"
)

func TestIsWorkingDay(t *testing.T) {
	def := New(Adjustments{})
	official := New(loadAdjustments(t, officialAdjustments))
	tests := []struct {
		date          string
		def, official bool
	}{
		{"28/4/2023", true, true},    // Friday
		{"29/4/2023", false, false},  // Saturday, Giỗ Tổ
		{"2/5/2023", false, false},   // compensation
		{"4/5/2023", true, true},     // Thursday
		{"20/1/2023", true, false},   // 29 tháng Chạp: off by announcement only
		{"27/1/2023", false, true},   // the default's second compensation day
		{"29/4/2024", true, false},   // swapped
		{"4/5/2024", false, true},    // Saturday worked
		{"5/5/2024", false, false},   // Sunday
		{"3/2/2025", false, true},    // default compensation, worked in fact
		{"8/2/2025", false, true},    // Saturday worked
		{"17/2/2026", false, false},  // Tết Bính Ngọ
		{"15/10/2025", true, true},   // ordinary Wednesday
		{"18/10/2025", false, false}, // ordinary Saturday
	}
	for _, tt := range tests {
		d := vnDate(t, tt.date)
		if got := def.IsWorkingDay(d); got != tt.def {
			t.Errorf("default IsWorkingDay(%s) = %v, want %v", tt.date, got, tt.def)
		}
		if got := official.IsWorkingDay(d); got != tt.official {
			t.Errorf("official IsWorkingDay(%s) = %v, want %v", tt.date, got, tt.official)
		}
	}
}

func TestHolidayName(t *testing.T) {
	c := New(Adjustments{})
	if name, ok := c.HolidayName(plan.NewDate(2023, 4, 30)); !ok || name != NameVictory {
		t.Errorf("HolidayName(30/4/2023) = %q, %v", name, ok)
	}
	if name, ok := c.HolidayName(plan.NewDate(2023, 5, 3)); !ok || name != "Nghỉ bù Ngày Chiến thắng 30/4" {
		t.Errorf("HolidayName(3/5/2023) = %q, %v", name, ok)
	}
	if name, ok := c.HolidayName(plan.NewDate(2023, 5, 6)); ok {
		t.Errorf("HolidayName(6/5/2023, a plain Saturday) = %q, true", name)
	}
}

func TestNextPrevWorkingDay(t *testing.T) {
	c := New(Adjustments{})
	tests := []struct {
		d, prev, next string
	}{
		{"30/4/2023", "28/4/2023", "4/5/2023"}, // due on a Sunday holiday
		{"28/4/2023", "27/4/2023", "4/5/2023"},
		{"1/1/2024", "29/12/2023", "2/1/2024"},
		{"10/2/2024", "8/2/2024", "16/2/2024"},
		{"2/9/2024", "30/8/2024", "4/9/2024"},
		{"4/1/2027", "31/12/2026", "5/1/2027"},
	}
	for _, tt := range tests {
		d := vnDate(t, tt.d)
		if got := c.PrevWorkingDay(d); got != vnDate(t, tt.prev) {
			t.Errorf("PrevWorkingDay(%s) = %s, want %s", tt.d, got.Vietnamese(), tt.prev)
		}
		if got := c.NextWorkingDay(d); got != vnDate(t, tt.next) {
			t.Errorf("NextWorkingDay(%s) = %s, want %s", tt.d, got.Vietnamese(), tt.next)
		}
	}
}

func TestAddWorkingDays(t *testing.T) {
	c := New(Adjustments{})
	tests := []struct {
		d    string
		n    int
		want string
	}{
		{"5/5/2023", -2, "28/4/2023"}, // 2 working days before Friday 5/5/2023
		{"5/5/2023", -3, "27/4/2023"},
		{"30/4/2023", -1, "28/4/2023"},
		{"28/4/2023", 1, "4/5/2023"},
		{"28/4/2023", 3, "8/5/2023"},
		{"30/4/2023", 0, "30/4/2023"},
		{"20/1/2023", 1, "30/1/2023"},
		{"30/1/2023", -1, "20/1/2023"},
	}
	for _, tt := range tests {
		if got := c.AddWorkingDays(vnDate(t, tt.d), tt.n); got != vnDate(t, tt.want) {
			t.Errorf("AddWorkingDays(%s, %d) = %s, want %s", tt.d, tt.n, got.Vietnamese(), tt.want)
		}
	}
}

func TestWorkingDaysBetween(t *testing.T) {
	c := New(Adjustments{})
	tests := []struct {
		a, b string
		want int
	}{
		{"28/4/2023", "4/5/2023", 1},
		{"4/5/2023", "28/4/2023", -1},
		{"1/6/2023", "30/6/2023", 21}, // 22 working days in June 2023, 1/6 excluded
		{"3/6/2023", "3/6/2023", 0},
		{"31/12/2022", "31/12/2023", 249}, // 260 weekdays, 11 of them off
	}
	for _, tt := range tests {
		if got := c.WorkingDaysBetween(vnDate(t, tt.a), vnDate(t, tt.b)); got != tt.want {
			t.Errorf("WorkingDaysBetween(%s, %s) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

// TestAddWorkingDaysProperty checks AddWorkingDays against
// WorkingDaysBetween and IsWorkingDay on random dates and counts.
func TestAddWorkingDaysProperty(t *testing.T) {
	c := New(loadAdjustments(t, officialAdjustments))
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		d := plan.NewDate(2022, 1, 1).AddDays(r.IntN(5 * 365))
		n := r.IntN(61) - 30
		got := c.AddWorkingDays(d, n)
		if between := c.WorkingDaysBetween(d, got); between != n {
			t.Fatalf("WorkingDaysBetween(%v, AddWorkingDays(%v, %d) = %v) = %d", d, d, n, got, between)
		}
		if n != 0 && !c.IsWorkingDay(got) {
			t.Fatalf("AddWorkingDays(%v, %d) = %v, not a working day", d, n, got)
		}
	}
}

func TestConcurrent(t *testing.T) {
	c := New(Adjustments{})
	var wg sync.WaitGroup
	results := make([][]Holiday, 8)
	for i := range results {
		wg.Go(func() {
			for y := 2020; y < 2030; y++ {
				c.IsWorkingDay(plan.NewDate(y, 5, 1))
			}
			results[i] = c.Holidays(2025)
		})
	}
	wg.Wait()
	for i, r := range results {
		if len(r) != len(results[0]) || len(r) == 0 {
			t.Fatalf("goroutine %d got %d holidays, goroutine 0 %d", i, len(r), len(results[0]))
		}
	}
	// Holidays returns a copy: changing it does not change the calendar.
	results[0][0].Name = "x"
	if c.Holidays(2025)[0].Name != NameNewYear {
		t.Error("Holidays returned the cached slice")
	}
}

// TestIsWorkingDayByDefinition: the per-year bitmap IsWorkingDay reads
// says what the definition says on every day of 2019–2031, with the
// default and the official adjustments: an announced working day works,
// otherwise a weekend or a holiday does not. Dates not normalised (31/4)
// are read as the day they normalise to.
func TestIsWorkingDayByDefinition(t *testing.T) {
	for name, c := range map[string]*Calendar{
		"default":  New(Adjustments{}),
		"official": New(loadAdjustments(t, officialAdjustments)),
	} {
		for d := plan.NewDate(2019, time.January, 1); d.Year < 2032; d = d.AddDays(1) {
			_, holiday := c.HolidayName(d)
			wd := d.In(time.UTC).Weekday()
			want := c.working[d] || (!holiday && wd != time.Saturday && wd != time.Sunday)
			if got := c.IsWorkingDay(d); got != want {
				t.Fatalf("%s: IsWorkingDay(%s) = %v, want %v", name, d, got, want)
			}
		}
		for _, d := range []plan.Date{{Year: 2023, Month: 4, Day: 31}, {Year: 2023, Month: 13, Day: 1}, {Year: 2023, Month: 5, Day: 0}} {
			if got, want := c.IsWorkingDay(d), c.IsWorkingDay(plan.NewDate(d.Year, d.Month, d.Day)); got != want {
				t.Errorf("%s: IsWorkingDay(%#v) = %v, normalised %v", name, d, got, want)
			}
		}
	}
}

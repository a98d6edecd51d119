package calendar

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/chanhlo/planbot/plan"
)

// h builds a Holiday from "d/m/yyyy".
func h(t *testing.T, vn, name string) Holiday {
	t.Helper()
	return Holiday{Date: vnDate(t, vn), Name: name}
}

// vnDate parses "d/m/yyyy".
func vnDate(t *testing.T, s string) plan.Date {
	t.Helper()
	var day, month, year int
	if _, err := fmt.Sscanf(s, "%d/%d/%d", &day, &month, &year); err != nil {
		t.Fatalf("bad test date %q: %v", s, err)
	}
	d := plan.NewDate(year, time.Month(month), day)
	if d.Vietnamese() != s {
		t.Fatalf("bad test date %q", s)
	}
	return d
}

// Official announcements used below (Bộ LĐ-TB-XH, for civil servants):
//
//	2023: Tết Dương lịch 31/12/2022–2/1/2023; Tết 20/1–26/1; 29/4–3/5;
//	      1/9–4/9.
//	2024: Tết 8/2–14/2; 27/4–1/5 with 29/4 off in exchange for Saturday
//	      4/5 worked; 31/8–3/9.
//	2025: Tết 25/1–2/2 with 27/1 off in exchange for Saturday 8/2 worked;
//	      30/4–4/5 with 2/5 off in exchange for Saturday 26/4 worked;
//	      30/8–2/9.
//
// The Labor Code rule (the default) gets the Tết break one day late in
// 2023 and 2024, and misses the swapped days; the adjustments in
// officialAdjustments make the calendar match the announcements.
func TestHolidaysDefault(t *testing.T) {
	c := New(Adjustments{})
	tests := []struct {
		year int
		want []Holiday
	}{
		{2007, []Holiday{ // Labor Code 1994 as amended in 2007: Tết 4 days, Quốc khánh 1 day
			h(t, "1/1/2007", NameNewYear),
			h(t, "16/2/2007", NameTet), // 30 tháng Chạp Bính Tuất
			h(t, "17/2/2007", NameTet), // Saturday, mùng 1
			h(t, "18/2/2007", NameTet),
			h(t, "19/2/2007", NameTet),
			h(t, "20/2/2007", "Nghỉ bù Tết Nguyên Đán"),
			h(t, "21/2/2007", "Nghỉ bù Tết Nguyên Đán"),
			h(t, "26/4/2007", NameHungKings), // the first Giỗ Tổ holiday
			h(t, "30/4/2007", NameVictory),
			h(t, "1/5/2007", NameLabour),
			h(t, "2/9/2007", NameNationalDay), // Sunday
			h(t, "3/9/2007", "Nghỉ bù Quốc khánh"),
		}},
		{2023, []Holiday{
			h(t, "1/1/2023", NameNewYear), // Sunday
			h(t, "2/1/2023", "Nghỉ bù Tết Dương lịch"),
			h(t, "21/1/2023", NameTet), // 30 tháng Chạp, Saturday
			h(t, "22/1/2023", NameTet),
			h(t, "23/1/2023", NameTet),
			h(t, "24/1/2023", NameTet),
			h(t, "25/1/2023", NameTet),
			h(t, "26/1/2023", "Nghỉ bù Tết Nguyên Đán"),
			h(t, "27/1/2023", "Nghỉ bù Tết Nguyên Đán"),
			h(t, "29/4/2023", NameHungKings), // Saturday
			h(t, "30/4/2023", NameVictory),   // Sunday
			h(t, "1/5/2023", NameLabour),
			h(t, "2/5/2023", "Nghỉ bù Giỗ Tổ Hùng Vương"),
			h(t, "3/5/2023", "Nghỉ bù Ngày Chiến thắng 30/4"),
			h(t, "1/9/2023", NameNationalDay),
			h(t, "2/9/2023", NameNationalDay), // Saturday
			h(t, "4/9/2023", "Nghỉ bù Quốc khánh"),
		}},
		{2024, []Holiday{
			h(t, "1/1/2024", NameNewYear),
			h(t, "9/2/2024", NameTet), // 30 tháng Chạp
			h(t, "10/2/2024", NameTet),
			h(t, "11/2/2024", NameTet),
			h(t, "12/2/2024", NameTet),
			h(t, "13/2/2024", NameTet),
			h(t, "14/2/2024", "Nghỉ bù Tết Nguyên Đán"),
			h(t, "15/2/2024", "Nghỉ bù Tết Nguyên Đán"),
			h(t, "18/4/2024", NameHungKings),
			h(t, "30/4/2024", NameVictory),
			h(t, "1/5/2024", NameLabour),
			h(t, "2/9/2024", NameNationalDay), // Monday
			h(t, "3/9/2024", NameNationalDay),
		}},
		{2025, []Holiday{
			h(t, "1/1/2025", NameNewYear),
			h(t, "28/1/2025", NameTet), // 29 tháng Chạp, the last day
			h(t, "29/1/2025", NameTet),
			h(t, "30/1/2025", NameTet),
			h(t, "31/1/2025", NameTet),
			h(t, "1/2/2025", NameTet), // Saturday
			h(t, "3/2/2025", "Nghỉ bù Tết Nguyên Đán"),
			h(t, "7/4/2025", NameHungKings),
			h(t, "30/4/2025", NameVictory),
			h(t, "1/5/2025", NameLabour),
			h(t, "1/9/2025", NameNationalDay),
			h(t, "2/9/2025", NameNationalDay), // Tuesday
		}},
	}
	for _, tt := range tests {
		assertHolidays(t, tt.year, c.Holidays(tt.year), tt.want)
	}
}

// officialAdjustments are the announcements of 2023–2025 written as the
// config file would.
const officialAdjustments = `
tet:
  - {from: 2023-01-20, to: 2023-01-26}
  - {from: 2024-02-08, to: 2024-02-14}
  - {from: 2025-01-25, to: 2025-02-02}
national_day: [2024-09-03]
days_off:
  - {date: 2024-04-29, name: Nghỉ hoán đổi}
  - {date: 2025-05-02, name: Nghỉ hoán đổi}
working_days: [2024-05-04, 2025-02-08, 2025-04-26]
`

func loadAdjustments(t *testing.T, src string) Adjustments {
	t.Helper()
	var adj Adjustments
	if err := yaml.Unmarshal([]byte(src), &adj); err != nil {
		t.Fatalf("yaml: %v", err)
	}
	if err := adj.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	return adj
}

func TestHolidaysOfficial(t *testing.T) {
	c := New(loadAdjustments(t, officialAdjustments))
	tet := func(from, to string) []Holiday {
		var hs []Holiday
		for d := vnDate(t, from); !d.After(vnDate(t, to)); d = d.AddDays(1) {
			hs = append(hs, Holiday{d, NameTet})
		}
		return hs
	}
	want2023 := slices.Concat([]Holiday{
		h(t, "1/1/2023", NameNewYear),
		h(t, "2/1/2023", "Nghỉ bù Tết Dương lịch"),
	}, tet("20/1/2023", "26/1/2023"), []Holiday{
		h(t, "29/4/2023", NameHungKings),
		h(t, "30/4/2023", NameVictory),
		h(t, "1/5/2023", NameLabour),
		h(t, "2/5/2023", "Nghỉ bù Giỗ Tổ Hùng Vương"),
		h(t, "3/5/2023", "Nghỉ bù Ngày Chiến thắng 30/4"),
		h(t, "1/9/2023", NameNationalDay),
		h(t, "2/9/2023", NameNationalDay),
		h(t, "4/9/2023", "Nghỉ bù Quốc khánh"),
	})
	assertHolidays(t, 2023, c.Holidays(2023), want2023)

	want2024 := slices.Concat([]Holiday{
		h(t, "1/1/2024", NameNewYear),
	}, tet("8/2/2024", "14/2/2024"), []Holiday{
		h(t, "18/4/2024", NameHungKings),
		h(t, "29/4/2024", "Nghỉ hoán đổi"),
		h(t, "30/4/2024", NameVictory),
		h(t, "1/5/2024", NameLabour),
		h(t, "2/9/2024", NameNationalDay),
		h(t, "3/9/2024", NameNationalDay),
	})
	assertHolidays(t, 2024, c.Holidays(2024), want2024)

	want2025 := slices.Concat([]Holiday{
		h(t, "1/1/2025", NameNewYear),
	}, tet("25/1/2025", "2/2/2025"), []Holiday{
		h(t, "7/4/2025", NameHungKings),
		h(t, "30/4/2025", NameVictory),
		h(t, "1/5/2025", NameLabour),
		h(t, "2/5/2025", "Nghỉ hoán đổi"),
		h(t, "1/9/2025", NameNationalDay),
		h(t, "2/9/2025", NameNationalDay),
	})
	assertHolidays(t, 2025, c.Holidays(2025), want2025)

	// The announced breaks, day by day, as working (true) or not.
	weeks := []struct {
		from string
		want string // one letter a day: W working, - off
	}{
		{"30/12/2022", "W---W"},            // Fri 30/12 … Tue 3/1
		{"19/1/2023", "W-------W"},         // Thu 19/1 … Fri 27/1
		{"28/4/2023", "W-----W"},           // Fri 28/4 … Thu 4/5
		{"7/2/2024", "W-------W"},          // Wed 7/2 … Thu 15/2
		{"26/4/2024", "W-----WWW-"},        // Fri 26/4 … Sat 4/5 worked, Sun 5/5
		{"24/1/2025", "W---------WWWWWW-"}, // Fri 24/1 … Sat 8/2 worked, Sun 9/2
		{"25/4/2025", "WW-WW-----W"},       // Fri 25/4, Sat 26/4 worked … Mon 5/5
		{"29/8/2025", "W----W"},            // Fri 29/8 … Wed 3/9
	}
	for _, w := range weeks {
		d := vnDate(t, w.from)
		var got strings.Builder
		for range len(w.want) {
			if c.IsWorkingDay(d) {
				got.WriteByte('W')
			} else {
				got.WriteByte('-')
			}
			d = d.AddDays(1)
		}
		if got.String() != w.want {
			t.Errorf("from %s: working days %s, want %s", w.from, got.String(), w.want)
		}
	}
}

func assertHolidays(t *testing.T, year int, got, want []Holiday) {
	t.Helper()
	if slices.Equal(got, want) {
		return
	}
	t.Errorf("Holidays(%d) differ:", year)
	for i := range max(len(got), len(want)) {
		var g, w Holiday
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		mark := "  "
		if g != w {
			mark = "!="
		}
		t.Errorf("  %-40s %s %s", g, mark, w)
	}
}

func TestHolidaysJSON(t *testing.T) {
	c := New(Adjustments{})
	b, err := json.Marshal(c.Holidays(2024)[:2])
	if err != nil {
		t.Fatal(err)
	}
	want := `[{"date":"2024-01-01","name":"Tết Dương lịch"},{"date":"2024-02-09","name":"Tết Nguyên Đán"}]`
	if string(b) != want {
		t.Errorf("json = %s\nwant   %s", b, want)
	}
}

func TestHolidaysCompensationSkipsDaysOff(t *testing.T) {
	// 1/1/2028 is a Saturday; a configured day off on Monday 3/1 pushes
	// the compensation to Tuesday.
	c := New(Adjustments{DaysOff: []Holiday{{Date: plan.NewDate(2028, 1, 3)}}})
	got := c.Holidays(2028)[:3]
	want := []Holiday{
		h(t, "1/1/2028", NameNewYear),
		h(t, "3/1/2028", NameDayOff),
		h(t, "4/1/2028", "Nghỉ bù Tết Dương lịch"),
	}
	assertHolidays(t, 2028, got, want)
}

func TestHolidaysSameDay(t *testing.T) {
	// A configured day off on a public holiday keeps the holiday's name.
	hs := yearHolidays(2026, nil, plan.Date{}, []Holiday{{Date: plan.NewDate(2026, 4, 30), Name: "x"}})
	if i := slices.IndexFunc(hs, func(h Holiday) bool { return h.Date == plan.NewDate(2026, 4, 30) }); i < 0 || hs[i].Name != NameVictory {
		t.Errorf("30/4/2026 in %v", hs)
	}
	// Two public holidays on one weekday (Quốc khánh's extra day forced
	// onto 2/9, a Wednesday): one name, one day of compensation.
	got := yearHolidays(2026, nil, plan.NewDate(2026, 9, 2), nil)
	want := []Holiday{
		h(t, "2/9/2026", NameNationalDay),
		h(t, "3/9/2026", "Nghỉ bù Quốc khánh"),
	}
	assertHolidays(t, 2026, got[len(got)-2:], want)
}

func TestDefaultNationalDayExtra(t *testing.T) {
	// The government's choices 2021–2025.
	tests := map[int]string{2021: "3/9/2021", 2022: "1/9/2022", 2023: "1/9/2023", 2024: "3/9/2024", 2025: "1/9/2025"}
	for y, want := range tests {
		if got := DefaultNationalDayExtra(y); got != vnDate(t, want) {
			t.Errorf("DefaultNationalDayExtra(%d) = %v, want %s", y, got, want)
		}
	}
}

func TestHolidayLaw(t *testing.T) {
	c := New(Adjustments{})
	count := func(y int, name string) int {
		n := 0
		for _, h := range c.Holidays(y) {
			if h.Name == name {
				n++
			}
		}
		return n
	}
	tests := []struct {
		year             int
		tet, hung, natio int
	}{
		{2006, 4, 0, 1},
		{2013, 4, 1, 1},
		{2014, 5, 1, 1},
		{2020, 5, 1, 1},
		{2021, 5, 1, 2},
		{2040, 5, 1, 2},
	}
	for _, tt := range tests {
		if got := count(tt.year, NameTet); got != tt.tet {
			t.Errorf("%d: %d days of Tết, want %d", tt.year, got, tt.tet)
		}
		if got := count(tt.year, NameHungKings); got != tt.hung {
			t.Errorf("%d: %d days of Giỗ Tổ, want %d", tt.year, got, tt.hung)
		}
		if got := count(tt.year, NameNationalDay); got != tt.natio {
			t.Errorf("%d: %d days of Quốc khánh, want %d", tt.year, got, tt.natio)
		}
	}
}

func TestAdjustmentsValidate(t *testing.T) {
	d := plan.NewDate
	tests := []struct {
		name string
		adj  Adjustments
		ok   bool
	}{
		{"empty", Adjustments{}, true},
		{"tet ok", Adjustments{Tet: []Span{{d(2026, 2, 14), d(2026, 2, 22)}}}, true},
		{"tet reversed", Adjustments{Tet: []Span{{d(2026, 2, 22), d(2026, 2, 14)}}}, false},
		{"tet too long", Adjustments{Tet: []Span{{d(2026, 2, 1), d(2026, 2, 28)}}}, false},
		{"tet misses mùng 1", Adjustments{Tet: []Span{{d(2026, 2, 10), d(2026, 2, 16)}}}, false},
		{"tet twice", Adjustments{Tet: []Span{{d(2026, 2, 14), d(2026, 2, 22)}, {d(2026, 2, 15), d(2026, 2, 22)}}}, false},
		{"tet no end", Adjustments{Tet: []Span{{From: d(2026, 2, 14)}}}, false},
		{"national day 3/9", Adjustments{NationalDay: []plan.Date{d(2026, 9, 3)}}, true},
		{"national day 4/9", Adjustments{NationalDay: []plan.Date{d(2026, 9, 4)}}, false},
		{"national day twice", Adjustments{NationalDay: []plan.Date{d(2026, 9, 3), d(2026, 9, 1)}}, false},
		{"day off without date", Adjustments{DaysOff: []Holiday{{Name: "x"}}}, false},
		{"working saturday", Adjustments{WorkingDays: []plan.Date{d(2024, 5, 4)}}, true},
		{"working weekday", Adjustments{WorkingDays: []plan.Date{d(2024, 5, 3)}}, false},
		{"working and off", Adjustments{WorkingDays: []plan.Date{d(2024, 5, 4)}, DaysOff: []Holiday{{Date: d(2024, 5, 4)}}}, false},
	}
	for _, tt := range tests {
		err := tt.adj.Validate()
		if (err == nil) != tt.ok {
			t.Errorf("%s: Validate() = %v, want ok %v", tt.name, err, tt.ok)
		}
		var perr *plan.Error
		if err != nil && (!errors.As(err, &perr) || perr.Code != plan.EInvalid || perr.Message == "") {
			t.Errorf("%s: error %v is not a plan.Error EInvalid", tt.name, err)
		}
	}
}

func BenchmarkHolidays(b *testing.B) {
	b.Run("uncached", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			New(Adjustments{}).Holidays(2000 + i%100)
		}
	})
	b.Run("cached", func(b *testing.B) {
		c := New(Adjustments{})
		for i := 0; b.Loop(); i++ {
			c.Holidays(2000 + i%100)
		}
	})
}

package calendar

import (
	"encoding/json"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/chanhlo/planbot/plan"
)

func TestParseTimeOfDay(t *testing.T) {
	tests := []struct {
		in   string
		want TimeOfDay
		ok   bool
	}{
		{"07:30", TimeOf(7, 30), true},
		{"7:30", TimeOf(7, 30), true},
		{" 17:00 ", TimeOf(17, 0), true},
		{"7h30", TimeOf(7, 30), true},
		{"7H", TimeOf(7, 0), true},
		{"17g00", TimeOf(17, 0), true},
		{"17 giờ 30", TimeOf(17, 30), true},
		{"8 giờ 05 phút", TimeOf(8, 5), true},
		{"00:00", 0, true},
		{"23:59", TimeOf(23, 59), true},
		{"24:00", 0, false},
		{"25:00", 0, false},
		{"7:60", 0, false},
		{"7:5", 0, false},
		{"7", 0, false},
		{"", 0, false},
		{":30", 0, false},
		{"-1:30", 0, false},
		{"+7:30", 0, false},
		{"007:30", 0, false},
		{"7:30:00", 0, false},
		{"bảy giờ", 0, false},
	}
	for _, tt := range tests {
		got, err := ParseTimeOfDay(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseTimeOfDay(%q) = %v, %v; want %v, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
		if err != nil && plan.ErrorCode(err) != plan.EInvalid {
			t.Errorf("ParseTimeOfDay(%q) error %v is not EInvalid", tt.in, err)
		}
	}
}

func FuzzParseTimeOfDay(f *testing.F) {
	for _, s := range []string{"07:30", "7h30", "17 giờ 30 phút", "23:59", "7g", "", "99:99"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseTimeOfDay(s)
		if err != nil {
			return
		}
		if v < 0 || v > TimeOf(23, 59) {
			t.Fatalf("ParseTimeOfDay(%q) = %d out of range", s, v)
		}
		back, err := ParseTimeOfDay(v.String())
		if err != nil || back != v {
			t.Fatalf("ParseTimeOfDay(%q) = %v; reparse = %v, %v", s, v, back, err)
		}
	})
}

func TestOfficeHoursText(t *testing.T) {
	var cfg struct {
		Hours OfficeHours `yaml:"office_hours"`
	}
	if err := yaml.Unmarshal([]byte("office_hours: {start: \"7h\", end: \"16:30\"}"), &cfg); err != nil {
		t.Fatal(err)
	}
	if want := (OfficeHours{TimeOf(7, 0), TimeOf(16, 30)}); cfg.Hours != want {
		t.Fatalf("yaml = %v, want %v", cfg.Hours, want)
	}
	b, err := json.Marshal(DefaultOfficeHours)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), `{"start":"07:30","end":"17:00"}`; got != want {
		t.Fatalf("json = %s, want %s", got, want)
	}
	if err := yaml.Unmarshal([]byte("office_hours: {start: \"7h\", end: \"bad\"}"), &cfg); err == nil {
		t.Fatal("yaml accepted a bad time")
	}
	if err := (OfficeHours{TimeOf(17, 0), TimeOf(7, 30)}).Validate(); err == nil {
		t.Fatal("Validate accepted end before start")
	}
}

func TestAdjust(t *testing.T) {
	c := New(Adjustments{})
	loc := Location()
	at := func(s string, h, m int) time.Time { return vnDate(t, s).At(h, m, loc) }
	tests := []struct {
		name    string
		in      time.Time
		earlier bool
		want    time.Time
	}{
		{"inside stays", at("28/4/2023", 9, 15), true, at("28/4/2023", 9, 15)},
		{"inside stays later", at("28/4/2023", 9, 15), false, at("28/4/2023", 9, 15)},
		{"start is inside", at("28/4/2023", 7, 30), true, at("28/4/2023", 7, 30)},
		{"end is inside", at("28/4/2023", 17, 0), false, at("28/4/2023", 17, 0)},
		{"evening earlier", at("27/4/2023", 20, 0), true, at("27/4/2023", 17, 0)},
		{"evening later", at("27/4/2023", 20, 0), false, at("28/4/2023", 7, 30)},
		{"dawn earlier", at("27/4/2023", 6, 0), true, at("26/4/2023", 17, 0)},
		{"dawn later", at("27/4/2023", 6, 0), false, at("27/4/2023", 7, 30)},
		{"due on 30/4 holiday earlier", at("30/4/2023", 8, 0), true, at("28/4/2023", 17, 0)},
		{"due on 30/4 holiday later", at("30/4/2023", 8, 0), false, at("4/5/2023", 7, 30)},
		{"monday dawn earlier", at("8/5/2023", 7, 0), true, at("5/5/2023", 17, 0)},
		{"friday night later", at("5/5/2023", 23, 59), false, at("8/5/2023", 7, 30)},
		{"UTC input", time.Date(2023, 4, 28, 2, 0, 0, 0, time.UTC), true, at("28/4/2023", 9, 0)},
		{"UTC input next day in Vietnam", time.Date(2023, 4, 27, 23, 0, 0, 0, time.UTC), false, at("28/4/2023", 7, 30)},
		{"a second past the end", at("28/4/2023", 17, 0).Add(time.Second), true, at("28/4/2023", 17, 0)},
	}
	for _, tt := range tests {
		got := c.Adjust(tt.in, DefaultOfficeHours, tt.earlier)
		if !got.Equal(tt.want) || got.Location() != loc {
			t.Errorf("%s: Adjust(%v, earlier=%v) = %v, want %v", tt.name, tt.in, tt.earlier, got, tt.want)
		}
	}
	// Zero or invalid hours fall back to the default.
	if got, want := c.Adjust(at("27/4/2023", 20, 0), OfficeHours{}, true), at("27/4/2023", 17, 0); !got.Equal(want) {
		t.Errorf("Adjust with zero hours = %v, want %v", got, want)
	}
}

// TestAdjustProperty walks instants across 2023–2025 every 47 minutes and
// checks that Adjust lands in office hours on a working day, in the right
// direction, as close as possible, and leaves such instants alone.
func TestAdjustProperty(t *testing.T) {
	c := New(loadAdjustments(t, officialAdjustments))
	loc := Location()
	hours := []OfficeHours{DefaultOfficeHours, {TimeOf(8, 0), TimeOf(11, 30)}, {0, TimeOf(23, 59)}}
	end := time.Date(2026, 1, 1, 0, 0, 0, 0, loc)
	for _, oh := range hours {
		for in := time.Date(2023, 1, 1, 0, 0, 0, 0, loc); in.Before(end); in = in.Add(47 * time.Minute) {
			inside := c.InOfficeHours(in, oh)
			for _, earlier := range []bool{true, false} {
				got := c.Adjust(in, oh, earlier)
				d := plan.DateOf(got)
				switch {
				case !c.InOfficeHours(got, oh):
					t.Fatalf("Adjust(%v, %v, %v) = %v: outside office hours", in, oh, earlier, got)
				case !c.IsWorkingDay(d):
					t.Fatalf("Adjust(%v, %v, %v) = %v: not a working day", in, oh, earlier, got)
				case inside && !got.Equal(in):
					t.Fatalf("Adjust(%v, %v, %v) = %v: moved an instant in office hours", in, oh, earlier, got)
				case earlier && got.After(in), !earlier && got.Before(in):
					t.Fatalf("Adjust(%v, %v, %v) = %v: wrong direction", in, oh, earlier, got)
				}
				// Nothing in office hours lies strictly between: every day
				// between the two dates is a non-working day.
				from, to := plan.DateOf(got), plan.DateOf(in.In(loc))
				if !earlier {
					from, to = to, from
				}
				for x := from.AddDays(1); x.Before(to); x = x.AddDays(1) {
					if c.IsWorkingDay(x) {
						t.Fatalf("Adjust(%v, %v, %v) = %v skips working day %v", in, oh, earlier, got, x)
					}
				}
			}
		}
	}
}

func TestLocation(t *testing.T) {
	loc := Location()
	if loc.String() != Zone {
		t.Errorf("Location() = %v, want %s (tzdata is embedded)", loc, Zone)
	}
	_, off := time.Date(2025, 6, 1, 12, 0, 0, 0, loc).Zone()
	if off != 7*3600 {
		t.Errorf("offset = %d, want UTC+7", off)
	}
}

package calendar

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/chanhlo/planbot/plan"
)

// TimeOfDay is a wall-clock time, in minutes after midnight. It reads and
// writes as "07:30", so it can sit in a YAML config.
type TimeOfDay int

// TimeOf returns a TimeOfDay of hour:min.
func TimeOf(hour, min int) TimeOfDay { return TimeOfDay(hour*60 + min) }

// Hour returns the hour of t.
func (t TimeOfDay) Hour() int { return int(t) / 60 }

// Minute returns the minute of t within its hour.
func (t TimeOfDay) Minute() int { return int(t) % 60 }

// String formats t as "07:30".
func (t TimeOfDay) String() string { return fmt.Sprintf("%02d:%02d", t.Hour(), t.Minute()) }

// On returns the instant t on day d in loc.
func (t TimeOfDay) On(d plan.Date, loc *time.Location) time.Time {
	return d.At(t.Hour(), t.Minute(), loc)
}

// ParseTimeOfDay reads a time of day as people write it: "07:30", "7:30",
// "7h30", "7h", "17g00", "17 giờ 30". Hours run 0–23, minutes 0–59.
func ParseTimeOfDay(s string) (TimeOfDay, error) {
	in := strings.ToLower(strings.TrimSpace(s))
	hs, ms, found := "", "", false
	for _, sep := range []string{":", "giờ", "h", "g"} {
		if hs, ms, found = strings.Cut(in, sep); found {
			break
		}
	}
	if !found {
		hs = in
	}
	hs, ms = strings.TrimSpace(hs), strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(ms), "phút"))
	h, err := parseSmall(hs, 2)
	if err != nil || h > 23 {
		return 0, badTime(s)
	}
	m := 0
	if ms != "" {
		if len(ms) != 2 {
			return 0, badTime(s)
		}
		if m, err = parseSmall(ms, 2); err != nil || m > 59 {
			return 0, badTime(s)
		}
	} else if !found {
		return 0, badTime(s) // a bare number is not a time
	}
	return TimeOf(h, m), nil
}

// parseSmall parses 1 to max ASCII digits.
func parseSmall(s string, max int) (int, error) {
	if s == "" || len(s) > max {
		return 0, strconv.ErrSyntax
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0, strconv.ErrSyntax
		}
	}
	return strconv.Atoi(s)
}

func badTime(s string) error {
	return plan.Errorf(plan.EInvalid, "Giờ %q không hợp lệ; viết dạng 07:30.", s)
}

// MarshalText writes "07:30".
func (t TimeOfDay) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

// UnmarshalText reads what ParseTimeOfDay reads.
func (t *TimeOfDay) UnmarshalText(b []byte) error {
	v, err := ParseTimeOfDay(string(b))
	if err != nil {
		return err
	}
	*t = v
	return nil
}

// OfficeHours are the hours in which the offices work and reminders may be
// sent, Start to End included.
type OfficeHours struct {
	Start TimeOfDay `json:"start" yaml:"start"`
	End   TimeOfDay `json:"end" yaml:"end"`
}

// DefaultOfficeHours are 07:30–17:00.
var DefaultOfficeHours = OfficeHours{Start: TimeOf(7, 30), End: TimeOf(17, 0)}

// Validate checks hours a person configured.
func (h OfficeHours) Validate() error {
	if h.Start < 0 || h.End > TimeOf(23, 59) || h.Start >= h.End {
		return plan.Errorf(plan.EInvalid, "Giờ làm việc %s–%s không hợp lệ: giờ bắt đầu phải trước giờ kết thúc.", h.Start, h.End)
	}
	return nil
}

// String formats h as "07:30–17:00".
func (h OfficeHours) String() string { return h.Start.String() + "–" + h.End.String() }

// InOfficeHours reports whether t, seen in the calendar's zone, is on a
// working day within hours.
func (c *Calendar) InOfficeHours(t time.Time, hours OfficeHours) bool {
	hours = hours.orDefault()
	t = t.In(c.loc)
	d := plan.DateOf(t)
	return c.IsWorkingDay(d) && !t.Before(hours.Start.On(d, c.loc)) && !t.After(hours.End.On(d, c.loc))
}

func (h OfficeHours) orDefault() OfficeHours {
	if h.Validate() != nil {
		return DefaultOfficeHours
	}
	return h
}

// Adjust moves t into office hours on a working day, in the calendar's
// zone. An instant already inside is returned unchanged. Otherwise, when
// earlier is true it moves back to the latest instant inside (the end of
// the day, or of the previous working day): a reminder due before a
// deadline must not slip past it. When earlier is false it moves forward
// to the earliest instant inside (the start of the day, or of the next
// working day). Invalid hours (see Validate) are replaced by
// DefaultOfficeHours.
func (c *Calendar) Adjust(t time.Time, hours OfficeHours, earlier bool) time.Time {
	hours = hours.orDefault()
	t = t.In(c.loc)
	d := plan.DateOf(t)
	start, end := hours.Start.On(d, c.loc), hours.End.On(d, c.loc)
	working := c.IsWorkingDay(d)
	if earlier {
		switch {
		case working && t.After(end):
			return end
		case working && !t.Before(start):
			return t
		}
		return hours.End.On(c.PrevWorkingDay(d), c.loc)
	}
	switch {
	case working && t.Before(start):
		return start
	case working && !t.After(end):
		return t
	}
	return hours.Start.On(c.NextWorkingDay(d), c.loc)
}

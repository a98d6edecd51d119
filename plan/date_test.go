package plan_test

import (
	"testing"
	"time"

	"github.com/chanhlo/planbot/plan"
)

// TestDateArithmeticAgreesWithTime: AddDays and Weekday, which skip
// time.Date on the common path, agree with it on every day of four
// centuries' worth of edges and steps.
func TestDateArithmeticAgreesWithTime(t *testing.T) {
	years := []int{-1, 0, 1, 1899, 1900, 2000, 2023, 2024, 2100, 2400}
	for _, y := range years {
		for d := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() == y; d = d.AddDate(0, 0, 1) {
			date := plan.DateOf(d)
			if got := date.Weekday(); got != d.Weekday() {
				t.Fatalf("%v.Weekday() = %v, want %v", date, got, d.Weekday())
			}
			for _, n := range []int{-40, -29, -28, -27, -1, 0, 1, 3, 27, 28, 29, 40} {
				if got, want := date.AddDays(n), plan.DateOf(d.AddDate(0, 0, n)); got != want {
					t.Fatalf("%v.AddDays(%d) = %v, want %v", date, n, got, want)
				}
			}
		}
	}
	// Dates that are not normalised still normalise.
	for _, tc := range []struct {
		d    plan.Date
		n    int
		want plan.Date
	}{
		{plan.Date{Year: 2023, Month: 4, Day: 31}, 0, plan.NewDate(2023, 5, 1)},
		{plan.Date{Year: 2023, Month: 13, Day: 1}, 1, plan.NewDate(2024, 1, 2)},
		{plan.Date{Year: 2023, Month: 0, Day: 5}, 1, plan.NewDate(2022, 12, 6)},
	} {
		if got := tc.d.AddDays(tc.n); got != tc.want {
			t.Errorf("%#v.AddDays(%d) = %v, want %v", tc.d, tc.n, got, tc.want)
		}
		if got, want := tc.d.Weekday(), tc.d.In(time.UTC).Weekday(); got != want {
			t.Errorf("%#v.Weekday() = %v, want %v", tc.d, got, want)
		}
	}
}

func TestDateString(t *testing.T) {
	for _, tc := range []struct {
		d    plan.Date
		want string
	}{
		{plan.NewDate(2023, 4, 30), "2023-04-30"},
		{plan.NewDate(2023, 12, 1), "2023-12-01"},
		{plan.Date{Year: 999, Month: 1, Day: 9}, "0999-01-09"},
		{plan.Date{Year: 5, Month: 10, Day: 10}, "0005-10-10"},
		{plan.Date{Year: 12345, Month: 1, Day: 1}, "12345-01-01"},
		{plan.Date{Year: -1, Month: 1, Day: 1}, "-001-01-01"},
		{plan.Date{}, ""},
		{plan.Date{Year: 2023, Month: 1, Day: -1}, "2023-01--1"},
	} {
		if got := tc.d.String(); got != tc.want {
			t.Errorf("%#v.String() = %q, want %q", tc.d, got, tc.want)
		}
	}
}

package plan

import (
	"strings"
	"testing"
)

func TestParsePeriod(t *testing.T) {
	tests := []struct {
		in   string
		want Period
	}{
		// Stable keys.
		{"2023-04", Period{PeriodMonth, 2023, 4}},
		{"2023-Q2", Period{PeriodQuarter, 2023, 2}},
		{"2023", Period{PeriodYear, 2023, 0}},
		// Short forms.
		{"04/2023", Period{PeriodMonth, 2023, 4}},
		{"4/2023", Period{PeriodMonth, 2023, 4}},
		{" 12/2023 ", Period{PeriodMonth, 2023, 12}},
		{"Q2/2023", Period{PeriodQuarter, 2023, 2}},
		{"q4/2023", Period{PeriodQuarter, 2023, 4}},
		{"QII/2023", Period{PeriodQuarter, 2023, 2}},
		// The bot's own wording (Period.Vietnamese) and officials'.
		{"tháng 5/2023", Period{PeriodMonth, 2023, 5}},
		{"tháng 05/2023", Period{PeriodMonth, 2023, 5}},
		{"Tháng 5 năm 2023", Period{PeriodMonth, 2023, 5}},
		{"thang 5/2023", Period{PeriodMonth, 2023, 5}},
		{"quý II/2023", Period{PeriodQuarter, 2023, 2}},
		{"quý 2/2023", Period{PeriodQuarter, 2023, 2}},
		{"Quý IV/2023", Period{PeriodQuarter, 2023, 4}},
		{"QUÝ III/2023", Period{PeriodQuarter, 2023, 3}},
		{"quý I năm 2024", Period{PeriodQuarter, 2024, 1}},
		{"quy 1/2024", Period{PeriodQuarter, 2024, 1}},
		{"quý  ii / 2023", Period{PeriodQuarter, 2023, 2}},
		{"năm 2023", Period{PeriodYear, 2023, 0}},
		{"Năm 2023", Period{PeriodYear, 2023, 0}},
	}
	for _, tt := range tests {
		got, err := ParsePeriod(tt.in)
		if err != nil {
			t.Errorf("ParsePeriod(%q): %v", tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("ParsePeriod(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

func TestParsePeriodRejects(t *testing.T) {
	for _, in := range []string{
		"", "2023-13", "0/2023", "13/2023", "Q5/2023", "Q0/2023", "quý V/2023", "quý 5/2023",
		"quý Q2/2023", "tháng Q2/2023", "năm 5/2023", "tháng 2023", "quý 2023",
		"1899", "3000", "4/23", "+4/2023", "-4/2023", "4/+2023", "005/2023", "IIII/2023",
		"tháng", "abc", "2023/2023",
	} {
		if p, err := ParsePeriod(in); err == nil {
			t.Errorf("ParsePeriod(%q) = %+v, want an error", in, p)
		} else if !strings.Contains(err.Error(), "không hợp lệ") {
			t.Errorf("ParsePeriod(%q): error %q does not say why", in, err)
		}
	}
}

// The bot's wording of every period reads back as the period.
func TestParsePeriodRoundTrip(t *testing.T) {
	var all []Period
	for m := 1; m <= 12; m++ {
		all = append(all, Period{PeriodMonth, 2023, m})
	}
	for q := 1; q <= 4; q++ {
		all = append(all, Period{PeriodQuarter, 2023, q})
	}
	all = append(all, Period{PeriodYear, 2023, 0})
	for _, p := range all {
		for _, s := range []string{p.String(), p.Vietnamese(), strings.ToUpper(p.Vietnamese())} {
			got, err := ParsePeriod(s)
			if err != nil || got != p {
				t.Errorf("ParsePeriod(%q) = %+v, %v; want %+v", s, got, err, p)
			}
		}
	}
}

// A key read by the fast path is what reading it as text gives, and
// anything else is left to the text.
func TestParseKeyAgreesWithText(t *testing.T) {
	var keys []string
	for _, y := range []int{1900, 2023, 2999} {
		for m := 1; m <= 12; m++ {
			keys = append(keys, Period{PeriodMonth, y, m}.String())
		}
		for q := 1; q <= 4; q++ {
			keys = append(keys, Period{PeriodQuarter, y, q}.String())
		}
		for h := 1; h <= 2; h++ {
			keys = append(keys, Period{PeriodHalf, y, h}.String())
		}
		keys = append(keys, Period{PeriodYear, y, 0}.String())
	}
	for _, k := range keys {
		fast, ok := parseKey(k)
		text, err := parsePeriodText(k)
		if !ok || err != nil || fast != text {
			t.Errorf("%q: key %+v (%v), text %+v (%v)", k, fast, ok, text, err)
		}
	}
	for _, s := range []string{"", "2023-", "2023-4", "2023-004", "2023-13", "2023-00", "2023-Q0", "2023-Q5", "2023-q2",
		"2023-H3", "2023-h1", "1899", "3000", "202", " 2023-04", "2023-04 ", "2023/04", "04-2023", "2023-Qx", "2023-1a"} {
		if p, ok := parseKey(s); ok {
			t.Errorf("parseKey(%q) = %+v, want it left to the text", s, p)
		}
	}
}

func FuzzParsePeriod(f *testing.F) {
	for _, s := range []string{"2023-04", "2023-Q2", "2023", "4/2023", "Q2/2023", "quý II/2023",
		"Quý IV/2023", "tháng 05/2023", "năm 2023", "tháng 5 năm 2023", "QUÝ 2/2023", "", "/", "q/2023"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if k, ok := parseKey(s); ok {
			if p, err := parsePeriodText(s); err != nil || p != k {
				t.Fatalf("%q: key %+v, text %+v, %v", s, k, p, err)
			}
		}
		p, err := ParsePeriod(s)
		if err != nil {
			return
		}
		if p.Year < 1900 || p.Year >= 3000 {
			t.Fatalf("ParsePeriod(%q) = %+v: year out of range", s, p)
		}
		switch p.Kind {
		case PeriodMonth:
			if p.N < 1 || p.N > 12 {
				t.Fatalf("ParsePeriod(%q) = %+v: no such month", s, p)
			}
		case PeriodQuarter:
			if p.N < 1 || p.N > 4 {
				t.Fatalf("ParsePeriod(%q) = %+v: no such quarter", s, p)
			}
		case PeriodYear:
			if p.N != 0 {
				t.Fatalf("ParsePeriod(%q) = %+v: a year has no number", s, p)
			}
		default:
			t.Fatalf("ParsePeriod(%q) = %+v: unknown kind", s, p)
		}
		for _, back := range []string{p.String(), p.Vietnamese()} {
			if q, err := ParsePeriod(back); err != nil || q != p {
				t.Fatalf("ParsePeriod(%q) = %+v, but %q reads back as %+v, %v", s, p, back, q, err)
			}
		}
	})
}

func TestHalfYear(t *testing.T) {
	for in, want := range map[string]string{
		"2023-H1": "2023-H1", "H2/2023": "2023-H2", "h1/2023": "2023-H1",
		"6 tháng đầu năm 2023": "2023-H1", "6 thang cuoi nam 2023": "2023-H2",
	} {
		p, err := ParsePeriod(in)
		if err != nil || p.String() != want {
			t.Errorf("ParsePeriod(%q) = %v, %v; want %s", in, p, err, want)
		}
	}
	h1 := Period{PeriodHalf, 2023, 1}
	if h1.Start() != NewDate(2023, 1, 1) || h1.End() != NewDate(2023, 6, 30) || len(h1.Months()) != 6 ||
		h1.Vietnamese() != "6 tháng đầu năm 2023" || h1.Prev().String() != "2022-H2" {
		t.Errorf("H1 2023: %v–%v, %d months, %q, prev %v", h1.Start(), h1.End(), len(h1.Months()), h1.Vietnamese(), h1.Prev())
	}
	if _, err := ParsePeriod("2023-H3"); err == nil {
		t.Error("2023-H3 accepted")
	}
}

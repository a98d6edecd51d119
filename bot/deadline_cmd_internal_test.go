package bot

import (
	"strings"
	"testing"

	"github.com/chanhlo/planbot/plan"
)

func TestParseDeadlineArgs(t *testing.T) {
	tests := []struct {
		in      string
		want    deadlineArg
		wantErr bool
	}{
		{"1.a 30/6/2023", deadlineArg{"1.a", plan.NewDate(2023, 6, 30)}, false},
		{"1.A 05-07-2023", deadlineArg{"1.a", plan.NewDate(2023, 7, 5)}, false},
		{"2.đ 1.12.2023", deadlineArg{"2.đ", plan.NewDate(2023, 12, 1)}, false},
		{"1.a thuongxuyen", deadlineArg{Code: "1.a"}, false},
		{"1.a thường xuyên", deadlineArg{Code: "1.a"}, false},
		{"1.a Thuong-Xuyen", deadlineArg{Code: "1.a"}, false},
		{"1.a", deadlineArg{}, true},
		{"1.a 30/2/2023", deadlineArg{}, true},
		{"1.a 30/6", deadlineArg{}, true},
		{"1.a 30/6/23", deadlineArg{}, true},
		{"1.a 30/6/2023 thêm", deadlineArg{}, true},
		{"1.a -1/6/2023", deadlineArg{}, true},
	}
	for _, tt := range tests {
		got, err := parseDeadlineArgs(strings.Fields(tt.in))
		if (err != nil) != tt.wantErr {
			t.Errorf("%q: error %v, want error %v", tt.in, err, tt.wantErr)
			continue
		}
		if err == nil && got != tt.want {
			t.Errorf("%q = %+v, want %+v", tt.in, got, tt.want)
		}
		if err != nil && plan.ErrorMessage(err) == "" {
			t.Errorf("%q: error %v has no message for the user", tt.in, err)
		}
	}
}

func FuzzParseDeadlineArgs(f *testing.F) {
	for _, s := range []string{"1.a 30/6/2023", "1.a thuongxuyen", "x 99/99/9999", "1.a 0/0/0", "", "a b c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := parseDeadlineArgs(strings.Fields(s))
		if err != nil {
			if plan.ErrorCode(err) != plan.EInvalid {
				t.Fatalf("%q: error %v is not EInvalid", s, err)
			}
			return
		}
		if a.Code == "" {
			t.Fatalf("%q: empty code", s)
		}
		if !a.Due.IsZero() {
			back := plan.NewDate(a.Due.Year, a.Due.Month, a.Due.Day)
			if back != a.Due || a.Due.Year < 2000 || a.Due.Year > 2100 {
				t.Fatalf("%q: date %v", s, a.Due)
			}
		}
	})
}

package progress

import (
	"strings"
	"testing"

	"github.com/chanhlo/planbot/plan"
)

func TestParseTaskCode(t *testing.T) {
	tests := []struct{ in, want string }{
		{"1.c", "1.c"},
		{"1.C", "1.c"},
		{"2.đ", "2.đ"},
		{"2.Đ", "2.đ"},
		{"2.dd", "2.đ"},
		{"2.DD", "2.đ"},
		{"III.2.đ", "2.đ"},
		{"iii.2.dd", "2.đ"},
		{"2đ", "2.đ"},
		{"2 đ", "2.đ"},
		{"2d", "2.d"},
		{"6", "6"},
		{"8.1", "8.1"},
		{"1.c.", "1.c"},
		{"nhiệm vụ 1.c", "1.c"},
		{"NV 2.e", "2.e"},
		{"  10.a ", "10.a"},
	}
	for _, tt := range tests {
		got, err := ParseTaskCode(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseTaskCode(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, in := range []string{"", "abc", "80%", "1.200/1.500", "100", "1.c 80%", "đ", "1.ca", "1..c"} {
		if got, err := ParseTaskCode(in); err == nil {
			t.Errorf("ParseTaskCode(%q) = %q, want an error", in, got)
		} else if plan.ErrorCode(err) != plan.EInvalid {
			t.Errorf("ParseTaskCode(%q) error %v is not EInvalid", in, err)
		}
	}
}

func TestCutTaskCode(t *testing.T) {
	tests := []struct {
		in, code, rest string
		ok             bool
	}{
		{"1.c 80%", "1.c", "80%", true},
		{"1.c: 80%", "1.c", "80%", true},
		{"1.c - 80%", "1.c", "80%", true},
		{"1.c – 80%", "1.c", "80%", true},
		{"1.c — 80%", "1.c", "80%", true},
		{"1.c -- 80%", "1.c", "80%", true},
		{"1.c :- 80%", "1.c", "80%", true},
		{"6 - đang làm", "6", "đang làm", true},
		{"2.đ – vướng: thiếu máy", "2.đ", "vướng: thiếu máy", true},
		{"2 đ xong", "2.đ", "xong", true},
		{"2 dd vướng: thiếu", "2.đ", "vướng: thiếu", true},
		{"6 đang làm", "6", "đang làm", true},
		{"III.2.đ 1.200/1.500 hồ sơ", "2.đ", "1.200/1.500 hồ sơ", true},
		{"80%", "", "", false},
		{"80 %", "", "", false},
		{"85,5%", "", "", false},
		{"1.200/1.500", "", "", false},
		{"1200/1500 hồ sơ", "", "", false},
		{"xong", "", "", false},
		{"đang thực hiện", "", "", false},
	}
	for _, tt := range tests {
		code, rest, ok := CutTaskCode(tt.in)
		if code != tt.code || rest != tt.rest || ok != tt.ok {
			t.Errorf("CutTaskCode(%q) = %q, %q, %v; want %q, %q, %v", tt.in, code, rest, ok, tt.code, tt.rest, tt.ok)
		}
	}
}

func FuzzParseTaskCode(f *testing.F) {
	for _, s := range []string{"1.c", "2.dd", "III.2.đ", "2 đ", "8.1", "80%", "nv 1.c 80%"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		code, err := ParseTaskCode(s)
		if err != nil {
			return
		}
		// Canonical codes are stable: parsing one again gives it back.
		again, err := ParseTaskCode(code)
		if err != nil || again != code {
			t.Fatalf("ParseTaskCode(%q) = %q, which re-parses as %q, %v", s, code, again, err)
		}
		if code != strings.ToLower(code) || strings.ContainsAny(code, " \t") {
			t.Fatalf("ParseTaskCode(%q) = %q is not canonical", s, code)
		}
		c2, rest, ok := CutTaskCode(s + " 80%")
		if !ok || c2 != code || rest != "80%" {
			t.Fatalf("CutTaskCode(%q) = %q, %q, %v", s+" 80%", c2, rest, ok)
		}
	})
}

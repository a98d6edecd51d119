package progress

import (
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestCleanInput(t *testing.T) {
	tests := []struct{ in, want string }{
		{"1.c 80%", "1.c 80%"},
		{"1.c 80% đã\x00 gửi\x07 văn bản\x1b", "1.c 80% đã gửi văn bản"},
		{"dòng 1\r\ndòng 2\rdòng 3\tcột", "dòng 1\ndòng 2\ndòng 3\tcột"},
		{"C1\u0085 \u009b", "C1 "},
		{"hồ sơ bị lỗi \xff\xfe", "hồ sơ bị lỗi \uFFFD"},
		// "ệ" as e + dot below + circumflex (NFD) becomes the one letter.
		{"vi\u0065\u0323\u0302c", "việc"},
	}
	for _, tt := range tests {
		if got := CleanInput(tt.in); got != tt.want {
			t.Errorf("CleanInput(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzCleanInput(f *testing.F) {
	for _, s := range []string{"1.c 80%", "a\x00b", "\xff", "e\u0323\u0302"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := CleanInput(s)
		if !utf8.ValidString(got) {
			t.Fatalf("CleanInput(%q) = %q: invalid UTF-8", s, got)
		}
		for _, r := range got {
			if unicode.IsControl(r) && r != '\n' && r != '\t' {
				t.Fatalf("CleanInput(%q) = %q keeps control %U", s, got, r)
			}
		}
		if CleanInput(got) != got {
			t.Fatalf("CleanInput is not idempotent on %q", s)
		}
	})
}

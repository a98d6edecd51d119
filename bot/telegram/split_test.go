package telegram

import (
	"strings"
	"testing"
	"unicode"

	"github.com/chanhlo/planbot/bot/telegram/telegramtest"
)

func TestSplitText(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		max  int
		want []string
	}{
		{"fits", "một\nhai", 10, []string{"một\nhai"}},
		{"blank", " \n\n ", 10, nil},
		{"lines", "aaaa\nbbbb\ncccc", 10, []string{"aaaa\nbbbb", "cccc"}},
		{"prefer line over space", "aa bb\ncc dd ee", 10, []string{"aa bb", "cc dd ee"}},
		{"spaces", "aaaa bbbb cccc", 10, []string{"aaaa bbbb", "cccc"}},
		{"hard", "abcdefghijkl", 5, []string{"abcde", "fghij", "kl"}},
		{"entity kept whole", "abc&amp;def", 5, []string{"abc", "&amp;", "def"}},
		{"tags closed and reopened", "<b>aaaa bbbb cccc</b>", 16, []string{"<b>aaaa bbbb</b>", "<b>cccc</b>"}},
		{"nested with attributes", `<a href="x"><i>aa bb</i></a>`, 26, []string{`<a href="x"><i>aa</i></a>`, `<a href="x"><i>bb</i></a>`}},
		{"short first line is not a cut", "T\n" + strings.Repeat("x ", 8), 10, []string{"T\nx x x x", "x x x x"}},
		{"combining marks stay", "ae\u0301e\u0301e\u0301", 4, []string{"ae\u0301", "e\u0301e\u0301"}},
		{"emoji counts two", "😀😀😀", 4, []string{"😀😀", "😀"}},
		{"drops blank parts", "aaaa\n\n\n\n\n\n\n\n\n\nbbbb", 5, []string{"aaaa", "bbbb"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := SplitText(tc.in, tc.max)
			if strings.Join(got, "|") != strings.Join(tc.want, "|") || len(got) != len(tc.want) {
				t.Errorf("SplitText(%q, %d) = %q, want %q", tc.in, tc.max, got, tc.want)
			}
		})
	}
}

// stripped is the visible text without tags and whitespace.
func stripped(s string) string {
	var b strings.Builder
	for _, t := range tokenize(s) {
		if t.kind == tokChar && strings.TrimSpace(t.text) != "" {
			b.WriteString(t.text)
		}
	}
	return b.String()
}

func FuzzSplitText(f *testing.F) {
	for _, s := range []string{
		"",
		"<b>Nhiệm vụ 1.a</b>: Tổ công tác &amp; đoàn viên\nHạn: 30/4/2023",
		strings.Repeat("Tiến độ 80% — còn 2 tổ dân phố.\n", 20),
		`<a href="https://t.me/planbot?start=abc"><i>bấm vào đây</i></a> ` + strings.Repeat("x", 100),
		"a\u0301\u0301\u0301\u0301b 😀😀 &#7841; &lt;b&gt; < > &",
		"<b><i><u>" + strings.Repeat("ạ ", 50) + "</u></i></b>",
		"</b>oops<b",
	} {
		f.Add(s, 40)
		f.Add(s, 4096)
	}
	f.Fuzz(func(t *testing.T, s string, max int) {
		if max < 16 || max > 5000 {
			return
		}
		parts, fits := splitText(s, max)
		if fits {
			for i, p := range parts {
				if n := units(p); n > max {
					t.Fatalf("part %d: %d units > %d: %q", i, n, max, p)
				}
			}
		}
		var got strings.Builder
		for i, p := range parts {
			if strings.TrimFunc(stripped(p), unicode.IsSpace) == "" {
				t.Fatalf("part %d is blank: %q", i, p)
			}
			got.WriteString(stripped(p))
		}
		if got.String() != stripped(s) {
			t.Fatalf("visible text changed:\n in: %q\nout: %q", stripped(s), got.String())
		}
		// Markup Telegram accepts stays acceptable in every part.
		if _, err := telegramtest.ParseHTML(s); err == nil {
			for i, p := range parts {
				if _, err := telegramtest.ParseHTML(p); err != nil {
					t.Fatalf("part %d of valid HTML is invalid: %v\n%q", i, err, p)
				}
			}
		}
	})
}

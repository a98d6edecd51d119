package zalo_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/chanhlo/planbot/bot/zalo"
	"github.com/chanhlo/planbot/plan"
)

// FuzzPlainSplit checks Plain and Split on core-style HTML (values
// escaped, wrapped in tags): every part fits, no markup is left, and the
// parts hold the whole plain text but for the whitespace at cuts.
func FuzzPlainSplit(f *testing.F) {
	f.Add("1.c 80%", "Nguyễn Văn A <b>", uint16(2000))
	f.Add(strings.Repeat("Phường An Hòa 🎯 ", 300), "&amp;\n\n x", uint16(50))
	f.Add(strings.Repeat("😀", 2500), strings.Repeat("e\u0302\u0301", 700), uint16(3))
	f.Add("a\nb\nc", "\n\n", uint16(2))
	f.Fuzz(func(t *testing.T, a, b string, m uint16) {
		if !utf8.ValidString(a) || !utf8.ValidString(b) {
			t.Skip()
		}
		max := 2 + int(m)%zalo.MaxText
		html := "<b>" + plan.EscapeHTML(a) + "</b>\n<i>" + plan.EscapeHTML(b) + "</i> &amp; <code>x</code>"
		plain := zalo.Plain(html)
		if want := a + "\n" + b + " & x"; plain != want {
			t.Fatalf("Plain = %q, want %q", plain, want)
		}
		for _, limit := range []int{max, zalo.MaxText} {
			parts := zalo.Split(plain, limit)
			for i, p := range parts {
				if n := units(p); n > limit {
					t.Fatalf("limit %d: part %d has %d units", limit, i, n)
				}
				if !utf8.ValidString(p) {
					t.Fatalf("limit %d: part %d is not valid UTF-8", limit, i)
				}
				if strings.TrimSpace(p) == "" {
					t.Fatalf("limit %d: part %d is blank", limit, i)
				}
				if strings.Contains(p, "<b>") && !strings.Contains(a+b, "<b>") {
					t.Fatalf("limit %d: part %d holds a tag: %q", limit, i, p)
				}
				if strings.Contains(p, "&amp;") && !strings.Contains(a+b, "&amp;") {
					t.Fatalf("limit %d: part %d holds an entity: %q", limit, i, p)
				}
			}
			if got, want := squeeze(strings.Join(parts, "")), squeeze(plain); got != want {
				t.Fatalf("limit %d: content changed:\n got %q\nwant %q", limit, got, want)
			}
			if units(plain) <= limit && strings.TrimSpace(plain) != "" && len(parts) != 1 {
				t.Fatalf("limit %d: text of %d units split in %d parts", limit, units(plain), len(parts))
			}
		}
	})
}

// FuzzPlainAny checks that arbitrary input never panics nor yields parts
// over the limit.
func FuzzPlainAny(f *testing.F) {
	f.Add("<b>x</b>&lt;<a href='y'>z</a><", uint16(10))
	f.Add("\xff\xfe<\x00>&#xD800;", uint16(0))
	f.Fuzz(func(t *testing.T, s string, m uint16) {
		max := 2 + int(m)%zalo.MaxText
		for i, p := range zalo.Split(zalo.Plain(s), max) {
			if n := units(p); n > max {
				t.Fatalf("part %d has %d units, limit %d", i, n, max)
			}
		}
	})
}

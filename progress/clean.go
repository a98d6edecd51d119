package progress

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// MaxNote is the longest note or blocker stored, in runes. Longer text is
// cut: a note is a line in a summary, not a report.
const MaxNote = 500

// CleanText makes typed text safe to store and show: control characters
// and NUL bytes go (a newline and a tab stay, as people use them to lay
// out a note), runs of blank lines shrink to one, the ends are trimmed and
// the text is cut to max runes (max <= 0: no cut). The bool reports a cut.
func CleanText(s string, max int) (string, bool) {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range strings.ToValidUTF8(s, "") {
		switch {
		case r == '\r':
			continue
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case r == unicode.ReplacementChar, unicode.IsControl(r), unicode.Is(unicode.Cf, r) && r != '\u200d':
			// Zero-width and direction marks hide what the text says.
			continue
		default:
			b.WriteRune(r)
		}
	}
	lines := strings.Split(b.String(), "\n")
	out := lines[:0]
	for _, l := range lines {
		l = strings.TrimRightFunc(l, unicode.IsSpace)
		if l == "" && (len(out) == 0 || out[len(out)-1] == "") {
			continue
		}
		out = append(out, l)
	}
	t := strings.TrimSpace(strings.Join(out, "\n"))
	if max > 0 {
		if r := []rune(t); len(r) > max {
			return strings.TrimSpace(string(r[:max-1])) + "…", true
		}
	}
	return t, false
}

// CleanInput is what every transport's text goes through once, at the
// edge, before anything parses or stores it: invalid UTF-8 replaced by
// U+FFFD, control characters (C0 and C1: NUL, BEL, ESC …) removed but
// for newline and tab, "\r\n" made "\n", and Unicode normalised to NFC,
// so "ệ" typed as e + two combining marks reads as the one letter the
// parser and the database expect. PostgreSQL refuses NUL in text; a
// report must not be lost for it.
func CleanInput(s string) string {
	if s == "" {
		return s
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case r == '\r':
			b.WriteRune('\n')
		case unicode.IsControl(r):
			continue
		default:
			b.WriteRune(r)
		}
	}
	return norm.NFC.String(b.String())
}

package importer

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Fold returns the form of s used to compare Vietnamese names: NFC, lower
// case, every dash written " - ", new-style tone placement ("hoá" and
// "hóa" both fold to "hóa", "thuỷ" to "thủy") and single spaces.
func Fold(s string) string {
	return strings.ToLower(normalize(s))
}

// Key returns a diacritic-free comparison key of s: Fold without tone and
// vowel marks, "đ" as "d", and dashes as spaces, so that "cong an" and
// "van hoa xa hoi" find "Công an phường" and "Văn hóa - Xã hội".
func Key(s string) string {
	d := norm.NFD.String(Fold(s))
	var b strings.Builder
	for _, r := range d {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == 'đ':
			r = 'd'
		case r == '-':
			r = ' '
		}
		b.WriteRune(r)
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// normalize writes s in its canonical form without changing case: NFC,
// new-style tone placement, dashes unified to " - ", single spaces.
func normalize(s string) string {
	s = toneNewStyle(norm.NFC.String(s))
	s = unifyDashes(s)
	return strings.Join(strings.Fields(s), " ")
}

// unifyDashes writes every dash (hyphen, en dash, em dash, minus) with the
// spaces around it as " - ".
func unifyDashes(s string) string {
	if !strings.ContainsAny(s, "-‐‑‒–—―−") {
		return s
	}
	var b strings.Builder
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		if !isDash(rs[i]) {
			b.WriteRune(rs[i])
			continue
		}
		for i+1 < len(rs) && (isDash(rs[i+1]) || unicode.IsSpace(rs[i+1])) {
			i++
		}
		out := strings.TrimRightFunc(b.String(), unicode.IsSpace)
		b.Reset()
		b.WriteString(out)
		b.WriteString(" - ")
	}
	return b.String()
}

func isDash(r rune) bool {
	switch r {
	case '-', '‐', '‑', '‒', '–', '—', '―', '−':
		return true
	}
	return false
}

// isTone reports whether r is one of the five combining tone marks.
func isTone(r rune) bool {
	switch r {
	case '\u0300', '\u0301', '\u0303', '\u0309', '\u0323':
		return true
	}
	return false
}

// toneNewStyle moves the tone mark of open syllables ending in "oa", "oe"
// and "uy" (not "quy") from the second vowel to the first, as the 1980s
// ("old") style does not: "hoá" → "hóa", "khoẻ" → "khỏe", "thuỷ" → "thủy".
// Syllables with a final consonant ("hoàn", "thuyết") are the same in both
// styles and are left alone.
func toneNewStyle(s string) string {
	if isASCII(s) {
		return s
	}
	d := []rune(norm.NFD.String(s))
	changed := false
	for i := 0; i+2 < len(d); i++ {
		a, b, t := unicode.ToLower(d[i]), unicode.ToLower(d[i+1]), d[i+2]
		if !isTone(t) {
			continue
		}
		switch {
		case a == 'o' && (b == 'a' || b == 'e'):
		case a == 'u' && b == 'y' && (i == 0 || unicode.ToLower(d[i-1]) != 'q'):
		default:
			continue
		}
		if i+3 < len(d) && (unicode.IsLetter(d[i+3]) || unicode.Is(unicode.Mn, d[i+3])) {
			continue // closed syllable or another mark on the vowel
		}
		if i > 0 && unicode.Is(unicode.Mn, d[i-1]) {
			continue
		}
		d[i+1], d[i+2] = d[i+2], d[i+1]
		changed = true
	}
	if !changed {
		return s
	}
	return norm.NFC.String(string(d))
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

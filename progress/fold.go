package progress

import (
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// foldRune returns the lower-case base letter of r without diacritics
// ("ặ" → 'a', "Đ" → 'd'). One rune in, one rune out, so that positions in
// a folded text match positions in the original.
func foldRune(r rune) rune {
	r = unicode.ToLower(r)
	switch r {
	case 'đ':
		return 'd'
	}
	if r < 0x80 {
		return r
	}
	d := norm.NFD.String(string(r))
	for _, b := range d {
		return b
	}
	return r
}

// runes returns the NFC runes of s and their folded counterparts.
func runes(s string) (orig, folded []rune) {
	orig = []rune(norm.NFC.String(s))
	folded = make([]rune, len(orig))
	for i, r := range orig {
		folded[i] = foldRune(r)
	}
	return orig, folded
}

// hasWordPrefix reports whether folded[i:] starts with the folded phrase p
// followed by the end or a non-letter, non-digit rune.
func hasWordPrefix(folded []rune, i int, p string) (int, bool) {
	j := i
	for _, r := range p {
		if j >= len(folded) || folded[j] != r {
			return i, false
		}
		j++
	}
	if j < len(folded) && (unicode.IsLetter(folded[j]) || unicode.IsDigit(folded[j])) {
		return i, false
	}
	return j, true
}

func skipSpaces(rs []rune, i int) int {
	for i < len(rs) && unicode.IsSpace(rs[i]) {
		i++
	}
	return i
}

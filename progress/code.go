package progress

import (
	"strings"
	"unicode"

	"github.com/chanhlo/planbot/plan"
)

// ParseTaskCode returns the canonical form of a task code as people type
// it: "2.đ", "2.dd" (Telex), "III.2.đ" (with the part's Roman numeral),
// "2đ", "2 đ", "2.Đ", "nhiệm vụ 1.c" all give "2.đ" or "1.c"; "6" and
// "8.1" stay as they are. The error is a *plan.Error (EInvalid).
func ParseTaskCode(s string) (string, error) {
	code, rest, ok := CutTaskCode(s)
	if !ok || rest != "" {
		return "", plan.Errorf(plan.EInvalid, "Mã nhiệm vụ %q không hợp lệ. Ví dụ mã đúng: 1.c, 2.đ, 6.", strings.TrimSpace(s))
	}
	return code, nil
}

// CutTaskCode splits a task code off the start of text: "1.c 80%",
// "1.c: 80%" and "1.c - 80%" (any dash) give "1.c" and "80%". It reports false when text does not start with a code
// ("80%", "1.200/1.500", "xong"). A number followed by "%" is a figure,
// not a code. The caller should still check that the code exists: "12
// hồ sơ" starts with what looks like task 12.
func CutTaskCode(text string) (code, rest string, ok bool) {
	orig, f := runes(text)
	i := skipSpaces(f, 0)
	for _, p := range []string{"nhiem vu so", "nhiem vu", "nv"} {
		if j, ok := hasWordPrefix(f, i, p); ok {
			i = skipSpaces(f, j)
			break
		}
	}
	// Roman numeral of the plan's part: "III.2.đ".
	if j := i; j < len(f) && strings.ContainsRune("ivx", f[j]) {
		for j < len(f) && strings.ContainsRune("ivx", f[j]) {
			j++
		}
		if j+1 < len(f) && f[j] == '.' && isDigit(f[j+1]) {
			i = j + 1
		}
	}
	n, j := digits(f, i)
	if n < 1 || n > 2 {
		return "", "", false
	}
	parts := []string{string(orig[i:j])}
	i = j
	for len(parts) < 3 {
		k := i
		space := false
		switch {
		case k < len(f) && f[k] == '.':
			k++
		case k < len(f) && unicode.IsSpace(f[k]):
			k = skipSpaces(f, k)
			space = true
		}
		// A number part: "8.1".
		if !space && k > i {
			if n, e := digits(f, k); n >= 1 && n <= 2 {
				parts = append(parts, string(orig[k:e]))
				i = e
				continue
			}
		}
		letter, e := codeLetter(orig, f, k)
		if letter == "" || (space && e < len(f) && !unicode.IsSpace(f[e]) && f[e] != ':') {
			break
		}
		parts = append(parts, letter)
		i = e
	}
	// A trailing dot: "1.c." or "1.c. 80%".
	if i < len(f) && f[i] == '.' && (i+1 == len(f) || unicode.IsSpace(f[i+1])) {
		i++
	}
	if !boundary(f, i) {
		return "", "", false
	}
	// Separators people put between the code and the figure: "1.c: 80%",
	// "1.c - 80%", "1.c – 80%", "1.c — 80%".
	// A dash right before a digit is a minus ("1.c -5%"), which Parse
	// refuses; trimming it would record 5%.
	rest = strings.TrimLeft(string(orig[i:]), ":, \t\n\r")
	for rest != "" && strings.ContainsRune("-–—", []rune(rest)[0]) {
		after := strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(rest, "-"), "–"), "—")
		if after != "" && isDigit([]rune(after)[0]) {
			break
		}
		rest = strings.TrimLeft(after, ":, \t\n\r")
	}
	rest = strings.TrimSpace(rest)
	if strings.HasPrefix(rest, "%") {
		return "", "", false
	}
	return strings.Join(parts, "."), rest, true
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// digits returns how many ASCII digits start at f[i:] and where they end.
func digits(f []rune, i int) (int, int) {
	j := i
	for j < len(f) && isDigit(f[j]) {
		j++
	}
	return j - i, j
}

// codeLetter reads a task letter at orig[i:]: "đ" (or Telex "dd") or one
// Latin letter not followed by another letter or a digit.
func codeLetter(orig, f []rune, i int) (string, int) {
	if i >= len(f) {
		return "", i
	}
	lo := unicode.ToLower(orig[i])
	var letter string
	e := i + 1
	switch {
	case lo == 'đ':
		letter = "đ"
	case lo == 'd' && i+1 < len(orig) && unicode.ToLower(orig[i+1]) == 'd':
		letter, e = "đ", i+2
	case lo >= 'a' && lo <= 'z':
		letter = string(lo)
	default:
		return "", i
	}
	if e < len(f) && (unicode.IsLetter(f[e]) || unicode.IsDigit(f[e]) || unicode.Is(unicode.Mn, orig[e])) {
		return "", i
	}
	return letter, e
}

// boundary reports whether a code may end at f[i]: the end, a space, a
// colon, or a comma followed by a space.
func boundary(f []rune, i int) bool {
	switch {
	case i >= len(f):
		return true
	case unicode.IsSpace(f[i]) || f[i] == ':':
		return true
	case f[i] == ',' && (i+1 == len(f) || unicode.IsSpace(f[i+1])):
		return true
	}
	return false
}

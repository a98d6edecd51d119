package importer

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// The standing body is named in the plan's implementation part in a few
// set phrasings: "Giao Công an phường (Cơ quan Thường trực Tổ công tác …)",
// "… báo cáo về UBND phường (qua Công an phường)", "Công an phường là cơ
// quan thường trực". Matching is done on the folded text (no diacritics,
// lower case) so that old-style tone marks and Markdown do not matter.
var (
	// "<unit> (cơ quan thường trực …)" or "<unit> là/làm cơ quan thường trực".
	standingNamedRe = regexp.MustCompile(`(?:giao|de nghi)\s+([^(),;.]{3,60}?)\s*(?:\(\s*|,\s*|\s+la\s+|\s+lam\s+)(?:co quan\s+)?thuong truc`)
	// "(qua <unit>)": where difficulties and reports are sent.
	standingViaRe = regexp.MustCompile(`\(\s*qua\s+([^()]{3,60}?)\s*\)`)
)

// standingBody returns the unit the plan's implementation part ("TỔ CHỨC
// THỰC HIỆN") makes the standing body: the one that compiles results and
// receives difficulties. lines are the document's cleaned lines. It
// returns "" when the plan names none, so that the secretariat alone
// follows up.
func standingBody(lines []string) string {
	from := 0
	for i, l := range lines {
		if m := romanRe.FindStringSubmatch(l); m != nil && strings.Contains(Key(m[2]), "to chuc thuc hien") {
			from = i + 1
		}
	}
	part := lines[from:]
	for _, re := range []*regexp.Regexp{standingNamedRe, standingViaRe} {
		for _, l := range part {
			orig := []rune(norm.NFC.String(l))
			bare := bareRunes(orig)
			m := re.FindStringSubmatchIndex(string(bare))
			if m == nil {
				continue
			}
			// bare has one rune per rune of orig: map the match's byte
			// offsets back through rune counts.
			from := utf8.RuneCountInString(string(bare)[:m[2]])
			to := utf8.RuneCountInString(string(bare)[:m[3]])
			name := string(orig[from:to])
			if u, ok := Resolve(name, nil); ok {
				return u
			}
			if u := CanonicalUnit(name); u != "" {
				return u
			}
		}
	}
	return ""
}

// bareRunes lower-cases rs and strips its diacritics rune for rune ("Công"
// → "cong", "đ" → "d"), so that offsets in the result are offsets in rs.
func bareRunes(rs []rune) []rune {
	out := make([]rune, len(rs))
	for i, r := range rs {
		r = unicode.ToLower(r)
		if r == 'đ' {
			out[i] = 'd'
			continue
		}
		out[i] = r
		for _, b := range norm.NFD.String(string(r)) {
			if !unicode.Is(unicode.Mn, b) {
				out[i] = b
				break
			}
		}
	}
	return out
}

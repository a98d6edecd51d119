package importer

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// unitDef is a unit of the ward known to the importer: its canonical name
// and the folded spellings (without a trailing "phường") plans use for it.
type unitDef struct {
	name    string
	aliases []string
}

// builtinUnits are the units of a ward People's Committee. Canonical names
// carry "phường" only where people say it ("Công an phường", but
// "Tư pháp - Hộ tịch"); a name written with "xã" or "thị trấn" keeps that
// level instead ("CA xã" → "Công an xã"), see levelName.
var builtinUnits = []unitDef{
	{"Công an phường", []string{"công an"}},
	{"Văn phòng phường", []string{"văn phòng", "văn phòng ubnd", "văn phòng ủy ban nhân dân", "văn phòng hđnd và ubnd", "văn phòng hđnd - ubnd", "văn phòng đảng ủy - hđnd - ubnd", "văn phòng hđnd", "văn phòng hội đồng nhân dân và ủy ban nhân dân", "văn phòng - thống kê"}},
	{"Trạm y tế phường", []string{"trạm y tế", "y tế"}},
	{"Đoàn phường", []string{"đoàn", "đoàn thanh niên", "phường đoàn", "đoàn tncs hồ chí minh", "đoàn thanh niên cộng sản hồ chí minh", "đoàn tn", "đoàn tncs", "đoàn tncs hcm", "đoàn thanh niên cộng sản", "đoàn tncshcm"}},
	{"Bộ phận Một cửa", []string{"bộ phận một cửa", "một cửa", "bộ phận tiếp nhận và trả kết quả", "tiếp nhận và trả kết quả", "tn và tkq", "tiếp nhận và trả kq", "tn và trả kết quả", "một cửa liên thông", "bộ phận một cửa liên thông"}},
	{"Tư pháp - Hộ tịch", []string{"tư pháp - hộ tịch", "tư pháp", "tp - ht", "tư pháp hộ tịch"}},
	{"Văn hóa - Xã hội", []string{"văn hóa - xã hội"}},
	{"Văn hóa - Thông tin", []string{"văn hóa - thông tin"}},
	{"Tài chính - Kế toán", []string{"tài chính - kế toán", "kế toán", "tài chính - ngân sách"}},
	{"Địa chính - Xây dựng", []string{"địa chính - xây dựng", "địa chính - xây dựng - đô thị và môi trường"}},
	{"Địa chính - Môi trường", []string{"địa chính - môi trường", "địa chính - nông nghiệp - môi trường"}},
	{"Lao động - Thương binh và Xã hội", []string{"lao động - thương binh và xã hội", "lđ - tb và xh", "lđtbxh"}},
	{"Ban Chỉ huy Quân sự phường", []string{"ban chỉ huy quân sự", "chỉ huy quân sự", "quân sự"}},
	{"Ủy ban MTTQ Việt Nam phường", []string{"ủy ban mttq việt nam", "ủy ban mttqvn", "ubmttqvn", "ubmttq", "mttq", "mặt trận tổ quốc", "ủy ban mặt trận tổ quốc việt nam", "mặt trận tổ quốc việt nam", "ủy ban mttq", "ub mttq", "ub mttqvn", "ub mttq việt nam", "ubmttq việt nam", "mttqvn", "mttq việt nam", "ủy ban mặt trận tổ quốc", "ub mặt trận tổ quốc"}},
	{"Hội Liên hiệp Phụ nữ", []string{"hội liên hiệp phụ nữ", "hội lh phụ nữ", "hội phụ nữ", "liên hiệp phụ nữ", "hội liên hiệp phụ nữ việt nam"}},
	// Collectives of residential groups: assigned as one unit.
	{"Các tổ dân phố", []string{"các tổ dân phố", "tổ dân phố", "các tdp", "tdp", "các tổ dân phố trên địa bàn", "các tổ dân phố trên địa bàn phường"}},
	{"Các thôn", []string{"các thôn", "thôn", "các thôn trên địa bàn", "các thôn trên địa bàn xã"}},
}

// maybeSame are pairs of known units that some plans use for one real unit.
// They stay distinct; the importer warns when a plan names both.
var maybeSame = [][2]string{{"Địa chính - Xây dựng", "Địa chính - Môi trường"}}

var (
	aliasByFold = map[string]*unitDef{}
	aliasByKey  = map[string]*unitDef{}
)

func init() {
	for i := range builtinUnits {
		u := &builtinUnits[i]
		for _, a := range append([]string{u.name}, u.aliases...) {
			f := baseName(Fold(a))
			aliasByFold[f] = u
			aliasByKey[Key(f)] = u
		}
	}
}

// KnownUnits returns the canonical names of the units the importer knows
// by heart, in a stable order.
func KnownUnits() []string {
	out := make([]string, len(builtinUnits))
	for i, u := range builtinUnits {
		out[i] = u.name
	}
	return out
}

// unitPrefixes are words written before a unit's name that are not part of
// it: "Phòng Tư pháp - Hộ tịch", "Bộ phận Văn hóa - Xã hội".
var unitPrefixes = []string{"phòng ", "ban ", "bộ phận ", "tổ ", "công chức ", "cán bộ ", "đơn vị ", "cơ quan "}

// abbreviations are the short forms officials write in plan tables, as
// folded words, with what they stand for: "VP HĐND-UBND", "BP Một cửa",
// "CC TP-HT", "Hội LHPN". "CA" ("CA xã") is read only as the first word.
var abbreviations = map[string]string{
	"vp":   "văn phòng",
	"bp":   "bộ phận",
	"cc":   "công chức",
	"cb":   "cán bộ",
	"lhpn": "liên hiệp phụ nữ",
	"vn":   "việt nam",
}

// expandAbbrev writes out the short forms of a folded unit name; "&" is
// read as "và" ("TN&TKQ", "HĐND&UBND").
func expandAbbrev(f string) string {
	words := strings.Fields(strings.ReplaceAll(f, "&", " và "))
	for i, w := range words {
		if x, ok := abbreviations[w]; ok {
			words[i] = x
		} else if i == 0 && w == "ca" {
			words[i] = "công an"
		}
	}
	return strings.Join(words, " ")
}

// lookupUnit finds the built-in unit s names, through case, dashes, tone
// placement, prefixes, a trailing or doubled "phường" (or "xã", "thị
// trấn"), short forms and abbreviations. The name comes back at the level s
// is written with: "Công an xã" stays "Công an xã".
func lookupUnit(s string) (string, bool) {
	u, level, ok := lookupDef(s)
	if !ok {
		return "", false
	}
	return levelName(u.name, level), true
}

// lookupDef finds the built-in unit s names and the level word ("phường",
// "xã", "thị trấn", or "") it is written with.
func lookupDef(s string) (*unitDef, string, bool) {
	f := Fold(cleanUnitText(s))
	if f == "" {
		return nil, "", false
	}
	var cands []string
	level := ""
	addCand := func(c string) {
		b, l := stripLevel(c)
		if level == "" {
			level = l
		}
		if b != "" {
			cands = append(cands, b)
		}
	}
	for _, g := range []string{f, expandAbbrev(f)} {
		addCand(g)
		b, _ := stripLevel(g)
		for _, p := range unitPrefixes {
			if rest, ok := strings.CutPrefix(b, p); ok {
				addCand(rest)
			}
		}
	}
	for _, c := range cands {
		if u, ok := aliasByFold[c]; ok {
			return u, level, true
		}
	}
	for _, c := range cands {
		if u, ok := aliasByKey[Key(c)]; ok {
			return u, level, true
		}
	}
	return nil, "", false
}

// levels are the words for the level of local government that follow a
// unit's name, folded and without diacritics.
var levels = []struct{ word, key string }{{"phường", "phuong"}, {"xã", "xa"}, {"thị trấn", "thi tran"}}

// stripLevel strips trailing level words (one or doubled) and "ubnd" before
// them from a folded unit name, and returns the level nearest the name.
func stripLevel(f string) (base, level string) {
	f = strings.TrimSpace(f)
	for {
		g := f
		for _, l := range levels {
			for _, w := range []string{l.word, l.key} {
				if g == w {
					continue // a bare level word names no unit
				}
				if rest, ok := strings.CutSuffix(g, " "+w); ok {
					g, level = strings.TrimSpace(rest), l.word
				}
			}
		}
		g = strings.TrimSpace(strings.TrimSuffix(g, " ubnd"))
		if g == f || g == "" {
			return f, level
		}
		f = g
	}
}

// levelName writes a built-in canonical name at the given level: "Công an
// phường" at "xã" is "Công an xã". A name without "phường" has no level.
func levelName(name, level string) string {
	if level == "" || level == "phường" {
		return name
	}
	if rest, ok := strings.CutSuffix(name, " phường"); ok {
		return rest + " " + level
	}
	return name
}

// baseName strips trailing level words ("phường", one or doubled, "xã",
// "thị trấn") and "ubnd" before them from a folded unit name.
func baseName(f string) string {
	b, _ := stripLevel(f)
	return b
}

// cleanUnitText drops Markdown emphasis, parenthesised remarks and the
// punctuation that ends a list item.
func cleanUnitText(s string) string {
	s = strings.ReplaceAll(s, "*", "")
	s = dropParens(s)
	return strings.TrimFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(".,;:", r)
	})
}

// dropParens removes parenthesised text: "Công an phường (Cơ quan thường
// trực)" → "Công an phường".
func dropParens(s string) string {
	if !strings.ContainsRune(s, '(') {
		return s
	}
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch {
		case r == '(':
			depth++
		case r == ')' && depth > 0:
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// CanonicalUnit returns the canonical name of the unit s names. A known
// unit comes back under its one name whatever the spelling ("công an",
// "Công an phường phường", "Phòng Tư pháp – Hộ tịch phường", "van hoa - xa
// hoi"). Another name is tidied (NFC, dashes, tone placement, spaces, a
// doubled "phường", a leading "Phòng"), with a capital letter starting
// each dash-separated part ("Kinh tế - Hạ tầng"). It returns "" for a blank s.
func CanonicalUnit(s string) string {
	if name, ok := lookupUnit(s); ok {
		return name
	}
	return tidyUnit(s)
}

// tidyUnit canonicalises the spelling of a unit the importer does not know.
func tidyUnit(s string) string {
	n := normalize(cleanUnitText(s))
	if n == "" {
		return ""
	}
	words := strings.Fields(n)
	if len(words) > 1 && strings.EqualFold(words[0], "phòng") {
		// What followed "Phòng" is cleaned like a whole name: "Phòng , X".
		words = strings.Fields(cleanUnitText(strings.Join(words[1:], " ")))
		if len(words) == 0 {
			return ""
		}
	}
	// "… phường phường" → "… phường".
	for len(words) > 1 && strings.EqualFold(words[len(words)-1], "phường") && strings.EqualFold(words[len(words)-2], "phường") {
		words = words[:len(words)-1]
	}
	n = strings.Join(words, " ")
	if strings.Contains(n, " - ") && len(words) > 1 && strings.EqualFold(words[len(words)-1], "phường") {
		// What preceded "phường" is cleaned like a whole name: "X, phường".
		n = cleanUnitText(strings.Join(words[:len(words)-1], " "))
	}
	parts := strings.Split(n, " - ")
	for i, part := range parts {
		parts[i] = upperFirst(part)
	}
	return strings.Join(parts, " - ")
}

func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// Resolve maps a unit name as a person typed it onto one of known (the
// units of a plan; the built-in units when known is empty). It tries, in
// order: the same canonical name; the one unit of known that is the same
// built-in unit, whatever its spelling or level ("CA xã" finds "Công an
// phường", "Đoàn TN" finds "Đoàn Thanh niên"); the same name without
// diacritics; and a
// diacritic-free prefix that fits exactly one unit ("tu phap" → "Tư pháp -
// Hộ tịch"). It reports false when nothing, or more than one unit, fits.
func Resolve(name string, known []string) (string, bool) {
	if len(known) == 0 {
		known = KnownUnits()
	}
	c := CanonicalUnit(name)
	if c == "" {
		return "", false
	}
	fc := Fold(c)
	for _, k := range known {
		if Fold(CanonicalUnit(k)) == fc {
			return k, true
		}
	}
	// The same built-in unit under the plan's own name or level: "CA xã"
	// finds "Công an phường", "VP HĐND-UBND" finds "Văn phòng UBND".
	if u, _, ok := lookupDef(name); ok {
		defs := make([]string, len(known))
		for i, k := range known {
			if ku, _, ok := lookupDef(k); ok {
				defs[i] = ku.name
			}
		}
		if k, ok := unique(known, defs, func(def string) bool { return def == u.name }); ok {
			return k, true
		}
	}
	keys := make([]string, len(known))
	for i, k := range known {
		keys[i] = Key(CanonicalUnit(k))
	}
	if k, ok := unique(known, keys, func(key string) bool { return key == Key(c) }); ok {
		return k, true
	}
	q := Key(cleanUnitText(name))
	if q == "" {
		return "", false
	}
	if k, ok := unique(known, keys, func(key string) bool { return key == q }); ok {
		return k, true
	}
	bq := Key(baseName(Fold(cleanUnitText(name))))
	return unique(known, keys, func(key string) bool {
		return key == bq || strings.HasPrefix(key, bq+" ") || strings.HasPrefix(key, q+" ")
	})
}

// unique returns the only element of xs whose key matches.
func unique(xs, keys []string, match func(string) bool) (string, bool) {
	found := -1
	for i, key := range keys {
		if !match(key) {
			continue
		}
		if found >= 0 && xs[found] != xs[i] {
			return "", false
		}
		found = i
	}
	if found < 0 {
		return "", false
	}
	return xs[found], true
}

// unitRef is one unit named in a list, as understood.
type unitRef struct {
	Name  string // canonical
	Raw   string // as written
	Known bool
}

// collectiveWords are the words that make a phrase starting with "các" or
// "tất cả" a collective of the ward's units.
var collectiveWords = []string{"ban", "ngành", "đơn vị", "phòng", "hội", "đoàn thể", "bộ phận", "cơ quan", "tổ chức"}

// isCollective reports whether the folded phrase names every unit ("Các
// ban ngành, đơn vị phường", "các hội, đoàn thể").
func isCollective(f string) bool {
	rest, ok := strings.CutPrefix(f, "các ")
	if !ok {
		rest, ok = strings.CutPrefix(f, "tất cả ")
	}
	if !ok {
		rest, ok = strings.CutPrefix(f, "toàn thể ")
	}
	if !ok {
		return false
	}
	for _, w := range collectiveWords {
		if strings.HasPrefix(rest, w) {
			return true
		}
	}
	return false
}

// SplitUnits splits a list of units as plans write it ("Văn phòng, Tư pháp
// - Hộ tịch; Văn hoá - Xã hội") into canonical names, keeping names that
// contain "và" or dashes whole. all reports a collective phrase ("Các ban
// ngành, đơn vị phường"), which names no unit of its own.
func SplitUnits(s string) (units []string, all bool) {
	refs, all := splitUnits(s)
	for _, r := range refs {
		units = append(units, r.Name)
	}
	return units, all
}

func splitUnits(s string) (refs []unitRef, all bool) {
	s = dropParens(strings.ReplaceAll(s, "*", ""))
	seen := map[string]bool{}
	add := func(raw string) {
		raw = cleanUnitText(raw)
		if raw == "" {
			return
		}
		name, known := lookupUnit(raw)
		if !known {
			name = tidyUnit(raw)
		}
		if name == "" || seen[name] {
			return
		}
		seen[name] = true
		refs = append(refs, unitRef{Name: name, Raw: raw, Known: known})
	}
	addPiece := func(piece string) {
		f := Fold(cleanUnitText(piece))
		if _, ok := lookupUnit(piece); !ok && strings.Contains(f, " và ") {
			if parts, ok := splitAnd(piece); ok {
				for _, p := range parts {
					add(p)
				}
				return
			}
		}
		add(piece)
	}
	for _, clause := range strings.Split(s, ";") {
		for _, piece := range strings.Split(clause, ",") {
			f := Fold(cleanUnitText(piece))
			if f == "" {
				continue
			}
			if isCollective(f) {
				all = true
				break // the rest of the clause belongs to the collective
			}
			if head, ok := cutCollective(piece); ok {
				addPiece(head)
				all = true
				break
			}
			addPiece(piece)
		}
	}
	return refs, all
}

// cutCollective splits a trailing collective off a phrase: "Công an
// phường và các đơn vị liên quan" gives "Công an phường" and true. Only a
// "và" or "cùng" followed by a collective ("các ban ngành", "các hội, đoàn
// thể") cuts, so "Lao động - Thương binh và Xã hội" stays whole.
func cutCollective(s string) (head string, ok bool) {
	words := strings.Fields(normalize(s))
	for i := 0; i < len(words)-1; i++ {
		if w := strings.ToLower(words[i]); w != "và" && w != "cùng" {
			continue
		}
		if isCollective(Fold(strings.Join(words[i+1:], " "))) {
			return strings.Join(words[:i], " "), true
		}
	}
	return s, false
}

// splitAnd splits "Công an phường và Văn phòng phường" when every part is a
// known unit; a name like "Lao động - Thương binh và Xã hội" stays whole.
func splitAnd(s string) ([]string, bool) {
	parts := strings.Split(normalize(s), " và ")
	for _, p := range parts {
		if _, ok := lookupUnit(p); !ok {
			return nil, false
		}
	}
	return parts, true
}

package importer

import (
	"encoding/xml"
	"strconv"
	"strings"
)

// Word's automatic numbering: a paragraph whose "a)" or "1." Word draws
// from word/numbering.xml rather than from the text. The reader computes
// each label as Word would and writes it in front of the paragraph, so that
// the parser sees "a) Triển khai …" as if typed.

// maxLevels is the number of list levels Word allows (w:ilvl 0-8).
const maxLevels = 9

// numLevel is one level (w:lvl) of a list definition.
type numLevel struct {
	defined bool
	start   int
	format  string // w:numFmt: decimal, lowerLetter, bullet, …
	text    string // w:lvlText: "%1.", "%1)", "%1.%2."
	style   string // w:pStyle: the paragraph style bound to the level
}

// numDef is a w:num: an abstract definition with its overrides.
type numDef struct {
	abstract string
	starts   map[int]int      // w:lvlOverride/w:startOverride
	levels   map[int]numLevel // w:lvlOverride/w:lvl
}

// numbering holds a document's list definitions, its paragraph styles'
// numbering and the counters of the lists read so far.
type numbering struct {
	abstract   map[string][maxLevels]numLevel
	styleLink  map[string]string // abstractNumId → style of w:numStyleLink
	nums       map[string]numDef
	styles     map[string]styleDef
	vietnamese bool
	counters   map[string]*[maxLevels]int // numId → value per level, 0 = not started
}

// styleDef is what a paragraph style says about numbering.
type styleDef struct {
	basedOn      string
	numID, level string // "" when the style does not set it
}

type xVal struct {
	Val string `xml:"val,attr"`
}

type xLevel struct {
	Ilvl   string `xml:"ilvl,attr"`
	Start  *xVal  `xml:"start"`
	Format *xVal  `xml:"numFmt"`
	Text   *xVal  `xml:"lvlText"`
	PStyle *xVal  `xml:"pStyle"`
}

type xNumbering struct {
	Abstract []struct {
		ID        string   `xml:"abstractNumId,attr"`
		Levels    []xLevel `xml:"lvl"`
		StyleLink *xVal    `xml:"numStyleLink"`
	} `xml:"abstractNum"`
	Num []struct {
		ID        string `xml:"numId,attr"`
		Abstract  xVal   `xml:"abstractNumId"`
		Overrides []struct {
			Ilvl  string  `xml:"ilvl,attr"`
			Start *xVal   `xml:"startOverride"`
			Level *xLevel `xml:"lvl"`
		} `xml:"lvlOverride"`
	} `xml:"num"`
}

type xNumPr struct {
	Ilvl  *xVal `xml:"ilvl"`
	NumID *xVal `xml:"numId"`
}

type xStyles struct {
	Lang   []xLang `xml:"docDefaults>rPrDefault>rPr>lang"`
	Styles []struct {
		Type    string  `xml:"type,attr"`
		ID      string  `xml:"styleId,attr"`
		BasedOn *xVal   `xml:"basedOn"`
		NumPr   *xNumPr `xml:"pPr>numPr"`
		Lang    []xLang `xml:"rPr>lang"`
	} `xml:"style"`
}

type xLang struct {
	Val string `xml:"val,attr"`
}

func atoiOr(s string, def int) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return def
	}
	return n
}

func (x *xLevel) level() (int, numLevel) {
	i := atoiOr(x.Ilvl, -1)
	l := numLevel{defined: true, start: 1, format: "decimal", text: "%" + strconv.Itoa(i+1) + "."}
	if x.Start != nil {
		l.start = atoiOr(x.Start.Val, 1)
	}
	if x.Format != nil && x.Format.Val != "" {
		l.format = x.Format.Val
	}
	if x.Text != nil {
		l.text = x.Text.Val
	}
	if x.PStyle != nil {
		l.style = x.PStyle.Val
	}
	return i, l
}

// newNumbering reads word/numbering.xml and word/styles.xml (either may be
// nil). A part that does not parse is left out: the paragraphs then read
// without labels, as their text alone.
func newNumbering(numXML, stylesXML []byte) *numbering {
	n := &numbering{
		abstract:  map[string][maxLevels]numLevel{},
		styleLink: map[string]string{},
		nums:      map[string]numDef{},
		styles:    map[string]styleDef{},
		counters:  map[string]*[maxLevels]int{},
	}
	var xn xNumbering
	if numXML != nil && xml.Unmarshal(numXML, &xn) == nil {
		for _, a := range xn.Abstract {
			var levels [maxLevels]numLevel
			for _, x := range a.Levels {
				if i, l := x.level(); i >= 0 && i < maxLevels {
					levels[i] = l
				}
			}
			n.abstract[a.ID] = levels
			if a.StyleLink != nil {
				n.styleLink[a.ID] = a.StyleLink.Val
			}
		}
		for _, x := range xn.Num {
			d := numDef{abstract: x.Abstract.Val, starts: map[int]int{}, levels: map[int]numLevel{}}
			for _, o := range x.Overrides {
				i := atoiOr(o.Ilvl, -1)
				if i < 0 || i >= maxLevels {
					continue
				}
				if o.Start != nil {
					d.starts[i] = atoiOr(o.Start.Val, 1)
				}
				if o.Level != nil {
					_, l := o.Level.level()
					d.levels[i] = l
				}
			}
			n.nums[x.ID] = d
		}
	}
	var xs xStyles
	if stylesXML != nil && xml.Unmarshal(stylesXML, &xs) == nil {
		for _, l := range xs.Lang {
			n.vietnamese = n.vietnamese || isVietnameseLang(l.Val)
		}
		for _, s := range xs.Styles {
			if s.Type != "" && s.Type != "paragraph" {
				continue
			}
			d := styleDef{}
			if s.BasedOn != nil {
				d.basedOn = s.BasedOn.Val
			}
			if s.NumPr != nil {
				if s.NumPr.NumID != nil {
					d.numID = s.NumPr.NumID.Val
				}
				if s.NumPr.Ilvl != nil {
					d.level = s.NumPr.Ilvl.Val
				}
			}
			n.styles[s.ID] = d
		}
	}
	return n
}

func isVietnameseLang(s string) bool {
	s = strings.ToLower(s)
	return s == "vi" || strings.HasPrefix(s, "vi-")
}

// levels returns the levels of list numID with its overrides applied.
func (n *numbering) levels(numID string) ([maxLevels]numLevel, bool) {
	d, ok := n.nums[numID]
	if !ok {
		return [maxLevels]numLevel{}, false
	}
	levels, ok := n.abstract[d.abstract]
	if link := n.styleLink[d.abstract]; link != "" {
		// The definition lives in the list style's own list.
		if st := n.styles[link]; st.numID != "" && st.numID != numID {
			if d2, ok2 := n.nums[st.numID]; ok2 {
				levels, ok = n.abstract[d2.abstract]
			}
		}
	}
	if !ok {
		return levels, false
	}
	for i, l := range d.levels {
		levels[i] = l
	}
	for i, s := range d.starts {
		levels[i].start = s
	}
	return levels, true
}

// paragraphNumbering resolves the list and level of a paragraph from its
// own w:numPr (numID, level: "" when absent) and its style's.
func (n *numbering) paragraphNumbering(style, numID, level string) (string, int) {
	for i, s := 0, style; s != "" && i < 10 && (numID == "" || level == ""); i++ {
		d, ok := n.styles[s]
		if !ok {
			break
		}
		if numID == "" {
			numID = d.numID
		}
		if level == "" {
			level = d.level
		}
		s = d.basedOn
	}
	if numID == "" || numID == "0" {
		return "", 0
	}
	if level == "" {
		// A level bound to the paragraph's style (w:lvl/w:pStyle).
		if levels, ok := n.levels(numID); ok && style != "" {
			for i, l := range levels {
				if l.style == style {
					return numID, i
				}
			}
		}
		return numID, 0
	}
	return numID, min(max(atoiOr(level, 0), 0), maxLevels-1)
}

// label advances list numID at the level and returns the label Word shows
// ("a)", "2.1.", "-"), or "" for a list without a definition or with no
// visible number. Counters are kept per list; a level that advances
// restarts the levels below it.
func (n *numbering) label(numID string, level int) string {
	levels, ok := n.levels(numID)
	if !ok || level < 0 || level >= maxLevels || !levels[level].defined {
		return ""
	}
	c := n.counters[numID]
	if c == nil {
		c = &[maxLevels]int{}
		n.counters[numID] = c
	}
	l := levels[level]
	if c[level] == 0 {
		c[level] = max(l.start, 1)
	} else {
		c[level]++
	}
	for k := level + 1; k < maxLevels; k++ {
		c[k] = 0
	}
	switch l.format {
	case "none":
		return ""
	case "bullet":
		if strings.TrimSpace(l.text) == "+" {
			return "+"
		}
		return "-"
	}
	text := l.text
	for k := maxLevels; k >= 1; k-- { // %10 does not exist; go down so %1 does not eat %1x
		tag := "%" + strconv.Itoa(k)
		if !strings.Contains(text, tag) {
			continue
		}
		v := c[k-1]
		if v == 0 {
			v = max(levels[k-1].start, 1)
		}
		text = strings.ReplaceAll(text, tag, n.format(levels[k-1].format, v))
	}
	return strings.TrimSpace(text)
}

// format writes the value v in a numFmt. Letter lists of a Vietnamese
// document follow the Vietnamese alphabet (a, b, c, d, đ, e, g, …); other
// formats Word has (ordinals, Asian numerals) fall back to decimal.
func (n *numbering) format(f string, v int) string {
	switch f {
	case "lowerLetter":
		return n.letter(v)
	case "upperLetter":
		return strings.ToUpper(n.letter(v))
	case "lowerRoman":
		return strings.ToLower(roman(v))
	case "upperRoman":
		return roman(v)
	case "decimalZero":
		if v < 10 {
			return "0" + strconv.Itoa(v)
		}
	}
	return strconv.Itoa(v)
}

// letter returns the v-th letter (1-based); after the last letter Word
// doubles it ("aa", "bb").
func (n *numbering) letter(v int) string {
	alphabet := []rune("abcdefghijklmnopqrstuvwxyz")
	if n.vietnamese {
		alphabet = []rune(letters)
	}
	if v < 1 {
		v = 1
	}
	v--
	return strings.Repeat(string(alphabet[v%len(alphabet)]), min(v/len(alphabet)+1, 5))
}

// roman writes v (1-3999) in Roman numerals; other values in decimal.
func roman(v int) string {
	if v < 1 || v > 3999 {
		return strconv.Itoa(v)
	}
	vals := []int{1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1}
	syms := []string{"M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"}
	var b strings.Builder
	for i, x := range vals {
		for v >= x {
			b.WriteString(syms[i])
			v -= x
		}
	}
	return b.String()
}

// romanValue reads a Roman numeral of group headings, I to XXXIX, in
// capitals ("II", "XIV"); ok is false for anything else, "C" and "L"
// included (they are letters there).
func romanValue(s string) (int, bool) {
	if s == "" || len(s) > 8 || strings.Trim(s, "IVX") != "" {
		return 0, false
	}
	vals := map[byte]int{'I': 1, 'V': 5, 'X': 10}
	total := 0
	for i := 0; i < len(s); i++ {
		v := vals[s[i]]
		if i+1 < len(s) && vals[s[i+1]] > v {
			total -= v
		} else {
			total += v
		}
	}
	if total <= 0 || roman(total) != s {
		return 0, false
	}
	return total, true
}

package telegram

import (
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// Telegram's limits, in UTF-16 code units (what Telegram counts).
const (
	// MaxText is the longest text of one message.
	MaxText = 4096
	// MaxCaption is the longest caption of a document.
	MaxCaption = 1024
)

// units is the length of s in UTF-16 code units. Telegram counts text
// after parsing entities; counting the raw markup, which is never
// shorter, keeps every part within the limit.
func units(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

type tokKind uint8

const (
	tokChar  tokKind = iota // one rune, or an entity such as &amp;
	tokOpen                 // <b>, <a href="…">
	tokClose                // </b>
)

type token struct {
	text string
	kind tokKind
	name string // tag name, lower case
}

const maxTagLen = 512

// tokenize cuts HTML text into runes, entities and tags, so that a cut
// between tokens never lands inside a tag or an entity. A '<' that does
// not start a tag is a character (the core escapes text, so this only
// happens with markup Telegram would refuse anyway).
func tokenize(s string) []token {
	toks := make([]token, 0, len(s))
	for i := 0; i < len(s); {
		switch s[i] {
		case '<':
			if t, n := scanTag(s[i:]); n > 0 {
				toks = append(toks, t)
				i += n
				continue
			}
		case '&':
			if n := scanEntity(s[i:]); n > 0 {
				toks = append(toks, token{text: s[i : i+n]})
				i += n
				continue
			}
		}
		_, n := utf8.DecodeRuneInString(s[i:])
		toks = append(toks, token{text: s[i : i+n]})
		i += n
	}
	return toks
}

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-'
}

// scanTag reads the tag at the start of s ("<b>", "</b>", `<a href="x">`).
func scanTag(s string) (token, int) {
	end := strings.IndexByte(s, '>')
	if end < 0 || end > maxTagLen {
		return token{}, 0
	}
	body := s[1:end]
	if strings.ContainsRune(body, '<') {
		return token{}, 0
	}
	kind := tokOpen
	if strings.HasPrefix(body, "/") {
		kind, body = tokClose, body[1:]
	}
	n := 0
	for n < len(body) && isNameByte(body[n]) {
		n++
	}
	if n == 0 || body[0] == '-' || (n < len(body) && kind == tokClose) {
		return token{}, 0
	}
	if n < len(body) && body[n] != ' ' && body[n] != '\t' && body[n] != '\n' {
		return token{}, 0
	}
	return token{text: s[:end+1], kind: kind, name: strings.ToLower(body[:n])}, end + 1
}

// scanEntity returns the length of the entity (&lt; &#7841; …) at the
// start of s, or 0.
func scanEntity(s string) int {
	semi := strings.IndexByte(s, ';')
	if semi < 2 || semi > 10 {
		return 0
	}
	for i := 1; i < semi; i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '#') {
			return 0
		}
	}
	return semi + 1
}

func (t token) isSpace() bool {
	return t.kind == tokChar && (t.text == " " || t.text == "\t" || t.text == "\n" || t.text == "\r")
}

// joins reports whether the token must not start a part: a combining mark
// (Vietnamese in decomposed form), a zero-width joiner or a variation
// selector belongs to the character before it.
func (t token) joins() bool {
	if t.kind != tokChar {
		return false
	}
	r, _ := utf8.DecodeRuneInString(t.text)
	return unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r) || r == '\u200d' || unicode.Is(unicode.Variation_Selector, r)
}

// tagStack is the tags open at a point, outermost first.
type tagStack []token

func (st tagStack) apply(t token) tagStack {
	switch t.kind {
	case tokOpen:
		return append(st[:len(st):len(st)], t)
	case tokClose:
		for i := len(st) - 1; i >= 0; i-- {
			if st[i].name == t.name {
				return st[:i:i]
			}
		}
	}
	return st
}

func (st tagStack) reopen() string {
	var b strings.Builder
	for _, t := range st {
		b.WriteString(t.text)
	}
	return b.String()
}

func (st tagStack) closers() string {
	var b strings.Builder
	for i := len(st) - 1; i >= 0; i-- {
		b.WriteString("</" + st[i].name + ">")
	}
	return b.String()
}

func (st tagStack) closersLen() int {
	n := 0
	for _, t := range st {
		n += len(t.name) + 3
	}
	return n
}

// SplitText splits HTML text into messages of at most max UTF-16 units
// each (counted on the markup, see units). It cuts at a line break, else
// at a space, else between any two characters — never inside a tag, an
// entity or a character with its combining marks — preferring the last
// line break that keeps the part at least half full. Tags open at a cut
// are closed at the end of the part and reopened at the start of the
// next, so every part is well-formed on its own. Whitespace at a cut is
// dropped, and so are parts with nothing visible. Markup so deeply nested
// that not even one character fits is sent over the limit (Telegram will
// refuse it) rather than looping.
func SplitText(text string, max int) []string {
	parts, _ := splitText(text, max)
	return parts
}

// splitText is SplitText that also reports whether every part is within
// max.
func splitText(text string, max int) (parts []string, fits bool) {
	if units(text) <= max {
		if visible(tokenize(text)) {
			return []string{text}, true
		}
		return nil, true
	}
	toks := tokenize(text)
	fits = true
	var stack tagStack
	i := 0
	for i < len(toks) {
		// Drop whitespace at the start of a part (Telegram trims it anyway).
		for i < len(toks) && toks[i].isSpace() {
			i++
		}
		if i == len(toks) {
			break
		}
		type cut struct {
			end   int
			len   int
			stack tagStack
		}
		var nl, sp, any, last cut
		nl.end, sp.end, any.end, last.end = -1, -1, -1, -1
		prefix := units(stack.reopen())
		length := prefix
		cur := stack
		j := i
		for ; j < len(toks); j++ {
			t := toks[j]
			// A cut at a line break or a space drops the separator, so
			// the part ends before it.
			if j > i && (t.text == "\n" || t.text == " ") {
				c := cut{end: j, len: length, stack: cur}
				if t.text == "\n" {
					nl = c
				} else {
					sp = c
				}
			}
			next := cur.apply(t)
			l := length + units(t.text)
			if l+next.closersLen() > max {
				break
			}
			length, cur = l, next
			c := cut{end: j + 1, len: length, stack: cur}
			last = c
			if j+1 == len(toks) || !toks[j+1].joins() {
				any = c
			}
		}
		var c cut
		switch {
		case j == len(toks):
			c = cut{end: j, stack: cur}
		case nl.end > i && nl.len >= max/2:
			c = nl
		case sp.end > i && sp.len >= max/2:
			c = sp
		case nl.end > i:
			c = nl
		case sp.end > i:
			c = sp
		case any.end > i:
			c = any
		case last.end > i:
			// Only combining marks: cut between them after all.
			c = last
		default:
			// Not one token fits beside the reopened tags: send it over
			// the limit rather than loop.
			c = cut{end: i + 1, stack: stack.apply(toks[i])}
		}
		body := toks[i:c.end]
		for len(body) > 0 && body[len(body)-1].isSpace() {
			body = body[:len(body)-1]
		}
		if visible(body) {
			var b strings.Builder
			b.WriteString(stack.reopen())
			for _, t := range body {
				b.WriteString(t.text)
			}
			b.WriteString(c.stack.closers())
			p := b.String()
			if units(p) > max {
				fits = false
			}
			parts = append(parts, p)
		}
		stack = c.stack
		i = c.end
	}
	return parts, fits
}

// visible reports whether toks hold anything but tags and whitespace.
func visible(toks []token) bool {
	for _, t := range toks {
		if t.kind == tokChar && !t.isSpace() && strings.TrimSpace(t.text) != "" {
			return true
		}
	}
	return false
}

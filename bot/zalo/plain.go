package zalo

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// units is the length of s in UTF-16 code units, what Zalo's 2,000
// character limit is counted in here (a safe reading: never fewer than
// the code points).
func units(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// Plain turns the HTML subset of plan.Message.Text into the plain text
// Zalo shows: tags (<b>, </i>, <a href="…">) are removed and entities
// (&lt; &amp; &#7841; …) decoded. A '<' that opens no tag is kept (the
// core escapes text, so it only comes from hand-written markup).
func Plain(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		if s[i] == '<' {
			if n := tagLen(s[i:]); n > 0 {
				i += n
				continue
			}
		}
		j := strings.IndexByte(s[i+1:], '<')
		if j < 0 {
			j = len(s)
		} else {
			j += i + 1
		}
		b.WriteString(s[i:j])
		i = j
	}
	return html.UnescapeString(b.String())
}

// tagLen is the length of the tag at the start of s ("<b>", "</b>",
// `<a href="x">`), or 0 when s does not start with one.
func tagLen(s string) int {
	end := strings.IndexByte(s[:min(len(s), 514)], '>')
	if end < 0 {
		return 0
	}
	body := s[1:end]
	if strings.ContainsRune(body, '<') {
		return 0
	}
	body = strings.TrimPrefix(body, "/")
	n := 0
	for n < len(body) && (body[n] >= 'a' && body[n] <= 'z' || body[n] >= 'A' && body[n] <= 'Z' || n > 0 && (body[n] >= '0' && body[n] <= '9' || body[n] == '-')) {
		n++
	}
	if n == 0 {
		return 0
	}
	if n < len(body) && body[n] != ' ' && body[n] != '\t' && body[n] != '\n' && body[n] != '/' {
		return 0
	}
	return end + 1
}

// Split cuts plain text into parts of at most max UTF-16 code units. It
// cuts at line breaks, packing as many whole lines into a part as fit; a
// line longer than max is cut at its last space that fits, else between
// any two characters — never inside a surrogate pair nor before a
// combining mark, a zero-width joiner or a variation selector, which
// belong to the character before them. The line break or space at a cut
// is dropped, so are blank lines at the start and end of a part and
// parts with nothing but whitespace.
func Split(s string, max int) []string {
	if max < 2 {
		max = 2 // one character of two units must fit
	}
	var parts []string
	var cur strings.Builder
	curN, started := 0, false
	flush := func() {
		if p := strings.Trim(cur.String(), "\n"); strings.TrimSpace(p) != "" {
			parts = append(parts, p)
		}
		cur.Reset()
		curN, started = 0, false
	}
	for line := range strings.SplitSeq(s, "\n") {
		n := units(line)
		if started && curN+1+n <= max {
			cur.WriteByte('\n')
			cur.WriteString(line)
			curN += 1 + n
			continue
		}
		if started {
			flush()
		}
		if n <= max {
			cur.WriteString(line)
			curN, started = n, true
			continue
		}
		chunks := splitLine(line, max)
		for _, c := range chunks[:len(chunks)-1] {
			if strings.TrimSpace(c) != "" {
				parts = append(parts, c)
			}
		}
		last := chunks[len(chunks)-1]
		cur.WriteString(last)
		curN, started = units(last), true
	}
	flush()
	return parts
}

// splitLine cuts one line longer than max into chunks of at most max
// units (see Split).
func splitLine(line string, max int) []string {
	var chunks []string
	for total := units(line); total > max; {
		// end: the last byte offset a cut may fall on within max units;
		// space: the last such offset holding a space.
		end, endN, space, spaceN, n := 0, 0, -1, 0, 0
		for i, r := range line {
			if i > 0 && !joins(r) {
				end, endN = i, n
				if r == ' ' {
					space, spaceN = i, n
				}
			}
			n += utf16.RuneLen(r)
			if n > max {
				break
			}
		}
		switch {
		case space > 0:
			chunks = append(chunks, line[:space])
			line, total = line[space+1:], total-spaceN-1
		case end > 0:
			chunks = append(chunks, line[:end])
			line, total = line[end:], total-endN
		default:
			// Only a base character with marks that do not fit: cut after
			// the first rune rather than loop.
			r, size := utf8.DecodeRuneInString(line)
			chunks = append(chunks, line[:size])
			line, total = line[size:], total-utf16.RuneLen(r)
		}
	}
	return append(chunks, line)
}

// joins reports whether r belongs to the character before it.
func joins(r rune) bool {
	return unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r) || r == '\u200d' || unicode.Is(unicode.Variation_Selector, r)
}

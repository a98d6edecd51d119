package telegramtest

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"
)

// units is the length of s in UTF-16 code units, the unit Telegram counts
// lengths and entity offsets in.
func units(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// htmlTags are the tags Telegram's HTML parse mode accepts.
var htmlTags = map[string]bool{
	"b": true, "strong": true, "i": true, "em": true, "u": true, "ins": true,
	"s": true, "strike": true, "del": true, "span": true, "tg-spoiler": true,
	"a": true, "code": true, "pre": true, "blockquote": true, "tg-emoji": true,
}

// ParseHTML checks text the way Telegram's HTML parse mode does and
// returns the visible text: tags removed, entities (&lt; &gt; &amp;
// &quot; and numeric ones) decoded. Unknown tags, a '<' that opens no
// tag, and unbalanced or crossed tags are errors with Telegram's wording.
func ParseHTML(text string) (string, error) {
	var out strings.Builder
	var stack []string
	for i := 0; i < len(text); {
		c := text[i]
		switch c {
		case '<':
			end := strings.IndexByte(text[i:], '>')
			if end < 0 {
				return "", fmt.Errorf("Unclosed start tag at byte offset %d", i)
			}
			tag := text[i+1 : i+end]
			if strings.IndexByte(tag, '<') >= 0 {
				return "", fmt.Errorf("Unclosed start tag at byte offset %d", i)
			}
			closing := strings.HasPrefix(tag, "/")
			tag = strings.TrimPrefix(tag, "/")
			name := tag
			if j := strings.IndexAny(tag, " \t\n"); j >= 0 {
				name = tag[:j]
			}
			name = strings.ToLower(name)
			if !htmlTags[name] {
				if closing {
					return "", fmt.Errorf("Unsupported end tag %q at byte offset %d", name, i)
				}
				return "", fmt.Errorf("Unsupported start tag %q at byte offset %d", name, i)
			}
			if closing {
				if len(stack) == 0 {
					return "", fmt.Errorf("Unexpected end tag at byte offset %d", i)
				}
				if top := stack[len(stack)-1]; top != name {
					return "", fmt.Errorf("Unmatched end tag at byte offset %d, expected \"</%s>\", found \"</%s>\"", i, top, name)
				}
				stack = stack[:len(stack)-1]
			} else {
				stack = append(stack, name)
			}
			i += end + 1
		case '&':
			if r, n := decodeEntity(text[i:]); n > 0 {
				out.WriteRune(r)
				i += n
				continue
			}
			out.WriteByte(c)
			i++
		default:
			out.WriteByte(c)
			i++
		}
	}
	if len(stack) > 0 {
		return "", fmt.Errorf("Can't find end tag corresponding to start tag %q", stack[len(stack)-1])
	}
	return out.String(), nil
}

// decodeEntity decodes the HTML entity at the start of s, returning the
// rune and the entity's length, or 0 when s starts with none.
func decodeEntity(s string) (rune, int) {
	semi := strings.IndexByte(s, ';')
	if semi < 2 || semi > 10 {
		return 0, 0
	}
	name := s[1:semi]
	switch name {
	case "lt":
		return '<', semi + 1
	case "gt":
		return '>', semi + 1
	case "amp":
		return '&', semi + 1
	case "quot":
		return '"', semi + 1
	}
	if num, ok := strings.CutPrefix(name, "#"); ok {
		base := 10
		if h, ok := strings.CutPrefix(num, "x"); ok {
			num, base = h, 16
		}
		v, err := strconv.ParseInt(num, base, 32)
		if err == nil && v > 0 && v <= 0x10FFFF {
			return rune(v), semi + 1
		}
	}
	return 0, 0
}

package importer

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"sort"
	"strings"
	"unicode"

	"github.com/ledongthuc/pdf"
	"golang.org/x/text/unicode/norm"

	"github.com/chanhlo/planbot/plan"
)

// Reading a PDF: github.com/ledongthuc/pdf parses the file (cross-reference
// tables and streams, filters, standard encryption with an empty user
// password) and this file interprets the page content itself, so that each
// glyph comes with its position, width and size, composite (Type0) fonts
// included, and so that every walk over the file is bounded. The glyphs
// are then laid out again: lines by baseline, words by gaps, tables by
// columns of white space, paragraphs by their wrapping, and the header and
// footer repeated on every page are dropped.

// Limits on what one PDF may cost: a plan is a few dozen pages.
const (
	maxPDFPages     = 300 // pages read; more is refused
	maxPDFNodes     = 4 * maxPDFPages
	maxPDFDepth     = 32      // page tree depth
	maxPDFGlyphs    = 2 << 20 // glyphs in the whole file
	maxPDFContent   = 8 << 20 // decompressed content bytes of one page (forms included)
	maxPDFCMap      = 1 << 20 // decompressed bytes of one ToUnicode map
	maxPDFNesting   = 256     // nesting of arrays and dictionaries in a stream
	maxPDFForms     = 256     // form XObjects drawn on one page
	maxPDFFormDepth = 8
	maxCMapRanges   = 1 << 16
)

// The refusals of a PDF, after the file label.
const (
	msgPDFScanned   = "tệp PDF là bản quét, chưa có lớp chữ: đề nghị gửi bản .docx hoặc PDF có chữ"
	msgPDFEncrypted = "tệp PDF có mật khẩu hoặc bị khoá, chưa đọc được: đề nghị gửi bản không đặt mật khẩu hoặc bản .docx"
	msgPDFBroken    = "tệp PDF bị hỏng hoặc không đúng định dạng, chưa đọc được: đề nghị xuất lại PDF hoặc gửi bản .docx"
	msgPDFTooLarge  = "tệp PDF quá lớn hoặc quá phức tạp (quá %d trang hoặc quá nhiều nội dung): đề nghị gửi bản .docx"
)

var (
	errPDFScanned   = errors.New(msgPDFScanned)
	errPDFEncrypted = errors.New(msgPDFEncrypted)
	errPDFBroken    = errors.New(msgPDFBroken)
	errPDFTooLarge  = fmt.Errorf(msgPDFTooLarge, maxPDFPages)
)

// readPDFBlocks is pdfBlocks with its refusals as *plan.Error, after the
// file label.
func readPDFBlocks(data []byte, name string) ([]docBlock, error) {
	blocks, err := pdfBlocks(data)
	if err != nil {
		return nil, plan.Errorf(plan.EInvalid, "%s: %s", fileLabel(name), err.Error())
	}
	return blocks, nil
}

// pdfBlocks reads the text layer of a PDF: for each page in order, its
// paragraphs (one block each, the wrapped lines joined with spaces) and its
// tables (a block each, one cell a column), without the running header and
// footer. The text is NFC. A PDF with no text (a scan) is errPDFScanned;
// an encrypted one errPDFEncrypted; one that cannot be read errPDFBroken.
func pdfBlocks(data []byte) (blocks []docBlock, err error) {
	defer func() {
		if r := recover(); r != nil {
			blocks, err = nil, errPDFBroken
		}
	}()
	data = fixPDFHeader(data)
	rd, err := pdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		if bytes.Contains(data, []byte("/Encrypt")) {
			return nil, errPDFEncrypted
		}
		return nil, errPDFBroken
	}
	if nestingTooDeep(data) {
		return nil, errPDFBroken
	}
	pages, err := pdfPages(rd)
	if err != nil {
		return nil, err
	}
	glyphs := 0
	var laid []*pdfPage
	for _, pg := range pages {
		gs, err := pg.glyphs(&glyphs)
		if err != nil {
			return nil, err
		}
		laid = append(laid, &pdfPage{lines: buildLines(gs), top: pg.top, bottom: pg.bottom})
	}
	hasText := false
	for _, p := range laid {
		if len(p.lines) > 0 {
			hasText = true
			break
		}
	}
	if !hasText {
		return nil, errPDFScanned
	}
	dropRunning(laid)
	right := textRight(laid)
	for _, p := range laid {
		blocks = append(blocks, p.blocks(right)...)
	}
	if len(blocks) == 0 {
		return nil, errPDFScanned
	}
	return blocks, nil
}

// fixPDFHeader returns data as the library accepts it: a "%PDF-2.0" (or any
// version) header read as 1.7, and what follows the last %%EOF cut off.
func fixPDFHeader(data []byte) []byte {
	if len(data) < 10 {
		return data
	}
	out := data
	if string(data[5:8]) != "1.7" || (data[8] != '\n' && data[8] != '\r') {
		out = append([]byte(nil), data...)
		copy(out[5:8], "1.7")
		if out[8] != '\n' && out[8] != '\r' {
			out[8] = '\n'
		}
	}
	if i := bytes.LastIndex(out, []byte("%%EOF")); i >= 0 {
		out = out[:i+5]
	}
	return out
}

// nestingTooDeep tells whether arrays or dictionaries nest deeper than
// maxPDFNesting in b, which the library's recursive parser cannot survive
// (a stack overflow is not a recoverable panic).
func nestingTooDeep(b []byte) bool {
	depth := 0
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case '[':
			depth++
		case ']':
			depth--
		case '<':
			if i+1 < len(b) && b[i+1] == '<' {
				depth++
				i++
			}
		case '>':
			if i+1 < len(b) && b[i+1] == '>' {
				depth--
				i++
			}
		}
		if depth < 0 {
			depth = 0
		}
		if depth > maxPDFNesting {
			return true
		}
	}
	return false
}

// readStream returns the decompressed bytes of a stream (or of an array of
// streams, joined by newlines), failing past limit bytes or nesting too deep.
func readStream(v pdf.Value, limit int) (data []byte, ok bool) {
	defer func() {
		if recover() != nil {
			data, ok = nil, false
		}
	}()
	var buf bytes.Buffer
	read := func(s pdf.Value) bool {
		if s.Kind() != pdf.Stream {
			return false
		}
		rc := s.Reader()
		defer rc.Close()
		_, err := io.Copy(&buf, io.LimitReader(rc, int64(limit-buf.Len()+1)))
		buf.WriteByte('\n')
		return err == nil && buf.Len() <= limit
	}
	if v.Kind() == pdf.Array {
		for i := 0; i < v.Len() && i < 1024; i++ {
			if !read(v.Index(i)) {
				return nil, false
			}
		}
	} else if !read(v) {
		return nil, false
	}
	if nestingTooDeep(buf.Bytes()) {
		return nil, false
	}
	return buf.Bytes(), true
}

// pageSrc is a page to read: its dictionary and inherited resources and
// media box.
type pageSrc struct {
	v, res      pdf.Value
	top, bottom float64
}

// pdfPages walks the page tree in order, with inherited resources and media
// boxes, bounded in depth and in nodes (a tree with cycles ends).
func pdfPages(rd *pdf.Reader) ([]*pageSrc, error) {
	var pages []*pageSrc
	nodes := 0
	tooMany := false
	var walk func(v, res, box pdf.Value, depth int)
	walk = func(v, res, box pdf.Value, depth int) {
		nodes++
		if tooMany || depth > maxPDFDepth || nodes > maxPDFNodes || v.Kind() != pdf.Dict {
			return
		}
		if r := v.Key("Resources"); r.Kind() == pdf.Dict {
			res = r
		}
		if b := v.Key("MediaBox"); b.Kind() == pdf.Array && b.Len() == 4 {
			box = b
		}
		kids := v.Key("Kids")
		if v.Key("Type").Name() == "Pages" || (kids.Kind() == pdf.Array && v.Key("Type").Name() != "Page") {
			for i := 0; i < kids.Len() && !tooMany; i++ {
				walk(kids.Index(i), res, box, depth+1)
			}
			return
		}
		if len(pages) >= maxPDFPages {
			tooMany = true
			return
		}
		top, bottom := 842.0, 0.0
		if box.Kind() == pdf.Array {
			y0, y1 := box.Index(1).Float64(), box.Index(3).Float64()
			top, bottom = math.Max(y0, y1), math.Min(y0, y1)
			if top-bottom < 10 {
				top, bottom = 842, 0
			}
		}
		pages = append(pages, &pageSrc{v: v, res: res, top: top, bottom: bottom})
	}
	walk(rd.Trailer().Key("Root").Key("Pages"), pdf.Value{}, pdf.Value{}, 0)
	if tooMany {
		return nil, errPDFTooLarge
	}
	if len(pages) == 0 {
		return nil, errPDFBroken
	}
	return pages, nil
}

// glyph is one character drawn on a page, in points from the bottom left.
type glyph struct {
	x, y, w, size float64
	s             string
}

type matrix [6]float64 // a b c d e f, as in PDF

var identity = matrix{1, 0, 0, 1, 0, 0}

// mul returns m×n (m applied first).
func (m matrix) mul(n matrix) matrix {
	return matrix{
		m[0]*n[0] + m[1]*n[2], m[0]*n[1] + m[1]*n[3],
		m[2]*n[0] + m[3]*n[2], m[2]*n[1] + m[3]*n[3],
		m[4]*n[0] + m[5]*n[2] + n[4], m[4]*n[1] + m[5]*n[3] + n[5],
	}
}

func matrixOf(args []pdf.Value) (matrix, bool) {
	if len(args) < 6 {
		return identity, false
	}
	var m matrix
	for i := range m {
		m[i] = args[len(args)-6+i].Float64()
		if math.IsNaN(m[i]) || math.IsInf(m[i], 0) {
			return identity, false
		}
	}
	return m, true
}

type textState struct {
	ctm, tm, tlm              matrix
	tc, tw, th, tl, tfs, rise float64
	font                      *pdfFont
}

// glyphs interprets the page's content and returns its glyphs; *count is
// the glyphs of the file so far.
func (pg *pageSrc) glyphs(count *int) (out []glyph, err error) {
	budget := maxPDFContent
	forms := 0
	var run func(content, res pdf.Value, ctm matrix, depth int) error
	run = func(content, res pdf.Value, ctm matrix, depth int) (err error) {
		data, ok := readStream(content, budget)
		if !ok {
			if budget <= 0 {
				return errPDFTooLarge
			}
			return nil // a stream that cannot be read: the page goes on without it
		}
		budget -= len(data)
		g := textState{ctm: ctm, tm: identity, tlm: identity, th: 1}
		var stack []textState
		defer func() {
			// A malformed operator ends this stream; what was read stays.
			if r := recover(); r != nil {
				if e, ok := r.(error); ok && (e == errPDFTooLarge) {
					err = e
				}
			}
		}()
		show := func(raw string) {
			f := g.font
			if f == nil {
				return
			}
			for len(raw) > 0 {
				n := f.codeLen
				if n > len(raw) {
					n = len(raw)
				}
				code := raw[:n]
				raw = raw[n:]
				w0 := f.width(code) / 1000
				s := f.decode(code)
				m := matrix{g.tfs * g.th, 0, 0, g.tfs, 0, g.rise}.mul(g.tm).mul(g.ctm)
				size := math.Hypot(m[2], m[3])
				xscale := math.Hypot(m[0], m[1])
				// Text turned on its side (a stamp, a margin note) is not
				// part of the plan's lines.
				upright := math.Abs(m[1]) <= 0.1*math.Abs(m[0]) && m[0] > 0 && m[3] > 0
				if upright && s != "" && size > 0.5 && size < 500 {
					*count++
					if *count > maxPDFGlyphs {
						panic(errPDFTooLarge)
					}
					out = append(out, glyph{x: m[4], y: m[5], w: w0 * xscale, size: size, s: s})
				}
				tx := w0*g.tfs + g.tc
				if n == 1 && code == " " {
					tx += g.tw
				}
				g.tm = matrix{1, 0, 0, 1, tx * g.th, 0}.mul(g.tm)
			}
		}
		nextLine := func() {
			g.tlm = matrix{1, 0, 0, 1, 0, -g.tl}.mul(g.tlm)
			g.tm = g.tlm
		}
		fonts := map[string]*pdfFont{}
		pdf.Interpret(content, func(stk *pdf.Stack, op string) {
			args := make([]pdf.Value, stk.Len())
			for i := len(args) - 1; i >= 0; i-- {
				args[i] = stk.Pop()
			}
			num := func(i int) float64 {
				if i >= len(args) {
					return 0
				}
				v := args[i].Float64()
				if math.IsNaN(v) || math.IsInf(v, 0) {
					return 0
				}
				return v
			}
			switch op {
			case "q":
				if len(stack) < 64 {
					stack = append(stack, g)
				}
			case "Q":
				if n := len(stack); n > 0 {
					g = stack[n-1]
					stack = stack[:n-1]
				}
			case "cm":
				if m, ok := matrixOf(args); ok {
					g.ctm = m.mul(g.ctm)
				}
			case "BT":
				g.tm, g.tlm = identity, identity
			case "Tc":
				g.tc = num(0)
			case "Tw":
				g.tw = num(0)
			case "Tz":
				g.th = num(0) / 100
			case "TL":
				g.tl = num(0)
			case "Ts":
				g.rise = num(0)
			case "Tf":
				if len(args) >= 2 {
					name := args[0].Name()
					f, ok := fonts[name]
					if !ok && len(fonts) < 256 {
						f = newPDFFont(res.Key("Font").Key(name))
						fonts[name] = f
					}
					g.font = f
					g.tfs = num(1)
				}
			case "TD", "Td":
				if len(args) >= 2 {
					if op == "TD" {
						g.tl = -num(1)
					}
					g.tlm = matrix{1, 0, 0, 1, num(0), num(1)}.mul(g.tlm)
					g.tm = g.tlm
				}
			case "Tm":
				if m, ok := matrixOf(args); ok {
					g.tm, g.tlm = m, m
				}
			case "T*":
				nextLine()
			case "Tj":
				if len(args) >= 1 {
					show(args[len(args)-1].RawString())
				}
			case "'":
				nextLine()
				if len(args) >= 1 {
					show(args[len(args)-1].RawString())
				}
			case "\"":
				if len(args) >= 3 {
					g.tw, g.tc = num(0), num(1)
					nextLine()
					show(args[2].RawString())
				}
			case "TJ":
				if len(args) >= 1 {
					a := args[len(args)-1]
					for i := 0; i < a.Len() && i < 1<<16; i++ {
						x := a.Index(i)
						if x.Kind() == pdf.String {
							show(x.RawString())
						} else {
							tx := -x.Float64() / 1000 * g.tfs * g.th
							if !math.IsNaN(tx) && !math.IsInf(tx, 0) {
								g.tm = matrix{1, 0, 0, 1, tx, 0}.mul(g.tm)
							}
						}
					}
				}
			case "Do":
				if len(args) < 1 || depth >= maxPDFFormDepth {
					return
				}
				xo := res.Key("XObject").Key(args[0].Name())
				if xo.Key("Subtype").Name() != "Form" {
					return
				}
				forms++
				if forms > maxPDFForms {
					return
				}
				fm := identity
				if mv := xo.Key("Matrix"); mv.Kind() == pdf.Array && mv.Len() == 6 {
					vals := make([]pdf.Value, 6)
					for i := range vals {
						vals[i] = mv.Index(i)
					}
					fm, _ = matrixOf(vals)
				}
				fres := res
				if r := xo.Key("Resources"); r.Kind() == pdf.Dict {
					fres = r
				}
				saved := g
				if e := run(xo, fres, fm.mul(g.ctm), depth+1); e != nil {
					panic(e)
				}
				g = saved
			}
		})
		return nil
	}
	if err := run(pg.v.Key("Contents"), pg.res, identity, 0); err != nil {
		return nil, err
	}
	return out, nil
}

// pdfFont is what the text of one font needs: how many bytes a code takes,
// how a code reads, and its width in thousandths of the size.
type pdfFont struct {
	codeLen int
	enc     pdf.TextEncoding
	first   int
	widths  []float64
	dw      float64
	cidW    map[int]float64
	cidR    []cidRange
}

type cidRange struct {
	lo, hi int
	w      float64
}

// newPDFFont reads a font dictionary; it never fails (a font it cannot
// read decodes to nothing).
func newPDFFont(v pdf.Value) (f *pdfFont) {
	f = &pdfFont{codeLen: 1, dw: 500}
	defer func() {
		if recover() != nil {
			f = &pdfFont{codeLen: 1, dw: 500}
		}
	}()
	if v.Kind() != pdf.Dict {
		return f
	}
	if tu := v.Key("ToUnicode"); tu.Kind() == pdf.Stream {
		if _, ok := readStream(tu, maxPDFCMap); !ok {
			return f
		}
	}
	font := pdf.Font{V: v}
	f.enc = font.Encoder()
	if v.Key("Subtype").Name() == "Type0" {
		f.codeLen = 2
		f.dw = 1000
		d := v.Key("DescendantFonts").Index(0)
		if dw := d.Key("DW"); dw.Kind() == pdf.Integer || dw.Kind() == pdf.Real {
			f.dw = dw.Float64()
		}
		f.cidW = map[int]float64{}
		w := d.Key("W")
		for i := 0; i+1 < w.Len() && i < maxCMapRanges; {
			c := int(w.Index(i).Int64())
			next := w.Index(i + 1)
			if next.Kind() == pdf.Array {
				for k := 0; k < next.Len() && len(f.cidW) < maxCMapRanges; k++ {
					f.cidW[c+k] = next.Index(k).Float64()
				}
				i += 2
				continue
			}
			if i+2 < w.Len() {
				f.cidR = append(f.cidR, cidRange{c, int(next.Int64()), w.Index(i + 2).Float64()})
			}
			i += 3
		}
		return f
	}
	f.first = int(v.Key("FirstChar").Int64())
	ws := v.Key("Widths")
	for i := 0; i < ws.Len() && i < 256; i++ {
		f.widths = append(f.widths, ws.Index(i).Float64())
	}
	if len(f.widths) > 0 {
		f.dw = 0
	}
	return f
}

// width is the width of a code, in thousandths of the font size.
func (f *pdfFont) width(code string) float64 {
	if f.codeLen == 2 && len(code) == 2 {
		c := int(code[0])<<8 | int(code[1])
		if w, ok := f.cidW[c]; ok {
			return w
		}
		for _, r := range f.cidR {
			if r.lo <= c && c <= r.hi {
				return r.w
			}
		}
		return f.dw
	}
	if len(code) == 1 {
		if i := int(code[0]) - f.first; i >= 0 && i < len(f.widths) {
			return f.widths[i]
		}
		if code == " " && len(f.widths) == 0 {
			return 250
		}
	}
	return f.dw
}

// decode returns the text of one code, control characters left out.
func (f *pdfFont) decode(code string) (s string) {
	if f.enc == nil {
		return ""
	}
	defer func() {
		if recover() != nil {
			s = ""
		}
	}()
	s = f.enc.Decode(code)
	if !strings.ContainsFunc(s, unicode.IsControl) && !strings.ContainsRune(s, 0) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
}

// pword is a word of a line; pline a line of a page.
type pword struct {
	x0, x1, size float64
	text         string
}

type pline struct {
	words     []pword
	x0, x1, y float64
	size      float64
}

func (l pline) text() string {
	parts := make([]string, len(l.words))
	for i, w := range l.words {
		parts[i] = w.text
	}
	return strings.Join(parts, " ")
}

type pdfPage struct {
	lines       []pline
	top, bottom float64
}

// buildLines groups glyphs into lines by baseline (top to bottom) and each
// line into words by the gaps between glyphs (left to right).
func buildLines(gs []glyph) []pline {
	var keep []glyph
	for _, g := range gs {
		if strings.TrimSpace(g.s) != "" {
			keep = append(keep, g)
		}
	}
	sort.SliceStable(keep, func(i, j int) bool { return keep[i].y > keep[j].y })
	var lines []pline
	for i := 0; i < len(keep); {
		y0, size := keep[i].y, keep[i].size
		j := i + 1
		for j < len(keep) && y0-keep[j].y <= 0.35*math.Max(size, keep[j].size) {
			size = math.Max(size, keep[j].size)
			j++
		}
		row := append([]glyph(nil), keep[i:j]...)
		i = j
		sort.SliceStable(row, func(a, b int) bool { return row[a].x < row[b].x })
		var l pline
		var cur strings.Builder
		var w pword
		right := math.Inf(-1)
		var last glyph
		flush := func() {
			if cur.Len() > 0 {
				w.text = norm.NFC.String(cur.String())
				l.words = append(l.words, w)
			}
			cur.Reset()
		}
		for k, g := range row {
			gw := g.w
			if gw <= 0 {
				gw = 0.5 * g.size
			}
			// Text drawn twice a hair apart (simulated bold) reads once.
			if k > 0 && g.s == last.s && math.Abs(g.x-last.x) < 0.2*g.size {
				continue
			}
			if k == 0 || g.x-right > 0.15*math.Max(g.size, last.size) {
				flush()
				w = pword{x0: g.x, size: g.size}
			}
			cur.WriteString(g.s)
			w.x1 = math.Max(w.x1, g.x+gw)
			w.size = math.Max(w.size, g.size)
			right = math.Max(right, g.x+gw)
			if g.x+gw < right-2*g.size { // a glyph far left of what came before: keep the furthest right
				right = g.x + gw
			}
			last = g
		}
		flush()
		if len(l.words) == 0 {
			continue
		}
		l.y, l.size = y0, size
		l.x0, l.x1 = l.words[0].x0, l.words[len(l.words)-1].x1
		lines = append(lines, l)
	}
	return lines
}

var (
	pageNumberRe = regexp.MustCompile(`(?i)^\W*(trang\s*)?\d{1,4}(\s*(/|trên|of)\s*\d{1,4})?\W*$`)
	digitsRe     = regexp.MustCompile(`\d+`)
	itemStartRe  = regexp.MustCompile(`^([-–—+•·▪◦*]|\d{1,2}(\.\d{1,2})*[.)](\s|$)|[a-zA-ZđĐ][.)](\s|$)|[IVXL]+[.)](\s|$)|\(\d{1,2}\)(\s|$))`)
)

// dropRunning removes the running header and footer: a line near the top
// or bottom edge whose text (digits aside) comes back at the same height on
// most pages, and page numbers there.
func dropRunning(pages []*pdfPage) {
	if len(pages) < 2 {
		return
	}
	type key struct {
		y    int
		text string
	}
	zone := func(p *pdfPage, l pline) bool {
		h := p.top - p.bottom
		return l.y > p.top-0.15*h || l.y < p.bottom+0.15*h
	}
	keyOf := func(l pline) key {
		return key{int(math.Round(l.y / 4)), digitsRe.ReplaceAllString(l.text(), "#")}
	}
	seen := map[key]int{}
	for _, p := range pages {
		here := map[key]bool{}
		for _, l := range p.lines {
			if zone(p, l) {
				here[keyOf(l)] = true
			}
		}
		for k := range here {
			seen[k]++
		}
	}
	most := (len(pages)*4 + 9) / 10 // 40%: a header on odd pages only counts
	if most < 2 {
		most = 2
	}
	for _, p := range pages {
		kept := p.lines[:0]
		for _, l := range p.lines {
			if zone(p, l) && (seen[keyOf(l)] >= most || pageNumberRe.MatchString(l.text())) {
				continue
			}
			kept = append(kept, l)
		}
		p.lines = kept
	}
}

// textRight is the right edge of the body text: the furthest right a line
// of four words or more reaches.
func textRight(pages []*pdfPage) float64 {
	right := 0.0
	for _, p := range pages {
		for _, l := range p.lines {
			if len(l.words) >= 4 && l.x1 > right {
				right = l.x1
			}
		}
	}
	return right
}

// blocks lays out a page's lines as tables and paragraphs.
func (p *pdfPage) blocks(right float64) []docBlock {
	var out []docBlock
	var para []pline
	flush := func() {
		if len(para) == 0 {
			return
		}
		var b strings.Builder
		for i, l := range para {
			t := l.text()
			if i > 0 {
				prev := para[i-1].words
				lw := prev[len(prev)-1].text
				if !(strings.HasSuffix(lw, "-") && len([]rune(lw)) > 1) {
					b.WriteByte(' ')
				}
			}
			b.WriteString(t)
		}
		out = append(out, docBlock{Text: b.String()})
		para = nil
	}
	for i := 0; i < len(p.lines); {
		if t, end := tableAt(p.lines, i); t != nil {
			flush()
			out = append(out, docBlock{Table: t})
			i = end
			continue
		}
		l := p.lines[i]
		if len(para) > 0 {
			prev := para[len(para)-1]
			size := math.Max(prev.size, l.size)
			gap := prev.y - l.y
			t := l.text()
			_, _, isLabel := label(t)
			joins := gap > 0 && gap <= 1.7*size && prev.x1 >= right-4*size &&
				l.x0 <= prev.x0+size && !itemStartRe.MatchString(t) && !isLabel
			if !joins {
				flush()
			}
		}
		para = append(para, l)
		i++
	}
	flush()
	return out
}

// tableAt reads a table starting at lines[i]: a line of three parts or
// more with wide gaps between them opens it, the gaps are its column
// separators, and the lines below belong to it while no word crosses a
// separator. A line below the previous one by more than the line pitch
// starts a row; the others continue the cells above. It returns the rows
// and the index after the table, or nil when lines[i] opens no table of
// two rows or more.
func tableAt(lines []pline, i int) ([][]string, int) {
	head := lines[i]
	size := head.size
	var cors []corridor
	for k := 1; k < len(head.words); k++ {
		if gap := head.words[k].x0 - head.words[k-1].x1; gap > size {
			cors = append(cors, corridor{head.words[k-1].x1, head.words[k].x0})
		}
	}
	if len(cors) < 2 {
		return nil, i
	}
	end := i + 1
	for end < len(lines) {
		l := lines[end]
		gap := lines[end-1].y - l.y
		if gap <= 0 || gap > 2.5*size {
			break
		}
		next := append([]corridor(nil), cors...)
		ok := true
		for _, sg := range l.words {
			for c := range next {
				cr := &next[c]
				if sg.x1 <= cr.lo || sg.x0 >= cr.hi {
					continue
				}
				switch {
				case sg.x0 <= cr.lo && sg.x1 >= cr.hi:
					ok = false
				case sg.x0 <= cr.lo:
					cr.lo = sg.x1
				case sg.x0-cr.lo < 0.5*size:
					cr.lo = sg.x1 // the next word of the column on the left
				default:
					// Inside the gap or past its right end: text of the
					// column on the right (cells are set from their left
					// edge, and a centred heading may be narrower).
					cr.hi = sg.x0
				}
				if cr.hi-cr.lo < 0.2*size {
					ok = false
				}
			}
		}
		// Words side by side in two columns are a cell gap apart, not a
		// word space: prose under the table runs across the columns.
		for k := 1; k < len(l.words) && ok; k++ {
			a, b := l.words[k-1], l.words[k]
			if columnOf(next, a) != columnOf(next, b) && b.x0-a.x1 < 0.3*size {
				ok = false
			}
		}
		if !ok {
			break
		}
		cors = next
		end++
	}
	column := func(w pword) int { return columnOf(cors, w) }
	// Rows: the line pitch inside a cell is the smallest gap of about one
	// line (cells centred side by side put their lines half a pitch
	// apart); a gap wider than the pitch, by the cell padding and border,
	// starts a row. When all gaps are alike, every line is a row.
	pitch, narrowest, widest := math.Inf(1), math.Inf(1), 0.0
	for k := i + 1; k < end; k++ {
		gap := lines[k-1].y - lines[k].y
		if gap >= 0.95*size && gap <= 1.6*size {
			pitch = math.Min(pitch, gap)
		}
		narrowest, widest = math.Min(narrowest, gap), math.Max(widest, gap)
	}
	uniform := widest-narrowest <= 0.15*size
	var rows [][]pline
	for k := i; k < end; k++ {
		if k == i || uniform || lines[k-1].y-lines[k].y > pitch+0.1*size {
			rows = append(rows, nil)
		}
		rows[len(rows)-1] = append(rows[len(rows)-1], lines[k])
	}
	// A row with text in one column only is the prose after the table.
	for r := 1; r < len(rows); r++ {
		used := map[int]bool{}
		for _, l := range rows[r] {
			for _, w := range l.words {
				used[column(w)] = true
			}
		}
		if len(used) < 2 {
			for _, rr := range rows[r:] {
				end -= len(rr)
			}
			rows = rows[:r]
			break
		}
	}
	if len(rows) < 2 {
		return nil, i
	}
	table := make([][]string, len(rows))
	for r, row := range rows {
		cells := make([][]string, len(cors)+1)
		for _, l := range row {
			parts := make([][]string, len(cors)+1)
			for _, w := range l.words {
				c := column(w)
				parts[c] = append(parts[c], w.text)
			}
			for c, ws := range parts {
				if len(ws) > 0 {
					cells[c] = append(cells[c], strings.Join(ws, " "))
				}
			}
		}
		table[r] = make([]string, len(cells))
		for c, ls := range cells {
			table[r][c] = strings.Join(ls, "\n")
		}
	}
	return table, end
}

// corridor is the white space between two columns of a table.
type corridor struct{ lo, hi float64 }

// columnOf is the column of a word: the corridors it is right of.
func columnOf(cors []corridor, w pword) int {
	c := 0
	for c < len(cors) && w.x0 >= cors[c].hi-0.01 {
		c++
	}
	return c
}

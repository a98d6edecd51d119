package importer

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// docxBlocks reads word/document.xml in reading order: each paragraph is a
// block (<w:t> is text, <w:tab/> a tab, <w:br/> and <w:cr/> a line break,
// and its automatic numbering label from word/numbering.xml written in
// front), each top-level table a block of rows and cells. Merged cells are
// spread (w:gridSpan across the columns, w:vMerge down the rows), a header
// row (w:tblHeader) repeated further down is kept once, and a table nested
// in a cell becomes lines of that cell.
func docxBlocks(data []byte) ([]docBlock, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("open docx: %w", err)
	}
	parts := map[string][]byte{}
	for _, f := range zr.File {
		switch f.Name {
		case "word/document.xml", "word/numbering.xml", "word/styles.xml":
		default:
			continue
		}
		if _, dup := parts[f.Name]; dup {
			continue
		}
		b, err := readZipFile(f)
		if err != nil {
			if f.Name == "word/document.xml" {
				return nil, err
			}
			continue // numbering or styles unreadable: text without labels
		}
		parts[f.Name] = b
	}
	doc, ok := parts["word/document.xml"]
	if !ok {
		return nil, errors.New("docx: no word/document.xml")
	}
	num := newNumbering(parts["word/numbering.xml"], parts["word/styles.xml"])
	num.vietnamese = num.vietnamese || looksVietnamese(doc)
	return (&docxReader{num: num}).read(doc)
}

func readZipFile(f *zip.File) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", f.Name, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, maxXMLSize+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", f.Name, err)
	}
	if len(b) > maxXMLSize {
		return nil, fmt.Errorf("%s: larger than %d MB", f.Name, maxXMLSize>>20)
	}
	return b, nil
}

// looksVietnamese reports letters only Vietnamese uses among the languages
// plans are written in (ư, ơ, ă, đ), for documents that do not declare
// their language.
func looksVietnamese(doc []byte) bool {
	for _, s := range []string{"ư", "ơ", "ă", "đ", "Ư", "Ơ", "Ă", "Đ"} {
		if bytes.Contains(doc, []byte(s)) {
			return true
		}
	}
	return false
}

// docxPara is a paragraph being read.
type docxPara struct {
	text         strings.Builder
	style        string
	numID, level string
	hasNumID     bool
}

type docxCell struct {
	lines  []string
	span   int
	vmerge int // 0 none, 1 restart, 2 continue
}

type docxRow struct {
	cells      []docxCell
	header     bool
	gridBefore int
}

type docxTable struct {
	rows []docxRow
}

func (t *docxTable) row() *docxRow {
	if len(t.rows) == 0 {
		t.rows = append(t.rows, docxRow{})
	}
	return &t.rows[len(t.rows)-1]
}

func (t *docxTable) cell() *docxCell {
	r := t.row()
	if len(r.cells) == 0 {
		r.cells = append(r.cells, docxCell{span: 1})
	}
	return &r.cells[len(r.cells)-1]
}

type docxReader struct {
	num    *numbering
	out    []docBlock
	path   []string // local names of the open elements
	paras  []*docxPara
	tables []*docxTable
	skip   int // depth inside mc:Fallback, whose content repeats mc:Choice
}

// parent returns the local name of the element n levels above the current
// one (0 = the current element).
func (d *docxReader) parent(n int) string {
	if i := len(d.path) - 1 - n; i >= 0 {
		return d.path[i]
	}
	return ""
}

func attr(e xml.StartElement, local string) (string, bool) {
	for _, a := range e.Attr {
		if a.Name.Local == local {
			return a.Value, true
		}
	}
	return "", false
}

func (d *docxReader) read(doc []byte) ([]docBlock, error) {
	dec := xml.NewDecoder(bytes.NewReader(doc))
	sawBody := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("parse word/document.xml: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			d.path = append(d.path, t.Name.Local)
			if d.skip > 0 || t.Name.Local == "Fallback" {
				d.skip++
				continue
			}
			if t.Name.Local == "body" {
				sawBody = true
			}
			d.start(t)
		case xml.EndElement:
			if d.skip > 0 {
				d.skip--
			} else {
				d.end(t.Name.Local)
			}
			if len(d.path) > 0 {
				d.path = d.path[:len(d.path)-1]
			}
		case xml.CharData:
			if d.skip == 0 && d.parent(0) == "t" && len(d.paras) > 0 {
				d.paras[len(d.paras)-1].text.Write(t)
			}
		}
	}
	if !sawBody {
		return nil, errors.New("docx: no w:body")
	}
	return d.out, nil
}

func (d *docxReader) start(e xml.StartElement) {
	val, _ := attr(e, "val")
	var p *docxPara
	if len(d.paras) > 0 {
		p = d.paras[len(d.paras)-1]
	}
	var tb *docxTable
	if len(d.tables) > 0 {
		tb = d.tables[len(d.tables)-1]
	}
	switch name := e.Name.Local; name {
	case "p":
		d.paras = append(d.paras, &docxPara{})
	case "tab", "br", "cr", "noBreakHyphen":
		if p == nil || d.parent(1) != "r" {
			return // w:tabs/w:tab in w:pPr is a tab stop, not text
		}
		switch name {
		case "tab":
			p.text.WriteByte('\t')
		case "noBreakHyphen":
			p.text.WriteByte('-')
		default:
			p.text.WriteByte('\n')
		}
	case "pStyle":
		if p != nil && d.parent(1) == "pPr" && d.parent(2) == "p" {
			p.style = val
		}
	case "ilvl", "numId":
		if p != nil && d.parent(1) == "numPr" && d.parent(2) == "pPr" && d.parent(3) == "p" {
			if name == "ilvl" {
				p.level = val
			} else {
				p.numID, p.hasNumID = val, true
			}
		}
	case "tbl":
		d.tables = append(d.tables, &docxTable{})
	case "tr":
		if tb != nil {
			tb.rows = append(tb.rows, docxRow{})
		}
	case "tc":
		if tb != nil {
			r := tb.row()
			r.cells = append(r.cells, docxCell{span: 1})
		}
	case "tblHeader":
		if tb != nil && d.parent(1) == "trPr" {
			tb.row().header = val == "" || onOff(val)
		}
	case "gridBefore":
		if tb != nil && d.parent(1) == "trPr" {
			tb.row().gridBefore = min(max(atoiOr(val, 0), 0), 64)
		}
	case "gridSpan":
		if tb != nil && d.parent(1) == "tcPr" {
			tb.cell().span = min(max(atoiOr(val, 1), 1), 64)
		}
	case "vMerge":
		if tb != nil && d.parent(1) == "tcPr" {
			if val == "restart" {
				tb.cell().vmerge = 1
			} else {
				tb.cell().vmerge = 2
			}
		}
	}
}

func onOff(v string) bool {
	switch v {
	case "0", "false", "off":
		return false
	}
	return true
}

func (d *docxReader) end(name string) {
	switch name {
	case "p":
		if len(d.paras) == 0 {
			return
		}
		p := d.paras[len(d.paras)-1]
		d.paras = d.paras[:len(d.paras)-1]
		text := p.text.String()
		numID, level := p.numID, p.level
		if !p.hasNumID {
			numID = ""
		}
		if id, lvl := d.num.paragraphNumbering(p.style, numID, level); id != "" {
			if label := d.num.label(id, lvl); label != "" {
				text = label + " " + text
			}
		}
		d.paragraph(text)
	case "tbl":
		if len(d.tables) == 0 {
			return
		}
		t := d.tables[len(d.tables)-1]
		d.tables = d.tables[:len(d.tables)-1]
		if len(d.tables) > 0 {
			// Nested: its cells become lines of the outer cell.
			for _, r := range t.rows {
				for _, c := range r.cells {
					for _, l := range c.lines {
						d.paragraph(l)
					}
				}
			}
			return
		}
		if rows := t.grid(); len(rows) > 0 {
			d.out = append(d.out, docBlock{Table: rows})
		}
	}
}

// paragraph adds a finished paragraph to the open table cell or to the
// document.
func (d *docxReader) paragraph(text string) {
	if len(d.tables) > 0 {
		c := d.tables[len(d.tables)-1].cell()
		c.lines = append(c.lines, text)
		return
	}
	d.out = append(d.out, docBlock{Text: text})
}

// grid lays the table out as complete rows: a cell spanning columns is
// copied into each, a cell continuing a vertical merge takes the text of
// the cell above it, and rows are padded to the table's width. Header rows
// (w:tblHeader) repeated further down are dropped.
func (t *docxTable) grid() [][]string {
	width := 0
	for _, r := range t.rows {
		w := r.gridBefore
		for _, c := range r.cells {
			w += c.span
		}
		width = max(width, w)
	}
	if width == 0 {
		return nil
	}
	var out [][]string
	var headers [][]string
	top := true
	var prev []string
	for _, r := range t.rows {
		row := make([]string, width)
		col := r.gridBefore
		for _, c := range r.cells {
			text := strings.TrimSpace(strings.Join(c.lines, "\n"))
			if c.vmerge == 2 && prev != nil && col < len(prev) {
				text = prev[col]
			}
			for k := 0; k < c.span && col < width; k++ {
				row[col] = text
				col++
			}
		}
		prev = row
		if r.header && top {
			headers = append(headers, row)
		} else {
			top = false
			if slices.ContainsFunc(headers, func(h []string) bool { return slices.Equal(h, row) }) {
				continue // the header repeated on a new page
			}
		}
		out = append(out, row)
	}
	return out
}

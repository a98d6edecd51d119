package importer

import (
	"archive/zip"
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// wordDoc builds a .docx from real WordprocessingML: paragraphs (with
// their paragraph properties), tables with merged cells and header rows,
// and optional numbering and styles parts.
type wordDoc struct {
	body      strings.Builder
	numbering string // the content of <w:numbering>, "" for no part
	styles    string // the content of <w:styles>, "" for no part
}

const wNS = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`

func xmlText(s string) string {
	var b bytes.Buffer
	_ = xmlEscape(&b, s)
	return b.String()
}

// runs writes text as runs, a tab as <w:tab/> and a line break as <w:br/>.
func runs(text string) string {
	var b strings.Builder
	for i, line := range strings.Split(text, "\v") {
		if i > 0 {
			b.WriteString("<w:r><w:br/></w:r>")
		}
		for j, part := range strings.Split(line, "\t") {
			if j > 0 {
				b.WriteString("<w:r><w:tab/></w:r>")
			}
			if part != "" {
				b.WriteString(`<w:r><w:rPr><w:rFonts w:ascii="Times New Roman"/><w:lang w:val="vi-VN"/></w:rPr><w:t xml:space="preserve">` + xmlText(part) + `</w:t></w:r>`)
			}
		}
	}
	return b.String()
}

func paraXML(text, pPr string) string {
	return `<w:p><w:pPr>` + pPr + `<w:spacing w:before="120"/><w:jc w:val="both"/></w:pPr>` + runs(text) + `</w:p>`
}

// para adds a paragraph; pPr is extra paragraph properties (w:numPr,
// w:pStyle).
func (d *wordDoc) para(text, pPr string) { d.body.WriteString(paraXML(text, pPr)) }

// numbered adds a paragraph of list numID at level ilvl.
func (d *wordDoc) numbered(numID, ilvl int, text string) {
	d.para(text, fmt.Sprintf(`<w:numPr><w:ilvl w:val="%d"/><w:numId w:val="%d"/></w:numPr>`, ilvl, numID))
}

// wCell is a table cell: its paragraphs are the lines of text; span is
// w:gridSpan; vmerge is "restart", "continue" or "".
type wCell struct {
	text   string
	span   int
	vmerge string
}

type wRow struct {
	cells  []wCell
	header bool
}

func cellsOf(texts ...string) []wCell {
	out := make([]wCell, len(texts))
	for i, t := range texts {
		out[i] = wCell{text: t}
	}
	return out
}

func (d *wordDoc) table(rows []wRow) { d.body.WriteString(tableXML(rows)) }

func tableXML(rows []wRow) string {
	var b strings.Builder
	width := 0
	for _, r := range rows {
		w := 0
		for _, c := range r.cells {
			w += max(c.span, 1)
		}
		width = max(width, w)
	}
	b.WriteString(`<w:tbl><w:tblPr><w:tblW w:w="5000" w:type="pct"/><w:tblBorders><w:top w:val="single" w:sz="4"/></w:tblBorders></w:tblPr><w:tblGrid>`)
	for i := 0; i < width; i++ {
		b.WriteString(`<w:gridCol w:w="1200"/>`)
	}
	b.WriteString(`</w:tblGrid>`)
	for _, r := range rows {
		b.WriteString(`<w:tr>`)
		if r.header {
			b.WriteString(`<w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>`)
		}
		for _, c := range r.cells {
			b.WriteString(`<w:tc><w:tcPr><w:tcW w:w="1200" w:type="dxa"/>`)
			if c.span > 1 {
				fmt.Fprintf(&b, `<w:gridSpan w:val="%d"/>`, c.span)
			}
			switch c.vmerge {
			case "restart":
				b.WriteString(`<w:vMerge w:val="restart"/>`)
			case "continue":
				b.WriteString(`<w:vMerge/>`)
			}
			b.WriteString(`<w:vAlign w:val="center"/></w:tcPr>`)
			if c.vmerge == "continue" {
				b.WriteString(`<w:p/>`) // Word leaves the continuing cell empty
			} else {
				for _, line := range strings.Split(c.text, "\n") {
					b.WriteString(paraXML(line, ""))
				}
			}
			b.WriteString(`</w:tc>`)
		}
		b.WriteString(`</w:tr>`)
	}
	b.WriteString(`</w:tbl>`)
	return b.String()
}

// bytes returns the .docx package.
func (d *wordDoc) bytes(t testing.TB) []byte {
	t.Helper()
	types := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
		`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>`
	rels := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`
	files := []struct{ name, content string }{
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`},
		{"word/document.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document ` + wNS + `><w:body>` + d.body.String() +
			`<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>`},
	}
	if d.numbering != "" {
		types += `<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>`
		rels += `<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>`
		files = append(files, struct{ name, content string }{"word/numbering.xml",
			`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:numbering ` + wNS + `>` + d.numbering + `</w:numbering>`})
	}
	if d.styles != "" {
		types += `<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>`
		rels += `<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>`
		files = append(files, struct{ name, content string }{"word/styles.xml",
			`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles ` + wNS + `>` + d.styles + `</w:styles>`})
	}
	files = append(files,
		struct{ name, content string }{"[Content_Types].xml", types + `</Types>`},
		struct{ name, content string }{"word/_rels/document.xml.rels", rels + `</Relationships>`})
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		w, err := zw.Create(f.name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(f.content)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// abstractNum writes a list definition; each level is numFmt, lvlText.
func abstractNum(id int, levels ...[2]string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<w:abstractNum w:abstractNumId="%d"><w:multiLevelType w:val="hybridMultilevel"/>`, id)
	for i, l := range levels {
		fmt.Fprintf(&b, `<w:lvl w:ilvl="%d"><w:start w:val="1"/><w:numFmt w:val="%s"/><w:lvlText w:val="%s"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr></w:lvl>`, i, l[0], xmlText(l[1]))
	}
	b.WriteString(`</w:abstractNum>`)
	return b.String()
}

// num writes a w:num; restart adds a startOverride of level 0.
func num(id, abstract int, restart bool) string {
	s := fmt.Sprintf(`<w:num w:numId="%d"><w:abstractNumId w:val="%d"/>`, id, abstract)
	if restart {
		s += `<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>`
	}
	return s + `</w:num>`
}

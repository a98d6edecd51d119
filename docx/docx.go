package docx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/report"
	"github.com/chanhlo/planbot/texts"
)

// MIME is the media type of a .docx.
const MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

// FileName names the báo cáo of a period: "bao-cao-2023-05.docx".
func FileName(p plan.Period) string { return "bao-cao-" + p.String() + ".docx" }

// Document returns the báo cáo as a message attachment.
func Document(d *report.Draft) (*plan.Document, error) {
	var buf bytes.Buffer
	if err := Write(&buf, d); err != nil {
		return nil, err
	}
	return &plan.Document{Name: FileName(d.Period), MIME: MIME, Data: buf.Bytes()}, nil
}

// Write writes the báo cáo as a .docx to w.
func Write(w io.Writer, d *report.Draft) error {
	body := render(d)
	zw := zip.NewWriter(w)
	// A fixed time keeps the same draft byte-identical (golden tests,
	// de-duplication of files).
	stamp := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	parts := []struct{ name, content string }{
		{"[Content_Types].xml", contentTypes},
		{"_rels/.rels", rootRels},
		{"docProps/core.xml", coreProps(d)},
		{"docProps/app.xml", appProps},
		{"word/_rels/document.xml.rels", documentRels},
		{"word/document.xml", body},
		{"word/styles.xml", styles},
		{"word/settings.xml", settings},
		{"word/header1.xml", pageNumberHeader},
	}
	for _, p := range parts {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate, Modified: stamp})
		if err != nil {
			return fmt.Errorf("docx %s: %w", p.name, err)
		}
		if _, err := io.WriteString(f, p.content); err != nil {
			return fmt.Errorf("docx %s: %w", p.name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("docx: %w", err)
	}
	return nil
}

// Sizes in half-points and lengths in twentieths of a point (twips):
// 1 mm ≈ 56.7 twips.
const (
	sizeBody    = 28 // 14 pt
	sizeHeader  = 26 // 13 pt
	sizeSmall   = 24 // 12 pt
	sizeTiny    = 22 // 11 pt
	sizeTable   = 24 // 12 pt in the appendix table
	indentFirst = 567

	portraitW, portraitH = 11906, 16838
	marginTop, marginBot = 1134, 1134 // 20 mm
	marginLeft           = 1701       // 30 mm
	marginRight          = 1134       // 20 mm
	landLeft, landRight  = 1134, 850
	contentW             = portraitW - marginLeft - marginRight
	landW                = portraitH - landLeft - landRight
)

// run is a piece of text with one formatting.
type run struct {
	text                           string
	bold, italic, under, highlight bool
	size                           int
}

// para says how a paragraph is laid out.
type para struct {
	align        string // left, center, both (justified), right
	first        int    // first-line indent
	left, right  int    // indents
	before       int    // spacing before, twips
	after        int    // spacing after, twips
	line         int    // line spacing, 240 = single
	keepNext     bool
	rule         bool // a short rule: a bottom border of an empty paragraph
	sectPr       string
	tableHeading bool
}

type writer struct{ b strings.Builder }

func (w *writer) raw(s string) { w.b.WriteString(s) }

func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

func (w *writer) p(pp para, runs ...run) {
	w.raw("<w:p><w:pPr>")
	if pp.keepNext {
		w.raw(`<w:keepNext/>`)
	}
	if pp.rule {
		w.raw(`<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="000000"/></w:pBdr>`)
	}
	line := pp.line
	if line == 0 {
		line = 240
	}
	fmt.Fprintf(&w.b, `<w:spacing w:before="%d" w:after="%d" w:line="%d" w:lineRule="auto"/>`, pp.before, pp.after, line)
	if pp.first != 0 || pp.left != 0 || pp.right != 0 {
		fmt.Fprintf(&w.b, `<w:ind w:left="%d" w:right="%d" w:firstLine="%d"/>`, pp.left, pp.right, pp.first)
	}
	if pp.align != "" {
		fmt.Fprintf(&w.b, `<w:jc w:val="%s"/>`, pp.align)
	}
	if pp.rule {
		w.raw(`<w:rPr><w:sz w:val="4"/></w:rPr>`)
	}
	w.raw(pp.sectPr)
	w.raw("</w:pPr>")
	for _, r := range runs {
		w.run(r)
	}
	w.raw("</w:p>")
}

func (w *writer) run(r run) {
	lines := strings.Split(r.text, "\n")
	w.raw("<w:r><w:rPr>")
	if r.bold {
		w.raw("<w:b/><w:bCs/>")
	}
	if r.italic {
		w.raw("<w:i/><w:iCs/>")
	}
	if r.under {
		w.raw(`<w:u w:val="single"/>`)
	}
	if r.highlight {
		w.raw(`<w:highlight w:val="yellow"/>`)
	}
	size := r.size
	if size == 0 {
		size = sizeBody
	}
	fmt.Fprintf(&w.b, `<w:sz w:val="%d"/><w:szCs w:val="%d"/>`, size, size)
	w.raw("</w:rPr>")
	for i, l := range lines {
		if i > 0 {
			w.raw("<w:br/>")
		}
		fmt.Fprintf(&w.b, `<w:t xml:space="preserve">%s</w:t>`, esc(l))
	}
	w.raw("</w:r>")
}

// rule is a short centred line of width w inside a column of width col.
func (w *writer) rule(col, width int) {
	side := max((col-width)/2, 0)
	w.p(para{rule: true, left: side, right: side, after: 60, line: 240})
}

// table opens a table of the given column widths.
func (w *writer) table(widths []int, borders bool) {
	total := 0
	for _, x := range widths {
		total += x
	}
	w.raw("<w:tbl><w:tblPr>")
	fmt.Fprintf(&w.b, `<w:tblW w:w="%d" w:type="dxa"/><w:tblLayout w:type="fixed"/>`, total)
	if borders {
		w.raw(`<w:tblBorders><w:top w:val="single" w:sz="4" w:color="000000"/><w:left w:val="single" w:sz="4" w:color="000000"/><w:bottom w:val="single" w:sz="4" w:color="000000"/><w:right w:val="single" w:sz="4" w:color="000000"/><w:insideH w:val="single" w:sz="4" w:color="000000"/><w:insideV w:val="single" w:sz="4" w:color="000000"/></w:tblBorders>`)
	} else {
		w.raw(`<w:tblBorders><w:top w:val="nil"/><w:left w:val="nil"/><w:bottom w:val="nil"/><w:right w:val="nil"/><w:insideH w:val="nil"/><w:insideV w:val="nil"/></w:tblBorders>`)
	}
	w.raw(`<w:tblCellMar><w:left w:w="70" w:type="dxa"/><w:right w:w="70" w:type="dxa"/></w:tblCellMar></w:tblPr><w:tblGrid>`)
	for _, x := range widths {
		fmt.Fprintf(&w.b, `<w:gridCol w:w="%d"/>`, x)
	}
	w.raw("</w:tblGrid>")
}

// cell opens a cell; vmerge is "restart", "continue" or "".
func (w *writer) cell(width, span int, vmerge, fill string) {
	w.raw("<w:tc><w:tcPr>")
	fmt.Fprintf(&w.b, `<w:tcW w:w="%d" w:type="dxa"/>`, width)
	if span > 1 {
		fmt.Fprintf(&w.b, `<w:gridSpan w:val="%d"/>`, span)
	}
	switch vmerge {
	case "restart":
		w.raw(`<w:vMerge w:val="restart"/>`)
	case "continue":
		w.raw(`<w:vMerge/>`)
	}
	if fill != "" {
		fmt.Fprintf(&w.b, `<w:shd w:val="clear" w:color="auto" w:fill="%s"/>`, fill)
	}
	w.raw("</w:tcPr>")
}

func sectPr(w, h int, landscape, titlePage bool, top, bottom, left, right int) string {
	orient := ""
	if landscape {
		orient = ` w:orient="landscape"`
	}
	title := ""
	if titlePage {
		title = "<w:titlePg/>"
	}
	return fmt.Sprintf(`<w:sectPr><w:headerReference w:type="default" r:id="rIdHeader1"/><w:pgSz w:w="%d" w:h="%d"%s/><w:pgMar w:top="%d" w:right="%d" w:bottom="%d" w:left="%d" w:header="567" w:footer="567" w:gutter="0"/>%s</w:sectPr>`,
		w, h, orient, top, right, bottom, left, title)
}

// render writes word/document.xml.
func render(d *report.Draft) string {
	w := &writer{}
	w.raw(xml.Header)
	w.raw(`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>`)
	letterhead(w, d.Letterhead, d.Date, contentW)
	body(w, d)
	signature(w, d.Letterhead, contentW, false)
	// The portrait section ends here; the appendix turns landscape.
	w.p(para{sectPr: sectPr(portraitW, portraitH, false, true, marginTop, marginBot, marginLeft, marginRight)})
	appendix(w, d)
	w.raw(sectPr(portraitH, portraitW, true, false, marginTop, marginBot, landLeft, landRight))
	w.raw("</w:body></w:document>")
	return w.b.String()
}

// letterhead writes the two-column header table; a zero day leaves out
// the number and date lines (the appendix's header).
func letterhead(w *writer, lh plan.Letterhead, day plan.Date, width int) {
	left := width * 38 / 100
	if day.IsZero() {
		left = width * 30 / 100
	}
	right := width - left
	w.table([]int{left, right}, false)
	w.raw("<w:tr>")
	w.cell(left, 1, "", "")
	if lh.Superior != "" {
		w.p(para{align: "center"}, run{text: strings.ToUpper(lh.Superior), size: sizeHeader})
	}
	issuer := lh.Issuer
	if len(issuer) == 0 {
		issuer = []string{plan.Placeholder}
	}
	for _, l := range issuer {
		w.p(para{align: "center"}, run{text: l, bold: true, size: sizeHeader})
	}
	w.rule(left, left/3)
	if !day.IsZero() {
		w.p(para{align: "center", before: 60}, run{text: lh.NumberLine(), size: sizeHeader})
	}
	w.raw("</w:tc>")
	w.cell(right, 1, "", "")
	w.p(para{align: "center"}, run{text: texts.NationalName, bold: true, size: sizeSmall})
	w.p(para{align: "center"}, run{text: texts.NationalMotto, bold: true, size: sizeBody})
	w.rule(right, min(right*58/100, 4000))
	if !day.IsZero() {
		w.p(para{align: "center", before: 60}, run{text: lh.DateLine(day), italic: true, size: sizeBody})
	}
	w.raw("</w:tc></w:tr></w:tbl>")
}

// body writes the title, trích yếu, căn cứ, parts and closing.
func body(w *writer, d *report.Draft) {
	w.p(para{align: "center", before: 360, keepNext: true}, run{text: texts.ReportTitle, bold: true})
	w.p(para{align: "center", keepNext: true}, run{text: d.Subject, bold: true})
	w.rule(contentW, contentW/5)
	text := para{align: "both", first: indentFirst, before: 60, after: 60, line: 264}
	w.p(withBefore(text, 240), run{text: d.Basis})
	for _, part := range d.Parts {
		h := text
		h.keepNext = true
		w.p(h, run{text: part.Heading, bold: true})
		for _, pg := range part.Paragraphs {
			switch {
			case pg.Heading:
				hh := text
				hh.keepNext = true
				w.p(hh, run{text: pg.Text, bold: true})
			case pg.Placeholder:
				w.p(text, run{text: "[" + pg.Text + "]", italic: true, highlight: true})
			default:
				w.p(text, run{text: pg.Text})
			}
		}
	}
	w.p(text, run{text: d.Closing})
}

func withBefore(p para, before int) para {
	p.before = before
	return p
}

// signature writes "Nơi nhận" (left, unless appendix) and the signer
// (right): authority, title, room for the signature and seal, the name.
func signature(w *writer, lh plan.Letterhead, width int, appendix bool) {
	left := width * 50 / 100
	right := width - left
	w.p(para{after: 0})
	w.table([]int{left, right}, false)
	w.raw("<w:tr>")
	w.cell(left, 1, "", "")
	if appendix {
		w.p(para{align: "center"}, run{text: texts.AppendixPreparedBy, bold: true, size: sizeHeader})
		w.p(para{}, run{text: "\n\n\n", size: sizeHeader})
		name := lh.PreparedBy
		if name == "" {
			name = texts.AppendixPreparedByPlaceholder
		}
		w.p(para{align: "center"}, run{text: name, bold: lh.PreparedBy != "", italic: lh.PreparedBy == "", size: sizeHeader})
	} else {
		w.p(para{}, run{text: texts.ReportRecipientsLabel, bold: true, italic: true, size: sizeSmall})
		for _, r := range report.Recipients(lh) {
			w.p(para{}, run{text: r, size: sizeTiny})
		}
	}
	w.raw("</w:tc>")
	w.cell(right, 1, "", "")
	w.p(para{align: "center"}, run{text: lh.Authority, bold: true, size: sizeBody})
	w.p(para{align: "center"}, run{text: lh.Title, bold: true, size: sizeBody})
	w.p(para{}, run{text: "\n\n\n\n", size: sizeBody})
	w.p(para{align: "center"}, run{text: lh.SignerName(), bold: lh.Signer != "", italic: lh.Signer == "", size: sizeBody})
	w.raw("</w:tc></w:tr></w:tbl>")
}

// appendix writes the landscape appendix: its title, the table with the
// header row repeated on each page, and the signature.
func appendix(w *writer, d *report.Draft) {
	s := d.Summary
	lh := d.Letterhead
	letterhead(w, lh, plan.Date{}, landW)
	w.p(para{align: "center", before: 240, keepNext: true}, run{text: texts.AppendixLabel, bold: true})
	w.p(para{align: "center", keepNext: true}, run{text: texts.AppendixTitle(s.Name, s.Period), bold: true})
	w.p(para{align: "center", after: 120, keepNext: true}, run{text: texts.AppendixAttached(lh.Symbol, d.Date, lh.IssuerName), italic: true})
	widths := []int{600, 3900, 1700, 1700, 1300, 2200, 1500, 0}
	used := 0
	for _, x := range widths {
		used += x
	}
	widths[len(widths)-1] = landW - used
	w.table(widths, true)
	// The header row, repeated on every page.
	w.raw(`<w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>`)
	for i, c := range report.AppendixColumns {
		w.cell(widths[i], 1, "", "D9D9D9")
		w.p(para{align: "center"}, run{text: c, bold: true, size: sizeTable})
		w.raw("</w:tc>")
	}
	w.raw("</w:tr>")
	for _, r := range report.Appendix(s) {
		w.raw(`<w:tr><w:trPr><w:cantSplit/></w:trPr>`)
		if r.Section != "" {
			w.cell(landW, len(widths), "", "F2F2F2")
			w.p(para{}, run{text: r.Section, bold: true, size: sizeTable})
			w.raw("</w:tc></w:tr>")
			continue
		}
		// A task's own cells span its unit lines.
		merge := ""
		switch {
		case r.Span > 1:
			merge = "restart"
		case r.Span == 0:
			merge = "continue"
		}
		for k, text := range r.Cells() {
			if !report.OwnColumn(k) {
				w.cell(widths[k], 1, "", "")
				w.p(para{}, run{text: text, size: sizeTable})
				w.raw("</w:tc>")
				continue
			}
			w.cell(widths[k], 1, merge, "")
			align := "left"
			if k == 0 || k == 4 {
				align = "center"
			}
			if r.Span == 0 {
				w.p(para{})
			} else {
				w.p(para{align: align}, run{text: text, size: sizeTable})
			}
			w.raw("</w:tc>")
		}
		w.raw("</w:tr>")
	}
	w.raw("</w:tbl>")
	signature(w, lh, landW, true)
}

func coreProps(d *report.Draft) string {
	return xml.Header + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
		`<dc:title>` + esc(texts.ReportTitle+" "+strings.ReplaceAll(d.Subject, "\n", " ")) + `</dc:title>` +
		`<dc:creator>planbot</dc:creator><dc:language>vi-VN</dc:language></cp:coreProperties>`
}

package xlsx

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/report"
	"github.com/chanhlo/planbot/summary"
	"github.com/chanhlo/planbot/texts"
)

// MIME is the media type of the workbook.
const MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// Layout of a sheet without the letterhead: the title on row 1, the
// subtitle on row 2, the header on row 3, data from row 4; the header
// stays in view. The appendix sheet with the letterhead starts its
// title lower (appendixTop).
const (
	titleRow    = 1
	headerRow   = 3
	firstRow    = 4
	appendixTop = 4
)

// fontFamily is the font of every cell: Times New Roman, as Nghị định
// 30/2020 asks of administrative documents.
const fontFamily = "Times New Roman"

// ColumnWidths are the widths of the official columns A–H.
var ColumnWidths = []float64{5, 33, 17, 15, 12, 20, 16, 20}

// FileName names the workbook of a period: "tong-hop-2023-07.xlsx".
func FileName(p plan.Period) string { return "tong-hop-" + p.String() + ".xlsx" }

// Option shapes the workbook.
type Option func(*options)

type options struct {
	letterhead *plan.Letterhead
	reportDate plan.Date
}

// WithLetterhead makes the first sheet the appendix of a báo cáo dated
// reportDate: the issuing body and the national motto on top, "Phụ lục"
// and "(Kèm theo Báo cáo số …)", and the signature block under the
// table (Nghị định 30/2020/NĐ-CP).
func WithLetterhead(lh plan.Letterhead, reportDate plan.Date) Option {
	return func(o *options) { o.letterhead, o.reportDate = &lh, reportDate }
}

// Document returns the workbook as a message attachment.
func Document(s *summary.Summary, opts ...Option) (*plan.Document, error) {
	b, err := Bytes(s, opts...)
	if err != nil {
		return nil, err
	}
	return &plan.Document{Name: FileName(s.Period), MIME: MIME, Data: b}, nil
}

// Bytes returns the workbook's bytes.
func Bytes(s *summary.Summary, opts ...Option) ([]byte, error) {
	var buf bytes.Buffer
	if err := Write(&buf, s, opts...); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Write writes the summary as an .xlsx workbook to w.
func Write(w io.Writer, s *summary.Summary, opts ...Option) error {
	f, err := Workbook(s, opts...)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("write workbook: %w", err)
	}
	return nil
}

// Workbook builds the workbook. The caller closes it.
func Workbook(s *summary.Summary, opts ...Option) (*excelize.File, error) {
	b := &builder{f: excelize.NewFile(), s: s, used: map[string]bool{}}
	for _, o := range opts {
		o(&b.opt)
	}
	if err := b.build(); err != nil {
		b.f.Close()
		return nil, err
	}
	return b.f, nil
}

type builder struct {
	f    *excelize.File
	s    *summary.Summary
	opt  options
	used map[string]bool
	// framed are the sheets with a header, and their column widths: their
	// rows are sized and their pages laid out once they are filled.
	framed []framedSheet

	title, header, cell, center, section, percent int
	// The province's workbook: a ward's name linking to its sheet, and
	// the totals row.
	link, totalRow, totalPercent int
	// The letterhead's styles: bold centred, italic centred, plain.
	headBold, headItalic, plainText int
}

func (b *builder) build() error {
	if err := b.styles(); err != nil {
		return err
	}
	if err := b.f.SetSheetName("Sheet1", texts.SheetSummary); err != nil {
		return fmt.Errorf("rename sheet: %w", err)
	}
	b.reserve(texts.SheetSummary)
	if err := b.summarySheet(); err != nil {
		return fmt.Errorf("summary sheet: %w", err)
	}
	if err := b.unitsSheet(); err != nil {
		return fmt.Errorf("units sheet: %w", err)
	}
	for _, u := range b.s.Units {
		if err := b.unitSheet(u); err != nil {
			return fmt.Errorf("sheet of %s: %w", u.Unit, err)
		}
	}
	if err := b.chart(); err != nil {
		return fmt.Errorf("chart: %w", err)
	}
	return b.finish()
}

// finish fits the framed sheets' rows, lays out their pages and opens the
// workbook on its first sheet.
func (b *builder) finish() error {
	for _, fs := range b.framed {
		if err := b.fitRows(fs); err != nil {
			return fmt.Errorf("row heights of %s: %w", fs.name, err)
		}
		if err := b.pageLayout(fs); err != nil {
			return fmt.Errorf("page layout of %s: %w", fs.name, err)
		}
	}
	b.f.SetActiveSheet(0)
	return nil
}

func (b *builder) styles() error {
	border := []excelize.Border{
		{Type: "left", Color: "999999", Style: 1}, {Type: "right", Color: "999999", Style: 1},
		{Type: "top", Color: "999999", Style: 1}, {Type: "bottom", Color: "999999", Style: 1},
	}
	wrapTop := &excelize.Alignment{WrapText: true, Vertical: "top"}
	// Times New Roman, black, as administrative documents are printed.
	font := func(bold, italic bool, size float64) *excelize.Font {
		return &excelize.Font{Family: fontFamily, Bold: bold, Italic: italic, Size: size, Color: "000000"}
	}
	centre := &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}
	for _, st := range []struct {
		dst *int
		s   *excelize.Style
	}{
		{&b.title, &excelize.Style{Font: font(true, false, 14), Alignment: centre}},
		{&b.headBold, &excelize.Style{Font: font(true, false, 13), Alignment: centre}},
		{&b.headItalic, &excelize.Style{Font: font(false, true, 13), Alignment: centre}},
		{&b.plainText, &excelize.Style{Font: font(false, false, 12), Alignment: wrapTop}},
		{&b.header, &excelize.Style{Font: font(true, false, 12), Border: border,
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}}},
		{&b.cell, &excelize.Style{Font: font(false, false, 12), Border: border, Alignment: wrapTop}},
		{&b.center, &excelize.Style{Font: font(false, false, 12), Border: border, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "top", WrapText: true}}},
		{&b.section, &excelize.Style{Font: font(true, false, 12), Border: border, Alignment: wrapTop,
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F2F2F2"}}}},
		{&b.percent, &excelize.Style{Font: font(false, false, 12), Border: border, NumFmt: 9, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "top"}}},
		{&b.link, &excelize.Style{Font: &excelize.Font{Family: fontFamily, Size: 12, Color: "1F4E79", Underline: "single"}, Border: border,
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "top"}}},
		{&b.totalRow, &excelize.Style{Font: font(true, false, 12), Border: border,
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F2F2F2"}},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "top", WrapText: true}}},
		{&b.totalPercent, &excelize.Style{Font: font(true, false, 12), Border: border, NumFmt: 9,
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F2F2F2"}},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "top"}}},
	} {
		id, err := b.f.NewStyle(st.s)
		if err != nil {
			return fmt.Errorf("style: %w", err)
		}
		*st.dst = id
	}
	return nil
}

// sheetName makes a unit name a valid, unique sheet name: at most 31
// characters, none of []:*?/\.
func (b *builder) sheetName(name string) string {
	name = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return '-'
		}
		return r
	}, strings.TrimSpace(name))
	name = strings.Trim(name, "'")
	if name == "" {
		name = texts.ColumnUnit
	}
	base := truncate(name, 31)
	out := base
	for i := 2; b.used[strings.ToLower(out)]; i++ {
		suffix := fmt.Sprintf(" (%d)", i)
		out = truncate(base, 31-utf8.RuneCountInString(suffix)) + suffix
	}
	b.reserve(out)
	return out
}

// reserve marks a sheet name as taken. Excel compares sheet names without
// case (and excelize's NewSheet returns the existing sheet for a name
// that differs only in case), so names are kept lower-cased.
func (b *builder) reserve(name string) { b.used[strings.ToLower(name)] = true }

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return strings.TrimSpace(string(r[:n]))
	}
	return s
}

// frame writes the title, subtitle and header of a sheet from row 1,
// freezes the header and sets the widths.
func (b *builder) frame(sheet, title string, columns []string, widths []float64) error {
	return b.frameAt(sheet, titleRow, title, texts.SheetSubtitle(b.s.AsOf), columns, widths)
}

// frameAt is frame with the title on row top (the rows above hold the
// appendix's letterhead); the header is two rows below it.
func (b *builder) frameAt(sheet string, top int, title, subtitle string, columns []string, widths []float64) error {
	f := b.f
	last, _ := excelize.ColumnNumberToName(len(columns))
	headerRow, firstRow := top+2, top+3
	cells := []struct {
		cell, value string
	}{
		{fmt.Sprintf("A%d", top), title},
		{fmt.Sprintf("A%d", top+1), subtitle},
	}
	for _, c := range cells {
		if err := f.SetCellValue(sheet, c.cell, c.value); err != nil {
			return err
		}
	}
	if err := f.MergeCell(sheet, fmt.Sprintf("A%d", top), fmt.Sprintf("%s%d", last, top)); err != nil {
		return err
	}
	if err := f.MergeCell(sheet, fmt.Sprintf("A%d", top+1), fmt.Sprintf("%s%d", last, top+1)); err != nil {
		return err
	}
	if err := f.SetCellStyle(sheet, fmt.Sprintf("A%d", top), fmt.Sprintf("%s%d", last, top), b.title); err != nil {
		return err
	}
	if err := f.SetCellStyle(sheet, fmt.Sprintf("A%d", top+1), fmt.Sprintf("%s%d", last, top+1), b.headItalic); err != nil {
		return err
	}
	if err := f.SetRowHeight(sheet, top, 36); err != nil {
		return err
	}
	if n := strings.Count(subtitle, "\n") + 1; n > 1 {
		if err := f.SetRowHeight(sheet, top+1, float64(n)*lineHeight+3); err != nil {
			return err
		}
	}
	hdr := make([]any, len(columns))
	for i, c := range columns {
		hdr[i] = c
	}
	if err := f.SetSheetRow(sheet, fmt.Sprintf("A%d", headerRow), &hdr); err != nil {
		return err
	}
	if err := f.SetCellStyle(sheet, fmt.Sprintf("A%d", headerRow), fmt.Sprintf("%s%d", last, headerRow), b.header); err != nil {
		return err
	}
	for i, w := range widths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sheet, col, col, w); err != nil {
			return err
		}
	}
	b.framed = append(b.framed, framedSheet{name: sheet, widths: widths, header: headerRow, spans: map[int]int{}})
	return f.SetPanes(sheet, &excelize.Panes{
		Freeze: true, YSplit: headerRow, TopLeftCell: fmt.Sprintf("A%d", firstRow), ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: fmt.Sprintf("A%d", firstRow), ActiveCell: fmt.Sprintf("A%d", firstRow), Pane: "bottomLeft"}},
	})
}

func (b *builder) summarySheet() error {
	sheet := texts.SheetSummary
	top := titleRow
	title := texts.SheetTitle(b.s.Name, b.s.Period)
	subtitle := texts.SheetSubtitle(b.s.AsOf)
	if lh := b.opt.letterhead; lh != nil {
		top = appendixTop
		title = texts.AppendixTitle(b.s.Name, b.s.Period)
		subtitle = texts.AppendixAttached(lh.Symbol, b.opt.reportDate, lh.IssuerName) + "\n" + subtitle
		if err := b.letterhead(sheet); err != nil {
			return err
		}
	}
	row, err := b.taskTable(sheet, b.s, top, title, subtitle)
	if err != nil {
		return err
	}
	if b.opt.letterhead != nil {
		return b.signature(sheet, row+1)
	}
	return nil
}

// taskTable writes s's tasks in the official columns, framed from row
// top, on sheet: the ward's own summary sheet, and each ward's sheet of a
// province's workbook. It returns the first row under the table.
func (b *builder) taskTable(sheet string, s *summary.Summary, top int, title, subtitle string) (int, error) {
	if err := b.frameAt(sheet, top, title, subtitle, report.AppendixColumns, ColumnWidths); err != nil {
		return 0, err
	}
	fs := &b.framed[len(b.framed)-1]
	row := fs.first()
	last, _ := excelize.ColumnNumberToName(len(report.AppendixColumns))
	for _, r := range report.Appendix(s) {
		if r.Section != "" {
			if err := b.sectionRow(sheet, row, r.Section); err != nil {
				return 0, err
			}
			row++
			continue
		}
		cells := r.Cells()
		for i, c := range cells {
			// A continuing unit line leaves the task's merged cells alone:
			// writing into a merged range would overwrite its value.
			if r.Span == 0 && report.OwnColumn(i) {
				continue
			}
			var v any = c
			if i == 0 && r.STT > 0 {
				v = r.STT
			}
			col, _ := excelize.ColumnNumberToName(i + 1)
			if err := b.f.SetCellValue(sheet, fmt.Sprintf("%s%d", col, row), v); err != nil {
				return 0, err
			}
		}
		if err := b.f.SetCellStyle(sheet, fmt.Sprintf("A%d", row), fmt.Sprintf("%s%d", last, row), b.cell); err != nil {
			return 0, err
		}
		for _, col := range []string{"A", "E"} {
			if err := b.f.SetCellStyle(sheet, fmt.Sprintf("%s%d", col, row), fmt.Sprintf("%s%d", col, row), b.center); err != nil {
				return 0, err
			}
		}
		if r.Span > 1 {
			fs.spans[row] = r.Span
			for c := range cells {
				if !report.OwnColumn(c) {
					continue
				}
				col, _ := excelize.ColumnNumberToName(c + 1)
				if err := b.f.MergeCell(sheet, fmt.Sprintf("%s%d", col, row), fmt.Sprintf("%s%d", col, row+r.Span-1)); err != nil {
					return 0, err
				}
			}
		}
		row++
	}
	fs.end = row - 1
	return row, nil
}

// letterhead writes the appendix's top: the issuing body left, the
// national name and motto right, then "Phụ lục" and "(Kèm theo Báo cáo
// số …)" above the title.
func (b *builder) letterhead(sheet string) error {
	lh := b.opt.letterhead
	issuer := strings.Join(lh.Issuer, "\n")
	if lh.Superior != "" {
		issuer = lh.Superior + "\n" + issuer
	}
	for _, c := range []struct {
		from, to, text string
		style          int
		height         float64
	}{
		{"A1", "C1", issuer, b.headBold, 3 * lineHeight},
		{"D1", "H1", texts.NationalName + "\n" + texts.NationalMotto, b.headBold, 0},
		{"A3", "H3", texts.AppendixLabel, b.headBold, 0},
	} {
		if err := b.f.SetCellValue(sheet, c.from, c.text); err != nil {
			return err
		}
		if err := b.f.MergeCell(sheet, c.from, c.to); err != nil {
			return err
		}
		if err := b.f.SetCellStyle(sheet, c.from, c.to, c.style); err != nil {
			return err
		}
	}
	return b.f.SetRowHeight(sheet, 1, 3*lineHeight+6)
}

// signature writes, under the table from row, "Người lập biểu" left and
// the date, authority, title and signer right, with room to sign.
func (b *builder) signature(sheet string, row int) error {
	lh := b.opt.letterhead
	prepared := lh.PreparedBy
	if prepared == "" {
		prepared = texts.AppendixPreparedByPlaceholder
	}
	for _, c := range []struct {
		from, to string
		r        int
		text     string
		style    int
	}{
		{"F", "H", row, lh.DateLine(b.opt.reportDate), b.headItalic},
		{"A", "C", row + 1, texts.AppendixPreparedBy, b.headBold},
		{"F", "H", row + 1, lh.Authority, b.headBold},
		{"F", "H", row + 2, lh.Title, b.headBold},
		{"A", "C", row + 6, prepared, b.headBold},
		{"F", "H", row + 6, lh.SignerName(), b.headBold},
	} {
		from, to := fmt.Sprintf("%s%d", c.from, c.r), fmt.Sprintf("%s%d", c.to, c.r)
		if err := b.f.SetCellValue(sheet, from, c.text); err != nil {
			return err
		}
		if err := b.f.MergeCell(sheet, from, to); err != nil {
			return err
		}
		if err := b.f.SetCellStyle(sheet, from, to, c.style); err != nil {
			return err
		}
	}
	return nil
}

func (b *builder) sectionRow(sheet string, row int, text string) error {
	if err := b.f.SetCellValue(sheet, fmt.Sprintf("A%d", row), text); err != nil {
		return err
	}
	if err := b.f.MergeCell(sheet, fmt.Sprintf("A%d", row), fmt.Sprintf("H%d", row)); err != nil {
		return err
	}
	return b.f.SetCellStyle(sheet, fmt.Sprintf("A%d", row), fmt.Sprintf("H%d", row), b.section)
}

// taskRow writes one row of the official columns.
func (b *builder) taskRow(sheet string, row, stt int, r summary.TaskRow, status, note string) error {
	t := r.Task
	support := strings.Join(t.Support, ", ")
	if t.SupportAll {
		support = texts.AllUnitsSupport
	}
	var latest, target string
	if r.Latest != nil {
		latest = texts.SummaryFigure(r.Latest.Figure)
	}
	if len(t.Targets) > 0 {
		target = texts.TargetText(t.Targets[0])
	}
	values := []any{stt, t.Code + ". " + t.Title, strings.Join(t.Responsible(), ", "), support,
		deadlineText(t.Deadline), texts.TargetResult(latest, target, r.TargetMet), status, note}
	if err := b.f.SetSheetRow(sheet, fmt.Sprintf("A%d", row), &values); err != nil {
		return err
	}
	if err := b.f.SetCellStyle(sheet, fmt.Sprintf("A%d", row), fmt.Sprintf("H%d", row), b.cell); err != nil {
		return err
	}
	if err := b.f.SetCellStyle(sheet, fmt.Sprintf("A%d", row), fmt.Sprintf("A%d", row), b.center); err != nil {
		return err
	}
	return b.f.SetCellStyle(sheet, fmt.Sprintf("E%d", row), fmt.Sprintf("E%d", row), b.center)
}

// deadlineText is the deadline as plain text (texts.DeadlineText escapes
// the plan's words for chat).
func deadlineText(d plan.Deadline) string {
	switch d.Kind {
	case plan.DeadlineDate, plan.DeadlineRange, plan.DeadlineRecurring, plan.DeadlineConditional:
		if s := texts.DeadlineText(d); s != "" && !strings.Contains(s, "&") {
			return s
		}
	}
	if t := strings.TrimSpace(d.Text); t != "" {
		// An open deadline is the plan's phrase as written, which can be a
		// paragraph; the plan itself has the whole of it.
		return texts.Shorten(t, 90)
	}
	return texts.DeadlineText(d)
}

func (b *builder) unitsSheet() error {
	sheet := texts.SheetUnits
	b.reserve(sheet)
	if _, err := b.f.NewSheet(sheet); err != nil {
		return err
	}
	if err := b.frame(sheet, texts.SheetTitle(b.s.Name, b.s.Period), texts.UnitTableColumns, []float64{6, 30, 14, 14, 14, 16, 12, 14}); err != nil {
		return err
	}
	for i, u := range b.s.Units {
		row := firstRow + i
		values := []any{i + 1, u.Unit, u.Assigned, u.Expected, u.Reported, u.OnTime, u.Overdue}
		if rate, ok := u.ReportingRate(); ok {
			values = append(values, rate)
		} else {
			values = append(values, "")
		}
		if err := b.f.SetSheetRow(sheet, fmt.Sprintf("A%d", row), &values); err != nil {
			return err
		}
		if err := b.f.SetCellStyle(sheet, fmt.Sprintf("A%d", row), fmt.Sprintf("G%d", row), b.center); err != nil {
			return err
		}
		if err := b.f.SetCellStyle(sheet, fmt.Sprintf("B%d", row), fmt.Sprintf("B%d", row), b.cell); err != nil {
			return err
		}
		if err := b.f.SetCellStyle(sheet, fmt.Sprintf("H%d", row), fmt.Sprintf("H%d", row), b.percent); err != nil {
			return err
		}
	}
	return nil
}

func (b *builder) unitSheet(u summary.UnitRow) error {
	sheet := b.sheetName(u.Unit)
	if _, err := b.f.NewSheet(sheet); err != nil {
		return err
	}
	if err := b.frame(sheet, texts.UnitSheetTitle(u.Unit, b.s.Period), texts.SummaryColumns, ColumnWidths); err != nil {
		return err
	}
	rows := map[string]summary.TaskRow{}
	for _, r := range b.s.Tasks {
		rows[r.Task.Code] = r
	}
	for i, j := range u.Statuses {
		r := rows[j.Code]
		r.Latest = j.Latest
		r.TargetMet = summary.TargetMet(&r.Task, j.Latest)
		note := strings.Join(report.UnitNotes(j), "\n")
		if err := b.taskRow(sheet, firstRow+i, i+1, r, report.StatusText(j.Status, j.Pending, j.DaysLate), note); err != nil {
			return err
		}
	}
	return nil
}

// chart writes the counts of each status by unit to the data sheet and
// draws them as a stacked bar chart on the units sheet.
func (b *builder) chart() error {
	data := texts.SheetChartData
	b.reserve(data)
	if _, err := b.f.NewSheet(data); err != nil {
		return err
	}
	head := []any{texts.ColumnUnit}
	for _, st := range summary.Statuses {
		head = append(head, texts.StatusLabel(string(st)))
	}
	if err := b.f.SetSheetRow(data, "A1", &head); err != nil {
		return err
	}
	for i, u := range b.s.Units {
		counts := map[summary.Status]int{}
		for _, j := range u.Statuses {
			counts[j.Status]++
		}
		row := []any{u.Unit}
		for _, st := range summary.Statuses {
			row = append(row, counts[st])
		}
		if err := b.f.SetSheetRow(data, fmt.Sprintf("A%d", i+2), &row); err != nil {
			return err
		}
	}
	if err := b.f.SetColWidth(data, "A", "A", 30); err != nil {
		return err
	}
	lastCol, _ := excelize.ColumnNumberToName(len(summary.Statuses) + 1)
	if err := b.f.SetColWidth(data, "B", lastCol, 16); err != nil {
		return err
	}
	if err := b.f.SetCellStyle(data, "A1", lastCol+"1", b.header); err != nil {
		return err
	}
	if err := b.f.SetRowHeight(data, 1, 3*lineHeight); err != nil {
		return err
	}
	if len(b.s.Units) == 0 {
		return nil
	}
	last := len(b.s.Units) + 1
	ref := "'" + data + "'"
	colors := []string{"70AD47", "C5E0B4", "5B9BD5", "FFC000", "C00000", "A5A5A5", "9DC3E6", "F4B183", "BF8F00", "D9D9D9"}
	var series []excelize.ChartSeries
	for i := range summary.Statuses {
		col, _ := excelize.ColumnNumberToName(i + 2)
		series = append(series, excelize.ChartSeries{
			Name:       fmt.Sprintf("%s!$%s$1", ref, col),
			Categories: fmt.Sprintf("%s!$A$2:$A$%d", ref, last),
			Values:     fmt.Sprintf("%s!$%s$2:$%s$%d", ref, col, col, last),
			Fill:       excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{colors[i]}},
		})
	}
	overlap := 100
	// Labels dark and large enough to read on paper.
	label := excelize.Font{Family: fontFamily, Size: 10, Color: "000000"}
	if err := b.f.AddChart(texts.SheetUnits, fmt.Sprintf("J%d", headerRow), &excelize.Chart{
		Type:      excelize.BarStacked,
		Series:    series,
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: texts.ChartTitle, Font: &excelize.Font{Family: fontFamily, Size: 13, Bold: true, Color: "000000"}}}},
		Legend:    excelize.ChartLegend{Position: "bottom", Font: &label},
		Dimension: excelize.ChartDimension{Width: 720, Height: uint(160 + 28*len(b.s.Units))},
		Overlap:   &overlap,
		YAxis:     excelize.ChartAxis{MajorGridLines: true, Font: label},
		XAxis:     excelize.ChartAxis{ReverseOrder: true, Font: label},
	}); err != nil {
		return err
	}
	// The chart's numbers are for the chart: hidden, they do not print
	// as pages of their own.
	return b.f.SetSheetVisible(data, false)
}

type framedSheet struct {
	name   string
	widths []float64
	// header is the header row; spans are the tasks whose own cells are
	// merged over several unit lines (first row → lines).
	header int
	spans  map[int]int
	// end is the last row of the table (0: the sheet's last row).
	end int
}

func (fs framedSheet) first() int { return fs.header + 1 }

// Row height of one line of 11-point text, in points, and the characters
// of Vietnamese text that fit in one unit of column width (a little less
// than one: diacritics do not widen letters, capitals do).
const (
	maxRowHeight  = 409.0
	lineHeight    = 15.0
	charsPerWidth = 1.1
)

// fitRows sets the height of every row below the header from the text it
// holds. Spreadsheet programs do not grow rows of wrapped text that a
// generated file leaves unsized (LibreOffice draws the lines over each
// other), so the heights are computed here.
func (b *builder) fitRows(fs framedSheet) error {
	rows, err := b.f.GetRows(fs.name)
	if err != nil {
		return err
	}
	end := len(rows)
	if fs.end > 0 {
		end = min(fs.end, len(rows))
	}
	need := make([]int, end+1) // lines per row, 1-based
	for i := fs.header - 1; i < end; i++ {
		row := rows[i]
		lines := 1
		filled := 0
		for _, v := range row {
			if v != "" {
				filled++
			}
		}
		for c, v := range row {
			if v == "" || c >= len(fs.widths) {
				continue
			}
			width := fs.widths[c]
			// A section heading stands alone and is merged to the end.
			if filled == 1 && c <= 1 && i+1 >= fs.first() {
				width = 0
				for _, w := range fs.widths[c:] {
					width += w
				}
			}
			// A task's own cells merged over its unit lines share their
			// height: counted below.
			if fs.spans[i+1] > 1 && ownColumn(c) {
				continue
			}
			lines = max(lines, wrappedLines(v, width))
		}
		need[i+1] = lines
	}
	for start, span := range fs.spans {
		if span < 2 || start > end {
			continue
		}
		own := 1
		for c, v := range rows[start-1] {
			if v != "" && c < len(fs.widths) && ownColumn(c) {
				own = max(own, wrappedLines(v, fs.widths[c]))
			}
		}
		have := 0
		for r := start; r < start+span && r <= end; r++ {
			have += need[r]
		}
		if last := min(start+span-1, end); have < own {
			need[last] += own - have
		}
	}
	for r := fs.header; r <= end; r++ {
		// Excel's limit: a taller row is refused (and would not print).
		if err := b.f.SetRowHeight(fs.name, r, min(float64(need[r])*lineHeight+3, maxRowHeight)); err != nil {
			return err
		}
	}
	return nil
}

// ownColumn reports whether column c (0-based) of the summary table
// belongs to the task rather than to one of its units.
func ownColumn(c int) bool { return report.OwnColumn(c) }

// wrappedLines estimates how many lines text takes in a column of the
// given width when wrapped at spaces.
func wrappedLines(text string, width float64) int {
	perLine := max(int(width*charsPerWidth)-1, 1)
	n := 0
	for _, para := range strings.Split(text, "\n") {
		col := 0
		lines := 1
		for _, word := range strings.Fields(para) {
			w := utf8.RuneCountInString(word)
			switch {
			case col == 0:
				col = w
			case col+1+w <= perLine:
				col += 1 + w
			default:
				lines++
				col = w
			}
			for col > perLine { // a word longer than the line
				lines++
				col -= perLine
			}
		}
		n += lines
	}
	return n
}

// pageLayout prints a sheet the way offices print reports: A4 landscape,
// all columns on one page width, the header repeated on every page,
// margins of about 20 mm (Nghị định 30/2020 for landscape pages).
func (b *builder) pageLayout(fs framedSheet) error {
	sheet := fs.name
	a4, landscape, one, any := 9, "landscape", 1, 0
	if err := b.f.SetPageLayout(sheet, &excelize.PageLayoutOptions{
		Size: &a4, Orientation: &landscape, FitToWidth: &one, FitToHeight: &any,
	}); err != nil {
		return err
	}
	fit := true
	if err := b.f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	top, side, right := 0.79, 0.79, 0.59 // inches: 20 mm, 20 mm, 15 mm
	if err := b.f.SetPageMargins(sheet, &excelize.PageLayoutMarginsOptions{
		Left: &side, Right: &right, Top: &top, Bottom: &top,
	}); err != nil {
		return err
	}
	titles := fmt.Sprintf("'%s'!$1:$%d", sheet, fs.header)
	if fs.header > headerRow {
		titles = fmt.Sprintf("'%s'!$%d:$%d", sheet, fs.header, fs.header) // the letterhead once, the header on every page
	}
	return b.f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: titles, Scope: sheet})
}

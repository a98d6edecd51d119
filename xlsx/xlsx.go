package xlsx

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/summary"
	"github.com/chanhlo/planbot/texts"
)

// MIME is the media type of the workbook.
const MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// Layout of every task sheet: the title on row 1, the subtitle on row 2,
// the header on row 3, data from row 4; the header stays in view.
const (
	titleRow  = 1
	headerRow = 3
	firstRow  = 4
)

// ColumnWidths are the widths of the official columns A–H.
var ColumnWidths = []float64{6, 60, 28, 28, 16, 36, 24, 40}

// FileName names the workbook of a period: "tong-hop-2023-07.xlsx".
func FileName(p plan.Period) string { return "tong-hop-" + p.String() + ".xlsx" }

// Document returns the workbook as a message attachment.
func Document(s *summary.Summary) (*plan.Document, error) {
	b, err := Bytes(s)
	if err != nil {
		return nil, err
	}
	return &plan.Document{Name: FileName(s.Period), MIME: MIME, Data: b}, nil
}

// Bytes returns the workbook's bytes.
func Bytes(s *summary.Summary) ([]byte, error) {
	var buf bytes.Buffer
	if err := Write(&buf, s); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Write writes the summary as an .xlsx workbook to w.
func Write(w io.Writer, s *summary.Summary) error {
	f, err := Workbook(s)
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
func Workbook(s *summary.Summary) (*excelize.File, error) {
	b := &builder{f: excelize.NewFile(), s: s, used: map[string]bool{}}
	if err := b.build(); err != nil {
		b.f.Close()
		return nil, err
	}
	return b.f, nil
}

type builder struct {
	f    *excelize.File
	s    *summary.Summary
	used map[string]bool
	// framed are the sheets with a header, and their column widths: their
	// rows are sized and their pages laid out once they are filled.
	framed []framedSheet

	title, header, cell, center, section, percent int
}

func (b *builder) build() error {
	if err := b.styles(); err != nil {
		return err
	}
	if err := b.f.SetSheetName("Sheet1", texts.SheetSummary); err != nil {
		return fmt.Errorf("rename sheet: %w", err)
	}
	b.used[texts.SheetSummary] = true
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
	for _, fs := range b.framed {
		if err := b.fitRows(fs); err != nil {
			return fmt.Errorf("row heights of %s: %w", fs.name, err)
		}
		if err := b.pageLayout(fs.name); err != nil {
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
	for _, st := range []struct {
		dst *int
		s   *excelize.Style
	}{
		{&b.title, &excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}}},
		{&b.header, &excelize.Style{Font: &excelize.Font{Bold: true}, Border: border,
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}}},
		{&b.cell, &excelize.Style{Border: border, Alignment: wrapTop}},
		{&b.center, &excelize.Style{Border: border, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "top", WrapText: true}}},
		{&b.section, &excelize.Style{Font: &excelize.Font{Bold: true}, Border: border, Alignment: wrapTop,
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F2F2F2"}}}},
		{&b.percent, &excelize.Style{Border: border, NumFmt: 9, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "top"}}},
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
	for i := 2; b.used[out]; i++ {
		suffix := fmt.Sprintf(" (%d)", i)
		out = truncate(base, 31-utf8.RuneCountInString(suffix)) + suffix
	}
	b.used[out] = true
	return out
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return strings.TrimSpace(string(r[:n]))
	}
	return s
}

// frame writes the title, subtitle and header of a sheet, freezes the
// header and sets the widths.
func (b *builder) frame(sheet, title string, columns []string, widths []float64) error {
	f := b.f
	last, _ := excelize.ColumnNumberToName(len(columns))
	cells := []struct {
		cell, value string
	}{
		{"A1", title},
		{"A2", texts.SheetSubtitle(b.s.AsOf)},
	}
	for _, c := range cells {
		if err := f.SetCellValue(sheet, c.cell, c.value); err != nil {
			return err
		}
	}
	if err := f.MergeCell(sheet, "A1", last+"1"); err != nil {
		return err
	}
	if err := f.MergeCell(sheet, "A2", last+"2"); err != nil {
		return err
	}
	if err := f.SetCellStyle(sheet, "A1", last+"1", b.title); err != nil {
		return err
	}
	if err := f.SetRowHeight(sheet, titleRow, 36); err != nil {
		return err
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
	b.framed = append(b.framed, framedSheet{name: sheet, widths: widths})
	return f.SetPanes(sheet, &excelize.Panes{
		Freeze: true, YSplit: headerRow, TopLeftCell: fmt.Sprintf("A%d", firstRow), ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: fmt.Sprintf("A%d", firstRow), ActiveCell: fmt.Sprintf("A%d", firstRow), Pane: "bottomLeft"}},
	})
}

func (b *builder) summarySheet() error {
	sheet := texts.SheetSummary
	if err := b.frame(sheet, texts.SheetTitle(b.s.Name, b.s.Period), texts.SummaryColumns, ColumnWidths); err != nil {
		return err
	}
	row, stt := firstRow, 0
	titles := map[string]string{}
	for _, sec := range b.s.Sections {
		titles[sec.Number] = sec.Title
	}
	lastSection := "\x00"
	for _, r := range b.s.Tasks {
		if r.Task.Section != lastSection && titles[r.Task.Section] != "" {
			lastSection = r.Task.Section
			if err := b.sectionRow(sheet, row, r.Task.Section+". "+titles[r.Task.Section]); err != nil {
				return err
			}
			row++
		}
		stt++
		if err := b.taskRow(sheet, row, stt, r, taskStatus(r), taskNote(r)); err != nil {
			return err
		}
		row++
	}
	return nil
}

func (b *builder) sectionRow(sheet string, row int, text string) error {
	if err := b.f.SetCellValue(sheet, fmt.Sprintf("B%d", row), text); err != nil {
		return err
	}
	if err := b.f.MergeCell(sheet, fmt.Sprintf("B%d", row), fmt.Sprintf("H%d", row)); err != nil {
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

func statusText(st summary.Status, pending bool, daysLate int) string {
	var notes []string
	if daysLate > 0 {
		notes = append(notes, texts.DaysLateNote(daysLate))
	}
	if pending {
		notes = append(notes, texts.SummaryPending)
	}
	if len(notes) == 0 {
		return texts.StatusLabel(string(st))
	}
	return texts.StatusLabel(string(st)) + " (" + strings.Join(notes, "; ") + ")"
}

func taskStatus(r summary.TaskRow) string { return statusText(r.Status, r.Pending, r.DaysLate) }

// taskNote lists each unit's status when they differ, returned "done"s
// and blockers.
func taskNote(r summary.TaskRow) string {
	var notes []string
	differ := false
	for _, j := range r.Units {
		differ = differ || j.Status != r.Status
	}
	for _, j := range r.Units {
		if differ && len(r.Units) > 1 {
			notes = append(notes, texts.UnitStatusNote(j.Unit, statusText(j.Status, j.Pending, j.DaysLate)))
		}
		notes = append(notes, unitNotes(j)...)
	}
	return strings.Join(notes, "\n")
}

func unitNotes(j summary.Judgement) []string {
	var notes []string
	if j.Returned {
		notes = append(notes, texts.ReturnedNote(j.Unit, j.ReturnNote))
	}
	if j.Latest != nil && j.Latest.Blocker != "" {
		notes = append(notes, texts.BlockerNote(j.Unit, j.Latest.Blocker))
	}
	if j.Latest != nil && j.Latest.Note != "" {
		notes = append(notes, j.Unit+": "+j.Latest.Note)
	}
	return notes
}

func (b *builder) unitsSheet() error {
	sheet := texts.SheetUnits
	b.used[sheet] = true
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
		note := strings.Join(unitNotes(j), "\n")
		if err := b.taskRow(sheet, firstRow+i, i+1, r, statusText(j.Status, j.Pending, j.DaysLate), note); err != nil {
			return err
		}
	}
	return nil
}

// chart writes the counts of each status by unit to the data sheet and
// draws them as a stacked bar chart on the units sheet.
func (b *builder) chart() error {
	data := texts.SheetChartData
	b.used[data] = true
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
	return b.f.AddChart(texts.SheetUnits, fmt.Sprintf("J%d", headerRow), &excelize.Chart{
		Type:      excelize.BarStacked,
		Series:    series,
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: texts.ChartTitle}}},
		Legend:    excelize.ChartLegend{Position: "bottom"},
		Dimension: excelize.ChartDimension{Width: 720, Height: uint(160 + 28*len(b.s.Units))},
		Overlap:   &overlap,
		YAxis:     excelize.ChartAxis{MajorGridLines: true},
		XAxis:     excelize.ChartAxis{ReverseOrder: true},
	})
}

type framedSheet struct {
	name   string
	widths []float64
}

// Row height of one line of 11-point text, in points, and the characters
// of Vietnamese text that fit in one unit of column width (a little less
// than one: diacritics do not widen letters, capitals do).
const (
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
	for i := headerRow - 1; i < len(rows); i++ {
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
			// A section heading stands alone in B and is merged to the end.
			if filled == 1 && c == 1 && i+1 >= firstRow {
				width = 0
				for _, w := range fs.widths[1:] {
					width += w
				}
			}
			lines = max(lines, wrappedLines(v, width))
		}
		if err := b.f.SetRowHeight(fs.name, i+1, float64(lines)*lineHeight+3); err != nil {
			return err
		}
	}
	return nil
}

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
// all columns on one page width, the title and header repeated on every
// page.
func (b *builder) pageLayout(sheet string) error {
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
	margin := 0.4
	if err := b.f.SetPageMargins(sheet, &excelize.PageLayoutMarginsOptions{
		Left: &margin, Right: &margin, Top: &margin, Bottom: &margin,
	}); err != nil {
		return err
	}
	return b.f.SetDefinedName(&excelize.DefinedName{
		Name:     "_xlnm.Print_Titles",
		RefersTo: fmt.Sprintf("'%s'!$1:$%d", sheet, headerRow),
		Scope:    sheet,
	})
}

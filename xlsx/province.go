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

// The province's workbook: a summary sheet with a row per ward (worst
// first, as the chat lists them, each linking to the ward's sheet),
// the comparison of what the wards share, and a sheet per ward with its
// tasks in the official columns, as the ward's own workbook has them.

// ProvinceColumnWidths are the widths of the summary sheet's columns
// (texts.ProvinceColumns).
var ProvinceColumnWidths = []float64{5, 24, 11, 10, 9, 11, 9, 10, 14, 60, 8}

// IndicatorColumnWidths are the widths of the comparison sheet's columns
// (texts.IndicatorColumns).
var IndicatorColumnWidths = []float64{5, 30, 16, 10, 11, 9, 10, 12}

// ProvinceFileName names the roll-up's workbook: "tong-hop-tinh-2023-07.xlsx".
func ProvinceFileName(p plan.Period) string { return texts.ProvinceFileStem + p.String() + ".xlsx" }

// ProvinceDocument returns the roll-up's workbook as a message attachment.
func ProvinceDocument(p *summary.Province) (*plan.Document, error) {
	var buf bytes.Buffer
	if err := Province(&buf, p); err != nil {
		return nil, err
	}
	return &plan.Document{Name: ProvinceFileName(p.Period), MIME: MIME, Data: buf.Bytes()}, nil
}

// Province writes the roll-up as an .xlsx workbook to w.
func Province(w io.Writer, p *summary.Province) error {
	f, err := ProvinceWorkbook(p)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("write province workbook: %w", err)
	}
	return nil
}

// ProvinceWorkbook builds the roll-up's workbook. The caller closes it.
func ProvinceWorkbook(p *summary.Province) (*excelize.File, error) {
	b := &builder{f: excelize.NewFile(), used: map[string]bool{}}
	if err := b.buildProvince(p); err != nil {
		b.f.Close()
		return nil, err
	}
	return b.f, nil
}

func (b *builder) buildProvince(p *summary.Province) error {
	if err := b.styles(); err != nil {
		return err
	}
	if err := b.f.SetSheetName("Sheet1", texts.SheetProvince); err != nil {
		return fmt.Errorf("rename sheet: %w", err)
	}
	b.reserve(texts.SheetProvince)
	b.reserve(texts.SheetIndicators)
	// The ward sheets' names are settled first: the summary links to them.
	sheets := make([]string, len(p.Wards))
	for i, w := range p.Wards {
		if !w.NoData() {
			sheets[i] = b.sheetName(wardSheetName(w.Name))
		}
	}
	if err := b.provinceSheet(p, sheets); err != nil {
		return fmt.Errorf("province summary sheet: %w", err)
	}
	if len(p.Indicators) > 0 {
		if err := b.indicatorsSheet(p); err != nil {
			return fmt.Errorf("comparison sheet: %w", err)
		}
	}
	for i, w := range p.Wards {
		if sheets[i] == "" {
			continue
		}
		if _, err := b.f.NewSheet(sheets[i]); err != nil {
			return fmt.Errorf("sheet of %s: %w", w.Name, err)
		}
		s := w.Summary
		if _, err := b.taskTable(sheets[i], s, titleRow, texts.WardSheetTitle(w.Name, s.Name, s.Period), texts.SheetSubtitle(s.AsOf)); err != nil {
			return fmt.Errorf("sheet of %s: %w", w.Name, err)
		}
	}
	return b.finish()
}

// wardSheetName leaves out what every ward's name starts with ("UBND",
// "Ủy ban nhân dân"): a sheet name has 31 characters, better spent on
// what tells wards apart. A name still too long keeps its end, where
// wards named alike differ ("… Quảng Ngãi 12"), and loses its middle.
func wardSheetName(name string) string {
	name = strings.TrimSpace(name)
	for _, prefix := range []string{"Ủy ban nhân dân ", "Uỷ ban nhân dân ", "UBND "} {
		if len(name) > len(prefix) && strings.EqualFold(name[:len(prefix)], prefix) {
			name = strings.TrimSpace(name[len(prefix):])
			break
		}
	}
	const max, tail = 31, 14
	r := []rune(name)
	if len(r) <= max {
		return name
	}
	end := string(r[len(r)-tail:])
	if r[len(r)-tail-1] != ' ' {
		if _, rest, ok := strings.Cut(end, " "); ok {
			end = rest // a whole word, not its end
		}
	}
	end = strings.TrimSpace(end)
	n := max - 1 - utf8.RuneCountInString(end)
	head := string(r[:n])
	if i := strings.LastIndexByte(head, ' '); r[n] != ' ' && i > 0 {
		head = head[:i]
	}
	return strings.TrimSpace(head) + "…" + end
}

// provinceSheet writes a row per ward, worst first, and the totals.
// sheets are the wards' sheet names ("" for none).
func (b *builder) provinceSheet(p *summary.Province, sheets []string) error {
	sheet := texts.SheetProvince
	if err := b.frameAt(sheet, titleRow, texts.ProvinceSheetTitle(p.Name, len(p.Wards), p.Period),
		texts.ProvinceSheetSubtitle(p.AsOf), texts.ProvinceColumns, ProvinceColumnWidths); err != nil {
		return err
	}
	fs := &b.framed[len(b.framed)-1]
	row := fs.first()
	for i, w := range p.Wards {
		var units string
		var rate any = ""
		if r, ok := w.ReportingRate(); ok {
			rate = r
			units = fmt.Sprintf("%d/%d", w.UnitsReported, w.UnitsExpected)
		}
		values := []any{i + 1, w.Name, units, rate, w.Tasks, w.Done, w.Overdue, w.Blocked,
			texts.ReportingState(w.UnitsReported, w.UnitsExpected), w.WeakestText(), ""}
		if w.NoData() {
			values = []any{i + 1, w.Name, "", "", "", "", "", "", texts.NoDataMark, "", ""}
		} else {
			values[10] = texts.WardSheetLink
		}
		if err := b.provinceRow(sheet, row, values); err != nil {
			return err
		}
		if sheets[i] != "" {
			// The link has a column of its own: LibreOffice draws a
			// linked cell's text on one line, over the cells beside it,
			// and a ward's name may need two.
			cell := fmt.Sprintf("K%d", row)
			if err := b.f.SetCellHyperLink(sheet, cell, fmt.Sprintf("'%s'!A1", sheets[i]), "Location"); err != nil {
				return err
			}
			if err := b.f.SetCellStyle(sheet, cell, cell, b.link); err != nil {
				return err
			}
		}
		row++
	}
	t := p.Totals
	var rate any = ""
	var units string
	if r, ok := t.ReportingRate(); ok {
		rate, units = r, fmt.Sprintf("%d/%d", t.UnitsReported, t.UnitsExpected)
	}
	notReported := ""
	if n := len(p.NotReported); n > 0 {
		notReported = fmt.Sprintf("%s: %d", texts.NotReportedMark, n)
	}
	if err := b.provinceRow(sheet, row, []any{"", texts.ProvinceTotalRow, units, rate, t.Tasks, t.Done, t.Overdue, t.Blocked, notReported, "", ""}); err != nil {
		return err
	}
	last, _ := excelize.ColumnNumberToName(len(texts.ProvinceColumns))
	if err := b.f.SetCellStyle(sheet, fmt.Sprintf("A%d", row), fmt.Sprintf("%s%d", last, row), b.totalRow); err != nil {
		return err
	}
	if err := b.f.SetCellStyle(sheet, fmt.Sprintf("D%d", row), fmt.Sprintf("D%d", row), b.totalPercent); err != nil {
		return err
	}
	fs.end = row
	return nil
}

// provinceRow writes one row of the summary sheet: names and the weakest
// figures wrapped at the top, the numbers centred, the rate as a percent.
func (b *builder) provinceRow(sheet string, row int, values []any) error {
	if err := b.f.SetSheetRow(sheet, fmt.Sprintf("A%d", row), &values); err != nil {
		return err
	}
	last, _ := excelize.ColumnNumberToName(len(values))
	for _, st := range []struct {
		from, to string
		style    int
	}{
		{"A", last, b.center},
		{"B", "B", b.cell},
		{"D", "D", b.percent},
		{"J", "J", b.cell},
	} {
		if err := b.f.SetCellStyle(sheet, fmt.Sprintf("%s%d", st.from, row), fmt.Sprintf("%s%d", st.to, row), st.style); err != nil {
			return err
		}
	}
	return nil
}

// indicatorsSheet writes each indicator as a heading and its wards under
// it, in the province's order.
func (b *builder) indicatorsSheet(p *summary.Province) error {
	sheet := texts.SheetIndicators
	if _, err := b.f.NewSheet(sheet); err != nil {
		return err
	}
	if err := b.frameAt(sheet, titleRow, texts.IndicatorsSheetTitle(p.ByMapping, p.Period),
		texts.IndicatorsSheetSubtitle(p.AsOf), texts.IndicatorColumns, IndicatorColumnWidths); err != nil {
		return err
	}
	fs := &b.framed[len(b.framed)-1]
	row := fs.first()
	for _, ind := range p.Indicators {
		if err := b.sectionRow(sheet, row, ind.Name); err != nil {
			return err
		}
		row++
		for i, w := range ind.Wards {
			var lowest any = ""
			if w.HasFigure {
				lowest = w.Lowest / 100
			}
			values := []any{i + 1, w.Ward, strings.Join(w.Codes, ", "), w.Tasks, w.Done, w.Overdue, w.Blocked, lowest}
			if err := b.f.SetSheetRow(sheet, fmt.Sprintf("A%d", row), &values); err != nil {
				return err
			}
			for _, st := range []struct {
				from, to string
				style    int
			}{
				{"A", "H", b.center},
				{"B", "C", b.cell},
				{"H", "H", b.percent},
			} {
				if err := b.f.SetCellStyle(sheet, fmt.Sprintf("%s%d", st.from, row), fmt.Sprintf("%s%d", st.to, row), st.style); err != nil {
					return err
				}
			}
			row++
		}
	}
	fs.end = row - 1
	return nil
}

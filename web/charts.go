package web

import (
	"fmt"
	"html/template"
	"math"
	"strings"
)

// Charts are plain SVG drawn here from the same numbers as the page: no
// script, no library, nothing fetched; they print and read on a phone.

// barItem is one bar of a horizontal bar chart: a label and a share 0–1.
type barItem struct {
	Label string
	Value float64
	Text  string
}

// barChart draws labelled horizontal bars of shares (0–1).
func barChart(title string, items []barItem) template.HTML {
	const (
		width, labelW, barW, rowH, top = 640, 200, 360, 26, 30
	)
	h := top + rowH*len(items) + 10
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %d %d" role="img" aria-label="%s" xmlns="http://www.w3.org/2000/svg">`, width, h, esc(title))
	fmt.Fprintf(&b, `<text x="0" y="18" class="ct">%s</text>`, esc(title))
	for i, it := range items {
		y := top + i*rowH
		v := math.Max(0, math.Min(1, it.Value))
		color := "#2e7d32"
		switch {
		case v < 0.5:
			color = "#c62828"
		case v < 0.8:
			color = "#f9a825"
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d" class="cl" text-anchor="end">%s</text>`, labelW-8, y+17, esc(it.Label))
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="18" fill="#eceff1"/>`, labelW, y+4, barW)
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%.1f" height="18" fill="%s"/>`, labelW, y+4, float64(barW)*v, color)
		fmt.Fprintf(&b, `<text x="%d" y="%d" class="cv">%s</text>`, labelW+barW+8, y+17, esc(it.Text))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// linePoint is one point of a line chart: an x label and a value.
type linePoint struct {
	Label string
	Value float64
}

// lineSeries is one line of a chart.
type lineSeries struct {
	Name   string
	Color  string
	Points []linePoint
}

// lineChart draws lines over shared x labels, values in percent (0–100).
func lineChart(title string, series []lineSeries) template.HTML {
	const (
		width, height, left, right, top, bottom = 640, 260, 44, 16, 34, 40
	)
	n := 0
	for _, s := range series {
		n = max(n, len(s.Points))
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %d %d" role="img" aria-label="%s" xmlns="http://www.w3.org/2000/svg">`, width, height, esc(title))
	fmt.Fprintf(&b, `<text x="0" y="18" class="ct">%s</text>`, esc(title))
	plotW, plotH := width-left-right, height-top-bottom
	for _, v := range []int{0, 25, 50, 75, 100} {
		y := top + plotH - plotH*v/100
		fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#cfd8dc"/>`, left, y, left+plotW, y)
		fmt.Fprintf(&b, `<text x="%d" y="%d" class="cl" text-anchor="end">%d%%</text>`, left-6, y+4, v)
	}
	x := func(i int) float64 {
		if n <= 1 {
			return float64(left + plotW/2)
		}
		return float64(left) + float64(plotW)*float64(i)/float64(n-1)
	}
	if len(series) > 0 {
		for i, p := range series[0].Points {
			fmt.Fprintf(&b, `<text x="%.1f" y="%d" class="cl" text-anchor="middle">%s</text>`, x(i), top+plotH+18, esc(p.Label))
		}
	}
	for k, s := range series {
		var pts []string
		for i, p := range s.Points {
			y := float64(top+plotH) - float64(plotH)*math.Max(0, math.Min(100, p.Value))/100
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(i), y))
			fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="3.5" fill="%s"><title>%s %s: %.0f%%</title></circle>`, x(i), y, s.Color, esc(s.Name), esc(p.Label), p.Value)
		}
		fmt.Fprintf(&b, `<polyline fill="none" stroke="%s" stroke-width="2.5" points="%s"/>`, s.Color, strings.Join(pts, " "))
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="12" height="12" fill="%s"/><text x="%d" y="%d" class="cl">%s</text>`,
			left+k*220, height-14, s.Color, left+k*220+16, height-4, esc(s.Name))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

func esc(s string) string { return template.HTMLEscapeString(s) }

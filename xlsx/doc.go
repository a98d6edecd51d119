// Package xlsx writes a period summary as an Excel workbook (excelize):
// a summary sheet with the official columns, a sheet of unit figures with
// a stacked bar chart of task statuses by unit, one sheet per unit, and the
// small data sheet the chart is drawn from.
package xlsx

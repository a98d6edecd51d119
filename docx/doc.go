// Package docx writes the báo cáo (package report) as a Word document
// (.docx, WordprocessingML) laid out per Nghị định 30/2020/NĐ-CP: A4
// portrait with the decree's margins, Times New Roman, the two-column
// header without borders (issuing body and number left, national name,
// motto and date line right), the title and trích yếu, the justified
// body with first-line indents, "Nơi nhận" and the signature block, page
// numbers from page 2 — then the appendix table in a landscape section,
// its header row repeated on every page, one line per unit of a task.
//
// The package owns its small template rather than depending on a
// document library: the parts it writes are few and fixed, and the
// layout rules (a border-less header table, a short rule under a line,
// a section that turns landscape, a repeated header row) are exactly
// what the general libraries served here do not reach. The tests read
// the result back with github.com/gomutex/godocx.
package docx

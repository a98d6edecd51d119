// Package importer turns a Vietnamese implementation plan (kế hoạch) into a
// *plan.Plan: the document header, the numbered sections of part III and
// every task in them, with lead, executing and supporting units under
// canonical names, deadlines understood from the phrases officials write
// ("Trong Quý II/2023", "Thường xuyên", "Sau khi … (dự kiến tháng 6/2023)")
// and targets ("100%", "đạt tối thiểu 85,5%").
//
// It reads plain text, Markdown and .docx, and it never drops what it does
// not understand: a task whose deadline it cannot read is kept with an
// open deadline, and every such doubt becomes a Vietnamese warning in
// Plan.Warnings for the secretary to check.
//
// The unit resolver (CanonicalUnit, Resolve, Fold, Key) is shared with the
// chat bot and the command line, which map whatever spelling a person types
// onto a unit of the plan.
package importer

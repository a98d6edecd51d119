// Package importer turns a Vietnamese implementation plan (kế hoạch) into a
// *plan.Plan: the document header, the numbered sections of part III and
// every task in them, with lead, executing and supporting units under
// canonical names, deadlines understood from the phrases officials write
// ("Trong Quý II/2023", "Thường xuyên", "Sau khi … (dự kiến tháng 6/2023)")
// and targets ("100%", "đạt tối thiểu 85,5%").
//
// It reads plain text, Markdown, .docx (Word's automatic numbering and
// plans laid out as tables included) and PDF with a text layer (its
// tables too), told apart by content; a scanned PDF is refused. It
// never drops what it does not understand: a task whose deadline it cannot
// read is kept with an open deadline, and every such doubt becomes a
// Vietnamese warning in Plan.Warnings for the secretary to check.
//
// The unit resolver (CanonicalUnit, Resolve, SplitUnits, Fold, Key) is
// shared with the chat bot and the command line, which map whatever
// spelling a person types onto a unit of the plan.
//
// # Decisions
//
//   - "Trước ngày 15/5/2023" is due on 15/5/2023: in administrative usage
//     it means "by", not "the day before".
//   - A phrase that cites roadmaps of other documents (task 2.đ of the
//     sample: "Lộ trình theo Nghị quyết 50/NQ-CP … từ 01/6/2023 …") is an
//     open deadline with a warning: its dates are those of the cited
//     documents, and guessing one would put a false date in reminders.
//   - "(kể) từ tháng 4/2023" alone is ongoing work from that month. In a
//     target line with no deadline line (sample 8.1: "đạt 100% … kể từ
//     tháng 4/2023") it is a monthly figure from 1/4/2023; a target line
//     opening with a period ("Năm 2023 đạt 70%") is due at its end. A
//     recurring deadline carries Start when the phrase gives one.
//   - A task with no deadline line takes its section's (sample 8.3 takes
//     "Thường xuyên" of section 8); failing that it is open, with a warning.
//   - Collective phrases ("Các ban ngành, đơn vị phường") set
//     Task.SupportAll and name no unit.
//   - "Địa chính - Xây dựng" and "Địa chính - Môi trường" stay two units,
//     with a warning when a plan names both.
//   - Task codes are kept as written, gaps included (4.a, 4.c), with a
//     warning; "đ" follows "d".
//   - In the review JSON, absent dates are null and lists are [] when
//     empty.
//   - A .docx is read as paragraphs and tables in reading order. Word's
//     automatic numbering (word/numbering.xml, and a paragraph style's
//     numbering) is written in front of the paragraph as if typed, counted
//     per list and level; letter lists of a Vietnamese document use the
//     Vietnamese alphabet (a, b, c, d, đ, e, g, …), as plans letter tasks.
//   - A table is a task list when its heading names a content column and a
//     unit or deadline column, in any usual wording ("Nội dung công việc",
//     "Cơ quan (đơn vị) chủ trì", "Thời hạn hoàn thành", "Sản phẩm"). Group
//     rows (STT "II", "A", or one cell across the table) are sections; a
//     task's code is its STT prefixed by the group's number when numbering
//     restarts in each group ("2.1"), or as written when it has one
//     ("2.1") or runs on across groups. Cells are read like the labelled
//     lines of the prose, so a plan reads the same typed either way.
//   - Prose tasks and table tasks (an appendix "Phụ lục kèm theo Kế hoạch")
//     both go in the plan; a code used twice is a warning.
//   - Tables that are not task lists (the header with the quốc hiệu, the
//     signature and "Nơi nhận") are read as text for the header and listed
//     in the warnings as "Bỏ qua bảng N (…)", shown apart in the review; one
//     that looks like a task list but lacks a column is a warning to check.
//
// Not handled: legacy .doc files, refused with a message asking for
// .docx, and scanned PDFs without a text layer.
package importer

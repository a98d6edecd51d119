package importer

// docBlock is one piece of a document in reading order: a paragraph of
// text (with its automatic numbering label, when the document numbers it
// for the reader, written in front as if typed: "a) …", "1. …") or a
// table. Readers of each format (.docx, PDF) produce blocks; the parser
// reads paragraphs as prose and tables as task lists.
type docBlock struct {
	// Text is a paragraph; it may hold line breaks.
	Text string
	// Table is a table as rows of cells, each cell's text with its lines
	// joined by "\n". A merged cell's text is carried to every row
	// (vertical merge) and column (horizontal merge) it covers, so that
	// each row is complete on its own.
	Table [][]string
}

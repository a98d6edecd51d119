package importer

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/text/unicode/norm"

	"github.com/chanhlo/planbot/plan"
)

// Plans laid out as tables: "STT | Nội dung | Đơn vị chủ trì | Đơn vị
// phối hợp | Thời gian hoàn thành | Sản phẩm | Ghi chú", with group rows
// ("I. Công tác tham mưu", or one cell merged across the table) that
// start sections. Columns are found by their heading in any usual wording
// and order; each task row becomes a task read the same way as a task of
// the prose (units, deadline, targets), so that a plan reads the same
// whether typed as paragraphs or as a table.

// column is what a column of a task table holds.
type column int

const (
	colNone column = iota
	colSTT
	colContent
	colLead
	colExecute
	colSupport
	colDeadline
	colResult
	colNote
)

// headingColumn recognises a column heading ("Cơ quan (đơn vị) chủ trì",
// "Thời hạn hoàn thành", "Nội dung công việc").
func headingColumn(h string) column {
	k := strings.Trim(Key(h), " .:*()")
	has := func(prefixes ...string) bool {
		return slices.ContainsFunc(prefixes, func(p string) bool { return strings.HasPrefix(k, p) })
	}
	switch {
	case k == "":
		return colNone
	case k == "stt" || k == "tt" || k == "so tt" || k == "so thu tu" || k == "so":
		return colSTT
	case strings.Contains(k, "phoi hop"):
		return colSupport
	case strings.Contains(k, "chu tri") || has("phu trach", "don vi phu trach", "co quan phu trach", "nguoi phu trach"):
		return colLead
	case has("ghi chu"):
		return colNote
	case has("thoi gian", "thoi han", "tien do", "lo trinh", "moc thoi gian"):
		return colDeadline
	case has("san pham", "ket qua", "chi tieu", "muc tieu"):
		return colResult
	case has("noi dung", "nhiem vu", "ten nhiem vu", "cac nhiem vu", "cong viec", "ten cong viec", "hoat dong", "giai phap"):
		return colContent
	case strings.Contains(k, "thuc hien") || k == "don vi" || k == "co quan" || has("co quan, don vi", "co quan don vi", "don vi, co quan"):
		return colExecute
	}
	return colNone
}

// tableShape is a table understood as a task list.
type tableShape struct {
	cols   map[column]int // the column of each kind
	header [][]string     // the heading rows
	body   int            // index of the first row after the heading
}

// shapeTable finds the heading of a table among its first rows: a row
// with a content column and at least one other known column, and the row
// under it when it splits a heading ("Đơn vị thực hiện" over "Chủ trì" and
// "Phối hợp"). It returns nil when no row reads as a heading.
func shapeTable(rows [][]string) *tableShape {
	for i := 0; i < len(rows) && i < 4; i++ {
		cols := headingColumns(rows[i], nil)
		if _, ok := cols[colContent]; !ok || len(cols) < 2 {
			continue
		}
		s := &tableShape{cols: cols, header: [][]string{rows[i]}, body: i + 1}
		if i+1 < len(rows) {
			sub := rows[i+1]
			differs, known := 0, true
			for c := range sub {
				if c < len(rows[i]) && sub[c] != rows[i][c] && strings.TrimSpace(sub[c]) != "" {
					differs++
					known = known && headingColumn(sub[c]) != colNone
				}
			}
			if differs > 0 && known {
				s.cols = headingColumns(rows[i], sub)
				s.header = append(s.header, sub)
				s.body = i + 2
			}
		}
		return s
	}
	return nil
}

func headingColumns(row, sub []string) map[column]int {
	cols := map[column]int{}
	for c, h := range row {
		if sub != nil && c < len(sub) && sub[c] != h {
			h += " " + sub[c]
		}
		if k := headingColumn(h); k != colNone {
			if _, seen := cols[k]; !seen {
				cols[k] = c
			}
		}
	}
	return cols
}

// isTaskList reports whether the table has a content column and a unit or
// deadline column.
func (s *tableShape) isTaskList() bool {
	if s == nil {
		return false
	}
	if _, ok := s.cols[colContent]; !ok {
		return false
	}
	for _, k := range []column{colLead, colExecute, colSupport, colDeadline} {
		if _, ok := s.cols[k]; ok {
			return true
		}
	}
	return false
}

// docTable is a table of the document with its number (1-based, in
// reading order) and shape.
type docTable struct {
	n     int
	rows  [][]string
	shape *tableShape // nil when the table is not a task list
}

// normalizeBlock writes a block's text in NFC with "\n" line ends.
func normalizeBlock(b docBlock) docBlock {
	clean := func(s string) string {
		return norm.NFC.String(strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n"))
	}
	b.Text = clean(b.Text)
	if b.Table != nil {
		rows := make([][]string, len(b.Table))
		for i, r := range b.Table {
			rows[i] = make([]string, len(r))
			for j, c := range r {
				rows[i][j] = clean(c)
			}
		}
		b.Table = rows
	}
	return b
}

// blockBlank reports a block without any text.
func blockBlank(b docBlock) bool {
	if strings.TrimSpace(b.Text) != "" {
		return false
	}
	for _, r := range b.Table {
		for _, c := range r {
			if strings.TrimSpace(c) != "" {
				return false
			}
		}
	}
	return true
}

// splitBlocks returns the lines the prose parser reads and the tables of
// the document. Paragraphs give their lines followed by a blank line; a
// table that is not a task list gives the lines of its cells (each merged
// cell once), so that a header table's "Số: …" and a signature table's
// "Nơi nhận" are read as before; a task list gives no line, its tasks are
// read by tableTasks.
func splitBlocks(blocks []docBlock) (lines []string, tables []docTable) {
	for _, b := range blocks {
		if b.Table == nil {
			lines = append(lines, strings.Split(b.Text, "\n")...)
			lines = append(lines, "")
			continue
		}
		t := docTable{n: len(tables) + 1, rows: b.Table}
		if s := shapeTable(b.Table); s.isTaskList() {
			t.shape = s
		} else {
			for i, r := range b.Table {
				for j, c := range r {
					if c == "" || (j > 0 && r[j-1] == c) || (i > 0 && j < len(b.Table[i-1]) && b.Table[i-1][j] == c) {
						continue
					}
					lines = append(lines, strings.Split(c, "\n")...)
					lines = append(lines, "")
				}
			}
		}
		tables = append(tables, t)
	}
	return lines, tables
}

// tableTasks reads the task lists among the tables into tasks and says,
// in notes, which tables were left out and why.
func (ps *parser) tableTasks(tables []docTable) (notes []string) {
	for _, t := range tables {
		if t.shape != nil {
			if n := ps.readTaskTable(t); n == 0 {
				ps.warnings = append(ps.warnings, fmt.Sprintf("Bảng %d có tiêu đề của danh sách nhiệm vụ nhưng không có dòng nhiệm vụ nào.", t.n))
			}
			continue
		}
		reason, looksLikeTasks := ignoredTable(t.rows)
		if looksLikeTasks != "" {
			ps.warnings = append(ps.warnings, fmt.Sprintf("Bảng %d có %s nhưng không có %s nên không đọc được thành danh sách nhiệm vụ; cần kiểm tra, các dòng của bảng chưa được nhập.", t.n, looksLikeTasks, reason))
			continue
		}
		notes = append(notes, fmt.Sprintf(ignoredPrefix+"bảng %d (không phải danh sách nhiệm vụ: %s).", t.n, reason))
	}
	return notes
}

// ignoredTable says why a table is not a task list. looksLikeTasks names
// the task-list columns it has ("cột số thứ tự"), "" when it has none; the
// reason then names what the table is.
func ignoredTable(rows [][]string) (reason, looksLikeTasks string) {
	var stt, content bool
	for i := 0; i < len(rows) && i < 4; i++ {
		for _, c := range rows[i] {
			switch headingColumn(c) {
			case colSTT:
				stt = true
			case colContent:
				content = true
			}
		}
	}
	switch {
	case stt && content:
		return "cột đơn vị chủ trì, phối hợp hay thời hạn", "cột số thứ tự và cột nội dung"
	case content:
		return "cột đơn vị chủ trì, phối hợp hay thời hạn", "cột nội dung"
	case stt:
		return "cột nội dung nhiệm vụ", "cột số thứ tự"
	}
	var all []string
	for _, r := range rows {
		all = append(all, r...)
	}
	text := Fold(strings.Join(all, " "))
	switch {
	case strings.Contains(text, "nơi nhận"):
		return "Nơi nhận", ""
	case strings.Contains(text, "cộng hòa xã hội chủ nghĩa") || strings.Contains(text, "độc lập - tự do"):
		return "phần đầu văn bản có quốc hiệu", ""
	case strings.Contains(text, "chủ tịch") || strings.HasPrefix(text, "tm.") || strings.Contains(text, " tm.") || strings.Contains(text, "kt."):
		return "phần chữ ký", ""
	}
	return "không có cột nội dung nhiệm vụ cùng cột đơn vị hoặc thời hạn", ""
}

var (
	sttNumberRe = regexp.MustCompile(`^\d{1,3}$`)
	sttDottedRe = regexp.MustCompile(`^\d{1,3}(?:\.[0-9a-zđ]{1,3})+$`)
	sttLetterRe = regexp.MustCompile(`^[a-zđ]$`)
	sttUpperRe  = regexp.MustCompile(`^[A-ZĐ]$`)
	colNumRe    = regexp.MustCompile(`^\(?\d{1,2}\)?$`)
	groupHeadRe = regexp.MustCompile(`^(?:(?:Phần|Mục|PHẦN|MỤC)\s+)?([IVX]{1,5}|[A-ZĐ]|\d{1,2})\s*[.):/-]\s*(\S.*)$`)
)

// normSTT reads the number cell of a row: "1.", "(2)", "a)", "II." →
// "1", "2", "a", "II"; a bullet or dash gives "".
func normSTT(s string) string {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\n", " "))
	s = strings.TrimLeft(s, "( ")
	s = strings.TrimRight(s, ".):; ")
	if strings.Trim(s, "-–—+•*·") == "" {
		return ""
	}
	if len([]rune(s)) == 1 || sttDottedRe.MatchString(strings.ToLower(s)) {
		if !sttUpperRe.MatchString(s) {
			s = strings.ToLower(s)
		}
	}
	return s
}

// tableRow is one row of a task list, by column.
type tableRow struct {
	index int // 1-based, in the table
	cells []string
	shape *tableShape
}

func (r tableRow) get(k column) string {
	c, ok := r.shape.cols[k]
	if !ok || c >= len(r.cells) {
		return ""
	}
	return strings.TrimSpace(r.cells[c])
}

// fieldsEmpty reports a row without unit, deadline or result.
func (r tableRow) fieldsEmpty() bool {
	for _, k := range []column{colLead, colExecute, colSupport, colDeadline, colResult} {
		if r.get(k) != "" {
			return false
		}
	}
	return true
}

// merged reports a row whose cells all hold the same text: one cell
// spanning the table, as group headings are laid out.
func (r tableRow) merged() (string, bool) {
	text := ""
	n := 0
	for _, c := range r.cells {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		if text != "" && c != text {
			return "", false
		}
		text = c
		n++
	}
	return text, text != "" && n >= 2 && n == len(r.cells)
}

// group is a group row: a section of the plan.
type group struct {
	number, title string
	merged        bool // one cell across the table
}

// groupOf reads a group row, with next the row after it.
func groupOf(r tableRow, next *tableRow, groups int) (group, bool) {
	if text, ok := r.merged(); ok {
		text = strings.Join(strings.Fields(text), " ")
		if m := groupHeadRe.FindStringSubmatch(text); m != nil {
			return group{groupNumber(m[1]), m[2], true}, true
		}
		return group{strconv.Itoa(groups + 1), text, true}, true
	}
	stt := normSTT(r.get(colSTT))
	title := joinTitle(r.get(colContent))
	if v, ok := romanValue(stt); ok {
		return group{number: strconv.Itoa(v), title: title}, true
	}
	if sttUpperRe.MatchString(stt) {
		return group{number: stt, title: title}, true
	}
	if sttNumberRe.MatchString(stt) && r.fieldsEmpty() && next != nil {
		ns := normSTT(next.get(colSTT))
		if sttLetterRe.MatchString(ns) || strings.HasPrefix(ns, stt+".") {
			return group{number: stt, title: title}, true
		}
	}
	return group{}, false
}

func groupNumber(s string) string {
	if v, ok := romanValue(s); ok {
		return strconv.Itoa(v)
	}
	return s
}

// joinTitle joins the lines of a content cell into one value: lines that
// are items of a list ("- …", "+ …") are separated by "; ", others by a
// space.
func joinTitle(s string) string {
	var out strings.Builder
	for _, l := range strings.Split(s, "\n") {
		item := bulletRe.MatchString(strings.TrimSpace(l))
		l = cleanLine(bulletRe.ReplaceAllString(strings.TrimSpace(l), ""))
		if l == "" {
			continue
		}
		if out.Len() > 0 {
			prev := out.String()
			if item && !strings.HasSuffix(prev, ".") && !strings.HasSuffix(prev, ";") && !strings.HasSuffix(prev, ":") {
				out.WriteString("; ")
			} else {
				out.WriteString(" ")
			}
		}
		out.WriteString(l)
	}
	return out.String()
}

// cellLines returns the non-empty lines of a cell, bullets removed.
func cellLines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = cleanLine(bulletRe.ReplaceAllString(strings.TrimSpace(l), "")); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// readTaskTable reads the rows of a task list into tasks and sections and
// returns the number of tasks.
func (ps *parser) readTaskTable(t docTable) int {
	s := t.shape
	var rows []tableRow
	for i := s.body; i < len(t.rows); i++ {
		r := tableRow{index: i + 1, cells: t.rows[i], shape: s}
		switch {
		case slices.ContainsFunc(s.header, func(h []string) bool { return slices.Equal(h, r.cells) }):
			continue // the heading repeated on a new page
		case colNumRe.MatchString(r.get(colContent)) && (r.get(colSTT) == "" || colNumRe.MatchString(r.get(colSTT))):
			continue // the row numbering the columns: (1) (2) (3) …
		case blockBlank(docBlock{Table: [][]string{r.cells}}):
			continue
		}
		rows = append(rows, r)
	}

	// First pass: groups, and whether numbers run on across groups ("1, 2
	// | 3, 4") or restart in each ("1, 2 | 1, 2"): only a restart is
	// prefixed with the group's number.
	isGroup := make([]group, len(rows))
	grouped := make([]bool, len(rows))
	groups := 0
	runOn := false
	firstNumberSeen := false
	lastWasGroup := false
	for i, r := range rows {
		var next *tableRow
		if i+1 < len(rows) {
			next = &rows[i+1]
		}
		if g, ok := groupOf(r, next, groups); ok {
			isGroup[i], grouped[i] = g, true
			groups++
			lastWasGroup = true
			continue
		}
		stt := normSTT(r.get(colSTT))
		if sttNumberRe.MatchString(stt) {
			if lastWasGroup && firstNumberSeen && groups > 1 && stt != "1" {
				runOn = true
			}
			firstNumberSeen = true
			lastWasGroup = false
		}
	}

	count := 0
	var g group
	var cur *block
	var curKey string
	lastLetter := ""
	inGroup := 0 // tasks read in the current group
	flush := func() {
		if cur != nil {
			ps.emit(cur)
			count++
			cur = nil
		}
	}
	addFields := func(b *block, r tableRow) {
		for _, f := range []struct {
			col   column
			field field
		}{{colLead, fLead}, {colExecute, fExecute}, {colSupport, fSupport}, {colResult, fTarget}} {
			for _, l := range cellLines(r.get(f.col)) {
				if !slices.Contains(b.fields[f.field], l) {
					b.add(f.field, l)
				}
			}
		}
		if d := strings.Join(cellLines(r.get(colDeadline)), " "); d != "" && !slices.Contains(b.fields[fDeadline], d) {
			b.add(fDeadline, d)
		}
	}
	where := func() string {
		if g.number == "" {
			return "Danh sách nhiệm vụ"
		}
		return "Mục " + g.number
	}
	for i, r := range rows {
		if grouped[i] {
			flush()
			g = isGroup[i]
			if !slices.ContainsFunc(ps.p.Sections, func(sec plan.Section) bool { return sec.Number == g.number }) {
				ps.p.Sections = append(ps.p.Sections, plan.Section{Number: g.number, Title: strings.TrimRight(g.title, " :")})
			}
			lastLetter, inGroup, curKey = "", 0, ""
			if !g.merged && !r.fieldsEmpty() {
				// "II | Công tác … | Công an phường | Thường xuyên": the
				// group is a task of its own, as a section with labels is.
				cur = &block{code: g.number, section: g.number, title: []string{joinTitle(r.get(colContent))}}
				addFields(cur, r)
				inGroup++
			}
			continue
		}
		stt := normSTT(r.get(colSTT))
		content := joinTitle(r.get(colContent))
		key := stt + "\x00" + content
		if cur != nil && (key == curKey || (stt == "" && content == "")) {
			// A row continuing the task above: its content cell merged
			// down, or a row of further units or deadlines.
			addFields(cur, r)
			continue
		}
		if content == "" {
			flush()
			ps.warnings = append(ps.warnings, fmt.Sprintf("Bảng %d, dòng %d: có số thứ tự “%s” nhưng không có nội dung nhiệm vụ; đã bỏ qua dòng này.", t.n, r.index, stt))
			continue
		}
		flush()
		code := stt
		switch {
		case stt == "" && g.number != "" && inGroup == 0 && ps.p.Task(g.number) == nil:
			code = g.number // the group's own task, before its numbered ones
		case stt == "":
			code = strconv.Itoa(inGroup + 1)
			if g.number != "" {
				code = g.number + "." + code
			}
			ps.warnings = append(ps.warnings, fmt.Sprintf("Bảng %d, dòng %d: nhiệm vụ không có số thứ tự; đã đặt mã %s.", t.n, r.index, code))
		case sttDottedRe.MatchString(stt):
		case g.number != "" && (sttLetterRe.MatchString(stt) || !runOn):
			code = g.number + "." + stt
		}
		if sttLetterRe.MatchString(stt) {
			ps.checkTableLetter(where(), g.number, lastLetter, stt)
			lastLetter = stt
		}
		cur = &block{code: code, section: g.number, title: []string{content}}
		addFields(cur, r)
		curKey = key
		inGroup++
	}
	flush()
	return count
}

// checkTableLetter warns of a gap in lettered tasks, as the prose parser
// does.
func (ps *parser) checkTableLetter(where, section, prev, letter string) {
	code := prefixed(section, letter)
	ok := false
	if prev == "" {
		ok = letter == "a"
	} else {
		i, j := letterIndex(prev), letterIndex(letter)
		ok = j == i+1 || (prev == "d" && letter == "e")
	}
	switch {
	case ok || letterIndex(letter) < 0:
	case prev == "":
		ps.warnings = append(ps.warnings, fmt.Sprintf("%s: nhiệm vụ đầu tiên là %s, không phải a); giữ nguyên mã như văn bản.", where, code))
	default:
		ps.warnings = append(ps.warnings, fmt.Sprintf("%s: sau nhiệm vụ %s là %s (thiếu thứ tự); giữ nguyên mã như văn bản.", where, prefixed(section, prev), code))
	}
}

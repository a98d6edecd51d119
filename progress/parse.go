package progress

import (
	"math"
	"strconv"
	"strings"
	"unicode"

	"github.com/chanhlo/planbot/plan"
)

// Examples is the message of Parse's error: what a valid answer looks
// like.
const Examples = `Chưa hiểu số liệu. Đồng chí có thể trả lời: "80%", "1.200/1.500", "xong", "đang thực hiện", hoặc "vướng: …".`

// Phrases, folded (lower case, no diacritics), longest first within each
// group so that "da hoan thanh" wins over "hoan thanh".
var (
	blockedWords = []string{"co vuong mac", "gap kho khan", "vuong mac", "kho khan", "vuong"}
	doneWords    = []string{"da hoan thanh", "hoan thanh", "da xong", "xong roi", "xong"}
	doingWords   = []string{"dang thuc hien", "dang trien khai", "dang lam", "chua hoan thanh", "chua xong"}
	notYetWords  = []string{"chua thuc hien", "chua trien khai", "chua bat dau", "chua lam", "chua"}
	// leadWords may come before a figure: "đạt 80%", "hoàn thành 80%".
	leadWords = []string{"da hoan thanh", "hoan thanh", "da dat duoc", "dat duoc", "da dat", "dat", "duoc", "khoang", "tien do", "da thuc hien duoc", "thuc hien duoc", "da thuc hien", "thuc hien"}
	// noteWords end a count's noun: "1.200/1.500 hồ sơ đã số hóa".
	noteWords = []string{"da", "dang", "con", "chua", "vuong", "kho", "do", "vi", "trong", "dat", "tuy", "nhung"}
)

// Parse reads a progress reply. The returned error is a *plan.Error
// (EInvalid) whose message shows valid answers; nothing should be stored
// then.
func Parse(text string) (plan.Figure, error) {
	orig, f := runes(text)
	i := skipSpaces(f, 0)
	end := len(f)
	for end > i && unicode.IsSpace(f[end-1]) {
		end--
	}
	orig, f = orig[:end], f[:end]
	if i >= end {
		return plan.Figure{}, invalid()
	}

	if j, ok := matchAny(f, i, blockedWords); ok {
		b := cleanNote(string(orig[j:]))
		if b == "" {
			return plan.Figure{}, plan.Errorf(plan.EInvalid, `Đồng chí ghi rõ vướng mắc sau dấu hai chấm, ví dụ: "vướng: chưa có mẫu văn bản".`)
		}
		return plan.Figure{Kind: plan.ProgressBlocked, Blocker: b}, nil
	}

	// A figure, possibly after a word like "đạt" or "hoàn thành".
	start, lead := i, ""
	if j, ok := matchAny(f, i, leadWords); ok {
		if k := skipSpaces(f, j); k < len(f) && isDigit(f[k]) {
			lead, start = string(f[i:j]), k
		}
	}
	if start < len(f) && isDigit(f[start]) {
		fig, err := parseFigure(orig, f, start)
		if err != nil {
			return plan.Figure{}, err
		}
		if fig.Kind == plan.ProgressPercent && fig.Percent == 100 && strings.Contains(lead, "hoan thanh") {
			fig.Kind = plan.ProgressDone
		}
		return fig, nil
	}

	for _, g := range []struct {
		words []string
		kind  plan.ProgressKind
	}{
		{doneWords, plan.ProgressDone},
		{doingWords, plan.ProgressInProgress},
		{notYetWords, plan.ProgressNotStarted},
	} {
		if j, ok := matchAny(f, i, g.words); ok {
			fig := plan.Figure{Kind: g.kind}
			if g.kind == plan.ProgressDone {
				fig.Percent = 100
			}
			rest := string(orig[j:])
			// "xong 100%", "hoàn thành 100%": the figure says nothing more.
			if r := strings.TrimSpace(rest); strings.HasPrefix(r, "100%") || strings.HasPrefix(r, "100 %") {
				rest = strings.TrimPrefix(strings.TrimPrefix(r, "100%"), "100 %")
			}
			setNote(&fig, rest)
			return fig, nil
		}
	}
	return plan.Figure{}, invalid()
}

func invalid() *plan.Error { return plan.Errorf(plan.EInvalid, "%s", Examples) }

func matchAny(f []rune, i int, words []string) (int, bool) {
	for _, w := range words {
		if j, ok := hasWordPrefix(f, i, w); ok {
			return j, true
		}
	}
	return i, false
}

// parseFigure reads "80%", "85,5 %", "1.200/1.500 hồ sơ …" at f[i:].
func parseFigure(orig, f []rune, i int) (plan.Figure, error) {
	a, j, err := number(f, i)
	if err != nil {
		return plan.Figure{}, err
	}
	k := skipSpaces(f, j)
	switch {
	case k < len(f) && f[k] == '%':
		if a > 100 {
			return plan.Figure{}, plan.Errorf(plan.EInvalid, "Tỷ lệ %s%% vượt quá 100%%. Đồng chí kiểm tra lại số liệu.", strings.TrimSpace(string(orig[i:j])))
		}
		fig := plan.Figure{Kind: plan.ProgressPercent, Percent: a}
		setNote(&fig, string(orig[k+1:]))
		return fig, nil
	case k < len(f) && f[k] == '/':
		k = skipSpaces(f, k+1)
		if k >= len(f) || !isDigit(f[k]) {
			return plan.Figure{}, invalid()
		}
		b, e, err := number(f, k)
		if err != nil {
			return plan.Figure{}, err
		}
		if b <= 0 {
			return plan.Figure{}, plan.Errorf(plan.EInvalid, "Tổng số (sau dấu /) phải lớn hơn 0. Ví dụ: \"1.200/1.500 hồ sơ\".")
		}
		if a > b {
			return plan.Figure{}, plan.Errorf(plan.EInvalid, "Số đã thực hiện (%s) lớn hơn tổng số (%s). Đồng chí kiểm tra lại số liệu.",
				strings.TrimSpace(string(orig[i:j])), strings.TrimSpace(string(orig[k:e])))
		}
		fig := plan.Figure{Kind: plan.ProgressCount, Done: a, Total: b, Percent: math.Round(a/b*1000) / 10}
		unit, rest := countUnit(orig, f, e)
		fig.CountUnit = unit
		setNote(&fig, rest)
		return fig, nil
	}
	return plan.Figure{}, invalid()
}

// number reads a Vietnamese number at f[i:]: "1.200" (thousands), "85,5"
// (decimal). A lone "." followed by one or two digits is taken as a
// decimal point too ("85.5").
func number(f []rune, i int) (float64, int, error) {
	j := i
	for j < len(f) && (isDigit(f[j]) || f[j] == '.' || f[j] == ',') {
		j++
	}
	// Punctuation ending a sentence is not part of the number.
	for j > i && (f[j-1] == '.' || f[j-1] == ',') {
		j--
	}
	s := string(f[i:j])
	if len(s) > 24 {
		return 0, j, invalid()
	}
	intPart, frac, hasComma := strings.Cut(s, ",")
	if hasComma && strings.ContainsAny(frac, ".,") {
		return 0, j, invalid()
	}
	groups := strings.Split(intPart, ".")
	if len(groups) > 1 {
		thousands := len(groups[0]) >= 1 && len(groups[0]) <= 3
		for _, g := range groups[1:] {
			thousands = thousands && len(g) == 3
		}
		switch {
		case thousands:
			intPart = strings.Join(groups, "")
		case len(groups) == 2 && !hasComma && groups[0] != "" && groups[1] != "":
			intPart, frac, hasComma = groups[0], groups[1], true
		default:
			return 0, j, invalid()
		}
	}
	num := intPart
	if hasComma {
		if frac == "" {
			return 0, j, invalid()
		}
		num += "." + frac
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, j, invalid()
	}
	return v, j, nil
}

// countUnit reads the noun after a count ("hồ sơ") up to punctuation or
// a word that starts a note ("đã", "còn", "vướng" …), at most four words.
func countUnit(orig, f []rune, i int) (unit, rest string) {
	i = skipSpaces(f, i)
	j := i
	words := 0
	for j < len(f) && words < 4 {
		if strings.ContainsRune(",;:()–—-.", f[j]) {
			break
		}
		e := j
		for e < len(f) && !unicode.IsSpace(f[e]) && !strings.ContainsRune(",;:()–—.", f[e]) {
			e++
		}
		w := string(f[j:e])
		if isNoteWord(w) {
			break
		}
		words++
		j = skipSpaces(f, e)
	}
	return strings.TrimSpace(string(orig[i:j])), string(orig[j:])
}

func isNoteWord(w string) bool {
	for _, n := range noteWords {
		if w == n {
			return true
		}
	}
	return false
}

// setNote stores the text after a figure as its note, or as its blocker
// when it starts with "vướng" or "khó khăn".
func setNote(fig *plan.Figure, rest string) {
	note := cleanNote(rest)
	if note == "" {
		return
	}
	_, f := runes(note)
	if j, ok := matchAny(f, 0, blockedWords); ok {
		o := []rune(note)
		if b := cleanNote(string(o[j:])); b != "" {
			fig.Blocker = b
			return
		}
	}
	fig.Note = note
}

// cleanNote trims spaces, separators and quotes around free text.
func cleanNote(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimLeft(s, ":;,.-–— \t")
	s = strings.TrimSpace(s)
	s = strings.Trim(s, `"“”'`)
	s = strings.Join(strings.Fields(s), " ")
	return s
}

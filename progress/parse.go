package progress

import (
	"math"
	"slices"
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
	doneWords   = []string{"da hoan thanh", "hoan thanh", "da xong", "xong roi", "xong"}
	doingWords  = []string{"dang thuc hien", "dang trien khai", "dang lam", "chua hoan thanh", "chua xong"}
	notYetWords = []string{"chua thuc hien duoc", "chua thuc hien", "chua trien khai duoc", "chua trien khai", "chua bat dau", "chua lam duoc", "chua lam", "chua"}
	// notReachedWords are no status: "chưa đạt" counts only with a figure
	// ("chưa đạt, mới 60%" is 60%); alone it is not understood.
	notReachedWords = []string{"chua dat duoc", "chua dat"}
	// noBlockerAnswers, after "vướng mắc:" or "khó khăn:", say there is
	// none: "vướng mắc: không". "không có kinh phí" is a blocker.
	noBlockerAnswers = []string{"khong", "khong a", "khong co", "khong co a", "khong co gi", "chua co", "chua co gi", "khong van de gi", "0"}
	// negations before a blocker word say there is none: "không có vướng
	// mắc", "chưa gặp khó khăn".
	negations = []string{"khong", "chua", "khong co", "chua co", "khong gap", "chua gap", "khong con", "khong bi", "chua bi"}
	// connectives end the note before a blocker: "80% còn vướng thủ tục".
	connectives = []string{"con", "vi", "do", "nhung", "tuy", "tuy nhien", "bi", "van", "hien", "hien con", "nhung con", "van con"}
	// leadWords may come before a figure: "đạt 80%", "hoàn thành 80%".
	leadWords = []string{"da hoan thanh", "hoan thanh", "da dat duoc", "dat duoc", "da dat", "dat", "duoc", "khoang", "tien do", "da thuc hien duoc", "thuc hien duoc", "da thuc hien", "thuc hien", "moi dat duoc", "moi dat", "moi"}
	// noteWords end a count's noun: "1.200/1.500 hồ sơ đã số hóa".
	noteWords = []string{"da", "dang", "con", "chua", "vuong", "kho", "do", "vi", "trong", "dat", "tuy", "nhung"}
)

// Parse reads a progress reply. The returned error is a *plan.Error
// (EInvalid) whose message shows valid answers; nothing should be stored
// then.
//
// A figure of 100% ("100%", "đạt 100%", "1.500/1.500") is a done report;
// a figure after a status word wins over the word ("xong 80%" is 80%,
// "đang thực hiện 60%" is 60%). "Chưa đạt" is no status: only a figure
// after it counts. A blocker may follow a figure or a status ("80% còn
// vướng thủ tục"); "không có vướng mắc", "khó khăn: không" are no blocker
// and stay in the note (alone, they are refused: there is no figure).
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

	if start, j, b, ok := blockerIn(orig, f, i); ok && start == i {
		switch {
		case b != "":
			return plan.Figure{Kind: plan.ProgressBlocked, Blocker: b}, nil
		case j < 0:
			return plan.Figure{}, plan.Errorf(plan.EInvalid, "%s", NoBlockerNoFigure)
		}
		return plan.Figure{}, plan.Errorf(plan.EInvalid, `Đồng chí ghi rõ vướng mắc sau dấu hai chấm, ví dụ: "vướng: chưa có mẫu văn bản".`)
	}

	// A figure, possibly after a word like "đạt" or "hoàn thành".
	if err := negativeAt(f, i); err != nil {
		return plan.Figure{}, err
	}
	if fig, ok, err := figureAt(orig, f, i); err != nil || ok {
		return fig, err
	}
	if j, ok := matchAny(f, i, notReachedWords); ok {
		if fig, ok, err := figureAt(orig, f, skipSeparators(f, j)); err != nil || ok {
			return fig, err
		}
		return plan.Figure{}, invalid()
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
			// A figure after the word says more: "đang thực hiện 60%",
			// "xong 80%" (80%, not done), "xong 1.500/1.500" (done).
			if fig, ok, err := figureAt(orig, f, skipSeparators(f, j)); err != nil || ok {
				return fig, err
			}
			fig := plan.Figure{Kind: g.kind}
			if g.kind == plan.ProgressDone {
				fig.Percent = 100
			}
			setNote(&fig, string(orig[j:]))
			return fig, nil
		}
	}
	return plan.Figure{}, invalid()
}

// NoBlockerNoFigure answers a reply that only says there is no blocker
// ("không có vướng mắc", "vướng mắc: không"): nothing is stored.
const NoBlockerNoFigure = `Đã rõ là không có vướng mắc. Đồng chí cho biết thêm tiến độ, ví dụ: "80%, không có vướng mắc", "1.200/1.500" hoặc "xong".`

// figureAt reads a figure at f[i:], possibly after a word like "đạt" or
// "hoàn thành". It reports false when there is none there. A figure of
// 100% ("100%", "đạt 100%", "1.500/1.500 hồ sơ") is a done report, which
// the secretariat confirms as it does "xong"; its count and note stay.
func figureAt(orig, f []rune, i int) (plan.Figure, bool, error) {
	start := i
	if j, ok := matchAny(f, i, leadWords); ok {
		k := skipSpaces(f, j)
		if err := negativeAt(f, k); err != nil {
			return plan.Figure{}, false, err
		}
		if k < len(f) && isDigit(f[k]) {
			start = k
		}
	}
	if start >= len(f) || !isDigit(f[start]) {
		return plan.Figure{}, false, nil
	}
	fig, ok, err := parseFigure(orig, f, start)
	if err != nil || !ok {
		return plan.Figure{}, ok, err
	}
	if fig.Percent == 100 && (fig.Kind == plan.ProgressPercent || fig.Kind == plan.ProgressCount && fig.Done == fig.Total) {
		fig.Kind = plan.ProgressDone
	}
	// "100% hoàn thành", "80% hoàn thành": the word adds nothing.
	if _, nf := runes(fig.Note); fig.Note != "" {
		if j, ok := matchAny(nf, 0, doneWords); ok && j == len(nf) {
			fig.Note = ""
		}
	}
	return fig, true, nil
}

// skipSeparators skips spaces and the punctuation between a status word
// and a figure: "đang triển khai, đạt 60%".
func skipSeparators(f []rune, i int) int {
	for i < len(f) && (unicode.IsSpace(f[i]) || strings.ContainsRune(",;:-–—", f[i])) {
		i++
	}
	return i
}

func invalid() *plan.Error { return plan.Errorf(plan.EInvalid, "%s", Examples) }

// Refusals of figures that cannot be: storing them would put a wrong
// figure in the chairman's summary ("-5%" used to be read as 5%).
const (
	NegativeFigure = "Số liệu không được là số âm. Đồng chí kiểm tra lại, ví dụ: \"80%\" hoặc \"1.200/1.500\"."
	TooLarge       = "Số quá lớn (trên 10.000.000). Đồng chí kiểm tra lại số liệu."
)

// MaxNumber is the largest count accepted: no ward task counts more.
const MaxNumber = 10_000_000

// negativeAt refuses a minus sign right before a number at f[i:].
func negativeAt(f []rune, i int) error {
	if i+1 < len(f) && strings.ContainsRune("-–—−", f[i]) && isDigit(f[i+1]) {
		return plan.Errorf(plan.EInvalid, "%s", NegativeFigure)
	}
	return nil
}

func matchAny(f []rune, i int, words []string) (int, bool) {
	for _, w := range words {
		if j, ok := hasWordPrefix(f, i, w); ok {
			return j, true
		}
	}
	return i, false
}

// parseFigure reads "80%", "85,5 %", "1.200/1.500 hồ sơ …" at f[i:]. It
// reports false when the number there is not a figure ("2 hồ sơ",
// "1,2,3%"), and an error when the figure cannot be (120%, 5/0).
func parseFigure(orig, f []rune, i int) (plan.Figure, bool, error) {
	a, j, err := number(f, i)
	if err != nil {
		return plan.Figure{}, false, nil
	}
	k := skipSpaces(f, j)
	if a > MaxNumber && k < len(f) && (f[k] == '%' || f[k] == '/') {
		return plan.Figure{}, false, plan.Errorf(plan.EInvalid, "%s", TooLarge)
	}
	switch {
	case k < len(f) && f[k] == '%':
		if a > 100 {
			return plan.Figure{}, false, plan.Errorf(plan.EInvalid, "Tỷ lệ %s%% vượt quá 100%%. Đồng chí kiểm tra lại số liệu.", strings.TrimSpace(string(orig[i:j])))
		}
		fig := plan.Figure{Kind: plan.ProgressPercent, Percent: a}
		setNote(&fig, string(orig[k+1:]))
		return fig, true, nil
	case k < len(f) && f[k] == '/':
		k = skipSpaces(f, k+1)
		if k >= len(f) || !isDigit(f[k]) {
			return plan.Figure{}, false, nil
		}
		b, e, err := number(f, k)
		if err != nil {
			return plan.Figure{}, false, nil
		}
		if b > MaxNumber {
			return plan.Figure{}, false, plan.Errorf(plan.EInvalid, "%s", TooLarge)
		}
		if b <= 0 {
			return plan.Figure{}, false, plan.Errorf(plan.EInvalid, "Tổng số (sau dấu /) phải lớn hơn 0. Ví dụ: \"1.200/1.500 hồ sơ\".")
		}
		if a > b {
			return plan.Figure{}, false, plan.Errorf(plan.EInvalid, "Số đã thực hiện (%s) lớn hơn tổng số (%s). Đồng chí kiểm tra lại số liệu.",
				strings.TrimSpace(string(orig[i:j])), strings.TrimSpace(string(orig[k:e])))
		}
		fig := plan.Figure{Kind: plan.ProgressCount, Done: a, Total: b, Percent: math.Round(a/b*1000) / 10}
		unit, rest := countUnit(orig, f, e)
		fig.CountUnit = unit
		setNote(&fig, rest)
		return fig, true, nil
	}
	return plan.Figure{}, false, nil
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

// setNote stores the text after a figure as its note. A blocker in it
// ("80% còn vướng thủ tục", "… vì vướng kinh phí") becomes the figure's
// blocker, and the words before it the note; a phrase saying there is none
// ("khó khăn: không có", "không có vướng mắc") stays in the note.
func setNote(fig *plan.Figure, rest string) {
	note := cleanNote(rest)
	if note == "" {
		return
	}
	o, f := runes(note)
	if start, _, b, ok := blockerIn(o, f, 0); ok && b != "" {
		fig.Blocker = b
		fig.Note = trimConnectives(o[:start], f[:start])
		return
	}
	fig.Note = note
}

// blockerPhrases are the words that bring a blocker, in lower case with
// diacritics, longest first. "vướng" is a verb: "vướng thủ tục" is the
// blocker "thủ tục". The others are nouns: "khó khăn về kinh phí" is the
// blocker as written, and only "khó khăn: …" or "khó khăn - …" drops it.
var blockerPhrases = []struct {
	text, folded string
	verb         bool
}{
	{"có vướng mắc", "co vuong mac", false},
	{"gặp khó khăn", "gap kho khan", false},
	{"vướng mắc", "vuong mac", false},
	{"khó khăn", "kho khan", false},
	{"vướng", "vuong", true},
}

// blockerIn finds the first blocker phrase in f[from:] (at a word start,
// with its diacritics or typed without any, so the name "Vượng" is not
// "vướng"). start is where the phrase, or a negation before it, begins;
// end where the blocker's text starts, or -1 when the phrase says there is
// none ("không có vướng mắc", "vướng mắc: không"); b is the blocker, empty
// when there is none or nothing follows the word.
func blockerIn(orig, f []rune, from int) (start, end int, b string, ok bool) {
	for k := from; k < len(f); k++ {
		if k > 0 && (unicode.IsLetter(f[k-1]) || unicode.IsDigit(f[k-1])) {
			continue
		}
		for _, p := range blockerPhrases {
			j, ok := hasWordPrefix(f, k, p.folded)
			if !ok {
				continue
			}
			if w := strings.ToLower(string(orig[k:j])); w != p.text && w != p.folded {
				continue
			}
			start = k
			if n := negationBefore(f, k); n >= 0 {
				return n, -1, "", true
			}
			e := skipSpaces(f, j)
			sep := e < len(f) && strings.ContainsRune(":-–—", f[e])
			if sep {
				e = skipSeparators(f, e)
				if v := strings.TrimRight(string(f[e:]), " .!"); slices.Contains(noBlockerAnswers, v) {
					return start, -1, "", true
				}
			}
			switch {
			case cleanNote(string(orig[j:])) == "":
				return start, j, "", true
			case sep || p.verb:
				return start, e, cleanNote(string(orig[e:])), true
			}
			return start, k, cleanNote(string(orig[k:])), true
		}
	}
	return 0, 0, "", false
}

// negationBefore returns where a negation right before f[k] begins ("không
// có vướng mắc"), or -1.
func negationBefore(f []rune, k int) int {
	words := strings.Fields(string(f[:k]))
	for n := 2; n >= 1; n-- {
		if len(words) < n || !slices.Contains(negations, strings.Join(words[len(words)-n:], " ")) {
			continue
		}
		// Walk back over n words and the spaces around them.
		i := k
		for w := 0; w < n; w++ {
			for i > 0 && unicode.IsSpace(f[i-1]) {
				i--
			}
			for i > 0 && !unicode.IsSpace(f[i-1]) {
				i--
			}
		}
		return i
	}
	return -1
}

// trimConnectives tidies the note before a blocker: "còn", "vì", "do" and
// punctuation at its end go ("80% còn vướng …" has no note).
func trimConnectives(orig, f []rune) string {
	end := len(f)
	for {
		for end > 0 && (unicode.IsSpace(f[end-1]) || strings.ContainsRune(",;:.-–—", f[end-1])) {
			end--
		}
		cut := -1
		for _, c := range connectives {
			n := len([]rune(c))
			if end >= n && string(f[end-n:end]) == c && (end == n || unicode.IsSpace(f[end-n-1])) {
				cut = end - n
				break
			}
		}
		if cut < 0 {
			return cleanNote(string(orig[:end]))
		}
		end = cut
	}
}

// cleanNote trims spaces, separators and quotes around free text.
func cleanNote(s string) string {
	s, _ = CleanText(s, 0)
	s = strings.TrimLeft(s, ":;,.-–— \t")
	s = strings.TrimSpace(s)
	s = strings.Trim(s, `"“”'`)
	s = strings.Join(strings.Fields(s), " ")
	return s
}

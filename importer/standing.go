package importer

import (
	"regexp"
	"strings"
)

// The implementation part of a plan names the standing body in one of a
// few set phrases: "Giao Công an phường (Cơ quan Thường trực Tổ công tác
// Đề án 06) … tổng hợp kết quả", "Công an phường là cơ quan thường trực",
// "báo cáo về UBND phường (qua Công an phường)".
var (
	standingGiao = regexp.MustCompile(`(?i)giao\s+(.{3,60}?)\s*\(\s*\*?\s*cơ quan thường trực`)
	standingLa   = regexp.MustCompile(`(?i)(?:^|[.;]\s*|\d\.\s*)([^.;()]{3,60}?)\s+(?:là|làm)\s+(?:cơ quan|đơn vị)\s+thường trực`)
	standingQua  = regexp.MustCompile(`(?i)\(\s*\*?\s*qua\s+([^)*]{3,60}?)\s*\*?\s*\)`)
)

// StandingBody returns the canonical name of the plan's standing body,
// the unit that compiles the results and receives difficulties, or ""
// when the text names none. The explicit "cơ quan thường trực" wins over
// "(qua …)".
func StandingBody(lines []string) string {
	text := strings.Join(lines, "\n")
	for _, re := range []*regexp.Regexp{standingGiao, standingLa, standingQua} {
		if m := re.FindStringSubmatch(text); m != nil {
			if u := CanonicalUnit(strings.Trim(m[1], " *_")); u != "" {
				return u
			}
		}
	}
	return ""
}

package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chanhlo/planbot/calendar"
	"github.com/chanhlo/planbot/configs"
	"github.com/chanhlo/planbot/plan"
)

// The demo plays April–June 2023 through the real scheduler, outbox and
// core. Its transcript must read like a quarter of work: registration,
// reminders answered (some late, some never), a blocked bot, a broadcast
// with acknowledgements, monthly summaries — and nothing sent on a day off
// or outside office hours.
func TestDemoTranscript(t *testing.T) {
	db := filepath.Join(t.TempDir(), "demo.db")
	began := time.Now()
	code, out, errOut := runCLI(t, nil, "demo", "--db", db)
	if code != 0 {
		t.Fatalf("demo: exit %d\n%s", code, errOut)
	}
	if took := time.Since(began); took > time.Minute {
		t.Errorf("demo took %s, want under a minute", took)
	}
	for _, want := range []string{
		"Chào đồng chí Nguyễn Văn Công",
		"⏰ Nhắc hạn — Công an phường",
		"hạn 30/4/2023 (Chủ nhật, nghỉ lễ), đề nghị hoàn thành chậm nhất thứ Sáu 28/4; còn 7 ngày làm việc",
		"⚠️ Quá hạn — Công an phường",
		"• 1.c: 80%; ghi chú \"đã gửi văn bản đăng ký\"",
		"Đã xác nhận hoàn thành 1.c",
		"📝 Đề nghị báo cáo tháng 5/2023",
		"📝 Nhắc báo cáo tháng",
		"Ngô Thị Hạnh (Trạm y tế phường) chặn bot",
		"đã chặn bot",
		"📢 Thông báo của Văn phòng UBND phường",
		"[bấm nút “Đã nhận”]",
		"📊 Tổng hợp thực hiện Kế hoạch Đề án 06 — tháng 4/2023",
		"📎 tong-hop-2023-05.xlsx",
		"📎 tong-hop-2023-06.xlsx",
		"chưa có cán bộ đầu mối",
		"Cơ sở dữ liệu được giữ lại: " + db,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("transcript lacks %q", want)
		}
	}
	checkWorkingHours(t, out)

	// The chairman gets the current month's summary on the monthly day
	// (22/6), as of that day, and the quarter's once it ended. The CLI
	// computes June as of its end (30/6, the demo's last day), when the
	// tasks due 30/6 have become due soon: the headline and the due-soon
	// list differ by design. The title and everything from the units
	// behind on (blockers) must match.
	code, cli, errOut := runCLI(t, nil, "--db", db, "summary", "--period", "2023-06")
	if code != 0 {
		t.Fatalf("summary: exit %d\n%s", code, errOut)
	}
	chat := between(t, out, "══ Thứ Năm 22/6/2023 ══", "══ Thứ Sáu 23/6/2023 ══")
	// One summary to the chairman that day: the quarter's waits until
	// it has ended (3/7), so the two never come back to back.
	if n := strings.Count(chat, "bot → Lê Việt Dũng (Chủ tịch UBND phường):\n       📊"); n != 1 {
		t.Errorf("the chairman got %d summaries on 22/6, want 1", n)
	}
	lines := strings.Split(strings.TrimSpace(cli), "\n")
	stable := lines[:1]
	for i, line := range lines {
		if strings.HasPrefix(line, "🏢 Đơn vị cần đôn đốc") {
			stable = append(stable, lines[i:]...)
			break
		}
	}
	if len(stable) < 5 {
		t.Fatalf("CLI summary too short:\n%s", cli)
	}
	for _, line := range stable {
		if !strings.Contains(chat, plain(line)) {
			t.Errorf("the chairman's 22/6 summary lacks the CLI's line %q", plain(line))
		}
	}
	if q := between(t, out, "══ Thứ Hai 3/7/2023 ══", ""); !strings.Contains(q, "📊 Tổng hợp thực hiện Kế hoạch Đề án 06 — quý II/2023") {
		t.Error("no quarterly summary on 3/7, the first working day after the quarter")
	}
}

// between returns the part of s from the line start to the line end
// (excluded; "" for the rest of s), failing when start is missing.
func between(t *testing.T, s, start, end string) string {
	t.Helper()
	i := strings.Index(s, start)
	if i < 0 {
		t.Fatalf("transcript lacks %q", start)
	}
	s = s[i:]
	if j := strings.Index(s, end); end != "" && j >= 0 {
		s = s[:j]
	}
	return s
}

var (
	dayHeader = regexp.MustCompile(`^══ \S+(?: \S+)? (\d{1,2}/\d{1,2}/\d{4}) ══$`)
	botLine   = regexp.MustCompile(`^(\d\d):(\d\d)  bot → `)
)

// checkWorkingHours fails for a message the bot sent on its own
// initiative on a day off or outside 07:30–17:00. (Answers to people come
// whenever they write; the demo's people write in office hours.)
func checkWorkingHours(t *testing.T, transcript string) {
	t.Helper()
	cal := calendar.New(configs.Default().Calendar)
	var day plan.Date
	days, sent := 0, 0
	for _, line := range strings.Split(transcript, "\n") {
		if m := dayHeader.FindStringSubmatch(line); m != nil {
			d, err := time.Parse("2/1/2006", m[1])
			if err != nil {
				t.Fatalf("header %q: %v", line, err)
			}
			day = plan.DateOf(d)
			days++
			continue
		}
		m := botLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		sent++
		if !cal.IsWorkingDay(day) {
			t.Errorf("bot message on %s, a day off: %s", day.Vietnamese(), line)
		}
		if hm := m[1] + ":" + m[2]; hm < "07:30" || hm > "17:00" {
			t.Errorf("bot message on %s at %s, outside office hours", day.Vietnamese(), hm)
		}
	}
	if days < 20 || sent < 100 {
		t.Errorf("transcript has %d days and %d bot messages; the checks above saw too little", days, sent)
	}
}

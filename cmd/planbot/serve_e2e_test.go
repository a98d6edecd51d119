package main

import (
	"bytes"
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chanhlo/planbot/bot/telegram/telegramtest"
	"github.com/chanhlo/planbot/configs"
	"github.com/chanhlo/planbot/importer"
	"github.com/chanhlo/planbot/storage"
)

// shiftedClock runs at real speed from a chosen instant, so that rate
// limits and long polls behave as in production while the plan's dates
// (2023) are "now".
type shiftedClock struct {
	mu     sync.Mutex
	offset time.Duration
}

func newShiftedClock(at time.Time) *shiftedClock { return &shiftedClock{offset: time.Until(at)} }

func (c *shiftedClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

// serveFixture is a database holding the sample plan, a fake Bot API and
// the configuration that points planbot serve at them.
type serveFixture struct {
	t     *testing.T
	cfg   configs.Config
	srv   *telegramtest.Server
	clock *shiftedClock
	logs  *syncBuffer

	current *Main
}

func newServeFixture(t *testing.T, at time.Time) *serveFixture {
	t.Helper()
	ctx := context.Background()
	cfg := configs.Default()
	cfg.DB = filepath.Join(t.TempDir(), "planbot.db")
	srv := telegramtest.New(t, telegramtest.WithUsername("chanhlo_bot"))
	cfg.Telegram.API, cfg.Telegram.Token = srv.URL(), srv.Token()
	cfg.Telegram.PollTimeout = time.Second
	cfg.HTTP.Listen = "127.0.0.1:0"
	db, err := storage.Open(ctx, cfg.DB)
	if err != nil {
		t.Fatal(err)
	}
	p, err := importer.Parse(bytes.NewReader(configs.SamplePlan), configs.SamplePlanName)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SavePlan(ctx, p); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return &serveFixture{t: t, cfg: cfg, srv: srv, clock: newShiftedClock(at), logs: &syncBuffer{}}
}

// start runs planbot serve's Main; it is closed at the end of the test
// unless the test closes it first.
func (f *serveFixture) start() *Main {
	f.t.Helper()
	m, err := NewMain(f.cfg, slog.New(slog.NewTextHandler(f.logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	if err != nil {
		f.t.Fatal(err)
	}
	m.Clock = f.clock
	if err := m.Run(context.Background()); err != nil {
		f.t.Fatalf("Run: %v\nlogs:\n%s", err, f.logs)
	}
	f.t.Cleanup(func() { m.Close() })
	f.current = m
	return m
}

// startWithOfficer invites an officer of unit with the CLI, starts the
// bot, and registers the officer through /start, as in real life.
func (f *serveFixture) startWithOfficer(chat int64, unit string) *Main {
	f.t.Helper()
	code := f.invite(unit, "officer")
	m := f.start()
	f.srv.PushText(chat, chat, "/start "+code)
	f.await(chat, "Đồng chí đã được ghi nhận")
	return m
}

// invite creates an invite with the CLI, as the secretariat would.
func (f *serveFixture) invite(unit, role string) string {
	f.t.Helper()
	args := []string{"--db", f.cfg.DB, "invite", "--role", role, "--json"}
	if unit != "" {
		args = append(args, "--unit", unit)
	}
	code, out, errOut := runCLI(f.t, nil, args...)
	if code != 0 {
		f.t.Fatalf("invite: exit %d: %s", code, errOut)
	}
	i := strings.Index(out, `"code": "`)
	if i < 0 {
		f.t.Fatalf("invite output has no code: %s", out)
	}
	rest := out[i+len(`"code": "`):]
	return rest[:strings.IndexByte(rest, '"')]
}

// await waits until a message containing want reaches chat and returns
// it. It waits on the fake server's notifications, never on a timer.
func (f *serveFixture) await(chat int64, want string) telegramtest.SentMessage {
	f.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	for {
		all := f.srv.AllSent()
		for _, m := range all {
			if m.ChatID == chat && strings.Contains(m.Text+m.Caption, want) {
				return m
			}
		}
		if err := f.srv.WaitSent(ctx, len(all)+1); err != nil {
			var got []string
			for _, m := range f.srv.Sent(chat) {
				got = append(got, m.Text)
			}
			f.t.Fatalf("no message with %q to chat %d: %v\nsent to it:\n%s\nlogs:\n%s", want, chat, err, strings.Join(got, "\n---\n"), f.logs)
		}
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// The officer's first day: invite → /start → /nhiemvu → the reminder
// digest of 19/4/2023 → a reply "1.c 80%" → confirmation, and a stranger
// refused; all through planbot serve's real code and the fake Bot API.
func TestServeConversation(t *testing.T) {
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	f := newServeFixture(t, time.Date(2023, 4, 19, 7, 59, 0, 0, loc))
	code := f.invite("cong an", "officer")
	f.start()

	const officer, stranger = 1001, 2002
	f.srv.PushText(officer, officer, "/start "+code)
	f.await(officer, "Công an phường")
	if cmds := f.srv.Commands("vi"); len(cmds) == 0 {
		t.Error("setMyCommands was not called for Vietnamese")
	}

	f.srv.PushText(officer, officer, "/nhiemvu")
	f.await(officer, "1.c")

	f.srv.PushText(stranger, stranger, "/nhiemvu")
	refusal := f.await(stranger, "/start")
	if strings.Contains(refusal.Text, "1.c") {
		t.Errorf("a stranger saw tasks: %s", refusal.Text)
	}

	f.srv.PushText(officer, officer, "ok")
	f.await(officer, "80%") // the help lists example answers

	// 19/4/2023 08:00 is 7 working days before 1.c's due date (28/4, as
	// 30/4 is a holiday): the scheduler's tick sends the digest.
	f.clock.mu.Lock()
	f.clock.offset += time.Minute
	f.clock.mu.Unlock()
	if err := f.mainTick(); err != nil {
		t.Fatal(err)
	}
	reminder := f.await(officer, "Nhắc hạn")
	f.srv.PushReply(officer, officer, "1.c 80% đã gửi văn bản đăng ký", reminder.MessageID)
	ok := f.await(officer, "Đã ghi nhận")
	if !strings.Contains(ok.Text, "1.c") || !strings.Contains(ok.Text, "80%") {
		t.Errorf("confirmation = %q, want 1.c and 80%%", ok.Text)
	}
}

// mainTick runs one scheduler tick at the fixture's time, as cron would.
func (f *serveFixture) mainTick() error {
	return f.current.Scheduler.Tick(context.Background(), f.clock.Now())
}

// A restart mid-stream loses nothing and handles nothing twice: updates
// that arrive while the bot is down are handled once after it starts.
func TestServeRestartMidStream(t *testing.T) {
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	f := newServeFixture(t, time.Date(2023, 5, 3, 9, 0, 0, 0, loc))
	const officer = 3003
	m := f.startWithOfficer(officer, "Trạm y tế")
	f.srv.PushText(officer, officer, "/xem 5.a")
	f.await(officer, "Chủ trì: Trạm y tế phường")
	if err := m.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	before := len(f.srv.Sent(officer))

	// While down: two reports.
	f.srv.PushText(officer, officer, "5.a 40%")
	f.srv.PushText(officer, officer, "5.a 60% đã đối chiếu xong 3 tổ dân phố")
	f.start()
	f.await(officer, "60%")
	got := f.srv.Sent(officer)[before:]
	if len(got) != 2 {
		var texts []string
		for _, m := range got {
			texts = append(texts, m.Text)
		}
		t.Fatalf("after restart %d replies, want 2 (one per update):\n%s", len(got), strings.Join(texts, "\n---\n"))
	}
	if p := f.srv.Pending(); len(p) != 0 {
		// The poll loop confirms what it handled on its next call.
		t.Logf("updates not yet confirmed: %v", p)
	}
}

package main

import (
	"encoding/json"

	"github.com/chanhlo/planbot/bot/telegram/telegramtest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestInviteCommand(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "planbot.db")
	if code, _, errOut := runCLI(t, nil, "--db", dbPath, "plan", "import", writeSample(t), "--save"); code != 0 {
		t.Fatalf("plan import: exit %d: %s", code, errOut)
	}

	code, out, errOut := runCLI(t, nil, "--db", dbPath, "invite", "--unit", "cong an", "--json")
	if code != 0 {
		t.Fatalf("invite: exit %d: %s", code, errOut)
	}
	var inv struct{ Code, Link, Unit, Role, Expires string }
	if err := json.Unmarshal([]byte(out), &inv); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	// No token, no configured username: no link naming a bot that is
	// not ours.
	if !regexp.MustCompile(`^[A-Za-z0-9_-]{16,64}$`).MatchString(inv.Code) ||
		inv.Link != "" || inv.Unit != "Công an phường" || inv.Role != "officer" || inv.Expires == "" {
		t.Errorf("invite = %+v", inv)
	}
	code, out, errOut = runCLI(t, nil, "--db", dbPath, "invite", "--role", "chairman")
	if code != 0 || !strings.Contains(out, "Chủ tịch UBND phường") || !strings.Contains(out, "chưa biết tên bot") || strings.Contains(out, "t.me/") {
		t.Errorf("chairman invite: exit %d\n%s%s", code, out, errOut)
	}

	// With a token, the real bot's username from getMe.
	srv := telegramtest.New(t, telegramtest.WithUsername("chanhlo_bot"))
	env := map[string]string{"PLANBOT_TELEGRAM_API": srv.URL(), "PLANBOT_TELEGRAM_TOKEN": telegramtest.DefaultToken}
	code, out, errOut = runCLI(t, env, "--db", dbPath, "invite", "--role", "chairman")
	if code != 0 || !strings.Contains(out, "https://t.me/chanhlo_bot?start=") {
		t.Errorf("invite with a token: exit %d\n%s%s", code, out, errOut)
	}

	code, _, errOut = runCLI(t, nil, "--db", dbPath, "invite", "--unit", "Phòng Không Tồn Tại")
	if code != 1 || !strings.Contains(errOut, "Không nhận ra đơn vị") || !strings.Contains(errOut, "Công an phường") {
		t.Errorf("unknown unit: exit %d, stderr %s", code, errOut)
	}
	if code, _, _ := runCLI(t, nil, "--db", dbPath, "invite"); code != 2 {
		t.Errorf("officer invite without --unit: exit %d, want 2", code)
	}
	if code, _, _ := runCLI(t, nil, "--db", dbPath, "invite", "--unit", "Công an", "--role", "boss"); code != 2 {
		t.Errorf("bad role: exit %d, want 2", code)
	}
}

// A ward with a bot of its own gets invite links to that bot, whatever
// the shared bot is called; the province's officers are invited in the
// province only.
func TestInviteWardBot(t *testing.T) {
	shared := telegramtest.New(t, telegramtest.WithUsername("phuong_bot"))
	own := telegramtest.New(t, telegramtest.WithUsername("nghialo_bot"), telegramtest.WithToken("222222:AAH-nghia-lo_token"))
	db := filepath.Join(t.TempDir(), "p.db")
	for _, args := range [][]string{
		{"org", "add", "--name", "UBND phường Nghĩa Lộ", "--short", "nghia-lo"},
		{"org", "add", "--province", "--name", "Công an tỉnh Quảng Ngãi", "--short", "tinh"},
	} {
		if code, _, errOut := runCLI(t, nil, append([]string{"--db", db}, args...)...); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
	}
	env := func(srv *telegramtest.Server, token string) map[string]string {
		return map[string]string{"PLANBOT_TELEGRAM_API": srv.URL(), "PLANBOT_TELEGRAM_TOKEN": telegramtest.DefaultToken,
			"PLANBOT_TELEGRAM_TOKEN_NGHIA_LO": token}
	}
	// The fake answers one token: each run points the API at the bot asked.
	code, out, errOut := runCLI(t, env(own, own.Token()), "--db", db, "--org", "nghia-lo", "invite", "--role", "secretariat")
	if code != 0 || !strings.Contains(out, "https://t.me/nghialo_bot?start=") {
		t.Errorf("ward with its own bot: exit %d, %q %s", code, out, errOut)
	}
	code, out, errOut = runCLI(t, env(shared, ""), "--db", db, "--org", "1", "invite", "--role", "secretariat")
	if code != 0 || !strings.Contains(out, "https://t.me/phuong_bot?start=") {
		t.Errorf("ward on the shared bot: exit %d, %q %s", code, out, errOut)
	}
	for _, tc := range []struct {
		org, role string
		ok        bool
	}{
		{"tinh", "province", true}, {"tinh", "secretariat", false}, {"nghia-lo", "province", false},
	} {
		code, out, errOut := runCLI(t, env(shared, ""), "--db", db, "--org", tc.org, "invite", "--role", tc.role)
		if (code == 0) != tc.ok {
			t.Errorf("invite --org %s --role %s: exit %d, want ok=%v: %s%s", tc.org, tc.role, code, tc.ok, out, errOut)
		}
	}
}

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

package main

import (
	"encoding/json"
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
	if !regexp.MustCompile(`^[A-Za-z0-9_-]{16,64}$`).MatchString(inv.Code) ||
		inv.Link != "https://t.me/planbot?start="+inv.Code || inv.Unit != "Công an phường" || inv.Role != "officer" || inv.Expires == "" {
		t.Errorf("invite = %+v", inv)
	}

	code, out, errOut = runCLI(t, nil, "--db", dbPath, "invite", "--role", "chairman")
	if code != 0 || !strings.Contains(out, "Chủ tịch UBND phường") || !strings.Contains(out, "https://t.me/planbot?start=") {
		t.Errorf("chairman invite: exit %d\n%s%s", code, out, errOut)
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

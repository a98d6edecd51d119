package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/storage"
)

var tokenRe = regexp.MustCompile(`pb_[A-Za-z0-9_-]{43}`)

// createToken runs `planbot token create` and returns the secret it printed.
func createToken(t *testing.T, dbPath, name, role string) string {
	t.Helper()
	code, out, errOut := runCLI(t, nil, "--db", dbPath, "token", "create", "--name", name, "--role", role)
	if code != 0 {
		t.Fatalf("token create: exit %d: %s", code, errOut)
	}
	secret := tokenRe.FindString(out)
	if secret == "" || !strings.Contains(out, "chỉ hiện một lần") {
		t.Fatalf("token create printed no token:\n%s", out)
	}
	return secret
}

func TestTokenCommands(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "planbot.db")
	if code, _, errOut := runCLI(t, nil, "--db", dbPath, "token", "list"); code != 1 || !strings.Contains(errOut, "chưa có cơ sở dữ liệu") {
		t.Errorf("token list without a database: exit %d: %s", code, errOut)
	}
	secret := createToken(t, dbPath, "bảng điều khiển", "reader")
	createToken(t, dbPath, "văn phòng", "secretariat")

	// Only the hash is kept.
	db, err := storage.Open(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := db.APITokenByHash(context.Background(), plan.HashAPIToken(secret))
	if err != nil || tok.Name != "bảng điều khiển" || tok.Role != plan.APIReader {
		t.Errorf("stored token = %+v, %v", tok, err)
	}
	all, err := db.ListAPITokens(context.Background(), plan.DefaultOrg)
	if err != nil || len(all) != 2 || all[0].Hash != plan.HashAPIToken(secret) || strings.Contains(all[0].Hash, "pb_") {
		t.Errorf("stored tokens = %+v, %v", all, err)
	}
	db.Close()

	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{"token", "create", "--role", "reader"}, 2},
		{[]string{"token", "create", "--name", "x", "--role", "admin"}, 2},
		{[]string{"token", "create", "--name", "văn phòng"}, 1}, // in use
		{[]string{"token", "revoke"}, 2},
		{[]string{"token", "revoke", "không-có"}, 1},
	} {
		if code, out, errOut := runCLI(t, nil, append([]string{"--db", dbPath}, tc.args...)...); code != tc.code {
			t.Errorf("%v: exit %d, want %d\n%s%s", tc.args, code, tc.code, out, errOut)
		}
	}

	if code, out, errOut := runCLI(t, nil, "--db", dbPath, "token", "revoke", "bảng điều khiển"); code != 0 || !strings.Contains(out, "Đã thu hồi") {
		t.Fatalf("revoke: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut := runCLI(t, nil, "--db", dbPath, "token", "list", "--json")
	if code != 0 {
		t.Fatalf("list: exit %d: %s", code, errOut)
	}
	var list []struct {
		ID         int64
		Name, Role string
		CreatedAt  string  `json:"created_at"`
		LastUsedAt *string `json:"last_used_at"`
		RevokedAt  *string `json:"revoked_at"`
	}
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if len(list) != 2 || list[0].RevokedAt == nil || list[1].RevokedAt != nil || list[1].Role != "secretariat" || list[0].CreatedAt == "" || strings.Contains(out, "pb_") {
		t.Errorf("token list --json:\n%s", out)
	}
	// Revoke by id.
	if code, _, errOut := runCLI(t, nil, "--db", dbPath, "token", "revoke", "2"); code != 0 {
		t.Errorf("revoke by id: exit %d: %s", code, errOut)
	}
	code, out, _ = runCLI(t, nil, "--db", dbPath, "token", "list")
	if code != 0 || !strings.Contains(out, "văn phòng") || !strings.Contains(out, "THU HỒI") || strings.Count(out, "—") != 2 {
		t.Errorf("token list:\n%s", out)
	}
}

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Commands that only read say so when there is no database, and create
// none; file errors read in Vietnamese.
func TestReadOnlyCommandsAndFileErrors(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "none.db")
	for _, args := range [][]string{
		{"plan", "list"},
		{"plan", "list", "--json"},
		{"summary", "--period", "2023-05"},
	} {
		code, out, errOut := runCLI(t, nil, append([]string{"--db", db}, args...)...)
		if code != 1 || !strings.Contains(errOut, "chưa có cơ sở dữ liệu "+db) || !strings.Contains(errOut, "plan import") {
			t.Errorf("%v: exit %d\n%s%s", args, code, out, errOut)
		}
		if _, err := os.Stat(db); err == nil {
			t.Fatalf("%v created %s", args, db)
		}
	}
	// The preview falls back to the sample plan and creates nothing.
	if code, _, errOut := runCLI(t, nil, "--db", db, "schedule", "preview", "--from", "2023-04-18", "--to", "2023-04-18"); code != 0 || !strings.Contains(errOut, "kế hoạch mẫu") {
		t.Errorf("preview without a database: exit %d: %s", code, errOut)
	}
	if _, err := os.Stat(db); err == nil {
		t.Fatalf("schedule preview created %s", db)
	}

	tests := []struct {
		name string
		args []string
		want string
	}{
		{"missing plan file", []string{"plan", "import", filepath.Join(dir, "khong-co.docx")}, "không tìm thấy tệp " + filepath.Join(dir, "khong-co.docx")},
		{"a folder", []string{"plan", "import", dir}, dir + " là thư mục, không phải tệp"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := runCLI(t, nil, append([]string{"--db", db}, tt.args...)...)
			if code != 1 || !strings.Contains(errOut, tt.want) || strings.Contains(errOut, "no such file") {
				t.Errorf("exit %d, stderr %q, want %q", code, errOut, tt.want)
			}
		})
	}
}

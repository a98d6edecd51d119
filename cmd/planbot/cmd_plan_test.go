package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chanhlo/planbot/configs"
)

// runCLI runs one command line in-process and returns its exit code and
// output. The environment is empty but for what the test passes.
func runCLI(t *testing.T, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, strings.NewReader(""), &out, &errb, func(k string) string { return env[k] })
	return code, out.String(), errb.String()
}

func writeSample(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), configs.SamplePlanName)
	if err := os.WriteFile(path, configs.SamplePlan, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestPlanImportJSON(t *testing.T) {
	code, out, errOut := runCLI(t, nil, "plan", "import", writeSample(t), "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var doc struct {
		Document struct {
			Year int `json:"year"`
		} `json:"document"`
		Tasks []struct {
			Code string   `json:"code"`
			Lead []string `json:"lead"`
		} `json:"tasks"`
		Warnings []string `json:"warnings"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	if doc.Document.Year != 2023 || len(doc.Tasks) != 26 {
		t.Fatalf("year %d, %d tasks; want 2023, 26", doc.Document.Year, len(doc.Tasks))
	}
	if doc.Tasks[2].Code != "1.c" || doc.Tasks[2].Lead[0] != "Công an phường" {
		t.Errorf("task 3 = %+v, want 1.c led by Công an phường", doc.Tasks[2])
	}
}

func TestPlanImportSaveAndListWithDBAnywhere(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "a.db")
	sample := writeSample(t)
	if code, _, errOut := runCLI(t, nil, "--db", db, "plan", "import", sample, "--save"); code != 0 {
		t.Fatalf("import --save: exit %d: %s", code, errOut)
	}
	// Global flag after the subcommand, and = form.
	code, out, errOut := runCLI(t, nil, "plan", "list", "--json", "--db="+db)
	if code != 0 {
		t.Fatalf("plan list: exit %d: %s", code, errOut)
	}
	var plans []struct {
		ID        int64  `json:"id"`
		Year      int    `json:"year"`
		TaskCount int    `json:"task_count"`
		Title     string `json:"title"`
	}
	if err := json.Unmarshal([]byte(out), &plans); err != nil || len(plans) != 1 || plans[0].TaskCount != 26 || plans[0].Year != 2023 || plans[0].ID != 1 {
		t.Fatalf("plan list = %+v (err %v), want 1 plan of 2023 with 26 tasks\n%s", plans, err, out)
	}
	if strings.Contains(out, `"tasks"`) {
		t.Errorf("plan list --json lists tasks:\n%s", out)
	}
	// Re-import updates in place.
	code, _, errOut = runCLI(t, map[string]string{"PLANBOT_DB": db}, "plan", "import", sample, "--save")
	if code != 0 || !strings.Contains(errOut, "Đã cập nhật kế hoạch") {
		t.Fatalf("re-import: exit %d: %s", code, errOut)
	}
	_, out, _ = runCLI(t, map[string]string{"PLANBOT_DB": db}, "plan", "list")
	if strings.Count(out, "\n") != 2 {
		t.Errorf("after re-import want header + 1 plan, got:\n%s", out)
	}
}

func TestPlanImportErrors(t *testing.T) {
	dir := t.TempDir()
	binary := filepath.Join(dir, "x.bin")
	if err := os.WriteFile(binary, []byte{0x00, 0xff, 0xfe, 0x01, 0x02, 0x00, 0x9c}, 0o600); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty.txt")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	notasks := filepath.Join(dir, "notasks.txt")
	if err := os.WriteFile(notasks, []byte("KẾ HOẠCH\nChỉ có lời nói đầu, không có nhiệm vụ.\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"no file", []string{"plan", "import"}, 2},
		{"two files", []string{"plan", "import", "a", "b"}, 2},
		{"missing", []string{"plan", "import", filepath.Join(dir, "nope.txt")}, 1},
		{"binary", []string{"plan", "import", binary}, 1},
		{"empty", []string{"plan", "import", empty}, 1},
		{"no tasks", []string{"plan", "import", notasks}, 1},
		{"unknown flag", []string{"plan", "import", "--frobnicate", empty}, 2},
		{"unknown command", []string{"plan", "explode"}, 2},
		{"dangling --db", []string{"plan", "list", "--db"}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, nil, tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, out, errOut)
			}
			if errOut == "" {
				t.Error("no message on stderr")
			}
			if strings.Contains(errOut, "planbot error: code=") {
				t.Errorf("internal error form shown to the user: %s", errOut)
			}
		})
	}
}

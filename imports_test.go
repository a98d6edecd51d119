// Package planbot_test checks the dependency rules of docs/architecture.md:
// dependencies point inward, the domain imports only the standard library,
// adapters never import each other, and the scheduler and the delivery
// dispatcher talk to interfaces only.
package planbot_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

const module = "github.com/chanhlo/planbot"

// adapters talk to one outside dependency each; they must not know about
// each other.
var adapters = []string{"storage", "redis", "bot/telegram", "xlsx"}

// rules maps a package (and its subpackages) to the packages of ours it
// must not import. "*" forbids every package of ours.
var rules = map[string][]string{
	"plan":      {"*"},
	"importer":  {"bot", "scheduler", "delivery", "summary", "cmd", "configs", "storage", "redis", "bot/telegram", "xlsx"},
	"calendar":  {"bot", "scheduler", "delivery", "summary", "cmd", "configs", "storage", "redis", "bot/telegram", "xlsx", "importer"},
	"progress":  {"bot", "scheduler", "delivery", "summary", "cmd", "configs", "storage", "redis", "bot/telegram", "xlsx"},
	"texts":     {"bot", "scheduler", "delivery", "summary", "cmd", "configs", "storage", "redis", "bot/telegram", "xlsx"},
	"summary":   {"bot", "scheduler", "delivery", "cmd", "configs", "storage", "redis", "bot/telegram", "xlsx"},
	"scheduler": {"bot", "delivery", "cmd", "configs", "storage", "redis", "bot/telegram", "xlsx"},
	"delivery":  {"bot", "scheduler", "cmd", "configs", "storage", "redis", "bot/telegram", "xlsx"},
	"bot":       {"cmd", "configs", "storage", "redis", "xlsx", "scheduler", "delivery", "bot/telegram"},
	"configs":   {"bot", "scheduler", "delivery", "cmd", "storage", "redis", "bot/telegram", "xlsx", "summary"},
}

func TestImportRules(t *testing.T) {
	imports := packageImports(t)
	if len(imports) < 3 {
		t.Fatalf("found only %d packages; is the test running at the module root?", len(imports))
	}
	for pkg, deps := range imports {
		for dep := range deps {
			if !strings.HasPrefix(dep, module+"/") {
				if pkg == "plan" && strings.Contains(strings.SplitN(dep, "/", 2)[0], ".") {
					t.Errorf("plan imports %s: the domain may import only the standard library", dep)
				}
				continue
			}
			ours := strings.TrimPrefix(dep, module+"/")
			if ours == pkg || strings.HasPrefix(ours, pkg+"/") && pkg != "bot" {
				continue // a package's own subpackages (tests, helpers)
			}
			if forbidden(pkg, ours) {
				t.Errorf("%s imports %s: forbidden by docs/architecture.md", pkg, ours)
			}
		}
	}
}

// forbidden reports whether package pkg may not import ours.
func forbidden(pkg, ours string) bool {
	// Test helpers of an adapter (storage/storagetest, bot/telegram/telegramtest)
	// belong to that adapter.
	if isAdapter(pkg) && isAdapter(ours) && root(pkg) != root(ours) {
		return true
	}
	for p, deny := range rules {
		if pkg != p && !strings.HasPrefix(pkg, p+"/") {
			continue
		}
		if p == "bot" && (pkg == "bot/telegram" || strings.HasPrefix(pkg, "bot/telegram/")) {
			continue // the Telegram adapter has its own rule
		}
		for _, d := range deny {
			if d == "*" || ours == d || strings.HasPrefix(ours, d+"/") {
				return true
			}
		}
	}
	return false
}

func isAdapter(pkg string) bool { return root(pkg) != "" }

// root returns the adapter pkg belongs to, or "".
func root(pkg string) string {
	for _, a := range adapters {
		if pkg == a || strings.HasPrefix(pkg, a+"/") {
			return a
		}
	}
	return ""
}

// packageImports returns, per package directory of the module, the
// imports of its non-test files.
func packageImports(t *testing.T) map[string]map[string]bool {
	t.Helper()
	out := map[string]map[string]bool{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			name := d.Name()
			if path != "." && (strings.HasPrefix(name, ".") || name == "testdata" || name == "vendor") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		dir := filepath.ToSlash(filepath.Dir(path))
		if out[dir] == nil {
			out[dir] = map[string]bool{}
		}
		for _, imp := range f.Imports {
			out[dir][strings.Trim(imp.Path.Value, `"`)] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestForbiddenExamples(t *testing.T) {
	tests := []struct {
		pkg, dep string
		want     bool
	}{
		{"plan", "calendar", true},
		{"storage", "redis", true},
		{"redis", "storage", true},
		{"bot/telegram", "storage", true},
		{"storage/storagetest", "storage", false},
		{"scheduler", "storage", true},
		{"scheduler", "bot", true},
		{"scheduler", "calendar", false},
		{"delivery", "redis", true},
		{"bot", "storage", true},
		{"bot", "progress", false},
		{"bot/telegram", "bot", false},
		{"bot", "bot/telegram", true},
		{"cmd/planbot", "storage", false},
	}
	for _, tt := range tests {
		if got := forbidden(tt.pkg, tt.dep); got != tt.want {
			t.Errorf("forbidden(%s → %s) = %v, want %v", tt.pkg, tt.dep, got, tt.want)
		}
	}
}

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
	"slices"
	"strings"
	"testing"
)

const module = "github.com/chanhlo/planbot"

// allowed lists, for each package of ours, the packages of ours it may
// import: the table of docs/architecture.md. A package not listed here
// fails the test, so a new package must be placed in the table.
var allowed = map[string][]string{
	"plan":                      {},
	"importer":                  {"plan"},
	"calendar":                  {"plan"},
	"progress":                  {"plan"},
	"texts":                     {"plan"},
	"summary":                   {"plan", "calendar", "texts"},
	"xlsx":                      {"plan", "summary", "texts", "report"},
	"scheduler":                 {"plan", "calendar", "texts"},
	"delivery":                  {"plan", "texts"},
	"bot":                       {"plan", "importer", "progress", "summary", "texts", "calendar"},
	"bot/local":                 {"plan", "bot"},
	"bot/telegram":              {"plan", "bot"},
	"bot/telegram/telegramtest": {},
	"bot/zalo":                  {"plan", "bot", "texts"},
	"bot/zalo/zalotest":         {},
	"storage":                   {"plan"},
	"storage/storagetest":       {"plan", "storage"},
	"redis":                     {"plan"},
	"configs":                   {"plan", "calendar"},
	"web":                       {"plan", "summary", "texts"},
	"metrics":                   {"plan"},
	"cmd/planbot":               {"*"},
	"cmd/planbench":             {"*"},
	"report":                    {"plan", "summary", "texts"},
	"docx":                      {"plan", "report", "texts"},
	"cmd/fakebotapi":            {"plan", "bot/telegram/telegramtest"},
}

func TestImportRules(t *testing.T) {
	imports := packageImports(t)
	for pkg, deps := range imports {
		allow, ok := allowed[pkg]
		if !ok {
			t.Errorf("package %s is not in the import table: add it to imports_test.go and docs/architecture.md", pkg)
			continue
		}
		for dep := range deps {
			if !strings.HasPrefix(dep, module+"/") {
				if pkg == "plan" && strings.Contains(strings.SplitN(dep, "/", 2)[0], ".") {
					t.Errorf("plan imports %s: the domain may import only the standard library", dep)
				}
				continue
			}
			ours := strings.TrimPrefix(dep, module+"/")
			if !slices.Contains(allow, "*") && !slices.Contains(allow, ours) {
				t.Errorf("%s imports %s: not allowed by docs/architecture.md (allowed: %v)", pkg, ours, allow)
			}
		}
	}
	for pkg := range allowed {
		if _, ok := imports[pkg]; !ok {
			t.Errorf("the import table lists %s, which has no Go files", pkg)
		}
	}
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

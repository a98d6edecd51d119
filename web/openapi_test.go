package web_test

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/chanhlo/planbot/web"
)

// docs/openapi.yaml describes every route the API mounts, and nothing
// else, with its path parameters, the bearer scheme and the error shape.
func TestAPIOpenAPI(t *testing.T) {
	raw, err := os.ReadFile("../docs/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		OpenAPI  string                `yaml:"openapi"`
		Security []map[string][]string `yaml:"security"`
		Paths    map[string]map[string]struct {
			Parameters []map[string]any `yaml:"parameters"`
			Responses  map[string]any   `yaml:"responses"`
		} `yaml:"paths"`
		Components struct {
			SecuritySchemes map[string]struct{ Type, Scheme string } `yaml:"securitySchemes"`
			Schemas         map[string]any                           `yaml:"schemas"`
		} `yaml:"components"`
	}
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("docs/openapi.yaml: %v", err)
	}
	if doc.OpenAPI != "3.0.3" {
		t.Errorf("openapi %q, want 3.0.3", doc.OpenAPI)
	}
	if s := doc.Components.SecuritySchemes["bearer"]; s.Type != "http" || s.Scheme != "bearer" || len(doc.Security) != 1 || doc.Security[0]["bearer"] == nil {
		t.Errorf("bearer scheme: %+v, security %v", doc.Components.SecuritySchemes, doc.Security)
	}
	if doc.Components.Schemas["Error"] == nil {
		t.Error("no Error schema")
	}

	routes := (&web.API{}).Routes()
	mounted := map[string]bool{}
	wildcard := regexp.MustCompile(`\{([a-z_]+)\}`)
	for _, r := range routes {
		method, path, _ := strings.Cut(r, " ")
		mounted[path] = true
		ops, ok := doc.Paths[path]
		if !ok {
			t.Errorf("route %s is not under paths", r)
			continue
		}
		op, ok := ops[strings.ToLower(method)]
		if !ok {
			t.Errorf("route %s: no %s operation", r, strings.ToLower(method))
			continue
		}
		for _, m := range wildcard.FindAllStringSubmatch(path, -1) {
			if !slices.ContainsFunc(op.Parameters, func(p map[string]any) bool { return p["name"] == m[1] && p["in"] == "path" }) {
				t.Errorf("route %s: path parameter %s not described", r, m[1])
			}
		}
		for _, code := range []string{"200", "401", "500"} {
			if op.Responses[code] == nil {
				t.Errorf("route %s: no %s response", r, code)
			}
		}
		for m := range ops {
			if m != "get" {
				t.Errorf("%s %s described: the API only reads", m, path)
			}
		}
	}
	for path := range doc.Paths {
		if !mounted[path] {
			t.Errorf("paths has %s, which the API does not mount", path)
		}
	}
}

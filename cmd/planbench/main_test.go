package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// wantKeys are the figures the issue asks every run to print, by
// scenario.
var wantKeys = map[string][]string{
	"delivery": {"ratio", "lost", "duplicates", "faults.ratio", "faults.lost", "faults.duplicates"},
	"inbound":  {"per_sec", "ratio", "plan_scaling"},
}

// TestQuickRun runs the scenarios scaled down and checks that each prints
// its figures, and that nothing was lost or sent twice. It measures
// nothing: the figures of a quick run on a test machine mean little.
func TestQuickRun(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the benchmark scenarios")
	}
	var only []string
	for name := range wantKeys {
		only = append(only, name)
	}
	args := []string{"--quick", "--json", "--only", strings.Join(only, ",")}
	if dsn := os.Getenv("PLANBOT_TEST_POSTGRES_DSN"); dsn != "" {
		args = append(args, "--postgres", dsn)
	}
	var out, errs bytes.Buffer
	if code := run(context.Background(), args, &out, &errs); code != 0 {
		t.Fatalf("planbench %v = %d\n%s", args, code, errs.String())
	}
	var got map[string]any
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out.String())
	}
	for scenario, keys := range wantKeys {
		for _, key := range keys {
			v, ok := lookup(got, scenario+"."+key)
			if !ok {
				t.Errorf("%s.%s missing in %s", scenario, key, out.String())
				continue
			}
			if strings.HasSuffix(key, "lost") || strings.HasSuffix(key, "duplicates") {
				if n, _ := v.(float64); n != 0 {
					t.Errorf("%s.%s = %v, want 0", scenario, key, v)
				}
			}
		}
	}
}

// lookup finds a dotted key in nested JSON objects.
func lookup(m map[string]any, key string) (any, bool) {
	head, rest, nested := strings.Cut(key, ".")
	v, ok := m[head]
	if !ok || !nested {
		return v, ok
	}
	sub, ok := v.(map[string]any)
	if !ok {
		return nil, false
	}
	return lookup(sub, rest)
}

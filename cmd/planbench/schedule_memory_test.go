package main

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
)

// TestScheduleAndMemoryQuick runs the schedule and memory scenarios scaled
// down: they must run to the end and print every figure. The figures of a
// quick run measure nothing. The memory scenario builds and starts
// planbot serve, so it is left out with -short.
func TestScheduleAndMemoryQuick(t *testing.T) {
	only := "schedule,memory"
	if testing.Short() {
		only = "schedule"
	}
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"--quick", "--json", "--only", only}, &out, &errOut); code != 0 {
		t.Fatalf("planbench exit %d:\n%s", code, errOut.String())
	}
	var got map[string]any
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out.String())
	}
	want := map[string][]string{
		"schedule": {"ms", "items", "drain_ms", "drain_ratio", "sent"},
		"memory":   {"idle_mb", "load_mb", "sent"},
	}
	for scenario, keys := range want {
		if testing.Short() && scenario == "memory" {
			continue
		}
		f, ok := got[scenario].(map[string]any)
		if !ok {
			t.Errorf("no %s figures in %s", scenario, out.String())
			continue
		}
		for _, k := range keys {
			if v, ok := f[k].(float64); !ok || v <= 0 {
				t.Errorf("%s.%s = %v, want a positive number", scenario, k, f[k])
			}
		}
	}
	sched, _ := got["schedule"].(map[string]any)
	if sched["sent"] != sched["items"] {
		t.Errorf("schedule: %v sent for %v items queued", sched["sent"], sched["items"])
	}
}

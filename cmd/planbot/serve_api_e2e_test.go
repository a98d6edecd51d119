package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"testing"
	"time"

	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/storage"
)

// planbot serve mounts the API: a token made with `planbot token create`
// reads it, the summary is `planbot summary --json`'s, and a token
// revoked while the bot runs is refused at once.
func TestServeAPIToken(t *testing.T) {
	f := newServeFixture(t, time.Date(2023, 6, 5, 2, 0, 0, 0, time.UTC))
	ctx := context.Background()
	db, err := storage.Open(ctx, f.cfg.DB)
	if err != nil {
		t.Fatal(err)
	}
	plans, err := db.Plans(ctx, plan.DefaultOrg)
	if err != nil || len(plans) == 0 {
		t.Fatalf("plans: %v", err)
	}
	p := plans[0]
	task := p.Tasks[0]
	unit := task.Responsible()[0]
	if err := db.AddProgress(ctx, &plan.Progress{OrgID: plan.DefaultOrg, PlanID: p.ID, TaskCode: task.Code, Unit: unit, Period: plan.Month(2023, 5),
		Figure: plan.Figure{Kind: plan.ProgressPercent, Percent: 60}, ReportedAt: time.Date(2023, 5, 18, 2, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	secret := createToken(t, f.cfg.DB, "tỉnh", "reader")
	m := f.start()

	get := func(path, token string) (int, map[string]any) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, "http://"+m.HTTP.Addr()+path, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		raw, _ := io.ReadAll(res.Body)
		var body map[string]any
		if err := json.Unmarshal(raw, &body); err != nil {
			t.Fatalf("GET %s: %v: %s", path, err, raw)
		}
		return res.StatusCode, body
	}

	if code, body := get("/api/v1/plans", ""); code != http.StatusUnauthorized {
		t.Errorf("no token: %d %v", code, body)
	}
	code, body := get("/api/v1/plans", secret)
	if code != http.StatusOK || len(body["plans"].([]any)) != len(plans) {
		t.Fatalf("plans: %d %v", code, body)
	}

	code, got := get("/api/v1/summary?period=2023-05", secret)
	if code != http.StatusOK {
		t.Fatalf("summary: %d %v", code, got)
	}
	exit, out, errOut := runCLI(t, nil, "--db", f.cfg.DB, "summary", "--period", "2023-05", "--json")
	if exit != 0 {
		t.Fatalf("planbot summary: exit %d: %s", exit, errOut)
	}
	var want map[string]any
	if err := json.Unmarshal([]byte(out), &want); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got["totals"], want["totals"]) || !reflect.DeepEqual(got, want) {
		t.Errorf("API summary differs from planbot summary --json:\n got %v\nwant %v", got, want)
	}

	if exit, _, errOut := runCLI(t, nil, "--db", f.cfg.DB, "token", "revoke", "tỉnh"); exit != 0 {
		t.Fatalf("revoke: %s", errOut)
	}
	if code, body := get("/api/v1/plans", secret); code != http.StatusUnauthorized {
		t.Errorf("revoked token: %d %v", code, body)
	}
	// The token was used while it worked.
	exit, out, _ = runCLI(t, nil, "--db", f.cfg.DB, "token", "list", "--json")
	var toks []struct {
		LastUsedAt *string `json:"last_used_at"`
	}
	if exit != 0 || json.Unmarshal([]byte(out), &toks) != nil || len(toks) != 1 || toks[0].LastUsedAt == nil {
		t.Errorf("token list after use: %s", out)
	}
}

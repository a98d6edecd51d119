package web_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/chanhlo/planbot/web"
)

func TestReadyz(t *testing.T) {
	pass := func(context.Context) error { return nil }
	tests := []struct {
		name   string
		checks map[string]func(context.Context) error
		code   int
		body   []string
	}{
		{"no checks", nil, 200, []string{"ok"}},
		{"all pass", map[string]func(context.Context) error{"database": pass, "transports": pass}, 200, []string{"ok"}},
		{"database down", map[string]func(context.Context) error{
			"database":   func(context.Context) error { return errors.New("ping sqlite: sql: database is closed") },
			"transports": pass,
		}, 503, []string{"database: ping sqlite: sql: database is closed"}},
		{"two down", map[string]func(context.Context) error{
			"database":   func(context.Context) error { return errors.New("no\nanswer") },
			"transports": func(context.Context) error { return errors.New("transport zalo stopped") },
		}, 503, []string{"database: no answer", "transports: transport zalo stopped"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := web.NewServer(nil)
			for _, name := range []string{"database", "transports"} {
				if fn, ok := tt.checks[name]; ok {
					srv.AddCheck(name, fn)
				}
			}
			res := get(t, srv.Handler(), "/readyz")
			body, _ := io.ReadAll(res.Body)
			if res.StatusCode != tt.code {
				t.Errorf("GET /readyz = %d %q, want %d", res.StatusCode, body, tt.code)
			}
			if got := strings.Split(strings.TrimSuffix(string(body), "\n"), "\n"); strings.Join(got, "|") != strings.Join(tt.body, "|") {
				t.Errorf("body %q, want lines %q", body, tt.body)
			}
			if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
				t.Errorf("Content-Type %q", ct)
			}
		})
	}
}

// A check runs under a deadline, so a database that hangs cannot hang
// the probe.
func TestReadyzCheckHasDeadline(t *testing.T) {
	srv := web.NewServer(nil)
	srv.AddCheck("database", func(ctx context.Context) error {
		if _, ok := ctx.Deadline(); !ok {
			return errors.New("no deadline")
		}
		return nil
	})
	if res := get(t, srv.Handler(), "/readyz"); res.StatusCode != 200 {
		t.Errorf("GET /readyz = %d", res.StatusCode)
	}
}

// Middleware added with Wrap sees every request and, after it was
// served, the pattern that matched: a route name, never the raw path.
func TestWrapSeesPattern(t *testing.T) {
	srv := web.NewServer(nil)
	srv.Handle("GET /tai/{id}", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	var seen []string
	srv.Wrap(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			next.ServeHTTP(w, r)
			seen = append(seen, r.Pattern)
		})
	})
	for _, path := range []string{"/healthz", "/tai/abc123?s=secret", "/nowhere"} {
		get(t, srv.Handler(), path)
	}
	if want := []string{"GET /healthz", "GET /tai/{id}", ""}; strings.Join(seen, "|") != strings.Join(want, "|") {
		t.Errorf("patterns %q, want %q", seen, want)
	}
}

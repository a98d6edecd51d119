package main

import (
	"strings"
	"testing"
	"time"
)

// serve on a database it cannot write to exits non-zero and says why,
// instead of starting and failing every update.
func TestServeReadOnlyDatabaseExits(t *testing.T) {
	f := newServeFixture(t, time.Date(2023, 5, 10, 9, 0, 0, 0, time.UTC))
	env := map[string]string{
		"PLANBOT_DB":             "file:" + f.cfg.DB + "?mode=ro",
		"PLANBOT_TELEGRAM_API":   f.srv.URL(),
		"PLANBOT_TELEGRAM_TOKEN": f.srv.Token(),
	}
	code, _, errOut := runCLI(t, env, "serve")
	if code == 0 || !strings.Contains(errOut, "cơ sở dữ liệu không ghi được") || strings.Contains(errOut, "planbot running") {
		t.Errorf("serve on a read-only database: exit %d\n%s", code, errOut)
	}
}

package storage_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/storage"
	"github.com/chanhlo/planbot/storage/storagetest"
)

// A report and its audit line are one transaction: both are stored, the
// line naming the report's id, or neither is.
func TestAddProgressWithAudit(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		at := time.Date(2023, 5, 2, 2, 0, 0, 0, time.UTC)
		report := func() *plan.Progress {
			return &plan.Progress{OrgID: plan.DefaultOrg, PlanID: 1, TaskCode: "1.a", Unit: "Công an phường", Period: plan.Month(2023, 5),
				Figure: plan.Figure{Kind: plan.ProgressPercent, Percent: 40}, ReportedBy: 1, ReportedAt: at}
		}
		pr := report()
		if err := db.AddProgress(ctx, pr, plan.AuditEntry{ActorID: 1, At: at, Action: "progress.report", Detail: "progress=" + plan.AuditProgressID}); err != nil {
			t.Fatal(err)
		}
		entries, err := db.AuditEntries(ctx, plan.DefaultOrg, at)
		if err != nil {
			t.Fatal(err)
		}
		if want := fmt.Sprint("progress=", pr.ID); len(entries) != 1 || entries[0].Detail != want {
			t.Fatalf("audit = %+v, want one entry %q", entries, want)
		}

		// An audit line that cannot be written takes the report with it.
		if err := db.AddProgress(ctx, report(), plan.AuditEntry{At: at}); err == nil {
			t.Fatal("an audit entry without an action was accepted")
		}
		got, err := db.ListProgress(ctx, plan.ProgressFilter{OrgID: plan.DefaultOrg, PlanID: 1})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 {
			t.Errorf("%d reports stored, want 1: the failed one was kept without its audit line", len(got))
		}

		// Several lines, each naming the report.
		pr = report()
		if err := db.AddProgress(ctx, pr,
			plan.AuditEntry{ActorID: 1, At: at.Add(time.Hour), Action: "progress.report", Detail: "a " + plan.AuditProgressID},
			plan.AuditEntry{ActorID: 2, At: at.Add(time.Hour), Action: "progress.copy", Detail: plan.AuditProgressID + " b " + plan.AuditProgressID},
		); err != nil {
			t.Fatal(err)
		}
		entries, err = db.AuditEntries(ctx, plan.DefaultOrg, at.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]bool{fmt.Sprint("a ", pr.ID): true, fmt.Sprint(pr.ID, " b ", pr.ID): true}
		if len(entries) != 2 || !want[entries[0].Detail] || !want[entries[1].Detail] || entries[0].Detail == entries[1].Detail {
			t.Fatalf("audit = %+v, want %v", entries, want)
		}

		// The database refusing the audit line (PostgreSQL takes no
		// invalid UTF-8; SQLite stores any bytes) takes the report with it.
		if db.Engine() == storage.EnginePostgres {
			if err := db.AddProgress(ctx, report(), plan.AuditEntry{ActorID: 1, At: at, Action: "progress.report", Detail: "\xff"}); err == nil {
				t.Fatal("an audit line of invalid UTF-8 was accepted")
			}
			got, err := db.ListProgress(ctx, plan.ProgressFilter{OrgID: plan.DefaultOrg, PlanID: 1})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 2 {
				t.Errorf("%d reports stored, want 2: the one whose audit line failed was kept", len(got))
			}
		}
	})
}

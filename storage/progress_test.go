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
	})
}

package storage_test

import (
	"context"
	"testing"
	"time"

	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/storage"
	"github.com/chanhlo/planbot/storage/storagetest"
)

// Sign-in links are spent once and only before they expire; sessions
// end when revoked or expired; both are pruned.
func TestWebSignInAndSessions(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { testWebSignIn(t, storagetest.Open(t)) })
	t.Run("postgres", func(t *testing.T) { testWebSignIn(t, storagetest.OpenPostgres(t)) })
}

func testWebSignIn(t *testing.T, db *storage.DB) {
	ctx := context.Background()
	now := time.Date(2023, 5, 10, 2, 0, 0, 0, time.UTC)
	if err := db.CreateSignIn(ctx, "h1", 7, now, now.Add(10*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if id, err := db.UseSignIn(ctx, "h1", now.Add(time.Minute)); err != nil || id != 7 {
		t.Fatalf("use = %d, %v", id, err)
	}
	if _, err := db.UseSignIn(ctx, "h1", now.Add(2*time.Minute)); plan.ErrorCode(err) != plan.ENotFound {
		t.Errorf("second use: %v", err)
	}
	if err := db.CreateSignIn(ctx, "h2", 7, now, now.Add(10*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if _, err := db.UseSignIn(ctx, "h2", now.Add(11*time.Minute)); plan.ErrorCode(err) != plan.ENotFound {
		t.Errorf("expired use: %v", err)
	}
	if err := db.CreateSession(ctx, "s1", 7, "c1", now, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if id, csrf, err := db.Session(ctx, "s1", now.Add(time.Minute)); err != nil || id != 7 || csrf != "c1" {
		t.Fatalf("session = %d %q %v", id, csrf, err)
	}
	if _, _, err := db.Session(ctx, "s1", now.Add(2*time.Hour)); plan.ErrorCode(err) != plan.ENotFound {
		t.Errorf("expired session: %v", err)
	}
	if err := db.CreateSession(ctx, "s2", 8, "c2", now, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if n, err := db.RevokeOfficerSessions(ctx, 8, now); err != nil || n != 1 {
		t.Errorf("revoke: %d %v", n, err)
	}
	if _, _, err := db.Session(ctx, "s2", now.Add(time.Minute)); plan.ErrorCode(err) != plan.ENotFound {
		t.Errorf("revoked session: %v", err)
	}
	if n, err := db.PruneWeb(ctx, now.Add(3*time.Hour)); err != nil || n != 4 {
		t.Errorf("pruned %d, %v; want 4", n, err)
	}
}

// Newest reads only the newest reports, newest first.
func TestProgressNewest(t *testing.T) {
	db := storagetest.Open(t)
	ctx := context.Background()
	p := &plan.Plan{OrgID: plan.DefaultOrg, Number: "1/KH", Year: 2023, Title: "T", Sections: []plan.Section{{Number: "1", Title: "S"}},
		Units: []string{"Công an phường"}, Tasks: []plan.Task{{Code: "1.a", Section: "1", Title: "Việc", Lead: []string{"Công an phường"},
			Deadline: plan.Deadline{Kind: plan.DeadlineRecurring, Recurrence: plan.RecurOngoing, Text: "Thường xuyên"}}}}
	if _, err := db.SavePlan(ctx, p); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2023, 5, 2, 2, 0, 0, 0, time.UTC)
	for i := 1; i <= 5; i++ {
		pr := &plan.Progress{OrgID: plan.DefaultOrg, PlanID: p.ID, TaskCode: "1.a", Unit: "Công an phường", Period: plan.Month(2023, 5),
			Figure: plan.Figure{Kind: plan.ProgressPercent, Percent: float64(10 * i)}, ReportedBy: 1, ReportedAt: at.Add(time.Duration(i) * time.Hour)}
		if err := db.AddProgress(ctx, pr); err != nil {
			t.Fatal(err)
		}
	}
	got, err := db.ListProgress(ctx, plan.ProgressFilter{OrgID: plan.DefaultOrg, Unit: "Công an phường", Newest: 2})
	if err != nil || len(got) != 2 || got[0].Percent != 50 || got[1].Percent != 40 {
		t.Fatalf("newest 2 = %+v, %v", got, err)
	}
}

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

package storage_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/storage"
	"github.com/chanhlo/planbot/storage/storagetest"
)

func TestAPITokens(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		secret, hash, err := plan.NewAPIToken()
		if err != nil {
			t.Fatal(err)
		}
		if len(secret) != len(plan.APITokenPrefix)+43 || secret[:3] != plan.APITokenPrefix || hash != plan.HashAPIToken(secret) || len(hash) != 64 {
			t.Fatalf("NewAPIToken = %q, %q", secret, hash)
		}
		tok := &plan.APIToken{OrgID: plan.DefaultOrg, Name: "sở-tư-pháp", Role: plan.APIReader, Hash: hash}
		if err := db.CreateAPIToken(ctx, tok); err != nil {
			t.Fatal(err)
		}
		if tok.ID == 0 || !tok.CreatedAt.Equal(storagetest.Epoch) {
			t.Fatalf("created %+v", tok)
		}

		// The same name again, while the first is in use: a conflict.
		_, hash2, _ := plan.NewAPIToken()
		if err := db.CreateAPIToken(ctx, &plan.APIToken{Name: "sở-tư-pháp", Role: plan.APISecretariat, Hash: hash2}); plan.ErrorCode(err) != plan.EConflict {
			t.Errorf("duplicate name: %v", err)
		}
		if err := db.CreateAPIToken(ctx, &plan.APIToken{Name: "x", Role: "admin", Hash: hash2}); plan.ErrorCode(err) != plan.EInvalid {
			t.Errorf("bad role: %v", err)
		}

		got, err := db.APITokenByHash(ctx, hash)
		if err != nil || got.ID != tok.ID || got.Name != tok.Name || got.Role != plan.APIReader || got.LastUsedAt != nil || got.Revoked() {
			t.Fatalf("APITokenByHash = %+v, %v", got, err)
		}
		if _, err := db.APITokenByHash(ctx, plan.HashAPIToken("pb_wrong")); plan.ErrorCode(err) != plan.ENotFound {
			t.Errorf("unknown hash: %v", err)
		}

		// Touch moves forward only.
		used := storagetest.Epoch.Add(time.Hour)
		if err := db.TouchAPIToken(ctx, tok.ID, used); err != nil {
			t.Fatal(err)
		}
		if err := db.TouchAPIToken(ctx, tok.ID, used.Add(-time.Minute)); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.APITokenByHash(ctx, hash); got.LastUsedAt == nil || !got.LastUsedAt.Equal(used) {
			t.Errorf("last used = %v, want %v", got.LastUsedAt, used)
		}

		other := &plan.APIToken{Name: "dashboard", Role: plan.APISecretariat, Hash: hash2, CreatedAt: storagetest.Epoch.Add(time.Minute)}
		if err := db.CreateAPIToken(ctx, other); err != nil {
			t.Fatal(err)
		}

		// Revoke by name, then by id; a revoked token is not found.
		revokedAt := storagetest.Epoch.Add(2 * time.Hour)
		r, err := db.RevokeAPIToken(ctx, plan.DefaultOrg, "sở-tư-pháp", revokedAt)
		if err != nil || r.ID != tok.ID || r.RevokedAt == nil || !r.RevokedAt.Equal(revokedAt) {
			t.Fatalf("revoke by name = %+v, %v", r, err)
		}
		if _, err := db.APITokenByHash(ctx, hash); plan.ErrorCode(err) != plan.ENotFound {
			t.Errorf("revoked token found: %v", err)
		}
		if _, err := db.RevokeAPIToken(ctx, plan.DefaultOrg, "sở-tư-pháp", revokedAt); plan.ErrorCode(err) != plan.ENotFound {
			t.Errorf("revoke twice: %v", err)
		}
		if r, err := db.RevokeAPIToken(ctx, plan.DefaultOrg, itoa(other.ID), revokedAt); err != nil || r.Name != "dashboard" {
			t.Errorf("revoke by id = %+v, %v", r, err)
		}
		if _, err := db.RevokeAPIToken(ctx, 2, "dashboard", revokedAt); plan.ErrorCode(err) != plan.ENotFound {
			t.Errorf("other org's token revoked: %v", err)
		}

		// The name is free again once revoked.
		_, hash3, _ := plan.NewAPIToken()
		if err := db.CreateAPIToken(ctx, &plan.APIToken{Name: "sở-tư-pháp", Role: plan.APIReader, Hash: hash3, CreatedAt: storagetest.Epoch.Add(3 * time.Hour)}); err != nil {
			t.Errorf("name after revoke: %v", err)
		}

		list, err := db.ListAPITokens(ctx, plan.DefaultOrg)
		if err != nil || len(list) != 3 {
			t.Fatalf("ListAPITokens = %+v, %v", list, err)
		}
		if list[0].ID != tok.ID || !list[0].Revoked() || list[0].LastUsedAt == nil || list[1].Name != "dashboard" || !list[1].Revoked() || list[2].Revoked() {
			t.Errorf("list = %+v", list)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

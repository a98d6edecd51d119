package storage_test

import (
	"context"
	"testing"

	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/storage"
	"github.com/chanhlo/planbot/storage/storagetest"
)

func TestAddOrganisation(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		id, err := db.AddOrganisation(ctx, "UBND phường Quảng Phú")
		if err != nil {
			t.Fatal(err)
		}
		if id == plan.DefaultOrg || id <= 0 {
			t.Fatalf("id = %d, want a new one after %d", id, plan.DefaultOrg)
		}
		if _, err := db.AddOrganisation(ctx, "  "); err == nil {
			t.Error("a blank name was accepted")
		}
	})
}

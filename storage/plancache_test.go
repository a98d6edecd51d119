package storage_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/storage"
	"github.com/chanhlo/planbot/storage/storagetest"
)

// Plans are kept in memory between writes, and every write — an import,
// a deadline set, an archive — is seen at once, by this handle and by
// another on the same database (a second replica).
func TestPlansCacheSeesEveryWrite(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "p.db")
		open := func() *storage.DB {
			db, err := storage.Open(context.Background(), path)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return db
		}
		testPlansCache(t, open(), open())
	})
	t.Run("postgres", func(t *testing.T) {
		a := storagetest.OpenPostgres(t)
		testPlansCache(t, a, a)
	})
}

func testPlansCache(t *testing.T, a, b *storage.DB) {
	ctx := context.Background()
	p := &plan.Plan{OrgID: plan.DefaultOrg, Number: "7/KH-UBND", Year: 2023, Title: "Kế hoạch thử",
		Sections: []plan.Section{{Number: "1", Title: "Nhóm"}}, Units: []string{"Công an phường"},
		Tasks: []plan.Task{{Code: "1.a", Section: "1", Title: "Việc", Lead: []string{"Công an phường"},
			Deadline: plan.Deadline{Kind: plan.DeadlineConditional, Text: "Sau khi có hướng dẫn"}}}}
	if _, err := a.SavePlan(ctx, p); err != nil {
		t.Fatal(err)
	}
	got := func(db *storage.DB) []plan.Plan {
		t.Helper()
		ps, err := db.Plans(ctx, plan.DefaultOrg)
		if err != nil {
			t.Fatal(err)
		}
		return ps
	}
	if ps := got(b); len(ps) != 1 || ps[0].Tasks[0].Deadline.Kind != plan.DeadlineConditional {
		t.Fatalf("plans %+v", ps)
	}
	// A caller changing what it got does not change the cache.
	ps := got(b)
	ps[0].Tasks[0].Title = "đã sửa"
	if got(b)[0].Tasks[0].Title != "Việc" {
		t.Error("the cache was changed through a returned plan")
	}
	if err := a.SetDeadline(ctx, p.ID, "1.a", plan.Deadline{Kind: plan.DeadlineDate, Due: plan.NewDate(2023, 9, 30)}, plan.NewDate(2023, 5, 2)); err != nil {
		t.Fatal(err)
	}
	if d := got(b)[0].Tasks[0].Deadline; d.Kind != plan.DeadlineDate || d.Due != plan.NewDate(2023, 9, 30) {
		t.Errorf("after SetDeadline on the other handle: %+v", d)
	}
	now := time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)
	if err := a.ArchivePlan(ctx, p.ID, &now); err != nil {
		t.Fatal(err)
	}
	if got(b)[0].Active() {
		t.Error("archive not seen")
	}
	p2 := &plan.Plan{OrgID: plan.DefaultOrg, Number: "8/KH-UBND", Year: 2024, Title: "Kế hoạch mới",
		Sections: []plan.Section{{Number: "1", Title: "Nhóm"}}, Units: []string{"Công an phường"},
		Tasks: []plan.Task{{Code: "1.a", Section: "1", Title: "Việc khác", Lead: []string{"Công an phường"},
			Deadline: plan.Deadline{Kind: plan.DeadlineRecurring, Recurrence: plan.RecurOngoing, Text: "Thường xuyên"}}}}
	if _, err := a.SavePlan(ctx, p2); err != nil {
		t.Fatal(err)
	}
	if n := len(got(b)); n != 2 {
		t.Errorf("after a second import: %d plans", n)
	}
}

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

// AddProgressBatch stores every report as AddProgress would, in more than
// one INSERT, sets the ids, and stores nothing when one report is invalid.
func TestAddProgressBatch(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		for _, tc := range []struct {
			name    string
			n       int
			invalid int // index of a report without a unit; -1: none
			want    int // reports stored afterwards, in total
		}{
			{"empty", 0, -1, 0},
			{"one", 1, -1, 1},
			{"several inserts", 1234, -1, 1235},
			{"one invalid stores nothing", 10, 7, 1235},
		} {
			t.Run(tc.name, func(t *testing.T) {
				ps := make([]plan.Progress, tc.n)
				for i := range ps {
					confirmed := t0.Add(time.Duration(i) * time.Hour)
					ps[i] = plan.Progress{
						PlanID: 3, TaskCode: fmt.Sprintf("%d.a", i%7), Unit: "Công an phường", Period: plan.Month(2023, time.Month(i%12+1)),
						Figure:     plan.Figure{Kind: plan.ProgressCount, Percent: 80, Done: 1200, Total: 1500, CountUnit: "hồ sơ", Blocker: "vướng", Note: fmt.Sprint(i)},
						ReportedBy: 7, ReportedAt: t0.Add(time.Duration(i) * time.Minute),
						Confirm: plan.ConfirmAccepted, ConfirmNote: "ok", ConfirmedBy: 9, ConfirmedAt: &confirmed,
					}
					if i == tc.invalid {
						ps[i].Unit = ""
					}
				}
				err := db.AddProgressBatch(ctx, ps)
				if (err != nil) != (tc.invalid >= 0) {
					t.Fatalf("AddProgressBatch = %v, want an error: %v", err, tc.invalid >= 0)
				}
				all, err := db.ListProgress(ctx, plan.ProgressFilter{})
				if err != nil {
					t.Fatal(err)
				}
				if len(all) != tc.want {
					t.Fatalf("%d reports stored, want %d", len(all), tc.want)
				}
				if tc.invalid >= 0 {
					return
				}
				byID := map[int64]plan.Progress{}
				for _, p := range all {
					byID[p.ID] = p
				}
				for i, p := range ps {
					got, ok := byID[p.ID]
					if p.ID == 0 || !ok {
						t.Fatalf("report %d: id %d not stored", i, p.ID)
					}
					if p.OrgID != plan.DefaultOrg {
						t.Errorf("report %d: organisation %d, want the default", i, p.OrgID)
					}
					if got.Note != p.Note || got.TaskCode != p.TaskCode || got.Period != p.Period || got.Figure != p.Figure ||
						!got.ReportedAt.Equal(p.ReportedAt) || got.Confirm != p.Confirm || got.ConfirmedAt == nil || !got.ConfirmedAt.Equal(*p.ConfirmedAt) {
						t.Fatalf("report %d read back as %+v, stored %+v", i, got, p)
					}
				}
			})
		}
	})
}

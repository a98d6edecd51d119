package scheduler

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/chanhlo/planbot/calendar"
	"github.com/chanhlo/planbot/configs"
	"github.com/chanhlo/planbot/importer"
	"github.com/chanhlo/planbot/plan"
)

// BenchmarkReportDayTick is the scheduler's own work on a ward's report
// day (18/5/2023 08:00, the sample plan, an officer per unit, a tick at
// 07:55 before it), over in-memory stores: planbench's schedule scenario
// without the database.
func BenchmarkReportDayTick(b *testing.B) {
	p, err := importer.Parse(bytes.NewReader(configs.SamplePlan), configs.SamplePlanName)
	if err != nil {
		b.Fatal(err)
	}
	cal := calendar.New(configs.Default().Calendar)
	day := time.Date(2023, 5, 18, 8, 0, 0, 0, cal.Location())
	p.ID, p.OrgID, p.CreatedAt = 1, 1, day.Add(-15*time.Hour)
	officers := &fakeOfficers{}
	for i, u := range p.Units {
		officers.add(plan.Officer{ID: int64(i + 1), Name: fmt.Sprint("Cán bộ ", i), Unit: u, Role: plan.RoleOfficer,
			Address: plan.Address{Transport: "telegram", ChatID: fmt.Sprint(i + 1)}, Active: true})
	}
	ctx := context.Background()
	var ledger *fakeLedger
	s, err := New(Deps{Plans: &fakePlans{plans: []plan.Plan{*p}}, Officers: officers, Progress: &fakeProgress{},
		Ledger: ledgerFunc(func() Ledger { return ledger }), Calendar: cal},
		DefaultPolicy(), WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		ledger = newFakeLedger(func() time.Time { return day })
		if _, err := s.TickResult(ctx, day.Add(-5*time.Minute)); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		res, err := s.TickResult(ctx, day)
		if err != nil || res.Messages != len(p.Units) {
			b.Fatalf("tick = %+v, %v; want a message per unit", res, err)
		}
		b.StopTimer()
		s.mu.Lock()
		s.last, s.recorded = time.Time{}, map[string]time.Time{}
		s.mu.Unlock()
		b.StartTimer()
	}
}

// ledgerFunc is the ledger fn returns, so a benchmark can start each
// round with an empty one.
type ledgerFunc func() Ledger

func (f ledgerFunc) Record(ctx context.Context, rs []plan.Reminder) ([]plan.Reminder, error) {
	return f().Record(ctx, rs)
}

func (f ledgerFunc) UnsentReminders(ctx context.Context, ids []int64, before time.Time) ([]plan.Reminder, error) {
	return f().UnsentReminders(ctx, ids, before)
}

func (f ledgerFunc) SettleReminders(ctx context.Context, keys []string, state string, at time.Time, items ...plan.OutboxItem) (int, error) {
	return f().SettleReminders(ctx, keys, state, at, items...)
}

func (f ledgerFunc) RecordQueued(ctx context.Context, queued, waiting []plan.Reminder, at time.Time, items ...plan.OutboxItem) (bool, int, error) {
	return f().RecordQueued(ctx, queued, waiting, at, items...)
}

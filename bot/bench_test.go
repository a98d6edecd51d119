package bot_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"testing"
	"time"

	"github.com/chanhlo/planbot/bot"
	"github.com/chanhlo/planbot/configs"
	"github.com/chanhlo/planbot/importer"
	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/storage"
	"github.com/chanhlo/planbot/storage/storagetest"
)

// bigPlan is a plan of n tasks, all Công an phường's.
func bigPlan(n int) *plan.Plan {
	p := &plan.Plan{OrgID: plan.DefaultOrg, Number: "99/KH-UBND", Year: 2023, Title: "Kế hoạch lớn năm 2023",
		Sections: []plan.Section{{Number: "1", Title: "Nhiệm vụ"}}, Units: []string{"Công an phường"}}
	for i := range n {
		p.Tasks = append(p.Tasks, plan.Task{Code: fmt.Sprintf("9.%d", i+1), Section: "1", Title: "Nhiệm vụ số " + strconv.Itoa(i+1),
			Lead: []string{"Công an phường"}, Deadline: plan.Deadline{Kind: plan.DeadlineRecurring, Recurrence: plan.RecurOngoing, Text: "Thường xuyên"}})
	}
	return p
}

// BenchmarkReply measures one progress reply through the whole core
// (parse, authorise, store, acknowledge) with the sample plan, and with a
// 500-task plan stored beside it: what a reply costs as plans grow.
func BenchmarkReply(b *testing.B) {
	for _, extra := range []int{0, 500} {
		b.Run(fmt.Sprintf("extra_tasks=%d", extra), func(b *testing.B) {
			clock := storagetest.NewClock(testNow)
			db := storagetest.Open(b, storage.WithClock(clock))
			ctx := context.Background()
			sample, err := importer.Parse(bytes.NewReader(configs.SamplePlan), configs.SamplePlanName)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := db.SavePlan(ctx, sample); err != nil {
				b.Fatal(err)
			}
			if extra > 0 {
				if _, err := db.SavePlan(ctx, bigPlan(extra)); err != nil {
					b.Fatal(err)
				}
				// The sample stays the plan replies go to: archive nothing,
				// the big plan only weighs on every load.
			}
			tg := &fakeSender{caps: telegramCaps}
			core, err := bot.New(bot.Deps{Plans: db, Officers: db.OfficerStore(), Progress: db, Audit: db, Updates: db, Outbox: db,
				Senders: map[string]plan.Sender{"telegram": tg}, Clock: clock, Logger: slog.New(slog.DiscardHandler)})
			if err != nil {
				b.Fatal(err)
			}
			inv, err := bot.CreateInvite(ctx, db.OfficerStore(), db, bot.InviteSpec{Unit: "Công an phường", Role: plan.RoleOfficer}, clock.Now())
			if err != nil {
				b.Fatal(err)
			}
			if err := core.Handle(ctx, &bot.Event{Transport: "telegram", ID: "reg", UserID: "1", ChatID: "1", UserName: "Công", Text: "/start " + inv.Code}); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			start := time.Now()
			for i := range b.N {
				ev := &bot.Event{Transport: "telegram", ID: "u" + strconv.Itoa(i), UserID: "1", ChatID: "1", Text: "4.a " + strconv.Itoa(i%100) + "%"}
				if err := core.Handle(ctx, ev); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "replies/s")
		})
	}
}

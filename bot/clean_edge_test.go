package bot_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/chanhlo/planbot/bot"
	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/storage"
	"github.com/chanhlo/planbot/storage/storagetest"
)

// The same note, with a NUL, control characters, invalid UTF-8 and a
// decomposed letter, is stored clean on both engines (PostgreSQL refuses
// a NUL in text: the report would be lost).
func TestDirtyNoteOnBothEngines(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		clock := storagetest.NewClock(testNow)
		if _, err := db.SavePlan(ctx, testPlan()); err != nil {
			t.Fatal(err)
		}
		tg := &fakeSender{caps: telegramCaps}
		loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
		core, err := bot.New(bot.Deps{Plans: db, Officers: db.OfficerStore(), Progress: db, Audit: db, Updates: db, Outbox: db,
			Senders: map[string]plan.Sender{"telegram": tg}, Clock: clock, Location: loc, Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			t.Fatal(err)
		}
		e := &env{t: t, db: db, core: core, tg: tg, clock: clock, plan: testPlan()}
		e.register("ca", "Nguyễn\x00 Văn Công", "Công an phường", plan.RoleOfficer)
		got := e.say("ca", "1.c 80% đã\x00 gửi\x07 văn bản \xff vi\u0065\u0323\u0302c")
		wantContains(t, got, "Đã ghi nhận <b>1.c</b> — 80%")
		rs := e.latest("Công an phường")
		if note := rs["1.c"].Note; note != "đã gửi văn bản việc" {
			t.Errorf("stored note %q", note)
		}
	})
}

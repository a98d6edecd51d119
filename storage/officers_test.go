package storage_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/storage"
	"github.com/chanhlo/planbot/storage/storagetest"
)

var t0 = storagetest.Epoch

func newInvite(t *testing.T, s plan.OfficerStore, code, unit string, role plan.Role, ttl time.Duration) {
	t.Helper()
	inv := &plan.Invite{Code: code, OrgID: plan.DefaultOrg, Unit: unit, Role: role, CreatedAt: t0, ExpiresAt: t0.Add(ttl)}
	if err := s.CreateInvite(context.Background(), inv); err != nil {
		t.Fatalf("CreateInvite(%s): %v", code, err)
	}
}

func person(user string) *plan.Officer {
	return &plan.Officer{Name: "Người " + user, UserID: user, Address: plan.Address{Transport: "telegram", ChatID: user}}
}

func TestRedeemInvite(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		s := db.OfficerStore()
		newInvite(t, s, "code-a", "Công an phường", plan.RoleOfficer, time.Hour)
		newInvite(t, s, "code-b", "Công an phường", plan.RoleOfficer, time.Hour)
		newInvite(t, s, "code-d", "Công an phường", plan.RoleDeputy, time.Hour)
		newInvite(t, s, "old", "Công an phường", plan.RoleOfficer, time.Minute)

		if err := s.CreateInvite(ctx, &plan.Invite{Code: "code-a", Role: plan.RoleOfficer, ExpiresAt: t0}); plan.ErrorCode(err) != plan.EConflict {
			t.Errorf("duplicate code: err = %v, want EConflict", err)
		}

		a := person("100")
		replaced, err := s.RedeemInvite(ctx, "code-a", a, t0)
		if err != nil || replaced != nil {
			t.Fatalf("redeem code-a = %v, %v", replaced, err)
		}
		if a.ID == 0 || a.Unit != "Công an phường" || a.Role != plan.RoleOfficer || !a.Active {
			t.Fatalf("officer after redeem = %+v", a)
		}
		got, err := s.OfficerByUser(ctx, "telegram", "100")
		if err != nil || got.ID != a.ID || got.Name != "Người 100" || got.Address.ChatID != "100" {
			t.Fatalf("OfficerByUser = %+v, %v", got, err)
		}

		// Used, unknown and expired codes.
		for _, tc := range []struct {
			code string
			at   time.Time
			want string
		}{
			{"code-a", t0, plan.EConflict},
			{"nope", t0, plan.ENotFound},
			{"old", t0.Add(2 * time.Minute), plan.EInvalid},
		} {
			if _, err := s.RedeemInvite(ctx, tc.code, person("999"), tc.at); plan.ErrorCode(err) != tc.want {
				t.Errorf("redeem %s: err = %v, want %s", tc.code, err, tc.want)
			}
		}

		// The deputy does not replace the officer.
		d := person("200")
		if replaced, err := s.RedeemInvite(ctx, "code-d", d, t0); err != nil || replaced != nil {
			t.Fatalf("redeem deputy = %v, %v", replaced, err)
		}
		// A new officer replaces the old one, who is returned.
		b := person("300")
		replaced, err = s.RedeemInvite(ctx, "code-b", b, t0.Add(time.Second))
		if err != nil || replaced == nil || replaced.ID != a.ID || replaced.Active {
			t.Fatalf("redeem code-b replaced = %+v, %v; want officer %d, inactive", replaced, err, a.ID)
		}
		if _, err := s.OfficerByUser(ctx, "telegram", "100"); plan.ErrorCode(err) != plan.ENotFound {
			t.Errorf("replaced officer still active: %v", err)
		}
		old, err := s.OfficerByID(ctx, a.ID)
		if err != nil || old.Active {
			t.Errorf("OfficerByID(replaced) = %+v, %v", old, err)
		}
		all, err := s.Officers(ctx, plan.DefaultOrg)
		if err != nil || len(all) != 2 {
			t.Fatalf("Officers = %+v, %v; want 2 active", all, err)
		}
		inv, err := s.Invite(ctx, "code-b")
		if err != nil || inv.UsedAt == nil || inv.UsedBy != b.ID {
			t.Errorf("invite after use = %+v, %v", inv, err)
		}
	})
}

func TestRedeemInviteRace(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		s := db.OfficerStore()
		const n = 6
		for round := 0; round < 3; round++ {
			code := fmt.Sprintf("race-%d", round)
			newInvite(t, s, code, "Trạm y tế phường", plan.RoleOfficer, time.Hour)
			var wg sync.WaitGroup
			errs := make([]error, n)
			for i := 0; i < n; i++ {
				wg.Add(1)
				go func(i int) {
					defer wg.Done()
					_, errs[i] = s.RedeemInvite(ctx, code, person(fmt.Sprintf("r%d-%d", round, i)), t0)
				}(i)
			}
			wg.Wait()
			wins := 0
			for _, err := range errs {
				switch {
				case err == nil:
					wins++
				case plan.ErrorCode(err) != plan.EConflict:
					t.Errorf("round %d: loser error = %v, want EConflict", round, err)
				}
			}
			if wins != 1 {
				t.Fatalf("round %d: %d redemptions won, want exactly 1 (errors %v)", round, wins, errs)
			}
		}
		all, err := s.Officers(ctx, plan.DefaultOrg)
		if err != nil || len(all) != 1 {
			t.Fatalf("active officers = %d, %v; want 1", len(all), err)
		}
	})
}

func TestUnreachableAndMove(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		s := db.OfficerStore()
		newInvite(t, s, "c", "Đoàn phường", plan.RoleOfficer, time.Hour)
		o := person("-100")
		if _, err := s.RedeemInvite(ctx, "c", o, t0); err != nil {
			t.Fatal(err)
		}
		since := t0.Add(time.Hour)
		for i, want := range []bool{true, false} {
			changed, err := s.SetUnreachable(ctx, o.ID, &since)
			if err != nil || changed != want {
				t.Fatalf("mark #%d: changed = %v, %v; want %v", i, changed, err, want)
			}
		}
		got, _ := s.OfficerByID(ctx, o.ID)
		if got.Reachable() || !got.UnreachableSince.Equal(since) {
			t.Errorf("unreachable since = %v, want %v", got.UnreachableSince, since)
		}
		for i, want := range []bool{true, false} {
			changed, err := s.SetUnreachable(ctx, o.ID, nil)
			if err != nil || changed != want {
				t.Fatalf("clear #%d: changed = %v, %v; want %v", i, changed, err, want)
			}
		}
		to := plan.Address{Transport: "telegram", ChatID: "-100200"}
		if err := s.MoveAddress(ctx, o.Address, to); err != nil {
			t.Fatal(err)
		}
		got, _ = s.OfficerByID(ctx, o.ID)
		if got.Address != to {
			t.Errorf("address after move = %+v, want %+v", got.Address, to)
		}
	})
}

func TestProgressStore(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		apr, may := plan.Month(2023, 4), plan.Month(2023, 5)
		add := func(code, unit string, per plan.Period, f plan.Figure, at time.Time) plan.Progress {
			t.Helper()
			p := plan.Progress{PlanID: 1, TaskCode: code, Unit: unit, Period: per, Figure: f, ReportedBy: 7, ReportedAt: at}
			if err := db.AddProgress(ctx, &p); err != nil {
				t.Fatal(err)
			}
			if p.ID == 0 {
				t.Fatal("AddProgress did not set the id")
			}
			return p
		}
		add("1.c", "Công an phường", apr, plan.Figure{Kind: plan.ProgressPercent, Percent: 70}, t0)
		second := add("1.c", "Công an phường", apr, plan.Figure{Kind: plan.ProgressPercent, Percent: 80, Note: "đã gửi"}, t0.Add(time.Minute))
		add("1.c", "Công an phường", may, plan.Figure{Kind: plan.ProgressDone, Percent: 100}, t0.Add(2*time.Minute))
		add("2.e", "Tư pháp - Hộ tịch", apr, plan.Figure{Kind: plan.ProgressCount, Done: 1200, Total: 1500, Percent: 80, CountUnit: "hồ sơ"}, t0)

		all, err := db.ListProgress(ctx, plan.ProgressFilter{OrgID: plan.DefaultOrg})
		if err != nil || len(all) != 4 {
			t.Fatalf("all = %d, %v; want 4 (history kept)", len(all), err)
		}
		latest, err := db.ListProgress(ctx, plan.ProgressFilter{TaskCode: "1.c", Periods: []string{"2023-04"}, LatestOnly: true})
		if err != nil || len(latest) != 1 {
			t.Fatalf("latest = %+v, %v", latest, err)
		}
		if l := latest[0]; l.ID != second.ID || l.Percent != 80 || l.Note != "đã gửi" || l.Period != apr || !l.ReportedAt.Equal(t0.Add(time.Minute)) {
			t.Errorf("latest = %+v, want the second report", l)
		}
		counts, err := db.ListProgress(ctx, plan.ProgressFilter{Unit: "Tư pháp - Hộ tịch"})
		if err != nil || len(counts) != 1 || counts[0].Done != 1200 || counts[0].Total != 1500 || counts[0].CountUnit != "hồ sơ" {
			t.Errorf("count report = %+v, %v", counts, err)
		}
		if err := db.SetConfirm(ctx, second.ID, plan.ConfirmAccepted, "ok", 9, t0.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		got, _ := db.ListProgress(ctx, plan.ProgressFilter{TaskCode: "1.c", Periods: []string{"2023-04"}, LatestOnly: true})
		if got[0].Confirm != plan.ConfirmAccepted || got[0].ConfirmedBy != 9 || got[0].ConfirmedAt == nil {
			t.Errorf("after confirm = %+v", got[0])
		}
		if err := db.SetConfirm(ctx, 99999, plan.ConfirmAccepted, "", 9, t0); plan.ErrorCode(err) != plan.ENotFound {
			t.Errorf("confirm missing: %v", err)
		}
	})
}

func TestUpdatesAndAudit(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		for i, tc := range []struct {
			transport, id string
			want          bool
		}{
			{"telegram", "1", true}, {"telegram", "1", false}, {"zalo", "1", true}, {"telegram", "2", true},
		} {
			got, err := db.FirstSeen(ctx, tc.transport, tc.id, t0.Add(time.Duration(i)*time.Hour))
			if err != nil || got != tc.want {
				t.Errorf("FirstSeen(%s, %s) = %v, %v; want %v", tc.transport, tc.id, got, err, tc.want)
			}
		}
		n, err := db.PruneUpdates(ctx, t0.Add(90*time.Minute))
		if err != nil || n != 1 {
			t.Errorf("PruneUpdates = %d, %v; want 1", n, err)
		}
		if err := db.Audit(ctx, plan.AuditEntry{ActorID: 3, Action: "progress.report", Detail: "1.c 80%", At: t0}); err != nil {
			t.Fatal(err)
		}
		es, err := db.AuditEntries(ctx, plan.DefaultOrg, t0)
		if err != nil || len(es) != 1 || es[0].ActorID != 3 || es[0].Action != "progress.report" || !es[0].At.Equal(t0) {
			t.Errorf("audit entries = %+v, %v", es, err)
		}
	})
}

// Invite codes are kept only as their hash; the code still redeems.
func TestInviteCodesStoredHashed(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		os := db.OfficerStore()
		now := storagetest.Epoch
		inv := &plan.Invite{Code: "Kx8-secret-code-123", OrgID: plan.DefaultOrg, Role: plan.RoleSecretariat, ExpiresAt: now.Add(time.Hour)}
		if err := os.CreateInvite(ctx, inv); err != nil {
			t.Fatal(err)
		}
		var stored []string
		if err := storage.GormOf(db).Table("invites").Pluck("code", &stored).Error; err != nil {
			t.Fatal(err)
		}
		if len(stored) != 1 || strings.Contains(stored[0], inv.Code) || !strings.HasPrefix(stored[0], "sha256:") {
			t.Fatalf("stored codes %q", stored)
		}
		if got, err := os.Invite(ctx, inv.Code); err != nil || got.Code != inv.Code || got.Role != plan.RoleSecretariat {
			t.Fatalf("Invite = %+v, %v", got, err)
		}
		o := &plan.Officer{Name: "Thư ký", UserID: "9", Address: plan.Address{Transport: "telegram", ChatID: "9"}}
		if _, err := os.RedeemInvite(ctx, inv.Code, o, now); err != nil {
			t.Fatalf("redeem: %v", err)
		}
		if _, err := os.RedeemInvite(ctx, stored[0], o, now); plan.ErrorCode(err) != plan.ENotFound {
			t.Errorf("the stored hash redeemed as a code: %v", err)
		}
	})
}

// Officers reads every field as OfficerByID does: an officer marked
// unreachable, and one without, come back the same from both.
func TestOfficersReadEveryField(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		s := db.OfficerStore()
		newInvite(t, s, "a", "Đoàn phường", plan.RoleOfficer, time.Hour)
		newInvite(t, s, "b", "Công an phường", plan.RoleOfficer, time.Hour)
		a, b := person("201"), person("202")
		for code, o := range map[string]*plan.Officer{"a": a, "b": b} {
			if _, err := s.RedeemInvite(ctx, code, o, t0); err != nil {
				t.Fatal(err)
			}
		}
		since := t0.Add(90 * time.Minute)
		if _, err := s.SetUnreachable(ctx, a.ID, &since); err != nil {
			t.Fatal(err)
		}
		all, err := s.Officers(ctx, plan.DefaultOrg)
		if err != nil || len(all) != 2 {
			t.Fatalf("Officers = %+v, %v; want 2", all, err)
		}
		// Ordered by unit: Công an phường before Đoàn phường.
		for i, id := range []int64{b.ID, a.ID} {
			want, err := s.OfficerByID(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(all[i], *want) {
				t.Errorf("Officers()[%d] = %+v, OfficerByID = %+v", i, all[i], *want)
			}
		}
		if all[1].Reachable() || !all[1].UnreachableSince.Equal(since) {
			t.Errorf("unreachable since = %v, want %v", all[1].UnreachableSince, since)
		}
	})
}

// Someone who moves to another ward with its code, on the same
// messenger, leaves the old ward: its reminders and summaries stop, and a
// bot shared by both wards has one ward to take them to. On another
// messenger (a ward's own bot) the two registrations stand side by side.
func TestRedeemInviteMovesWard(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		s := db.OfficerStore()
		b, err := db.AddOrganisation(ctx, "UBND phường Nghĩa Lộ")
		if err != nil {
			t.Fatal(err)
		}
		invite := func(code string, org int64, unit string) {
			t.Helper()
			inv := &plan.Invite{Code: code, OrgID: org, Unit: unit, Role: plan.RoleOfficer, CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}
			if err := s.CreateInvite(ctx, inv); err != nil {
				t.Fatal(err)
			}
		}
		invite("in-a", plan.DefaultOrg, "Công an phường")
		invite("in-b", b, "Công an phường")
		invite("in-b-own", b, "Trạm y tế")
		if _, err := s.RedeemInvite(ctx, "in-a", person("7"), t0); err != nil {
			t.Fatal(err)
		}
		moved := person("7")
		if _, err := s.RedeemInvite(ctx, "in-b", moved, t0.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		inA, err := s.Officers(ctx, plan.DefaultOrg)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range inA {
			if o.UserID == "7" && o.Active {
				t.Errorf("ward 1 still has the person who moved: %+v", o)
			}
		}
		if o, err := s.OfficerByUser(ctx, "telegram", "7"); err != nil || o.OrgID != b {
			t.Errorf("the person is %+v, %v; want ward %d's", o, err, b)
		}
		// Ward b's own bot: a second registration, the first stays.
		own := person("7")
		own.Address.Transport = "telegram/nghia-lo"
		if _, err := s.RedeemInvite(ctx, "in-b-own", own, t0.Add(2*time.Minute)); err != nil {
			t.Fatal(err)
		}
		if o, err := s.OfficerByUser(ctx, "telegram", "7"); err != nil || o.OrgID != b || !o.Active {
			t.Errorf("after a registration on another bot the first is %+v, %v; want it kept", o, err)
		}
	})
}

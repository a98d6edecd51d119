package storage_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

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

// createOrg stores o or fails the test.
func createOrg(t *testing.T, db *storage.DB, o plan.Organisation) plan.Organisation {
	t.Helper()
	if err := db.CreateOrganisation(context.Background(), &o); err != nil {
		t.Fatalf("CreateOrganisation(%+v): %v", o, err)
	}
	return o
}

// Organisations are stored with their short names and overrides, listed
// by id and found by id or short name; organisation 1, made before
// short names, has none and keeps the configuration's values.
func TestOrganisations(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		quota := int64(2000)
		a := createOrg(t, db, plan.Organisation{Name: " UBND phường Quảng Phú ", Short: "quang-phu", Overrides: plan.OrgOverrides{
			OrgName: "UBND phường Quảng Phú", Signer: "Trần Văn B", StandingUnit: "Công an phường", ZaloMonthlyQuota: &quota}})
		b := createOrg(t, db, plan.Organisation{Name: "UBND xã Nghĩa Hà"})
		if a.ID <= plan.DefaultOrg || b.ID <= a.ID || a.Name != "UBND phường Quảng Phú" || !a.CreatedAt.Equal(storagetest.Epoch) {
			t.Errorf("created %+v and %+v", a, b)
		}

		all, err := db.Organisations(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 3 || all[0].ID != plan.DefaultOrg || all[1].ID != a.ID || all[2].ID != b.ID {
			t.Fatalf("Organisations = %+v", all)
		}
		if one := all[0]; one.Short != "" || one.Overrides.OrgName != "" || one.Overrides.Signer != "" || one.Overrides.ZaloMonthlyQuota != nil {
			t.Errorf("organisation 1 = %+v, want no short name and no overrides", one)
		}
		got := all[1]
		if got.Short != "quang-phu" || got.Overrides.Signer != "Trần Văn B" || got.Overrides.StandingUnit != "Công an phường" ||
			got.Overrides.OrgName != "UBND phường Quảng Phú" || got.Overrides.ZaloMonthlyQuota == nil || *got.Overrides.ZaloMonthlyQuota != 2000 {
			t.Errorf("read back %+v", got)
		}
		if all[2].Short != "" || all[2].Overrides.ZaloMonthlyQuota != nil {
			t.Errorf("organisation without short name or quota = %+v", all[2])
		}

		for _, tc := range []struct {
			name   string
			find   func() (*plan.Organisation, error)
			wantID int64
			code   string
		}{
			{"by id", func() (*plan.Organisation, error) { return db.Organisation(ctx, a.ID) }, a.ID, ""},
			{"by id 1", func() (*plan.Organisation, error) { return db.Organisation(ctx, plan.DefaultOrg) }, plan.DefaultOrg, ""},
			{"by short", func() (*plan.Organisation, error) { return db.OrganisationByShort(ctx, "quang-phu") }, a.ID, ""},
			{"by short, any case", func() (*plan.Organisation, error) { return db.OrganisationByShort(ctx, " Quang-Phu ") }, a.ID, ""},
			{"unknown id", func() (*plan.Organisation, error) { return db.Organisation(ctx, 99) }, 0, plan.ENotFound},
			{"unknown short", func() (*plan.Organisation, error) { return db.OrganisationByShort(ctx, "chanh-lo") }, 0, plan.ENotFound},
			{"empty short", func() (*plan.Organisation, error) { return db.OrganisationByShort(ctx, "") }, 0, plan.ENotFound},
		} {
			t.Run(tc.name, func(t *testing.T) {
				o, err := tc.find()
				if tc.code != "" {
					if plan.ErrorCode(err) != tc.code || plan.ErrorMessage(err) == "" {
						t.Errorf("got %+v, %v; want a %s *plan.Error", o, err, tc.code)
					}
					return
				}
				if err != nil || o.ID != tc.wantID {
					t.Errorf("got %+v, %v; want id %d", o, err, tc.wantID)
				}
			})
		}
	})
}

// Bad input is refused with a Vietnamese message the CLI shows as is,
// and nothing is stored.
func TestCreateOrganisationRefuses(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		createOrg(t, db, plan.Organisation{Name: "UBND phường Chánh Lộ", Short: "chanh-lo"})
		negative := int64(-1)
		for _, tc := range []struct {
			name string
			o    plan.Organisation
			code string
			says string
		}{
			{"no name", plan.Organisation{Name: " ", Short: "a"}, plan.EInvalid, "Cần tên phường"},
			{"short taken", plan.Organisation{Name: "Khác", Short: "chanh-lo"}, plan.EConflict, "UBND phường Chánh Lộ"},
			{"capitals", plan.Organisation{Name: "X", Short: "Chanh-Lo"}, plan.EInvalid, "chữ thường không dấu"},
			{"diacritics", plan.Organisation{Name: "X", Short: "chánh-lộ"}, plan.EInvalid, "chữ thường không dấu"},
			{"digits only", plan.Organisation{Name: "X", Short: "7"}, plan.EInvalid, "chữ số"},
			{"negative quota", plan.Organisation{Name: "X", Overrides: plan.OrgOverrides{ZaloMonthlyQuota: &negative}}, plan.EInvalid, "không được âm"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				err := db.CreateOrganisation(ctx, &tc.o)
				if plan.ErrorCode(err) != tc.code || !strings.Contains(plan.ErrorMessage(err), tc.says) {
					t.Errorf("err = %v; want %s saying %q", err, tc.code, tc.says)
				}
			})
		}
		if all, err := db.Organisations(ctx); err != nil || len(all) != 2 {
			t.Errorf("after refusals: %d organisations, %v; want 2", len(all), err)
		}
	})
}

// Signing one ward out of the web pages leaves the other's sessions.
func TestRevokeOrgSessions(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		other := createOrg(t, db, plan.Organisation{Name: "UBND phường Quảng Phú", Short: "quang-phu"})
		s := db.OfficerStore()
		ids := map[int64]int64{}
		for _, org := range []int64{plan.DefaultOrg, other.ID} {
			code := fmt.Sprintf("code-%d", org)
			if err := s.CreateInvite(ctx, &plan.Invite{Code: code, OrgID: org, Role: plan.RoleSecretariat, CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}); err != nil {
				t.Fatal(err)
			}
			o := person(fmt.Sprintf("u%d", org))
			if _, err := s.RedeemInvite(ctx, code, o, t0); err != nil {
				t.Fatal(err)
			}
			ids[org] = o.ID
			if err := db.CreateSession(ctx, fmt.Sprintf("s%d", org), o.ID, "c", t0, t0.Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
		}
		if n, err := db.RevokeOrgSessions(ctx, plan.DefaultOrg, t0); err != nil || n != 1 {
			t.Fatalf("RevokeOrgSessions = %d, %v; want 1", n, err)
		}
		if _, _, err := db.Session(ctx, fmt.Sprintf("s%d", plan.DefaultOrg), t0.Add(time.Minute)); plan.ErrorCode(err) != plan.ENotFound {
			t.Errorf("ward 1's session still open: %v", err)
		}
		if id, _, err := db.Session(ctx, fmt.Sprintf("s%d", other.ID), t0.Add(time.Minute)); err != nil || id != ids[other.ID] {
			t.Errorf("the other ward's session = %d, %v; want it open", id, err)
		}
	})
}

// An organisation's name, short name and overrides can be changed, and
// cleared, under the same checks as when it was created.
func TestUpdateOrganisation(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		quota := int64(100)
		other := createOrg(t, db, plan.Organisation{Name: "UBND phường Quảng Phú", Short: "quang-phu",
			Overrides: plan.OrgOverrides{Signer: "Trần Văn B", ZaloMonthlyQuota: &quota}})

		one := plan.Organisation{ID: plan.DefaultOrg, Name: "UBND phường Chánh Lộ", Short: "chanh-lo",
			Overrides: plan.OrgOverrides{Signer: "Nguyễn Văn A"}}
		if err := db.UpdateOrganisation(ctx, &one); err != nil {
			t.Fatal(err)
		}
		got, err := db.OrganisationByShort(ctx, "chanh-lo")
		if err != nil || got.ID != plan.DefaultOrg || got.Name != "UBND phường Chánh Lộ" || got.Overrides.Signer != "Nguyễn Văn A" {
			t.Fatalf("after update: %+v, %v", got, err)
		}
		// Clearing: the short name (back to NULL, so the index admits
		// others without one) and every override.
		other.Short, other.Overrides = "", plan.OrgOverrides{}
		if err := db.UpdateOrganisation(ctx, &other); err != nil {
			t.Fatal(err)
		}
		got, err = db.Organisation(ctx, other.ID)
		if err != nil || got.Short != "" || got.Overrides != (plan.OrgOverrides{}) || !got.CreatedAt.Equal(storagetest.Epoch) {
			t.Errorf("after clearing: %+v, %v", got, err)
		}
		// Keeping one's own short name is no conflict; taking another's is.
		if err := db.UpdateOrganisation(ctx, &one); err != nil {
			t.Errorf("same short name again: %v", err)
		}
		for _, tc := range []struct {
			name string
			o    plan.Organisation
			code string
		}{
			{"taken", plan.Organisation{ID: other.ID, Name: "X", Short: "chanh-lo"}, plan.EConflict},
			{"invalid", plan.Organisation{ID: other.ID, Name: "X", Short: "X Y"}, plan.EInvalid},
			{"no name", plan.Organisation{ID: other.ID}, plan.EInvalid},
			{"unknown", plan.Organisation{ID: 99, Name: "X"}, plan.ENotFound},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if err := db.UpdateOrganisation(ctx, &tc.o); plan.ErrorCode(err) != tc.code || plan.ErrorMessage(err) == "" {
					t.Errorf("err = %v, want a %s *plan.Error", err, tc.code)
				}
			})
		}
	})
}

// The province is an organisation of its own kind; every other, and
// every one made before kinds, is a ward.
func TestOrganisationKind(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		prov := &plan.Organisation{Name: "Công an tỉnh Quảng Ngãi", Short: "tinh", Kind: plan.OrgProvince}
		if err := db.CreateOrganisation(ctx, prov); err != nil {
			t.Fatal(err)
		}
		if _, err := db.AddOrganisation(ctx, "UBND phường Quảng Phú"); err != nil {
			t.Fatal(err)
		}
		orgs, err := db.Organisations(ctx)
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[string]plan.OrgKind{}
		for _, o := range orgs {
			kinds[o.Name] = o.Kind
		}
		if len(orgs) != 3 || kinds["Công an tỉnh Quảng Ngãi"] != plan.OrgProvince || kinds["UBND phường Quảng Phú"] != plan.OrgWard {
			t.Errorf("kinds = %v, want the province and two wards", kinds)
		}
		for _, o := range orgs {
			if o.ID == plan.DefaultOrg && o.Kind != plan.OrgWard {
				t.Errorf("organisation 1 is %q, want a ward", o.Kind)
			}
		}
		if err := db.CreateOrganisation(ctx, &plan.Organisation{Name: "X", Kind: "city"}); err == nil {
			t.Error("an unknown kind was stored")
		}
	})
}

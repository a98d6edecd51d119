package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chanhlo/planbot/configs"
	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/storage"
)

// wardBPlan is ward B's plan: one task of a unit ward A's plan does not
// have, so that a leak of B into A's output shows by name.
const wardBPlan = `Số: 12/KH-UBND

Quảng Phú, ngày 05 tháng 4 năm 2023

KẾ HOẠCH

**Y tế số phường Quảng Phú năm 2023**

II. CÁC NHIỆM VỤ CỤ THỂ VÀ PHÂN CÔNG TRÁCH NHIỆM

1. Hồ sơ sức khỏe

a) Lập hồ sơ sức khỏe điện tử cho người dân trên địa bàn.

- *Đơn vị chủ trì:* Ban Chỉ huy Quân sự phường.

- *Thời gian hoàn thành:* Trong tháng 6/2023.
`

const (
	unitA = "Công an phường"             // in the sample plan (ward A) only
	unitB = "Ban Chỉ huy Quân sự phường" // in ward B's plan only
)

// mustCLI runs a command line that must succeed and returns its stdout.
func mustCLI(t *testing.T, args ...string) string {
	t.Helper()
	code, out, errOut := runCLI(t, nil, args...)
	if code != 0 {
		t.Fatalf("planbot %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errOut)
	}
	return out
}

// twoWards is a database holding two wards: A, organisation 1 (made by
// the first migration, no short name), with the sample plan, and B,
// "quang-phu", with wardBPlan and its own signer; each has an invite, two
// API tokens (one named alike in both) and a registered secretariat
// officer signed in to the web pages.
type twoWards struct {
	db                 string
	a, b               int64 // organisation ids
	planA, planB       int64
	tokenB             int64 // the id of B's token "rieng-b"
	officerA, officerB int64
}

// newTwoWards builds twoWards through the CLI, as a province's operator
// would, then registers the officers directly in the store (registration
// happens in the chat).
func newTwoWards(t *testing.T) *twoWards {
	t.Helper()
	w := &twoWards{db: filepath.Join(t.TempDir(), "planbot.db"), a: plan.DefaultOrg}
	planB := filepath.Join(t.TempDir(), "ke-hoach-quang-phu.txt")
	if err := os.WriteFile(planB, []byte(wardBPlan), 0o600); err != nil {
		t.Fatal(err)
	}
	// One ward: no --org needed, as before wards existed.
	mustCLI(t, "--db", w.db, "plan", "import", writeSample(t), "--save")
	out := mustCLI(t, "--db", w.db, "org", "add", "--name", "UBND phường Quảng Phú", "--short", "quang-phu", "--signer", "Trần Văn Bình")
	if !strings.Contains(out, "quang-phu") {
		t.Fatalf("org add printed:\n%s", out)
	}
	mustCLI(t, "--db", w.db, "--org", "quang-phu", "plan", "import", planB, "--save")
	for _, ward := range []string{"1", "quang-phu"} {
		mustCLI(t, "--db", w.db, "--org", ward, "token", "create", "--name", "chung")
	}
	mustCLI(t, "--db", w.db, "--org", "1", "token", "create", "--name", "rieng-a")
	mustCLI(t, "--db", w.db, "--org", "quang-phu", "token", "create", "--name", "rieng-b")
	mustCLI(t, "--db", w.db, "--org", "1", "invite", "--unit", "cong an")
	mustCLI(t, "--db", w.db, "--org", "quang-phu", "invite", "--unit", "quan su")

	ctx := context.Background()
	db, err := storage.Open(ctx, w.db)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	b, err := db.OrganisationByShort(ctx, "quang-phu")
	if err != nil {
		t.Fatal(err)
	}
	w.b = b.ID
	for org, dst := range map[int64]*int64{w.a: &w.planA, w.b: &w.planB} {
		ps, err := db.Plans(ctx, org)
		if err != nil || len(ps) != 1 {
			t.Fatalf("plans of organisation %d: %d, %v; want the one imported", org, len(ps), err)
		}
		*dst = ps[0].ID
	}
	toks, err := db.ListAPITokens(ctx, w.b)
	if err != nil {
		t.Fatal(err)
	}
	for _, tok := range toks {
		if tok.Name == "rieng-b" {
			w.tokenB = tok.ID
		}
	}
	now := time.Now()
	officers := db.OfficerStore()
	for org, dst := range map[int64]*int64{w.a: &w.officerA, w.b: &w.officerB} {
		code := fmt.Sprintf("org-test-%d", org)
		if err := officers.CreateInvite(ctx, &plan.Invite{Code: code, OrgID: org, Role: plan.RoleSecretariat,
			CreatedAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		o := &plan.Officer{Name: fmt.Sprintf("Thư ký %d", org), UserID: fmt.Sprint(100 + org),
			Address: plan.Address{Transport: "telegram", ChatID: fmt.Sprint(100 + org)}}
		if _, err := officers.RedeemInvite(ctx, code, o, now); err != nil {
			t.Fatal(err)
		}
		*dst = o.ID
		if err := db.CreateSession(ctx, fmt.Sprintf("session-%d", org), o.ID, "csrf", now, now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

// open opens the fixture's database for checks the CLI cannot make.
func (w *twoWards) open(t *testing.T) *storage.DB {
	t.Helper()
	db, err := storage.Open(context.Background(), w.db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// sessionOpen reports whether the web session of org's officer is still
// valid.
func (w *twoWards) sessionOpen(t *testing.T, org int64) bool {
	t.Helper()
	_, _, err := w.open(t).Session(context.Background(), fmt.Sprintf("session-%d", org), time.Now())
	if err != nil && plan.ErrorCode(err) != plan.ENotFound {
		t.Fatal(err)
	}
	return err == nil
}

// Every command that reads, run for one ward, shows that ward's plans,
// units and tokens and nothing of the other's.
func TestWardsReadIsolation(t *testing.T) {
	w := newTwoWards(t)
	wards := []struct {
		org            string
		own, other     []string
		signer, absent string
	}{
		{"1", []string{"Triển khai thực hiện Quyết định", unitA, "rieng-a"}, []string{"Y tế số", unitB, "rieng-b"}, "(Họ và tên người ký)", "Trần Văn Bình"},
		{"quang-phu", []string{"Y tế số", unitB, "rieng-b"}, []string{"Triển khai thực hiện Quyết định", unitA, "rieng-a"}, "Trần Văn Bình", "(Họ và tên người ký)"},
	}
	commands := []struct {
		name string
		args []string
		// shows are the indexes of own/other that this command prints.
		shows []int
	}{
		{"plan list", []string{"plan", "list", "--json"}, []int{0}},
		{"plan list text", []string{"plan", "list"}, []int{}},
		{"token list", []string{"token", "list", "--json"}, []int{2}},
		{"schedule preview", []string{"schedule", "preview", "--from", "2023-06-01", "--to", "2023-06-30", "--json"}, []int{1}},
		{"summary", []string{"summary", "--period", "2023-06", "--json"}, []int{1}},
		{"report", []string{"report", "--period", "2023-06", "--text"}, []int{1}},
	}
	for _, ward := range wards {
		for _, c := range commands {
			t.Run(ward.org+"/"+c.name, func(t *testing.T) {
				out := mustCLI(t, append([]string{"--db", w.db, "--org", ward.org}, c.args...)...)
				for _, i := range c.shows {
					if !strings.Contains(out, ward.own[i]) {
						t.Errorf("output lacks the ward's own %q:\n%s", ward.own[i], out)
					}
				}
				for _, leak := range ward.other {
					if strings.Contains(out, leak) {
						t.Errorf("output shows the other ward's %q:\n%s", leak, out)
					}
				}
			})
		}
		// The report is signed by the ward's own signer, else the
		// configuration's (none: a placeholder).
		t.Run(ward.org+"/signer", func(t *testing.T) {
			out := mustCLI(t, "--db", w.db, "--org", ward.org, "report", "--period", "2023-06", "--text")
			if !strings.Contains(out, ward.signer) || strings.Contains(out, ward.absent) {
				t.Errorf("report of %s: want signer %q, not %q:\n%s", ward.org, ward.signer, ward.absent, out)
			}
		})
	}

	// What the CLI cannot list: units and invites stay in their ward.
	ctx := context.Background()
	db := w.open(t)
	for org, want := range map[int64]string{w.a: unitA, w.b: unitB} {
		units, err := db.Units(ctx, org)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, u := range units {
			names = append(names, u.Name)
		}
		if other := map[string]string{unitA: unitB, unitB: unitA}[want]; !strings.Contains(strings.Join(names, "|"), want) ||
			strings.Contains(strings.Join(names, "|"), other) {
			t.Errorf("units of organisation %d = %v; want %q and not %q", org, names, want, other)
		}
		invites, err := db.OfficerStore().UnusedInvites(ctx, org, time.Now(), time.Now().Add(30*24*time.Hour)) // by expiry
		if err != nil {
			t.Fatal(err)
		}
		if len(invites) != 1 || invites[0].Unit != want {
			t.Errorf("unused invites of organisation %d = %+v; want one for %s", org, invites, want)
		}
	}
}

// Commands that write, run for ward A, cannot touch ward B's rows: they
// fail saying so, and B's rows are as they were.
func TestWardsWriteIsolation(t *testing.T) {
	w := newTwoWards(t)
	for _, tc := range []struct {
		name string
		args []string
		says string
	}{
		{"revoke B's token by id", []string{"token", "revoke", strconv.FormatInt(w.tokenB, 10)}, "Không có mã truy cập"},
		{"revoke B's token by name", []string{"token", "revoke", "rieng-b"}, "Không có mã truy cập"},
		{"archive B's plan by id", []string{"plan", "archive", strconv.FormatInt(w.planB, 10)}, "Không có kế hoạch"},
		{"archive B's plan by number", []string{"plan", "archive", "12/KH-UBND"}, "Không có kế hoạch"},
		{"invite to B's unit", []string{"invite", "--unit", "quan su"}, "quan su"},
		{"sign out B's officer", []string{"web", "signout", "--officer", strconv.FormatInt(w.officerB, 10)}, "không có cán bộ mã"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, nil, append([]string{"--db", w.db, "--org", "1"}, tc.args...)...)
			if code != 1 || !strings.Contains(errOut, tc.says) {
				t.Errorf("exit %d, want 1 saying %q\n%s%s", code, tc.says, out, errOut)
			}
		})
	}
	// The same token name in A is A's own: revoking it leaves B's "chung".
	mustCLI(t, "--db", w.db, "--org", "1", "token", "revoke", "chung")
	// Signing everyone of A out leaves B signed in.
	mustCLI(t, "--db", w.db, "--org", "1", "web", "signout", "--all")

	ctx := context.Background()
	db := w.open(t)
	toks, err := db.ListAPITokens(ctx, w.b)
	if err != nil {
		t.Fatal(err)
	}
	for _, tok := range toks {
		if tok.RevokedAt != nil {
			t.Errorf("ward B's token %q was revoked from ward A", tok.Name)
		}
	}
	p, err := db.PlanByID(ctx, w.planB)
	if err != nil || !p.Active() {
		t.Errorf("ward B's plan: %+v, %v; want it running", p, err)
	}
	if w.sessionOpen(t, w.a) {
		t.Error("ward A's session survived web signout --all")
	}
	if !w.sessionOpen(t, w.b) {
		t.Error("ward B's session was ended from ward A")
	}
	// From its own ward, B's officer is signed out by id.
	mustCLI(t, "--db", w.db, "--org", "quang-phu", "web", "signout", "--officer", strconv.FormatInt(w.officerB, 10))
	if w.sessionOpen(t, w.b) {
		t.Error("ward B's session survived its own signout")
	}
}

// --org picks the ward; without it the only ward is used, and several
// wards need it. The errors list the wards there are.
func TestOrgResolution(t *testing.T) {
	one := filepath.Join(t.TempDir(), "planbot.db")
	mustCLI(t, "--db", one, "plan", "import", writeSample(t), "--save")
	two := newTwoWards(t).db
	for _, tc := range []struct {
		name string
		args []string
		code int
		says []string
	}{
		{"one ward, no --org", []string{"--db", one, "plan", "list"}, 0, nil},
		{"one ward, its id", []string{"--db", one, "--org", "1", "plan", "list"}, 0, nil},
		{"one ward, unknown id", []string{"--db", one, "--org", "2", "plan", "list"}, 1, []string{`không có phường "2"`, "1 (UBND phường)"}},
		{"two wards, no --org", []string{"--db", two, "plan", "list"}, 1, []string{"chọn phường bằng --org", "1 (UBND phường)", "quang-phu (UBND phường Quảng Phú)"}},
		{"two wards, write without --org", []string{"--db", two, "token", "create", "--name", "x"}, 1, []string{"chọn phường bằng --org"}},
		{"two wards, unknown short", []string{"--db", two, "--org", "chanh-lo", "plan", "list"}, 1, []string{`không có phường "chanh-lo"`, "quang-phu (UBND phường Quảng Phú)"}},
		{"two wards, by short", []string{"--db", two, "--org", "quang-phu", "plan", "list"}, 0, []string{"12/KH-UBND"}},
		{"two wards, by short in capitals", []string{"--db", two, "--org", "Quang-Phu", "plan", "list"}, 0, []string{"12/KH-UBND"}},
		{"two wards, --org= after the command", []string{"--db", two, "plan", "list", "--org=2"}, 0, []string{"12/KH-UBND"}},
		{"two wards, org list needs no --org", []string{"--db", two, "org", "list"}, 0, []string{"quang-phu", "Trần Văn Bình"}},
		{"--org without a value", []string{"--db", two, "plan", "list", "--org"}, 2, []string{"--org"}},
		// serve runs every ward, or the one --org names: without --org it
		// goes on to look for the bots.
		{"two wards, serve without --org", []string{"--db", two, "serve"}, 1, []string{"chưa có mã bot"}},
		{"two wards, serve --org unknown", []string{"--db", two, "--org", "khong-co", "serve"}, 1, []string{"khong-co"}},
		{"two wards, serve --org", []string{"--db", two, "--org", "quang-phu", "serve"}, 1, []string{"chưa có mã bot"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, nil, tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d\n%s%s", code, tc.code, out, errOut)
			}
			for _, s := range tc.says {
				if !strings.Contains(out+errOut, s) {
					t.Errorf("output lacks %q:\n%s%s", s, out, errOut)
				}
			}
		})
	}
}

func TestOrgAdd(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "planbot.db")
	mustCLI(t, "--db", dbPath, "org", "add", "--name", "UBND phường Chánh Lộ", "--zalo-quota", "2000", "--standing", "cong an")
	for _, tc := range []struct {
		name string
		args []string
		code int
		says string
	}{
		{"no name", []string{"org", "add", "--short", "x"}, 2, "cần --name"},
		{"extra argument", []string{"org", "add", "--name", "X", "thừa"}, 2, "thừa"},
		{"bad short", []string{"org", "add", "--name", "X", "--short", "Chánh Lộ"}, 1, "chữ thường không dấu"},
		{"short of digits", []string{"org", "add", "--name", "X", "--short", "15"}, 1, "chữ số"},
		{"derived short taken", []string{"org", "add", "--name", "UBND xã Chánh Lộ"}, 1, `"chanh-lo" đã dùng cho UBND phường Chánh Lộ`},
		{"bad quota", []string{"org", "add", "--name", "X", "--zalo-quota", "nhiều"}, 2, "hạn mức Zalo"},
		{"negative quota", []string{"org", "add", "--name", "X", "--zalo-quota", "-5"}, 2, "hạn mức Zalo"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, nil, append([]string{"--db", dbPath}, tc.args...)...)
			if code != tc.code || !strings.Contains(errOut, tc.says) {
				t.Errorf("exit %d, want %d saying %q\n%s%s", code, tc.code, tc.says, out, errOut)
			}
		})
	}
	var list []orgJSON
	if err := json.Unmarshal([]byte(mustCLI(t, "--db", dbPath, "org", "list", "--json")), &list); err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[1].Short != "chanh-lo" || list[1].OrgName != "UBND phường Chánh Lộ" || list[1].StandingUnit != "cong an" ||
		list[1].ZaloMonthlyQuota == nil || *list[1].ZaloMonthlyQuota != 2000 || list[0].Short != "" || list[0].OrgName != "" {
		t.Errorf("org list --json = %+v", list)
	}
}

// A ward's overrides win over the configuration file's values; a ward
// without them keeps the file's.
func TestWardConfig(t *testing.T) {
	cfg := configs.Default()
	cfg.OrgName, cfg.Report.Signer, cfg.Standing.Unit, cfg.Zalo.MonthlyQuota = "Tệp", "Người ký tệp", "Văn phòng phường", 500
	zero := int64(0)
	got := wardConfig(cfg, &plan.Organisation{Overrides: plan.OrgOverrides{OrgName: "UBND phường Quảng Phú", Signer: "Trần Văn Bình",
		StandingUnit: "Công an phường", ZaloMonthlyQuota: &zero}})
	if got.OrgName != "UBND phường Quảng Phú" || got.Report.Signer != "Trần Văn Bình" || got.Standing.Unit != "Công an phường" || got.Zalo.MonthlyQuota != 0 {
		t.Errorf("with overrides: %q %q %q %d", got.OrgName, got.Report.Signer, got.Standing.Unit, got.Zalo.MonthlyQuota)
	}
	// Another ward than the file's issues its báo cáo in its own name.
	if want := []string{"ỦY BAN NHÂN DÂN", "PHƯỜNG QUẢNG PHÚ"}; !slices.Equal(got.Report.Issuer, want) ||
		got.Report.IssuerName != "UBND phường Quảng Phú" || got.Report.Place != "Quảng Phú" {
		t.Errorf("letterhead %q %q %q, want %q, the ward's name and Quảng Phú", got.Report.Issuer, got.Report.IssuerName, got.Report.Place, want)
	}
	got = wardConfig(cfg, &plan.Organisation{})
	if got.OrgName != "Tệp" || got.Report.Signer != "Người ký tệp" || got.Standing.Unit != "Văn phòng phường" || got.Zalo.MonthlyQuota != 500 {
		t.Errorf("without overrides: %q %q %q %d", got.OrgName, got.Report.Signer, got.Standing.Unit, got.Zalo.MonthlyQuota)
	}
	if !slices.Equal(got.Report.Issuer, cfg.Report.Issuer) || got.Report.Place != cfg.Report.Place {
		t.Errorf("without overrides the letterhead changed: %q %q", got.Report.Issuer, got.Report.Place)
	}
	// The file's own ward, named as the file names it, keeps the file's
	// letterhead (its issuer lines may be written otherwise).
	same := wardConfig(cfg, &plan.Organisation{Overrides: plan.OrgOverrides{OrgName: "Tệp"}})
	if !slices.Equal(same.Report.Issuer, cfg.Report.Issuer) {
		t.Errorf("the file's ward's letterhead changed: %q", same.Report.Issuer)
	}
}

func TestIssuerOf(t *testing.T) {
	for _, tc := range []struct {
		name  string
		lines []string
		place string
	}{
		{"UBND phường Quảng Phú", []string{"ỦY BAN NHÂN DÂN", "PHƯỜNG QUẢNG PHÚ"}, "Quảng Phú"},
		{"Ủy ban nhân dân xã Nghĩa Hà", []string{"ỦY BAN NHÂN DÂN", "XÃ NGHĨA HÀ"}, "Nghĩa Hà"},
		{"UBND thị trấn Châu Ổ", []string{"ỦY BAN NHÂN DÂN", "THỊ TRẤN CHÂU Ổ"}, "Châu Ổ"},
		{"Phường 1", []string{"PHƯỜNG 1"}, "Phường 1"},
	} {
		lines, name, place := issuerOf(tc.name)
		if !slices.Equal(lines, tc.lines) || name != tc.name || place != tc.place {
			t.Errorf("issuerOf(%q) = %q, %q, %q; want %q, the name, %q", tc.name, lines, name, place, tc.lines, tc.place)
		}
	}
}

func TestDeriveShort(t *testing.T) {
	for _, tc := range []struct{ name, want string }{
		{"UBND phường Chánh Lộ", "chanh-lo"},
		{"Ủy ban nhân dân xã Nghĩa Hà", "nghia-ha"},
		{"UBND thị trấn Châu Ổ", "chau-o"},
		{"Phường Trương Quang Trọng", "truong-quang-trong"},
		{"Phường 1", "phuong-1"},
		{"Đức Phổ", "duc-pho"},
		{"UBND", "ubnd"},
		{"—", ""},
	} {
		if got := deriveShort(tc.name); got != tc.want {
			t.Errorf("deriveShort(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}

// Ward 1, made by the first migration without a short name, is given
// its real name, short name and signer; an empty value clears an
// override.
func TestOrgSet(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "planbot.db")
	mustCLI(t, "--db", dbPath, "plan", "import", writeSample(t), "--save")
	mustCLI(t, "--db", dbPath, "org", "add", "--name", "UBND phường Quảng Phú")
	out := mustCLI(t, "--db", dbPath, "--org", "1", "org", "set", "--name", "UBND phường Chánh Lộ", "--short", "chanh-lo",
		"--signer", "Nguyễn Văn An", "--zalo-quota", "1500")
	if !strings.Contains(out, "--org chanh-lo") || !strings.Contains(out, "Nguyễn Văn An") {
		t.Errorf("org set printed:\n%s", out)
	}
	if out := mustCLI(t, "--db", dbPath, "--org", "chanh-lo", "report", "--period", "2023-06", "--text"); !strings.Contains(out, "Nguyễn Văn An") {
		t.Errorf("the report is not signed by the ward's signer:\n%s", out)
	}
	mustCLI(t, "--db", dbPath, "--org", "chanh-lo", "org", "set", "--signer", "", "--zalo-quota", "")
	var list []orgJSON
	if err := json.Unmarshal([]byte(mustCLI(t, "--db", dbPath, "org", "list", "--json")), &list); err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].Short != "chanh-lo" || list[0].Name != "UBND phường Chánh Lộ" || list[0].OrgName != "UBND phường Chánh Lộ" ||
		list[0].Signer != "" || list[0].ZaloMonthlyQuota != nil || list[1].Short != "quang-phu" {
		t.Errorf("org list --json = %+v", list)
	}
	for _, tc := range []struct {
		name string
		args []string
		code int
		says string
	}{
		{"nothing to change", []string{"--org", "1", "org", "set"}, 2, "cần ít nhất một thay đổi"},
		{"which ward", []string{"org", "set", "--signer", "X"}, 1, "chọn phường bằng --org"},
		{"another's short name", []string{"--org", "quang-phu", "org", "set", "--short", "chanh-lo"}, 1, "đã dùng cho UBND phường Chánh Lộ"},
		{"empty name", []string{"--org", "1", "org", "set", "--name", " "}, 2, "không được để trống"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, nil, append([]string{"--db", dbPath}, tc.args...)...)
			if code != tc.code || !strings.Contains(errOut, tc.says) {
				t.Errorf("exit %d, want %d saying %q\n%s%s", code, tc.code, tc.says, out, errOut)
			}
		})
	}
}

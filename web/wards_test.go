package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/storage"
	"github.com/chanhlo/planbot/storage/storagetest"
	"github.com/chanhlo/planbot/summary"
	"github.com/chanhlo/planbot/web"
)

// Two wards share one database and one server. Their plans share task
// codes and a unit name ("Công an phường"), so that only the ward's own
// words tell them apart: every plan number, title, unit, note and
// announcement of a ward carries its marker, and a page or an answer of
// one ward that holds the other's marker is a leak.

// sharedWard is one ward of the shared server.
type sharedWard struct {
	org       int64
	name      string // the organisation's name, shown in the header
	marker    string // a word in everything the ward stores
	number    string // its plan's number
	plan      *plan.Plan
	sec, unit *plan.Officer // its secretariat and an officer of Công an phường
	token     string        // an API token of the ward
}

// sharedServer is the server of both wards, with what its Actions and
// Documents were asked.
type sharedServer struct {
	db      *storage.DB
	h       http.Handler
	auth    *web.Auth
	dash    *web.Dashboard
	api     *web.API
	a, b    *sharedWard
	actions *recordedActions
}

// recordedActions stands in for the chat's actions and records each call.
type recordedActions struct {
	mu    sync.Mutex
	calls []string // "org:plan:code"
}

func (r *recordedActions) record(o *plan.Officer, planID int64, code string) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, fmt.Sprintf("%d:%d:%s", o.OrgID, planID, code))
	return "Đã ghi nhận.", nil
}

func (r *recordedActions) Confirm(_ context.Context, o *plan.Officer, planID int64, code string) (string, error) {
	return r.record(o, planID, code)
}

func (r *recordedActions) Return(_ context.Context, o *plan.Officer, planID int64, code, _ string) (string, error) {
	return r.record(o, planID, code)
}

func (r *recordedActions) SetDeadline(_ context.Context, o *plan.Officer, planID int64, code, _ string) (string, error) {
	return r.record(o, planID, code)
}

func (r *recordedActions) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.calls
	r.calls = nil
	return out
}

func wardPlan(org int64, number, marker string) *plan.Plan {
	return &plan.Plan{
		OrgID: org, Number: number, Year: 2023, Date: plan.NewDate(2023, 3, 20),
		Title:    "Kế hoạch Đề án 06 phường " + marker,
		Sections: []plan.Section{{Number: "1", Title: "Nhiệm vụ chung"}},
		Units:    []string{"Công an phường", "Tổ dân phố " + marker},
		Tasks: []plan.Task{
			{Code: "1.a", Section: "1", Title: "Làm sạch dữ liệu dân cư phường " + marker, Lead: []string{"Công an phường"},
				Deadline: plan.Deadline{Kind: plan.DeadlineOpen, Text: "Chưa có hạn"}},
			{Code: "1.b", Section: "1", Title: "Tuyên truyền VNeID ở tổ dân phố " + marker, Lead: []string{"Tổ dân phố " + marker},
				Deadline: plan.Deadline{Kind: plan.DeadlineDate, Due: plan.NewDate(2023, 6, 30), Text: "Quý II/2023"}},
		},
	}
}

// enrolIn registers an officer in ward org through an invite, as the
// chat does.
func enrolIn(t *testing.T, db *storage.DB, org int64, chat, name, unit string, role plan.Role) *plan.Officer {
	t.Helper()
	ctx := context.Background()
	code := "enrol-" + chat
	if err := db.OfficerStore().CreateInvite(ctx, &plan.Invite{Code: code, OrgID: org, Unit: unit, Role: role,
		CreatedAt: apiNow, ExpiresAt: apiNow.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	o := &plan.Officer{OrgID: org, Name: name, Unit: unit, Role: role, UserID: chat,
		Address: plan.Address{Transport: "telegram", ChatID: chat}, Active: true}
	if _, err := db.OfficerStore().RedeemInvite(ctx, code, o, apiNow); err != nil {
		t.Fatal(err)
	}
	return o
}

// seedWard stores a ward's plan, officers, reports, announcement and API
// token.
func seedWard(t *testing.T, db *storage.DB, w *sharedWard, chat0 int) {
	t.Helper()
	ctx := context.Background()
	w.plan = wardPlan(w.org, w.number, w.marker)
	if _, err := db.SavePlan(ctx, w.plan); err != nil {
		t.Fatal(err)
	}
	w.sec = enrolIn(t, db, w.org, fmt.Sprint(chat0), "Thư ký "+w.marker, "", plan.RoleSecretariat)
	w.unit = enrolIn(t, db, w.org, fmt.Sprint(chat0+1), "Công an "+w.marker, "Công an phường", plan.RoleOfficer)
	at := time.Date(2023, 5, 18, 9, 0, 0, 0, hcm)
	for _, r := range []plan.Progress{
		{TaskCode: "1.a", Unit: "Công an phường", Period: plan.Month(2023, 5), ReportedBy: w.unit.ID, ReportedAt: at,
			Figure: plan.Figure{Kind: plan.ProgressDone, Percent: 100, Note: "xong ở " + w.marker}, Confirm: plan.ConfirmPending},
		{TaskCode: "1.b", Unit: "Tổ dân phố " + w.marker, Period: plan.Month(2023, 5), ReportedAt: at,
			Figure: plan.Figure{Kind: plan.ProgressInProgress, Note: "đã phát tờ rơi ở " + w.marker}},
	} {
		r.OrgID, r.PlanID = w.org, w.plan.ID
		if err := db.AddProgress(ctx, &r); err != nil {
			t.Fatal(err)
		}
	}
	b := &plan.Broadcast{OrgID: w.org, Text: "Họp giao ban phường " + w.marker, CreatedAt: apiNow.Add(-time.Hour)}
	if err := db.CreateBroadcast(ctx, b, []plan.BroadcastRecipient{{OfficerID: w.unit.ID, Name: w.unit.Name, Unit: w.unit.Unit}}, nil); err != nil {
		t.Fatal(err)
	}
	secret, hash, err := plan.NewAPIToken()
	if err != nil {
		t.Fatal(err)
	}
	if err := db.CreateAPIToken(ctx, &plan.APIToken{OrgID: w.org, Name: "dashboard", Role: plan.APIReader, Hash: hash}); err != nil {
		t.Fatal(err)
	}
	w.token = secret
}

func newSharedServer(t *testing.T) *sharedServer {
	t.Helper()
	ctx := context.Background()
	clock := storagetest.NewClock(apiNow)
	db := storagetest.Open(t, storage.WithClock(clock))
	a := &sharedWard{org: plan.DefaultOrg, name: "UBND phường An Khánh", marker: "An Khánh", number: "11/KH-UBND"}
	one := &plan.Organisation{ID: plan.DefaultOrg, Name: a.name, Short: "an-khanh"}
	if err := db.UpdateOrganisation(ctx, one); err != nil {
		t.Fatal(err)
	}
	b := &sharedWard{name: "UBND phường Bình Minh", marker: "Bình Minh", number: "22/KH-UBND"}
	two := &plan.Organisation{Name: b.name, Short: "binh-minh"}
	if err := db.CreateOrganisation(ctx, two); err != nil {
		t.Fatal(err)
	}
	b.org = two.ID
	seedWard(t, db, a, 100)
	seedWard(t, db, b, 200)

	log := slog.New(slog.DiscardHandler)
	// One Source for the whole server, set to ward A as cmd/planbot sets
	// it today: the pages must not take its OrgID for the viewer's.
	source := &summary.Source{Plans: db, Progress: db, Loc: hcm, Officers: db.OfficerStore(), OrgID: a.org}
	s := &sharedServer{db: db, a: a, b: b, actions: &recordedActions{}}
	s.auth = &web.Auth{Store: db, Officers: db.OfficerStore(), PublicURL: "http://planbot.test", Clock: clock, Log: log}
	s.dash = &web.Dashboard{
		Auth: s.auth, Source: source, Officers: db.OfficerStore(), Broadcasts: db, Actions: s.actions,
		Documents: func(ctx context.Context, sum *summary.Summary) ([]plan.Document, error) {
			p, err := db.PlanByID(ctx, sum.PlanID)
			if err != nil {
				return nil, err
			}
			return []plan.Document{{Name: "tong-hop.xlsx", MIME: "application/octet-stream", Data: []byte(p.Number + " " + p.Title + " " + sum.Name)}}, nil
		},
		Org: "UBND phường (mặc định)",
		OrgName: func(ctx context.Context, id int64) string {
			o, err := db.Organisation(ctx, id)
			if err != nil {
				return ""
			}
			return o.Name
		},
		Clock: clock, Log: log,
	}
	s.api = &web.API{Tokens: db, Plans: db, Progress: db, Officers: db.OfficerStore(), Broadcasts: db, Summaries: source,
		Loc: hcm, Clock: clock, Log: log}
	srv := web.NewServer(log)
	s.auth.Mount(srv)
	s.dash.Mount(srv)
	s.api.Mount(srv)
	s.h = srv.Handler()
	return s
}

// browser is a signed-in officer: the session cookie and the CSRF token.
type browser struct {
	cookie *http.Cookie
	csrf   string
}

var csrfRe = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// signIn spends a sign-in link made for o, as a browser does.
func (s *sharedServer) signIn(t *testing.T, o *plan.Officer) *browser {
	t.Helper()
	link, _, err := s.auth.SignInLink(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodPost, "/dang-nhap", strings.NewReader(url.Values{"t": {u.Query().Get("t")}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	s.h.ServeHTTP(rec, req)
	if rec.Code != http.StatusSeeOther || len(rec.Result().Cookies()) == 0 {
		t.Fatalf("sign in %s: %d", o.Name, rec.Code)
	}
	b := &browser{cookie: rec.Result().Cookies()[0]}
	// Every page carries the session's CSRF token in the sign-out form;
	// the officer of a unit opens the unit's.
	home := "/thong-bao"
	if !o.Role.SeesAll() {
		home = "/don-vi?ten=" + url.QueryEscape(o.Unit)
	}
	_, body := s.page(t, b, http.MethodGet, home, nil)
	m := csrfRe.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no CSRF token for %s", o.Name)
	}
	b.csrf = m[1]
	return b
}

// page requests a page as b (a POST with the form and b's CSRF token).
func (s *sharedServer) page(t *testing.T, b *browser, method, path string, form url.Values) (int, string) {
	t.Helper()
	var req *http.Request
	if method == http.MethodPost {
		f := url.Values{"csrf": {b.csrf}}
		for k, v := range form {
			f[k] = v
		}
		req = httptest.NewRequest(method, path, strings.NewReader(f.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		req = httptest.NewRequest(method, path, nil)
	}
	req.AddCookie(b.cookie)
	rec := httptest.NewRecorder()
	s.h.ServeHTTP(rec, req)
	body, _ := io.ReadAll(rec.Result().Body)
	return rec.Code, string(body)
}

// wardRequest is a request of a viewer of ward self, which may name
// ward other's plan.
type wardRequest struct {
	method string
	path   string
	form   url.Values
}

// pageCase is what one route is tried with: a request for the viewer's
// own ward's data, and, for routes that take a plan, task or unit, one
// naming the other ward's (nil when the route takes none).
type pageCase struct {
	own   func(self *sharedWard) wardRequest
	other func(self, other *sharedWard) wardRequest
}

func planQuery(p *plan.Plan) string { return itoa(p.ID) }

var pageCases = map[string]pageCase{
	"GET /{$}": {own: func(*sharedWard) wardRequest { return wardRequest{"GET", "/", nil} }},
	"GET /nhiem-vu": {
		own: func(s *sharedWard) wardRequest {
			return wardRequest{"GET", "/nhiem-vu?ke-hoach=" + planQuery(s.plan) + "&ma=1.a", nil}
		},
		other: func(_, o *sharedWard) wardRequest {
			return wardRequest{"GET", "/nhiem-vu?ke-hoach=" + planQuery(o.plan) + "&ma=1.a", nil}
		},
	},
	"GET /don-vi": {
		// The unit both wards have: the page must add up the viewer's only.
		own: func(*sharedWard) wardRequest {
			return wardRequest{"GET", "/don-vi?ten=" + url.QueryEscape("Công an phường"), nil}
		},
		other: func(_, o *sharedWard) wardRequest {
			return wardRequest{"GET", "/don-vi?ten=" + url.QueryEscape("Tổ dân phố "+o.marker), nil}
		},
	},
	"GET /thong-bao": {own: func(*sharedWard) wardRequest { return wardRequest{"GET", "/thong-bao", nil} }},
	"GET /tong-hop": {
		own: func(*sharedWard) wardRequest { return wardRequest{"GET", "/tong-hop?ky=2023-05", nil} },
		other: func(_, o *sharedWard) wardRequest {
			return wardRequest{"GET", "/tong-hop?ky=2023-05&ke-hoach=" + planQuery(o.plan), nil}
		},
	},
	"GET /tong-hop/tep": {
		own: func(*sharedWard) wardRequest { return wardRequest{"GET", "/tong-hop/tep?ky=2023-05&loai=xlsx", nil} },
		other: func(_, o *sharedWard) wardRequest {
			return wardRequest{"GET", "/tong-hop/tep?ky=2023-05&loai=xlsx&ke-hoach=" + planQuery(o.plan), nil}
		},
	},
	"POST /nhiem-vu/xac-nhan": actCase("/nhiem-vu/xac-nhan", nil),
	"POST /nhiem-vu/tra-lai":  actCase("/nhiem-vu/tra-lai", url.Values{"ly-do": {"thiếu số liệu"}}),
	"POST /nhiem-vu/dat-han":  actCase("/nhiem-vu/dat-han", url.Values{"han": {"30/9/2023"}}),
}

// actCase posts an action on task 1.a of the viewer's plan, or of the
// other ward's.
func actCase(path string, extra url.Values) pageCase {
	form := func(p *plan.Plan) url.Values {
		f := url.Values{"ke-hoach": {planQuery(p)}, "ma": {"1.a"}}
		for k, v := range extra {
			f[k] = v
		}
		return f
	}
	return pageCase{
		own:   func(s *sharedWard) wardRequest { return wardRequest{"POST", path, form(s.plan)} },
		other: func(_, o *sharedWard) wardRequest { return wardRequest{"POST", path, form(o.plan)} },
	}
}

// An officer of one ward, signed in to a server shared with another
// ward, sees their own ward's plans, figures and name on every page and
// never the other's; naming the other ward's plan, task or unit is "not
// found", and no action reaches a plan of the other ward.
func TestDashboardWardIsolation(t *testing.T) {
	s := newSharedServer(t)
	everyRouteHasACase(t, s.dash.Routes(), pageCases, "pageCases")
	s.bothWays(t, func(t *testing.T, self, other *sharedWard) {
		sec := s.signIn(t, self.sec)
		officer := s.signIn(t, self.unit)
		for _, pattern := range s.dash.Routes() {
			c := pageCases[pattern]
			if c.own == nil {
				continue
			}
			t.Run(pattern, func(t *testing.T) {
				req := c.own(self)
				code, body := s.page(t, sec, req.method, req.path, req.form)
				if code != http.StatusOK {
					t.Fatalf("%s %s = %d %.300s", req.method, req.path, code, body)
				}
				checkNoLeak(t, req, body, self, other)
				if req.method == http.MethodGet && pattern != "GET /tong-hop/tep" && !strings.Contains(body, self.name) {
					t.Errorf("%s %s: header does not name %q", req.method, req.path, self.name)
				}
				switch {
				case pattern == "GET /{$}" || pattern == "GET /tong-hop/tep":
					if !strings.Contains(body, self.number) {
						t.Errorf("%s %s: no %s", req.method, req.path, self.number)
					}
				case req.method == http.MethodPost:
					want := fmt.Sprintf("%d:%d:1.a", self.org, self.plan.ID)
					if calls := s.actions.take(); len(calls) != 1 || calls[0] != want {
						t.Errorf("%s: actions %v, want [%s]", req.path, calls, want)
					}
				default:
					if !strings.Contains(body, self.marker) {
						t.Errorf("%s %s: nothing of ward %s", req.method, req.path, self.marker)
					}
				}

				// The officer of a unit sees no more than the
				// secretariat: whatever the page answers, nothing of
				// the other ward.
				_, body = s.page(t, officer, req.method, req.path, req.form)
				checkNoLeak(t, req, body, self, other)
				s.actions.take()

				if c.other == nil {
					return
				}
				for who, b := range map[string]*browser{"secretariat": sec, "officer": officer} {
					req := c.other(self, other)
					code, body := s.page(t, b, req.method, req.path, req.form)
					if who == "secretariat" && code != http.StatusNotFound || code == http.StatusOK {
						t.Errorf("%s: %s %s naming ward %s = %d, want 404", who, req.method, req.path, other.marker, code)
					}
					checkNoLeak(t, req, body, self, other)
					if calls := s.actions.take(); len(calls) != 0 {
						t.Errorf("%s: %s %s reached the actions: %v", who, req.method, req.path, calls)
					}
				}
			})
		}
	})
}

// bothWays runs fn as ward A with B the other ward, then as B with A.
func (s *sharedServer) bothWays(t *testing.T, fn func(t *testing.T, self, other *sharedWard)) {
	t.Run("ward A", func(t *testing.T) { fn(t, s.a, s.b) })
	t.Run("ward B", func(t *testing.T) { fn(t, s.b, s.a) })
}

// everyRouteHasACase fails for a route cases has no case for, so that a
// new route's isolation is tested as soon as it is added.
func everyRouteHasACase[C any](t *testing.T, routes []string, cases map[string]C, name string) {
	t.Helper()
	for _, pattern := range routes {
		if _, ok := cases[pattern]; !ok {
			t.Errorf("route %s has no case in %s: add one, so that its isolation between wards is tested", pattern, name)
		}
	}
}

// checkNoLeak fails when body holds anything of ward other.
func checkNoLeak(t *testing.T, req wardRequest, body string, self, other *sharedWard) {
	t.Helper()
	for _, word := range []string{other.marker, other.number, other.name} {
		if strings.Contains(body, word) {
			t.Errorf("%s %s as ward %s: shows %q of the other ward", req.method, req.path, self.marker, word)
		}
	}
}

// Without OrgName the header names the Org of the configuration, as
// before wards.
func TestDashboardOrgWithoutOrgName(t *testing.T) {
	s := newSharedServer(t)
	s.dash.OrgName = nil
	b := s.signIn(t, s.a.sec)
	if code, body := s.page(t, b, http.MethodGet, "/", nil); code != http.StatusOK || !strings.Contains(body, "UBND phường (mặc định)") {
		t.Errorf("GET / = %d, header without Org", code)
	}
}

// apiCase is an API route tried with the ward's own token, and, for a
// route that takes a plan, naming the other ward's plan.
type apiCase struct {
	own   func(self *sharedWard) string
	other func(other *sharedWard) string
}

var apiCases = map[string]apiCase{
	"GET /api/v1/plans": {own: func(*sharedWard) string { return "/api/v1/plans" }},
	"GET /api/v1/plans/{id}/tasks": {
		own:   func(s *sharedWard) string { return "/api/v1/plans/" + planQuery(s.plan) + "/tasks" },
		other: func(o *sharedWard) string { return "/api/v1/plans/" + planQuery(o.plan) + "/tasks" },
	},
	"GET /api/v1/units": {own: func(*sharedWard) string { return "/api/v1/units" }},
	"GET /api/v1/progress": {
		own: func(*sharedWard) string {
			return "/api/v1/progress?task=1.a&unit=" + url.QueryEscape("Công an phường")
		},
		other: func(o *sharedWard) string { return "/api/v1/progress?plan=" + planQuery(o.plan) },
	},
	"GET /api/v1/summary": {
		own:   func(*sharedWard) string { return "/api/v1/summary?period=2023-05" },
		other: func(o *sharedWard) string { return "/api/v1/summary?period=2023-05&plan=" + planQuery(o.plan) },
	},
	"GET /api/v1/broadcasts": {own: func(*sharedWard) string { return "/api/v1/broadcasts" }},
}

// A token of one ward reads its own ward on every API route and never
// the other's; naming the other ward's plan is 404.
func TestAPIWardIsolation(t *testing.T) {
	s := newSharedServer(t)
	everyRouteHasACase(t, s.api.Routes(), apiCases, "apiCases")
	s.bothWays(t, func(t *testing.T, self, other *sharedWard) {
		for _, pattern := range s.api.Routes() {
			c, ok := apiCases[pattern]
			if !ok {
				continue
			}
			t.Run(pattern, func(t *testing.T) {
				path := c.own(self)
				code, body := s.apiGet(t, path, self.token)
				if code != http.StatusOK {
					t.Fatalf("GET %s = %d %s", path, code, body)
				}
				if !strings.Contains(body, self.marker) {
					t.Errorf("GET %s: nothing of ward %s: %s", path, self.marker, body)
				}
				checkNoLeak(t, wardRequest{"GET", path, nil}, body, self, other)
				if c.other == nil {
					return
				}
				path = c.other(other)
				code, body = s.apiGet(t, path, self.token)
				if code != http.StatusNotFound || !strings.Contains(body, `"not_found"`) {
					t.Errorf("GET %s naming ward %s = %d %s, want 404", path, other.marker, code, body)
				}
				checkNoLeak(t, wardRequest{"GET", path, nil}, body, self, other)
			})
		}
	})
}

func (s *sharedServer) apiGet(t *testing.T, path, token string) (int, string) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	rec := httptest.NewRecorder()
	s.h.ServeHTTP(rec, req)
	body, _ := io.ReadAll(rec.Result().Body)
	return rec.Code, string(body)
}

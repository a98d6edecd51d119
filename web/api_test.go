package web_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/storage"
	"github.com/chanhlo/planbot/storage/storagetest"
	"github.com/chanhlo/planbot/summary"
	"github.com/chanhlo/planbot/web"
)

var hcm = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		panic(err)
	}
	return loc
}()

// apiNow is 9:00 on Monday 22 May 2023 in Vietnam: May is running.
var apiNow = time.Date(2023, 5, 22, 2, 0, 0, 0, time.UTC)

// apiWard is a seeded store behind the API, with its tokens.
type apiWard struct {
	db      *storage.DB
	clock   *storagetest.Clock
	api     *web.API
	h       http.Handler
	source  *summary.Source
	plan    *plan.Plan
	reader  string // a reader token
	office  string // a secretariat token
	revoked string // a revoked token
}

func apiPlan() *plan.Plan {
	return &plan.Plan{
		OrgID: plan.DefaultOrg, Number: "56/KH-UBND", Year: 2023, Date: plan.NewDate(2023, 3, 20),
		Title:    "Kế hoạch triển khai Đề án 06 năm 2023",
		Sections: []plan.Section{{Number: "1", Title: "Nhiệm vụ chung"}, {Number: "2", Title: "Phục vụ giải quyết thủ tục hành chính"}, {Number: "3", Title: "Phát triển công dân số"}},
		Units:    []string{"Công an phường", "Tư pháp - Hộ tịch", "Văn phòng phường"},
		Tasks: []plan.Task{
			{Code: "1.c", Section: "1", Title: "Đăng ký và thực hiện một số nhiệm vụ trong thực hiện Đề án 06 năm 2023",
				Lead: []string{"Công an phường"}, Support: []string{"Văn phòng phường"},
				Deadline: plan.Deadline{Kind: plan.DeadlineDate, Due: plan.NewDate(2023, 4, 28), Text: "Trước ngày 28/4/2023"}},
			{Code: "2.e", Section: "2", Title: "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
				Lead: []string{"Tư pháp - Hộ tịch"}, Support: []string{"Công an phường"},
				Deadline: plan.Deadline{Kind: plan.DeadlineRecurring, Recurrence: plan.RecurOngoing, Text: "Thường xuyên"},
				Targets:  []plan.Target{{Value: 1500, Unit: "hồ sơ", Text: "1.500 hồ sơ"}}},
			{Code: "2.đ", Section: "2", Title: "Rà soát <thủ tục> & dịch vụ công \"trực tuyến\"",
				Lead: []string{"Văn phòng phường"}, Support: []string{"Công an phường"},
				Deadline: plan.Deadline{Kind: plan.DeadlineConditional, Text: "Khi có hướng dẫn của cấp trên"}},
			{Code: "3.a", Section: "3", Title: "Tuyên truyền cài đặt VNeID",
				Lead:     []string{"Tư pháp - Hộ tịch"},
				Deadline: plan.Deadline{Kind: plan.DeadlineDate, Due: plan.NewDate(2023, 6, 30), Text: "Quý II/2023"}},
		},
	}
}

func enrolOfficer(t *testing.T, db *storage.DB, chat, name, unit string, role plan.Role) *plan.Officer {
	t.Helper()
	ctx := context.Background()
	officers := db.OfficerStore()
	code := "enrol-" + chat
	if err := officers.CreateInvite(ctx, &plan.Invite{Code: code, OrgID: plan.DefaultOrg, Unit: unit, Role: role,
		CreatedAt: apiNow, ExpiresAt: apiNow.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	o := &plan.Officer{OrgID: plan.DefaultOrg, Name: name, Unit: unit, Role: role, UserID: chat,
		Address: plan.Address{Transport: "telegram", ChatID: chat}, Active: true}
	if _, err := officers.RedeemInvite(ctx, code, o, apiNow); err != nil {
		t.Fatal(err)
	}
	return o
}

func newAPIWard(t *testing.T) *apiWard {
	t.Helper()
	ctx := context.Background()
	clock := storagetest.NewClock(apiNow)
	db := storagetest.Open(t, storage.WithClock(clock))
	p := apiPlan()
	if _, err := db.SavePlan(ctx, p); err != nil {
		t.Fatal(err)
	}
	police := enrolOfficer(t, db, "3", "Nguyễn Văn Công", "Công an phường", plan.RoleOfficer)
	justice := enrolOfficer(t, db, "4", "Trần Thị Hà", "Tư pháp - Hộ tịch", plan.RoleOfficer)
	enrolOfficer(t, db, "5", "Lê Văn Đoàn", "Tư pháp - Hộ tịch", plan.RoleDeputy)
	enrolOfficer(t, db, "2", "Phạm Thư Ký", "", plan.RoleSecretariat)
	since := apiNow.Add(-time.Hour)
	if _, err := db.OfficerStore().SetUnreachable(ctx, police.ID, &since); err != nil {
		t.Fatal(err)
	}
	at := func(m time.Month, d int) time.Time { return time.Date(2023, m, d, 9, 0, 0, 0, hcm) }
	for _, r := range []plan.Progress{
		{TaskCode: "1.c", Unit: "Công an phường", Period: plan.Month(2023, 4), Figure: plan.Figure{Kind: plan.ProgressPercent, Percent: 80}, ReportedBy: police.ID, ReportedAt: at(4, 20)},
		{TaskCode: "1.c", Unit: "Công an phường", Period: plan.Month(2023, 4), Figure: plan.Figure{Kind: plan.ProgressDone, Percent: 100}, ReportedBy: police.ID, ReportedAt: at(4, 27), Confirm: plan.ConfirmPending},
		{TaskCode: "2.e", Unit: "Tư pháp - Hộ tịch", Period: plan.Month(2023, 4), Figure: plan.Figure{Kind: plan.ProgressCount, Done: 800, Total: 1500, CountUnit: "hồ sơ", Percent: 53.3}, ReportedBy: justice.ID, ReportedAt: at(4, 18)},
		{TaskCode: "2.e", Unit: "Tư pháp - Hộ tịch", Period: plan.Month(2023, 5), Figure: plan.Figure{Kind: plan.ProgressCount, Done: 1200, Total: 1500, CountUnit: "hồ sơ", Percent: 80, Blocker: "thiếu máy scan <A4>"}, ReportedBy: justice.ID, ReportedAt: at(5, 18)},
		{TaskCode: "3.a", Unit: "Tư pháp - Hộ tịch", Period: plan.Month(2023, 5), Figure: plan.Figure{Kind: plan.ProgressInProgress, Note: "đã phát tờ rơi"}, ReportedBy: justice.ID, ReportedAt: at(5, 19)},
	} {
		r.OrgID, r.PlanID = plan.DefaultOrg, p.ID
		if err := db.AddProgress(ctx, &r); err != nil {
			t.Fatal(err)
		}
	}
	b := &plan.Broadcast{OrgID: plan.DefaultOrg, Text: "Họp giao ban Đề án 06 lúc 14h thứ Sáu 26/5/2023", CreatedAt: apiNow.Add(-2 * time.Hour)}
	if err := db.CreateBroadcast(ctx, b, []plan.BroadcastRecipient{
		{OfficerID: police.ID, Name: police.Name, Unit: police.Unit},
		{OfficerID: justice.ID, Name: justice.Name, Unit: justice.Unit},
	}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Acknowledge(ctx, b.ID, justice.ID, apiNow.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}

	w := &apiWard{db: db, clock: clock, plan: p}
	token := func(name string, role plan.APIRole) string {
		secret, hash, err := plan.NewAPIToken()
		if err != nil {
			t.Fatal(err)
		}
		if err := db.CreateAPIToken(ctx, &plan.APIToken{Name: name, Role: role, Hash: hash}); err != nil {
			t.Fatal(err)
		}
		return secret
	}
	w.reader, w.office, w.revoked = token("dashboard", plan.APIReader), token("văn phòng", plan.APISecretariat), token("cũ", plan.APIReader)
	if _, err := db.RevokeAPIToken(ctx, plan.DefaultOrg, "cũ", apiNow); err != nil {
		t.Fatal(err)
	}
	w.source = &summary.Source{Plans: db, Progress: db, Loc: hcm, Officers: db.OfficerStore()}
	w.api = &web.API{Tokens: db, Plans: db, Progress: db, Officers: db.OfficerStore(), Broadcasts: db, Summaries: w.source,
		Loc: hcm, Clock: clock, Log: slog.New(slog.DiscardHandler)}
	srv := web.NewServer(slog.New(slog.DiscardHandler))
	w.api.Mount(srv)
	w.h = srv.Handler()
	return w
}

// call makes a request with the token ("" for none) and returns the
// status and the decoded body.
func (w *apiWard) call(t *testing.T, method, url, token string) (int, map[string]any) {
	t.Helper()
	req := httptest.NewRequest(method, url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	w.h.ServeHTTP(rec, req)
	res := rec.Result()
	raw, _ := io.ReadAll(res.Body)
	if ct := res.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("%s %s: Content-Type %q", method, url, ct)
	}
	if strings.Contains(string(raw), `\u00`) || strings.Contains(string(raw), `\u1e`) {
		t.Errorf("%s %s: escaped Vietnamese: %s", method, url, raw)
	}
	var body map[string]any
	if err := json.Unmarshal(raw, &body); err != nil {
		t.Fatalf("%s %s: not JSON (%v): %s", method, url, err, raw)
	}
	return res.StatusCode, body
}

// get is call with GET and a reader token, expecting 200.
func (w *apiWard) get(t *testing.T, url string) map[string]any {
	t.Helper()
	code, body := w.call(t, http.MethodGet, url, w.reader)
	if code != http.StatusOK {
		t.Fatalf("GET %s = %d %v", url, code, body)
	}
	return body
}

func list(t *testing.T, body map[string]any, key string) []map[string]any {
	t.Helper()
	xs, ok := body[key].([]any)
	if !ok {
		t.Fatalf("%s is not a list: %v", key, body)
	}
	out := make([]map[string]any, len(xs))
	for i, x := range xs {
		out[i] = x.(map[string]any)
	}
	return out
}

func TestAPIPlansAndTasks(t *testing.T) {
	w := newAPIWard(t)
	plans := list(t, w.get(t, "/api/v1/plans"), "plans")
	if len(plans) != 1 {
		t.Fatalf("plans = %v", plans)
	}
	p := plans[0]
	if p["id"] != float64(w.plan.ID) || p["tag"] != "ĐA06" || p["number"] != "56/KH-UBND" || p["year"] != float64(2023) ||
		p["archived"] != false || p["task_count"] != float64(4) || p["date"] != "2023-03-20" || !strings.HasPrefix(p["title"].(string), "Kế hoạch") {
		t.Errorf("plan = %v", p)
	}

	body := w.get(t, "/api/v1/plans/"+itoa(w.plan.ID)+"/tasks")
	tasks := list(t, body, "tasks")
	if len(tasks) != 4 || body["plan"].(map[string]any)["id"] != float64(w.plan.ID) {
		t.Fatalf("tasks = %v", body)
	}
	byCode := map[string]map[string]any{}
	for _, tk := range tasks {
		byCode[tk["code"].(string)] = tk
	}
	c := byCode["1.c"]
	d := c["deadline"].(map[string]any)
	if c["section"] != "1" || !reflect.DeepEqual(c["lead"], []any{"Công an phường"}) || !reflect.DeepEqual(c["execute"], []any{}) ||
		!reflect.DeepEqual(c["support"], []any{"Văn phòng phường"}) || d["kind"] != "date" || d["due"] != "2023-04-28" || d["text"] != "Trước ngày 28/4/2023" {
		t.Errorf("1.c = %v", c)
	}
	if d := byCode["2.đ"]["deadline"].(map[string]any); d["kind"] != "conditional" || d["due"] != nil {
		t.Errorf("2.đ deadline = %v", d)
	}
	if byCode["2.đ"]["title"] != "Rà soát <thủ tục> & dịch vụ công \"trực tuyến\"" {
		t.Errorf("2.đ title = %v", byCode["2.đ"]["title"])
	}
	e := byCode["2.e"]
	if d := e["deadline"].(map[string]any); d["kind"] != "recurring" || d["recurrence"] != "ongoing" || d["due"] != nil {
		t.Errorf("2.e deadline = %v", d)
	}
	if tg := e["targets"].([]any); len(tg) != 1 || tg[0].(map[string]any)["value"] != float64(1500) || tg[0].(map[string]any)["unit"] != "hồ sơ" {
		t.Errorf("2.e targets = %v", e["targets"])
	}

	for url, want := range map[string]int{
		"/api/v1/plans/999/tasks": http.StatusNotFound,
		"/api/v1/plans/abc/tasks": http.StatusBadRequest,
		"/api/v1/nothing":         http.StatusNotFound,
		"/api/v1/plans?x=1":       http.StatusBadRequest,
	} {
		code, body := w.call(t, http.MethodGet, url, w.reader)
		if code != want || body["error"] == nil {
			t.Errorf("GET %s = %d %v, want %d", url, code, body, want)
		}
	}
	if code, body := w.call(t, http.MethodPost, "/api/v1/plans", w.office); code != http.StatusMethodNotAllowed || errorCode(body) != "method_not_allowed" {
		t.Errorf("POST /api/v1/plans = %d %v", code, body)
	}
}

func TestAPIUnits(t *testing.T) {
	w := newAPIWard(t)
	units := list(t, w.get(t, "/api/v1/units"), "units")
	got := map[string]map[string]any{}
	for _, u := range units {
		got[u["name"].(string)] = u
	}
	if len(units) != 3 || units[0]["name"] != "Công an phường" {
		t.Fatalf("units = %v", units)
	}
	for name, want := range map[string][3]any{
		"Công an phường":    {float64(1), float64(0), false}, // blocked the bot
		"Tư pháp - Hộ tịch": {float64(2), float64(2), true},
		"Văn phòng phường":  {float64(0), float64(0), false}, // nobody registered
	} {
		u := got[name]
		if u["officers"] != want[0] || u["reachable_officers"] != want[1] || u["reachable"] != want[2] ||
			!reflect.DeepEqual(u["plan_ids"], []any{float64(w.plan.ID)}) {
			t.Errorf("%s = %v, want %v", name, u, want)
		}
	}
}

func TestAPIProgress(t *testing.T) {
	w := newAPIWard(t)
	all := list(t, w.get(t, "/api/v1/progress"), "progress")
	if len(all) != 5 {
		t.Fatalf("progress = %v", all)
	}
	first := all[0] // oldest first: 2.e in April
	if first["task"] != "2.e" || first["unit"] != "Tư pháp - Hộ tịch" || first["period"] != "2023-04" || first["kind"] != "count" ||
		first["done"] != float64(800) || first["total"] != float64(1500) || first["count_unit"] != "hồ sơ" ||
		first["reported_at"] != "2023-04-18T02:00:00Z" || first["officer"] != "Trần Thị Hà" || first["plan_id"] != float64(w.plan.ID) {
		t.Errorf("first report = %v", first)
	}

	may := list(t, w.get(t, "/api/v1/progress?period=2023-05"), "progress")
	if len(may) != 2 || may[0]["blocker"] != "thiếu máy scan <A4>" || may[1]["note"] != "đã phát tờ rơi" || may[1]["percent"] != nil || may[1]["kind"] != "in_progress" {
		t.Errorf("May = %v", may)
	}
	q2 := list(t, w.get(t, "/api/v1/progress?period=Q2/2023&unit=T%C6%B0%20ph%C3%A1p%20-%20H%E1%BB%99%20t%E1%BB%8Bch"), "progress")
	if len(q2) != 3 {
		t.Errorf("Q2, Tư pháp = %v", q2)
	}
	c := list(t, w.get(t, "/api/v1/progress?plan="+itoa(w.plan.ID)+"&task=1.c&latest=true"), "progress")
	if len(c) != 1 || c[0]["kind"] != "done" || c[0]["percent"] != float64(100) || c[0]["confirm"] != "pending" || c[0]["officer"] != "Nguyễn Văn Công" {
		t.Errorf("1.c latest = %v", c)
	}
	if none := list(t, w.get(t, "/api/v1/progress?task=9.z"), "progress"); len(none) != 0 {
		t.Errorf("unknown task = %v", none)
	}

	for url, want := range map[string]int{
		"/api/v1/progress?period=2023-13":  http.StatusBadRequest,
		"/api/v1/progress?period=tháng+tư": http.StatusBadRequest,
		"/api/v1/progress?plan=abc":        http.StatusBadRequest,
		"/api/v1/progress?plan=999":        http.StatusNotFound,
		"/api/v1/progress?latest=maybe":    http.StatusBadRequest,
	} {
		code, body := w.call(t, http.MethodGet, url, w.reader)
		wantCode := map[int]string{400: "invalid", 404: "not_found"}[want]
		if code != want || errorCode(body) != wantCode || errorMessage(body) == "" {
			t.Errorf("GET %s = %d %v, want %d %s", url, code, body, want, wantCode)
		}
	}
}

func TestAPISummary(t *testing.T) {
	w := newAPIWard(t)
	ctx := context.Background()
	for _, tc := range []struct {
		url    string
		period plan.Period
		asOf   plan.Date
	}{
		// May is running on 22/5: judged as of today, as `planbot summary`.
		{"/api/v1/summary?period=2023-05", plan.Month(2023, 5), plan.NewDate(2023, 5, 22)},
		{"/api/v1/summary?period=2023-04&plan=" + itoa(w.plan.ID), plan.Month(2023, 4), plan.Date{}},
		{"/api/v1/summary?period=Q2/2023", plan.Period{Kind: plan.PeriodQuarter, Year: 2023, N: 2}, plan.NewDate(2023, 5, 22)},
		// No period: the last full month.
		{"/api/v1/summary", plan.Month(2023, 4), plan.Date{}},
	} {
		got := w.get(t, tc.url)
		s, err := w.source.SummaryOf(ctx, w.plan, tc.period, tc.asOf)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		var want map[string]any
		if err := json.Unmarshal(raw, &want); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got["totals"], want["totals"]) {
			t.Errorf("%s: totals %v, want %v", tc.url, got["totals"], want["totals"])
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: summary differs from summary.Source's\n got %v\nwant %v", tc.url, got, want)
		}
		if got["period"] != tc.period.String() {
			t.Errorf("%s: period %v", tc.url, got["period"])
		}
	}
	// The totals count something: not two empty maps found equal.
	body := w.get(t, "/api/v1/summary?period=2023-05")
	n := 0.0
	for _, v := range body["totals"].(map[string]any) {
		n += v.(float64)
	}
	if n != 4 {
		t.Errorf("May totals count %v tasks, want 4: %v", n, body["totals"])
	}
	for _, url := range []string{"/api/v1/summary?period=2023-13", "/api/v1/summary?period=abc", "/api/v1/summary?plan=x"} {
		if code, body := w.call(t, http.MethodGet, url, w.reader); code != http.StatusBadRequest || errorCode(body) != "invalid" {
			t.Errorf("GET %s = %d %v", url, code, body)
		}
	}
	if code, body := w.call(t, http.MethodGet, "/api/v1/summary?plan=999", w.reader); code != http.StatusNotFound || errorCode(body) != "not_found" {
		t.Errorf("unknown plan = %d %v", code, body)
	}
}

func TestAPIBroadcasts(t *testing.T) {
	w := newAPIWard(t)
	bs := list(t, w.get(t, "/api/v1/broadcasts"), "broadcasts")
	if len(bs) != 1 {
		t.Fatalf("broadcasts = %v", bs)
	}
	b := bs[0]
	counts := b["counts"].(map[string]any)
	if b["text"] != "Họp giao ban Đề án 06 lúc 14h thứ Sáu 26/5/2023" || b["created_at"] != "2023-05-22T00:00:00Z" ||
		!reflect.DeepEqual(b["units"], []any{}) || counts["recipients"] != float64(2) || counts["acknowledged"] != float64(1) || counts["delivered"] != float64(0) {
		t.Errorf("broadcast = %v", b)
	}
	rs := b["recipients"].([]any)
	ack := rs[1].(map[string]any)
	if len(rs) != 2 || ack["name"] != "Trần Thị Hà" || ack["acknowledged"] != true || ack["acknowledged_at"] != "2023-05-22T01:00:00Z" ||
		ack["delivered"] != false || ack["unreachable_at"] != nil {
		t.Errorf("recipients = %v", rs)
	}
	for _, url := range []string{"/api/v1/broadcasts?limit=0", "/api/v1/broadcasts?limit=x", "/api/v1/broadcasts?limit=101"} {
		if code, body := w.call(t, http.MethodGet, url, w.reader); code != http.StatusBadRequest || errorCode(body) != "invalid" {
			t.Errorf("GET %s = %d %v", url, code, body)
		}
	}
}

// Every route refuses a request without a token, with a wrong one and
// with a revoked one; both roles read every route.
func TestAPIAuth(t *testing.T) {
	w := newAPIWard(t)
	wrong := "pb_" + strings.Repeat("A", 43)
	for _, pattern := range w.api.Routes() {
		url := strings.Replace(strings.TrimPrefix(pattern, "GET "), "{id}", itoa(w.plan.ID), 1)
		for name, tok := range map[string]string{"none": "", "wrong": wrong, "revoked": w.revoked, "not pb": "abc"} {
			code, body := w.call(t, http.MethodGet, url, tok)
			if code != http.StatusUnauthorized || errorCode(body) != "unauthorized" || !strings.Contains(errorMessage(body), "Mã truy cập") && !strings.Contains(errorMessage(body), "mã truy cập") {
				t.Errorf("%s with %s token = %d %v", url, name, code, body)
			}
		}
		for _, tok := range []string{w.reader, w.office} {
			if code, body := w.call(t, http.MethodGet, url, tok); code != http.StatusOK {
				t.Errorf("%s = %d %v", url, code, body)
			}
		}
	}
	// Other schemes and a token in the query are not accepted.
	for _, h := range []string{"Basic " + w.reader, w.reader, "Bearer"} {
		req := httptest.NewRequest(http.MethodGet, "/api/v1/plans?access_token="+w.reader, nil)
		req.Header.Set("Authorization", h)
		rec := httptest.NewRecorder()
		w.h.ServeHTTP(rec, req)
		if rec.Code != http.StatusUnauthorized || !strings.HasPrefix(rec.Header().Get("WWW-Authenticate"), "Bearer") {
			t.Errorf("Authorization %q = %d %v", h, rec.Code, rec.Header())
		}
	}
	// Unknown paths under the prefix also need a token.
	if code, _ := w.call(t, http.MethodGet, "/api/v1/nothing", ""); code != http.StatusUnauthorized {
		t.Errorf("unknown path without a token = %d", code)
	}
}

// The last use is written at most once a minute per token.
func TestAPITokenLastUsed(t *testing.T) {
	w := newAPIWard(t)
	ctx := context.Background()
	lastUsed := func() *time.Time {
		t.Helper()
		tok, err := w.db.APITokenByHash(ctx, plan.HashAPIToken(w.reader))
		if err != nil {
			t.Fatal(err)
		}
		return tok.LastUsedAt
	}
	if lastUsed() != nil {
		t.Fatal("used before any request")
	}
	w.get(t, "/api/v1/plans")
	if u := lastUsed(); u == nil || !u.Equal(apiNow) {
		t.Fatalf("last used %v, want %v", u, apiNow)
	}
	w.clock.Add(30 * time.Second)
	w.get(t, "/api/v1/plans")
	if u := lastUsed(); !u.Equal(apiNow) {
		t.Errorf("last used %v after 30 s, want still %v", u, apiNow)
	}
	w.clock.Add(31 * time.Second)
	w.get(t, "/api/v1/units")
	if u := lastUsed(); !u.Equal(apiNow.Add(61 * time.Second)) {
		t.Errorf("last used %v after 61 s", u)
	}
	// A refused request is not a use.
	office, err := w.db.APITokenByHash(ctx, plan.HashAPIToken(w.office))
	if err != nil || office.LastUsedAt != nil {
		t.Errorf("office token = %+v, %v", office, err)
	}
}

func errorCode(body map[string]any) string {
	e, _ := body["error"].(map[string]any)
	s, _ := e["code"].(string)
	return s
}

func errorMessage(body map[string]any) string {
	e, _ := body["error"].(map[string]any)
	s, _ := e["message"].(string)
	return s
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

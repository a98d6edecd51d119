package web

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/summary"
	"github.com/chanhlo/planbot/texts"
)

// APIPrefix is where the JSON API lives; docs/openapi.yaml describes it.
const APIPrefix = "/api/v1/"

// apiTouchEvery is how often a token's last use is written: at most once
// a minute per token and process.
const apiTouchEvery = time.Minute

// API is the read-only JSON API under /api/v1/, for dashboards and the
// province's reporting tools. Every route only reads (GET) and needs a
// bearer token (plan.APIToken); the token's organisation scopes what it
// sees. A secretariat token reads the same as a reader token: no write
// routes are offered yet.
type API struct {
	Tokens interface {
		APITokenByHash(ctx context.Context, hash string) (*plan.APIToken, error)
		TouchAPIToken(ctx context.Context, id int64, at time.Time) error
	}
	Plans interface {
		Plans(ctx context.Context, orgID int64) ([]plan.Plan, error)
	}
	Progress interface {
		ListProgress(ctx context.Context, f plan.ProgressFilter) ([]plan.Progress, error)
	}
	Officers interface {
		Officers(ctx context.Context, orgID int64) ([]plan.Officer, error)
		OfficerByID(ctx context.Context, id int64) (*plan.Officer, error)
	}
	Broadcasts interface {
		Broadcasts(ctx context.Context, orgID int64, limit int) ([]plan.Broadcast, error)
		Recipients(ctx context.Context, broadcastID int64) ([]plan.BroadcastRecipient, error)
	}
	// Summaries computes summaries as `planbot summary` does
	// (*summary.Source).
	Summaries interface {
		SummaryOf(ctx context.Context, p *plan.Plan, period plan.Period, asOf plan.Date) (*summary.Summary, error)
	}
	// Tags names plans as people type them ("ĐA06", "CĐS"; bot.PlanTags);
	// nil: texts.PlanTag of each.
	Tags func([]plan.Plan) map[int64]string
	// Loc is the ward's zone: the day a running period is judged as of.
	Loc   *time.Location
	Clock plan.Clock
	Log   *slog.Logger

	mu      sync.Mutex
	touched map[int64]time.Time
}

// apiRoute is one route: its pattern, the query parameters it takes and
// its handler.
type apiRoute struct {
	pattern string
	params  []string
	h       func(w http.ResponseWriter, r *http.Request, tok *plan.APIToken) error
}

func (a *API) routes() []apiRoute {
	return []apiRoute{
		{"GET /api/v1/plans", nil, a.getPlans},
		{"GET /api/v1/plans/{id}/tasks", nil, a.getTasks},
		{"GET /api/v1/units", nil, a.getUnits},
		{"GET /api/v1/progress", []string{"plan", "unit", "task", "period", "latest"}, a.getProgress},
		{"GET /api/v1/summary", []string{"period", "plan"}, a.getSummary},
		{"GET /api/v1/broadcasts", []string{"limit"}, a.getBroadcasts},
	}
}

// Routes returns the patterns Mount mounts, besides the catch-all under
// APIPrefix ("GET /api/v1/plans/{id}/tasks").
func (a *API) Routes() []string {
	var out []string
	for _, rt := range a.routes() {
		out = append(out, rt.pattern)
	}
	return out
}

// Mount mounts every route on s (a *Server or an *http.ServeMux), and a
// catch-all that answers JSON for anything else under APIPrefix.
func (a *API) Mount(s interface{ Handle(string, http.Handler) }) {
	for _, rt := range a.routes() {
		s.Handle(rt.pattern, a.authed(rt.params, rt.h))
	}
	s.Handle(APIPrefix, a.authed(nil, a.other))
}

// authed checks the bearer token, then the query parameters, then runs
// h; errors become JSON: a *plan.Error by its code, anything else 500.
func (a *API) authed(params []string, h func(http.ResponseWriter, *http.Request, *plan.APIToken) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		scheme, secret, _ := strings.Cut(strings.TrimSpace(auth), " ")
		secret = strings.TrimSpace(secret)
		if !strings.EqualFold(scheme, "Bearer") || secret == "" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="planbot"`)
			apiError(w, http.StatusUnauthorized, plan.EUnauthorized, texts.APINoToken)
			return
		}
		tok, err := a.Tokens.APITokenByHash(r.Context(), plan.HashAPIToken(secret))
		switch {
		case plan.ErrorCode(err) == plan.ENotFound:
			w.Header().Set("WWW-Authenticate", `Bearer realm="planbot", error="invalid_token"`)
			apiError(w, http.StatusUnauthorized, plan.EUnauthorized, texts.APIBadToken)
			return
		case err != nil:
			a.fail(w, r, err)
			return
		}
		a.touch(r.Context(), tok)
		for name := range r.URL.Query() {
			if !slices.Contains(params, name) {
				apiError(w, http.StatusBadRequest, plan.EInvalid, texts.APIUnknown(name))
				return
			}
		}
		if err := h(w, r, tok); err != nil {
			switch plan.ErrorCode(err) {
			case plan.EInvalid:
				apiError(w, http.StatusBadRequest, plan.EInvalid, plan.ErrorMessage(err))
			case plan.ENotFound:
				apiError(w, http.StatusNotFound, plan.ENotFound, plan.ErrorMessage(err))
			default:
				a.fail(w, r, err)
			}
		}
	})
}

// touch records the token's use, at most once per apiTouchEvery; a
// failure is logged and the request goes on.
func (a *API) touch(ctx context.Context, tok *plan.APIToken) {
	now := a.now()
	a.mu.Lock()
	if a.touched == nil {
		a.touched = map[int64]time.Time{}
	}
	last, ok := a.touched[tok.ID]
	due := !ok || now.Sub(last) >= apiTouchEvery
	if due {
		a.touched[tok.ID] = now
	}
	a.mu.Unlock()
	if !due {
		return
	}
	if err := a.Tokens.TouchAPIToken(ctx, tok.ID, now); err != nil {
		a.log().Warn("api: record token use", "token", tok.Name, "err", err)
	}
}

func (a *API) fail(w http.ResponseWriter, r *http.Request, err error) {
	a.log().Error("api", "method", r.Method, "path", r.URL.Path, "err", err)
	apiError(w, http.StatusInternalServerError, plan.EInternal, texts.APIInternal)
}

// other answers what no route takes: 405 for a route's path with another
// method, 404 for the rest.
func (a *API) other(w http.ResponseWriter, r *http.Request, _ *plan.APIToken) error {
	for _, rt := range a.routes() {
		_, path, _ := strings.Cut(rt.pattern, " ")
		if samePath(path, r.URL.Path) {
			w.Header().Set("Allow", "GET, HEAD")
			apiError(w, http.StatusMethodNotAllowed, "method_not_allowed", texts.APIReadOnly)
			return nil
		}
	}
	apiError(w, http.StatusNotFound, plan.ENotFound, texts.APINotFound)
	return nil
}

// samePath matches a path against a pattern's path with {wildcards}.
func samePath(pattern, path string) bool {
	ps, xs := strings.Split(pattern, "/"), strings.Split(path, "/")
	if len(ps) != len(xs) {
		return false
	}
	for i := range ps {
		if ps[i] != xs[i] && !(strings.HasPrefix(ps[i], "{") && xs[i] != "") {
			return false
		}
	}
	return true
}

// GET /api/v1/plans

type apiPlan struct {
	ID        int64   `json:"id"`
	Tag       string  `json:"tag"`
	Number    string  `json:"number"`
	Date      *string `json:"date"`
	Title     string  `json:"title"`
	Year      int     `json:"year"`
	Archived  bool    `json:"archived"`
	TaskCount int     `json:"task_count"`
	UnitCount int     `json:"unit_count"`
}

func (a *API) getPlans(w http.ResponseWriter, r *http.Request, tok *plan.APIToken) error {
	ps, err := a.Plans.Plans(r.Context(), tok.OrgID)
	if err != nil {
		return err
	}
	tags := a.tags(ps)
	out := make([]apiPlan, 0, len(ps))
	for _, p := range ps {
		out = append(out, a.planJSON(&p, tags))
	}
	return writeAPI(w, http.StatusOK, map[string]any{"plans": out})
}

func (a *API) planJSON(p *plan.Plan, tags map[int64]string) apiPlan {
	return apiPlan{ID: p.ID, Tag: tags[p.ID], Number: p.Number, Date: date(p.Date), Title: p.Title, Year: p.Year,
		Archived: !p.Active(), TaskCount: len(p.Tasks), UnitCount: len(p.Units)}
}

func (a *API) tags(ps []plan.Plan) map[int64]string {
	if a.Tags != nil {
		return a.Tags(ps)
	}
	out := make(map[int64]string, len(ps))
	for i := range ps {
		out[ps[i].ID] = texts.PlanTag(&ps[i])
	}
	return out
}

// GET /api/v1/plans/{id}/tasks

type apiTask struct {
	Code       string        `json:"code"`
	Section    string        `json:"section"`
	Title      string        `json:"title"`
	Lead       []string      `json:"lead"`
	Execute    []string      `json:"execute"`
	Support    []string      `json:"support"`
	SupportAll bool          `json:"support_all"`
	Deadline   apiDeadline   `json:"deadline"`
	Targets    []plan.Target `json:"targets"`
}

type apiDeadline struct {
	Kind       plan.DeadlineKind `json:"kind"`
	Due        *string           `json:"due"`
	Start      *string           `json:"start"`
	Expected   *string           `json:"expected"`
	Recurrence *string           `json:"recurrence"`
	Text       string            `json:"text"`
	// SetOn is the day the secretariat set it with /sethan; null when it
	// comes from the document.
	SetOn *string `json:"set_on"`
}

func (a *API) getTasks(w http.ResponseWriter, r *http.Request, tok *plan.APIToken) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return plan.Errorf(plan.EInvalid, "%s", texts.APIBadPlanPath)
	}
	ps, p, err := a.planByID(r.Context(), tok.OrgID, id)
	if err != nil {
		return err
	}
	out := make([]apiTask, 0, len(p.Tasks))
	for _, t := range p.Tasks {
		d := t.Deadline
		at := apiTask{Code: t.Code, Section: t.Section, Title: t.Title, Lead: strs(t.Lead), Execute: strs(t.Execute), Support: strs(t.Support),
			SupportAll: t.SupportAll, Targets: t.Targets,
			Deadline: apiDeadline{Kind: d.Kind, Due: date(d.Due), Start: date(d.Start), Expected: date(d.Expected), Text: d.Text, SetOn: date(t.DeadlineSetOn)}}
		if d.Recurrence != "" {
			rec := string(d.Recurrence)
			at.Deadline.Recurrence = &rec
		}
		if at.Targets == nil {
			at.Targets = []plan.Target{}
		}
		out = append(out, at)
	}
	return writeAPI(w, http.StatusOK, map[string]any{"plan": a.planJSON(p, a.tags(ps)), "tasks": out})
}

// planByID returns the organisation's plans and the one with the id, or
// an ENotFound *plan.Error.
func (a *API) planByID(ctx context.Context, org, id int64) ([]plan.Plan, *plan.Plan, error) {
	ps, err := a.Plans.Plans(ctx, org)
	if err != nil {
		return nil, nil, err
	}
	for i := range ps {
		if ps[i].ID == id {
			return ps, &ps[i], nil
		}
	}
	return nil, nil, plan.Errorf(plan.ENotFound, "%s", texts.APIPlanNotFound(id))
}

// GET /api/v1/units

type apiUnit struct {
	Name string `json:"name"`
	// PlanIDs are the running plans that name the unit.
	PlanIDs []int64 `json:"plan_ids"`
	// Officers counts the unit's registered officers and deputies;
	// ReachableOfficers those the bot can reach.
	Officers          int  `json:"officers"`
	ReachableOfficers int  `json:"reachable_officers"`
	Reachable         bool `json:"reachable"`
}

func (a *API) getUnits(w http.ResponseWriter, r *http.Request, tok *plan.APIToken) error {
	ps, err := a.Plans.Plans(r.Context(), tok.OrgID)
	if err != nil {
		return err
	}
	officers, err := a.Officers.Officers(r.Context(), tok.OrgID)
	if err != nil {
		return err
	}
	out := []apiUnit{}
	index := map[string]int{}
	for _, p := range plan.ActivePlans(ps) {
		for _, u := range p.Units {
			i, ok := index[u]
			if !ok {
				i = len(out)
				index[u] = i
				out = append(out, apiUnit{Name: u, PlanIDs: []int64{}})
			}
			out[i].PlanIDs = append(out[i].PlanIDs, p.ID)
		}
	}
	for _, o := range officers {
		i, ok := index[o.Unit]
		if !ok || !o.Active || (o.Role != plan.RoleOfficer && o.Role != plan.RoleDeputy) {
			continue
		}
		out[i].Officers++
		if o.Reachable() {
			out[i].ReachableOfficers++
			out[i].Reachable = true
		}
	}
	return writeAPI(w, http.StatusOK, map[string]any{"units": out})
}

// GET /api/v1/progress

type apiProgress struct {
	ID        int64             `json:"id"`
	PlanID    int64             `json:"plan_id"`
	Task      string            `json:"task"`
	Unit      string            `json:"unit"`
	Period    string            `json:"period"`
	Kind      plan.ProgressKind `json:"kind"`
	Percent   *float64          `json:"percent"`
	Done      *float64          `json:"done"`
	Total     *float64          `json:"total"`
	CountUnit *string           `json:"count_unit"`
	Note      *string           `json:"note"`
	Blocker   *string           `json:"blocker"`
	// ReportedAt is RFC 3339 in UTC; Officer the reporter's name.
	ReportedAt string  `json:"reported_at"`
	Officer    *string `json:"officer"`
	// Confirm is the secretariat's verdict on "done": pending,
	// confirmed, returned; null when there is none to give.
	Confirm *string `json:"confirm"`
}

func (a *API) getProgress(w http.ResponseWriter, r *http.Request, tok *plan.APIToken) error {
	q := r.URL.Query()
	f := plan.ProgressFilter{OrgID: tok.OrgID, TaskCode: q.Get("task"), Unit: q.Get("unit")}
	if v := q.Get("plan"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return plan.Errorf(plan.EInvalid, "%s", texts.APIBadPlanID)
		}
		if _, _, err := a.planByID(r.Context(), tok.OrgID, id); err != nil {
			return err
		}
		f.PlanID = id
	}
	if v := q.Get("period"); v != "" {
		p, err := parsePeriod(v)
		if err != nil {
			return err
		}
		// A quarter or a year holds the months' reports.
		f.Periods = []string{p.String()}
		for _, m := range p.Months() {
			if m != p {
				f.Periods = append(f.Periods, m.String())
			}
		}
	}
	switch q.Get("latest") {
	case "", "false", "0":
	case "true", "1":
		f.LatestOnly = true
	default:
		return plan.Errorf(plan.EInvalid, "%s", texts.APIBadLatest)
	}
	reports, err := a.Progress.ListProgress(r.Context(), f)
	if err != nil {
		return err
	}
	names, err := a.officerNames(r.Context(), tok.OrgID, reports)
	if err != nil {
		return err
	}
	out := make([]apiProgress, 0, len(reports))
	for _, p := range reports {
		ap := apiProgress{ID: p.ID, PlanID: p.PlanID, Task: p.TaskCode, Unit: p.Unit, Period: p.Period.String(), Kind: p.Kind,
			Note: str(p.Note), Blocker: str(p.Blocker), ReportedAt: rfc3339(p.ReportedAt), Officer: str(names[p.ReportedBy]),
			Confirm: str(string(p.Confirm))}
		if p.HasPercent() {
			ap.Percent = &p.Percent
		}
		if p.Kind == plan.ProgressCount || p.Total > 0 {
			ap.Done, ap.Total, ap.CountUnit = &p.Done, &p.Total, str(p.CountUnit)
		}
		out = append(out, ap)
	}
	return writeAPI(w, http.StatusOK, map[string]any{"progress": out})
}

// officerNames names the reporters: the active officers, and those since
// replaced looked up one by one.
func (a *API) officerNames(ctx context.Context, org int64, reports []plan.Progress) (map[int64]string, error) {
	names := map[int64]string{}
	if len(reports) == 0 {
		return names, nil
	}
	officers, err := a.Officers.Officers(ctx, org)
	if err != nil {
		return nil, err
	}
	for _, o := range officers {
		names[o.ID] = o.Name
	}
	for _, p := range reports {
		if _, ok := names[p.ReportedBy]; ok || p.ReportedBy == 0 {
			continue
		}
		o, err := a.Officers.OfficerByID(ctx, p.ReportedBy)
		switch {
		case plan.ErrorCode(err) == plan.ENotFound:
			names[p.ReportedBy] = ""
		case err != nil:
			return nil, err
		default:
			names[p.ReportedBy] = o.Name
		}
	}
	return names, nil
}

// GET /api/v1/summary

func (a *API) getSummary(w http.ResponseWriter, r *http.Request, tok *plan.APIToken) error {
	q := r.URL.Query()
	now := a.now().In(a.loc())
	period := summary.LastFullMonth(now, a.loc())
	if v := q.Get("period"); v != "" {
		var err error
		if period, err = parsePeriod(v); err != nil {
			return err
		}
	}
	var p *plan.Plan
	if v := q.Get("plan"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return plan.Errorf(plan.EInvalid, "%s", texts.APIBadPlanID)
		}
		if _, p, err = a.planByID(r.Context(), tok.OrgID, id); err != nil {
			return err
		}
	} else {
		ps, err := a.Plans.Plans(r.Context(), tok.OrgID)
		if err != nil {
			return err
		}
		if ps = plan.ActivePlans(ps); len(ps) == 0 {
			return plan.Errorf(plan.ENotFound, "%s", texts.APINoPlan)
		}
		p = &ps[0]
	}
	// A period not yet over is judged as of today, as `planbot summary`.
	asOf := plan.Date{}
	if today := plan.DateOf(now); period.Contains(today) {
		asOf = today
	}
	// p is one of the token's ward's plans, and SummaryOf reads p's ward
	// (p.OrgID), whatever ward the Summaries' own settings name: a
	// server shared by several wards needs no Summaries per ward.
	s, err := a.Summaries.SummaryOf(r.Context(), p, period, asOf)
	if err != nil {
		return err
	}
	return writeAPI(w, http.StatusOK, s)
}

// GET /api/v1/broadcasts

type apiBroadcast struct {
	ID         int64          `json:"id"`
	Text       string         `json:"text"`
	CreatedAt  string         `json:"created_at"`
	ChasedAt   *string        `json:"chased_at"`
	Units      []string       `json:"units"`
	Counts     apiCounts      `json:"counts"`
	Recipients []apiRecipient `json:"recipients"`
}

type apiCounts struct {
	Recipients   int `json:"recipients"`
	Delivered    int `json:"delivered"`
	Acknowledged int `json:"acknowledged"`
	Unreachable  int `json:"unreachable"`
}

type apiRecipient struct {
	OfficerID      int64   `json:"officer_id"`
	Name           string  `json:"name"`
	Unit           string  `json:"unit"`
	Delivered      bool    `json:"delivered"`
	DeliveredAt    *string `json:"delivered_at"`
	Acknowledged   bool    `json:"acknowledged"`
	AcknowledgedAt *string `json:"acknowledged_at"`
	Unreachable    bool    `json:"unreachable"`
	UnreachableAt  *string `json:"unreachable_at"`
}

func (a *API) getBroadcasts(w http.ResponseWriter, r *http.Request, tok *plan.APIToken) error {
	limit := 20
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			return plan.Errorf(plan.EInvalid, "%s", texts.APIBadLimit)
		}
		limit = n
	}
	bs, err := a.Broadcasts.Broadcasts(r.Context(), tok.OrgID, limit)
	if err != nil {
		return err
	}
	out := make([]apiBroadcast, 0, len(bs))
	for _, b := range bs {
		rs, err := a.Broadcasts.Recipients(r.Context(), b.ID)
		if err != nil {
			return err
		}
		ab := apiBroadcast{ID: b.ID, Text: b.Text, CreatedAt: rfc3339(b.CreatedAt), ChasedAt: rfc3339p(b.ChasedAt), Units: strs(b.Units),
			Recipients: make([]apiRecipient, 0, len(rs))}
		for _, rc := range rs {
			ar := apiRecipient{OfficerID: rc.OfficerID, Name: rc.Name, Unit: rc.Unit,
				Delivered: rc.DeliveredAt != nil, DeliveredAt: rfc3339p(rc.DeliveredAt),
				Acknowledged: rc.AcknowledgedAt != nil, AcknowledgedAt: rfc3339p(rc.AcknowledgedAt),
				Unreachable: rc.UnreachableAt != nil, UnreachableAt: rfc3339p(rc.UnreachableAt)}
			ab.Counts.Recipients++
			ab.Counts.Delivered += b2i(ar.Delivered)
			ab.Counts.Acknowledged += b2i(ar.Acknowledged)
			ab.Counts.Unreachable += b2i(ar.Unreachable)
			ab.Recipients = append(ab.Recipients, ar)
		}
		out = append(out, ab)
	}
	return writeAPI(w, http.StatusOK, map[string]any{"broadcasts": out})
}

// Helpers.

func parsePeriod(v string) (plan.Period, error) {
	p, err := plan.ParsePeriod(v)
	if err != nil {
		return plan.Period{}, plan.Errorf(plan.EInvalid, "%s", texts.APIBadPeriod(v))
	}
	return p, nil
}

func (a *API) now() time.Time {
	if a.Clock == nil {
		return time.Now()
	}
	return a.Clock.Now()
}

func (a *API) loc() *time.Location {
	if a.Loc == nil {
		return time.UTC
	}
	return a.Loc
}

func (a *API) log() *slog.Logger {
	if a.Log == nil {
		return slog.Default()
	}
	return a.Log
}

// writeAPI answers v as JSON, Vietnamese and <, >, & written as they are.
func writeAPI(w http.ResponseWriter, status int, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
	return nil
}

type apiErrorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// apiError answers {"error":{"code","message"}}.
func apiError(w http.ResponseWriter, status int, code, msg string) {
	var b apiErrorBody
	b.Error.Code, b.Error.Message = code, msg
	_ = writeAPI(w, status, b)
}

func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func rfc3339p(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := rfc3339(*t)
	return &s
}

func date(d plan.Date) *string { return str(d.String()) }

func str(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func strs(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

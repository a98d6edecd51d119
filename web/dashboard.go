package web

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"html"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/summary"
	"github.com/chanhlo/planbot/texts"
)

//go:embed templates/*.html templates/style.css
var templateFS embed.FS

var pages = template.Must(template.New("").Funcs(template.FuncMap{
	"css": func() template.CSS {
		b, _ := templateFS.ReadFile("templates/style.css")
		return template.CSS(b)
	},
	"role": func(o *plan.Officer) string {
		if o.Unit != "" {
			return o.Role.Vietnamese() + " · " + o.Unit
		}
		return o.Role.Vietnamese()
	},
}).ParseFS(templateFS, "templates/*.html"))

// Broadcasts are the announcements and who received them (storage.DB).
type Broadcasts interface {
	Broadcasts(ctx context.Context, orgID int64, limit int) ([]plan.Broadcast, error)
	Recipients(ctx context.Context, broadcastID int64) ([]plan.BroadcastRecipient, error)
}

// Dashboard is the web pages of the chairman, the secretariat and the
// officers: Tổng quan, one task, one unit, Thông báo, Tổng hợp. Every
// number comes from package summary, as in the chat and the .xlsx.
//
// One server may serve several wards: every page reads the signed-in
// officer's ward only (Source narrowed to it, see source), and a plan of
// another ward asked for by id is "not found", never shown.
type Dashboard struct {
	Auth *Auth
	// Source holds the stores and settings the summaries are computed
	// with; its OrgID is ignored: each request reads the viewer's ward.
	Source   *summary.Source
	Officers interface {
		Officers(ctx context.Context, orgID int64) ([]plan.Officer, error)
	}
	Broadcasts Broadcasts
	// Documents renders a summary's files (the .xlsx appendix and the
	// .docx báo cáo) for download; nil: none.
	Documents func(ctx context.Context, s *summary.Summary) ([]plan.Document, error)
	// Actions confirm or return a unit's "done" and set a task's
	// deadline from the task page, through the chat's own rules and
	// audit log (bot.Core); nil: the page only shows.
	Actions Actions
	// Org is the ward's name in the header when OrgName is nil or
	// answers "".
	Org string
	// OrgName names the viewer's ward (organisation orgID) in the header,
	// so that an officer of a shared server sees whose pages these are;
	// nil: Org.
	OrgName func(ctx context.Context, orgID int64) string
	Clock   plan.Clock
	Log     *slog.Logger
}

// Actions are what the secretariat (and the standing body) may do from
// the pages; each returns the answer to show (HTML of plan.Message).
type Actions interface {
	Confirm(ctx context.Context, o *plan.Officer, planID int64, code string) (string, error)
	Return(ctx context.Context, o *plan.Officer, planID int64, code, reason string) (string, error)
	SetDeadline(ctx context.Context, o *plan.Officer, planID int64, code, when string) (string, error)
}

// pageRoute is one page: its pattern and its handler.
type pageRoute struct {
	pattern string
	h       func(w http.ResponseWriter, r *http.Request, v *Viewer)
}

func (d *Dashboard) routes() []pageRoute {
	return []pageRoute{
		{"GET /{$}", d.overview},
		{"GET /nhiem-vu", d.task},
		{"GET /don-vi", d.unit},
		{"GET /thong-bao", d.broadcasts},
		{"GET /tong-hop", d.summary},
		{"GET /tong-hop/tep", d.summaryFile},
		{"POST /nhiem-vu/xac-nhan", d.act},
		{"POST /nhiem-vu/tra-lai", d.act},
		{"POST /nhiem-vu/dat-han", d.act},
	}
}

// Routes returns the patterns Mount mounts ("GET /nhiem-vu"), so that a
// test can go through every page.
func (d *Dashboard) Routes() []string {
	var out []string
	for _, rt := range d.routes() {
		out = append(out, rt.pattern)
	}
	return out
}

// Mount adds the pages.
func (d *Dashboard) Mount(s *Server) {
	for _, rt := range d.routes() {
		s.Handle(rt.pattern, d.Auth.Require(rt.h))
	}
}

// ward is the viewer's organisation: what every page reads.
func ward(v *Viewer) int64 {
	if v.Officer.OrgID == 0 {
		return plan.DefaultOrg
	}
	return v.Officer.OrgID
}

// source is d.Source narrowed to the viewer's ward. Source is stores and
// settings, so the copy is cheap, and no request can change another's.
func (d *Dashboard) source(v *Viewer) *summary.Source {
	s := *d.Source
	s.OrgID = ward(v)
	return &s
}

// planOf returns the plan with the id when it is the viewer's ward's; a
// plan of another ward is not found, as one that does not exist, so a
// guessed id tells nothing.
func (d *Dashboard) planOf(ctx context.Context, v *Viewer, id int64) (*plan.Plan, error) {
	p, err := d.Source.Plans.PlanByID(ctx, id)
	if plan.ErrorCode(err) == plan.ENotFound || err == nil && p.OrgID != ward(v) {
		return nil, plan.Errorf(plan.ENotFound, "%s", texts.WebNoSuchTask)
	}
	if err != nil {
		return nil, fmt.Errorf("plan %d: %w", id, err)
	}
	return p, nil
}

// act runs a secretariat's action posted from the task page (the CSRF
// token was checked by Require) and shows its answer.
func (d *Dashboard) act(w http.ResponseWriter, r *http.Request, v *Viewer) {
	if d.Actions == nil {
		page(w, http.StatusNotFound, texts.Forbidden)
		return
	}
	id, _ := strconv.ParseInt(r.PostFormValue("ke-hoach"), 10, 64)
	code := r.PostFormValue("ma")
	// Actions route by the officer's ward; checking here as well means a
	// forged form naming another ward's plan never reaches them.
	if _, err := d.planOf(r.Context(), v, id); err != nil {
		d.fail(w, err)
		return
	}
	var answer string
	var err error
	switch r.URL.Path {
	case "/nhiem-vu/xac-nhan":
		answer, err = d.Actions.Confirm(r.Context(), v.Officer, id, code)
	case "/nhiem-vu/tra-lai":
		reason := strings.TrimSpace(r.PostFormValue("ly-do"))
		if reason == "" {
			page(w, http.StatusBadRequest, texts.WebReturnNeedsReason)
			return
		}
		answer, err = d.Actions.Return(r.Context(), v.Officer, id, code, reason)
	case "/nhiem-vu/dat-han":
		if v.Officer.Role != plan.RoleSecretariat {
			page(w, http.StatusForbidden, texts.Forbidden)
			return
		}
		answer, err = d.Actions.SetDeadline(r.Context(), v.Officer, id, code, r.PostFormValue("han"))
	}
	if msg := plan.ErrorMessage(err); msg != "" {
		answer, err = msg, nil
	}
	if err != nil {
		d.fail(w, err)
		return
	}
	data := d.base(r.Context(), v, "Kết quả")
	data["Answer"], data["Back"] = html.UnescapeString(tagRe.Replace(answer)), taskLink(id, code)
	d.render(w, "done.html", data)
}

func (d *Dashboard) now() time.Time {
	if d.Clock == nil {
		return time.Now()
	}
	return d.Clock.Now()
}

func (d *Dashboard) today() plan.Date { return plan.DateOf(d.now().In(d.Source.Loc)) }

func (d *Dashboard) render(w http.ResponseWriter, name string, data map[string]any) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := pages.ExecuteTemplate(w, name, data); err != nil {
		d.log().Error("render page", "page", name, "err", err)
	}
}

func (d *Dashboard) log() *slog.Logger {
	if d.Log == nil {
		return slog.Default()
	}
	return d.Log
}

func (d *Dashboard) fail(w http.ResponseWriter, err error) {
	if msg := plan.ErrorMessage(err); msg != "" {
		page(w, http.StatusNotFound, msg)
		return
	}
	d.log().Error("page", "err", err)
	page(w, http.StatusInternalServerError, texts.DownloadFailed)
}

func (d *Dashboard) base(ctx context.Context, v *Viewer, title string) map[string]any {
	org := d.Org
	if d.OrgName != nil {
		if name := d.OrgName(ctx, ward(v)); name != "" {
			org = name
		}
	}
	return map[string]any{"Viewer": v, "Title": title, "Org": org}
}

// statusClass colours a status.
func statusClass(st summary.Status) string {
	switch st {
	case summary.DoneOnTime, summary.OngoingReported:
		return "good"
	case summary.Overdue, summary.NotReported, summary.OngoingNotReported:
		return "bad"
	case summary.DueSoon, summary.DoneLate:
		return "warn"
	}
	return ""
}

func taskLink(planID int64, code string) string {
	return "/nhiem-vu?ke-hoach=" + strconv.FormatInt(planID, 10) + "&ma=" + url.QueryEscape(code)
}

func latestText(p *plan.Progress) string {
	if p == nil {
		return ""
	}
	return texts.SummaryFigure(p.Figure)
}

// current returns the viewer's ward's running plans, today and this
// month: what the pages show unless asked for another period.
func (d *Dashboard) current(ctx context.Context, v *Viewer) ([]plan.Plan, plan.Date, plan.Period, error) {
	plans, err := d.source(v).ActivePlans(ctx)
	today := d.today()
	return plans, today, plan.MonthOf(today), err
}

// ---- Tổng quan ----

func (d *Dashboard) overview(w http.ResponseWriter, r *http.Request, v *Viewer) {
	if !v.SeesAll() {
		http.Redirect(w, r, "/don-vi?ten="+url.QueryEscape(v.Officer.Unit), http.StatusSeeOther)
		return
	}
	ctx := r.Context()
	plans, today, period, err := d.current(ctx, v)
	if err != nil {
		d.fail(w, err)
		return
	}
	var views []map[string]any
	for i := range plans {
		p := &plans[i]
		s, err := d.source(v).SummaryOf(ctx, p, period, today)
		if err != nil {
			d.fail(w, err)
			return
		}
		views = append(views, d.planOverview(ctx, v, p, s))
	}
	data := d.base(ctx, v, "Tổng quan")
	data["Plans"], data["Period"], data["AsOf"] = views, period.Vietnamese(), today.Vietnamese()
	d.render(w, "overview.html", data)
}

func (d *Dashboard) planOverview(ctx context.Context, v *Viewer, p *plan.Plan, s *summary.Summary) map[string]any {
	var totals []map[string]any
	for _, st := range summary.Statuses {
		if n := s.Totals[st]; n > 0 {
			totals = append(totals, map[string]any{"Key": string(st), "N": n, "Label": texts.StatusLabel(string(st)), "Class": statusClass(st)})
		}
	}
	var sections []map[string]any
	for _, sec := range s.Sections {
		done := sec.Counts[summary.DoneOnTime] + sec.Counts[summary.DoneLate]
		sections = append(sections, map[string]any{"Number": sec.Number, "Title": sec.Title, "Tasks": sec.Tasks, "Done": done,
			"Overdue": sec.Counts[summary.Overdue], "NotReported": sec.Counts[summary.NotReported] + sec.Counts[summary.OngoingNotReported]})
	}
	var behind []string
	if len(s.NotReported) > 0 {
		behind = append(behind, "Chưa gửi báo cáo: "+strings.Join(s.NotReported, ", "))
	}
	if len(s.Unreachable) > 0 {
		behind = append(behind, "Đã chặn bot, không nhận được nhắc việc: "+strings.Join(s.Unreachable, ", "))
	}
	if len(s.Unregistered) > 0 {
		behind = append(behind, "Chưa có cán bộ đăng ký nhận tin: "+strings.Join(s.Unregistered, ", "))
	}
	var overdue []map[string]any
	for _, r := range s.Overdue() {
		blocker := ""
		for _, b := range s.Blockers {
			if b.Code == r.Task.Code {
				blocker = b.Unit + ": " + b.Text
			}
		}
		overdue = append(overdue, map[string]any{"Code": r.Task.Code, "Title": texts.TitleIn(r.Task.Title, 90), "Link": taskLink(p.ID, r.Task.Code),
			"Units": strings.Join(r.LateUnits(), ", "), "Late": texts.DaysLateNote(r.DaysLate), "Blocker": blocker})
	}
	var rates []barItem
	for _, u := range s.Units {
		if rate, ok := u.ReportingRate(); ok {
			rates = append(rates, barItem{Label: u.Unit, Value: rate, Text: fmt.Sprintf("%.0f%% (%d/%d)", rate*100, u.ReportedMonths, u.ExpectedMonths)})
		}
	}
	var rows []map[string]any
	for _, r := range s.Tasks {
		st := texts.StatusLabel(string(r.Status))
		if r.Pending {
			st += " (" + texts.SummaryPending + ")"
		}
		rows = append(rows, map[string]any{"Code": r.Task.Code, "Title": texts.TitleIn(r.Task.Title, 110), "Link": taskLink(p.ID, r.Task.Code),
			"Status": st, "Class": statusClass(r.Status), "Latest": latestText(r.Latest)})
	}
	return map[string]any{
		"Name": texts.PlanName(p), "Tasks": len(s.Tasks), "Totals": totals, "Sections": sections, "Behind": behind,
		"Overdue": overdue, "Rows": rows,
		"RateChart":  barChart("Tỷ lệ báo cáo của các đơn vị — "+s.Period.Vietnamese(), rates),
		"MonthChart": d.monthChart(ctx, v, p, s),
	}
}

// monthChart draws, for each month from the plan's first to the current
// one (at most twelve), the share of due reports received and the share
// of dated tasks finished.
func (d *Dashboard) monthChart(ctx context.Context, v *Viewer, p *plan.Plan, cur *summary.Summary) template.HTML {
	first := plan.MonthOf(d.today())
	if !p.CreatedAt.IsZero() {
		first = plan.MonthOf(plan.DateOf(p.CreatedAt.In(d.Source.Loc)))
	}
	var months []plan.Period
	for m := cur.Period; !m.Start().Before(first.Start()) && len(months) < 12; m = m.Prev() {
		months = append([]plan.Period{m}, months...)
	}
	rate := lineSeries{Name: "Tỷ lệ báo cáo đúng kỳ", Color: "#1565c0"}
	done := lineSeries{Name: "Nhiệm vụ có hạn đã hoàn thành", Color: "#2e7d32"}
	for _, m := range months {
		s := cur
		if m != cur.Period {
			var err error
			if s, err = d.source(v).SummaryOf(ctx, p, m, plan.Date{}); err != nil {
				d.log().Warn("month chart", "month", m.String(), "err", err)
				continue
			}
		}
		exp, rep := 0, 0
		for _, u := range s.Units {
			exp += u.ExpectedMonths
			rep += u.ReportedMonths
		}
		label := fmt.Sprintf("%d/%d", m.N, m.Year%100)
		if exp > 0 {
			rate.Points = append(rate.Points, linePoint{label, 100 * float64(rep) / float64(exp)})
		} else {
			rate.Points = append(rate.Points, linePoint{label, 0})
		}
		dated, finished := 0, 0
		for _, r := range s.Tasks {
			if r.Task.Deadline.HasDue() {
				dated++
				if r.Status.Done() {
					finished++
				}
			}
		}
		if dated > 0 {
			done.Points = append(done.Points, linePoint{label, 100 * float64(finished) / float64(dated)})
		} else {
			done.Points = append(done.Points, linePoint{label, 0})
		}
	}
	return lineChart("Diễn biến theo tháng", []lineSeries{rate, done})
}

// ---- Nhiệm vụ ----

func (d *Dashboard) task(w http.ResponseWriter, r *http.Request, v *Viewer) {
	ctx := r.Context()
	id, _ := strconv.ParseInt(r.URL.Query().Get("ke-hoach"), 10, 64)
	p, err := d.planOf(ctx, v, id)
	if err != nil {
		d.fail(w, err)
		return
	}
	t := p.Task(r.URL.Query().Get("ma"))
	if t == nil {
		page(w, http.StatusNotFound, texts.WebNoSuchTask)
		return
	}
	if !v.SeesAll() {
		if _, ok := t.RoleOf(v.Officer.Unit); !ok {
			page(w, http.StatusForbidden, texts.WebNotYourTask)
			return
		}
	}
	reports, err := d.Source.Progress.ListProgress(ctx, plan.ProgressFilter{OrgID: p.OrgID, PlanID: p.ID, TaskCode: t.Code})
	if err != nil {
		d.fail(w, err)
		return
	}
	slices.SortFunc(reports, func(a, b plan.Progress) int { return a.ReportedAt.Compare(b.ReportedAt) })
	names := d.officerNames(ctx, p.OrgID)
	var rows []map[string]any
	history := map[string]*lineSeries{}
	var order []string
	colors := []string{"#1565c0", "#2e7d32", "#c62828", "#6a1b9a", "#ef6c00"}
	for i := len(reports) - 1; i >= 0; i-- {
		pr := reports[i]
		note := pr.Note
		// A blocked report shows its blocker as the figure already.
		if pr.Blocker != "" && pr.Kind != plan.ProgressBlocked {
			note = strings.Trim(note+" · vướng mắc: "+pr.Blocker, " ·")
		}
		rows = append(rows, map[string]any{"At": pr.ReportedAt.In(d.Source.Loc).Format("15:04 02/01/2006"), "Unit": pr.Unit,
			"Officer": names[pr.ReportedBy], "Figure": texts.SummaryFigure(pr.Figure), "Note": note})
	}
	for _, pr := range reports {
		if !pr.HasPercent() {
			continue
		}
		ls := history[pr.Unit]
		if ls == nil {
			ls = &lineSeries{Name: pr.Unit, Color: colors[len(order)%len(colors)]}
			history[pr.Unit] = ls
			order = append(order, pr.Unit)
		}
		ls.Points = append(ls.Points, linePoint{pr.ReportedAt.In(d.Source.Loc).Format("02/01"), pr.Percent})
	}
	var series []lineSeries
	for _, u := range order {
		series = append(series, *history[u])
	}
	var chart template.HTML
	if len(series) > 0 {
		chart = lineChart("Diễn biến số liệu (%)", series)
	}
	section := ""
	for _, s := range p.Sections {
		if s.Number == t.Section {
			section = s.Number + ". " + s.Title
		}
	}
	target := ""
	if len(t.Targets) > 0 {
		target = t.Targets[0].Text
	}
	support := strings.Join(t.Support, ", ")
	if t.SupportAll {
		support = texts.AllUnitsSupport
	}
	data := d.base(ctx, v, t.Code+" — "+texts.PlanName(p))
	data["PlanName"], data["Section"], data["Code"], data["TaskTitle"] = texts.PlanName(p), section, t.Code, t.Title
	data["Lead"], data["Support"], data["Deadline"], data["Target"] = strings.Join(t.Responsible(), ", "), support, html.UnescapeString(texts.DeadlineText(t.Deadline)), target
	data["Reports"], data["Chart"] = rows, chart
	data["PlanID"] = p.ID
	if d.Actions != nil {
		latest := map[string]plan.Progress{}
		for _, pr := range reports {
			if cur, ok := latest[pr.Unit]; !ok || pr.ReportedAt.After(cur.ReportedAt) {
				latest[pr.Unit] = pr
			}
		}
		var pending []string
		for _, u := range t.Responsible() {
			if pr, ok := latest[u]; ok && pr.Kind == plan.ProgressDone && pr.Confirm == plan.ConfirmPending {
				pending = append(pending, u)
			}
		}
		// The chat decides who may confirm (the secretariat, the standing
		// body); the form shows to whoever might.
		if len(pending) > 0 && (v.Officer.Role == plan.RoleSecretariat || v.Officer.Role == plan.RoleOfficer || v.Officer.Role == plan.RoleDeputy) {
			data["Pending"] = strings.Join(pending, ", ")
		}
		if v.Officer.Role == plan.RoleSecretariat && (t.Deadline.Kind == plan.DeadlineConditional || t.Deadline.Kind == plan.DeadlineOpen) {
			data["CanSetDeadline"] = true
		}
	}
	d.render(w, "task.html", data)
}

func (d *Dashboard) officerNames(ctx context.Context, org int64) map[int64]string {
	out := map[int64]string{}
	if os, err := d.Officers.Officers(ctx, org); err == nil {
		for _, o := range os {
			out[o.ID] = o.Name
		}
	}
	return out
}

// ---- Đơn vị ----

func (d *Dashboard) unit(w http.ResponseWriter, r *http.Request, v *Viewer) {
	ctx := r.Context()
	unit := r.URL.Query().Get("ten")
	if !v.SeesAll() && unit != v.Officer.Unit {
		page(w, http.StatusForbidden, texts.WebNotYourUnit)
		return
	}
	plans, today, period, err := d.current(ctx, v)
	if err != nil {
		d.fail(w, err)
		return
	}
	var rows []map[string]any
	known := false
	var expected, reported, onTime, late int
	for i := range plans {
		p := &plans[i]
		if slices.Contains(p.Units, unit) {
			known = true
		}
		s, err := d.source(v).SummaryOf(ctx, p, period, today)
		if err != nil {
			d.fail(w, err)
			return
		}
		for _, u := range s.Units {
			if u.Unit != unit {
				continue
			}
			expected, reported, onTime, late = expected+u.ExpectedMonths, reported+u.ReportedMonths, onTime+u.OnTime, late+u.Overdue
			for _, j := range u.Statuses {
				t := p.Task(j.Code)
				if t == nil {
					continue
				}
				rows = append(rows, map[string]any{"Code": j.Code, "Title": texts.TitleIn(t.Title, 110), "Link": taskLink(p.ID, j.Code),
					"Role": j.Role.Vietnamese(), "Status": texts.StatusLabel(string(j.Status)), "Class": statusClass(j.Status), "Latest": latestText(j.Latest)})
			}
		}
	}
	if !known {
		page(w, http.StatusNotFound, texts.WebNoSuchUnit)
		return
	}
	var officers []map[string]any
	if os, err := d.Officers.Officers(ctx, ward(v)); err == nil {
		for _, o := range os {
			if o.Unit != unit || !o.Active {
				continue
			}
			unreach := ""
			if o.UnreachableSince != nil {
				unreach = plan.DateOf(o.UnreachableSince.In(d.Source.Loc)).Vietnamese()
			}
			officers = append(officers, map[string]any{"Name": o.Name, "Role": o.Role.Vietnamese(), "Unreachable": unreach})
		}
	}
	rate := ""
	if expected > 0 {
		rate = fmt.Sprintf("%.0f%%", 100*float64(reported)/float64(expected))
	}
	data := d.base(ctx, v, unit)
	data["Unit"], data["Period"], data["AsOf"], data["Rows"], data["Officers"] = unit, period.Vietnamese(), today.Vietnamese(), rows, officers
	data["Expected"], data["Reported"], data["OnTime"], data["Late"], data["Rate"] = expected, reported, onTime, late, rate
	d.render(w, "unit.html", data)
}

// ---- Thông báo ----

func (d *Dashboard) broadcasts(w http.ResponseWriter, r *http.Request, v *Viewer) {
	if !v.SeesAll() {
		page(w, http.StatusForbidden, texts.Forbidden)
		return
	}
	ctx := r.Context()
	list, err := d.Broadcasts.Broadcasts(ctx, ward(v), 20)
	if err != nil {
		d.fail(w, err)
		return
	}
	var items []map[string]any
	for _, bc := range list {
		rs, err := d.Broadcasts.Recipients(ctx, bc.ID)
		if err != nil {
			d.fail(w, err)
			return
		}
		acked, delivered, unreached := 0, 0, 0
		var recips []map[string]any
		for _, rc := range rs {
			state, class := "chưa nhận tin", "warn"
			switch {
			case rc.AcknowledgedAt != nil:
				acked++
				delivered++
				state, class = "đã xác nhận "+rc.AcknowledgedAt.In(d.Source.Loc).Format("15:04 02/01"), "good"
			case rc.UnreachableAt != nil:
				unreached++
				state, class = "không liên lạc được", "bad"
			case rc.DeliveredAt != nil:
				delivered++
				state, class = "đã nhận tin, chưa xác nhận", ""
			}
			recips = append(recips, map[string]any{"Name": rc.Name, "Unit": rc.Unit, "State": state, "Class": class})
		}
		items = append(items, map[string]any{"At": bc.CreatedAt.In(d.Source.Loc).Format("15:04 02/01/2006"), "Units": strings.Join(bc.Units, ", "),
			"Text": bc.Text, "Acked": acked, "Delivered": delivered, "Unreached": unreached, "Total": len(rs), "Recipients": recips})
	}
	data := d.base(ctx, v, "Thông báo")
	data["Items"] = items
	d.render(w, "broadcasts.html", data)
}

// ---- Tổng hợp ----

// errNoSuchPlan answers a summary asked for a plan that is not one of
// the viewer's ward's running plans (another ward's, or archived).
var errNoSuchPlan = plan.Errorf(plan.ENotFound, "%s", texts.WebNoSuchPlan)

// summaryOf reads the period and plan a summary page asks for, among the
// viewer's ward's running plans.
func (d *Dashboard) summaryOf(r *http.Request, v *Viewer) (*summary.Summary, []plan.Plan, *plan.Plan, string, error) {
	ctx := r.Context()
	src := d.source(v)
	plans, err := src.ActivePlans(ctx)
	if err != nil {
		return nil, nil, nil, "", err
	}
	today := d.today()
	period := summary.LastFullMonth(d.now(), d.Source.Loc)
	key := r.URL.Query().Get("ky")
	if key != "" {
		if period, err = plan.ParsePeriod(key); err != nil {
			return nil, plans, &plans[0], key, plan.Errorf(plan.EInvalid, "%s", err.Error())
		}
	}
	p := &plans[0]
	if id, _ := strconv.ParseInt(r.URL.Query().Get("ke-hoach"), 10, 64); id != 0 {
		// An id that is not the ward's is refused rather than replaced by
		// the newest plan: the page must not pass one plan off as another.
		i := slices.IndexFunc(plans, func(p plan.Plan) bool { return p.ID == id })
		if i < 0 {
			return nil, plans, nil, key, errNoSuchPlan
		}
		p = &plans[i]
	}
	asOf := plan.Date{}
	if period.Contains(today) {
		asOf = today
	} else if period.Start().After(today) {
		return nil, plans, p, key, plan.Errorf(plan.EInvalid, "%s", texts.SummaryNotStarted(period))
	}
	s, err := src.SummaryOf(ctx, p, period, asOf)
	return s, plans, p, period.String(), err
}

func (d *Dashboard) summary(w http.ResponseWriter, r *http.Request, v *Viewer) {
	if !v.SeesAll() {
		page(w, http.StatusForbidden, texts.Forbidden)
		return
	}
	s, plans, p, key, err := d.summaryOf(r, v)
	if errors.Is(err, errNoSuchPlan) {
		d.fail(w, err)
		return
	}
	data := d.base(r.Context(), v, "Tổng hợp")
	var choices []map[string]any
	for _, pl := range plans {
		choices = append(choices, map[string]any{"ID": pl.ID, "Name": texts.PlanName(&pl), "Selected": p != nil && pl.ID == p.ID})
	}
	data["PlanChoices"], data["Key"] = choices, key
	switch {
	case plan.ErrorMessage(err) != "":
		data["Error"] = plan.ErrorMessage(err)
	case err != nil:
		d.fail(w, err)
		return
	default:
		var lines []string
		for _, part := range s.Text(summary.TextOptions{MaxText: 1 << 20}) {
			lines = append(lines, html.UnescapeString(tagRe.Replace(part)))
		}
		q := "?ky=" + url.QueryEscape(s.Period.String()) + "&ke-hoach=" + strconv.FormatInt(p.ID, 10)
		data["Text"], data["XLSX"], data["DOCX"] = strings.Join(lines, "\n"), "/tong-hop/tep"+q+"&loai=xlsx", "/tong-hop/tep"+q+"&loai=docx"
	}
	d.render(w, "summary.html", data)
}

var tagRe = strings.NewReplacer("<b>", "", "</b>", "", "<i>", "", "</i>", "", "<code>", "", "</code>", "")

func (d *Dashboard) summaryFile(w http.ResponseWriter, r *http.Request, v *Viewer) {
	if !v.SeesAll() {
		page(w, http.StatusForbidden, texts.Forbidden)
		return
	}
	s, _, _, _, err := d.summaryOf(r, v)
	if err != nil {
		d.fail(w, err)
		return
	}
	if d.Documents == nil {
		page(w, http.StatusNotFound, texts.DownloadExpired)
		return
	}
	docs, err := d.Documents(r.Context(), s)
	if err != nil {
		d.fail(w, err)
		return
	}
	want := r.URL.Query().Get("loai")
	for _, doc := range docs {
		if strings.HasSuffix(doc.Name, "."+want) {
			serveFile(w, r, &plan.Download{Name: doc.Name, MIME: doc.MIME, Data: doc.Data})
			return
		}
	}
	page(w, http.StatusNotFound, texts.DownloadExpired)
}

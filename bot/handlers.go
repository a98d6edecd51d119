package bot

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/progress"
	"github.com/chanhlo/planbot/texts"
)

// seeAll are the roles that see every unit's tasks.
var seeAll = []plan.Role{plan.RoleSecretariat, plan.RoleChairman}

// wardRoles are the roles of a ward's people: the plan commands are
// theirs. The province's officers follow the wards through their roll-up
// (RegisterProvince), not a ward's plan from the inside.
var wardRoles = []plan.Role{plan.RoleOfficer, plan.RoleDeputy, plan.RoleSecretariat, plan.RoleChairman}

func (c *Core) registerBuiltins() {
	c.AddCommand(Command{Name: "start", Description: texts.CmdStart, DescriptionEN: texts.CmdStartEN,
		Public: true, Run: c.cmdStart})
	c.AddCommand(Command{Name: "huongdan", Aliases: []string{"help"}, Description: texts.CmdHelp, DescriptionEN: texts.CmdHelpEN,
		Public: true, Run: c.cmdHelp})
	c.AddCommand(Command{Name: "nhiemvu", Aliases: []string{"tasks"}, Description: texts.CmdTasks, DescriptionEN: texts.CmdTasksEN,
		Roles: wardRoles, Run: c.cmdTasks})
	c.AddCommand(Command{Name: "xem", Aliases: []string{"task"}, Description: texts.CmdTask, DescriptionEN: texts.CmdTaskEN,
		Roles: wardRoles, Usage: texts.UsageTask, Run: c.cmdTask})
	c.AddCommand(Command{Name: "baocao", Aliases: []string{"report"}, Description: texts.CmdReport, DescriptionEN: texts.CmdReportEN,
		Roles: wardRoles, Usage: texts.UsageReport, Run: c.cmdReport})
	c.AddCommand(Command{Name: "donvi", Aliases: []string{"units"}, Description: texts.CmdUnits, DescriptionEN: texts.CmdUnitsEN,
		Roles: seeAll, Run: c.cmdUnits})
	c.AddCommand(Command{Name: "moi", Aliases: []string{"invite"}, Description: texts.CmdInvite, DescriptionEN: texts.CmdInviteEN,
		Usage: texts.UsageInvite, Roles: []plan.Role{plan.RoleSecretariat}, Run: c.cmdInvite})
	c.AddCommand(Command{Name: "web", Aliases: []string{"dashboard"}, Description: texts.CmdWeb, DescriptionEN: texts.CmdWebEN,
		Roles: wardRoles, Run: c.cmdWeb})
	c.AddCommand(Command{Name: "kenh", Aliases: []string{"channel"}, Description: texts.CmdChannel, DescriptionEN: texts.CmdChannelEN,
		Usage: "zalo | telegram", Run: c.cmdChannel})
}

// audit records a write by the request's officer.
func (c *Core) audit(ctx context.Context, actor int64, action, detail string) error {
	err := c.deps.Audit.Audit(ctx, plan.AuditEntry{OrgID: c.deps.OrgID, At: c.deps.Clock.Now(), ActorID: actor, Action: action, Detail: detail})
	if err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}

// CurrentPlan returns the organisation's newest running plan, or an
// ENotFound *plan.Error when none runs.
func (c *Core) CurrentPlan(ctx context.Context) (*plan.Plan, error) {
	ps, err := c.ActivePlans(ctx)
	if err != nil {
		return nil, err
	}
	return &ps[0], nil
}

// FindTask finds a task by a code as typed ("2.dd", "III.2.đ").
func FindTask(p *plan.Plan, typed string) (*plan.Task, error) {
	code, err := progress.ParseTaskCode(typed)
	if err != nil {
		return nil, err
	}
	if t := taskByCode(p, code); t != nil {
		return t, nil
	}
	return nil, plan.Errorf(plan.ENotFound, "%s", texts.UnknownTask(code))
}

func taskByCode(p *plan.Plan, code string) *plan.Task {
	if t := p.Task(code); t != nil {
		return t
	}
	for i := range p.Tasks {
		if c, err := progress.ParseTaskCode(p.Tasks[i].Code); err == nil && c == code {
			return &p.Tasks[i]
		}
	}
	return nil
}

func (c *Core) today() plan.Date { return plan.DateOf(c.Now()) }

// ---- /start ----

func (c *Core) cmdStart(ctx context.Context, r *Request) error {
	if len(r.Args) == 0 {
		if r.Officer != nil {
			return r.Reply(ctx, plan.Message{Text: texts.AlreadyRegistered(r.Officer)})
		}
		if !r.Capabilities().DeepLinks {
			return r.Reply(ctx, plan.Message{Text: texts.StartWithoutCodeTyped})
		}
		return r.Reply(ctx, plan.Message{Text: texts.StartWithoutCode})
	}
	e := r.Event
	key := e.Transport + ":" + e.UserID
	now := c.deps.Clock.Now()
	if c.throttle.blocked(key, now) {
		return r.Reply(ctx, plan.Message{Text: texts.InviteThrottle})
	}
	o := &plan.Officer{
		OrgID: c.deps.OrgID, Name: e.UserName, UserID: e.UserID, Address: e.Address(),
		Active: true, CreatedAt: now,
	}
	code := r.Args[0]
	if short, ok := NormalizeShortCode(strings.Join(r.Args, " ")); ok {
		code = short
	}
	replaced, err := c.deps.Officers.RedeemInvite(ctx, code, o, now)
	if err != nil {
		var msg string
		switch plan.ErrorCode(err) {
		case plan.ENotFound:
			msg = texts.InviteUnknown
		case plan.EConflict:
			msg = texts.InviteUsed
		case plan.EInvalid:
			msg = texts.InviteExpired
		default:
			return fmt.Errorf("redeem invite: %w", err)
		}
		if c.throttle.fail(key, now) {
			msg = texts.InviteThrottle
		}
		c.log.InfoContext(ctx, "invite refused", "transport", e.Transport, "user", e.UserID, "code", plan.ErrorCode(err))
		return r.Reply(ctx, plan.Message{Text: msg})
	}
	c.throttle.forget(key)
	if o.Address.Transport != e.Transport {
		// A /kenh code: the messenger joined an existing registration.
		if err := c.audit(ctx, o.ID, "officer.contact", fmt.Sprintf("officer=%d user=%s:%s", o.ID, e.Transport, e.UserID)); err != nil {
			return err
		}
		return r.Reply(ctx, plan.Message{Text: texts.ContactAdded(e.Transport, o.Address.Transport)})
	}
	if err := c.audit(ctx, o.ID, "officer.register", fmt.Sprintf("officer=%d unit=%q role=%s user=%s:%s", o.ID, o.Unit, o.Role, e.Transport, e.UserID)); err != nil {
		return err
	}
	if replaced != nil && replaced.UserID != o.UserID {
		if err := c.Send(ctx, replaced.Address, plan.Message{Text: texts.Replaced(replaced, o.Name)}); err != nil {
			c.log.WarnContext(ctx, "tell replaced officer", "officer", replaced.ID, "err", err)
		}
	}
	return r.Reply(ctx, plan.Message{Text: texts.Greet(c.greeting(ctx, o))})
}

func (c *Core) greeting(ctx context.Context, o *plan.Officer) texts.Greeting {
	g := texts.Greeting{Name: o.Name, Role: o.Role, Unit: o.Unit}
	ps, err := c.ActivePlans(ctx)
	if err != nil {
		return g
	}
	var names []string
	var tasks []*plan.Task
	for i := range ps {
		names = append(names, texts.PlanName(&ps[i]))
		for j := range ps[i].Tasks {
			tasks = append(tasks, &ps[i].Tasks[j])
		}
	}
	g.PlanName = strings.Join(names, "; ")
	today := c.today()
	for _, t := range tasks {
		role, ok := t.RoleOf(o.Unit)
		switch {
		case !ok:
			continue
		case role == plan.RoleSupport:
			g.Support++
			continue
		}
		g.Main++
		if t.Deadline.HasDue() && !t.Deadline.Due.Before(today) &&
			(g.Nearest == nil || t.Deadline.Due.Before(g.Nearest.Deadline.Due)) {
			g.Nearest = t
		}
	}
	return g
}

// ---- /huongdan ----

func (c *Core) cmdHelp(ctx context.Context, r *Request) error {
	var b strings.Builder
	b.WriteString(texts.HelpHeading)
	for _, cmd := range c.Commands() {
		if !cmd.Allows(r.Officer) {
			continue
		}
		if cmd.Name == "start" && r.Officer != nil {
			continue
		}
		b.WriteString("\n" + texts.HelpCommand(cmd.Name, cmd.Usage, cmd.Description))
	}
	b.WriteString("\n\n")
	caps := r.Capabilities()
	switch {
	case r.Officer == nil && caps.DeepLinks:
		b.WriteString(texts.HelpRegister)
	case r.Officer == nil:
		b.WriteString(texts.HelpRegisterTyped)
	case r.Officer.Unit != "" && caps.ReplyTo:
		b.WriteString(texts.HelpReporting)
	case r.Officer.Unit != "":
		b.WriteString(texts.HelpReportingTyped)
	}
	return r.Reply(ctx, plan.Message{Text: strings.TrimSpace(b.String())})
}

// ---- /nhiemvu ----

func (c *Core) cmdTasks(ctx context.Context, r *Request) error {
	ps, err := c.ActivePlans(ctx)
	if err != nil {
		return err
	}
	o := r.Officer
	unit := o.Unit
	if o.Role.SeesAll() {
		unit = ""
		if r.Text != "" {
			known, err := c.knownUnits(ctx)
			if err != nil {
				return err
			}
			if unit, err = ResolveUnit(r.Text, known); err != nil {
				return err
			}
		}
	}
	tags := PlanTags(ps)
	var parts []string
	count := 0
	for i := range ps {
		p := &ps[i]
		lines, err := c.taskLines(ctx, p, unit)
		if err != nil {
			return err
		}
		if len(lines) == 0 {
			continue
		}
		count += len(lines)
		if len(ps) > 1 {
			// Several plans run: each list under its plan, whose tag goes
			// before a code that two plans share.
			parts = append(parts, texts.PlanHeading(tags[p.ID], texts.PlanShortName(p)))
		}
		parts = append(parts, lines...)
	}
	if count == 0 {
		return r.Reply(ctx, plan.Message{Text: texts.NoTasks(unit)})
	}
	text := texts.TasksHeader(unit, count) + "\n" + strings.Join(parts, "\n") + "\n" + texts.TasksFooter
	return r.Reply(ctx, plan.Message{Text: text})
}

// taskLines are the lines of /nhiemvu for one plan: the unit's tasks
// (every task when unit is empty) with their latest figure and status.
func (c *Core) taskLines(ctx context.Context, p *plan.Plan, unit string) ([]string, error) {
	reports, err := c.deps.Progress.ListProgress(ctx, plan.ProgressFilter{OrgID: c.deps.OrgID, PlanID: p.ID, Unit: unit, LatestOnly: true})
	if err != nil {
		return nil, fmt.Errorf("list progress: %w", err)
	}
	latest := latestByTask(reports)
	var lines []string
	for i := range p.Tasks {
		t := &p.Tasks[i]
		l := texts.TaskLine{Task: t, Latest: latest[t.Code]}
		if unit != "" {
			role, ok := t.RoleOf(unit)
			if !ok {
				continue
			}
			l.Role = role
		}
		l.Status = c.status(t, l.Latest)
		lines = append(lines, texts.RenderTaskLine(l))
	}
	return lines, nil
}

// latestByTask keeps the newest report per task.
func latestByTask(ps []plan.Progress) map[string]*plan.Progress {
	out := map[string]*plan.Progress{}
	for i := range ps {
		p := &ps[i]
		if cur, ok := out[p.TaskCode]; !ok || newer(p, cur) {
			out[p.TaskCode] = p
		}
	}
	return out
}

func newer(a, b *plan.Progress) bool {
	if !a.ReportedAt.Equal(b.ReportedAt) {
		return a.ReportedAt.After(b.ReportedAt)
	}
	return a.ID > b.ID
}

// dueDay returns, for a due date that is not a working day, the last
// working day before it and what day it is; zero and "" otherwise.
func (c *Core) dueDay(due plan.Date) (plan.Date, string) {
	working := func(d plan.Date) bool {
		if c.deps.Workdays != nil {
			return c.deps.Workdays.IsWorkingDay(d)
		}
		wd := d.Weekday()
		return wd != time.Saturday && wd != time.Sunday
	}
	if working(due) {
		return plan.Date{}, ""
	}
	// As the scheduler names it: a holiday first, then the weekend day.
	off := texts.DayOffOther
	switch due.Weekday() {
	case time.Saturday:
		off = texts.DayOffSaturday
	case time.Sunday:
		off = texts.DayOffSunday
	}
	if h, ok := c.deps.Workdays.(interface {
		HolidayName(plan.Date) (string, bool)
	}); ok {
		if _, hol := h.HolidayName(due); hol {
			off = texts.DayOffHoliday
		}
	}
	d := due.AddDays(-1)
	for i := 0; i < 30 && !working(d); i++ {
		d = d.AddDays(-1)
	}
	return d, off
}

// workingDaysLate counts the full working days after due before today,
// as the reminders and summaries count overdue.
func (c *Core) workingDaysLate(due, today plan.Date) int {
	n := 0
	for d := due.AddDays(1); d.Before(today); d = d.AddDays(1) {
		if c.deps.Workdays != nil {
			if c.deps.Workdays.IsWorkingDay(d) {
				n++
			}
		} else if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			n++
		}
	}
	return n
}

// status is the short status /nhiemvu shows next to a task.
func (c *Core) status(t *plan.Task, latest *plan.Progress) string {
	if latest != nil && latest.Kind == plan.ProgressDone && latest.Confirm != plan.ConfirmReturned {
		if latest.Confirm == plan.ConfirmPending {
			return texts.StatusDonePending
		}
		return texts.StatusDone
	}
	today := c.today()
	if t.Deadline.HasDue() {
		if today.After(t.Deadline.Due) {
			return texts.StatusOverdue(c.workingDaysLate(t.Deadline.Due, today))
		}
		if today.DaysUntil(t.Deadline.Due) <= 3 {
			return texts.StatusDueSoon
		}
	}
	switch {
	case latest != nil && latest.Kind == plan.ProgressBlocked:
		return texts.StatusBlocked
	case t.Deadline.Kind == plan.DeadlineConditional && latest == nil:
		return texts.StatusConditional
	case latest != nil:
		return texts.StatusInProgress
	}
	return texts.StatusNoReport
}

// ---- /xem ----

func (c *Core) cmdTask(ctx context.Context, r *Request) error {
	if r.Text == "" {
		return plan.Errorf(plan.EInvalid, "%s", texts.TaskUsageError)
	}
	unit := r.Officer.Unit
	if r.Officer.Role.SeesAll() {
		unit = ""
	}
	p, t, err := c.ResolveTask(ctx, r.Text, unit)
	if err != nil {
		return err
	}
	if !r.Officer.Role.SeesAll() {
		if _, ok := t.RoleOf(r.Officer.Unit); !ok {
			return plan.Errorf(plan.EForbidden, "%s", texts.NotAssigned(t.Code, r.Officer.Unit))
		}
	}
	reports, err := c.deps.Progress.ListProgress(ctx, plan.ProgressFilter{OrgID: c.deps.OrgID, PlanID: p.ID, TaskCode: t.Code, LatestOnly: true})
	if err != nil {
		return fmt.Errorf("list progress of %s: %w", t.Code, err)
	}
	slices.SortFunc(reports, func(a, b plan.Progress) int {
		if newer(&a, &b) {
			return -1
		}
		return 1
	})
	if len(reports) > 6 {
		reports = reports[:6]
	}
	d := texts.TaskDetail{Task: t, Reports: reports}
	if t.Deadline.HasDue() {
		d.Effective, d.DueOff = c.dueDay(t.Deadline.Due)
	}
	for _, s := range p.Sections {
		if s.Number == t.Section {
			d.Section = s.Title
		}
	}
	return r.Reply(ctx, plan.Message{Text: texts.RenderTaskDetail(d)})
}

// ---- /baocao and progress replies ----

func (c *Core) cmdReport(ctx context.Context, r *Request) error {
	p, err := c.planForText(ctx, r)
	if err != nil {
		return err
	}
	code, rest, ok := progress.CutTaskCode(r.Text)
	if !ok || rest == "" {
		return plan.Errorf(plan.EInvalid, "%s", texts.ReportUsageError)
	}
	if reply := splitReply(p, r.Text); many(reply) {
		return c.recordMany(ctx, r, p, reply, nil)
	}
	t := taskByCode(p, code)
	if t == nil {
		return plan.Errorf(plan.ENotFound, "%s", texts.UnknownTask(code))
	}
	return c.record(ctx, r, p, t, rest, nil)
}

// splitReply splits a message into its reports, knowing the plan's bare
// task codes ("6", "8").
func splitReply(p *plan.Plan, text string) progress.Reply {
	return progress.SplitWith(text, func(code string) bool { return p.Task(code) != nil })
}

// handleText handles plain text from a registered person: a progress
// reply, to a reminder (Event.ReplyToID) or with the task code first.
func (c *Core) handleText(ctx context.Context, r *Request) error {
	if r.Text == "" {
		return plan.Errorf(plan.EInvalid, "%s", progress.Examples)
	}
	rc, err := c.replyContext(ctx, r.Event)
	if err != nil {
		return err
	}
	var p *plan.Plan
	if rc != nil && rc.PlanID != 0 {
		if p, err = c.ownPlan(ctx, rc.PlanID); err != nil {
			return fmt.Errorf("plan %d of reply: %w", rc.PlanID, err)
		}
	} else if p, err = c.planForText(ctx, r); err != nil {
		return err
	}
	if reply := splitReply(p, r.Text); many(reply) {
		return c.recordMany(ctx, r, p, reply, rc)
	}
	if code, rest, ok := progress.CutTaskCode(r.Text); ok {
		if t := taskByCode(p, code); t != nil {
			return c.record(ctx, r, p, t, rest, rc)
		}
		// "12 hồ sơ" is not task 12; but "9 80%" names a missing task.
		if _, err := progress.Parse(r.Text); err != nil {
			if _, err := progress.Parse(rest); err == nil {
				return plan.Errorf(plan.ENotFound, "%s", texts.UnknownTask(code))
			}
		}
	}
	if _, err := progress.Parse(r.Text); err != nil {
		return err
	}
	if rc == nil && !r.Capabilities().ReplyTo {
		// Nothing to reply to on this messenger: a bare figure answers
		// the newest request.
		if rc, err = c.latestRequest(ctx, r.Event); err != nil {
			return err
		}
		if rc != nil && rc.PlanID != 0 && rc.PlanID != p.ID {
			if p, err = c.ownPlan(ctx, rc.PlanID); err != nil {
				return fmt.Errorf("plan %d of request: %w", rc.PlanID, err)
			}
		}
	}
	switch {
	case rc != nil && len(rc.TaskCodes) == 1:
		t := taskByCode(p, rc.TaskCodes[0])
		if t == nil {
			return plan.Errorf(plan.ENotFound, "%s", texts.UnknownTask(rc.TaskCodes[0]))
		}
		return c.record(ctx, r, p, t, r.Text, rc)
	case rc != nil && len(rc.Numbered) > 1 && !r.Capabilities().ReplyTo:
		return r.Reply(ctx, plan.Message{Text: plan.EscapeHTML(texts.WhichOfRequest(rc.Numbered))})
	case rc != nil && len(rc.TaskCodes) > 1:
		return r.Reply(ctx, plan.Message{Text: plan.EscapeHTML(texts.WhichOfTasks(rc.TaskCodes))})
	}
	return r.Reply(ctx, plan.Message{Text: plan.EscapeHTML(texts.WhichTask)})
}

// replyContext returns what the message replied to was about, when it was
// a reminder or a report request.
func (c *Core) replyContext(ctx context.Context, e *Event) (*plan.ReplyContext, error) {
	if e.ReplyToID == "" || c.deps.Outbox == nil {
		return nil, nil
	}
	item, err := c.deps.Outbox.ByExternalID(ctx, e.Address(), e.ReplyToID)
	switch {
	case plan.ErrorCode(err) == plan.ENotFound:
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("find replied message %s: %w", e.ReplyToID, err)
	}
	if !c.ownItem(item) {
		return nil, nil
	}
	switch item.Context.Kind {
	case plan.ReplyReminder, plan.ReplyReportRequest:
		return &item.Context, nil
	}
	return nil, nil
}

// ownItem reports whether an outbox item is this ward's: a person
// registered in two wards on one bot answers each ward's messages in that
// ward, never one ward's request in the other.
func (c *Core) ownItem(it *plan.OutboxItem) bool {
	return it.OrgID == 0 || it.OrgID == c.deps.OrgID
}

// ownPlan loads a plan a reply names, refusing another ward's as unknown.
func (c *Core) ownPlan(ctx context.Context, id int64) (*plan.Plan, error) {
	p, err := c.deps.Plans.PlanByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if p.OrgID != c.deps.OrgID {
		return nil, plan.Errorf(plan.ENotFound, "%s", texts.NoPlan)
	}
	return p, nil
}

// requestAge is how far back a bare figure, on a messenger without
// reply-to, looks for the request it answers: the month's request (the
// 18th) and its chaser (the 20th) until the summary (the 22nd), or a
// deadline reminder of the days before.
const requestAge = 10 * 24 * time.Hour

// requestLookup finds the newest reminder or report request a chat got
// (storage.DB).
type requestLookup interface {
	LatestRequest(ctx context.Context, to plan.Address, since time.Time) (*plan.OutboxItem, error)
}

// latestRequest is what a bare "80%" answers on a messenger where people
// cannot reply to a message: the newest request the chat got, if recent.
func (c *Core) latestRequest(ctx context.Context, e *Event) (*plan.ReplyContext, error) {
	l, ok := c.deps.Outbox.(requestLookup)
	if !ok {
		return nil, nil
	}
	it, err := l.LatestRequest(ctx, e.Address(), c.deps.Clock.Now().Add(-requestAge))
	switch {
	case plan.ErrorCode(err) == plan.ENotFound:
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("latest request to %s:%s: %w", e.Transport, e.ChatID, err)
	}
	if !c.ownItem(it) {
		return nil, nil
	}
	return &it.Context, nil
}

// record parses figure text and stores it as the officer's unit's report
// on t for the reply's period (else the current month).
func (c *Core) record(ctx context.Context, r *Request, p *plan.Plan, t *plan.Task, figText string, rc *plan.ReplyContext) error {
	o := r.Officer
	if o.Unit == "" {
		return plan.Errorf(plan.EInvalid, "%s", texts.NoUnit)
	}
	fig, err := progress.Parse(figText)
	if err != nil {
		var ok bool
		if fig, ok = ongoingWork(t, figText, err); !ok {
			return err
		}
	}
	rec, cut, err := c.store(ctx, o, p, t, fig, rc)
	if err != nil {
		return err
	}
	first, err := c.onlyReport(ctx, o, rec)
	if err != nil {
		return err
	}
	if err := c.afterRecorded(ctx, o, p, []Recorded{rec}); err != nil {
		return fmt.Errorf("follow up report %s/%s: %w", t.Code, o.Unit, err)
	}
	text := texts.Recorded(t.Code, rec.Progress, percentTarget(t), rec.Previous, c.otherReviewer(p, o), first)
	if cut {
		text += " " + texts.NoteCut
	}
	return r.Reply(ctx, plan.Message{Text: text})
}

// ongoingWork reads words with no figure ("đã tuyên truyền tại 4 buổi")
// as a report on an ongoing task ("Thường xuyên"): what the unit did
// this month, recorded as "đang thực hiện" with the words as its note.
// An ongoing task has no percentage to reach; its monthly report is the
// work done. Other tasks still need a figure: ok is false.
func ongoingWork(t *plan.Task, text string, parseErr error) (plan.Figure, bool) {
	if t == nil || t.Deadline.Kind != plan.DeadlineRecurring || plan.ErrorMessage(parseErr) != progress.Examples {
		return plan.Figure{}, false
	}
	text = strings.TrimSpace(text)
	if strings.IndexFunc(text, unicode.IsLetter) < 0 {
		return plan.Figure{}, false
	}
	return plan.Figure{Kind: plan.ProgressInProgress, Note: text}, true
}

// percentTarget returns the task's first percentage target, or 0.
func percentTarget(t *plan.Task) float64 {
	for _, tg := range t.Targets {
		if tg.Unit == "%" && tg.Value > 0 {
			return tg.Value
		}
	}
	return 0
}

// ---- /donvi ----

func (c *Core) cmdUnits(ctx context.Context, r *Request) error {
	units, err := c.knownUnits(ctx)
	if err != nil {
		return err
	}
	officers, err := c.deps.Officers.Officers(ctx, c.deps.OrgID)
	if err != nil {
		return fmt.Errorf("list officers: %w", err)
	}
	byUnit := map[string][]plan.Officer{}
	var others []plan.Officer
	for _, o := range officers {
		if o.Role.SeesAll() {
			others = append(others, o)
			continue
		}
		if !contains(units, o.Unit) {
			units = append(units, o.Unit)
		}
		byUnit[o.Unit] = append(byUnit[o.Unit], o)
	}
	lines := make([]texts.UnitLine, 0, len(units))
	for _, u := range units {
		os := byUnit[u]
		slices.SortFunc(os, func(a, b plan.Officer) int { return cmp.Compare(roleRank(a.Role), roleRank(b.Role)) })
		lines = append(lines, texts.UnitLine{Unit: u, Officers: os})
	}
	return r.Reply(ctx, plan.Message{Text: texts.RenderUnits(lines, others)})
}

func roleRank(r plan.Role) int {
	switch r {
	case plan.RoleOfficer:
		return 0
	case plan.RoleDeputy:
		return 1
	}
	return 2
}

// ---- /moi ----

func (c *Core) cmdInvite(ctx context.Context, r *Request) error {
	args := r.Args
	if len(args) == 0 {
		return plan.Errorf(plan.EInvalid, "%s", texts.InviteUsage)
	}
	// "zalo" or "telegram" anywhere: the messenger the code is for
	// (default: the one the secretariat writes on).
	messenger := r.Event.Transport
	for i, a := range args {
		if t, ok := c.transportNamed(a); ok {
			messenger, args = t, append(slices.Clone(args[:i]), args[i+1:]...)
			break
		}
	}
	// The role comes last and may be two words ("thư ký", "chủ tịch").
	role := plan.RoleOfficer
	if n := len(args); n >= 2 {
		if rl, ok := ParseRole(args[n-2] + args[n-1]); ok {
			role, args = rl, args[:n-2]
		}
	}
	if role == plan.RoleOfficer && len(args) > 0 {
		if rl, ok := ParseRole(args[len(args)-1]); ok {
			role, args = rl, args[:len(args)-1]
		}
	}
	if role == plan.RoleProvince {
		// The province's people are invited into the province, by the
		// deployment's administrators (planbot invite --org).
		return plan.Errorf(plan.EInvalid, "%s", texts.InviteProvinceInChat)
	}
	units, err := c.knownUnits(ctx)
	if err != nil {
		return err
	}
	unit := ""
	if len(args) > 0 {
		u, err := ResolveUnit(strings.Join(args, " "), units)
		if err != nil {
			return err
		}
		unit = u
	}
	inv, err := CreateInvite(ctx, c.deps.Officers, c.deps.Audit, InviteSpec{
		OrgID: c.deps.OrgID, Unit: unit, Role: role, CreatedBy: r.Officer.ID, TTL: c.deps.InviteTTL,
		Messenger: c.inviteMessenger(messenger),
	}, c.deps.Clock.Now())
	if err != nil {
		return err
	}
	if TypedCodes(inv.Messenger) {
		return r.Reply(ctx, plan.Message{Text: texts.InviteTyped(unit, role, inv.Messenger, c.deps.BotNames[inv.Messenger],
			FormatShortCode(inv.Code), plan.DateOf(inv.ExpiresAt.In(c.deps.Location)))})
	}
	link := ""
	if c.deps.BotUsername != "" {
		link = InviteLink(c.deps.BotUsername, inv.Code)
	}
	return r.Reply(ctx, plan.Message{Text: texts.InviteCreated(unit, role, inv.Code, link, plan.DateOf(inv.ExpiresAt.In(c.deps.Location)))})
}

// transportNamed reads a messenger's name as typed ("zalo", "Telegram",
// "tg") among the transports the bot serves.
func (c *Core) transportNamed(word string) (string, bool) {
	w := strings.ToLower(strings.TrimSpace(word))
	switch w {
	case "tg", "tele":
		w = "telegram"
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	if _, ok := c.deps.Senders[w]; ok {
		return w, true
	}
	// "telegram" for the ward's own bot, "telegram/chanh-lo".
	for name := range c.deps.Senders {
		if plan.MessengerOf(name) == w {
			return name, true
		}
	}
	return w, false
}

// transports lists the messengers the bot serves, sorted.
func (c *Core) transports() []string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	var out []string
	for name := range c.deps.Senders {
		if name != "local" || len(c.deps.Senders) == 1 {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// inviteMessenger is the messenger an invite is made for: the named one
// when it takes typed codes (Zalo), else "" (a deep-link code, also
// typable after /start).
func (c *Core) inviteMessenger(transport string) string {
	if !c.capabilities(transport).DeepLinks {
		return transport
	}
	return ""
}

// ---- /kenh ----

// cmdChannel shows the messengers the officer is registered on, makes
// one of them the one reminders go to, or gives the code that adds
// another.
func (c *Core) cmdChannel(ctx context.Context, r *Request) error {
	cs, ok := c.deps.Officers.(plan.ContactStore)
	if !ok {
		return plan.Errorf(plan.EInvalid, "%s", texts.ChannelUnknown("", c.transports()))
	}
	contacts, err := cs.Contacts(ctx, r.Officer.ID)
	if err != nil {
		return err
	}
	if len(r.Args) == 0 {
		return r.Reply(ctx, plan.Message{Text: texts.Channels(contacts, c.transports())})
	}
	t, known := c.transportNamed(r.Args[0])
	if !known {
		return plan.Errorf(plan.EInvalid, "%s", texts.ChannelUnknown(r.Args[0], c.transports()))
	}
	for _, ct := range contacts {
		if ct.Transport != t {
			continue
		}
		if err := cs.Prefer(ctx, r.Officer.ID, t); err != nil {
			return err
		}
		if err := c.audit(ctx, r.Officer.ID, "officer.prefer", fmt.Sprintf("officer=%d transport=%s", r.Officer.ID, t)); err != nil {
			return err
		}
		return r.Reply(ctx, plan.Message{Text: texts.ChannelSet(t)})
	}
	inv, err := CreateInvite(ctx, c.deps.Officers, c.deps.Audit, InviteSpec{
		OrgID: c.deps.OrgID, Unit: r.Officer.Unit, Role: r.Officer.Role, CreatedBy: r.Officer.ID,
		TTL: c.deps.InviteTTL, Messenger: c.inviteMessenger(t), LinkOfficer: r.Officer.ID,
	}, c.deps.Clock.Now())
	if err != nil {
		return err
	}
	expires := plan.DateOf(inv.ExpiresAt.In(c.deps.Location))
	if TypedCodes(inv.Messenger) {
		return r.Reply(ctx, plan.Message{Text: texts.ChannelLinkTyped(t, c.deps.BotNames[t], FormatShortCode(inv.Code), expires)})
	}
	return r.Reply(ctx, plan.Message{Text: texts.ChannelLink(t, InviteLink(c.deps.BotUsername, inv.Code), expires)})
}

// ---- /web ----

// cmdWeb sends a one-time link to the web pages, in the chat only the
// person reads (never in a group).
func (c *Core) cmdWeb(ctx context.Context, r *Request) error {
	if c.deps.WebSignIn == nil {
		return plan.Errorf(plan.EInvalid, "%s", texts.WebNoPublicURL)
	}
	if r.Event.Group {
		return plan.Errorf(plan.EInvalid, "%s", texts.WebNotInGroup)
	}
	link, until, err := c.deps.WebSignIn(ctx, r.Officer)
	if err != nil {
		return err
	}
	return r.Reply(ctx, plan.Message{Text: texts.WebLink(link, until.In(c.deps.Location).Format("15:04"))})
}

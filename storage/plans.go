package storage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/chanhlo/planbot/plan"
)

var _ plan.PlanStore = (*DB)(nil)

// Row types of the version 1 tables, as this file reads and writes them.

type planRow struct {
	ID         int64
	OrgID      int64
	PlanKey    string
	Number     string
	SignedOn   *string
	Title      string
	Year       int
	Warnings   string
	Standing   string
	CreatedAt  time.Time
	UpdatedAt  time.Time
	ArchivedAt *time.Time
}

func (planRow) TableName() string { return "plans" }

type sectionRow struct {
	ID       int64
	PlanID   int64
	Number   string
	Title    string
	Position int
}

func (sectionRow) TableName() string { return "sections" }

type planUnitRow struct {
	PlanID   int64
	UnitID   int64
	Position int
}

func (planUnitRow) TableName() string { return "plan_units" }

type taskRow struct {
	ID                   int64
	PlanID               int64
	Code                 string
	Section              string
	Title                string
	Position             int
	SupportAll           bool
	DeadlineKind         string
	DeadlineDue          *string
	DeadlineStart        *string
	DeadlineExpected     *string
	DeadlineRecurrence   string
	DeadlineText         string
	DeadlineSource       string
	DocumentDeadlineText string
	DeadlineSetOn        *string
	CreatedAt            time.Time
	UpdatedAt            time.Time
	RemovedAt            *time.Time
}

func (taskRow) TableName() string { return "tasks" }

type taskUnitRow struct {
	TaskID   int64
	UnitID   int64
	Role     string
	Position int
}

func (taskUnitRow) TableName() string { return "task_units" }

type targetRow struct {
	ID       int64
	TaskID   int64
	Position int
	Value    float64
	Unit     string
	Text     string
}

func (targetRow) TableName() string { return "targets" }

type unitRow struct {
	ID        int64
	OrgID     int64
	Name      string
	Aliases   string
	CreatedAt time.Time
}

func (unitRow) TableName() string { return "units" }

// Deadline sources (tasks.deadline_source).
const (
	deadlineFromDocument = "document"
	deadlineManual       = "manual"
)

// SavePlan stores p in one transaction, matching an existing plan of
// p.OrgID (plan.DefaultOrg when 0) by p.Key(). On a match the plan is
// updated in place: tasks are matched by code and keep their ids, new
// codes are added, and tasks missing from the document are marked removed
// (never deleted, so what refers to them survives); a removed task that
// comes back is restored under its old id. A deadline set by SetDeadline
// is kept, with the day it was set, as long as the document's deadline
// phrase for the task is the one it had when the deadline was set; a
// document that changes the phrase replaces both.
//
// SavePlan sets p.ID, p.OrgID, p.CreatedAt, p.UpdatedAt and each task's
// ID and PlanID (and Deadline and DeadlineSetOn, when a manual deadline
// is kept).
func (db *DB) SavePlan(ctx context.Context, p *plan.Plan) (plan.SaveResult, error) {
	if p.OrgID == 0 {
		p.OrgID = plan.DefaultOrg
	}
	if err := validatePlan(p); err != nil {
		return plan.SaveResult{}, err
	}
	var res plan.SaveResult
	err := db.tx(ctx, func(tx *gorm.DB) error {
		var err error
		if res, err = db.savePlan(tx, p); err != nil {
			return err
		}
		return bumpPlans(tx, p.OrgID)
	})
	if err != nil {
		var pe *plan.Error
		if errors.As(err, &pe) {
			return plan.SaveResult{}, err
		}
		return plan.SaveResult{}, fmt.Errorf("save plan %q: %w", p.Key(), err)
	}
	return res, nil
}

func validatePlan(p *plan.Plan) error {
	seen := map[string]bool{}
	for _, t := range p.Tasks {
		if t.Code == "" {
			return plan.Errorf(plan.EInvalid, "Nhiệm vụ %q không có số thứ tự (mã nhiệm vụ).", t.Title)
		}
		if seen[t.Code] {
			return plan.Errorf(plan.EInvalid, "Kế hoạch có hai nhiệm vụ cùng mã %s.", t.Code)
		}
		seen[t.Code] = true
		for _, units := range [][]string{t.Lead, t.Execute, t.Support} {
			if slices.Contains(units, "") {
				return plan.Errorf(plan.EInvalid, "Nhiệm vụ %s có đơn vị không tên.", t.Code)
			}
		}
	}
	if slices.Contains(p.Units, "") {
		return plan.Errorf(plan.EInvalid, "Kế hoạch có đơn vị không tên.")
	}
	return nil
}

func (db *DB) savePlan(tx *gorm.DB, p *plan.Plan) (plan.SaveResult, error) {
	var res plan.SaveResult
	now := db.now()

	var orgs int64
	if err := tx.Table("organisations").Where("id = ?", p.OrgID).Count(&orgs).Error; err != nil {
		return res, fmt.Errorf("find organisation: %w", err)
	}
	if orgs == 0 {
		return res, plan.Errorf(plan.ENotFound, "Không tìm thấy tổ chức (mã %d).", p.OrgID)
	}

	// The plan row: insert it, or find and lock the one with the same key.
	// ON CONFLICT DO NOTHING lets two concurrent imports of a new plan on
	// PostgreSQL meet at the lock instead of failing on the unique key.
	warnings, err := marshalStrings(p.Warnings)
	if err != nil {
		return res, err
	}
	row := planRow{
		OrgID: p.OrgID, PlanKey: p.Key(), Number: p.Number, SignedOn: dateCol(p.Date),
		Title: p.Title, Year: p.Year, Warnings: warnings, Standing: p.Standing, CreatedAt: now, UpdatedAt: now,
	}
	ins := tx.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "org_id"}, {Name: "plan_key"}},
		DoNothing: true,
	}).Create(&row)
	if ins.Error != nil {
		return res, fmt.Errorf("insert plan: %w", ins.Error)
	}
	res.Created = ins.RowsAffected == 1
	var cur planRow
	if err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).
		Where("org_id = ? AND plan_key = ?", p.OrgID, p.Key()).Take(&cur).Error; err != nil {
		return res, fmt.Errorf("find plan: %w", err)
	}
	if !res.Created {
		err := tx.Model(&planRow{}).Where("id = ?", cur.ID).Updates(map[string]any{
			"number": p.Number, "signed_on": dateCol(p.Date), "title": p.Title,
			"year": p.Year, "warnings": warnings, "standing": p.Standing, "updated_at": now,
		}).Error
		if err != nil {
			return res, fmt.Errorf("update plan: %w", err)
		}
	}
	p.ID, p.CreatedAt, p.UpdatedAt = cur.ID, cur.CreatedAt.UTC(), now

	unitIDs, err := ensureUnits(tx, p.OrgID, planUnitNames(p), now)
	if err != nil {
		return res, err
	}

	// Sections and the plan's unit list are replaced: nothing refers to them.
	if err := tx.Where("plan_id = ?", p.ID).Delete(&planUnitRow{}).Error; err != nil {
		return res, fmt.Errorf("clear plan units: %w", err)
	}
	var pus []planUnitRow
	for _, name := range dedup(p.Units) {
		pus = append(pus, planUnitRow{PlanID: p.ID, UnitID: unitIDs[name], Position: len(pus)})
	}
	if err := createAll(tx, pus); err != nil {
		return res, fmt.Errorf("insert plan units: %w", err)
	}
	if err := tx.Where("plan_id = ?", p.ID).Delete(&sectionRow{}).Error; err != nil {
		return res, fmt.Errorf("clear sections: %w", err)
	}
	secs := make([]sectionRow, len(p.Sections))
	for i, s := range p.Sections {
		secs[i] = sectionRow{PlanID: p.ID, Number: s.Number, Title: s.Title, Position: i}
	}
	if err := createAll(tx, secs); err != nil {
		return res, fmt.Errorf("insert sections: %w", err)
	}

	// Tasks, matched by code.
	var old []taskRow
	if err := tx.Where("plan_id = ?", p.ID).Find(&old).Error; err != nil {
		return res, fmt.Errorf("load tasks: %w", err)
	}
	oldByCode := make(map[string]taskRow, len(old))
	oldIDs := make([]int64, len(old))
	for i, r := range old {
		oldByCode[r.Code] = r
		oldIDs[i] = r.ID
	}
	details, err := loadTaskDetails(tx, oldIDs)
	if err != nil {
		return res, err
	}
	inDoc := make(map[string]bool, len(p.Tasks))
	for i := range p.Tasks {
		t := &p.Tasks[i]
		inDoc[t.Code] = true
		t.PlanID = p.ID
		prev, exists := oldByCode[t.Code]
		if !exists {
			r := newTaskRow(p.ID, i, t, now)
			if err := tx.Create(&r).Error; err != nil {
				return res, fmt.Errorf("insert task %s: %w", t.Code, err)
			}
			t.ID = r.ID
			if err := writeTaskDetails(tx, r.ID, t, unitIDs, false); err != nil {
				return res, err
			}
			res.Added++
			continue
		}
		t.ID = prev.ID
		// The secretariat's deadline stands while the document's does not
		// change.
		docText := t.Deadline.Text
		keepManual := prev.DeadlineSource == deadlineManual && prev.DocumentDeadlineText == docText
		t.DeadlineSetOn = plan.Date{}
		if keepManual {
			if t.Deadline, err = rowDeadline(prev); err != nil {
				return res, err
			}
			if t.DeadlineSetOn, err = colDate(prev.DeadlineSetOn); err != nil {
				return res, fmt.Errorf("task %d: deadline set on: %w", prev.ID, err)
			}
		}
		restored := prev.RemovedAt != nil
		old, err := rowTask(prev, details[prev.ID])
		if err != nil {
			return res, err
		}
		changed := !sameTask(&old, t)
		switch {
		case restored:
			res.Added++
		case changed:
			res.Updated++
		case prev.Position == i:
			continue
		}
		r := newTaskRow(p.ID, i, t, now)
		if !restored && !changed {
			r.UpdatedAt = prev.UpdatedAt // only moved
		}
		r.DocumentDeadlineText = docText
		if keepManual {
			r.DeadlineSource = deadlineManual
			r.DeadlineSetOn = prev.DeadlineSetOn
		}
		err = tx.Model(&taskRow{}).Where("id = ?", prev.ID).Updates(map[string]any{
			"section": r.Section, "title": r.Title, "position": r.Position, "support_all": r.SupportAll,
			"deadline_kind": r.DeadlineKind, "deadline_due": r.DeadlineDue, "deadline_start": r.DeadlineStart,
			"deadline_expected": r.DeadlineExpected, "deadline_recurrence": r.DeadlineRecurrence,
			"deadline_text": r.DeadlineText, "deadline_source": r.DeadlineSource,
			"deadline_set_on": r.DeadlineSetOn, "document_deadline_text": r.DocumentDeadlineText, "updated_at": r.UpdatedAt, "removed_at": nil,
		}).Error
		if err != nil {
			return res, fmt.Errorf("update task %s: %w", t.Code, err)
		}
		if changed {
			if err := writeTaskDetails(tx, prev.ID, t, unitIDs, true); err != nil {
				return res, err
			}
		}
	}
	for _, r := range old {
		if inDoc[r.Code] || r.RemovedAt != nil {
			continue
		}
		err := tx.Model(&taskRow{}).Where("id = ?", r.ID).
			Updates(map[string]any{"removed_at": now, "updated_at": now}).Error
		if err != nil {
			return res, fmt.Errorf("remove task %s: %w", r.Code, err)
		}
		res.Removed++
	}
	return res, nil
}

func newTaskRow(planID int64, pos int, t *plan.Task, now time.Time) taskRow {
	d := t.Deadline
	return taskRow{
		PlanID: planID, Code: t.Code, Section: t.Section, Title: t.Title, Position: pos,
		SupportAll: t.SupportAll, DeadlineKind: string(d.Kind), DeadlineDue: dateCol(d.Due),
		DeadlineStart: dateCol(d.Start), DeadlineExpected: dateCol(d.Expected),
		DeadlineRecurrence: string(d.Recurrence), DeadlineText: d.Text,
		DeadlineSource: deadlineFromDocument, DocumentDeadlineText: d.Text,
		CreatedAt: now, UpdatedAt: now,
	}
}

// writeTaskDetails writes a task's units and targets, replacing the old
// ones when replace is set.
func writeTaskDetails(tx *gorm.DB, taskID int64, t *plan.Task, unitIDs map[string]int64, replace bool) error {
	if replace {
		if err := tx.Where("task_id = ?", taskID).Delete(&taskUnitRow{}).Error; err != nil {
			return fmt.Errorf("clear units of task %s: %w", t.Code, err)
		}
		if err := tx.Where("task_id = ?", taskID).Delete(&targetRow{}).Error; err != nil {
			return fmt.Errorf("clear targets of task %s: %w", t.Code, err)
		}
	}
	var tus []taskUnitRow
	for _, g := range []struct {
		role  plan.AssignmentRole
		names []string
	}{{plan.RoleLead, t.Lead}, {plan.RoleExecute, t.Execute}, {plan.RoleSupport, t.Support}} {
		seen := map[string]bool{}
		for _, name := range g.names {
			if seen[name] {
				continue // the primary key holds a unit once per role
			}
			seen[name] = true
			tus = append(tus, taskUnitRow{TaskID: taskID, UnitID: unitIDs[name], Role: string(g.role), Position: len(seen) - 1})
		}
	}
	if err := createAll(tx, tus); err != nil {
		return fmt.Errorf("insert units of task %s: %w", t.Code, err)
	}
	tgs := make([]targetRow, len(t.Targets))
	for i, g := range t.Targets {
		tgs[i] = targetRow{TaskID: taskID, Position: i, Value: g.Value, Unit: g.Unit, Text: g.Text}
	}
	if err := createAll(tx, tgs); err != nil {
		return fmt.Errorf("insert targets of task %s: %w", t.Code, err)
	}
	return nil
}

// sameTask reports whether a and b hold the same content, ignoring ids.
// Lists of units are compared without duplicates, as they are stored.
func sameTask(a, b *plan.Task) bool {
	return a.Code == b.Code && a.Section == b.Section && a.Title == b.Title &&
		a.SupportAll == b.SupportAll && a.Deadline == b.Deadline &&
		slices.Equal(dedup(a.Lead), dedup(b.Lead)) &&
		slices.Equal(dedup(a.Execute), dedup(b.Execute)) &&
		slices.Equal(dedup(a.Support), dedup(b.Support)) &&
		slices.Equal(a.Targets, b.Targets)
}

func dedup(xs []string) []string {
	var out []string
	for _, x := range xs {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// planUnitNames returns every unit name p mentions, in order of first
// mention.
func planUnitNames(p *plan.Plan) []string {
	var names []string
	seen := map[string]bool{}
	add := func(xs []string) {
		for _, x := range xs {
			if !seen[x] {
				seen[x] = true
				names = append(names, x)
			}
		}
	}
	add(p.Units)
	for _, t := range p.Tasks {
		add(t.Lead)
		add(t.Execute)
		add(t.Support)
	}
	return names
}

// ensureUnits creates the named units of the organisation that do not
// exist yet and returns the ids of all of them by name.
func ensureUnits(tx *gorm.DB, orgID int64, names []string, now time.Time) (map[string]int64, error) {
	ids := make(map[string]int64, len(names))
	if len(names) == 0 {
		return ids, nil
	}
	rows := make([]unitRow, len(names))
	for i, n := range names {
		rows[i] = unitRow{OrgID: orgID, Name: n, Aliases: "[]", CreatedAt: now}
	}
	err := tx.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "org_id"}, {Name: "name"}},
		DoNothing: true,
	}).Create(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("insert units: %w", err)
	}
	var found []unitRow
	if err := tx.Where("org_id = ? AND name IN ?", orgID, names).Find(&found).Error; err != nil {
		return nil, fmt.Errorf("find units: %w", err)
	}
	for _, u := range found {
		ids[u.Name] = u.ID
	}
	for _, n := range names {
		if ids[n] == 0 {
			return nil, fmt.Errorf("unit %q missing after insert", n)
		}
	}
	return ids, nil
}

// createAll inserts rows, doing nothing for none (gorm refuses an empty
// slice).
func createAll[T any](tx *gorm.DB, rows []T) error {
	if len(rows) == 0 {
		return nil
	}
	return tx.Create(&rows).Error
}

// taskDetails are a task's units by role and its targets.
type taskDetails struct {
	lead, execute, support []string
	targets                []plan.Target
}

// loadTaskDetails loads the units and targets of the given tasks.
func loadTaskDetails(tx *gorm.DB, taskIDs []int64) (map[int64]*taskDetails, error) {
	out := make(map[int64]*taskDetails, len(taskIDs))
	if len(taskIDs) == 0 {
		return out, nil
	}
	get := func(id int64) *taskDetails {
		d := out[id]
		if d == nil {
			d = &taskDetails{}
			out[id] = d
		}
		return d
	}
	var units []struct {
		TaskID int64
		Role   string
		Name   string
	}
	err := tx.Raw(`SELECT tu.task_id, tu.role, u.name FROM task_units tu JOIN units u ON u.id = tu.unit_id
		WHERE tu.task_id IN ? ORDER BY tu.task_id, tu.role, tu.position`, taskIDs).Scan(&units).Error
	if err != nil {
		return nil, fmt.Errorf("load task units: %w", err)
	}
	for _, u := range units {
		d := get(u.TaskID)
		switch plan.AssignmentRole(u.Role) {
		case plan.RoleLead:
			d.lead = append(d.lead, u.Name)
		case plan.RoleExecute:
			d.execute = append(d.execute, u.Name)
		case plan.RoleSupport:
			d.support = append(d.support, u.Name)
		default:
			return nil, fmt.Errorf("task %d: unknown role %q", u.TaskID, u.Role)
		}
	}
	var targets []targetRow
	if err := tx.Where("task_id IN ?", taskIDs).Order("task_id, position").Find(&targets).Error; err != nil {
		return nil, fmt.Errorf("load targets: %w", err)
	}
	for _, g := range targets {
		d := get(g.TaskID)
		d.targets = append(d.targets, plan.Target{Value: g.Value, Unit: g.Unit, Text: g.Text})
	}
	return out, nil
}

func rowTask(r taskRow, d *taskDetails) (plan.Task, error) {
	dl, err := rowDeadline(r)
	if err != nil {
		return plan.Task{}, err
	}
	t := plan.Task{
		ID: r.ID, PlanID: r.PlanID, Code: r.Code, Section: r.Section, Title: r.Title,
		SupportAll: r.SupportAll, Deadline: dl,
	}
	if t.DeadlineSetOn, err = colDate(r.DeadlineSetOn); err != nil {
		return plan.Task{}, fmt.Errorf("task %d: deadline set on: %w", r.ID, err)
	}
	if d != nil {
		t.Lead, t.Execute, t.Support, t.Targets = d.lead, d.execute, d.support, d.targets
	}
	return t, nil
}

func rowDeadline(r taskRow) (plan.Deadline, error) {
	d := plan.Deadline{
		Kind: plan.DeadlineKind(r.DeadlineKind), Recurrence: plan.Recurrence(r.DeadlineRecurrence), Text: r.DeadlineText,
	}
	var err error
	if d.Due, err = colDate(r.DeadlineDue); err != nil {
		return d, fmt.Errorf("task %d: due: %w", r.ID, err)
	}
	if d.Start, err = colDate(r.DeadlineStart); err != nil {
		return d, fmt.Errorf("task %d: start: %w", r.ID, err)
	}
	if d.Expected, err = colDate(r.DeadlineExpected); err != nil {
		return d, fmt.Errorf("task %d: expected: %w", r.ID, err)
	}
	return d, nil
}

// Plans returns the organisation's plans, newest (by year, then by last
// update) first, each with its sections, units and the tasks still in
// the document, in document order.
func (db *DB) Plans(ctx context.Context, orgID int64) ([]plan.Plan, error) {
	ps, err := db.SharedPlans(ctx, orgID)
	if err != nil {
		return nil, err
	}
	return clonePlans(ps), nil
}

// SharedPlans is Plans without the copy: the plans the store keeps in
// memory, which the caller must only read. Copying a 500-task plan for
// every reply cost a fifth of the reply (docs/benchmarks.md); the chat
// core, which only reads plans, uses this.
func (db *DB) SharedPlans(ctx context.Context, orgID int64) ([]plan.Plan, error) {
	version, err := db.plansVersion(ctx, orgID)
	if err != nil {
		return nil, err
	}
	if ps, ok := db.plans.get(orgID, version); ok {
		return ps, nil
	}
	ps, err := db.loadOrgPlans(ctx, orgID)
	if err != nil {
		return nil, err
	}
	return db.plans.put(orgID, version, ps), nil
}

// loadOrgPlans reads the organisation's plans from the tables.
func (db *DB) loadOrgPlans(ctx context.Context, orgID int64) ([]plan.Plan, error) {
	var rows []planRow
	tx := db.conn(ctx)
	if err := tx.Where("org_id = ?", orgID).Order("year DESC, updated_at DESC, id DESC").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("plans of org %d: %w", orgID, err)
	}
	out, err := loadPlans(tx, rows)
	if err != nil {
		return nil, fmt.Errorf("plans of org %d: %w", orgID, err)
	}
	return out, nil
}

// PlanByID returns the plan with its sections, units and tasks, or an
// ENotFound *plan.Error.
func (db *DB) PlanByID(ctx context.Context, id int64) (*plan.Plan, error) {
	tx := db.conn(ctx)
	var rows []planRow
	if err := tx.Where("id = ?", id).Limit(1).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("plan %d: %w", id, err)
	}
	if len(rows) == 0 {
		return nil, plan.Errorf(plan.ENotFound, "Không tìm thấy kế hoạch (mã %d).", id)
	}
	out, err := loadPlans(tx, rows)
	if err != nil {
		return nil, fmt.Errorf("plan %d: %w", id, err)
	}
	return &out[0], nil
}

func loadPlans(tx *gorm.DB, rows []planRow) ([]plan.Plan, error) {
	if len(rows) == 0 {
		return nil, nil
	}
	out := make([]plan.Plan, len(rows))
	byID := make(map[int64]*plan.Plan, len(rows))
	ids := make([]int64, len(rows))
	for i, r := range rows {
		p := plan.Plan{
			ID: r.ID, OrgID: r.OrgID, Number: r.Number, Title: r.Title, Year: r.Year, Standing: r.Standing,
			ArchivedAt: utcPtr(r.ArchivedAt),
			CreatedAt:  r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
		}
		var err error
		if p.Date, err = colDate(r.SignedOn); err != nil {
			return nil, fmt.Errorf("plan %d: date: %w", r.ID, err)
		}
		if p.Warnings, err = unmarshalStrings(r.Warnings); err != nil {
			return nil, fmt.Errorf("plan %d: warnings: %w", r.ID, err)
		}
		out[i] = p
		byID[r.ID] = &out[i]
		ids[i] = r.ID
	}

	var secs []sectionRow
	if err := tx.Where("plan_id IN ?", ids).Order("plan_id, position").Find(&secs).Error; err != nil {
		return nil, fmt.Errorf("load sections: %w", err)
	}
	for _, s := range secs {
		p := byID[s.PlanID]
		p.Sections = append(p.Sections, plan.Section{Number: s.Number, Title: s.Title})
	}

	var pus []struct {
		PlanID int64
		Name   string
	}
	err := tx.Raw(`SELECT pu.plan_id, u.name FROM plan_units pu JOIN units u ON u.id = pu.unit_id
		WHERE pu.plan_id IN ? ORDER BY pu.plan_id, pu.position`, ids).Scan(&pus).Error
	if err != nil {
		return nil, fmt.Errorf("load plan units: %w", err)
	}
	for _, u := range pus {
		p := byID[u.PlanID]
		p.Units = append(p.Units, u.Name)
	}

	var tasks []taskRow
	if err := tx.Where("plan_id IN ? AND removed_at IS NULL", ids).Order("plan_id, position").Find(&tasks).Error; err != nil {
		return nil, fmt.Errorf("load tasks: %w", err)
	}
	taskIDs := make([]int64, len(tasks))
	for i, t := range tasks {
		taskIDs[i] = t.ID
	}
	details, err := loadTaskDetails(tx, taskIDs)
	if err != nil {
		return nil, err
	}
	for _, r := range tasks {
		t, err := rowTask(r, details[r.ID])
		if err != nil {
			return nil, err
		}
		p := byID[r.PlanID]
		p.Tasks = append(p.Tasks, t)
	}
	return out, nil
}

// SetDeadline replaces the deadline of the plan's task with the given
// code (the secretariat's /sethan) and records on, the day it was set (in
// the caller's zone: storage keeps days, not instants), as the task's
// DeadlineSetOn. The deadline then outlives re-imports of the document
// until the document's own deadline for the task changes.
func (db *DB) SetDeadline(ctx context.Context, planID int64, code string, d plan.Deadline, on plan.Date) error {
	switch d.Kind {
	case plan.DeadlineDate, plan.DeadlineRange, plan.DeadlineRecurring, plan.DeadlineConditional, plan.DeadlineOpen:
	default:
		return plan.Errorf(plan.EInvalid, "Loại thời hạn %q không hợp lệ.", d.Kind)
	}
	if d.Kind == plan.DeadlineRange && !d.Start.IsZero() && d.Due.Before(d.Start) {
		return plan.Errorf(plan.EInvalid, "Ngày kết thúc (%s) trước ngày bắt đầu (%s).", d.Due.Vietnamese(), d.Start.Vietnamese())
	}
	if on.IsZero() {
		return plan.Errorf(plan.EInvalid, "Thiếu ngày đặt thời hạn.")
	}
	return db.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&taskRow{}).Where("plan_id = ? AND code = ? AND removed_at IS NULL", planID, code).
			Updates(map[string]any{
				"deadline_kind": string(d.Kind), "deadline_due": dateCol(d.Due), "deadline_start": dateCol(d.Start),
				"deadline_expected": dateCol(d.Expected), "deadline_recurrence": string(d.Recurrence),
				"deadline_text": d.Text, "deadline_source": deadlineManual, "deadline_set_on": dateCol(on),
				"updated_at": db.now(),
			})
		if res.Error != nil {
			return fmt.Errorf("set deadline of task %s of plan %d: %w", code, planID, res.Error)
		}
		if res.RowsAffected == 1 {
			var org []int64
			if err := tx.Model(&planRow{}).Where("id = ?", planID).Pluck("org_id", &org).Error; err != nil || len(org) == 0 {
				return fmt.Errorf("set deadline: org of plan %d: %w", planID, err)
			}
			return bumpPlans(tx, org[0])
		}
		var n int64
		if err := tx.Model(&planRow{}).Where("id = ?", planID).Count(&n).Error; err != nil {
			return fmt.Errorf("set deadline: find plan %d: %w", planID, err)
		}
		if n == 0 {
			return plan.Errorf(plan.ENotFound, "Không tìm thấy kế hoạch (mã %d).", planID)
		}
		return plan.Errorf(plan.ENotFound, "Kế hoạch không có nhiệm vụ %s.", code)
	})
}

// Units returns the organisation's units with their aliases, in the
// order they were first seen.
func (db *DB) Units(ctx context.Context, orgID int64) ([]plan.Unit, error) {
	var rows []unitRow
	if err := db.conn(ctx).Where("org_id = ?", orgID).Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("units of org %d: %w", orgID, err)
	}
	out := make([]plan.Unit, 0, len(rows))
	for _, r := range rows {
		u := plan.Unit{ID: r.ID, OrgID: r.OrgID, Name: r.Name}
		var err error
		if u.Aliases, err = unmarshalStrings(r.Aliases); err != nil {
			return nil, fmt.Errorf("units of org %d: aliases of %q: %w", orgID, r.Name, err)
		}
		out = append(out, u)
	}
	return out, nil
}

// SaveUnits creates or updates the organisation's units by name, setting
// their aliases (the names plans and officers use for them), and sets each
// unit's ID and OrgID.
func (db *DB) SaveUnits(ctx context.Context, orgID int64, units []plan.Unit) error {
	for _, u := range units {
		if u.Name == "" {
			return plan.Errorf(plan.EInvalid, "Đơn vị không có tên.")
		}
	}
	return db.tx(ctx, func(tx *gorm.DB) error {
		names := make([]string, len(units))
		for i, u := range units {
			names[i] = u.Name
		}
		ids, err := ensureUnits(tx, orgID, names, db.now())
		if err != nil {
			return fmt.Errorf("save units: %w", err)
		}
		for i := range units {
			aliases, err := marshalStrings(units[i].Aliases)
			if err != nil {
				return err
			}
			if err := tx.Model(&unitRow{}).Where("id = ?", ids[units[i].Name]).Update("aliases", aliases).Error; err != nil {
				return fmt.Errorf("save units: aliases of %q: %w", units[i].Name, err)
			}
			units[i].ID, units[i].OrgID = ids[units[i].Name], orgID
		}
		return nil
	})
}

// dateCol and colDate convert days to and from 'YYYY-MM-DD' text, the
// zero Date being NULL.
func dateCol(d plan.Date) *string {
	if d.IsZero() {
		return nil
	}
	s := d.String()
	return &s
}

func colDate(s *string) (plan.Date, error) {
	if s == nil || *s == "" {
		return plan.Date{}, nil
	}
	return plan.ParseDate(*s)
}

func marshalStrings(xs []string) (string, error) {
	if xs == nil {
		xs = []string{}
	}
	b, err := json.Marshal(xs)
	if err != nil {
		return "", fmt.Errorf("encode %v: %w", xs, err)
	}
	return string(b), nil
}

// unmarshalStrings decodes a JSON array of strings; an empty array is nil.
func unmarshalStrings(s string) ([]string, error) {
	var xs []string
	if s == "" {
		return nil, nil
	}
	if err := json.Unmarshal([]byte(s), &xs); err != nil {
		return nil, err
	}
	if len(xs) == 0 {
		return nil, nil
	}
	return xs, nil
}

// ArchivePlan archives the plan at at (nil: brings it back). Its tasks,
// reports and summaries stay; it is no longer reminded of nor offered.
func (db *DB) ArchivePlan(ctx context.Context, id int64, at *time.Time) error {
	var v any
	if at != nil {
		v = utc(*at)
	}
	return db.tx(ctx, func(tx *gorm.DB) error {
		var org []int64
		if err := tx.Model(&planRow{}).Where("id = ?", id).Pluck("org_id", &org).Error; err != nil {
			return fmt.Errorf("archive plan %d: %w", id, err)
		}
		if len(org) == 0 {
			return plan.Errorf(plan.ENotFound, "Không tìm thấy kế hoạch (mã %d).", id)
		}
		if err := tx.Model(&planRow{}).Where("id = ?", id).Update("archived_at", v).Error; err != nil {
			return fmt.Errorf("archive plan %d: %w", id, err)
		}
		return bumpPlans(tx, org[0])
	})
}

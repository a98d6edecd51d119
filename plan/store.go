package plan

import "context"

// PlanStore keeps plans with their tasks.
type PlanStore interface {
	// SavePlan stores p, matching an existing plan of p.OrgID by p.Key():
	// a match is updated in place (tasks matched by code, progress kept)
	// and p.ID is set either way.
	SavePlan(ctx context.Context, p *Plan) (SaveResult, error)
	// Plans returns the organisation's plans with their tasks, newest
	// (by year, then by last update) first.
	Plans(ctx context.Context, orgID int64) ([]Plan, error)
	// PlanByID returns one plan with its tasks, or an ENotFound *Error.
	PlanByID(ctx context.Context, id int64) (*Plan, error)
	// SetDeadline replaces one task's deadline (the secretariat's
	// /sethan), recording on, the day it was set, as the task's
	// DeadlineSetOn.
	SetDeadline(ctx context.Context, planID int64, code string, d Deadline, on Date) error
	// Units returns the organisation's units with their aliases.
	Units(ctx context.Context, orgID int64) ([]Unit, error)
}

// SaveResult tells what SavePlan did.
type SaveResult struct {
	Created bool // a new plan; false when an existing one was updated
	Added   int  // tasks added
	Updated int  // tasks changed
	Removed int  // tasks no longer in the document (their progress stays)
}

package bot

import (
	"context"

	"github.com/chanhlo/planbot/plan"
)

// Recorded is one report stored from an officer's message, with what those
// who follow up on it need: the task, the unit's role in it and the
// unit's previous report for the same period, if any.
type Recorded struct {
	Task     *plan.Task
	Role     plan.AssignmentRole
	Progress plan.Progress
	Previous *plan.Progress
}

// afterRecorded runs once per officer message, after every report the
// message carried is stored, with all of them. It is where the standing
// body and the secretariat learn of a "done" to confirm or of a blocker.
func (c *Core) afterRecorded(ctx context.Context, o *plan.Officer, p *plan.Plan, recs []Recorded) error {
	return nil
}

package plan

// UnitTaskCodes returns the codes of the tasks the unit answers for (lead
// or executing unit, as Task.Responsible counts them), in plan order.
//
// It is the numbering officers see: a request that lists several tasks
// numbers each by its position here (1-based), and a reply "2. 80%" means
// the second code of this list. The numbering is stable: a task that is
// done keeps its number even when it is no longer listed, so an officer
// answering an older request still hits the task they meant.
func UnitTaskCodes(p *Plan, unit string) []string {
	var out []string
	for i := range p.Tasks {
		t := &p.Tasks[i]
		for _, u := range t.Responsible() {
			if u == unit {
				out = append(out, t.Code)
				break
			}
		}
	}
	return out
}

// UnitTaskNumber returns the 1-based number of the task code in the unit's
// list (UnitTaskCodes), or 0 when the unit does not answer for it.
func UnitTaskNumber(p *Plan, unit, code string) int {
	for i, c := range UnitTaskCodes(p, unit) {
		if c == code {
			return i + 1
		}
	}
	return 0
}

package summary

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/chanhlo/planbot/plan"
)

// A province rolls up the summaries of hundreds of wards. One ward's
// summary is a few short reads and a computation: on PostgreSQL most of
// its time is spent waiting on round trips, on SQLite (WAL, one reader per
// connection) in the database's own code, and either way one core sits
// idle while the wards go one after the other (issue 15: 1,000 wards took
// 2.1 s on SQLite, 2.9 s on PostgreSQL). RollUp runs a few at once.

// DefaultRollUpWorkers is how many summaries RollUp runs at once unless
// told: twice the processors Go runs on, so that a summary waiting on
// the database leaves its processor to another one computing.
func DefaultRollUpWorkers() int { return 2 * runtime.GOMAXPROCS(0) }

// RollUpError is the failure of one organisation's summary, which stops
// a roll-up.
type RollUpError struct {
	OrgID int64
	Err   error
}

func (e *RollUpError) Error() string {
	return fmt.Sprintf("summary of organisation %d: %v", e.OrgID, e.Err)
}

func (e *RollUpError) Unwrap() error { return e.Err }

// RollUp summarises the current plan of each organisation of orgs for
// period as of asOf (zero: the period's end), as Summary does with s
// given the organisation's OrgID: s's stores, calendar, zone and
// DueSoonDays serve every organisation, and s.OrgID is ignored. It runs
// at most workers summaries at once (0 or less: DefaultRollUpWorkers), so
// s's stores and Workdays must be safe for concurrent use, as the
// storage and calendar packages' are.
//
// The summaries come back in the order of orgs. The first summary to fail
// stops the roll-up, the ones running are cancelled, and its error is
// returned as a *RollUpError naming the organisation: an organisation
// without a running plan fails too, with plan.ENotFound inside, so pass
// only organisations that have one. When ctx ends first, RollUp returns
// its error.
func (s *Source) RollUp(ctx context.Context, orgs []int64, period plan.Period, asOf plan.Date, workers int) ([]*Summary, error) {
	if workers <= 0 {
		workers = DefaultRollUpWorkers()
	}
	workers = min(workers, len(orgs))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	out := make([]*Summary, len(orgs))
	var (
		next, done atomic.Int64
		failed     sync.Once
		first      error
		wg         sync.WaitGroup
	)
	for range workers {
		wg.Go(func() {
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= len(orgs) {
					return
				}
				ward := *s
				ward.OrgID = orgs[i]
				sum, err := ward.Summary(ctx, period, asOf)
				if err != nil {
					// The summaries this cancels fail with ctx's error:
					// only the first failure says what went wrong.
					failed.Do(func() {
						first = &RollUpError{OrgID: orgs[i], Err: err}
						cancel()
					})
					return
				}
				out[i] = sum
				done.Add(1)
			}
		})
	}
	wg.Wait()
	if first != nil {
		return nil, first
	}
	if int(done.Load()) < len(orgs) {
		return nil, fmt.Errorf("roll-up of %d organisations stopped after %d: %w", len(orgs), done.Load(), ctx.Err())
	}
	return out, nil
}

// Province rolls up the wards of a deployment for opt.Period, as of asOf
// (zero: the period's end): each ward with a running plan is summarised
// as its own chairman's summary is (RollUp, workers at once), the others
// are listed without data, and RollUpProvince compares them. Wards are
// named as their messages name them (DisplayName).
func (s *Source) Province(ctx context.Context, wards []plan.Organisation, opt ProvinceOptions, asOf plan.Date, workers int) (*Province, error) {
	var withPlan []int64
	for _, w := range wards {
		ward := *s
		ward.OrgID = w.ID
		switch _, err := ward.ActivePlans(ctx); {
		case err == nil:
			withPlan = append(withPlan, w.ID)
		case plan.ErrorCode(err) != plan.ENotFound:
			return nil, &RollUpError{OrgID: w.ID, Err: err}
		}
	}
	sums, err := s.RollUp(ctx, withPlan, opt.Period, asOf, workers)
	if err != nil {
		return nil, err
	}
	byOrg := make(map[int64]*Summary, len(sums))
	for i, id := range withPlan {
		byOrg[id] = sums[i]
	}
	in := make([]Ward, len(wards))
	for i, w := range wards {
		in[i] = Ward{ID: w.ID, Name: w.DisplayName(), Summary: byOrg[w.ID]}
	}
	return RollUpProvince(in, opt), nil
}

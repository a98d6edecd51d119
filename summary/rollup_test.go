package summary

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/chanhlo/planbot/plan"
)

// rollUpPlans is a PlanStore giving organisation n a plan of id 10n;
// hook, when set, runs first on every call.
type rollUpPlans struct {
	plan.PlanStore
	hook  func(ctx context.Context, org int64) error
	calls atomic.Int64
}

func (s *rollUpPlans) Plans(ctx context.Context, org int64) ([]plan.Plan, error) {
	s.calls.Add(1)
	if s.hook != nil {
		if err := s.hook(ctx, org); err != nil {
			return nil, err
		}
	}
	p := fixturePlan()
	p.ID, p.OrgID = 10*org, org
	return []plan.Plan{*p}, nil
}

// rollUpProgress is a ProgressStore without reports.
type rollUpProgress struct{ plan.ProgressStore }

func (rollUpProgress) ListProgress(context.Context, plan.ProgressFilter) ([]plan.Progress, error) {
	return nil, nil
}

func rollUpSource(plans *rollUpPlans) *Source {
	return &Source{Plans: plans, Progress: rollUpProgress{}, Loc: hcm, OrgID: 999}
}

func orgRange(n int) []int64 {
	orgs := make([]int64, n)
	for i := range orgs {
		orgs[i] = int64(i + 1)
	}
	return orgs
}

var july = plan.Month(2023, time.July)

func TestRollUpKeepsOrder(t *testing.T) {
	for _, tc := range []struct {
		name    string
		workers int
	}{
		{"one at a time", 1},
		{"three", 3},
		{"default", 0},
		{"more workers than organisations", 50},
	} {
		t.Run(tc.name, func(t *testing.T) {
			orgs := orgRange(20)
			plans := &rollUpPlans{}
			if tc.workers != 1 {
				// The first organisation finishes after the last has
				// begun, so the results cannot be in the order they
				// were done.
				lastBegun := make(chan struct{})
				plans.hook = func(_ context.Context, org int64) error {
					switch org {
					case orgs[0]:
						<-lastBegun
					case orgs[len(orgs)-1]:
						close(lastBegun)
					}
					return nil
				}
			}
			got, err := rollUpSource(plans).RollUp(context.Background(), orgs, july, plan.Date{}, tc.workers)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(orgs) {
				t.Fatalf("%d summaries for %d organisations", len(got), len(orgs))
			}
			for i, s := range got {
				if want := 10 * orgs[i]; s == nil || s.PlanID != want {
					t.Errorf("summary %d is of plan %v, want %d", i, planIDOf(s), want)
				}
			}
		})
	}
}

func planIDOf(s *Summary) any {
	if s == nil {
		return nil
	}
	return s.PlanID
}

func TestRollUpNoOrganisations(t *testing.T) {
	got, err := rollUpSource(&rollUpPlans{}).RollUp(context.Background(), nil, july, plan.Date{}, 0)
	if err != nil || len(got) != 0 {
		t.Fatalf("RollUp of none = %v, %v; want nothing", got, err)
	}
}

func TestRollUpNamesTheFailingOrganisation(t *testing.T) {
	errBroken := errors.New("plan table unreadable")
	plans := &rollUpPlans{}
	plans.hook = func(ctx context.Context, org int64) error {
		switch org {
		case 2:
			// Still running when organisation 6 fails: it is cancelled,
			// and its cancellation must not hide the failure.
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(10 * time.Second):
				return errors.New("not cancelled after another organisation failed")
			}
		case 6:
			return errBroken
		}
		return nil
	}
	got, err := rollUpSource(plans).RollUp(context.Background(), orgRange(10), july, plan.Date{}, 3)
	if got != nil {
		t.Errorf("summaries %v with an error", got)
	}
	if !errors.Is(err, errBroken) {
		t.Fatalf("err = %v, want the failure of organisation 6", err)
	}
	var re *RollUpError
	if !errors.As(err, &re) || re.OrgID != 6 {
		t.Errorf("err = %#v, want a *RollUpError of organisation 6", err)
	}
	if !strings.Contains(err.Error(), "organisation 6") {
		t.Errorf("err = %q does not name organisation 6", err)
	}
}

func TestRollUpStopsWhenCancelled(t *testing.T) {
	t.Run("before it starts", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		plans := &rollUpPlans{}
		_, err := rollUpSource(plans).RollUp(ctx, orgRange(10), july, plan.Date{}, 2)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
		if n := plans.calls.Load(); n != 0 {
			t.Errorf("%d organisations summarised after the cancellation", n)
		}
	})
	t.Run("midway", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		plans := &rollUpPlans{}
		plans.hook = func(_ context.Context, org int64) error {
			if org == 4 {
				cancel()
			}
			return nil
		}
		_, err := rollUpSource(plans).RollUp(ctx, orgRange(10), july, plan.Date{}, 1)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
		if n := plans.calls.Load(); n != 4 {
			t.Errorf("%d organisations begun, want 4 (none after the cancellation)", n)
		}
	})
}

func TestRollUpBoundsConcurrency(t *testing.T) {
	for _, workers := range []int{1, 3, DefaultRollUpWorkers()} {
		t.Run(fmt.Sprint(workers), func(t *testing.T) {
			// In a bubble, Wait returns once every goroutine of the
			// roll-up is blocked: those in a summary and any waiting for
			// room, so none can be on its way in.
			synctest.Test(t, func(t *testing.T) {
				var mu sync.Mutex
				running, most := 0, 0
				release := make(chan struct{})
				plans := &rollUpPlans{}
				plans.hook = func(context.Context, int64) error {
					mu.Lock()
					running++
					most = max(most, running)
					mu.Unlock()
					<-release
					mu.Lock()
					running--
					mu.Unlock()
					return nil
				}
				done := make(chan error, 1)
				go func() {
					_, err := rollUpSource(plans).RollUp(context.Background(), orgRange(4*workers+1), july, plan.Date{}, workers)
					done <- err
				}()
				synctest.Wait()
				mu.Lock()
				if running != workers {
					t.Errorf("%d summaries running at once, want %d", running, workers)
				}
				mu.Unlock()
				close(release)
				if err := <-done; err != nil {
					t.Fatal(err)
				}
				if most != workers {
					t.Errorf("at most %d summaries ran at once, want %d", most, workers)
				}
			})
		})
	}
}

func TestDefaultRollUpWorkers(t *testing.T) {
	if n := DefaultRollUpWorkers(); n < 2 {
		t.Errorf("DefaultRollUpWorkers() = %d, want at least 2", n)
	}
}

func ExampleSource_RollUp() {
	src := rollUpSource(&rollUpPlans{})
	sums, err := src.RollUp(context.Background(), []int64{3, 1, 2}, july, plan.Date{}, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range sums {
		fmt.Println(s.PlanID)
	}
	// Output:
	// 30
	// 10
	// 20
}

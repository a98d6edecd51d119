package local

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/chanhlo/planbot/plan"
)

func TestSendRecordsInOrder(t *testing.T) {
	now := time.Date(2023, 4, 3, 8, 0, 0, 0, time.UTC)
	tr := New(plan.ClockFunc(func() time.Time { return now }))
	var seen []string
	tr.OnDeliver(func(d Delivered) { seen = append(seen, d.ID) })
	for _, chat := range []string{"1", "2", "1"} {
		if _, err := tr.Send(context.Background(), plan.Address{Transport: Name, ChatID: chat}, plan.Message{Text: "x"}); err != nil {
			t.Fatal(err)
		}
	}
	if got := len(tr.SentTo("1")); got != 2 {
		t.Errorf("SentTo(1) = %d messages, want 2", got)
	}
	if all := tr.Sent(); len(all) != 3 || all[2].ID != "3" || !all[0].At.Equal(now) {
		t.Errorf("Sent() = %+v", all)
	}
	if len(seen) != 3 {
		t.Errorf("OnDeliver saw %d, want 3", len(seen))
	}
}

func TestRefuse(t *testing.T) {
	tr := New(plan.SystemClock)
	blocked := &plan.SendError{Failure: plan.SendUnreachable, Err: errors.New("blocked")}
	tr.Refuse(func(to plan.Address) error {
		if to.ChatID == "9" {
			return blocked
		}
		return nil
	})
	_, err := tr.Send(context.Background(), plan.Address{ChatID: "9"}, plan.Message{Text: "x"})
	if plan.SendFailureOf(err) != plan.SendUnreachable {
		t.Fatalf("err = %v, want unreachable", err)
	}
	if len(tr.Sent()) != 0 {
		t.Error("refused message recorded as sent")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := tr.Send(ctx, plan.Address{ChatID: "1"}, plan.Message{}); err == nil {
		t.Error("Send on a done context succeeded")
	}
}

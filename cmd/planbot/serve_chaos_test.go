package main

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/chanhlo/planbot/bot/telegram/telegramtest"
)

// Faults on the Bot API (429 with retry_after, 500, a proxy's HTML 502)
// hit a seeded share of the bot's answers to an officer while she
// reports twelve figures one by one through planbot serve: every answer
// arrives exactly once, in order — none lost, none twice.
func TestServeAnswersSurviveBotAPIFaults(t *testing.T) {
	f := newServeFixture(t, time.Date(2023, 5, 10, 9, 0, 0, 0, time.UTC))
	const officer = 1001
	m := f.startWithOfficer(officer, "Công an phường")
	defer m.Close()
	rng := rand.New(rand.NewPCG(8, 12))
	faults := []telegramtest.Fault{
		{Code: 429, Description: "Too Many Requests: retry after 1", RetryAfter: 1},
		telegramtest.InternalError(),
		telegramtest.BadGateway(),
	}
	before := len(f.srv.Sent(officer))
	const n = 12
	hit := 0
	for i := range n {
		if rng.IntN(3) == 0 { // a third of the answers meet a fault
			fl := faults[rng.IntN(len(faults))].On("sendMessage").ForChat(officer)
			f.srv.Inject(fl)
			hit++
		}
		f.srv.PushText(officer, officer, fmt.Sprintf("4.a %d%%", 10+i))
		f.await(officer, fmt.Sprintf("4.a</b> — %d%%", 10+i))
	}
	if hit == 0 {
		t.Fatal("the seed injected no fault")
	}
	var acks []string
	for _, s := range f.srv.Sent(officer)[before:] {
		if strings.Contains(s.Text, "Đã ghi nhận") {
			acks = append(acks, s.Text)
		}
	}
	if len(acks) != n {
		t.Fatalf("%d answers for %d reports (%d faults), want one each:\n%s", len(acks), n, hit, strings.Join(acks, "\n"))
	}
	for i, a := range acks {
		if !strings.Contains(a, fmt.Sprintf("— %d%%", 10+i)) {
			t.Errorf("answer %d out of order: %s", i, a)
		}
	}
}

package telegram

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chanhlo/planbot/bot/telegram/telegramtest"
	"github.com/chanhlo/planbot/plan"
)

func to(chat int64) plan.Address {
	return plan.Address{Transport: Name, ChatID: strconv.FormatInt(chat, 10)}
}

func TestNewChecksToken(t *testing.T) {
	srv := telegramtest.New(t, telegramtest.WithUsername("chanhlo_bot"))
	h := attach(t, srv)
	if h.tr.Username() != "chanhlo_bot" {
		t.Errorf("Username = %q", h.tr.Username())
	}
	if h.tr.Name() != "telegram" {
		t.Errorf("Name = %q", h.tr.Name())
	}
	want := plan.Capabilities{MaxText: 4096, Buttons: true, ReplyTo: true, Documents: true, DeepLinks: true}
	if got := h.tr.Capabilities(); got != want {
		t.Errorf("Capabilities = %+v", got)
	}

	const wrong = "987654:WRONG-secret-token"
	_, err := New(Config{Token: wrong, API: srv.URL()})
	if err == nil || strings.Contains(err.Error(), wrong) || !strings.Contains(err.Error(), "Unauthorized") {
		t.Errorf("wrong token: %v", err)
	}
	_, err = New(Config{})
	if err == nil {
		t.Error("no token accepted")
	}
	_, err = New(Config{Token: wrong, API: srv.URL(), Mode: ModeWebhook})
	if err == nil || !strings.Contains(err.Error(), "webhook") {
		t.Errorf("webhook mode without URL: %v", err)
	}
}

func TestNewUnreachableHidesToken(t *testing.T) {
	srv := telegramtest.New(t)
	url := srv.URL()
	srv.Close()
	_, err := New(Config{Token: srv.Token(), API: url, RequestTimeout: 2 * time.Second})
	if err == nil {
		t.Fatal("no error from a closed server")
	}
	if strings.Contains(err.Error(), srv.Token()) {
		t.Errorf("error shows the token: %v", err)
	}
	if !strings.Contains(err.Error(), "<token>") {
		t.Errorf("error lost the redacted URL: %v", err)
	}
}

func TestSendText(t *testing.T) {
	h := newHarness(t, nil)
	text := "<b>Nhiệm vụ 1.a</b>: Tổ công tác &lt;phường&gt; &amp; đoàn thanh niên"
	got, err := h.tr.Send(t.Context(), to(42), plan.Message{
		Text:    text,
		ReplyTo: "17",
		Choices: []plan.Choice{{Label: "Đã nhận", Data: "ack:9"}, {Label: "Xem chi tiết", Data: "task:1.a"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	sent := h.srv.Sent(42)
	if len(sent) != 1 {
		t.Fatalf("sent %d messages", len(sent))
	}
	m := sent[0]
	if m.Text != text || m.ParseMode != "HTML" || m.ReplyTo != 17 {
		t.Errorf("sent %+v", m)
	}
	if got.MessageID != strconv.Itoa(m.MessageID) {
		t.Errorf("MessageID %q, server %d", got.MessageID, m.MessageID)
	}
	wantButtons := [][]telegramtest.Button{{{Text: "Đã nhận", Data: "ack:9"}}, {{Text: "Xem chi tiết", Data: "task:1.a"}}}
	if fmt.Sprint(m.Buttons) != fmt.Sprint(wantButtons) {
		t.Errorf("buttons %v", m.Buttons)
	}
	if c := h.srv.Calls("sendMessage")[0]; c.Params["allow_sending_without_reply"] != "true" {
		t.Errorf("reply without allow_sending_without_reply: %v", c.Params)
	}
}

func TestSendRefusesBadInput(t *testing.T) {
	h := newHarness(t, nil)
	for name, tc := range map[string]struct {
		to plan.Address
		m  plan.Message
	}{
		"chat id":        {plan.Address{Transport: Name, ChatID: "abc"}, plan.Message{Text: "x"}},
		"other":          {plan.Address{Transport: "zalo", ChatID: "1"}, plan.Message{Text: "x"}},
		"empty":          {to(1), plan.Message{Text: " \n "}},
		"long data":      {to(1), plan.Message{Text: "x", Choices: []plan.Choice{{Label: "a", Data: strings.Repeat("d", 65)}}}},
		"no data":        {to(1), plan.Message{Text: "x", Choices: []plan.Choice{{Label: "a"}}}},
		"too long by 1":  {to(1), plan.Message{Text: "<b>" + strings.Repeat("a", 4090) + "</b>", Document: nil}},
		"refused markup": {to(1), plan.Message{Text: "a <x> b"}},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := h.tr.Send(t.Context(), tc.to, tc.m)
			if name == "too long by 1" {
				// Counted on the markup (4097 units), so split in two,
				// and Telegram accepts both.
				if err != nil {
					t.Fatalf("conservative split: %v", err)
				}
				return
			}
			if f := plan.SendFailureOf(err); err == nil || f != plan.SendPermanent {
				t.Errorf("err %v (%s), want permanent", err, f)
			}
		})
	}
}

func TestSendSplitsLongText(t *testing.T) {
	h := newHarness(t, nil)
	var lines []string
	for i := range 300 {
		lines = append(lines, fmt.Sprintf("%d. Tổ dân phố số %d: đã cấp %d tài khoản định danh điện tử mức 2.", i+1, i%30+1, i*7))
	}
	text := strings.Join(lines, "\n")
	if units(text) < 2*MaxText {
		t.Fatalf("text too short for the test: %d", units(text))
	}
	got, err := h.tr.Send(t.Context(), to(7), plan.Message{
		Text: text, ReplyTo: "5", Choices: []plan.Choice{{Label: "Đã nhận", Data: "ack"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	sent := h.srv.Sent(7)
	want := (units(text) + MaxText - 1) / MaxText
	if len(sent) < want || len(sent) > want+1 {
		t.Fatalf("%d parts for %d units, want %d or %d", len(sent), units(text), want, want+1)
	}
	var joined []string
	for i, m := range sent {
		if units(m.Text) > MaxText {
			t.Errorf("part %d has %d units", i, units(m.Text))
		}
		if units(m.Text) < MaxText/2 && i < len(sent)-1 {
			t.Errorf("part %d is only %d units", i, units(m.Text))
		}
		// Every part is whole lines.
		for _, l := range strings.Split(m.Text, "\n") {
			if !strings.HasSuffix(l, "mức 2.") {
				t.Errorf("part %d has a cut line %q", i, l)
			}
		}
		if (m.ReplyTo != 0) != (i == 0) {
			t.Errorf("part %d reply_to %d", i, m.ReplyTo)
		}
		if (m.Buttons != nil) != (i == len(sent)-1) {
			t.Errorf("part %d buttons %v", i, m.Buttons)
		}
		joined = append(joined, m.Text)
	}
	if strings.Join(joined, "\n") != text {
		t.Error("parts do not add up to the text")
	}
	if got.MessageID != strconv.Itoa(sent[len(sent)-1].MessageID) {
		t.Errorf("MessageID %s, last part %d", got.MessageID, sent[len(sent)-1].MessageID)
	}
}

func TestSendDocument(t *testing.T) {
	data := []byte("PK\x03\x04 xlsx bytes")
	long := strings.Repeat("Chi tiết kết quả thực hiện. ", 60) // > 1024
	for name, tc := range map[string]struct {
		m       plan.Message
		methods []string
		caption string
	}{
		"caption": {
			plan.Message{Document: &plan.Document{Name: "tong-hop-thang-4.xlsx", Data: data, Caption: "<b>Tổng hợp</b> tháng 4"}},
			[]string{"sendDocument"}, "<b>Tổng hợp</b> tháng 4",
		},
		"text as caption": {
			plan.Message{Text: "Báo cáo quý I", Document: &plan.Document{Name: "q1.xlsx", Data: data}},
			[]string{"sendDocument"}, "Báo cáo quý I",
		},
		"text and caption": {
			plan.Message{Text: "Kính gửi Chủ tịch", Document: &plan.Document{Name: "q1.xlsx", Data: data, Caption: "Quý I"}},
			[]string{"sendMessage", "sendDocument"}, "Quý I",
		},
		"long caption": {
			plan.Message{Document: &plan.Document{Name: "q1.xlsx", Data: data, Caption: long}},
			[]string{"sendDocument", "sendMessage"}, "",
		},
	} {
		t.Run(name, func(t *testing.T) {
			h := newHarness(t, nil)
			tc.m.ReplyTo = "3"
			tc.m.Choices = []plan.Choice{{Label: "Đã nhận", Data: "ack"}}
			got, err := h.tr.Send(t.Context(), to(9), tc.m)
			if err != nil {
				t.Fatal(err)
			}
			sent := h.srv.Sent(9)
			if len(sent) != len(tc.methods) {
				t.Fatalf("sent %d, want %v", len(sent), tc.methods)
			}
			for i, m := range sent {
				if m.Method != tc.methods[i] {
					t.Errorf("message %d by %s, want %s", i, m.Method, tc.methods[i])
				}
				if m.Method == "sendDocument" {
					if m.Document.Name != tc.m.Document.Name || string(m.Document.Data) != string(data) || m.Caption != tc.caption {
						t.Errorf("document %+v", m)
					}
				}
				if (m.ReplyTo == 3) != (i == 0) || (m.Buttons != nil) != (i == len(sent)-1) {
					t.Errorf("message %d: reply %d buttons %v", i, m.ReplyTo, m.Buttons)
				}
			}
			if name == "long caption" && strings.TrimSpace(sent[1].Text) != strings.TrimSpace(long) {
				t.Errorf("caption sent as %q", sent[1].Text)
			}
			if got.MessageID != strconv.Itoa(sent[len(sent)-1].MessageID) {
				t.Errorf("MessageID %s", got.MessageID)
			}
		})
	}
}

func TestSendErrors(t *testing.T) {
	doc := plan.Message{Document: &plan.Document{Name: "a.xlsx", Data: []byte("x")}}
	text := plan.Message{Text: "Nhắc việc"}
	for name, tc := range map[string]struct {
		fault    telegramtest.Fault
		m        plan.Message
		failure  plan.SendFailure
		retry    time.Duration
		migrated string
	}{
		"429":             {telegramtest.TooManyRequests(12), text, plan.SendRateLimited, 12 * time.Second, ""},
		"429 upload":      {telegramtest.TooManyRequests(3), doc, plan.SendRateLimited, 3 * time.Second, ""},
		"blocked":         {telegramtest.Blocked(), text, plan.SendUnreachable, 0, ""},
		"blocked upload":  {telegramtest.Blocked(), doc, plan.SendUnreachable, 0, ""},
		"deactivated":     {telegramtest.Deactivated(), text, plan.SendUnreachable, 0, ""},
		"chat not found":  {telegramtest.BadRequest("chat not found"), text, plan.SendUnreachable, 0, ""},
		"migrated":        {telegramtest.Migrated(-1001987654321098), text, plan.SendMigrated, 0, "-1001987654321098"},
		"migrated upload": {telegramtest.Migrated(-1001987654321098), doc, plan.SendMigrated, 0, "-1001987654321098"},
		"bad request":     {telegramtest.BadRequest("message is too long"), text, plan.SendPermanent, 0, ""},
		"bad upload":      {telegramtest.BadRequest("wrong file"), doc, plan.SendPermanent, 0, ""},
		"500":             {telegramtest.InternalError(), text, plan.SendTemporary, 0, ""},
		"500 upload":      {telegramtest.InternalError(), doc, plan.SendTemporary, 0, ""},
		"timeout":         {telegramtest.Hang(), text, plan.SendTemporary, 0, ""},
		"timeout upload":  {telegramtest.Hang(), doc, plan.SendTemporary, 0, ""},
		"gateway 502":     {telegramtest.Fault{Code: 502, Description: "Bad Gateway"}, text, plan.SendTemporary, 0, ""},
		"gateway HTML":    {telegramtest.BadGateway(), text, plan.SendTemporary, 0, ""},
		"gateway upload":  {telegramtest.BadGateway(), doc, plan.SendTemporary, 0, ""},
	} {
		t.Run(name, func(t *testing.T) {
			h := newHarness(t, nil, func(c *Config) { c.RequestTimeout = 300 * time.Millisecond })
			h.srv.Inject(tc.fault.ForChat(-55))
			_, err := h.tr.Send(t.Context(), to(-55), tc.m)
			var se *plan.SendError
			if !errors.As(err, &se) {
				t.Fatalf("err %v (%T), want *plan.SendError", err, err)
			}
			if se.Failure != tc.failure || se.RetryAfter != tc.retry || se.MigratedTo != tc.migrated {
				t.Errorf("got %s retry %v migrated %q, want %s %v %q (%v)", se.Failure, se.RetryAfter, se.MigratedTo, tc.failure, tc.retry, tc.migrated, err)
			}
			if strings.Contains(err.Error(), h.srv.Token()) {
				t.Errorf("token in error: %v", err)
			}
			if name == "timeout" && !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("timeout is not a deadline: %v", err)
			}
		})
	}
}

func TestSendCancelledContext(t *testing.T) {
	h := newHarness(t, nil)
	h.srv.Inject(telegramtest.Hang())
	ctx, cancel := context.WithCancel(t.Context())
	errc := make(chan error, 1)
	go func() {
		_, err := h.tr.Send(ctx, to(1), plan.Message{Text: "x"})
		errc <- err
	}()
	if err := h.srv.WaitCalls(testCtx(t), "sendMessage", 1); err != nil {
		t.Fatal(err)
	}
	cancel()
	err := <-errc
	if !errors.Is(err, context.Canceled) || plan.SendFailureOf(err) != plan.SendTemporary {
		t.Errorf("err %v", err)
	}
	if strings.Contains(err.Error(), h.srv.Token()) {
		t.Errorf("token in error: %v", err)
	}
}

func TestScrubKeepsAPIError(t *testing.T) {
	tr := &Transport{token: "123:ABC"}
	err := tr.scrub(fmt.Errorf("Post \"https://x/bot123:ABC/sendMessage\": %w", context.DeadlineExceeded))
	if strings.Contains(err.Error(), "123:ABC") || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("scrubbed %v", err)
	}
	if errors.Unwrap(err) != context.DeadlineExceeded {
		t.Errorf("chain keeps the unscrubbed error: %v", errors.Unwrap(err))
	}
}

func TestDefaultHTTPClientHasNoOverallTimeout(t *testing.T) {
	// The long poll relies on context deadlines; a client Timeout shorter
	// than the poll would cut every poll.
	h := newHarness(t, nil)
	if h.tr.client.Timeout != 0 && h.tr.client.Timeout < h.tr.pollTimeout {
		t.Errorf("client timeout %v < poll timeout", h.tr.client.Timeout)
	}
	tr, err := New(Config{Token: h.srv.Token(), API: h.srv.URL()})
	if err != nil {
		t.Fatal(err)
	}
	if tr.client == http.DefaultClient || tr.client.Timeout != 0 {
		t.Errorf("default client %+v", tr.client)
	}
}

package zalo_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/chanhlo/planbot/bot/zalo"
	"github.com/chanhlo/planbot/bot/zalo/zalotest"
	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/texts"
)

func units(s string) int { return len(utf16.Encode([]rune(s))) }

// squeeze removes all whitespace: what is left must survive a split.
func squeeze(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

func TestPlain(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"<b>1.c</b> 80%", "1.c 80%"},
		{"&lt;sớm&gt;", "<sớm>"},
		{"A &amp; B", "A & B"},
		{"&quot;Trả lời&quot; &#39;1&#39;", `"Trả lời" '1'`},
		{"<b>Nhiệm vụ</b>\n<i>Hạn:</i> <code>30/4/2023</code>", "Nhiệm vụ\nHạn: 30/4/2023"},
		{`<a href="https://x.example/?a=1&amp;b=2">liên kết</a>`, "liên kết"},
		{plan.EscapeHTML("<b>not a tag</b> & <i>"), "<b>not a tag</b> & <i>"},
		{"2 < 3 và 5 > 4", "2 < 3 và 5 > 4"},
		{"&amp;lt;", "&lt;"},
		{"", ""},
	} {
		if got := zalo.Plain(tt.in); got != tt.want {
			t.Errorf("Plain(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSendPlainText(t *testing.T) {
	var counted atomic.Int64
	f := newFixture(t, func(c *zalo.Config) {
		c.Counted = func(_ context.Context, n int) { counted.Add(int64(n)) }
	})
	chat := f.srv.ID()
	sent, err := f.tr.Send(context.Background(), plan.Address{Transport: "zalo", ChatID: chat},
		plan.Message{Text: "<b>1.c</b> &lt;80%&gt; &amp; " + plan.EscapeHTML("\"xong\""), ReplyTo: "abc"})
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	got := f.srv.Sent()
	if len(got) != 1 || got[0].Text != `1.c <80%> & "xong"` || got[0].ChatID != chat || got[0].Method != "sendMessage" {
		t.Fatalf("sent %+v", got)
	}
	if sent.MessageID != got[0].MessageID {
		t.Errorf("Sent.MessageID = %q, want %q", sent.MessageID, got[0].MessageID)
	}
	if counted.Load() != 1 {
		t.Errorf("Counted %d, want 1", counted.Load())
	}
}

func TestSendSplitsLongText(t *testing.T) {
	line := "Phường An Hòa: hoàn thành 80% chỉ tiêu 🎯 tháng 4, "
	for _, tt := range []struct {
		name  string
		text  string
		exact bool // cut only at line breaks: parts joined by \n give the text back
	}{
		{"short lines", strings.Repeat("<b>1.c</b> "+plan.EscapeHTML(line)+"\n", 100), true},
		{"long lines", strings.Repeat(line, 50) + "\n" + strings.Repeat("ngắn\n", 10) + strings.Repeat(line, 40), false},
		{"no spaces", strings.Repeat("😀ệ", 1700), false},
		{"decomposed", strings.Repeat("e\u0302\u0301", 2100), false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var counted atomic.Int64
			f := newFixture(t, func(c *zalo.Config) {
				c.Counted = func(_ context.Context, n int) { counted.Add(int64(n)) }
			})
			plain := zalo.Plain(tt.text)
			if units(plain) < 4000 {
				t.Fatalf("test text of only %d units", units(plain))
			}
			res, err := f.tr.Send(context.Background(), plan.Address{ChatID: "c1"}, plan.Message{Text: tt.text})
			if err != nil {
				t.Fatalf("Send: %v", err)
			}
			sent := f.srv.Sent()
			if len(sent) < 2 {
				t.Fatalf("%d parts", len(sent))
			}
			var parts []string
			for i, m := range sent {
				if n := units(m.Text); n > zalo.MaxText {
					t.Errorf("part %d: %d units", i, n)
				}
				if !utf8.ValidString(m.Text) || strings.ContainsRune(m.Text, utf8.RuneError) {
					t.Errorf("part %d holds a broken character", i)
				}
				if r, _ := utf8.DecodeRuneInString(m.Text); unicode.Is(unicode.Mn, r) {
					t.Errorf("part %d starts with a combining mark", i)
				}
				parts = append(parts, m.Text)
			}
			if tt.exact {
				if got := strings.Join(parts, "\n"); got != strings.Trim(plain, "\n") {
					t.Errorf("parts joined by line breaks differ from the text")
				}
			} else if squeeze(strings.Join(parts, "")) != squeeze(plain) {
				t.Errorf("content lost or changed in the split")
			}
			if res.MessageID != sent[len(sent)-1].MessageID {
				t.Errorf("Sent.MessageID = %q, want the last part's %q", res.MessageID, sent[len(sent)-1].MessageID)
			}
			if counted.Load() != int64(len(sent)) {
				t.Errorf("Counted %d for %d parts", counted.Load(), len(sent))
			}
		})
	}
}

func TestSendChoicesAndDocuments(t *testing.T) {
	doc := &plan.Document{Name: "Tổng hợp tháng 4 & 5.xlsx", Data: []byte("x"), Caption: "<b>Báo cáo</b>"}
	choices := []plan.Choice{{Label: "Xác nhận đã nhận", Data: "ack:1"}, {Label: "Xem chi tiết", Data: "view:1"}}
	for _, tt := range []struct {
		name  string
		links func(context.Context, plan.Address, plan.Document) (string, error)
		m     plan.Message
		want  []string
	}{
		{"choices", nil, plan.Message{Text: "Có thông báo mới.", Choices: choices},
			[]string{"Có thông báo mới.", zalo.Plain(texts.ChoiceFallback(1, "Xác nhận đã nhận")), zalo.Plain(texts.ChoiceFallback(2, "Xem chi tiết"))}},
		{"document with a link", func(_ context.Context, to plan.Address, d plan.Document) (string, error) {
			return "https://planbot.example/f/abc?for=" + to.ChatID + "&n=1", nil
		}, plan.Message{Text: "Số liệu:", Document: doc},
			[]string{"Số liệu:", "Báo cáo", "📎 Tải tệp Tổng hợp tháng 4 & 5.xlsx: https://planbot.example/f/abc?for=c1&n=1", "(đường liên kết chỉ dùng được trong vài ngày)"}},
		{"document without links", nil, plan.Message{Text: "Số liệu:", Document: doc},
			[]string{"Số liệu:", "Báo cáo", zalo.Plain(texts.NoDocuments(doc.Name))}},
		{"link failed", func(context.Context, plan.Address, plan.Document) (string, error) {
			return "", errors.New("no signing key")
		}, plan.Message{Text: "Số liệu:", Document: doc},
			[]string{"Số liệu:", "Báo cáo", zalo.Plain(texts.NoDocuments(doc.Name))}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, func(c *zalo.Config) { c.Links = tt.links })
			if _, err := f.tr.Send(context.Background(), plan.Address{Transport: "zalo", ChatID: "c1"}, tt.m); err != nil {
				t.Fatalf("Send: %v", err)
			}
			sent := f.srv.Sent()
			if len(sent) != 1 {
				t.Fatalf("sent %+v", sent)
			}
			if got, want := sent[0].Text, strings.Join(tt.want, "\n"); got != want {
				t.Errorf("text\n%s\nwant\n%s", got, want)
			}
			if strings.ContainsAny(sent[0].Text, "<>") || strings.Contains(sent[0].Text, "&amp;") {
				t.Errorf("markup left in %q", sent[0].Text)
			}
		})
	}
}

func TestSendErrors(t *testing.T) {
	for _, tt := range []struct {
		name       string
		code       int
		desc       string
		block      bool
		mirror     bool
		want       plan.SendFailure
		retryAfter time.Duration
	}{
		{"quota", 429, "Quota exceeded", false, false, plan.SendRateLimited, time.Minute},
		{"quota, HTTP status", 429, "Quota exceeded", false, true, plan.SendRateLimited, time.Minute},
		{"blocked", 0, "", true, false, plan.SendUnreachable, 0},
		{"not found", 404, "Not Found", false, false, plan.SendUnreachable, 0},
		{"user described", 400, "User not found", false, false, plan.SendUnreachable, 0},
		{"too long", 400, "Bad Request: text is too long", false, false, plan.SendPermanent, 0},
		{"token", 401, "Unauthorized", false, false, plan.SendPermanent, 0},
		{"internal (403)", 403, "Internal server error", false, false, plan.SendTemporary, 0},
		{"timeout", 408, "Request timeout", false, false, plan.SendTemporary, 0},
		{"server", 500, "Internal Server Error", false, false, plan.SendTemporary, 0},
		{"server, HTTP status", 502, "Bad Gateway", false, true, plan.SendTemporary, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var opts []zalotest.Option
			if tt.mirror {
				opts = append(opts, zalotest.WithMirroredStatus())
			}
			var counted atomic.Int64
			f := newFixture(t, func(c *zalo.Config) {
				c.Counted = func(_ context.Context, n int) { counted.Add(int64(n)) }
			}, opts...)
			if tt.block {
				f.srv.Block("c1")
			} else {
				f.srv.FailNext("sendMessage", tt.code, tt.desc, 1)
			}
			_, err := f.tr.Send(context.Background(), plan.Address{ChatID: "c1"}, plan.Message{Text: "1.c"})
			var se *plan.SendError
			if !errors.As(err, &se) {
				t.Fatalf("err = %v, want a *plan.SendError", err)
			}
			if se.Failure != tt.want || se.RetryAfter != tt.retryAfter {
				t.Errorf("failure %s after %v, want %s after %v (err %v)", se.Failure, se.RetryAfter, tt.want, tt.retryAfter, err)
			}
			var ae *zalo.APIError
			if !errors.As(err, &ae) || ae.Method != "sendMessage" {
				t.Errorf("err = %v, want an *APIError of sendMessage inside", err)
			}
			if counted.Load() != 0 {
				t.Errorf("a refused message was counted")
			}
			if tt.code == 401 && !strings.Contains(f.logs.String(), "zalo token refused") {
				t.Errorf("no log line about the token:\n%s", f.logs.String())
			}
		})
	}
}

func TestSendNetworkErrorIsTemporary(t *testing.T) {
	// A Transport whose API went away after New.
	down := zalotest.New(t, token)
	tr, err := zalo.New(context.Background(), zalo.Config{Token: token, API: down.URL()})
	if err != nil {
		t.Fatal(err)
	}
	down.Close()
	_, err = tr.Send(context.Background(), plan.Address{ChatID: "c1"}, plan.Message{Text: "1.c"})
	if plan.SendFailureOf(err) != plan.SendTemporary {
		t.Errorf("err = %v, want a temporary failure", err)
	}
	if err == nil || strings.Contains(err.Error(), token) {
		t.Errorf("err = %v: nil, or it holds the token", err)
	}
}

func TestSendRefusesWhatCannotGo(t *testing.T) {
	f := newFixture(t, nil)
	for _, tt := range []struct {
		name string
		to   plan.Address
		m    plan.Message
	}{
		{"other transport", plan.Address{Transport: "telegram", ChatID: "1"}, plan.Message{Text: "x"}},
		{"no chat", plan.Address{Transport: "zalo"}, plan.Message{Text: "x"}},
		{"empty", plan.Address{ChatID: "c1"}, plan.Message{Text: "<b> </b>\n"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.tr.Send(context.Background(), tt.to, tt.m)
			if plan.SendFailureOf(err) != plan.SendPermanent {
				t.Errorf("err = %v, want a permanent failure", err)
			}
		})
	}
	if n := f.srv.Calls("sendMessage"); n != 0 {
		t.Errorf("sendMessage called %d times", n)
	}
}

func TestTyping(t *testing.T) {
	f := newFixture(t, nil)
	if err := f.tr.Typing(context.Background(), plan.Address{ChatID: "c1"}); err != nil {
		t.Fatalf("Typing: %v", err)
	}
	if n := f.srv.Calls("sendChatAction"); n != 1 {
		t.Errorf("sendChatAction called %d times", n)
	}
	f.srv.FailNext("sendChatAction", 500, "Internal Server Error", 1)
	if err := f.tr.Typing(context.Background(), plan.Address{ChatID: "c1"}); err == nil {
		t.Error("Typing succeeded on a refusal")
	}
}

package main

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chanhlo/planbot/plan"
)

var signInLinkRe = regexp.MustCompile(`https?://\S+/dang-nhap\?t=[A-Za-z0-9_-]+`)

// webClient is a browser with its own cookies, talking to serve's HTTP
// server.
type webClient struct {
	t    *testing.T
	base string
	c    *http.Client
}

func newWebClient(t *testing.T, m *Main) *webClient {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	return &webClient{t: t, base: "http://" + m.HTTP.Addr(), c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (w *webClient) do(method, path string, form url.Values, origin string) (int, string, http.Header) {
	w.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, w.base+path, body)
	if err != nil {
		w.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	res, err := w.c.Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b), res.Header
}

// signIn asks the bot for /web as chat and signs in with the link.
func (f *serveFixture) signIn(t *testing.T, w *webClient, chat int64) string {
	t.Helper()
	link := f.newLink(t, chat)
	tok := link[strings.Index(link, "t=")+2:]
	if code, body, _ := w.do("GET", "/dang-nhap?t="+tok, nil, ""); code != 200 || !strings.Contains(body, "Đăng nhập") {
		t.Fatalf("sign-in page: %d", code)
	}
	if code, _, h := w.do("POST", "/dang-nhap", url.Values{"t": {tok}}, ""); code != http.StatusSeeOther || h.Get("Location") != "/" {
		t.Fatalf("sign in: %d %v", code, h)
	}
	return tok
}

// newLink asks the bot for /web and returns the link of its answer (not
// of an earlier one).
func (f *serveFixture) newLink(t *testing.T, chat int64) string {
	t.Helper()
	before := len(f.srv.Sent(chat))
	f.srv.PushText(chat, chat, "/web")
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	for {
		sent := f.srv.Sent(chat)
		for _, m := range sent[min(before, len(sent)):] {
			if l := signInLinkRe.FindString(m.Text); l != "" {
				return l
			}
		}
		if err := f.srv.WaitSent(ctx, len(f.srv.AllSent())+1); err != nil {
			t.Fatalf("no sign-in link for %d: %v", chat, err)
		}
	}
}

var csrfRe = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// The pages' access rules through planbot serve: a stranger, a forged
// cookie, a replayed or expired link, an officer of another unit, a
// state-changing request without the CSRF token or from another site;
// and what the secretariat may do: confirm a unit's "done", which the
// unit is told of in the chat, as /xacnhan does.
func TestWebAccessRules(t *testing.T) {
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	f := newServeFixture(t, time.Date(2023, 5, 10, 9, 0, 0, 0, loc))
	f.cfg.HTTP.PublicURL = "http://planbot.test"
	secCode := f.invite("", "secretariat")
	const officer, secretary = 8001, 8002
	m := f.startWithOfficer(officer, "Công an phường")
	f.srv.PushText(secretary, secretary, "/start "+secCode)
	f.await(secretary, "Đồng chí đã được ghi nhận")
	f.srv.PushText(officer, officer, "1.c xong")
	f.await(officer, "1.c")

	stranger := newWebClient(t, m)
	if code, body, _ := stranger.do("GET", "/", nil, ""); code != http.StatusUnauthorized || !strings.Contains(body, "/web") {
		t.Errorf("stranger: %d %s", code, body)
	}
	forged := newWebClient(t, m)
	u, _ := url.Parse(forged.base)
	forged.c.Jar.SetCookies(u, []*http.Cookie{{Name: "planbot_session", Value: "forged-value"}})
	if code, _, _ := forged.do("GET", "/", nil, ""); code != http.StatusUnauthorized {
		t.Errorf("forged cookie: %d", code)
	}

	sec := newWebClient(t, m)
	tok := f.signIn(t, sec, secretary)
	code, page, _ := sec.do("GET", "/", nil, "")
	if code != 200 || !strings.Contains(page, "Tổng quan") || !strings.Contains(page, "data-key=\"tasks\">26") {
		t.Fatalf("overview: %d", code)
	}
	if code, _, _ := newWebClient(t, m).do("POST", "/dang-nhap", url.Values{"t": {tok}}, ""); code != http.StatusUnauthorized {
		t.Errorf("replayed link: %d", code)
	}
	for _, p := range []string{"/thong-bao", "/tong-hop?ky=2023-04", "/don-vi?ten=Tr%E1%BA%A1m%20y%20t%E1%BA%BF%20ph%C6%B0%E1%BB%9Dng", "/nhiem-vu?ke-hoach=1&ma=5.a"} {
		if code, _, _ := sec.do("GET", p, nil, ""); code != 200 {
			t.Errorf("secretariat %s: %d", p, code)
		}
	}

	// An expired link: issued, then eleven minutes pass.
	late := newWebClient(t, m)
	link := f.newLink(t, officer)
	f.clock.mu.Lock()
	f.clock.offset += 11 * time.Minute
	f.clock.mu.Unlock()
	if code, _, _ := late.do("POST", "/dang-nhap", url.Values{"t": {link[strings.Index(link, "t=")+2:]}}, ""); code != http.StatusUnauthorized {
		t.Errorf("expired link: %d", code)
	}

	// An officer sees only the unit's own pages.
	off := newWebClient(t, m)
	f.signIn(t, off, officer)
	if code, _, h := off.do("GET", "/", nil, ""); code != http.StatusSeeOther || !strings.Contains(h.Get("Location"), "/don-vi?ten=") {
		t.Errorf("officer's overview: %d %v", code, h)
	}
	for p, want := range map[string]int{
		"/don-vi?ten=C%C3%B4ng%20an%20ph%C6%B0%E1%BB%9Dng":                200,
		"/don-vi?ten=Tr%E1%BA%A1m%20y%20t%E1%BA%BF%20ph%C6%B0%E1%BB%9Dng": 403,
		"/nhiem-vu?ke-hoach=1&ma=1.c":                                     200,
		"/nhiem-vu?ke-hoach=1&ma=3.c":                                     403,
		"/thong-bao":                                                      403,
		"/tong-hop":                                                       403,
	} {
		if code, _, _ := off.do("GET", p, nil, ""); code != want {
			t.Errorf("officer %s: %d, want %d", p, code, want)
		}
	}

	// Confirming 1.c from the page: refused without the CSRF token and
	// from another site; done with it, and the unit is told.
	_, task, _ := sec.do("GET", "/nhiem-vu?ke-hoach=1&ma=1.c", nil, "")
	m2 := csrfRe.FindStringSubmatch(task)
	if m2 == nil || !strings.Contains(task, "Xác nhận hoàn thành") {
		t.Fatalf("task page has no confirm form")
	}
	form := url.Values{"ke-hoach": {"1"}, "ma": {"1.c"}}
	if code, _, _ := sec.do("POST", "/nhiem-vu/xac-nhan", form, ""); code != http.StatusForbidden {
		t.Errorf("no CSRF token: %d", code)
	}
	form.Set("csrf", m2[1])
	if code, _, _ := sec.do("POST", "/nhiem-vu/xac-nhan", form, "https://evil.example"); code != http.StatusForbidden {
		t.Errorf("other origin: %d", code)
	}
	code, body, _ := sec.do("POST", "/nhiem-vu/xac-nhan", form, sec.base)
	if code != 200 || !strings.Contains(body, "1.c") {
		t.Fatalf("confirm: %d %s", code, body)
	}
	f.await(officer, "xác nhận")
	rs, err := m.DB.ListProgress(context.Background(), plan.ProgressFilter{OrgID: plan.DefaultOrg, TaskCode: "1.c", LatestOnly: true})
	if err != nil || len(rs) == 0 || rs[0].Confirm != plan.ConfirmAccepted {
		t.Errorf("1.c after the page's confirm: %+v %v", rs, err)
	}

	// Signing out ends the session.
	if code, _, _ := sec.do("POST", "/dang-xuat", url.Values{"csrf": {m2[1]}}, ""); code != 200 {
		t.Errorf("sign out: %d", code)
	}
	if code, _, _ := sec.do("GET", "/", nil, ""); code != http.StatusUnauthorized {
		t.Errorf("after sign-out: %d", code)
	}
}

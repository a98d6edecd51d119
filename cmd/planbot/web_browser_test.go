package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromiumPath finds a Chromium to drive, or "".
func chromiumPath() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// A real browser on the demo's data: planbot web prints a sign-in link;
// Chromium opens it, presses "Đăng nhập", reads Tổng quan, whose numbers
// must be those of `planbot summary --period 2023-06 --json`, then visits
// a task, a unit, Thông báo and Tổng hợp, saving screenshots at desktop
// and phone widths (PLANBOT_SCREENSHOT_DIR, else a folder in the system
// temp dir, logged).
func TestWebInBrowser(t *testing.T) {
	exe := chromiumPath()
	if exe == "" {
		t.Skip("no Chromium found: install Debian's chromium package (apt-get install chromium) to run the browser test")
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "demo.db")
	if code, _, errOut := runCLI(t, nil, "demo", "--db", db); code != 0 {
		t.Fatalf("demo: exit %d\n%s", code, errOut)
	}
	code, out, errOut := runCLI(t, nil, "--db", db, "summary", "--period", "2023-06", "--json")
	if code != 0 {
		t.Fatalf("summary: %s", errOut)
	}
	var want struct {
		Totals map[string]int `json:"totals"`
		Tasks  []json.RawMessage
	}
	if err := json.Unmarshal([]byte(out), &want); err != nil {
		t.Fatal(err)
	}

	// planbot web, in this process, on a free port.
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"--db", db, "web", "--listen", "127.0.0.1:0", "--date", "2023-06-30"}, strings.NewReader(""), pw, io.Discard, func(string) string { return "" })
		pw.Close()
	}()
	var link string
	sc := bufio.NewScanner(pr)
	for sc.Scan() {
		if strings.Contains(sc.Text(), "/dang-nhap?t=") {
			link = strings.TrimSpace(sc.Text())
			break
		}
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	if link == "" {
		t.Fatal("planbot web printed no sign-in link")
	}
	base := link[:strings.Index(link, "/dang-nhap")]

	shots := os.Getenv("PLANBOT_SCREENSHOT_DIR")
	if shots == "" {
		shots = filepath.Join(os.TempDir(), "planbot-screenshots")
	}
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots in %s", shots)

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(exe), chromedp.NoSandbox)
	actx, cancelA := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelA()
	bctx, cancelB := chromedp.NewContext(actx)
	defer cancelB()
	bctx, cancelT := context.WithTimeout(bctx, 90*time.Second)
	defer cancelT()

	if err := chromedp.Do(bctx,
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(link),
		chromedp.WaitVisible(chromedp.CSS(`button.big`)),
		chromedp.Click(chromedp.CSS(`button.big`)),
		chromedp.WaitVisible(chromedp.CSS(`section.plan`)),
	); err != nil {
		t.Fatalf("sign in: %v", err)
	}
	title, err := chromedp.Run(bctx, chromedp.Title())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(title, "Tổng quan") {
		t.Fatalf("after sign-in the page is %q", title)
	}
	// The numbers on the page are the summary's.
	tiles, err := chromedp.Run(bctx, chromedp.Evaluate[map[string]string](`Object.fromEntries([...document.querySelectorAll("section.plan")[0].querySelectorAll(".tile .n")].map(e => [e.dataset.key, e.textContent]))`))
	if err != nil {
		t.Fatal(err)
	}
	if tiles["tasks"] != strconv.Itoa(len(want.Tasks)) {
		t.Errorf("page shows %s tasks, summary %d", tiles["tasks"], len(want.Tasks))
	}
	for k, n := range want.Totals {
		got := tiles[k]
		if n == 0 && got == "" {
			continue
		}
		if got != strconv.Itoa(n) {
			t.Errorf("%s: page %q, summary %d", k, got, n)
		}
	}

	pages := []struct{ name, path, wait string }{
		{"tong-quan", "/", "section.plan"},
		{"nhiem-vu", "/nhiem-vu?ke-hoach=1&ma=2.e", "table.kv"},
		{"don-vi", "/don-vi?ten=" + "C%C3%B4ng%20an%20ph%C6%B0%E1%BB%9Dng", "h1"},
		{"thong-bao", "/thong-bao", "h1"},
		{"tong-hop", "/tong-hop?ky=2023-06", "pre.summary"},
	}
	for _, size := range []struct {
		name string
		w, h int64
	}{{"desktop", 1280, 900}, {"phone", 390, 844}} {
		for _, p := range pages {
			if err := chromedp.Do(bctx,
				chromedp.EmulateViewport(size.w, size.h),
				chromedp.Navigate(base+p.path),
				chromedp.WaitVisible(chromedp.CSS(p.wait)),
			); err != nil {
				t.Fatalf("%s at %s: %v", p.name, size.name, err)
			}
			png, err := chromedp.Run(bctx, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatalf("screenshot %s at %s: %v", p.name, size.name, err)
			}
			if err := os.WriteFile(filepath.Join(shots, p.name+"-"+size.name+".png"), png, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := chromedp.Do(bctx, chromedp.Navigate(base+"/tong-hop?ky=2023-06")); err != nil {
		t.Fatal(err)
	}
	body, err := chromedp.Run(bctx, chromedp.Text(chromedp.CSS("pre.summary")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(body, "Tổng hợp thực hiện") {
		t.Errorf("Tổng hợp shows %q", body[:min(len(body), 200)])
	}
	stop()
	<-done
}

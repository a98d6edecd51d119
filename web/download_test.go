package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/storage"
	"github.com/chanhlo/planbot/storage/storagetest"
	"github.com/chanhlo/planbot/web"
)

func get(t *testing.T, h http.Handler, url string) *http.Response {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, url, nil))
	return rec.Result()
}

func TestDownloadLinks(t *testing.T) {
	clock := storagetest.NewClock(time.Date(2023, 5, 22, 2, 0, 0, 0, time.UTC))
	db := storagetest.Open(t, storage.WithClock(clock))
	d := &web.Downloads{Store: db, Key: []byte("k3y"), PublicURL: "https://bot.example.vn/", Clock: clock}
	srv := web.NewServer(nil)
	srv.Handle("GET "+web.DownloadPath, d.Handler())
	h := srv.Handler()

	doc := plan.Document{Name: "Tổng hợp tháng 5.xlsx", MIME: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Data: []byte("PK\x03\x04 data")}
	link, err := d.Link(context.Background(), plan.Address{Transport: "zalo", ChatID: "c1"}, doc)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(link, "https://bot.example.vn/tai/") {
		t.Fatalf("link %s", link)
	}
	path := strings.TrimPrefix(link, "https://bot.example.vn")

	res := get(t, h, path)
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 || string(body) != string(doc.Data) || res.Header.Get("Content-Type") != doc.MIME {
		t.Fatalf("GET = %d %q %v", res.StatusCode, body, res.Header)
	}
	if cd := res.Header.Get("Content-Disposition"); !strings.Contains(cd, "attachment") || !strings.Contains(strings.ToLower(cd), "utf-8''t%e1%bb%95ng") {
		t.Errorf("Content-Disposition %q", cd)
	}

	for name, tc := range map[string]struct {
		path string
		code int
	}{
		"other expiry": {strings.Replace(path, "?e=", "?e=9", 1), 403},
		"other id":     {strings.Replace(path, "/tai/", "/tai/A", 1), 410},
		"no signature": {path[:strings.Index(path, "&s=")], 403},
		"health":       {"/healthz", 200},
	} {
		if res := get(t, h, tc.path); res.StatusCode != tc.code {
			t.Errorf("%s: %s = %d, want %d", name, tc.path, res.StatusCode, tc.code)
		}
	}

	clock.Add(web.DefaultDownloadTTL)
	res = get(t, h, path)
	body, _ = io.ReadAll(res.Body)
	if res.StatusCode != http.StatusGone || !strings.Contains(string(body), "hết hạn") {
		t.Errorf("expired link = %d %s", res.StatusCode, body)
	}
	if n, err := db.PruneDownloads(context.Background(), clock.Now().Add(time.Second)); err != nil || n != 1 {
		t.Errorf("pruned %d, %v", n, err)
	}
}

// Replicas share the signing key through the database: the first value
// stored wins.
func TestSharedSigningKey(t *testing.T) {
	db := storagetest.Open(t)
	a, err := db.SettingOrCreate(context.Background(), "signing_key", "first")
	if err != nil {
		t.Fatal(err)
	}
	b, err := db.SettingOrCreate(context.Background(), "signing_key", "second")
	if err != nil || a != "first" || b != "first" {
		t.Fatalf("a=%q b=%q err=%v", a, b, err)
	}
}

package web

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/texts"
)

// DefaultDownloadTTL is how long a download link works: a few days, so
// that a summary sent on Friday can still be opened on Monday.
const DefaultDownloadTTL = 72 * time.Hour

// DownloadPath is where download links point: /tai/<id>?e=<expiry>&s=<signature>.
const DownloadPath = "/tai/"

// Downloads makes signed download links and serves them.
type Downloads struct {
	Store plan.DownloadStore
	// Key signs links; every replica must use the same.
	Key []byte
	// PublicURL is how people reach the server ("https://planbot.phuong.vn").
	PublicURL string
	// TTL defaults to DefaultDownloadTTL.
	TTL time.Duration
	// Officers, when set, names the officer a link is made for.
	Officers interface {
		OfficerByUser(ctx context.Context, transport, userID string) (*plan.Officer, error)
	}
	Clock plan.Clock
	Log   *slog.Logger
}

func (d *Downloads) now() time.Time {
	if d.Clock == nil {
		return time.Now()
	}
	return d.Clock.Now()
}

func (d *Downloads) ttl() time.Duration {
	if d.TTL <= 0 {
		return DefaultDownloadTTL
	}
	return d.TTL
}

// Link stores doc for the person at to and returns its signed link.
func (d *Downloads) Link(ctx context.Context, to plan.Address, doc plan.Document) (string, error) {
	if d.PublicURL == "" {
		return "", errors.New("download link: no public URL (PLANBOT_PUBLIC_URL)")
	}
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("download id: %w", err)
	}
	now := d.now()
	dl := &plan.Download{
		ID: base64.RawURLEncoding.EncodeToString(b[:]), Name: doc.Name, MIME: doc.MIME, Data: doc.Data,
		CreatedAt: now, ExpiresAt: now.Add(d.ttl()),
	}
	if d.Officers != nil {
		if o, err := d.Officers.OfficerByUser(ctx, to.Transport, to.ChatID); err == nil {
			dl.OfficerID, dl.OrgID = o.ID, o.OrgID
		}
	}
	if err := d.Store.PutDownload(ctx, dl); err != nil {
		return "", err
	}
	return d.URL(dl.ID, dl.OfficerID, dl.ExpiresAt), nil
}

// URL is the signed link to a stored file made for officer.
func (d *Downloads) URL(id string, officer int64, expires time.Time) string {
	exp := strconv.FormatInt(expires.Unix(), 10)
	return strings.TrimRight(d.PublicURL, "/") + DownloadPath + id + "?e=" + exp + "&s=" + d.sign(id, officer, exp)
}

// sign is the HMAC of the file, the person it was made for and the
// expiry: none can be changed without the key.
func (d *Downloads) sign(id string, officer int64, exp string) string {
	m := hmac.New(sha256.New, d.Key)
	m.Write([]byte("download\x00" + id + "\x00" + strconv.FormatInt(officer, 10) + "\x00" + exp))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:18])
}

// Handler serves GET /tai/<id>: a forged or altered link gets 403, an
// expired one 410, both with a short Vietnamese page saying what to do.
func (d *Downloads) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := strings.TrimPrefix(r.URL.Path, DownloadPath)
		exp := r.URL.Query().Get("e")
		sig := r.URL.Query().Get("s")
		if id == "" || strings.Contains(id, "/") || len(id) > 64 {
			page(w, http.StatusForbidden, texts.DownloadForged)
			return
		}
		dl, err := d.Store.Download(r.Context(), id)
		if plan.ErrorCode(err) == plan.ENotFound {
			// Never stored, or pruned after it expired: the ids are
			// random, so this tells nothing to a guesser.
			page(w, http.StatusGone, texts.DownloadExpired)
			return
		}
		if err != nil {
			d.log().Error("download", "id", id, "err", err)
			page(w, http.StatusInternalServerError, texts.DownloadFailed)
			return
		}
		if !hmac.Equal([]byte(sig), []byte(d.sign(id, dl.OfficerID, exp))) {
			page(w, http.StatusForbidden, texts.DownloadForged)
			return
		}
		sec, err := strconv.ParseInt(exp, 10, 64)
		if err != nil || !d.now().Before(time.Unix(sec, 0)) {
			page(w, http.StatusGone, texts.DownloadExpired)
			return
		}
		serveFile(w, r, dl)
	})
}

// serveFile sends a file as an attachment.
func serveFile(w http.ResponseWriter, r *http.Request, dl *plan.Download) {
	h := w.Header()
	h.Set("Content-Type", dl.MIME)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": dl.Name}))
	h.Set("Content-Length", strconv.Itoa(len(dl.Data)))
	h.Set("Cache-Control", "private, no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	if r.Method == http.MethodHead {
		return
	}
	_, _ = w.Write(dl.Data)
}

func (d *Downloads) log() *slog.Logger {
	if d.Log == nil {
		return slog.Default()
	}
	return d.Log
}

// page answers with a minimal Vietnamese HTML page.
func page(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	fmt.Fprintf(w, "<!doctype html><html lang=\"vi\"><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>planbot</title><p style=\"font:1.1em sans-serif;margin:2em\">%s</p></html>\n",
		plan.EscapeHTML(msg))
}

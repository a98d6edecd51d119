package web

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/texts"
)

// Sign-in without passwords: /web in the chat sends a one-time link
// (SignInLink); opening it shows a button, whose POST spends the link and
// opens a session. The button step is there because messengers fetch
// links for previews: a GET must not spend the link. Links and sessions
// are stored as hashes, in the database, so every replica knows them and
// a copy of the database signs nobody in.

// SessionStore keeps sign-in links and sessions (storage.DB).
type SessionStore interface {
	CreateSignIn(ctx context.Context, hash string, officerID int64, now, expires time.Time) error
	UseSignIn(ctx context.Context, hash string, now time.Time) (int64, error)
	CreateSession(ctx context.Context, hash string, officerID int64, csrf string, now, expires time.Time) error
	Session(ctx context.Context, hash string, now time.Time) (officerID int64, csrf string, err error)
	RevokeSession(ctx context.Context, hash string, now time.Time) error
}

// OfficerLookup finds the registration behind a session.
type OfficerLookup interface {
	OfficerByID(ctx context.Context, id int64) (*plan.Officer, error)
}

// Sign-in defaults.
const (
	DefaultSignInTTL  = 10 * time.Minute
	DefaultSessionTTL = 12 * time.Hour
	sessionCookie     = "planbot_session"
	csrfField         = "csrf"
)

// Auth signs people in from the chat and guards the pages.
type Auth struct {
	Store    SessionStore
	Officers OfficerLookup
	// PublicURL is how people reach the server; the cookie is Secure
	// when it is HTTPS.
	PublicURL  string
	SignInTTL  time.Duration
	SessionTTL time.Duration
	Clock      plan.Clock
	Log        *slog.Logger
}

// Viewer is the signed-in person of a request.
type Viewer struct {
	Officer *plan.Officer
	CSRF    string
	hash    string
}

// SeesAll reports whether the viewer may see every unit.
func (v *Viewer) SeesAll() bool { return v.Officer.Role.SeesAll() }

func (a *Auth) now() time.Time {
	if a.Clock == nil {
		return time.Now()
	}
	return a.Clock.Now()
}

func (a *Auth) log() *slog.Logger {
	if a.Log == nil {
		return slog.Default()
	}
	return a.Log
}

func randomToken() (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("random token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b[:]), nil
}

func hashToken(t string) string {
	sum := sha256.Sum256([]byte(t))
	return hex.EncodeToString(sum[:])
}

// SignInLink makes a one-time sign-in link for o and says until when it
// works.
func (a *Auth) SignInLink(ctx context.Context, o *plan.Officer) (string, time.Time, error) {
	if a.PublicURL == "" {
		return "", time.Time{}, plan.Errorf(plan.EInvalid, "%s", texts.WebNoPublicURL)
	}
	tok, err := randomToken()
	if err != nil {
		return "", time.Time{}, err
	}
	ttl := a.SignInTTL
	if ttl <= 0 {
		ttl = DefaultSignInTTL
	}
	now := a.now()
	exp := now.Add(ttl)
	if err := a.Store.CreateSignIn(ctx, hashToken(tok), o.ID, now, exp); err != nil {
		return "", time.Time{}, err
	}
	return strings.TrimRight(a.PublicURL, "/") + "/dang-nhap?t=" + url.QueryEscape(tok), exp, nil
}

// Mount adds the sign-in and sign-out routes.
func (a *Auth) Mount(s *Server) {
	s.Handle("GET /dang-nhap", http.HandlerFunc(a.signInPage))
	s.Handle("POST /dang-nhap", http.HandlerFunc(a.signIn))
	s.Handle("POST /dang-xuat", a.Require(func(w http.ResponseWriter, r *http.Request, v *Viewer) {
		if err := a.Store.RevokeSession(r.Context(), v.hash, a.now()); err != nil {
			a.log().Error("sign out", "err", err)
		}
		http.SetCookie(w, a.cookie("", -1))
		page(w, http.StatusOK, texts.WebSignedOut)
	}))
}

// signInPage shows the button that spends the link.
func (a *Auth) signInPage(w http.ResponseWriter, r *http.Request) {
	tok := r.URL.Query().Get("t")
	if tok == "" {
		page(w, http.StatusBadRequest, texts.WebSignInBad)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	_ = pages.ExecuteTemplate(w, "signin.html", map[string]string{"Token": tok, "Title": texts.WebSignInTitle, "Button": texts.WebSignInButton})
}

// signIn spends the link and opens a session.
func (a *Auth) signIn(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	tok := r.PostFormValue("t")
	if tok == "" {
		page(w, http.StatusBadRequest, texts.WebSignInBad)
		return
	}
	ctx := r.Context()
	now := a.now()
	id, err := a.Store.UseSignIn(ctx, hashToken(tok), now)
	if plan.ErrorCode(err) == plan.ENotFound {
		page(w, http.StatusUnauthorized, texts.WebSignInUsed)
		return
	} else if err != nil {
		a.log().Error("sign in", "err", err)
		page(w, http.StatusInternalServerError, texts.DownloadFailed)
		return
	}
	o, err := a.Officers.OfficerByID(ctx, id)
	if err != nil || !o.Active {
		page(w, http.StatusForbidden, texts.WebNotRegistered)
		return
	}
	sess, err := randomToken()
	if err == nil {
		var csrf string
		if csrf, err = randomToken(); err == nil {
			ttl := a.SessionTTL
			if ttl <= 0 {
				ttl = DefaultSessionTTL
			}
			err = a.Store.CreateSession(ctx, hashToken(sess), id, csrf, now, now.Add(ttl))
		}
	}
	if err != nil {
		a.log().Error("open session", "err", err)
		page(w, http.StatusInternalServerError, texts.DownloadFailed)
		return
	}
	http.SetCookie(w, a.cookie(sess, int(a.sessionTTL().Seconds())))
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

func (a *Auth) sessionTTL() time.Duration {
	if a.SessionTTL <= 0 {
		return DefaultSessionTTL
	}
	return a.SessionTTL
}

func (a *Auth) cookie(value string, maxAge int) *http.Cookie {
	return &http.Cookie{
		Name: sessionCookie, Value: value, Path: "/", MaxAge: maxAge, HttpOnly: true,
		Secure: strings.HasPrefix(a.PublicURL, "https://"), SameSite: http.SameSiteLaxMode,
	}
}

// Require runs h for a signed-in, still registered person; others get the
// page that says how to sign in. A state-changing request (POST) must
// carry the session's CSRF token and, when the browser says where it
// comes from, come from this site.
func (a *Auth) Require(h func(w http.ResponseWriter, r *http.Request, v *Viewer)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v, err := a.viewer(r)
		if err != nil {
			if !errors.Is(err, errNoSession) {
				a.log().Error("session", "err", err)
			}
			page(w, http.StatusUnauthorized, texts.WebSignInNeeded)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
			got := r.PostFormValue(csrfField)
			if subtle.ConstantTimeCompare([]byte(got), []byte(v.CSRF)) != 1 || !a.sameOrigin(r) {
				page(w, http.StatusForbidden, texts.WebCSRF)
				return
			}
		}
		w.Header().Set("Cache-Control", "private, no-store")
		h(w, r, v)
	})
}

var errNoSession = errors.New("no session")

func (a *Auth) viewer(r *http.Request) (*Viewer, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return nil, errNoSession
	}
	hash := hashToken(c.Value)
	id, csrf, err := a.Store.Session(r.Context(), hash, a.now())
	if plan.ErrorCode(err) == plan.ENotFound {
		return nil, errNoSession
	} else if err != nil {
		return nil, err
	}
	o, err := a.Officers.OfficerByID(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if !o.Active {
		return nil, errNoSession // replaced since: the session ends with the registration
	}
	return &Viewer{Officer: o, CSRF: csrf, hash: hash}, nil
}

// sameOrigin checks the Origin header, when the browser sends one,
// against the public URL (or the request's own host).
func (a *Auth) sameOrigin(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" || origin == "null" {
		return origin == ""
	}
	if a.PublicURL != "" {
		if u, err := url.Parse(a.PublicURL); err == nil && strings.EqualFold(origin, u.Scheme+"://"+u.Host) {
			return true
		}
	}
	u, err := url.Parse(origin)
	return err == nil && strings.EqualFold(u.Host, r.Host)
}

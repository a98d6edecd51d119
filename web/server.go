package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Server is the HTTP server. Mount handlers with Handle, readiness
// checks with AddCheck and middleware with Wrap before Open.
type Server struct {
	mux *http.ServeMux
	srv *http.Server
	ln  net.Listener
	log *slog.Logger

	mu     sync.Mutex
	checks []check
	// done is closed when Serve has returned.
	done chan struct{}
	err  error
}

type check struct {
	name string
	fn   func(context.Context) error
}

// ReadyTimeout bounds the readiness checks of one GET /readyz.
const ReadyTimeout = 3 * time.Second

// NewServer returns a server with the health check mounted at /healthz
// (the process answers) and the readiness check at /readyz (every check
// added with AddCheck passes).
func NewServer(log *slog.Logger) *Server {
	if log == nil {
		log = slog.Default()
	}
	s := &Server{mux: http.NewServeMux(), log: log}
	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	s.mux.HandleFunc("GET /readyz", s.ready)
	s.srv = &http.Server{
		Handler:           s.mux,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	return s
}

// Handle mounts h at pattern (net/http.ServeMux patterns: "POST /zalo/webhook").
func (s *Server) Handle(pattern string, h http.Handler) { s.mux.Handle(pattern, h) }

// Wrap puts mw around the server's whole handler, outside what was
// wrapped before (request metrics). Call it before Open. Inside mw, after
// the inner handler returned, r.Pattern is the pattern that matched
// ("GET /readyz"), or empty when none did.
func (s *Server) Wrap(mw func(http.Handler) http.Handler) { s.srv.Handler = mw(s.srv.Handler) }

// Handler is the server's whole handler, middleware included, for tests.
func (s *Server) Handler() http.Handler { return s.srv.Handler }

// AddCheck adds a readiness check: GET /readyz answers 503 while fn
// returns an error, with a line "name: error" in its plain-text body.
// fn gets a context bounded by ReadyTimeout. The error is shown to
// whoever asks, so it must hold no secret.
func (s *Server) AddCheck(name string, fn func(ctx context.Context) error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.checks = append(s.checks, check{name, fn})
}

// ready runs the readiness checks: 200 "ok", or 503 with one line per
// failed check.
func (s *Server) ready(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	checks := append([]check(nil), s.checks...)
	s.mu.Unlock()
	ctx, cancel := context.WithTimeout(r.Context(), ReadyTimeout)
	defer cancel()
	var failed []string
	for _, c := range checks {
		if err := c.fn(ctx); err != nil {
			failed = append(failed, c.name+": "+oneLine(err.Error()))
		}
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if len(failed) > 0 {
		s.log.Debug("not ready", "reasons", failed)
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte(strings.Join(failed, "\n") + "\n"))
		return
	}
	_, _ = w.Write([]byte("ok\n"))
}

// oneLine keeps a reason short and on one line.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 200 {
		s = string(r[:200]) + "…"
	}
	return s
}

// Open listens on addr ("127.0.0.1:8080"; port 0 picks one) and serves
// in the background. A port already taken is an error here, at start.
func (s *Server) Open(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("http: listen on %s: %w", addr, err)
	}
	s.ln = ln
	s.done = make(chan struct{})
	go func() {
		defer close(s.done)
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.err = err
			s.log.Error("http server stopped", "addr", addr, "err", err)
		}
	}()
	s.log.Info("http server listening", "addr", ln.Addr().String())
	return nil
}

// Addr is the address the server listens on, once open.
func (s *Server) Addr() string {
	if s.ln == nil {
		return ""
	}
	return s.ln.Addr().String()
}

// Close stops taking requests and waits for those in flight, up to ctx.
func (s *Server) Close(ctx context.Context) error {
	if s.ln == nil {
		return nil
	}
	err := s.srv.Shutdown(ctx)
	<-s.done
	if err != nil {
		return fmt.Errorf("http: shut down: %w", err)
	}
	return s.err
}

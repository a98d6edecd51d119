package main

import (
	"errors"
	"io/fs"
	"os"
	"strings"
	"syscall"

	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/texts"
)

// fileError turns an I/O error on path into a *plan.Error the person at
// the terminal can read, in Vietnamese; nil stays nil.
func fileError(path string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, fs.ErrNotExist):
		return plan.Errorf(plan.ENotFound, "%s", texts.FileNotFound(path))
	case errors.Is(err, fs.ErrPermission):
		return plan.Errorf(plan.EForbidden, "%s", texts.FileDenied(path))
	case errors.Is(err, syscall.EISDIR):
		return plan.Errorf(plan.EInvalid, "%s", texts.FileIsDir(path))
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return plan.Errorf(plan.EInvalid, "%s", texts.FileFailed(path, pe.Err))
	}
	return plan.Errorf(plan.EInvalid, "%s", texts.FileFailed(path, err))
}

// sqlitePath returns the file of a SQLite DSN ("planbot.db",
// "file:x.db?_pragma=…"), and false for PostgreSQL.
func sqlitePath(dsn string) (string, bool) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return "", false
	}
	p := strings.TrimPrefix(dsn, "file:")
	if i := strings.IndexByte(p, '?'); i >= 0 {
		p = p[:i]
	}
	return p, p != "" && p != ":memory:"
}

// dbExists reports whether the configured database is there to read: a
// PostgreSQL server is assumed to be; a SQLite file must exist.
func (e *Env) dbExists() (string, bool) {
	path, ok := sqlitePath(e.Config.DB)
	if !ok {
		return "", true
	}
	_, err := os.Stat(path)
	return path, err == nil
}

package plan

import (
	"errors"
	"fmt"
)

// Error codes. They tell callers what kind of failure happened without
// parsing messages; transports map them to replies and exit codes.
const (
	EInvalid      = "invalid"      // the input cannot be understood
	ENotFound     = "not_found"    // the thing asked for does not exist
	EConflict     = "conflict"     // the thing exists already or was used
	EForbidden    = "forbidden"    // the user may not do this
	EUnauthorized = "unauthorized" // the user is not registered
	EInternal     = "internal"     // anything else: logged, never shown
)

// Error is a failure whose Message may be shown to the user as is. It is
// written in Vietnamese, for the officer or secretary who caused it.
// Everything that is not an *Error is internal: it is logged and the user
// gets a short apology.
type Error struct {
	Code    string
	Message string
}

// Error returns the message: it is already written for people.
func (e *Error) Error() string {
	if e.Message == "" {
		return "planbot: " + e.Code
	}
	return e.Message
}

// Errorf returns an *Error with a formatted user-facing message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the *Error in err's chain, EInternal for
// any other error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	}
	return EInternal
}

// ErrorMessage returns the user-facing message of the *Error in err's
// chain, and "" when err carries none (the caller then apologises).
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return ""
}

package core

import (
	"errors"
	"fmt"
	"time"

	"github.com/pushd/pushd/ent"
)

// Code is an error class that every transport shows the same way: GraphQL
// puts it in extensions.code, the device API in its JSON error body.
type Code string

// Codes every transport shares (docs/api.md lists them).
const (
	CodeUnauthenticated Code = "UNAUTHENTICATED"
	CodeForbidden       Code = "FORBIDDEN"
	CodeNotFound        Code = "NOT_FOUND"
	CodeInvalidArgument Code = "INVALID_ARGUMENT"
	CodeConflict        Code = "CONFLICT"
	CodeRateLimited     Code = "RATE_LIMITED"
	CodeInternal        Code = "INTERNAL"
)

// Error is a domain error with a code and a message fit for the caller.
type Error struct {
	Code    Code
	Message string
	// Field is the input field at fault, when there is one.
	Field string
	// RetryAfter, with RATE_LIMITED, is how long the caller should wait
	// before trying again (GraphQL: extensions.retryAfterSeconds).
	RetryAfter time.Duration
	// Err is the underlying cause; never shown to callers.
	Err error
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s: %s", e.Code, e.Field, e.Message)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

func (e *Error) Unwrap() error { return e.Err }

// Invalid reports bad input in one field.
func Invalid(field, format string, args ...any) *Error {
	return &Error{Code: CodeInvalidArgument, Field: field, Message: fmt.Sprintf(format, args...)}
}

// NotFound reports a missing (or invisible) resource.
func NotFound(what string) *Error {
	return &Error{Code: CodeNotFound, Message: what + " not found"}
}

// Conflict reports a clash with existing state.
func Conflict(format string, args ...any) *Error {
	return &Error{Code: CodeConflict, Message: fmt.Sprintf(format, args...)}
}

// AsError returns the *Error in err's chain, if any.
func AsError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// NotFoundAs names the resource in ent's not-found errors, so callers see
// "app not found" instead of ent's internal label.
func NotFoundAs(err error, what string) error {
	if ent.IsNotFound(err) {
		return &Error{Code: CodeNotFound, Message: what + " not found", Err: err}
	}
	return err
}

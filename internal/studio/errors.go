package studio

import (
	"errors"
	"fmt"
)

// Error codes shared by the API, the HTML pages and the CLI. Each maps to one
// HTTP status in the web package.
const (
	ECodeInvalidInput       = "invalid_input"
	ECodeNotFound           = "not_found"
	ECodeUnauthenticated    = "unauthenticated"
	ECodeForbidden          = "forbidden"
	ECodeInvalidCredentials = "invalid_credentials"
	ECodeRateLimited        = "rate_limited"
	ECodeInvalidImage       = "invalid_image"
	ECodeTooLarge           = "too_large"
	ECodeConflict           = "conflict"
	ECodeLinkInvalid        = "link_invalid"
	ECodeLinkExpired        = "link_expired"
	ECodeLinkDeactivated    = "link_deactivated"
	ECodeRangeUnsatisfiable = "range_not_satisfiable"
	ECodeMethodNotAllowed   = "method_not_allowed"
	ECodeUnavailable        = "unavailable" // the server is at a capacity limit; try again later
	ECodeInternal           = "internal"
	// ECodeFeedbackOff refuses feedback through a link that does not take it.
	ECodeFeedbackOff = "feedback_disabled"
	// ECodeDownloadsOff refuses a download (an original or the ZIP)
	// through a link whose allowDownloads is off.
	ECodeDownloadsOff = "downloads_disabled"
	// ECodePINRequired refuses a request through a link with a PIN that
	// carries no valid PIN cookie (docs/SECURITY.md, "Link PINs").
	ECodePINRequired = "pin_required"
)

// Error is a domain error with a public message. Its text is safe to show
// to whoever made the request; anything else is logged and hidden.
type Error struct {
	Code    string
	Message string
	Field   string // for invalid_input: the first offending field, if any
	// Fields holds, for invalid_input, the message of every offending
	// field by name; Field and Message are its first entry.
	Fields map[string]string
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Errorf makes a domain error with a formatted public message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid reports a bad value in a named input field.
func Invalid(field, format string, args ...any) *Error {
	msg := fmt.Sprintf(format, args...)
	return &Error{Code: ECodeInvalidInput, Field: field, Message: msg, Fields: map[string]string{field: msg}}
}

// ErrNotFound is returned by lookups of unknown ids. Wrap it with context.
var ErrNotFound = &Error{Code: ECodeNotFound, Message: "Not found."}

// ErrorCode returns the code of the domain error inside err, or "internal".
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ECodeInternal
}

// ErrorMessage returns the public message of err; internal errors get a
// generic text so that no internal detail leaves the server.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "Something went wrong on our side. Please try again."
}

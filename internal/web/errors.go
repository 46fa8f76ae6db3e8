package web

import (
	"encoding/json"
	"errors"
	"net/http"

	"atrium/internal/files"
	"atrium/internal/studio"
)

// statusOf maps a domain error code to its HTTP status.
func statusOf(code string) int {
	switch code {
	case studio.ECodeInvalidInput, studio.ECodeInvalidImage:
		return http.StatusBadRequest
	case studio.ECodeUnauthenticated, studio.ECodeInvalidCredentials:
		return http.StatusUnauthorized
	case studio.ECodeForbidden:
		return http.StatusForbidden
	case studio.ECodeNotFound, studio.ECodeLinkInvalid:
		return http.StatusNotFound
	case studio.ECodeConflict:
		return http.StatusConflict
	case studio.ECodeLinkExpired, studio.ECodeLinkDeactivated:
		return http.StatusGone
	case studio.ECodeTooLarge:
		return http.StatusRequestEntityTooLarge
	case studio.ECodeRateLimited:
		return http.StatusTooManyRequests
	case studio.ECodeRangeUnsatisfiable:
		return http.StatusRequestedRangeNotSatisfiable
	case studio.ECodeMethodNotAllowed:
		return http.StatusMethodNotAllowed
	case studio.ECodeUnavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// domainError turns errors of the layers below into domain errors, so that
// statusOf sees one vocabulary.
func domainError(err error) error {
	var se *studio.Error
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &se):
		return err
	case errors.Is(err, files.ErrTooLarge), errors.As(err, &mbe):
		return studio.Errorf(studio.ECodeTooLarge, "The upload is larger than the limit.")
	case errors.Is(err, files.ErrInvalidImage):
		// The files package words its reasons for people ("not a JPEG, PNG or WebP image").
		return &studio.Error{Code: studio.ECodeInvalidImage, Message: publicImageMessage(err)}
	case errors.Is(err, files.ErrNotFound):
		return studio.Errorf(studio.ECodeNotFound, "File not found.")
	}
	return err
}

func publicImageMessage(err error) string {
	msg := err.Error()
	const prefix = "files: invalid image: "
	if len(msg) > len(prefix) && msg[:len(prefix)] == prefix {
		msg = msg[len(prefix):]
		return "The file is not a usable image: " + msg + "."
	}
	return "The file is not a usable JPEG, PNG or WebP image."
}

type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
}

// fail is the one way an API error leaves the server: a JSON envelope with
// the code's status. Internal errors are logged and shown as a generic text.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	err = domainError(err)
	code := studio.ErrorCode(err)
	status := statusOf(code)
	if status == http.StatusInternalServerError {
		s.log.Error("request failed", "method", r.Method, "path", redactPath(r.URL.Path), "err", err)
	}
	var field string
	var se *studio.Error
	if errors.As(err, &se) {
		field = se.Field
	}
	writeJSON(w, status, errorBody{Error: errorDetail{Code: code, Message: studio.ErrorMessage(err), Field: field}})
}

// writeJSON encodes v into a buffer first, so that an encoding failure
// cannot leave a half-written 200 behind.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"error":{"code":"internal","message":"Something went wrong on our side. Please try again."}}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(b)
	w.Write([]byte("\n"))
}

package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

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
// statusOf sees one vocabulary. Each carries its public message: no error's
// text is ever read for one.
func domainError(err error) error {
	var se *studio.Error
	var mbe *http.MaxBytesError
	var ie *files.ImageError
	switch {
	case errors.As(err, &se):
		return err
	case errors.Is(err, files.ErrTooLarge), errors.As(err, &mbe):
		return studio.Errorf(studio.ECodeTooLarge, "The upload is larger than the limit.")
	case errors.As(err, &ie):
		return &studio.Error{Code: studio.ECodeInvalidImage, Message: ie.PublicMessage()}
	case errors.Is(err, files.ErrInvalidImage):
		return studio.Errorf(studio.ECodeInvalidImage, "The file is not a usable JPEG, PNG or WebP image.")
	case errors.Is(err, files.ErrNotFound):
		return studio.Errorf(studio.ECodeNotFound, "File not found.")
	}
	return err
}

type errorBody struct {
	Error errorDetail `json:"error"`
}

// errorDetail is the API's error envelope: the code, a message for people,
// and for invalid input the first offending field and every one of them
// with its message.
type errorDetail struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Field   string            `json:"field,omitempty"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// fail is the one way an error leaves the server. The route decides the
// form: under /api/ the JSON envelope, under /client-progress/ the client's
// error page, elsewhere an admin page. form, on an admin form's POST, is
// the page that holds the form: unless there is no such thing to show
// (not_found), it is shown again with what was entered and each field's
// message. The status is the code's (statusOf); internal errors are logged
// here, once, and answered with a generic text.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error, form ...formPage) {
	err = domainError(err)
	code := studio.ErrorCode(err)
	status := statusOf(code)
	if status == http.StatusInternalServerError {
		s.log.Error("request failed", "method", r.Method, "path", redactPath(r.URL.Path), "err", err)
	}
	var se *studio.Error
	errors.As(err, &se)
	switch {
	case strings.HasPrefix(r.URL.Path, "/api/"):
		d := errorDetail{Code: code, Message: studio.ErrorMessage(err)}
		if se != nil {
			d.Field, d.Fields = se.Field, se.Fields
		}
		writeJSON(w, status, errorBody{Error: d})
	case strings.HasPrefix(r.URL.Path, "/client-progress/"):
		s.renderClientError(w, r, status, code)
	case len(form) > 0 && code != studio.ECodeNotFound:
		form[0].Render(w, r, formStatus(status), form[0].state(se, studio.ErrorMessage(err)))
	default:
		s.renderAdminError(w, r, status, studio.ErrorMessage(err))
	}
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

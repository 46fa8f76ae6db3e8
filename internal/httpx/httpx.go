// Package httpx holds what the staff side (internal/web) and the client
// side (internal/portal) of the HTTP server share: writing JSON and pages,
// the mapping of an error to its status and JSON envelope, the client's
// address behind trusted proxies, token-free paths for the logs, and the
// pipeline of embedded static files.
package httpx

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"sync"

	"atrium/internal/files"
	"atrium/internal/studio"
)

// WriteJSON encodes v into a buffer first, so that an encoding failure
// cannot leave a half-written 200 behind.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	b, err := EncodeJSON(v)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"error":{"code":"internal","message":"Something went wrong on our side. Please try again."}}` + "\n")
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(b)
}

// EncodeJSON encodes v with the trailing newline WriteJSON adds.
func EncodeJSON(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// WriteHTML writes a rendered page.
func WriteHTML(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}

// WriteHTMLCompressed writes a rendered page gzip-compressed when the
// client accepts it (a 32 KB client page becomes about 6 KB: on a slow
// mobile link that is most of its transfer time), with Vary:
// Accept-Encoding either way. Pages are rendered whole into a buffer first,
// so the compressed length is known and sent. Only pages go through here:
// the live-update stream and images are never compressed (SSE must flush
// each event; JPEG does not shrink).
func WriteHTMLCompressed(w http.ResponseWriter, r *http.Request, status int, body []byte) {
	h := w.Header()
	h.Add("Vary", "Accept-Encoding")
	if len(body) < minCompress || !acceptsGzip(r) {
		WriteHTML(w, status, body)
		return
	}
	zw := gzipWriters.Get().(*gzip.Writer)
	defer gzipWriters.Put(zw)
	var buf bytes.Buffer
	buf.Grow(len(body) / 4)
	zw.Reset(&buf)
	zw.Write(body)
	zw.Close()
	h.Set("Content-Encoding", "gzip")
	WriteHTML(w, status, buf.Bytes())
}

// minCompress is the smallest page worth compressing: below it, gzip's own
// header and the work save nothing that matters.
const minCompress = 1024

// gzipWriters are reused: each holds several hundred KB of compression
// state that would otherwise be allocated for every page.
var gzipWriters = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(nil, gzip.DefaultCompression)
	return zw
}}

// StatusOf maps a domain error code to its HTTP status.
func StatusOf(code string) int {
	switch code {
	case studio.ECodeInvalidInput, studio.ECodeInvalidImage:
		return http.StatusBadRequest
	case studio.ECodeUnauthenticated, studio.ECodeInvalidCredentials, studio.ECodePINRequired:
		return http.StatusUnauthorized
	case studio.ECodeForbidden, studio.ECodeFeedbackOff, studio.ECodeDownloadsOff:
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

// DomainError turns errors of the layers below into domain errors, so that
// StatusOf sees one vocabulary. Each carries its public message: no error's
// text is ever read for one.
func DomainError(err error) error {
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

// Failure is an error as the server answers it.
type Failure struct {
	Err    error  // the domain error (DomainError)
	Code   string // its code
	Status int    // its status (StatusOf)
}

// Fail is the first half of each error path (web's Server.fail, portal's
// Server.Fail): it maps err to its domain error, code and status, and logs
// an internal error, once, with the request's path cleared of tokens.
func Fail(log *slog.Logger, r *http.Request, err error) Failure {
	err = DomainError(err)
	f := Failure{Err: err, Code: studio.ErrorCode(err)}
	f.Status = StatusOf(f.Code)
	if f.Status == http.StatusInternalServerError {
		log.Error("request failed", "method", r.Method, "path", RedactPath(r.URL.Path), "err", err)
	}
	return f
}

// ErrorBody is the API's error answer.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail is the API's error envelope (Error in docs/openapi.yaml):
// the code, a message for people, and for invalid input the first
// offending field and every one of them with its message.
type ErrorDetail struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Field   string            `json:"field,omitempty"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// WriteJSONError answers f in the JSON envelope.
func WriteJSONError(w http.ResponseWriter, f Failure) {
	d := ErrorDetail{Code: f.Code, Message: studio.ErrorMessage(f.Err)}
	var se *studio.Error
	if errors.As(f.Err, &se) {
		d.Field, d.Fields = se.Field, se.Fields
	}
	WriteJSON(w, f.Status, ErrorBody{Error: d})
}

// CSP is the Content-Security-Policy of every answer: our own origin only,
// no inline script, no third party. The client page adds one directive,
// style-src 'self' with the hashes of its two inline stylesheets
// (portal.StyleCSP).
const CSP = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"

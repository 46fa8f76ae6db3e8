package portal

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"atrium/internal/studio"
)

// clientETag is the validator of an object served to clients: the first
// 16 bytes of HMAC-SHA256(server secret, value), base64url, quoted. It
// changes when value does (the original's digest, the logo's key) and
// tells nothing of it: no file digest to compare elsewhere, no upload time.
func (s *Server) clientETag(value string) string {
	m := hmac.New(sha256.New, s.cfg.Secret)
	m.Write([]byte("atrium-etag\x00"))
	m.Write([]byte(value))
	return `"` + base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:16]) + `"`
}

// serveClientContent streams obj to a client with Range and conditional
// request support (http.ServeContent), under the ETag etag and without
// Last-Modified: the file's time is when staff uploaded it, which is not the
// client's business.
//
// before, if not nil, runs once ServeContent has chosen to answer with the
// file (200, 206) or 304, and before any header goes out: the download's
// access row is committed there, so that a refused range is no download.
// If it fails, its error is answered instead of the file.
//
// ServeContent's own refusals, 416 for a range outside the file and 500,
// come as plain text without Cache-Control; they are answered here in the
// JSON envelope with the client headers. A 412 (If-Match) passes as is.
func (s *Server) serveClientContent(w http.ResponseWriter, r *http.Request, obj io.ReadSeeker, etag string, before func() error) {
	w.Header().Set("ETag", etag)
	http.ServeContent(&contentWriter{ResponseWriter: w, s: s, r: r, before: before}, r, "", time.Time{}, obj)
}

// errRefused stops ServeContent's copy once its answer has been replaced.
var errRefused = errors.New("web: content answer replaced")

// contentWriter sees the status ServeContent chooses before it goes out.
type contentWriter struct {
	http.ResponseWriter
	s       *Server
	r       *http.Request
	before  func() error
	decided bool
	refused bool // the answer was replaced: ServeContent's body is dropped
}

func (w *contentWriter) WriteHeader(code int) {
	if w.decided {
		return
	}
	w.decided = true
	switch {
	case code == http.StatusRequestedRangeNotSatisfiable:
		w.refuse(studio.Errorf(studio.ECodeRangeUnsatisfiable, "The requested range is not part of the file."), true)
	case code == http.StatusPreconditionFailed:
		w.ResponseWriter.WriteHeader(code)
	case code >= 400:
		w.refuse(fmt.Errorf("web: serve content: status %d", code), false)
	default:
		if w.before != nil {
			if err := w.before(); err != nil {
				w.refuse(err, false)
				return
			}
		}
		w.ResponseWriter.WriteHeader(code)
	}
}

func (w *contentWriter) Write(b []byte) (int, error) {
	if !w.decided {
		w.WriteHeader(http.StatusOK)
	}
	if w.refused {
		return 0, errRefused
	}
	return w.ResponseWriter.Write(b)
}

var _ io.ReaderFrom = (*contentWriter)(nil) // downloads keep sendfile (PERFORMANCE.md)

// ReadFrom is Write for a whole copy: ServeContent's io.CopyN reaches the
// connection's ReadFrom through it, and with it sendfile(2).
func (w *contentWriter) ReadFrom(src io.Reader) (int64, error) {
	if !w.decided {
		w.WriteHeader(http.StatusOK)
	}
	if w.refused {
		return 0, errRefused
	}
	return io.Copy(w.ResponseWriter, src)
}

// refuse answers err in place of the content, without the headers that
// described it (a 416 keeps Content-Range: bytes */size).
func (w *contentWriter) refuse(err error, keepRange bool) {
	w.refused = true
	h := w.Header()
	for _, k := range []string{"Content-Length", "Content-Disposition", "Content-Encoding", "ETag", "Accept-Ranges"} {
		h.Del(k)
	}
	if !keepRange {
		h.Del("Content-Range")
	}
	h.Set("Cache-Control", "no-store")
	w.s.Fail(w.ResponseWriter, w.r, err)
}

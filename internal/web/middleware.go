package web

import (
	"context"
	"io"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"atrium/internal/httpx"
	"atrium/internal/studio"
)

// baseHeaders sets the headers every response carries.
func baseHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Content-Security-Policy", csp)
		next.ServeHTTP(w, r)
	})
}

// csp allows only our own origin: no inline script, no third party
// (httpx.CSP; the client page adds the hashes of its inline styles).
const csp = httpx.CSP

// clientHeaders adds the client headers (docs/SECURITY.md) to every
// client-facing response: the portal, its API and robots.txt. It wraps the
// CSRF check and the mux, so that their own answers (the CSRF refusal, 405,
// the redirects to a cleaned path) carry the headers too. Handlers may
// loosen Cache-Control (downloads: private).
func clientHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if clientFacing(r.URL.Path) {
			h := w.Header()
			h.Set("Referrer-Policy", "no-referrer")
			h.Set("X-Robots-Tag", "noindex, nofollow")
			h.Set("Cache-Control", "no-store")
			h.Set("X-Content-Type-Options", "nosniff")
			h.Set("Content-Security-Policy", csp)
		}
		next.ServeHTTP(w, r)
	})
}

// clientFacing reports whether a request path is client-facing, judged on
// the path as the mux routes it once cleaned ("//client-progress/x" and
// "/api/x/../client-progress/y" are). The path is the decoded one, so an
// escaped "%2F.." may count a path in that is not: that only adds headers.
func clientFacing(p string) bool {
	p = httpx.CleanPath(p)
	return p == "/robots.txt" || strings.HasPrefix(p, "/unsubscribe/") || p+"/" == httpx.ClientPagePrefix || p+"/" == httpx.ClientAPIPrefix ||
		strings.HasPrefix(p, httpx.ClientPagePrefix) || strings.HasPrefix(p, httpx.ClientAPIPrefix)
}

// crossOriginProtection refuses state-changing browser requests from other
// sites (CSRF), like any other error (fail): in the API's JSON envelope, or
// on a page.
func (s *Server) crossOriginProtection() *http.CrossOriginProtection {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, studio.Errorf(studio.ECodeForbidden, "This request came from another site and was refused."))
	}))
	return cop
}

type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

var _ io.ReaderFrom = (*statusWriter)(nil) // downloads keep sendfile (PERFORMANCE.md)

// ReadFrom hands a copy to the connection's own ReadFrom, so that a stored
// file goes out with sendfile(2) rather than through a buffer.
func (w *statusWriter) ReadFrom(src io.Reader) (int64, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := io.Copy(w.ResponseWriter, src)
	w.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController reach Flush and deadlines (SSE).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// logRequests logs one line a request, with client tokens redacted.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		s.log.Info("http", "method", r.Method, "path", httpx.RedactPath(r.URL.Path), "status", sw.status,
			"bytes", sw.bytes, "ms", time.Since(start).Milliseconds())
	})
}

// clientIP is the request's client address (httpx.ClientIP).
func (s *Server) clientIP(r *http.Request) string { return httpx.ClientIP(r, s.cfg.TrustedProxies) }

// trusted reports whether a is one of the trusted proxies.
func (s *Server) trusted(a netip.Addr) bool { return httpx.Trusted(a, s.cfg.TrustedProxies) }

type ctxKey int

const userKey ctxKey = iota

// userFrom returns the signed-in staff member of the request.
func userFrom(ctx context.Context) *studio.User {
	u, _ := ctx.Value(userKey).(*studio.User)
	return u
}

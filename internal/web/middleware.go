package web

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/netip"
	"path"
	"strings"
	"time"

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

// csp allows only our own origin: no inline script, no third party.
const csp = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"

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

// Paths of the client side.
const (
	clientPagePrefix = "/client-progress/"
	clientAPIPrefix  = "/api/client-progress/"
)

// clientFacing reports whether a request path is client-facing, judged on
// the path as the mux routes it once cleaned ("//client-progress/x" and
// "/api/x/../client-progress/y" are). The path is the decoded one, so an
// escaped "%2F.." may count a path in that is not: that only adds headers.
func clientFacing(p string) bool {
	p = cleanPath(p)
	return p == "/robots.txt" || p+"/" == clientPagePrefix || p+"/" == clientAPIPrefix ||
		strings.HasPrefix(p, clientPagePrefix) || strings.HasPrefix(p, clientAPIPrefix)
}

// cleanPath is the path the mux routes: . and .. elements and double
// slashes removed, a trailing slash kept (as net/http does).
func cleanPath(p string) string {
	if p == "" {
		return "/"
	}
	if p[0] != '/' {
		p = "/" + p
	}
	np := path.Clean(p)
	if p[len(p)-1] == '/' && np != "/" {
		np += "/"
	}
	return np
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
		s.log.Info("http", "method", r.Method, "path", redactPath(r.URL.Path), "status", sw.status,
			"bytes", sw.bytes, "ms", time.Since(start).Milliseconds())
	})
}

// redactPath cuts client tokens out of a path before it is logged, so
// that the server's own logs never hold a working link. The request log runs
// before the mux cleans the path, so the token may sit anywhere in it
// ("//client-progress/TOKEN", "/api/client-progress/x/../TOKEN"):
//
//   - every run of TokenLen or more base62 characters becomes its first 4
//     and "…", except runs of exactly 32 lowercase hex digits, which are
//     ids (worth keeping in a log, and a token only by a chance of
//     about 1e-19);
//   - the token the mux will route, read from the cleaned path, is cut
//     wherever it appears, ids or not, which covers that chance.
func redactPath(p string) string {
	out := redactRuns(p)
	for _, token := range routedTokens(p) {
		out = strings.ReplaceAll(out, token, studio.TokenHint(token)+"…")
	}
	return out
}

// redactRuns shortens the long base62 runs of s that are not ids.
func redactRuns(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && isBase62(s[j]) {
			j++
		}
		if j == i {
			b.WriteByte(s[i])
			i++
			continue
		}
		run := s[i:j]
		if len(run) >= studio.TokenLen && !validID(run) {
			run = studio.TokenHint(run) + "…"
		}
		b.WriteString(run)
		i = j
	}
	return b.String()
}

func isBase62(c byte) bool {
	return '0' <= c && c <= '9' || 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z'
}

// routedTokens are the runs of TokenLen or more base62 characters in the
// segment the mux routes as the token, once the path is cleaned: the token
// itself, or one with something added to it.
func routedTokens(p string) []string {
	p = cleanPath(p)
	var runs []string
	for _, prefix := range []string{clientPagePrefix, clientAPIPrefix} {
		rest, ok := strings.CutPrefix(p, prefix)
		if !ok {
			continue
		}
		seg, _, _ := strings.Cut(rest, "/")
		for i := 0; i < len(seg); {
			j := i
			for j < len(seg) && isBase62(seg[j]) {
				j++
			}
			if j-i >= studio.TokenLen {
				runs = append(runs, seg[i:j])
			}
			i = max(j, i+1)
		}
	}
	return runs
}

// clientIP is the connection's peer, or the first address in
// X-Forwarded-For (read right to left) that is not a trusted proxy, when the
// peer itself is one.
func (s *Server) clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	peer, err := netip.ParseAddr(host)
	if err != nil {
		return host
	}
	peer = peer.Unmap()
	if !s.trusted(peer) {
		return peer.String()
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break
		}
		a = a.Unmap()
		if !s.trusted(a) {
			return a.String()
		}
	}
	return peer.String()
}

// limitKey is the key of a client IP in the per-IP rate limits. An IPv6
// address counts as its /64, the block one household or server is given,
// so that walking through its addresses does not buy new allowances.
func limitKey(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil || a.Is4() {
		return ip
	}
	p, _ := a.Prefix(64)
	return p.String()
}

func (s *Server) trusted(a netip.Addr) bool {
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

type ctxKey int

const userKey ctxKey = iota

// userFrom returns the signed-in staff member of the request.
func userFrom(ctx context.Context) *studio.User {
	u, _ := ctx.Value(userKey).(*studio.User)
	return u
}

package web

import (
	"io"
	"log"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"time"

	"atrium/internal/httpx"
)

// Slow and greedy clients. A connection costs the server a goroutine,
// buffers and a file descriptor for as long as the client keeps it, so no
// client keeps one for free:
//
//   - the request's headers must come within headerTimeout (http.Server);
//   - its body must keep up BodyMinRate on average, after a grace of
//     BodyTimeout, counting only the time the server waits for it
//     (bodyReader);
//   - each piece of an answer, up to writePiece bytes, must be taken within
//     WriteTimeout plus its size at WriteMinRate (deadlineWriter): a reader
//     that stalls is dropped, a slow but steady one is not;
//   - one address holds at most MaxConnsPerIP connections (connLimiter);
//   - live-update streams have caps of their own (internal/portal/events.go).
//
// http.Server's ReadTimeout and WriteTimeout are not used: both run from
// the request's headers, so either would cut a 200 MB upload over a slow
// line, or the answer written after it.

const (
	headerTimeout  = 10 * time.Second
	idleTimeout    = 120 * time.Second
	maxHeaderBytes = 64 << 10
	// writePiece is the most written under one deadline. A stalled reader
	// is dropped within WriteTimeout + writePiece/WriteMinRate (31 s by
	// default) once the socket buffers are full.
	writePiece = 256 << 10
)

func (c *Config) slowClientDefaults() {
	if c.MaxConnsPerIP <= 0 {
		c.MaxConnsPerIP = 100
	}
	if c.BodyTimeout <= 0 {
		c.BodyTimeout = 10 * time.Second
	}
	if c.BodyMinRate <= 0 {
		c.BodyMinRate = 8 << 10
	}
	if c.WriteTimeout <= 0 {
		c.WriteTimeout = 15 * time.Second
	}
	if c.WriteMinRate <= 0 {
		c.WriteMinRate = 16 << 10
	}
	if c.MaxStreamsPerIP <= 0 {
		c.MaxStreamsPerIP = 16
	}
	if c.MaxStreams <= 0 {
		c.MaxStreams = 1000
	}
}

// HTTPServer returns the http.Server that serves s. Serve it on
// s.Listener(ln), which adds the per-address connection cap.
func (s *Server) HTTPServer(errorLog *log.Logger) *http.Server {
	return &http.Server{
		Handler:           s,
		ReadHeaderTimeout: headerTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          errorLog,
	}
}

// Listener wraps ln so that one address (an IPv6 /64) holds at most
// MaxConnsPerIP open connections: one more is closed as soon as it is
// accepted, which costs the server next to nothing. The listener sees the
// direct peer only, so a trusted proxy, which carries many clients, is not
// counted: connection limits per client are the proxy's job there.
func (s *Server) Listener(ln net.Listener) net.Listener {
	return &connLimiter{Listener: ln, max: s.cfg.MaxConnsPerIP, exempt: s.trusted, open: map[string]int{}}
}

type connLimiter struct {
	net.Listener
	max    int
	exempt func(netip.Addr) bool
	mu     sync.Mutex
	open   map[string]int
}

func (l *connLimiter) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		ap, err := netip.ParseAddrPort(c.RemoteAddr().String())
		if err != nil || l.exempt(ap.Addr().Unmap()) {
			return c, nil
		}
		key := httpx.LimitKey(ap.Addr().Unmap().String())
		l.mu.Lock()
		if l.open[key] >= l.max {
			l.mu.Unlock()
			c.Close()
			continue
		}
		l.open[key]++
		l.mu.Unlock()
		return &limitedConn{Conn: c, release: func() { l.release(key) }}, nil
	}
}

func (l *connLimiter) release(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.open[key]--; l.open[key] <= 0 {
		delete(l.open, key)
	}
}

// limitedConn gives its place back when closed. It keeps the TCP
// connection's ReadFrom (sendfile(2) for downloads) and CloseWrite (the
// server's clean close).
type limitedConn struct {
	net.Conn
	once    sync.Once
	release func()
}

var _ io.ReaderFrom = (*limitedConn)(nil) // downloads keep sendfile (PERFORMANCE.md)

func (c *limitedConn) Close() error {
	c.once.Do(c.release)
	return c.Conn.Close()
}

func (c *limitedConn) ReadFrom(r io.Reader) (int64, error) {
	if rf, ok := c.Conn.(io.ReaderFrom); ok {
		return rf.ReadFrom(r)
	}
	return io.Copy(struct{ io.Writer }{c.Conn}, r)
}

func (c *limitedConn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}

// guardSlowClients puts the body and the answer of every request under the
// deadlines above. It is the outermost handler, so that it reaches the
// connection's deadlines and sees every write.
func (s *Server) guardSlowClients(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rc := http.NewResponseController(w)
		// A deadline left by the previous answer on this connection must
		// not cut this one (http.Server resets none without WriteTimeout).
		rc.SetWriteDeadline(time.Time{})
		dw := &deadlineWriter{ResponseWriter: w, rc: rc, timeout: s.cfg.WriteTimeout, rate: s.cfg.WriteMinRate}
		var br *bodyReader
		if r.Body != nil && r.Body != http.NoBody {
			br = &bodyReader{body: r.Body, rc: rc, grace: s.cfg.BodyTimeout, rate: s.cfg.BodyMinRate}
			r.Body = br
		}
		next.ServeHTTP(dw, r)
		if br != nil && !br.eof {
			// http.Server reads what is left of the body (up to 256 KB) to
			// reuse the connection: within what the client has left.
			rc.SetReadDeadline(time.Now().Add(max(0, br.allowance())))
		}
		// The answer's last bytes go out after the handler returns.
		dw.extend(0)
	})
}

// perRate is how long n bytes take at rate bytes a second.
func perRate(n, rate int64) time.Duration {
	return time.Duration(float64(n) / float64(rate) * float64(time.Second))
}

// bodyReader holds a request body to a minimum average rate: the client
// may have waited, in all, grace plus the time its bytes are worth at rate.
// Only the time spent waiting in Read counts, so a handler that pauses
// (an upload waiting for a decode slot) costs the client nothing. 200 MB
// at the default 8 KiB/s may take 7 hours; a line at 64 KiB/s sends it in
// 53 minutes, and a body of one byte every 5 s is cut after about 10 s.
type bodyReader struct {
	body   io.ReadCloser
	rc     *http.ResponseController
	grace  time.Duration
	rate   int64
	n      int64
	waited time.Duration
	eof    bool
}

// allowance is how long the client may still keep the server waiting: what
// its average leaves, but never more than stallFactor graces in one wait,
// so that a fast start does not buy a long stall later (a 200 MB body sent
// quickly would otherwise bank hours).
func (b *bodyReader) allowance() time.Duration {
	return min(b.grace+perRate(b.n, b.rate)-b.waited, stallFactor*b.grace)
}

// stallFactor times BodyTimeout is the longest one wait for body bytes may
// last, whatever the client sent before (60 s by default).
const stallFactor = 6

func (b *bodyReader) Read(p []byte) (int, error) {
	if b.eof {
		return b.body.Read(p)
	}
	start := time.Now()
	b.rc.SetReadDeadline(start.Add(b.allowance()))
	n, err := b.body.Read(p)
	b.waited += time.Since(start)
	b.n += int64(n)
	// At the end, http.Server clears the deadline itself to watch the
	// connection for the client leaving.
	b.eof = err == io.EOF
	return n, err
}

func (b *bodyReader) Close() error { return b.body.Close() }

// deadlineWriter gives each piece of an answer its write deadline. A
// handler that sets its own (the event stream) takes over for good.
type deadlineWriter struct {
	http.ResponseWriter
	rc      *http.ResponseController // of the connection's writer
	timeout time.Duration
	rate    int64
	own     bool // the handler sets the deadlines
}

// extend gives the next n bytes, and what the buffers hold, their time.
func (w *deadlineWriter) extend(n int64) {
	if !w.own {
		w.rc.SetWriteDeadline(time.Now().Add(w.timeout + perRate(n, w.rate)))
	}
}

// SetWriteDeadline is how http.ResponseController reaches the deadline
// through this writer: the handler manages it from then on.
func (w *deadlineWriter) SetWriteDeadline(t time.Time) error {
	w.own = true
	return w.rc.SetWriteDeadline(t)
}

func (w *deadlineWriter) WriteHeader(code int) {
	w.extend(0)
	w.ResponseWriter.WriteHeader(code)
}

func (w *deadlineWriter) Write(b []byte) (int, error) {
	if len(b) == 0 {
		return w.ResponseWriter.Write(b)
	}
	written := 0
	for len(b) > 0 {
		p := b[:min(len(b), writePiece)]
		w.extend(int64(len(p)))
		n, err := w.ResponseWriter.Write(p)
		written += n
		if err != nil {
			return written, err
		}
		b = b[n:]
	}
	return written, nil
}

var _ io.ReaderFrom = (*deadlineWriter)(nil) // downloads keep sendfile (PERFORMANCE.md)

// ReadFrom copies in pieces, each under its deadline. A piece is one flat
// io.LimitedReader over the source, as http.ServeContent's own, so that
// the connection's ReadFrom still finds the file under it and sends it
// with sendfile(2).
func (w *deadlineWriter) ReadFrom(src io.Reader) (int64, error) {
	base, left := src, int64(-1) // -1: until the source ends
	outer, _ := src.(*io.LimitedReader)
	if outer != nil {
		base, left = outer.R, max(0, outer.N)
	}
	var total int64
	for left != 0 {
		n := int64(writePiece)
		if left > 0 {
			n = min(n, left)
		}
		w.extend(n)
		k, err := io.Copy(w.ResponseWriter, &io.LimitedReader{R: base, N: n})
		total += k
		if outer != nil {
			left -= k
			outer.N = left
		}
		if err != nil {
			return total, err
		}
		if k < n {
			break // the source ended
		}
	}
	return total, nil
}

// Unwrap lets http.ResponseController reach Flush and the read deadline.
func (w *deadlineWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

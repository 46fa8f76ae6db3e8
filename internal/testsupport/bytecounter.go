package testsupport

import (
	"net/http"
	"sync"
)

// ByteCounter counts what a handler sends, headers included, per path.
// NewByteCounter counts what next sends.
func NewByteCounter(next http.Handler) *ByteCounter {
	return &ByteCounter{next: next, sent: map[string]int64{}}
}

type ByteCounter struct {
	next     http.Handler
	mu       sync.Mutex
	sent     map[string]int64
	inflight sync.WaitGroup
}

type countingWriter struct {
	http.ResponseWriter
	n           *int64
	wroteHeader bool
}

func (w *countingWriter) WriteHeader(code int) {
	if !w.wroteHeader {
		w.wroteHeader = true
		*w.n += int64(len("HTTP/1.1 200 OK\r\n\r\n"))
		for k, vs := range w.Header() {
			for _, v := range vs {
				*w.n += int64(len(k) + len(v) + 4)
			}
		}
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *countingWriter) Write(b []byte) (int, error) {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	*w.n += int64(len(b))
	return w.ResponseWriter.Write(b)
}

func (w *countingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (c *ByteCounter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.inflight.Add(1)
	defer c.inflight.Done()
	var n int64
	c.next.ServeHTTP(&countingWriter{ResponseWriter: w, n: &n}, r)
	c.mu.Lock()
	c.sent[r.URL.Path] += n
	c.mu.Unlock()
}

// Reset returns the counts so far, once every request under way has
// ended, and starts again from zero.
func (c *ByteCounter) Reset() map[string]int64 {
	c.inflight.Wait()
	c.mu.Lock()
	defer c.mu.Unlock()
	old := c.sent
	c.sent = map[string]int64{}
	return old
}

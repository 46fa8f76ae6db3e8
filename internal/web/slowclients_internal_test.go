package web

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A large answer written with Write, not copied from a file, is held to
// the same deadlines as a download: a reader that stops is dropped.
func TestStalledReaderOfWrittenAnswerIsDropped(t *testing.T) {
	t.Parallel()
	const size = 32 << 20
	s := &Server{cfg: Config{WriteTimeout: 200 * time.Millisecond, WriteMinRate: 4 << 20}.Defaults()}
	ts := httptest.NewServer(s.guardSlowClients(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", fmt.Sprint(size))
		w.Write(make([]byte, size))
	})))
	defer ts.Close()

	d := net.Dialer{Control: func(network, address string, c syscall.RawConn) error {
		var serr error
		err := c.Control(func(fd uintptr) {
			serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096)
		})
		return errors.Join(err, serr)
	}}
	conn, err := d.Dial("tcp", strings.TrimPrefix(ts.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprint(conn, "GET / HTTP/1.1\r\nHost: atrium.test\r\n\r\n")
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	res, err := http.ReadResponse(bufio.NewReaderSize(conn, 4096), nil)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second) // stalled, well past the deadline
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	n, err := io.Copy(io.Discard, res.Body)
	if n == size && err == nil {
		t.Fatalf("a reader that stalled for 1 s got all %d bytes: the server waited for it", n)
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatalf("after %d bytes the connection stayed open without data", n)
	}
}

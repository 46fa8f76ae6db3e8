package web_test

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"atrium/internal/files"
	"atrium/internal/web"
)

// Deliberately slow clients, on raw connections. The limits are set tiny
// through web.Config; the bounds checked are generous ("closed within
// 10 s"), so that a loaded machine passes too.

// dialRaw opens a TCP connection to the test server. rcvbuf, if not 0,
// shrinks the receive buffer before the handshake, so that a client that
// stops reading stops the server soon.
func dialRaw(t *testing.T, e *env, rcvbuf int) net.Conn {
	t.Helper()
	d := net.Dialer{Timeout: 10 * time.Second}
	if rcvbuf > 0 {
		d.Control = func(network, address string, c syscall.RawConn) error {
			var serr error
			err := c.Control(func(fd uintptr) {
				serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, rcvbuf)
			})
			return errors.Join(err, serr)
		}
	}
	conn, err := d.Dial("tcp", strings.TrimPrefix(e.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// rawGet sends a GET on conn and reads the answer within 10 s.
func rawGet(conn net.Conn, path string) (*http.Response, error) {
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	defer conn.SetDeadline(time.Time{})
	if _, err := fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: atrium.test\r\n\r\n", path); err != nil {
		return nil, err
	}
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return nil, err
	}
	_, err = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res, err
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// A body that trickles in (here 5 bytes a second against a minimum of 100)
// is cut once its grace and the time its bytes are worth run out.
func TestSlowBodyIsCut(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		e := newEnv(t, db, func(c *web.Config) {
			c.BodyTimeout = 500 * time.Millisecond
			c.BodyMinRate = 100
		})
		conn := dialRaw(t, e, 0)
		body := `{"email":"` + adminEmail + `","password":"` + testPassword + `"}` + strings.Repeat(" ", 60)
		fmt.Fprintf(conn, "POST /api/session HTTP/1.1\r\nHost: atrium.test\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", len(body))
		stop := make(chan struct{})
		defer close(stop)
		go func() { // one byte every 200 ms: the whole body would take 24 s
			for i := range len(body) {
				if _, err := conn.Write([]byte{body[i]}); err != nil {
					return
				}
				select {
				case <-stop:
					return
				case <-time.After(200 * time.Millisecond):
				}
			}
		}()
		start := time.Now()
		conn.SetReadDeadline(start.Add(10 * time.Second))
		got, err := io.ReadAll(conn) // until the server closes
		if isTimeout(err) {
			t.Fatalf("the connection of a 5-byte-a-second body was still open after %v", time.Since(start).Round(time.Millisecond))
		}
		if len(got) > 0 && !strings.HasPrefix(string(got), "HTTP/1.1 400") {
			t.Errorf("answer to a cut body: %.60q, want a 400 or nothing", got)
		}
	})
}

// A fast start buys no long stall: a body whose first bytes came quickly
// is still cut when it stops, after at most six times BodyTimeout, not
// after the time those bytes are worth at the minimum rate.
func TestFrontLoadedBodyStallIsCut(t *testing.T) {
	eachDB(t, func(t *testing.T, db string) {
		e := newEnv(t, db, func(c *web.Config) {
			c.BodyTimeout = 200 * time.Millisecond
			c.BodyMinRate = 1000 // 60 KB sent at once would be worth 60 s
		})
		conn := dialRaw(t, e, 0)
		const size = 64 << 10
		fmt.Fprintf(conn, "POST /api/session HTTP/1.1\r\nHost: atrium.test\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", size)
		if _, err := conn.Write([]byte(strings.Repeat(" ", 60<<10))); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		conn.SetReadDeadline(start.Add(20 * time.Second))
		_, err := io.ReadAll(conn) // until the server closes
		if isTimeout(err) || time.Since(start) > 15*time.Second {
			t.Fatalf("a stalled body that started fast kept its connection for %v", time.Since(start).Round(time.Millisecond))
		}
	})
}

// A body that keeps above the minimum rate goes through, even when it
// takes several times BodyTimeout: the allowance grows with the bytes.
func TestSteadyBodyPasses(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		e := newEnv(t, db, func(c *web.Config) {
			c.BodyTimeout = 300 * time.Millisecond
			c.BodyMinRate = 200
		})
		conn := dialRaw(t, e, 0)
		body := `{"email":"` + adminEmail + `","password":"` + testPassword + `"}`
		body += strings.Repeat(" ", 1200-len(body))
		fmt.Fprintf(conn, "POST /api/session HTTP/1.1\r\nHost: atrium.test\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", len(body))
		start := time.Now()
		for i := 0; i < len(body); i += 60 { // about 1.2 KB a second, six times the minimum
			if _, err := io.WriteString(conn, body[i:min(i+60, len(body))]); err != nil {
				t.Fatalf("after %d bytes: %v", i, err)
			}
			time.Sleep(50 * time.Millisecond)
		}
		conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		res, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatalf("no answer to a steady body sent over %v: %v", time.Since(start).Round(time.Millisecond), err)
		}
		res.Body.Close()
		if res.StatusCode != 200 {
			t.Errorf("status %d, want 200", res.StatusCode)
		}
	})
}

// One address holds at most MaxConnsPerIP connections; a closed one frees
// its place. A trusted proxy is not counted.
func TestConnectionsPerIP(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		e := newEnv(t, db, func(c *web.Config) { c.MaxConnsPerIP = 3 })
		var held []net.Conn
		for i := range 3 {
			conn := dialRaw(t, e, 0)
			if res, err := rawGet(conn, "/healthz"); err != nil || res.StatusCode != 200 {
				t.Fatalf("connection %d: %v %v", i+1, res, err)
			}
			held = append(held, conn)
		}
		extra := dialRaw(t, e, 0)
		if res, err := rawGet(extra, "/healthz"); err == nil {
			t.Fatalf("a 4th connection from one address was served (%d), want it closed", res.StatusCode)
		} else if isTimeout(err) {
			t.Fatalf("a 4th connection from one address was held open, want it closed")
		}

		held[0].Close()
		deadline := time.Now().Add(10 * time.Second)
		for {
			conn := dialRaw(t, e, 0)
			res, err := rawGet(conn, "/healthz")
			if err == nil && res.StatusCode == 200 {
				break
			}
			conn.Close()
			if time.Now().After(deadline) {
				t.Fatalf("no connection accepted 10 s after one of three closed: %v", err)
			}
			time.Sleep(10 * time.Millisecond)
		}
	})
}

func TestConnectionsPerIPTrustedProxyExempt(t *testing.T) {
	t.Parallel()
	e := newEnv(t, dbSQLite, func(c *web.Config) {
		c.MaxConnsPerIP = 1
		c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
	})
	for i := range 3 {
		conn := dialRaw(t, e, 0)
		if res, err := rawGet(conn, "/healthz"); err != nil || res.StatusCode != 200 {
			t.Fatalf("connection %d from a trusted proxy: %v %v", i+1, res, err)
		}
	}
}

// A download whose reader stops reading is dropped once a piece of it
// waits longer than WriteTimeout plus its size at WriteMinRate.
func TestStalledDownloadReaderIsDropped(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		e := newEnv(t, db, func(c *web.Config) {
			c.WriteTimeout = 500 * time.Millisecond
			c.WriteMinRate = 4 << 20 // a 256 KiB piece gets 0.56 s
		})
		fs, err := files.NewLocal(e.FilesDir)
		if err != nil {
			t.Fatal(err)
		}
		s := portalSeedProject(t, e.Store, fs, e.Admin.ID, portalSeedOptions{approved: 1})
		// Far more than the socket buffers of both ends hold.
		const size = 32 << 20
		if err := os.WriteFile(filepath.Join(e.FilesDir, s.approved[0].FileKey), make([]byte, size), 0o600); err != nil {
			t.Fatal(err)
		}
		path := "/api/client-progress/" + s.token + "/download/" + s.approved[0].ID

		// A reader that keeps up gets the whole file.
		res, err := rawGet(dialRaw(t, e, 0), path)
		if err != nil || res.StatusCode != 200 || res.ContentLength != size {
			t.Fatalf("download at full speed: %v %v", res, err)
		}

		conn := dialRaw(t, e, 4096)
		fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: atrium.test\r\n\r\n", path)
		conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		br := bufio.NewReaderSize(conn, 4096)
		res, err = http.ReadResponse(br, nil)
		if err != nil || res.StatusCode != 200 {
			t.Fatalf("download: %v %v", res, err)
		}
		// The file is on its way; stop reading, well past the deadline.
		time.Sleep(1500 * time.Millisecond)
		start := time.Now()
		conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		n, err := io.Copy(io.Discard, res.Body)
		if n == size && err == nil {
			t.Fatalf("a reader that stalled for 1.5 s got all %d bytes: the server waited for it (read again in %v)", n, time.Since(start).Round(time.Millisecond))
		}
		if isTimeout(err) {
			t.Fatalf("after %d bytes the connection stayed open without data", n)
		}
	})
}

// Live-update streams are capped per client address (IPv6: per /64) with
// 429, and on the instance with 503, both with Retry-After.
func TestClientEventsCaps(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		e := newEnv(t, db, func(c *web.Config) {
			c.MaxStreamsPerIP = 2
			c.MaxStreams = 4
			c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
		})
		fs, err := files.NewLocal(e.FilesDir)
		if err != nil {
			t.Fatal(err)
		}
		s := portalSeedProject(t, e.Store, fs, e.Admin.ID, portalSeedOptions{approved: 1})
		path := "/api/client-progress/" + s.token + "/events"
		open := func(ip string, want int) *sseStream {
			t.Helper()
			st := portalEvents(t, e, path, map[string]string{"X-Forwarded-For": ip})
			if st.res.StatusCode != want {
				t.Fatalf("stream from %s: status %d, want %d", ip, st.res.StatusCode, want)
			}
			if want != 200 {
				if ra := st.res.Header.Get("Retry-After"); ra == "" {
					t.Errorf("stream from %s: %d without Retry-After", ip, want)
				}
				if ct := st.res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
					t.Errorf("stream from %s: %d as %q, want the JSON envelope", ip, want, ct)
				}
				portalWantHeaders(t, "refused stream", st.res.Header)
			}
			return st
		}
		first := open("203.0.113.7", 200)
		open("203.0.113.7", 200)
		open("203.0.113.7", 429)
		open("2001:db8::1", 200)
		open("2001:db8::2", 200)
		open("2001:db8::3", 429) // the same /64
		open("198.51.100.1", 503)

		// The link check the page makes after a refused stream still answers.
		r := e.anon().send("HEAD", path, "", nil, map[string]string{"X-Forwarded-For": "203.0.113.7"})
		if r.Status != 200 {
			t.Errorf("HEAD at the cap: %d, want 200", r.Status)
		}

		first.close()
		deadline := time.Now().Add(10 * time.Second)
		for {
			st := portalEvents(t, e, path, map[string]string{"X-Forwarded-For": "198.51.100.1"})
			if st.res.StatusCode == 200 {
				break
			}
			st.close()
			if time.Now().After(deadline) {
				t.Fatalf("10 s after a stream closed, a new one still gets %d", st.res.StatusCode)
			}
			time.Sleep(50 * time.Millisecond)
		}
	})
}

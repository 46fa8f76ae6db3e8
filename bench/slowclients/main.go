// Command slowclients measures how long deliberately slow clients hold a
// running atrium (bench/slowclients.sh starts one). Every loop is bounded.
//
//	body      a POST body sent one byte every 5 s: how long the connection stays open
//	conns     connections from one address, each with one answered request: how many are served
//	download  a download whose reader stops after the headers: how long the server's
//	          side of the connection stays established (read from /proc/net/tcp)
//	streams   live-update streams from one address: how many are accepted
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "server address")
	download := flag.String("download", "", "path of a large download")
	events := flag.String("events", "", "path of a live-update stream")
	conns := flag.Int("conns", 5000, "connections to try from one address")
	streams := flag.Int("streams", 50, "streams to try from one address")
	limit := flag.Duration("limit", 120*time.Second, "longest wait in each measurement")
	only := flag.String("only", "", "body, conns, download or streams")
	flag.Parse()
	run := func(name string) bool { return *only == "" || *only == name }
	if run("body") {
		slowBody(*addr, *limit)
	}
	if run("conns") {
		manyConns(*addr, *conns)
	}
	if run("download") && *download != "" {
		stalledDownload(*addr, *download, *limit)
	}
	if run("streams") && *events != "" {
		manyStreams(*addr, *events, *streams)
	}
}

func slowBody(addr string, limit time.Duration) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		fmt.Println("body: dial:", err)
		return
	}
	defer conn.Close()
	body := `{"email":"nobody@studio.test","password":"x"}` + strings.Repeat(" ", 100)
	fmt.Fprintf(conn, "POST /api/session HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", len(body))
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for i := range len(body) {
			if _, err := conn.Write([]byte{body[i]}); err != nil {
				return
			}
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Second):
			}
		}
	}()
	start := time.Now()
	conn.SetReadDeadline(start.Add(limit))
	got, err := io.ReadAll(conn)
	status, _, _ := strings.Cut(string(got), "\r\n")
	if isTimeout(err) {
		fmt.Printf("body      1 byte every 5 s: still open after %v (limit)\n", limit)
		return
	}
	fmt.Printf("body      1 byte every 5 s: closed after %.1f s (%q)\n", time.Since(start).Seconds(), status)
}

func manyConns(addr string, n int) {
	var mu sync.Mutex
	var held []net.Conn
	refused := 0
	jobs := make(chan struct{})
	var wg sync.WaitGroup
	start := time.Now()
	for range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range jobs {
				conn, err := net.DialTimeout("tcp", addr, 10*time.Second)
				ok := err == nil && get(conn) == nil
				mu.Lock()
				if ok {
					held = append(held, conn)
				} else {
					refused++
					if conn != nil {
						conn.Close()
					}
				}
				mu.Unlock()
			}
		}()
	}
	for range n {
		jobs <- struct{}{}
	}
	close(jobs)
	wg.Wait()
	// The ones served are idle keep-alive connections: still open?
	time.Sleep(time.Second)
	open := 0
	for _, c := range held {
		c.SetReadDeadline(time.Now().Add(10 * time.Millisecond))
		if _, err := c.Read(make([]byte, 1)); isTimeout(err) {
			open++
		}
		c.Close()
	}
	fmt.Printf("conns     %d connections from one address in %.1f s: %d served and still open, %d closed at once\n",
		n, time.Since(start).Seconds(), open, refused)
}

func get(conn net.Conn) error {
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	defer conn.SetDeadline(time.Time{})
	if _, err := io.WriteString(conn, "GET /healthz HTTP/1.1\r\nHost: bench\r\n\r\n"); err != nil {
		return err
	}
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != 200 {
		return fmt.Errorf("status %d", res.StatusCode)
	}
	return nil
}

func stalledDownload(addr, path string, limit time.Duration) {
	d := net.Dialer{Control: func(network, address string, c syscall.RawConn) error {
		return c.Control(func(fd uintptr) {
			syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096)
		})
	}}
	conn, err := d.Dial("tcp", addr)
	if err != nil {
		fmt.Println("download: dial:", err)
		return
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: bench\r\n\r\n", path)
	res, err := http.ReadResponse(bufio.NewReaderSize(conn, 4096), nil)
	if err != nil {
		fmt.Println("download:", err)
		return
	}
	start := time.Now()
	server := conn.RemoteAddr().(*net.TCPAddr).Port
	client := conn.LocalAddr().(*net.TCPAddr).Port
	for time.Since(start) < limit {
		if !established(server, client) {
			fmt.Printf("download  reader stalled after the headers (%d MB file): server side closed after %.1f s\n",
				res.ContentLength>>20, time.Since(start).Seconds())
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	fmt.Printf("download  reader stalled after the headers (%d MB file): server side still established after %v (limit)\n",
		res.ContentLength>>20, limit)
}

// established reports whether /proc/net/tcp shows the server's side of
// the connection (local port server, remote port client) as ESTABLISHED.
func established(server, client int) bool {
	b, err := os.ReadFile("/proc/net/tcp")
	if err != nil {
		return false
	}
	for _, line := range strings.Split(string(b), "\n")[1:] {
		f := strings.Fields(line)
		if len(f) < 4 {
			continue
		}
		if port(f[1]) == server && port(f[2]) == client {
			return f[3] == "01"
		}
	}
	return false
}

func port(hexAddr string) int {
	_, p, _ := strings.Cut(hexAddr, ":")
	n, _ := strconv.ParseInt(p, 16, 32)
	return int(n)
}

func manyStreams(addr, path string, n int) {
	counts := map[int]int{}
	retry := ""
	var open []net.Conn
	for range n {
		conn, err := net.DialTimeout("tcp", addr, 10*time.Second)
		if err != nil {
			counts[0]++
			continue
		}
		conn.SetDeadline(time.Now().Add(10 * time.Second))
		fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: bench\r\n\r\n", path)
		res, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			counts[0]++
			conn.Close()
			continue
		}
		counts[res.StatusCode]++
		if res.StatusCode == 200 {
			open = append(open, conn)
		} else {
			retry = res.Header.Get("Retry-After")
			conn.Close()
		}
	}
	for _, c := range open {
		c.Close()
	}
	fmt.Printf("streams   %d streams from one address: %v (status: count), Retry-After %q\n", n, counts, retry)
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

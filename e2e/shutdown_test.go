package e2e

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"atrium/internal/store"
	"atrium/internal/studio"
	"atrium/internal/testsupport"
)

// TestSIGTERMDrainsTheInstance sends a real SIGTERM to a running `atrium
// serve` while a slow upload is half sent, client requests are being
// answered and a live-update stream is open: new connections are refused
// at once, the upload still completes, the stream ends with a short SSE
// retry hint, the process exits 0, and every answered client request has
// its access row.
func TestSIGTERMDrainsTheInstance(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := atriumBinary(t)
	data := t.TempDir()
	env := []string{"ATRIUM_DATA=" + data, "ATRIUM_DATABASE_URL=", "ATRIUM_STORAGE_URL=", "ATRIUM_SECRET=",
		"ATRIUM_LOG_LEVEL=info", "ATRIUM_SHUTDOWN_TIMEOUT=20s"}
	user := exec.Command(bin, "user", "create", "--email", crashEmail, "--name", "Ada", "--role", "admin")
	user.Env, user.Stdin = append(os.Environ(), env...), strings.NewReader(crashPassword+"\n")
	if out, err := user.CombinedOutput(); err != nil {
		t.Fatalf("user create: %v\n%s", err, out)
	}
	in := startInstance(t, bin, "A", env)
	staff := newStaffClient(t, in.base)
	staff.call("POST", "/api/session", map[string]string{"email": crashEmail, "password": crashPassword}, nil)
	var p struct{ ID string }
	staff.call("POST", "/api/projects", map[string]string{"name": "Hillside Residence", "clientName": "Jane"}, &p)
	var link linkOut
	staff.call("POST", "/api/client-access", map[string]string{"projectId": p.ID}, &link)

	// An open page.
	events, stopEvents := openEvents(t, in.base, link.Token)
	defer stopEvents()
	waitEvent(t, events, "update", 10*time.Second)

	// A slow upload: half its body now, the rest after the signal.
	ctype, body := uploadBody(testsupport.RenderLike(7), "Sent across the shutdown")
	pr, pw := io.Pipe()
	req, _ := http.NewRequest("POST", in.base+"/api/projects/"+p.ID+"/renderings", pr)
	req.Header.Set("Content-Type", ctype)
	req.ContentLength = int64(len(body))
	upload := make(chan int, 1)
	go func() {
		res, err := staff.hc.Do(req)
		if err != nil {
			t.Errorf("upload across the shutdown: %v", err)
			upload <- 0
			return
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		upload <- res.StatusCode
	}()
	half := len(body) / 2
	if _, err := pw.Write(body[:half]); err != nil {
		t.Fatal(err)
	}

	// Clients loading the JSON, each request naming itself.
	var sent atomic.Int64
	var acked sync.Map
	stopLoad := make(chan struct{})
	var wg sync.WaitGroup
	hc := &http.Client{Timeout: 10 * time.Second}
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stopLoad:
					return
				default:
				}
				ua := fmt.Sprintf("shutdown-test/%d", sent.Add(1))
				req, _ := http.NewRequest("GET", in.base+"/api/client-progress/"+link.Token, nil)
				req.Header.Set("User-Agent", ua)
				res, err := hc.Do(req)
				if err != nil {
					continue
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode == 200 {
					acked.Store(ua, true)
				}
			}
		}()
	}
	for sent.Load() < 50 {
		time.Sleep(time.Millisecond)
	}

	signalled := time.Now()
	if err := in.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// New connections are refused once the listener closes.
	addr := strings.TrimPrefix(in.base, "http://")
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			break
		}
		c.Close()
		if time.Since(signalled) > 5*time.Second {
			t.Fatal("still accepting connections 5 s after SIGTERM")
		}
		time.Sleep(5 * time.Millisecond)
	}
	refused := time.Since(signalled)

	// The open stream ends with a retry hint.
	var hint string
	deadline := time.After(10 * time.Second)
	for hint == "" {
		select {
		case ev, ok := <-events:
			if !ok {
				t.Fatal("the stream ended without a retry hint")
			}
			hint = ev.Retry
		case <-deadline:
			t.Fatal("the stream got no retry hint within 10 s of SIGTERM")
		}
	}
	if ms, err := strconv.Atoi(hint); err != nil || ms < 500 || ms > 2500 {
		t.Errorf("retry hint %q, want 500 to 2500 ms", hint)
	}
	if _, ok := <-events; ok {
		t.Error("the stream went on after its retry hint")
	}

	// The upload in flight completes.
	if _, err := pw.Write(body[half:]); err != nil {
		t.Fatalf("the rest of the upload: %v", err)
	}
	pw.Close()
	if code := <-upload; code != http.StatusCreated {
		t.Errorf("upload across the shutdown: %d, want 201", code)
	}
	if err := in.cmd.Wait(); err != nil {
		t.Errorf("atrium serve after SIGTERM: %v\n%s", err, in.log.Tail(20))
	}
	close(stopLoad)
	wg.Wait()
	for _, want := range []string{"shutting down", "shut down"} {
		if !strings.Contains(in.log.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, in.log.Tail(20))
		}
	}

	// Every answered request has its row.
	st, err := store.Open(context.Background(), "", data)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rows, err := st.AccessEvents(context.Background(), link.ID, 0, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	logged := map[string]bool{}
	for _, e := range rows {
		if e.Action == studio.ActionAPI {
			logged[e.UserAgent] = true
		}
	}
	n, missing := 0, 0
	acked.Range(func(ua, _ any) bool {
		n++
		if !logged[ua.(string)] {
			missing++
		}
		return true
	})
	if missing > 0 {
		t.Errorf("%d of %d answered requests have no access row", missing, n)
	}
	rd, err := st.ProjectDetail(context.Background(), p.ID)
	if err != nil || len(rd.Renderings) != 1 {
		t.Errorf("renderings after the shutdown: %v, %v; want the one uploaded across it", rd, err)
	}
	t.Logf("connections refused %v after SIGTERM; %d client requests answered, all logged; retry hint %s ms",
		refused.Round(time.Millisecond), n, hint)
}

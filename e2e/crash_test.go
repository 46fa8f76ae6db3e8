package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
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

// TestCrashKeepsEveryAcknowledgedRow runs `atrium serve` as a child
// process, loads the client API from many connections, SIGKILLs the server
// mid-load and restarts it: every request that got a 2xx has its own row
// (found by the request's unique user agent), no row was invented (rows <=
// requests sent), and access_count agrees with the rows.
func TestCrashKeepsEveryAcknowledgedRow(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := atriumBinary(t)
	for _, db := range []string{"sqlite", "postgres"} {
		t.Run(db, func(t *testing.T) {
			dbURL := ""
			if db == "postgres" {
				dbURL = testsupport.PostgresSchema(t)
			}
			crashRun(t, bin, dbURL)
		})
	}
}

// The staff account the crash test creates with `atrium user create`.
const (
	crashEmail    = "admin@studio.test"
	crashPassword = "correct horse battery"
)

func crashRun(t *testing.T, bin, dbURL string) {
	data := t.TempDir()
	addr := freeAddr(t)
	envv := append(os.Environ(), "ATRIUM_DATA="+data, "ATRIUM_ADDR="+addr, "ATRIUM_DATABASE_URL="+dbURL,
		"ATRIUM_BASE_URL=http://"+addr, "ATRIUM_LOG_LEVEL=warn", "ATRIUM_STORAGE_URL=", "ATRIUM_SECRET=")
	user := exec.Command(bin, "user", "create", "--email", crashEmail, "--name", "Ada", "--role", "admin")
	user.Env, user.Stdin = envv, strings.NewReader(crashPassword+"\n")
	if out, err := user.CombinedOutput(); err != nil {
		t.Fatalf("user create: %v\n%s", err, out)
	}
	srv := startServe(t, bin, envv, addr)

	// A project and a link through the staff API.
	jar, _ := cookiejar.New(nil)
	staff := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	base := "http://" + addr
	call := func(method, path string, body any, v any) {
		t.Helper()
		b, _ := json.Marshal(body)
		req, _ := http.NewRequest(method, base+path, bytes.NewReader(b))
		req.Header.Set("Content-Type", "application/json")
		res, err := staff.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		out, _ := io.ReadAll(res.Body)
		if res.StatusCode/100 != 2 {
			t.Fatalf("%s %s: %d %s", method, path, res.StatusCode, out)
		}
		if v != nil {
			json.Unmarshal(out, v)
		}
	}
	call("POST", "/api/session", map[string]string{"email": crashEmail, "password": crashPassword}, nil)
	var p struct{ ID string }
	call("POST", "/api/projects", map[string]string{"name": "Hillside Residence", "clientName": "Jane"}, &p)
	call("POST", "/api/projects/"+p.ID+"/rooms", map[string]string{"name": "Kitchen"}, nil)
	var l linkOut
	call("POST", "/api/client-access", map[string]string{"projectId": p.ID}, &l)

	// Load until well into it, then kill without warning.
	var sent, acked atomic.Int64
	var ackedUA sync.Map
	stop := make(chan struct{})
	var wg sync.WaitGroup
	tr := &http.Transport{MaxIdleConnsPerHost: 64}
	hc := &http.Client{Transport: tr, Timeout: 5 * time.Second}
	for range 24 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				// Each request names itself in its user agent, so that its
				// own row can be found after the crash.
				ua := fmt.Sprintf("crash-test/%d", sent.Add(1))
				req, _ := http.NewRequest("GET", base+"/api/client-progress/"+l.Token, nil)
				req.Header.Set("User-Agent", ua)
				res, err := hc.Do(req)
				if err != nil {
					continue
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode/100 == 2 {
					acked.Add(1)
					ackedUA.Store(ua, true)
				}
			}
		}()
	}
	deadline := time.Now().Add(20 * time.Second)
	for acked.Load() < 1500 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if err := srv.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	srv.Wait()
	close(stop)
	wg.Wait()
	tr.CloseIdleConnections()
	if acked.Load() == 0 {
		t.Fatal("no request succeeded before the kill")
	}

	// The restarted server recovers the database and reports the same count.
	srv = startServe(t, bin, envv, addr)
	defer func() { srv.Process.Signal(syscall.SIGTERM); srv.Wait() }()
	var links struct{ Links []linkOut }
	call("POST", "/api/session", map[string]string{"email": crashEmail, "password": crashPassword}, nil)
	call("GET", "/api/client-access?projectId="+p.ID, nil, &links)

	st, err := store.Open(context.Background(), dbURL, data)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	events, err := st.AccessEvents(context.Background(), l.ID, 0, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	rows := int64(0)
	logged := map[string]int{}
	for _, e := range events {
		if e.Action == studio.ActionAPI {
			rows++
			logged[e.UserAgent]++
		}
	}
	t.Logf("sent %d, acknowledged %d, rows %d", sent.Load(), acked.Load(), rows)
	missing := 0
	ackedUA.Range(func(ua, _ any) bool {
		if logged[ua.(string)] != 1 {
			missing++
			if missing <= 5 {
				t.Errorf("request %s got a 2xx and has %d rows after the crash, want 1", ua, logged[ua.(string)])
			}
		}
		return true
	})
	if missing > 0 {
		t.Errorf("%d of %d acknowledged requests lack their row", missing, acked.Load())
	}
	if rows > sent.Load() {
		t.Errorf("%d rows for %d requests", rows, sent.Load())
	}
	if len(links.Links) != 1 || links.Links[0].AccessCount != rows {
		t.Errorf("access_count after restart = %+v, want %d", links.Links, rows)
	}
}

// startServe starts `atrium serve` and waits until /healthz answers.
func startServe(t *testing.T, bin string, envv []string, addr string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(bin, "serve")
	cmd.Env = envv
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = io.Discard, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for i := 0; ; i++ {
		res, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return cmd
			}
		}
		if i > 200 {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("atrium serve did not come up: %v\n%s", err, stderr.String())
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// freeAddr finds a port nobody listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// linkOut is what the crash test reads of a client link in the API.
type linkOut struct {
	ID          string `json:"id"`
	Token       string `json:"token"`
	AccessCount int64  `json:"accessCount"`
}

package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"atrium/internal/testsupport"
)

// sharedStorage is where both instances keep files, as the environment
// they run with: one bucket of a real S3 server (versitygw), with its
// credentials in the standard AWS variables. The test checks files only
// through the instances' HTTP API, never in the storage directly.
func sharedStorage(t *testing.T) []string {
	b := testsupport.S3(t)
	return append(b.Env(), "ATRIUM_STORAGE_URL="+b.StorageURL("atrium"))
}

// instance is one `atrium serve` process.
type instance struct {
	name string
	base string
	cmd  *exec.Cmd
	log  *testsupport.LogBuffer
}

// startInstance runs `atrium serve` with env on a free port and waits until
// /healthz answers.
func startInstance(t *testing.T, bin, name string, env []string) *instance {
	t.Helper()
	addr := freeAddr(t)
	in := &instance{name: name, base: "http://" + addr, log: &testsupport.LogBuffer{}}
	in.cmd = exec.Command(bin, "serve")
	// Each instance has a data folder of its own unless env names one.
	in.cmd.Env = append(append(os.Environ(), "ATRIUM_DATA="+t.TempDir()), env...)
	in.cmd.Env = append(in.cmd.Env, "ATRIUM_ADDR="+addr, "ATRIUM_BASE_URL="+in.base)
	in.cmd.Stdout, in.cmd.Stderr = io.Discard, in.log
	if err := in.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		in.stop()
		if t.Failed() {
			t.Logf("instance %s log (last lines):\n%s", name, in.log.Tail(40))
		}
	})
	deadline := time.Now().Add(20 * time.Second)
	for {
		res, err := http.Get(in.base + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return in
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("instance %s did not come up: %v\n%s", name, err, in.log.String())
		}
		time.Sleep(25 * time.Millisecond)
	}
}

func (in *instance) stop() {
	if in.cmd.ProcessState == nil {
		in.cmd.Process.Signal(syscall.SIGTERM)
		in.cmd.Wait()
	}
}

// TestTwoInstancesActAsOne runs two `atrium serve` processes on one
// PostgreSQL schema and one storage, with one secret, and checks that a
// client, a studio and a crash see one Atrium. It prints the timings of
// what crosses from one instance to the other.
func TestTwoInstancesActAsOne(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := atriumBinary(t)
	env := append([]string{
		"ATRIUM_DATABASE_URL=" + testsupport.PostgresSchema(t),
		"ATRIUM_SECRET=two-instances-share-this-secret-of-40-chars",
		"ATRIUM_LOG_LEVEL=warn",
	}, sharedStorage(t)...)

	user := exec.Command(bin, "user", "create", "--email", crashEmail, "--name", "Ada", "--role", "admin")
	user.Env, user.Stdin = append(append(os.Environ(), env...), "ATRIUM_DATA="+t.TempDir()), strings.NewReader(crashPassword+"\n")
	if out, err := user.CombinedOutput(); err != nil {
		t.Fatalf("user create: %v\n%s", err, out)
	}
	a := startInstance(t, bin, "A", env)
	b := startInstance(t, bin, "B", env)
	staffA, staffB := newStaffClient(t, a.base), newStaffClient(t, b.base)
	login := map[string]string{"email": crashEmail, "password": crashPassword}
	staffA.call("POST", "/api/session", login, nil)
	staffB.call("POST", "/api/session", login, nil)

	var p struct{ ID string }
	staffA.call("POST", "/api/projects", map[string]string{"name": "Hillside Residence", "clientName": "Jane"}, &p)
	var room struct {
		ID     string
		Phases []struct{ ID, Kind string }
	}
	staffB.call("POST", "/api/projects/"+p.ID+"/rooms", map[string]string{"name": "Kitchen"}, &room)
	var link linkOut
	staffA.call("POST", "/api/client-access", map[string]string{"projectId": p.ID}, &link)
	clientJSON := func(in *instance) (int, []byte) {
		res, err := http.Get(in.base + "/api/client-progress/" + link.Token)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		return res.StatusCode, body
	}
	var timings []string

	t.Run("rendering uploaded on A is shown and downloadable on B", func(t *testing.T) {
		ctype, body := uploadBody(testsupport.RenderLike(1), "Kitchen island")
		req, _ := http.NewRequest("POST", a.base+"/api/projects/"+p.ID+"/renderings", bytes.NewReader(body))
		req.Header.Set("Content-Type", ctype)
		res, err := staffA.hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var rd struct{ ID string }
		json.NewDecoder(res.Body).Decode(&rd)
		res.Body.Close()
		if res.StatusCode != 201 {
			t.Fatalf("upload on A: %d", res.StatusCode)
		}
		staffA.call("PATCH", "/api/renderings/"+rd.ID, map[string]string{"status": "approved"}, nil)
		code, view := clientJSON(b)
		if code != 200 || !strings.Contains(string(view), rd.ID) || !strings.Contains(string(view), "Kitchen island") {
			t.Fatalf("client JSON on B: %d %s", code, view)
		}
		download := func(in *instance) []byte {
			res, err := http.Get(in.base + "/api/client-progress/" + link.Token + "/download/" + rd.ID)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			got, _ := io.ReadAll(res.Body)
			if res.StatusCode != 200 {
				t.Fatalf("download on %s: %d", in.name, res.StatusCode)
			}
			return got
		}
		fromB := download(b)
		if len(fromB) < 10000 || !bytes.Equal(fromB, download(a)) {
			t.Fatalf("download on B: %d bytes, differs from A's", len(fromB))
		}
	})

	t.Run("staff session works on both; signing out on one ends it on both", func(t *testing.T) {
		// One browser, two instances behind a balancer: the same cookie.
		one := newStaffClient(t, a.base)
		one.call("POST", "/api/session", login, nil)
		other := &staffClient{t: t, base: b.base, hc: one.hc}
		if code, out := other.do("GET", "/api/session", nil); code != 200 {
			t.Fatalf("session from A on B: %d %s", code, out)
		}
		req, _ := http.NewRequest("GET", a.base+"/api/session", nil)
		cookies := one.hc.Jar.Cookies(req.URL)
		if len(cookies) == 0 {
			t.Fatal("no session cookie after signing in")
		}
		other.call("DELETE", "/api/session", nil, nil)
		// Replay the old cookie by hand: the jar dropped it.
		for _, in := range []*instance{a, b} {
			req, _ := http.NewRequest("GET", in.base+"/api/session", nil)
			for _, c := range cookies {
				req.AddCookie(c)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusUnauthorized {
				t.Errorf("signed out on B, the old session on %s answers %d, want 401", in.name, res.StatusCode)
			}
		}
		// Other sessions go on.
		if code, _ := staffA.do("GET", "/api/session", nil); code != 200 {
			t.Errorf("another session on A ended too: %d", code)
		}
	})

	t.Run("live update made on A reaches a page open on B", func(t *testing.T) {
		events, stop := openEvents(t, b.base, link.Token)
		defer stop()
		waitEvent(t, events, "update", 10*time.Second) // the page's first view
		start := time.Now()
		staffA.call("PATCH", "/api/phases/"+room.Phases[0].ID, map[string]string{"status": "completed"}, nil)
		ev := waitEvent(t, events, "update", 10*time.Second)
		took := ev.At.Sub(start)
		if !strings.Contains(ev.Data, `"status":"completed"`) {
			t.Fatalf("update on B lacks the completed phase: %s", ev.Data)
		}
		timings = append(timings, fmt.Sprintf("live update A→B %v (includes the 150 ms debounce)", took.Round(time.Millisecond)))
	})

	t.Run("access counts add up across both", func(t *testing.T) {
		var before struct{ Links []linkOut }
		staffA.call("GET", "/api/client-access?projectId="+p.ID, nil, &before)
		for i := range 10 {
			in := a
			if i%2 == 1 {
				in = b
			}
			if code, _ := clientJSON(in); code != 200 {
				t.Fatalf("client JSON on %s: %d", in.name, code)
			}
		}
		var after struct{ Links []linkOut }
		staffB.call("GET", "/api/client-access?projectId="+p.ID, nil, &after)
		if got := after.Links[0].AccessCount - before.Links[0].AccessCount; got != 10 {
			t.Fatalf("access count grew by %d after 5 requests on each instance, want 10", got)
		}
	})

	t.Run("deactivation on B: gone on A within 1 s, and A refuses the link", func(t *testing.T) {
		// A serves the link from its cache: warm it.
		for range 3 {
			if code, _ := clientJSON(a); code != 200 {
				t.Fatalf("client JSON on A: %d", code)
			}
		}
		events, stop := openEvents(t, a.base, link.Token)
		defer stop()
		waitEvent(t, events, "update", 10*time.Second)
		staffB.call("DELETE", "/api/client-access/"+link.ID, nil, nil)
		acked := time.Now()
		// A refuses the link: the first request after the answer, and
		// every one after it.
		code, _ := clientJSON(a)
		firstRefused := code == http.StatusGone
		refusedAt := time.Now()
		for code != http.StatusGone {
			if time.Since(acked) > time.Second {
				t.Fatalf("A still serves the link %v after its deactivation on B", time.Since(acked))
			}
			code, _ = clientJSON(a)
			refusedAt = time.Now()
		}
		ev := waitEvent(t, events, "gone", 5*time.Second)
		gone := ev.At.Sub(acked)
		if gone > time.Second {
			t.Errorf("gone reached the page on A %v after the deactivation on B, want within 1 s", gone)
		}
		if !strings.Contains(ev.Data, "link_deactivated") {
			t.Errorf("gone event: %q", ev.Data)
		}
		timings = append(timings, fmt.Sprintf("deactivation on B → gone on A %v; A refused the link after %v (first request after the answer refused: %v)",
			gone.Round(time.Millisecond), refusedAt.Sub(acked).Round(time.Microsecond), firstRefused))
	})

	t.Run("SIGKILL of A mid-upload leaves no row without its files", func(t *testing.T) {
		var mu sync.Mutex
		done := 0
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for w := range 3 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					ctype, body := uploadBody(testsupport.RenderLike(100+10*w+i), fmt.Sprintf("Upload %d-%d", w, i))
					req, _ := http.NewRequest("POST", a.base+"/api/projects/"+p.ID+"/renderings", bytes.NewReader(body))
					req.Header.Set("Content-Type", ctype)
					res, err := staffA.hc.Do(req)
					if err != nil {
						return // A is gone
					}
					io.Copy(io.Discard, res.Body)
					res.Body.Close()
					if res.StatusCode == 201 {
						mu.Lock()
						done++
						mu.Unlock()
					}
				}
			}()
		}
		// Kill once uploads have gone through, so that others are midway.
		deadline := time.Now().Add(30 * time.Second)
		for {
			mu.Lock()
			n := done
			mu.Unlock()
			if n >= 2 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("no upload went through on A within 30 s")
			}
			time.Sleep(10 * time.Millisecond)
		}
		time.Sleep(70 * time.Millisecond) // into the next uploads
		a.cmd.Process.Signal(syscall.SIGKILL)
		a.cmd.Wait()
		close(stop)
		wg.Wait()

		var detail struct {
			Renderings []struct{ ID, Title string }
		}
		staffB.call("GET", "/api/projects/"+p.ID, nil, &detail)
		for _, rd := range detail.Renderings {
			for _, size := range []string{"original", "preview", "thumb"} {
				code, out := staffB.do("GET", "/api/renderings/"+rd.ID+"/file?size="+size, nil)
				if code != 200 || len(out) == 0 {
					t.Errorf("rendering %q has a row but its %s answers %d on B", rd.Title, size, code)
				}
			}
		}
		t.Logf("%d renderings after the kill (%d uploads acknowledged before it), every one with its files", len(detail.Renderings), done)
	})

	for _, line := range timings {
		t.Log("timing: " + line)
	}
}

package e2e

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// What the tests that run the built `atrium` binary share: one build per
// test run, a staff client, and a reader of event streams.

var (
	buildOnce sync.Once
	builtBin  string
	buildErr  error
	buildOut  []byte
	buildDir  string
)

// atriumBinary builds cmd/atrium once for every test of the run that needs
// the binary (TestMain removes it).
func atriumBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		buildDir, buildErr = os.MkdirTemp("", "atrium-e2e-bin-")
		if buildErr != nil {
			return
		}
		builtBin = filepath.Join(buildDir, "atrium")
		buildOut, buildErr = exec.Command("go", "build", "-o", builtBin, "atrium/cmd/atrium").CombinedOutput()
	})
	if buildErr != nil {
		t.Fatalf("go build: %v\n%s", buildErr, buildOut)
	}
	return builtBin
}

// removeBinary deletes the binary built for the run, if any.
func removeBinary() {
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
}

// staffClient is a signed-in staff session on one instance.
type staffClient struct {
	t    *testing.T
	base string
	hc   *http.Client
}

func newStaffClient(t *testing.T, base string) *staffClient {
	jar, _ := cookiejar.New(nil)
	return &staffClient{t: t, base: base, hc: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
}

// do sends a JSON request and returns the status and the body.
func (c *staffClient) do(method, path string, body any) (int, []byte) {
	c.t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, c.base+path, r)
	req.Header.Set("Content-Type", "application/json")
	res, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	return res.StatusCode, out
}

// call is do that wants a 2xx, decoding the answer into v.
func (c *staffClient) call(method, path string, body, v any) {
	c.t.Helper()
	code, out := c.do(method, path, body)
	if code/100 != 2 {
		c.t.Fatalf("%s %s%s: %d %s", method, c.base, path, code, out)
	}
	if v != nil {
		if err := json.Unmarshal(out, v); err != nil {
			c.t.Fatalf("%s %s: %v", method, path, err)
		}
	}
}

// uploadBody is a rendering upload's multipart body.
func uploadBody(jpeg []byte, title string) (contentType string, body []byte) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("title", title)
	fw, _ := mw.CreateFormFile("file", "render.jpg")
	fw.Write(jpeg)
	mw.Close()
	return mw.FormDataContentType(), buf.Bytes()
}

// sse is one event read from a stream: its type ("" for none), data, and
// the retry field if the block had one.
type sse struct {
	Event, Data, Retry string
	At                 time.Time
}

// readEvents reads an event stream until it ends, sending each block.
func readEvents(body io.Reader, out chan<- sse) {
	defer close(out)
	sc := bufio.NewScanner(body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var ev sse
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			if ev != (sse{}) {
				ev.At = time.Now()
				out <- ev
			}
			ev = sse{}
		case strings.HasPrefix(line, "event: "):
			ev.Event = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			ev.Data = strings.TrimPrefix(line, "data: ")
		case strings.HasPrefix(line, "retry: "):
			ev.Retry = strings.TrimPrefix(line, "retry: ")
		}
	}
}

// openEvents opens the client event stream of token on base.
func openEvents(t *testing.T, base, token string) (<-chan sse, func()) {
	t.Helper()
	req, _ := http.NewRequest("GET", base+"/api/client-progress/"+token+"/events", nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != 200 {
		res.Body.Close()
		t.Fatalf("events on %s: %d", base, res.StatusCode)
	}
	ch := make(chan sse, 64)
	go readEvents(res.Body, ch)
	return ch, func() { res.Body.Close() }
}

// waitEvent waits for an event of the given type, skipping others.
func waitEvent(t *testing.T, ch <-chan sse, event string, d time.Duration) sse {
	t.Helper()
	deadline := time.After(d)
	for {
		select {
		case ev, ok := <-ch:
			if !ok {
				t.Fatalf("the stream ended before a %q event", event)
			}
			if ev.Event == event {
				return ev
			}
		case <-deadline:
			t.Fatalf("no %q event within %v", event, d)
		}
	}
}

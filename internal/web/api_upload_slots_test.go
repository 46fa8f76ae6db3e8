package web_test

import (
	"io"
	"net/http"
	"os"
	"testing"
	"time"

	"atrium/internal/web"
)

// A slow upload holds no decode slot while its bytes arrive: with a single
// slot, another upload completes while the first is stalled mid-body, and
// the first completes once the rest arrives.
func TestUploadHoldsDecodeSlotOnlyToDecode(t *testing.T) {
	t.Parallel()
	e := newEnv(t, dbSQLite, func(c *web.Config) { c.DecodeSlots = 1 })
	c := e.login(adminEmail)
	p := c.newProject("Hillside")
	jpg := gradientJPEG(t, 640, 480)

	body, ctype := multipartBody(t, field("title", "Slow"), filePart("slow.jpg", jpg))
	pr, pw := io.Pipe()
	defer pw.Close()
	req, err := http.NewRequest("POST", e.URL+"/api/projects/"+p.ID+"/renderings", pr)
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range c.hdr {
		req.Header[k] = vs
	}
	req.Header.Set("Content-Type", ctype)
	slow := make(chan int, 1)
	go func() {
		res, err := c.hc.Do(req)
		if err != nil {
			slow <- 0
			return
		}
		res.Body.Close()
		slow <- res.StatusCode
	}()
	half := len(body) / 2
	if _, err := pw.Write(body[:half]); err != nil {
		t.Fatal(err)
	}
	// The server is spooling the file once its temp file has bytes.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if spooling(t, e.TempDir) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the slow upload never reached the temp folder")
		}
	}

	fast := make(chan *resp, 1)
	go func() { fast <- c.uploadParts(p.ID, field("title", "Fast"), filePart("fast.jpg", jpg)) }()
	select {
	case r := <-fast:
		if r.Status != 201 {
			t.Errorf("upload beside a stalled one: %d %s", r.Status, r.Body)
		}
	case <-time.After(20 * time.Second):
		pw.CloseWithError(io.ErrUnexpectedEOF)
		t.Fatal("an upload waited for another one's transfer")
	}

	if _, err := pw.Write(body[half:]); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	if status := <-slow; status != 201 {
		t.Errorf("the slow upload, once complete: %d", status)
	}
	if left := leftovers(t, e.TempDir); len(left) != 0 {
		t.Errorf("temp folder holds %v", left)
	}
	if d := c.detail(p.ID); len(d.Renderings) != 2 {
		t.Errorf("%d renderings, want 2", len(d.Renderings))
	}
}

// spooling says whether dir holds a temp file with bytes in it.
func spooling(t *testing.T, dir string) bool {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, de := range entries {
		if fi, err := de.Info(); err == nil && fi.Size() > 0 {
			return true
		}
	}
	return false
}

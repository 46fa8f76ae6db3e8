package web_test

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"atrium/internal/files"
	"atrium/internal/web"
)

// decodeCost is what the server will reserve to decode img.
func decodeCost(t *testing.T, img []byte) int64 {
	t.Helper()
	sp, err := files.Spool(context.Background(), t.TempDir(), bytes.NewReader(img), 0)
	if err != nil {
		t.Fatal(err)
	}
	defer sp.Close()
	c, err := files.DecodeCost(sp, files.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	return c.Bytes
}

// An image whose decoding alone needs more than the whole budget is refused
// from its header, before any decoding, with 413 too_large naming the file
// field; nothing is left behind. A smaller image still goes through.
func TestUploadOverDecodeBudgetRefused(t *testing.T) {
	t.Parallel()
	big, small := gradientJPEG(t, 1200, 900), gradientJPEG(t, 400, 300)
	budget := decodeCost(t, big) - 1
	if decodeCost(t, small) > budget {
		t.Fatal("the small image does not fit the budget")
	}
	eachDB(t, func(t *testing.T, db string) {
		e := newEnv(t, db, func(c *web.Config) { c.DecodeMemory = budget })
		c := e.login(adminEmail)
		p := c.newProject("Hillside")
		r := c.uploadParts(p.ID, field("title", "Too big"), filePart("big.jpg", big))
		check(t, scenario{name: "rendering", status: 413, code: "too_large"}, r)
		if ae := r.apiErr(); ae.Field != "file" || !strings.Contains(ae.Message, "1200 × 900") || !strings.Contains(ae.Message, " MB") {
			t.Errorf("error %+v, want the file field, the image's size and the memory in MB", ae)
		}
		body, ctype := multipartBody(t, filePart("logo.jpg", big))
		r = c.send("POST", "/api/studio/logo", ctype, bytes.NewReader(body), nil)
		check(t, scenario{name: "logo", status: 413, code: "too_large"}, r)
		if d := c.detail(p.ID); len(d.Renderings) != 0 {
			t.Errorf("%d renderings after the refusal, want 0", len(d.Renderings))
		}
		if left := leftovers(t, e.FilesDir); len(left) != 0 {
			t.Errorf("storage holds %v", left)
		}
		if left := leftovers(t, e.TempDir); len(left) != 0 {
			t.Errorf("temp folder holds %v", left)
		}
		if r := c.uploadParts(p.ID, field("title", "Fits"), filePart("small.jpg", small)); r.Status != 201 {
			t.Errorf("an image within the budget: %d %s", r.Status, r.Body)
		}
	})
}

// budgetEvents records the decode budget's events. hold, if set, runs on
// the first acquire while the first upload waits.
type budgetEvents struct {
	mu     sync.Mutex
	events []web.DecodeBudgetEvent
	held   bool
}

func (b *budgetEvents) hook(hold func(state func() (inUse, waiting int64))) func(web.DecodeBudgetEvent, func() (int64, int64)) {
	return func(ev web.DecodeBudgetEvent, state func() (int64, int64)) {
		b.mu.Lock()
		b.events = append(b.events, ev)
		first := ev.Acquire && !b.held
		b.held = b.held || first
		b.mu.Unlock()
		if first {
			hold(state)
		}
	}
}

// until polls cond for up to 10 s: a bound for correctness, not speed.
func until(cond func() bool) bool {
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if cond() {
			return true
		}
	}
	return false
}

// uploadTwice sends two uploads of img at once; both must succeed.
func uploadTwice(t *testing.T, c *client, projectID string, img []byte) {
	t.Helper()
	var wg sync.WaitGroup
	status := make([]*resp, 2)
	for i := range status {
		wg.Go(func() {
			status[i] = c.uploadParts(projectID, field("title", "Both"), filePart("img.jpg", img))
		})
	}
	wg.Wait()
	for i, r := range status {
		if r.Status != 201 {
			t.Errorf("upload %d: %d %s", i+1, r.Status, r.Body)
		}
	}
}

// Two uploads that each fit the budget but not together decode one after
// the other: the second waits for memory while the first holds it, and
// takes it only once the first has given it back.
func TestUploadsOverDecodeBudgetTakeTurns(t *testing.T) {
	// Not parallel: web.OnDecodeBudget sets a package-level hook.
	img := gradientJPEG(t, 1200, 900)
	cost := decodeCost(t, img)
	eachDB(t, func(t *testing.T, db string) {
		e := newEnv(t, db, func(c *web.Config) { c.DecodeMemory = cost + cost/2; c.DecodeSlots = 2 })
		c := e.login(adminEmail)
		p := c.newProject("Hillside")
		var rec budgetEvents
		sawWaiting := false
		web.OnDecodeBudget(t, rec.hook(func(state func() (int64, int64)) {
			sawWaiting = until(func() bool { _, waiting := state(); return waiting == 1 })
		}))
		uploadTwice(t, c, p.ID, img)
		if !sawWaiting {
			t.Error("the second upload never waited for memory while the first decoded")
		}
		want := []web.DecodeBudgetEvent{
			{Acquire: true, Bytes: cost, InUse: cost}, {Bytes: cost, InUse: cost},
			{Acquire: true, Bytes: cost, InUse: cost}, {Bytes: cost, InUse: cost},
		}
		if !equalEvents(rec.events, want) {
			t.Errorf("budget events %+v, want %+v", rec.events, want)
		}
	})
}

// Two uploads that fit the budget together decode at the same time.
func TestUploadsWithinDecodeBudgetRunTogether(t *testing.T) {
	// Not parallel: web.OnDecodeBudget sets a package-level hook.
	img := gradientJPEG(t, 1200, 900)
	cost := decodeCost(t, img)
	eachDB(t, func(t *testing.T, db string) {
		e := newEnv(t, db, func(c *web.Config) { c.DecodeMemory = 2 * cost; c.DecodeSlots = 2 })
		c := e.login(adminEmail)
		p := c.newProject("Hillside")
		var rec budgetEvents
		together := false
		web.OnDecodeBudget(t, rec.hook(func(state func() (int64, int64)) {
			together = until(func() bool { inUse, _ := state(); return inUse == 2*cost })
		}))
		uploadTwice(t, c, p.ID, img)
		if !together {
			t.Errorf("the two decodes never held memory at once: %+v", rec.events)
		}
	})
}

func equalEvents(got, want []web.DecodeBudgetEvent) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if got[i] != want[i] {
			return false
		}
	}
	return true
}

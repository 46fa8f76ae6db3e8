package e2e

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"atrium/internal/files"
	"atrium/internal/live"
	"atrium/internal/store"
	"atrium/internal/studio"
	"atrium/internal/testsupport"
	"atrium/internal/web"

	"github.com/chromedp/chromedp"
)

// The client page's first view in a real browser (docs/PERFORMANCE.md):
// under 2 MB sent before any scrolling, with a gallery of 24 renderings.
// internal/web's portal_page_weight_test.go weighs the page itself.
const (
	weightRenderings = 24
	budgetFirstView  = 2_000_000
)

// TestClientPageFirstView measures the first view of the 24-rendering page
// in headless Chromium, with its own lazy-loading look-ahead: the browser
// loads the page at a phone's and at laptops' sizes, does not scroll, and
// the server counts every byte it sent (headers included).
//
//	go test ./e2e -run FirstView -v
func TestClientPageFirstView(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("drives Chromium")
	}
	exe := chromiumPath()
	if exe == "" {
		need(t, "chromium not found: install Debian's chromium (apt-get install chromium) or set ATRIUM_CHROMIUM")
	}
	url, token, counter := weightServer(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.NoSandbox, chromedp.ExecPath(exe))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	for _, v := range []struct {
		name   string
		w, h   int64
		dpr    float64
		mobile bool
	}{
		{"390x844@3x", 390, 844, 3, true},
		{"1366x900@1x", 1366, 900, 1, false},
		{"1366x900@2x", 1366, 900, 2, false},
	} {
		t.Run(v.name, func(t *testing.T) {
			// A browser of its own: an empty cache.
			bctx, cancel := chromedp.NewContext(actx)
			if err := chromedp.Do(bctx); err != nil {
				cancel()
				t.Fatal(err)
			}
			counter.Reset()
			emulate := []chromedp.EmulateViewportOption{chromedp.EmulateScale(v.dpr)}
			if v.mobile {
				emulate = append(emulate, chromedp.EmulateMobile)
			}
			ctx, stop := context.WithTimeout(bctx, 30*time.Second)
			err := chromedp.Do(ctx, chromedp.EmulateViewport(v.w, v.h, emulate...),
				chromedp.Navigate(url+"/client-progress/"+token), settled())
			var kinds []string
			if err == nil {
				kinds, err = chromedp.Run(ctx, chromedp.Evaluate[[]string](
					`[innerWidth + "x" + innerHeight + "@" + devicePixelRatio].concat(performance.getEntriesByType("resource").filter(e => /\/[0-9a-f]{32}\/\w+$/.test(e.name)).map(e => e.name.split("/").pop()))`))
			}
			stop()
			cancel() // closes the browser and with it the event stream
			if err != nil {
				t.Fatal(err)
			}
			viewport := "?"
			if len(kinds) > 0 {
				viewport, kinds = kinds[0], kinds[1:]
			}
			var sent int64
			for _, n := range counter.Reset() {
				sent += n
			}
			t.Logf("%s (viewport %s): %d bytes before scrolling; %d images: %s", v.name, viewport, sent, len(kinds), strings.Join(kinds, ","))
			if sent >= budgetFirstView {
				t.Errorf("%s: %d bytes, over the %d budget", v.name, sent, budgetFirstView)
			}
			for _, k := range kinds {
				if k != "t" && k != "s" { // the page's short URLs: thumbnail, small thumbnail
					t.Errorf("%s: the gallery fetched a %s, want thumbnails only", v.name, k)
					break
				}
			}
		})
	}
}

// weightServer serves a project with 24 approved renderings that weigh
// what real ones do (testsupport.RenderLike), behind a byte counter.
func weightServer(t *testing.T) (url, token string, counter *testsupport.ByteCounter) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.Open(ctx, "", filepath.Join(dir, "data"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	fs, err := files.NewLocal(filepath.Join(dir, "files"))
	if err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(st.Migrate(ctx))
	u := &studio.User{Email: "weight@studio.test", Name: "W", Role: studio.RoleAdmin, PasswordHash: "x"}
	must(st.CreateUser(ctx, u))
	must(st.UpdateSettings(ctx, &studio.Settings{Name: "Maison Test Interiors", AccentColor: "#8B5E3C",
		ContactEmail: "hello@maison.test", ContactPhone: "+1 415 555 0100"}))
	p := &studio.Project{Name: "Hillside Residence", ClientName: "Jane & Tom", StartDate: "2026-09-01",
		TargetDate: "2027-03-15", CreatedBy: u.ID}
	must(st.CreateProject(ctx, p))
	room, err := st.CreateRoom(ctx, p.ID, "Kitchen")
	must(err)

	pics := make([][]byte, weightRenderings)
	var wg sync.WaitGroup
	for i := range pics {
		wg.Go(func() { pics[i] = testsupport.RenderLike(i) })
	}
	wg.Wait()
	for i, pic := range pics {
		r := &studio.Rendering{ID: store.NewID(), ProjectID: p.ID, RoomID: room.ID, Status: studio.RenderingDraft,
			UploadedBy: u.ID, OriginalName: "render.jpg"}
		r.Title, r.Description = testsupport.StudioText(i)
		sp, err := files.Spool(ctx, dir, bytes.NewReader(pic), 0)
		must(err)
		ing, err := files.Ingest(ctx, fs, sp, "renderings/"+r.ID, files.Limits{})
		sp.Close()
		must(err)
		r.FileKey, r.ContentType, r.Bytes, r.Width, r.Height, r.SHA256 = ing.Key, ing.ContentType, ing.Bytes, ing.Width, ing.Height, ing.SHA256
		r.ThumbKey, r.PreviewKey = ing.Thumb.Key, ing.Preview.Key
		must(st.CreateRendering(ctx, r))
		at := time.Date(2026, 10, 1, 12, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Hour)
		r.Status, r.ApprovedAt, r.ApprovedBy = studio.RenderingApproved, &at, u.ID
		must(st.UpdateRendering(ctx, r, ""))
	}
	secret := []byte("weight test secret")
	_, token, err = st.IssueLink(ctx, studio.LinkInput{ProjectID: p.ID, Label: "Jane", CreatedBy: u.ID}, secret, time.Now())
	must(err)

	srv, err := web.New(web.Config{TempDir: dir, Secret: secret}, st, fs, live.NewMemory(),
		slog.New(slog.NewTextHandler(io.Discard, nil)))
	must(err)
	counter = testsupport.NewByteCounter(srv)
	ts := httptest.NewServer(counter)
	t.Cleanup(func() {
		ts.CloseClientConnections()
		srv.Close(context.Background())
		ts.Close()
	})
	return ts.URL, token, counter
}

// settled waits until the page has loaded and fetched nothing new for
// 750 ms (the lazy-loading look-ahead included), at most 5 s: a fixed
// sleep would cost every viewport the worst case.
func settled() chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		const quiet = 750 * time.Millisecond
		count := chromedp.Evaluate[int](`document.readyState === "complete" ? performance.getEntriesByType("resource").length : -1`)
		last, since := -1, time.Now()
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); {
			n, err := count(ctx, tg)
			if err != nil {
				return chromedp.Void{}, err
			}
			if n != last {
				last, since = n, time.Now()
			} else if n >= 0 && time.Since(since) >= quiet {
				break
			}
			select {
			case <-ctx.Done():
				return chromedp.Void{}, ctx.Err()
			case <-time.After(100 * time.Millisecond):
			}
		}
		return chromedp.Void{}, nil
	}
}

package web_test

import (
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"

	"atrium/internal/testsupport"

	"github.com/chromedp/chromedp"
)

// TestClientPageFirstView measures the first view of the 24-rendering page
// in headless Chromium, with its own lazy-loading look-ahead: the browser
// loads the page at a phone's and at laptops' sizes, does not scroll, and
// the server counts every byte it sent (headers included).
//
//	go test ./internal/web -run FirstView -v
func TestClientPageFirstView(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("drives Chromium")
	}
	bin, err := exec.LookPath("chromium")
	if err != nil {
		testsupport.Missing(t, "chromium not installed: .ci/run installs it")
	}
	ws := newWeightServer(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.NoSandbox, chromedp.ExecPath(bin))
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
			ws.counter.reset()
			emulate := []chromedp.EmulateViewportOption{chromedp.EmulateScale(v.dpr)}
			if v.mobile {
				emulate = append(emulate, chromedp.EmulateMobile)
			}
			ctx, stop := context.WithTimeout(bctx, 30*time.Second)
			err := chromedp.Do(ctx, chromedp.EmulateViewport(v.w, v.h, emulate...),
				chromedp.Navigate(ws.url+"/client-progress/"+ws.token), chromedp.Sleep(3*time.Second))
			var kinds []string
			if err == nil {
				kinds, err = chromedp.Run(ctx, chromedp.Evaluate[[]string](
					`[innerWidth + "x" + innerHeight + "@" + devicePixelRatio].concat(performance.getEntriesByType("resource").filter(e => e.name.includes("/renderings/")).map(e => e.name.split("/").pop()))`))
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
			for _, n := range ws.counter.reset() {
				sent += n
			}
			t.Logf("%s (viewport %s): %d bytes before scrolling; %d images: %s", v.name, viewport, sent, len(kinds), strings.Join(kinds, ","))
			if sent >= budgetFirstView {
				t.Errorf("%s: %d bytes, over the %d budget", v.name, sent, budgetFirstView)
			}
			for _, k := range kinds {
				if k != "thumb" {
					t.Errorf("%s: the gallery fetched a %s, want thumbnails only", v.name, k)
					break
				}
			}
		})
	}
}

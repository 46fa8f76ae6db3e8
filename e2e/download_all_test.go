package e2e

import (
	"archive/zip"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"atrium/internal/studio"
)

// TestDownloadAll clicks "Download all originals" on a phone and on a
// laptop: the browser saves a ZIP of every rendering the page shows, the
// access log gets one download row for it, and when the studio turns
// downloads off the open page drops every download control at once, while
// the pictures stay.
func TestDownloadAll(t *testing.T) {
	sizes := []struct {
		w, h   int64
		mobile bool
	}{{390, 844, true}, {1366, 900, false}}
	for _, sz := range sizes {
		t.Run(fmt.Sprintf("%dx%d", sz.w, sz.h), func(t *testing.T) {
			t.Parallel()
			a := startApp(t)
			tb := newBrowser(t, fmt.Sprintf("download-all-%dx%d", sz.w, sz.h))
			var opts []chromedp.EmulateViewportOption
			if sz.mobile {
				opts = append(opts, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulateScale(2))
			}
			tb.step("set the viewport", chromedp.EmulateViewport(sz.w, sz.h, opts...))
			dir := t.TempDir()
			var mu sync.Mutex
			var begun *browser.EventDownloadWillBegin
			done := ""
			listen := func(ev any) {
				mu.Lock()
				defer mu.Unlock()
				switch ev := ev.(type) {
				case *browser.EventDownloadWillBegin:
					begun = ev
				case *browser.EventDownloadProgress:
					if ev.State == browser.DownloadProgressStateCompleted || ev.State == browser.DownloadProgressStateCanceled {
						done = string(ev.State)
					}
				}
			}
			if err := chromedp.ListenBrowser(tb.ctx, listen); err != nil {
				t.Fatal(err)
			}
			if _, err := chromedp.CallBrowser(tb.ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
				Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: new(true)}); err != nil {
				t.Fatalf("allow downloads: %v", err)
			}

			if got := tb.navigate("open the client link", a.ClientURL()); got != 200 {
				tb.fail("open the client link", fmt.Errorf("status %d, want 200", got))
			}
			want := clientRenderings(t, a)
			tb.waitFor("the Download all button is shown", `(() => { const z = document.querySelector("[data-bind=zip]"); return z && !z.hidden && z.getClientRects().length > 0 })()`,
				`document.querySelector(".section__head")?.outerHTML`)
			tb.shot("page")
			tb.step("click Download all", chromedp.Click(chromedp.CSS(`[data-bind=zip]`), chromedp.NodeVisible))

			deadline := time.Now().Add(waitTimeout)
			for {
				mu.Lock()
				b, d := begun, done
				mu.Unlock()
				if d != "" {
					if d != string(browser.DownloadProgressStateCompleted) || b == nil {
						t.Fatalf("download ended %s", d)
					}
					if !strings.HasPrefix(b.SuggestedFilename, "hillside-residence") || !strings.HasSuffix(b.SuggestedFilename, ".zip") {
						t.Errorf("suggested file name %q", b.SuggestedFilename)
					}
					checkSavedZip(t, filepath.Join(dir, b.GUID), len(want))
					break
				}
				if time.Now().After(deadline) {
					tb.fail("the ZIP downloads", fmt.Errorf("no completed download within %v (begun: %v)", waitTimeout, b != nil))
				}
				time.Sleep(50 * time.Millisecond)
			}
			tb.waitFor("the page stays", `document.querySelector("[data-bind=zip]") !== null`, `location.href`)

			events, err := a.Store.AccessEvents(context.Background(), a.Demo.LinkID, 0, 20)
			if err != nil {
				t.Fatal(err)
			}
			zips := 0
			for _, ev := range events {
				if ev.IsZip() && ev.ZipRoom() == "" {
					zips++
				}
			}
			if zips != 1 {
				t.Errorf("%d ZIP download rows, want 1: %+v", zips, events)
			}

			// The studio turns downloads off: the open page follows.
			off := false
			l, err := a.Store.UpdateLink(context.Background(), a.Demo.LinkID, studio.LinkChange{AllowDownloads: &off})
			if err != nil {
				t.Fatal(err)
			}
			a.Live.Publish(context.Background(), l.ProjectID)
			tb.waitFor("the download controls go", `document.querySelector("[data-bind=zip]").hidden && !document.querySelector(".tile .button--download")`,
				`document.querySelectorAll(".button--download").length + " download controls"`)
			tb.waitFor("the pictures stay", `document.querySelectorAll(".tile img").length === `+fmt.Sprint(len(want)), `document.querySelectorAll(".tile img").length`)
			tb.shot("downloads-off")
			t.Run("viewer", func(t *testing.T) {
				tb := tb.in(t)
				tb.step("open the viewer", chromedp.Click(chromedp.CSS(`.tile__link`), chromedp.NodeVisible))
				tb.waitFor("the viewer shows no download", `(() => { const v = document.querySelector("dialog.viewer"); return v && v.open && [...v.querySelectorAll(".button--download")].every(a => a.hidden) })()`,
					`document.querySelector("dialog.viewer")?.outerHTML.slice(0, 400)`)
				tb.shotViewport("viewer-downloads-off")
			})
			tb.checkConsole()
		})
	}
}

// checkSavedZip opens the file the browser saved and checks it is a ZIP
// of n stored entries.
func checkSavedZip(t *testing.T, path string, n int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("the saved download: %v", err)
	}
	defer f.Close()
	st, _ := f.Stat()
	zr, err := zip.NewReader(f, st.Size())
	if err != nil {
		t.Fatalf("the saved download is not a ZIP: %v", err)
	}
	if len(zr.File) != n {
		t.Errorf("the ZIP has %d entries, the page shows %d renderings", len(zr.File), n)
	}
	for _, zf := range zr.File {
		if zf.Method != zip.Store || zf.UncompressedSize64 == 0 {
			t.Errorf("%s: method %d, %d bytes", zf.Name, zf.Method, zf.UncompressedSize64)
		}
	}
}

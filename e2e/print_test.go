package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// What the print stylesheet (portal.css, @media print) hides: the skip
// link, the live-update toast, the viewer and every download button.
var printHidden = []struct{ what, sel string }{
	{"the skip link", `.skip`},
	{"the live notice", `#notice`},
	{"the viewer", selViewer},
	{"a download button", selDownload},
}

// emulateMedia switches the CSS media type ("print", or "" for the screen).
func (tb *tab) emulateMedia(media string) {
	tb.t.Helper()
	tb.step("emulate media "+fmt.Sprintf("%q", media), chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: media})
		return err
	}))
}

// expectPrintHidden: under print media, none of printHidden is displayed.
// present lists what must be on the page (so that "hidden" is not merely
// "missing").
func expectPrintHidden(tb *tab, present ...string) {
	tb.t.Helper()
	type found struct {
		What    string
		N, Seen int
	}
	for _, h := range printHidden {
		f := eval[found](tb, "measure "+h.what+" in print", `(() => {
			const all = [...document.querySelectorAll(`+jsString(h.sel)+`)];
			return {What: `+jsString(h.what)+`, N: all.length,
				Seen: all.filter(e => getComputedStyle(e).display !== "none" && e.getClientRects().length > 0).length};
		})()`)
		if f.Seen > 0 {
			tb.t.Errorf("%s: printed, %d of %d elements of %s (%s) are displayed; the print stylesheet should hide them", tb.prefix, f.Seen, f.N, h.what, h.sel)
		}
		for _, p := range present {
			if p == h.what && f.N == 0 {
				tb.t.Errorf("%s: %s (%s) is not on the page, so its hiding in print was not tested", tb.prefix, h.what, h.sel)
			}
		}
	}
}

// galleryLoaded is true when every gallery image has loaded.
const galleryLoaded = `[...document.querySelectorAll(".gallery img")].every(i => i.complete && i.naturalWidth > 0)`

// galleryUnloaded names the gallery images not (yet) loaded.
const galleryUnloaded = `[...document.querySelectorAll(".gallery img")].filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.loading + " " + (i.currentSrc || i.src))`

// checkPrint prints the client page as a client would, with the viewer
// open and a live notice showing: the print hides both and the download
// buttons, and every gallery image is loaded, none left a lazy placeholder
// below the fold.
func checkPrint(tb *tab, a *app) {
	t := tb.t
	t.Helper()
	tb.navigate("open the page afresh", a.ClientURL())
	tb.waitFor("the gallery", `document.querySelectorAll(`+jsString(selThumb)+`).length > 0`, "")
	unloaded := eval[[]string](tb, "list the images not loaded yet", galleryUnloaded)
	t.Logf("%s: before printing, %d gallery images not loaded: %v", tb.prefix, len(unloaded), unloaded)

	// The viewer open and a live notice on screen.
	tb.step("open the viewer", chromedp.Click(chromedp.CSS(selThumb), chromedp.NodeVisible))
	tb.waitFor("the viewer opens", jsVisible+`(`+jsString(selViewer)+`)`, "")
	a.Live.waitWatchers(t, 1, waitTimeout)
	loginAPI(t, a).patchStudio(map[string]string{"contactPhone": "+44 20 7946 0321"})
	tb.waitFor("the update's notice shows", jsVisible+`(`+jsString(selToast)+`)`, `document.getElementById("notice")?.outerHTML`)

	tb.emulateMedia("print")
	defer tb.emulateMedia("")
	expectPrintHidden(tb, "the viewer", "the live notice", "a download button")

	// Printing for real fires beforeprint, on which portal.js loads the
	// lazy images; the PDF is kept next to the screenshots.
	pdf := value(tb, "print to PDF", chromedp.Action[[]byte](func(ctx context.Context, t *chromedp.Target) ([]byte, error) {
		r, err := cdp.Call(ctx, t, page.PrintToPDF, page.PrintToPDFParams{})
		return r.Data, err
	}))
	os.MkdirAll(artifacts, 0o755)
	os.WriteFile(filepath.Join(artifacts, tb.prefix+"-print.pdf"), pdf, 0o644)
	tb.expect("every gallery image is loaded for the print", galleryLoaded, galleryUnloaded, 10*time.Second)
	if lazy := eval[int](tb, "count lazy images", `document.querySelectorAll(".gallery img[loading=lazy]").length`); lazy > 0 {
		t.Errorf("%s: after beforeprint, %d gallery images are still loading=lazy", tb.prefix, lazy)
	}
	tb.shot("print")
	tb.step("close the viewer", chromedp.KeyEvent(kb.Escape))
}

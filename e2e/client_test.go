package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestClientPage opens the demo client link on a phone and on a laptop.
func TestClientPage(t *testing.T) {
	// more: other screens of the same kind whose layout is checked too.
	sizes := []struct {
		w, h   int64
		mobile bool
		more   [][2]int64
	}{
		{390, 844, true, [][2]int64{{360, 740}}},
		{1366, 900, false, [][2]int64{{1440, 900}}},
	}
	for _, sz := range sizes {
		t.Run(fmt.Sprintf("%dx%d", sz.w, sz.h), func(t *testing.T) {
			t.Parallel()
			a := startApp(t)
			tb := newBrowser(t, fmt.Sprintf("client-%dx%d", sz.w, sz.h))
			var opts []chromedp.EmulateViewportOption
			if sz.mobile {
				opts = append(opts, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulateScale(2))
			}
			tb.step("set the viewport", chromedp.EmulateViewport(sz.w, sz.h, opts...))

			if got := tb.navigate("open the client link", a.ClientURL()); got != 200 {
				tb.fail("open the client link", fmt.Errorf("status %d, want 200", got))
			}
			tb.waitFor("the project name is shown", `document.body.innerText.includes("Hillside Residence")`, `document.body.innerText.slice(0, 300)`)
			expectImagesLoad(tb, "every image loads")
			tb.shot("page")

			// Each check is a subtest: one failing still lets the others run.
			t.Run("layout", func(t *testing.T) { checkNoOverflow(tb.in(t), sz.w) })
			for _, m := range sz.more {
				t.Run(fmt.Sprintf("layout-%dx%d", m[0], m[1]), func(t *testing.T) {
					tb := tb.in(t)
					tb.prefix = fmt.Sprintf("client-%dx%d", m[0], m[1])
					tb.step("set the viewport", chromedp.EmulateViewport(m[0], m[1], opts...))
					defer tb.step("restore the viewport", chromedp.EmulateViewport(sz.w, sz.h, opts...))
					checkNoOverflow(tb, m[0])
					tb.shot("page")
				})
			}
			t.Run("axe", func(t *testing.T) { tb.in(t).axe("page") })
			if !t.Run("gallery", func(t *testing.T) { checkGallery(tb.in(t), clientRenderings(t, a), sz.mobile) }) {
				tb.navigate("reload after the gallery check", a.ClientURL())
			}
			t.Run("download", func(t *testing.T) { checkDownload(tb.in(t)) })
			t.Run("live-update", func(t *testing.T) { checkLiveUpdate(tb.in(t), a) })
			if !sz.mobile {
				t.Run("print", func(t *testing.T) { checkPrint(tb.in(t), a) })
			}
		})
	}
}

// scrollThrough scrolls down the page a screen at a time, as a reader
// would, so that lazy images load, then back to the top.
func scrollThrough(tb *tab) {
	tb.t.Helper()
	// Stepped from Go: timers do not run in a page with scripts off.
	h := eval[float64](tb, "measure the page", `document.documentElement.scrollHeight`)
	step := eval[float64](tb, "measure the screen", `innerHeight`) / 2
	for y := 0.0; y < h; y += step {
		eval[bool](tb, "scroll", fmt.Sprintf(`(scrollTo(0, %f), true)`, y))
		time.Sleep(30 * time.Millisecond)
	}
	eval[bool](tb, "scroll to the top", `(scrollTo(0, 0), true)`)
}

// expectImagesLoad scrolls through the page and checks that no image is
// broken, naming the ones that are.
func expectImagesLoad(tb *tab, what string) {
	tb.t.Helper()
	scrollThrough(tb)
	tb.expect(what, `[...document.images].every(i => i.complete && i.naturalWidth > 0)`,
		`[...document.images].filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.currentSrc || i.src)`, waitTimeout)
}

// checkNoOverflow: nothing sticks out sideways, and the page lays out at the
// device width (a missing viewport meta tag would lay it out at 980 px).
func checkNoOverflow(tb *tab, width int64) {
	tb.t.Helper()
	type layout struct {
		InnerWidth  int64    `json:"innerWidth"`
		ScrollWidth int64    `json:"scrollWidth"`
		Wide        []string `json:"wide"`
	}
	l := eval[layout](tb, "measure the layout", `(() => {
		const vw = `+fmt.Sprint(width)+`;
		const wide = [...document.querySelectorAll("body *")].filter(e => {
			const r = e.getBoundingClientRect();
			return r.width > 0 && (r.right > vw + 1 || r.left < -1) && getComputedStyle(e).position !== "fixed";
		}).slice(0, 8).map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") +
			(e.className && typeof e.className === "string" ? "." + e.className.trim().split(/\s+/).join(".") : "") +
			" right=" + Math.round(e.getBoundingClientRect().right));
		return {innerWidth: window.innerWidth, scrollWidth: document.documentElement.scrollWidth, wide};
	})()`)
	if l.InnerWidth != width {
		// A phone zooms out to fit content wider than the screen.
		tb.t.Errorf("%s: window.innerWidth = %d, want %d: content wider than the screen, or no <meta name=viewport>; elements past the edge: %v",
			tb.prefix, l.InnerWidth, width, l.Wide)
	} else if l.ScrollWidth > l.InnerWidth {
		tb.t.Errorf("%s: horizontal overflow: scrollWidth %d > innerWidth %d; elements past the edge: %v", tb.prefix, l.ScrollWidth, l.InnerWidth, l.Wide)
	}
}

// clientRendering is a rendering as the client API lists it.
type clientRendering struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	Room  string `json:"room"`
}

// clientRenderings reads the demo link's renderings from the client JSON API.
func clientRenderings(t *testing.T, a *app) []clientRendering {
	t.Helper()
	resp, err := httpClient.Get(a.URL + "/api/client-progress/" + a.Demo.Token)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var v struct {
		Renderings []clientRendering `json:"renderings"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET /api/client-progress/{token}: status %d, %v", resp.StatusCode, err)
	}
	return v.Renderings
}

// checkGallery: a thumbnail opens a full-screen viewer showing the preview
// with its title and room; the arrow keys (and on a phone a swipe) move to
// the next rendering; Escape closes it and gives focus back.
func checkGallery(tb *tab, renderings []clientRendering, touch bool) {
	tb.t.Helper()
	n := eval[int](tb, "count thumbnails", `document.querySelectorAll(`+jsString(selThumb)+`).length`)
	if n == 0 {
		tb.fail("find a gallery thumbnail", fmt.Errorf("nothing matches %s", selThumb))
	}
	if n != len(renderings) {
		tb.t.Errorf("%s: %d gallery thumbnails, want the %d approved renderings", tb.prefix, n, len(renderings))
	}
	tb.step("scroll to the gallery", chromedp.ScrollIntoView(chromedp.CSS(selThumb)))
	tb.shotViewport("gallery")

	tb.step("click the first thumbnail", chromedp.Click(chromedp.CSS(selThumb), chromedp.NodeVisible))
	viewer := jsVisible + `(` + jsString(selViewer) + `)`
	tb.waitFor("the viewer opens", viewer, "")
	type box struct {
		W, H, VW, VH float64
		Img          string
		Text         string
	}
	b := eval[box](tb, "measure the viewer", `(() => {
		const v = `+viewer+`, r = v.getBoundingClientRect(), img = v.querySelector("img");
		return {W: r.width, H: r.height, VW: innerWidth, VH: innerHeight,
			Img: img ? img.currentSrc || img.src : "", Text: v.textContent};
	})()`)
	if b.W < 0.9*b.VW || b.H < 0.9*b.VH {
		tb.t.Errorf("%s: the viewer is %.0f×%.0f in a %.0f×%.0f viewport, want full-screen", tb.prefix, b.W, b.H, b.VW, b.VH)
	}
	if b.Img == "" {
		tb.t.Errorf("%s: the viewer shows no image", tb.prefix)
	}
	tb.waitFor("the viewer's image loads", `(() => { const i = (`+viewer+`).querySelector("img"); return i && i.complete && i.naturalWidth > 0 })()`, "")
	named := false
	for _, r := range renderings {
		if strings.Contains(b.Text, r.Title) && strings.Contains(b.Text, r.Room) {
			named = true
		}
	}
	if !named {
		tb.t.Errorf("%s: the viewer names no rendering with its room; it says %q", tb.prefix, b.Text)
	}
	tb.shotViewport("viewer")
	tb.axe("viewer")
	checkViewerDownload(tb, viewer, true)

	src := func() string {
		return eval[string](tb, "read the viewer's image", `(() => { const i = (`+viewer+`)?.querySelector("img"); return i ? i.currentSrc || i.src : "" })()`)
	}
	changed := func(from string) string {
		return `(() => { const i = (` + viewer + `)?.querySelector("img"); return i && (i.currentSrc || i.src) !== ` + jsString(from) + ` })()`
	}
	tb.step("press the right arrow", chromedp.KeyEvent(kb.ArrowRight))
	if tb.expect("the right arrow shows the next rendering", changed(b.Img), "", 5*time.Second) {
		checkViewerDownload(tb, viewer, false)
	}
	if touch {
		before := src()
		tb.swipeLeft(viewer)
		tb.expect("a swipe to the left shows the next rendering", changed(before), "", 5*time.Second)
	}

	tb.step("press Escape", chromedp.KeyEvent(kb.Escape))
	tb.waitFor("Escape closes the viewer", `!`+viewer, "")
	if !eval[bool](tb, "find the focus", `!!document.activeElement?.matches(`+jsString(selThumb)+`)`) {
		tb.t.Errorf("%s: after the viewer closes, focus is not back on the thumbnail", tb.prefix)
	}
}

// checkViewerDownload: the viewer's "Download original" link is the
// download link of the tile whose preview it shows, and (with fetch) answers
// 200 with an attachment.
func checkViewerDownload(tb *tab, viewer string, fetch bool) {
	tb.t.Helper()
	type vdl struct {
		Found                 bool
		Preview, ViewerHref   string
		TileHref, Disposition string
		Status                int
	}
	d := eval[vdl](tb, "read the viewer's download link", `(async () => {
		const v = `+viewer+`, img = v?.querySelector("img");
		const a = v && [...v.querySelectorAll("a[href]")].find(a => /download original/i.test(a.textContent));
		if (!img || !a) return {Found: false};
		const preview = img.getAttribute("src");
		const thumb = [...document.querySelectorAll(`+jsString(selThumb)+`)].find(l => l.getAttribute("href") === preview);
		const tile = thumb?.closest("li")?.querySelector(`+jsString(selDownload)+`);
		const out = {Found: true, Preview: preview, ViewerHref: a.getAttribute("href"), TileHref: tile ? tile.getAttribute("href") : ""};
		if (`+fmt.Sprint(fetch)+`) {
			const r = await fetch(a.href);
			await r.arrayBuffer();
			out.Status = r.status;
			out.Disposition = r.headers.get("content-disposition") || "";
		}
		return out;
	})()`)
	switch {
	case !d.Found:
		tb.t.Errorf("%s: the viewer has no \"Download original\" link", tb.prefix)
		return
	case d.TileHref == "":
		tb.t.Errorf("%s: no gallery tile has the preview %s that the viewer shows", tb.prefix, d.Preview)
	case d.ViewerHref != d.TileHref:
		tb.t.Errorf("%s: the viewer's Download original links to %s, but its tile's download is %s", tb.prefix, d.ViewerHref, d.TileHref)
	}
	if fetch {
		if d.Status != 200 {
			tb.t.Errorf("%s: the viewer's Download original %s: status %d, want 200", tb.prefix, d.ViewerHref, d.Status)
		} else if !strings.HasPrefix(d.Disposition, "attachment") {
			tb.t.Errorf("%s: the viewer's Download original %s: Content-Disposition %q, want attachment", tb.prefix, d.ViewerHref, d.Disposition)
		}
	}
}

// swipeLeft drags a finger from right to left across the middle of the
// element that the JavaScript expression el finds.
func (tb *tab) swipeLeft(el string) {
	tb.t.Helper()
	type rect struct{ X, Y, W, H float64 }
	r := eval[rect](tb, "measure the swipe area", `(() => { const r = (`+el+`).getBoundingClientRect(); return {X: r.x, Y: r.y, W: r.width, H: r.height} })()`)
	y := r.Y + r.H/2
	from, to := r.X+r.W*0.8, r.X+r.W*0.2
	touch := func(typ input.DispatchTouchEventType, x float64) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			p := input.DispatchTouchEventParams{Type: typ, TouchPoints: []*input.TouchPoint{}}
			if typ != input.DispatchTouchEventTypeTouchEnd {
				p.TouchPoints = []*input.TouchPoint{{X: x, Y: y}}
			}
			_, err := cdp.Call(ctx, t, input.DispatchTouchEvent, p)
			return err
		})
	}
	steps := []chromedp.Action[chromedp.Void]{touch(input.DispatchTouchEventTypeTouchStart, from)}
	for i := 1; i <= 5; i++ {
		steps = append(steps, touch(input.DispatchTouchEventTypeTouchMove, from+(to-from)*float64(i)/5))
	}
	steps = append(steps, touch(input.DispatchTouchEventTypeTouchEnd, to))
	tb.step("swipe left", steps...)
}

// checkDownload fetches a download link's target as the browser would.
func checkDownload(tb *tab) {
	tb.t.Helper()
	type dl struct {
		Href, Text, Disposition, Type string
		Status, Size                  int
	}
	d := eval[dl](tb, "fetch the first download link", `(async () => {
		const a = `+jsVisible+`(`+jsString(selDownload)+`);
		if (!a) return {Status: -1};
		const r = await fetch(a.href);
		const b = await r.blob();
		return {Href: a.getAttribute("href"), Text: (a.innerText || a.getAttribute("aria-label") || "").trim(),
			Status: r.status, Disposition: r.headers.get("content-disposition") || "", Type: r.headers.get("content-type") || "", Size: b.size};
	})()`)
	switch {
	case d.Status == -1:
		tb.fail("find a visible download link", fmt.Errorf("nothing visible matches %s", selDownload))
	case d.Status != 200:
		tb.t.Errorf("%s: GET %s: status %d, want 200", tb.prefix, d.Href, d.Status)
	case !strings.HasPrefix(d.Disposition, "attachment"):
		tb.t.Errorf("%s: GET %s: Content-Disposition %q, want attachment", tb.prefix, d.Href, d.Disposition)
	case !strings.HasPrefix(d.Type, "image/") || d.Size < 10_000:
		tb.t.Errorf("%s: GET %s: %s of %d bytes, want the original image", tb.prefix, d.Href, d.Type, d.Size)
	}
	if d.Text == "" {
		tb.t.Errorf("%s: the download link %s has no text", tb.prefix, d.Href)
	}
}

// checkLiveUpdate approves a draft through the staff API and waits for its
// title to appear on the open page without a reload.
func checkLiveUpdate(tb *tab, a *app) {
	t := tb.t
	t.Helper()
	api := loginAPI(t, a)
	draft := api.rendering(a.Demo.ProjectID, "draft")
	if eval[bool](tb, "look for the draft", `document.body.innerText.includes(`+jsString(draft.Title)+`)`) {
		t.Fatalf("%s: the draft %s is on the client page before its approval", tb.prefix, draft)
	}
	// A marker that a reload would wipe out.
	eval[bool](tb, "mark the page", `window.__e2eNoReload = true`)
	a.Live.waitWatchers(t, 1, waitTimeout)
	api.setRenderingStatus(draft.ID, "approved")
	tb.waitFor("the approved rendering appears live", `document.body.innerText.includes(`+jsString(draft.Title)+`)`,
		`document.querySelectorAll(`+jsString(selThumb)+`).length + " thumbnails"`)
	if !eval[bool](tb, "check for a reload", `window.__e2eNoReload === true`) {
		t.Errorf("%s: the page reloaded to show the update; it should apply it in place", tb.prefix)
	}
	// The toast names the new rendering; it is a status, not the gone banner.
	toast := jsVisible + `(` + jsString(selToast) + `)`
	if tb.expect("a notice names the new rendering", `(`+toast+`)?.innerText.includes(`+jsString(draft.Title)+`)`, `document.getElementById("notice")?.outerHTML`, 5*time.Second) &&
		eval[bool](tb, "look for the gone banner", `!!`+jsVisible+`(`+jsString(selGone)+`)`) {
		t.Errorf("%s: a live update shows the banner of a link that stopped working", tb.prefix)
	}
	// The page as updated, toast included, once the new tile has faded in.
	tb.settle()
	tb.axe("after-live-update")
	expectImagesLoad(tb, "every image loads after the update")
	tb.shot("after-live-update")

	// The page as updated in place reads the same as the page the server
	// renders now.
	updated := eval[string](tb, "read the updated page", `document.querySelector("main").innerText`)
	tb.navigate("reload the page", a.ClientURL())
	fresh := eval[string](tb, "read the reloaded page", `document.querySelector("main").innerText`)
	if d := lineDiff(updated, fresh); d != "" {
		t.Errorf("%s: the live update renders the page differently from a reload:\n%s", tb.prefix, d)
	}
}

// lineDiff lists the lines only one of two texts has ("" when none).
func lineDiff(got, want string) string {
	count := func(s string) map[string]int {
		m := map[string]int{}
		for _, l := range strings.Split(s, "\n") {
			if l = strings.TrimSpace(l); l != "" {
				m[l]++
			}
		}
		return m
	}
	g, w := count(got), count(want)
	var b strings.Builder
	for _, l := range strings.Split(got, "\n") {
		if l = strings.TrimSpace(l); l != "" && g[l] > w[l] {
			fmt.Fprintf(&b, "    live only:   %q\n", l)
			g[l] = w[l]
		}
	}
	g = count(got)
	for _, l := range strings.Split(want, "\n") {
		if l = strings.TrimSpace(l); l != "" && w[l] > g[l] {
			fmt.Fprintf(&b, "    reload only: %q\n", l)
			w[l] = g[l]
		}
	}
	return b.String()
}

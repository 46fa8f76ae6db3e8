package e2e

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"atrium/internal/studio"
)

// TestClientErrorPages: a wrong or dead link gets a friendly page that says
// what happened and how to reach the studio.
func TestClientErrorPages(t *testing.T) {
	t.Parallel()
	a := startApp(t)
	expired := a.addLink(t, "Old link", time.Now().Add(-time.Hour))

	tb := newBrowser(t, "client-error")
	tb.step("set the viewport", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateScale(2)))
	cases := []struct {
		name, token string
		status      int64
	}{
		{"unknown", "Zx9Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0Lm", 404},
		{"malformed", "not-a-token", 404},
		{"expired", expired, 410},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tb := tb.in(t)
			tb.prefix = "client-error-" + c.name
			if got := tb.navigate("open the link", a.URL+"/client-progress/"+c.token); got != c.status {
				t.Errorf("status %d, want %d", got, c.status)
			}
			text := eval[string](tb, "read the page", `document.body.innerText`)
			if !strings.Contains(text, "hello@maisonlumiere.example") {
				t.Errorf("the %d page does not say how to reach the studio: %q", c.status, text)
			}
			if strings.Contains(text, "Hillside Residence") {
				t.Errorf("the %d page shows the project", c.status)
			}
			checkNoOverflow(tb, 390)
			tb.shot("page")
			tb.axe("page")
		})
	}
}

// addLink creates a link on the demo project directly in the store (for
// states the UI cannot make, such as already expired) and returns its token.
func (a *app) addLink(t *testing.T, label string, expires time.Time) string {
	t.Helper()
	// Issued an hour before it expires, so that it may be expired already.
	in := studio.LinkInput{ProjectID: a.Demo.ProjectID, Label: label, Expires: expires.Format(time.RFC3339Nano)}
	_, token, err := a.Store.IssueLink(context.Background(), in, a.Secret, expires.Add(-time.Hour))
	if err != nil {
		t.Fatalf("create link: %v", err)
	}
	return token
}

// TestClientPageWithoutJS: everything but the live update works with
// scripts off, axe passes, and the print stylesheet alone hides
// the downloads.
func TestClientPageWithoutJS(t *testing.T) {
	t.Parallel()
	a := startApp(t)
	tb := newBrowser(t, "client-nojs")
	tb.step("set the viewport", chromedp.EmulateViewport(1366, 900))
	tb.scripts(false)
	if got := tb.navigate("open the client link", a.ClientURL()); got != 200 {
		tb.fail("open the client link", fmt.Errorf("status %d, want 200", got))
	}
	type page struct {
		Text      string
		Thumbs    int
		Downloads int
		Broken    []string
	}
	// Runtime.evaluate still runs with page scripts off.
	expectImagesLoad(tb, "every image loads")
	p := eval[page](tb, "read the page", `({Text: document.body.innerText,
		Thumbs: document.querySelectorAll(`+jsString(selThumb)+`).length,
		Downloads: document.querySelectorAll(`+jsString(selDownload)+`).length})`)
	for _, want := range []string{"Hillside Residence", "Kitchen island", "Design Concept", "FF&E", "hello@maisonlumiere.example"} {
		if !strings.Contains(p.Text, want) {
			t.Errorf("without JavaScript the page lacks %q", want)
		}
	}
	if p.Thumbs != 5 || p.Downloads != 5 {
		t.Errorf("without JavaScript: %d thumbnails and %d download links, want 5 and 5", p.Thumbs, p.Downloads)
	}
	// A thumbnail still leads to the larger image.
	href := eval[string](tb, "read a thumbnail's link", `document.querySelector(`+jsString(selThumb)+`).href || ""`)
	if href == "" {
		t.Errorf("without JavaScript the first thumbnail links nowhere")
	}
	tb.shot("page")
	// axe needs timers, which a page with scripts off does not run; turned
	// back on, scripts the page skipped while loading stay unrun.
	tb.scripts(true)
	tb.axe("page")
	tb.scripts(false)
	if n := a.Live.watchers(); n != 0 {
		// portal.js would have opened the live-update stream.
		t.Errorf("without JavaScript: %d live-update streams open; portal.js ran, so the axe check was not of the no-JS page", n)
	}

	// Printed without scripts: the downloads are hidden by CSS alone.
	tb.emulateMedia("print")
	expectPrintHidden(tb, "a download button")
	tb.expect("every gallery image is loaded for the print", galleryLoaded, galleryUnloaded, waitTimeout)
	tb.shot("print")
}

// scripts turns the page's JavaScript on or off (Runtime.evaluate runs
// either way).
func (tb *tab) scripts(on bool) {
	tb.t.Helper()
	tb.step(fmt.Sprintf("turn scripts on=%v", on), chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !on})
		return err
	}))
}

// TestClientLightAccent: a studio picks a pale accent (#f5e050, a butter
// yellow). The server derives the theme's ink colours from it, so text and
// links on the client page, and the gone banner drawn in the accent's soft
// tint, must still pass axe's contrast rule on a phone.
func TestClientLightAccent(t *testing.T) {
	t.Parallel()
	a := startApp(t)
	const accent = "#f5e050"
	api := loginAPI(t, a)
	api.patchStudio(map[string]string{"accentColor": accent})

	tb := newBrowser(t, "client-accent-f5e050")
	tb.step("set the viewport", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulateScale(2)))
	if got := tb.navigate("open the client link", a.ClientURL()); got != 200 {
		tb.fail("open the client link", fmt.Errorf("status %d, want 200", got))
	}
	tb.waitFor("the project name is shown", `document.body.innerText.includes("Hillside Residence")`, `document.body.innerText.slice(0, 300)`)
	if href := eval[string](tb, "read the theme", `(t => t ? t.getAttribute("href") || t.dataset.href : "")(document.getElementById("theme"))`); !strings.Contains(href, strings.TrimPrefix(accent, "#")) {
		t.Fatalf("the page's theme is %q, not the studio's accent %s", href, accent)
	}
	expectImagesLoad(tb, "every image loads")
	tb.shot("page")
	tb.axe("page")

	// A new colour while the page is open: the theme, inline at first,
	// gives way to the cached stylesheet of the new colour.
	a.Live.waitWatchers(t, 1, waitTimeout)
	api.patchStudio(map[string]string{"accentColor": "#2f6f4e"})
	tb.waitFor("the new colour's stylesheet", `(t => t.tagName === "LINK" && t.getAttribute("href").includes("2f6f4e") && t.sheet !== null)(document.getElementById("theme"))`,
		`document.getElementById("theme").outerHTML.slice(0, 200)`)

	// The link switched off while the page is open: the gone banner.
	api.do("DELETE", "/api/client-access/"+a.Demo.LinkID, nil, http.StatusOK, nil)
	gone := jsVisible + `(` + jsString(selGone) + `)`
	tb.waitFor("the gone banner", gone, "")
	if text := eval[string](tb, "read the gone banner", `(`+gone+`).innerText`); !strings.Contains(text, goneText) {
		t.Errorf("the gone banner says %q, want %q", text, goneText)
	}
	tb.shot("gone")
	tb.axe("gone")
}

// TestClientLinkExpiresWhileOpen: a link that expires while its page is
// open says so, without a reload, at the moment it expires.
func TestClientLinkExpiresWhileOpen(t *testing.T) {
	t.Parallel()
	a := startApp(t)
	tb := newBrowser(t, "client-expiring")
	tb.step("set the viewport", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateScale(2)))
	// Made once the browser is up, with room for a slow machine to load it.
	token := a.addLink(t, "Short link", time.Now().Add(8*time.Second))
	if got := tb.navigate("open the link", a.URL+"/client-progress/"+token); got != 200 {
		t.Fatalf("status %d, want 200", got)
	}
	gone := jsVisible + `(` + jsString(selGone) + `)`
	tb.waitForWithin("the banner once the link expires", gone, `document.body.innerText.slice(0, 300)`, 30*time.Second)
	if text := eval[string](tb, "read the banner", `(`+gone+`).innerText`); !strings.Contains(text, "This link has expired.") {
		t.Errorf("the banner says %q, want it to say the link expired", text)
	}
	tb.shot("expired")
}

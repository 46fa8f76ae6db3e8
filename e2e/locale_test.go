package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"atrium/internal/locale"
	"atrium/internal/studio"
)

// addLocaleLink makes a link of the demo project in language code.
func (a *app) addLocaleLink(t *testing.T, code string) (*studio.Link, string) {
	t.Helper()
	l, token, err := a.Store.IssueLink(context.Background(), studio.LinkInput{ProjectID: a.Demo.ProjectID, Label: code, Locale: code},
		a.Secret, time.Now())
	if err != nil {
		t.Fatalf("create link: %v", err)
	}
	return l, token
}

// TestClientPageLocales opens the page in each language on a phone: the
// lang attribute, a date written the language's way, no English left in
// the words the page's own (non-data) text, touch targets of 44×44 px,
// axe. French and German are also looked at on a laptop, where long German
// words must not overflow.
func TestClientPageLocales(t *testing.T) {
	t.Parallel()
	a := startApp(t)
	tb := newBrowser(t, "client-locale")
	for _, code := range locale.Codes {
		t.Run(code, func(t *testing.T) {
			tb := tb.in(t)
			tb.prefix = "client-locale-" + code
			_, token := a.addLocaleLink(t, code)
			tb.step("set the viewport", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulateScale(2)))
			if got := tb.navigate("open the link", a.URL+"/client-progress/"+token); got != 200 {
				t.Fatalf("status %d", got)
			}
			if lang := eval[string](tb, "read lang", `document.documentElement.lang`); lang != code {
				t.Errorf("<html lang> = %q, want %q", lang, code)
			}
			target := eval[string](tb, "read the target date", `document.querySelector("[data-bind=targetDate]").getAttribute("datetime")`)
			day, err := time.Parse(time.DateOnly, target)
			if err != nil {
				t.Fatalf("target date %q: %v", target, err)
			}
			want := locale.For(code).LongDate(day)
			if got := eval[string](tb, "read the date", `document.querySelector("[data-bind=targetDate]").textContent`); got != want {
				t.Errorf("target date reads %q, want %q", got, want)
			}
			if code != "en" {
				text := eval[string](tb, "read the page", `document.querySelector("#rooms").innerText + document.querySelector(".footer").innerText`)
				for _, en := range []string{"Room by room", "complete", "Not started", "Questions about", "private link"} {
					if strings.Contains(text, en) {
						t.Errorf("English %q on the %s page", en, code)
					}
				}
			}
			checkNoOverflow(tb, 390)
			checkTouchTargets(tb)
			tb.axe("page")
			if code == "fr" || code == "de" {
				tb.shot("page-390")
				tb.step("laptop viewport", chromedp.EmulateViewport(1366, 900))
				checkNoOverflow(tb, 1366)
				tb.shot("page-1366")
				// The viewer's words too.
				tb.step("open the viewer", chromedp.Click(chromedp.CSS(`.tile__link`), chromedp.NodeVisible))
				tb.waitFor("the viewer", `document.querySelector("dialog.viewer")?.open`, `document.body.className`)
				if got, want := eval[string](tb, "read the close label", `document.querySelector(".viewer__close").getAttribute("aria-label")`), locale.For(code).T("Close"); got != want {
					t.Errorf("viewer close label %q, want %q", got, want)
				}
				tb.shot("viewer-1366")
				eval[bool](tb, "close the viewer", `(document.querySelector(".viewer__close").click(), true)`)
			}
		})
	}
}

// checkTouchTargets: every control of the page (buttons, links that are
// not words inside a sentence, fields) is at least 44×44 CSS px.
func checkTouchTargets(tb *tab) {
	tb.t.Helper()
	small := eval[[]string](tb, "measure the touch targets", `[...document.querySelectorAll("main a[href], main button, main input, main select, main textarea, footer a[href], header a[href]")]
		.filter(e => e.offsetParent && !e.closest("p:not(.views):not(.contacts) a, .msg__text"))
		.filter(e => { const r = e.getBoundingClientRect(); return r.width < 44 || r.height < 44 })
		.map(e => e.tagName.toLowerCase() + "." + (e.className || "") + " " + (e.textContent || e.name || "").trim().slice(0, 30) + " " +
			Math.round(e.getBoundingClientRect().width) + "x" + Math.round(e.getBoundingClientRect().height))`)
	if len(small) > 0 {
		tb.t.Errorf("%s: touch targets under 44×44 px: %v", tb.prefix, small)
	}
}

// TestClientDeactivatedWhileOpen: a link deactivated while its page is
// open takes the viewer and every image control with it: the open viewer
// closes, a tap on a rendering opens nothing, no download or decision
// button is left.
func TestClientDeactivatedWhileOpen(t *testing.T) {
	t.Parallel()
	a := startApp(t)
	l, token := a.addLocaleLink(t, "en")
	tb := newBrowser(t, "client-deactivated")
	tb.step("set the viewport", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulateScale(2)))
	if got := tb.navigate("open the link", a.URL+"/client-progress/"+token); got != 200 {
		t.Fatalf("status %d", got)
	}
	tb.step("open the viewer", chromedp.Click(chromedp.CSS(`.tile__link`), chromedp.NodeVisible))
	tb.waitFor("the viewer", `document.querySelector("dialog.viewer")?.open`, `document.body.className`)
	off := false
	if _, err := a.Store.UpdateLink(context.Background(), l.ID, studio.LinkChange{Active: &off, At: time.Now()}); err != nil {
		t.Fatal(err)
	}
	a.Live.Publish(context.Background(), a.Demo.ProjectID)
	gone := jsVisible + `(` + jsString(selGone) + `)`
	tb.waitForWithin("the banner once the link is off", gone, `document.body.innerText.slice(0, 300)`, 30*time.Second)
	if open := eval[bool](tb, "is a viewer there", `!!document.querySelector("dialog.viewer")`); open {
		t.Error("the viewer is still in the page")
	}
	eval[bool](tb, "tap a rendering", `(document.querySelector(".tile__link").click(), true)`)
	if open := eval[bool](tb, "did a viewer open", `!!document.querySelector("dialog.viewer[open]")`); open {
		t.Error("a tap on a rendering opens the viewer of a dead link")
	}
	left := eval[[]string](tb, "find image controls", `[...document.querySelectorAll(".dl, .tile__fb button, [data-bind=zip]")].filter(e => e.offsetParent).map(e => e.textContent)`)
	if len(left) > 0 {
		t.Errorf("image controls still shown: %v", left)
	}
	tb.shot("gone")
	tb.axe("gone")
	_ = fmt.Sprint
}

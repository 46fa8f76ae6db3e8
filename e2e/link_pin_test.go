package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"atrium/internal/demo"
	"atrium/internal/studio"
)

// TestLinkPINForm: on a phone and on a laptop, a link with a PIN opens on
// the PIN form, in the studio's colours with its name and nothing of the
// project; a wrong PIN says so; the right one opens the page, which then
// loads its live data (the API's cookie works too); axe finds nothing
// serious on the form, empty or with its error.
func TestLinkPINForm(t *testing.T) {
	for _, sz := range []struct {
		w, h   int64
		mobile bool
	}{{390, 844, true}, {1366, 900, false}} {
		t.Run(fmt.Sprintf("%dx%d", sz.w, sz.h), func(t *testing.T) {
			t.Parallel()
			a := startApp(t)
			ctx := context.Background()
			pin := "482916"
			if _, err := a.Store.UpdateLink(ctx, a.Demo.LinkID, studio.LinkChange{PIN: &pin, At: time.Now(), Secret: a.Secret}); err != nil {
				t.Fatal(err)
			}
			p, err := a.Store.Project(ctx, a.Demo.ProjectID)
			if err != nil {
				t.Fatal(err)
			}
			tb := newBrowser(t, fmt.Sprintf("pin-%dx%d", sz.w, sz.h))
			var opts []chromedp.EmulateViewportOption
			if sz.mobile {
				opts = append(opts, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulateScale(2))
			}
			tb.step("set the viewport", chromedp.EmulateViewport(sz.w, sz.h, opts...))
			if got := tb.navigate("open the client link", a.ClientURL()); got != 401 {
				tb.fail("open the client link", fmt.Errorf("status %d, want 401 and the PIN form", got))
			}
			tb.waitFor("the PIN form", `!!document.querySelector("form.pin input[name=pin]")`, `document.body.innerText`)
			text := eval[string](tb, "read the page", `document.documentElement.outerHTML`)
			if strings.Contains(text, p.Name) || !strings.Contains(text, "PIN") {
				t.Errorf("the PIN page shows the project (%q) or no PIN form", p.Name)
			}
			if !eval[bool](tb, "the studio's logo shows", `(() => { const i = document.querySelector(".brand__logo"); return !i || (i.complete && i.naturalWidth > 0) })()`) {
				t.Error("the studio's logo does not load on the PIN page")
			}
			tb.shot("form")
			tb.axe("pin form")

			tb.step("type a wrong PIN", chromedp.SendKeys(chromedp.CSS(`#pin`), "111111", chromedp.NodeVisible),
				chromedp.Click(chromedp.CSS(`form.pin button`), chromedp.NodeVisible))
			tb.waitFor("the error", `!!document.querySelector("form.pin [role=alert]")`, `document.body.innerText`)
			tb.shot("wrong")
			tb.axe("pin form with its error")

			tb.step("type the right PIN", chromedp.SendKeys(chromedp.CSS(`#pin`), pin, chromedp.NodeVisible),
				chromedp.Click(chromedp.CSS(`form.pin button`), chromedp.NodeVisible))
			tb.waitFor("the client page", `document.body.innerText.includes(`+jsString(p.Name)+`) && document.querySelectorAll(".tile").length > 0`,
				`location.href + " | " + document.body.innerText.slice(0, 200)`)
			a.Live.waitWatchers(t, 1, waitTimeout) // the events stream, under the API's cookie
			ok := eval[bool](tb, "fetch the JSON", `(async () => (await fetch(location.pathname.replace("/client-progress/", "/api/client-progress/"))).status === 200)()`)
			if !ok {
				t.Error("the page's JSON is refused after the PIN")
			}
			tb.shot("opened")
		})
	}
}

// TestAdminLinkEditing: a designer edits a link's label, expiry and PIN on
// the project page, deactivates and reactivates it (confirming), and gives
// it a new address, which the panel shows ready to copy.
func TestAdminLinkEditing(t *testing.T) {
	t.Parallel()
	a := startApp(t)
	tb := newBrowser(t, "link-edit")
	tb.step("set the viewport", chromedp.EmulateViewport(1366, 900))
	tb.navigate("open /login", a.URL+"/login")
	tb.step("sign in",
		chromedp.SendKeys(chromedp.CSS(selLoginEmail), demo.AdminEmail, chromedp.NodeVisible),
		chromedp.SendKeys(chromedp.CSS(selLoginPassword), demo.AdminPassword, chromedp.NodeVisible),
		chromedp.Click(chromedp.CSS(selLoginSubmit), chromedp.NodeVisible))
	tb.waitFor("signed in", `location.pathname === "/admin"`, `location.href`)
	dialogs := tb.acceptDialogs()
	panel := "#link-" + a.Demo.LinkID
	tb.navigate("open the project", a.URL+"/admin/projects/"+a.Demo.ProjectID+panel)

	tb.step("open Edit", chromedp.Click(chromedp.CSS(panel+" details.edit summary"), chromedp.NodeVisible))
	day := time.Now().UTC().AddDate(0, 4, 0)
	eval[bool](tb, "clear the label, set the day", `(() => { const f = document.querySelector(`+jsString(panel+" details.edit form")+`);
		f.label.value = ""; f.expiresOn.value = `+jsString(day.Format(time.DateOnly))+`; return true })()`)
	tb.step("edit the link",
		chromedp.SendKeys(chromedp.CSS(panel+" details.edit input[name=label]"), "Jane, new phone", chromedp.NodeVisible),
		chromedp.SendKeys(chromedp.CSS(panel+" details.edit input[name=pin]"), "2468", chromedp.NodeVisible))
	if eval[bool](tb, "is Never ticked", `document.querySelector(`+jsString(panel+" details.edit input[name=never]")+`).checked`) {
		tb.step("untick Never", chromedp.Click(chromedp.CSS(panel+" details.edit input[name=never]"), chromedp.NodeVisible))
	}
	tb.step("scroll to the link", chromedp.ScrollIntoView(chromedp.CSS(panel)))
	tb.shotViewport("edit-open")
	tb.axe("link edit form")
	tb.step("save", chromedp.Click(chromedp.CSS(panel+" details.edit button[type=submit]"), chromedp.NodeVisible))
	tb.waitFor("saved", `document.body.innerText.includes("Jane, new phone is saved")`, `document.body.innerText.slice(0, 400)`)
	l, err := a.Store.Link(context.Background(), a.Demo.LinkID)
	if err != nil || l.Label != "Jane, new phone" || !l.HasPIN() || l.LastDay() != day.Format(time.DateOnly) {
		t.Fatalf("after the edit: %+v, %v", l, err)
	}

	tb.step("deactivate", chromedp.Click(chromedp.CSS(panel+` form[action$="/deactivate"] button`), chromedp.NodeVisible))
	tb.waitFor("deactivated", `!!document.querySelector(`+jsString(panel+` form[action$="/reactivate"]`)+`)`, `document.body.innerText.slice(0, 400)`)
	tb.shot("deactivated")
	tb.step("reactivate", chromedp.Click(chromedp.CSS(panel+` form[action$="/reactivate"] button`), chromedp.NodeVisible))
	tb.waitFor("reactivated", `document.body.innerText.includes("works again") && !!document.querySelector(`+jsString(panel+" input.url")+`)`, `document.body.innerText.slice(0, 400)`)

	oldURL := eval[string](tb, "read the URL", `document.querySelector(`+jsString(panel+" input.url")+`).value`)
	tb.step("new address", chromedp.Click(chromedp.CSS(panel+` form[action$="/rotate"] button`), chromedp.NodeVisible))
	tb.waitFor("the new address", `document.body.innerText.includes("has a new address") && !!document.querySelector(`+jsString(panel+" input.url")+`)`, `document.body.innerText.slice(0, 400)`)
	newURL := eval[string](tb, "read the new URL", `document.querySelector(`+jsString(panel+" input.url")+`).value`)
	if newURL == oldURL || !strings.Contains(newURL, "/client-progress/") {
		t.Errorf("the URL after rotation: %q (was %q)", newURL, oldURL)
	}
	if !eval[bool](tb, "the copy button shows", `!document.querySelector(`+jsString(panel+" [data-copy]")+`).hidden`) {
		t.Error("no copy button for the new address")
	}
	tb.step("scroll to the link", chromedp.ScrollIntoView(chromedp.CSS(panel)))
	tb.shotViewport("rotated")
	tb.axe("after rotation")
	// On a phone the panel's buttons and the Edit form wrap, nothing overflows.
	tb.step("phone width", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch))
	tb.step("open Edit", chromedp.Click(chromedp.CSS(panel+" details.edit summary"), chromedp.NodeVisible))
	tb.step("scroll to the link", chromedp.ScrollIntoView(chromedp.CSS(panel)))
	tb.shotViewport("phone")
	if w := eval[float64](tb, "page width", `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("the project page is %v px wide on a 390 px phone", w)
	}
	got := dialogs()
	if len(got) != 3 || !strings.Contains(got[1], "Reactivate") || !strings.Contains(got[2], "new address") {
		t.Errorf("confirmations asked: %q", got)
	}
}

package e2e

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"atrium/internal/demo"
)

// TestAdminFlow is a designer's afternoon: sign in, create a project and a
// room, upload a rendering and approve it, send the client a link, watch it
// open, then switch it off.
func TestAdminFlow(t *testing.T) {
	t.Parallel()
	a := startApp(t)
	tb := newBrowser(t, "admin")
	tb.step("set the viewport", chromedp.EmulateViewport(1366, 900))

	// Sign in.
	tb.navigate("open /admin", a.URL+"/admin")
	tb.waitFor("anonymous /admin redirects to /login", `location.pathname === "/login"`, `location.href`)
	tb.shot("login")
	tb.axe("login")
	tb.step("sign in",
		chromedp.SendKeys(chromedp.CSS(selLoginEmail), demo.AdminEmail, chromedp.NodeVisible),
		chromedp.SendKeys(chromedp.CSS(selLoginPassword), demo.AdminPassword, chromedp.NodeVisible),
		chromedp.Click(chromedp.CSS(selLoginSubmit), chromedp.NodeVisible),
	)
	tb.waitFor("the projects list after sign-in", `location.pathname === "/admin" && document.body.innerText.includes("Hillside Residence")`,
		`location.href + " | " + document.body.innerText.slice(0, 200)`)
	tb.shot("projects")
	tb.axe("projects")

	// Create a project.
	const projectName, clientName = "Seaview Apartment", "Ada Lovelace"
	tb.step("fill in the new project form",
		chromedp.SendKeys(chromedp.CSS(selProjectName), projectName, chromedp.NodeVisible),
		chromedp.SendKeys(chromedp.CSS(selProjectClient), clientName, chromedp.NodeVisible),
		chromedp.Click(chromedp.CSS(selProjectSubmit), chromedp.NodeVisible),
	)
	tb.waitFor("the new project's page", `location.pathname.startsWith("/admin/projects/") && document.querySelector("h1")?.innerText.includes(`+jsString(projectName)+`)`,
		`location.href + " | " + document.body.innerText.slice(0, 200)`)

	// Add a room.
	tb.step("add a room",
		chromedp.SendKeys(chromedp.CSS(selRoomName), "Kitchen", chromedp.NodeVisible),
		chromedp.Click(chromedp.CSS(selRoomSubmit), chromedp.NodeVisible),
	)
	tb.waitFor("the room and its five phases", `(() => { const r = document.querySelector("#rooms");
		return r && r.innerText.includes("Kitchen") && r.innerText.includes("Design Concept") && r.innerText.includes("FF&E") })()`,
		`document.querySelector("#rooms")?.innerText.slice(0, 300)`)
	tb.shot("room")

	// Upload a rendering, throttled so that the progress bar has something to show.
	const title = "Kitchen, morning light"
	img := writeJPEG(t, 1800, 1200)
	tb.throttleUploads(a.URL+"/*", 1<<20)
	eval[bool](tb, "watch the progress bar", `(() => {
		sessionStorage.setItem("e2eProgress", "[]");
		const seen = new Set();
		setInterval(() => {
			const p = document.querySelector(`+jsString(selUploadProgress)+`);
			if (!p || p.closest("[hidden]")) return;
			const v = Math.round(100 * p.value / (p.max || 100));
			if (!seen.has(v)) { seen.add(v); sessionStorage.setItem("e2eProgress", JSON.stringify([...seen])); }
		}, 10);
		return true;
	})()`)
	tb.step("choose the file", chromedp.SetUploadFiles(chromedp.CSS(selUploadFile), []string{img}, chromedp.NodeReady))
	// Its title defaults to the file name, cleaned up; replace it.
	tb.waitFor("the file's title", `document.querySelector(`+jsString(selUploadTitle)+`)?.value === "Kitchen morning"`,
		`document.querySelector(`+jsString(selUploadTitle)+`)?.value`)
	eval[bool](tb, "clear the title", `(document.querySelector(`+jsString(selUploadTitle)+`).value = "", true)`)
	tb.step("title it and upload",
		chromedp.SendKeys(chromedp.CSS(selUploadTitle), title, chromedp.NodeVisible),
		chromedp.Click(chromedp.CSS(selUploadSubmit), chromedp.NodeVisible),
	)
	if tb.expect("the progress bar moves", `(() => { const p = document.querySelector(`+jsString(selUploadProgress)+`);
		return p && !p.closest("[hidden]") && p.value > 0 })()`, "", 10*time.Second) {
		tb.shotViewport("upload-progress")
	}
	rendering := `[...document.querySelectorAll(` + jsString(selRenderingItem) + `)].find(li => li.querySelector("h3")?.innerText.trim() === ` + jsString(title) + `)`
	tb.waitForWithin("the uploaded rendering is listed", rendering, `location.href`, 30*time.Second)
	tb.throttleUploads("", -1)
	var progress []int
	if raw := eval[string](tb, "read the progress values", `sessionStorage.getItem("e2eProgress") || "[]"`); raw != "" {
		progress = parseInts(raw)
	}
	if !slices.Contains(progress, 100) {
		t.Errorf("admin: the upload progress bar never reached 100%%; it showed %v", progress)
	}
	t.Logf("upload progress values seen: %v", progress)
	tb.mark("the uploaded rendering", "uploaded", rendering)
	tb.step("scroll to the rendering", chromedp.ScrollIntoView(chromedp.CSS(`[data-e2e="uploaded"]`)))
	tb.shotViewport("uploaded")

	// Approve it.
	tb.mark("the rendering's Approve button", "approve", `(`+rendering+`)?.querySelector(`+jsString(selApprove)+`)`)
	tb.step("approve the rendering", chromedp.Click(chromedp.CSS(`[data-e2e="approve"]`), chromedp.NodeVisible))
	tb.waitFor("the rendering shows as approved", `(() => { const li = `+rendering+`; return li && !li.querySelector(`+jsString(selApprove)+`) && /approved/i.test(li.innerText) })()`,
		`(`+rendering+`)?.innerText`)
	tb.shotViewport("approved")

	// Generate a client link and copy it.
	const label = "Ada, main contact"
	tb.step("generate a client link",
		chromedp.SendKeys(chromedp.CSS(selLinkLabel), label, chromedp.NodeVisible),
		chromedp.Click(chromedp.CSS(selLinkSubmit), chromedp.NodeVisible),
	)
	link := `[...document.querySelectorAll(` + jsString(selLinkItem) + `)].find(li => li.innerText.includes(` + jsString(label) + `))`
	tb.waitFor("the new link is listed with its URL", `(`+link+`)?.querySelector(`+jsString(selLinkURL)+`)`,
		`document.querySelector("#access")?.innerText.slice(0, 400)`)
	clientURL := eval[string](tb, "read the link URL", `(`+link+`).querySelector(`+jsString(selLinkURL)+`).value`)
	linkID := strings.TrimPrefix(eval[string](tb, "read the link id", `(`+link+`).id`), "link-")
	if !strings.HasPrefix(clientURL, a.URL+"/client-progress/") {
		t.Errorf("admin: the link URL %q does not start with the server's base URL %s", clientURL, a.URL)
	}
	tb.grantClipboard(a.URL)
	tb.mark("the link's Copy button", "copy", `(`+link+`).querySelector(`+jsString(selLinkCopy)+`)`)
	tb.step("click Copy", chromedp.ScrollIntoView(chromedp.CSS(`[data-e2e="copy"]`)), chromedp.Click(chromedp.CSS(`[data-e2e="copy"]`), chromedp.NodeVisible))
	tb.waitFor("the Copy button reports Copied", `/copied/i.test((`+link+`).innerText)`, `(`+link+`).innerText`)
	// The permissions are granted, so the read-back must work: a "Copied"
	// status alone would pass with a clipboard that holds something else.
	if got, err := evalIn[string](tb.ctx, `navigator.clipboard.readText()`); err != nil {
		t.Errorf("admin: could not read the clipboard back after Copy: %v", err)
	} else if got != clientURL {
		t.Errorf("admin: the clipboard holds %q, want the link %q shown in the panel", got, clientURL)
	}
	tb.shotViewport("link-copied")
	tb.axe("project")
	tb.shot("project")

	// Open it as the client, in a second tab.
	ct := tb.newTab("admin-as-client")
	ct.step("set the viewport", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateScale(2)))
	if got := ct.navigate("open the new client link", clientURL); got != 200 {
		ct.fail("open the new client link", fmt.Errorf("status %d, want 200", got))
	}
	ct.waitFor("the client sees the project and the approved rendering",
		`document.body.innerText.includes(`+jsString(projectName)+`) && document.body.innerText.includes(`+jsString(title)+`)`,
		`document.body.innerText.slice(0, 300)`)
	ct.shot("page")
	// A new project is at 0%: the ring's label still goes under the number,
	// as it does at two digits, not beside it.
	type ring struct{ NumBottom, LabelTop, NumLeft, RingLeft float64 }
	if r := eval[ring](ct, "measure the progress ring", `(() => {
		const n = document.querySelector(".ring__num").getBoundingClientRect(), l = document.querySelector(".ring__label").getBoundingClientRect();
		return {NumBottom: n.bottom, LabelTop: l.top, NumLeft: n.left, RingLeft: document.querySelector(".ring").getBoundingClientRect().left};
	})()`); r.LabelTop < r.NumBottom-1 {
		t.Errorf("admin-as-client: at 0%% the ring's label sits beside the number, not under it (number bottom %.0f, label top %.0f; number %.0f px from the ring's left edge)",
			r.NumBottom, r.LabelTop, r.NumLeft-r.RingLeft)
	}

	// The server's own confirmation page, which a browser without the
	// script gets: submit the form as it is, bypassing admin.js's confirm().
	tb.mark("the link's deactivate form", "deactivate-form", `(`+link+`).querySelector('form[action$="/deactivate"]')`)
	eval[bool](tb, "submit the deactivate form without the script", `(document.querySelector('[data-e2e="deactivate-form"]').submit(), true)`)
	tb.waitFor("the server asks to confirm on a page of its own", `location.pathname.endsWith("/deactivate") && !!document.querySelector(`+jsString(selConfirmSubmit)+`)`,
		`location.href + " | " + document.body.innerText.slice(0, 200)`)
	if text := eval[string](tb, "read the confirmation page", `document.querySelector("main")?.innerText || document.body.innerText`); !strings.Contains(text, "Deactivate this link?") || !strings.Contains(text, label) {
		t.Errorf("admin: the confirmation page does not ask about the link %q: %q", label, text)
	}
	tb.shot("deactivate-confirm")
	tb.axe("deactivate-confirm")
	tb.step("cancel", chromedp.Click(chromedp.CSS(`form:has(input[name="confirmed"]) a[href^="/admin/projects/"]`), chromedp.NodeVisible))
	tb.waitFor("Cancel goes back to the project with the link still active", `location.pathname.startsWith("/admin/projects/") && /active/i.test(document.getElementById("link-`+linkID+`")?.innerText || "") && !/deactivated/i.test(document.getElementById("link-`+linkID+`")?.innerText || "")`,
		`location.href + " | " + document.getElementById("link-`+linkID+`")?.innerText`)
	if resp, err := httpClient.Head(clientURL); err != nil {
		t.Errorf("admin: HEAD the client link after Cancel: %v", err)
	} else if resp.Body.Close(); resp.StatusCode != 200 {
		t.Errorf("admin: after Cancel on the confirmation page the link answers %d, want 200", resp.StatusCode)
	}

	// Deactivate it, accepting the confirmation.
	dialogs := tb.acceptDialogs()
	tb.mark("the link's Deactivate button", "deactivate", `(`+link+`).querySelector(`+jsString(selLinkDeactivate)+`)`)
	tb.step("click Deactivate", chromedp.ScrollIntoView(chromedp.CSS(`[data-e2e="deactivate"]`)), chromedp.Click(chromedp.CSS(`[data-e2e="deactivate"]`), chromedp.NodeVisible))
	deactivated := `/deactivated/i.test(document.getElementById("link-` + linkID + `")?.innerText || "")`
	confirmPage := `!!document.querySelector(` + jsString(selConfirmSubmit) + `)`
	tb.waitFor("a confirmation, then the link shows as deactivated", deactivated+` || `+confirmPage, `location.href`)
	if eval[bool](tb, "look for the confirmation page", confirmPage) {
		// Without the script's confirm(), the server asks on a page of its own.
		t.Logf("admin: deactivation was confirmed on the server's page, not with a dialog")
		tb.shot("deactivate-confirm")
		tb.step("confirm on the page", chromedp.Click(chromedp.CSS(selConfirmSubmit), chromedp.NodeVisible))
	} else if len(dialogs()) == 0 {
		t.Errorf("admin: the link was deactivated without any confirmation")
	} else {
		t.Logf("admin: confirmation dialog said %q", dialogs()[0])
	}
	tb.waitFor("the link shows as deactivated", deactivated, `document.getElementById("link-`+linkID+`")?.innerText`)
	tb.step("scroll to the link", chromedp.ScrollIntoView(chromedp.CSS("#link-"+linkID)))
	tb.shotViewport("link-deactivated")

	// The client page still open learns that its link is gone (SSE "gone"):
	// a banner (not the update toast) says so, with the studio's contact,
	// and the downloads, which would now fail, are gone too.
	gone := jsVisible + `(` + jsString(selGone) + `)`
	if ct.expect("the open client page says the link stopped working", gone,
		`[...document.querySelectorAll("[role=alert], [role=status]")].map(e => e.outerHTML.slice(0, 200))`, 5*time.Second) {
		text := eval[string](ct, "read the gone banner", `(`+gone+`).innerText`)
		if !strings.Contains(text, goneText) {
			t.Errorf("admin-as-client: the gone banner says %q, want %q", text, goneText)
		}
		if !strings.Contains(text, "hello@maisonlumiere.example") {
			t.Errorf("admin-as-client: the gone banner does not say how to reach the studio: %q", text)
		}
		if n := eval[int](ct, "count visible download links", `[...document.querySelectorAll(`+jsString(selDownload)+`)].filter(a => a.getClientRects().length > 0).length`); n != 0 {
			t.Errorf("admin-as-client: %d download links still shown after the link stopped working", n)
		}
	}
	ct.shot("after-deactivation")
	ct.axe("after-deactivation")

	// Reopening the link shows the 410 page with the studio's contact.
	if got := ct.navigate("reopen the deactivated link", clientURL); got != 410 {
		t.Errorf("admin: reopening a deactivated link: status %d, want 410", got)
	}
	ct.waitFor("the 410 page names the studio's contact", `document.body.innerText.includes("hello@maisonlumiere.example")`, `document.body.innerText.slice(0, 300)`)
	ct.shot("410")
	ct.axe("410")

	// The link's access log lists the client's visit and the refusal after.
	tb.navigate("open the link's access log", a.URL+"/admin/links/"+linkID)
	tb.waitFor("the access log of the link", `document.querySelector("h1")?.innerText.includes(`+jsString(label)+`) && !!document.querySelector("table.log")`,
		`location.href + " | " + document.body.innerText.slice(0, 300)`)
	if text := eval[string](tb, "read the access log", `document.querySelector("table.log").innerText`); !strings.Contains(text, "Opened the page") || !strings.Contains(text, "Refused") {
		t.Errorf("admin: the access log lacks the client's visit or the refused reopening: %q", text)
	}
	tb.shot("access-log")
	tb.axe("access-log")

	// The admin's other pages.
	for _, pg := range []struct{ path, h1 string }{{"/admin/settings", "Studio settings"}, {"/admin/users", "Staff accounts"}, {"/admin/password", "Change your password"}} {
		if got := tb.navigate("open "+pg.path, a.URL+pg.path); got != 200 {
			t.Errorf("admin: GET %s: status %d, want 200", pg.path, got)
		}
		tb.waitFor(pg.path+" shows its heading", `document.querySelector("h1")?.innerText.includes(`+jsString(pg.h1)+`)`, `document.body.innerText.slice(0, 200)`)
		tb.shot(slug(pg.h1))
		tb.axe(slug(pg.h1))
	}
}

// mark finds an element with a JavaScript expression and tags it
// data-e2e=name, so that a real mouse click can target it by CSS.
func (tb *tab) mark(what, name, expr string) {
	tb.t.Helper()
	// Looked for again for a few seconds: the page may still be settling
	// (a navigation just ended, a panel being redrawn) on a loaded machine.
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if eval[bool](tb, "find "+what, `(() => { const e = `+expr+`; if (!e) return false;
		document.querySelectorAll('[data-e2e=`+jsString(name)+`]').forEach(x => x.removeAttribute("data-e2e"));
		e.setAttribute("data-e2e", `+jsString(name)+`); return true })()`) {
			return
		}
		if time.Now().After(deadline) {
			tb.fail("find "+what, fmt.Errorf("not on the page"))
			return
		}
	}
}

// throttleUploads limits upload speed (bytes/s) to URLs matching pattern;
// an empty pattern and -1 lift it.
func (tb *tab) throttleUploads(pattern string, bytesPerSec float64) {
	tb.t.Helper()
	tb.step("throttle uploads", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if _, err := cdp.Call(ctx, t, network.Enable, network.EnableParams{}); err != nil {
			return err
		}
		var conds []*network.Conditions
		if pattern != "" {
			conds = append(conds, &network.Conditions{URLPattern: pattern, DownloadThroughput: -1, UploadThroughput: bytesPerSec})
		}
		_, err := cdp.Call(ctx, t, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{MatchedNetworkConditions: conds})
		return err
	}))
}

// grantClipboard lets the page write and read the clipboard without asking,
// and keeps the page focused (the clipboard API refuses an unfocused
// document). A grant that fails stops the test: the read-back depends on it.
func (tb *tab) grantClipboard(origin string) {
	tb.t.Helper()
	for _, name := range []string{"clipboard-read", "clipboard-write"} {
		ctx, cancel := context.WithTimeout(tb.ctx, waitTimeout)
		_, err := chromedp.CallBrowser(ctx, browser.SetPermission, browser.SetPermissionParams{
			Permission: &browser.PermissionDescriptor{Name: name, AllowWithoutSanitization: name == "clipboard-write"},
			Setting:    browser.PermissionSettingGranted,
			Origin:     origin,
		})
		cancel()
		if err != nil {
			tb.fail("grant the "+name+" permission", err)
		}
	}
	tb.step("emulate a focused page", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true})
		return err
	}))
}

// writeJPEG writes a photo-like JPEG (gradients and grain, about 1 MB).
func writeJPEG(t *testing.T, w, h int) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	r := rand.New(rand.NewPCG(1, 2))
	for y := range h {
		for x := range w {
			n := uint8(r.IntN(24))
			img.SetRGBA(x, y, color.RGBA{uint8(180+x*60/w) + n/2, uint8(150 + y*70/h), uint8(120+(x+y)*40/(w+h)) + n, 255})
		}
	}
	name := filepath.Join(t.TempDir(), "kitchen-morning.jpg")
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := jpeg.Encode(f, img, &jpeg.Options{Quality: 92}); err != nil {
		t.Fatal(err)
	}
	return name
}

func parseInts(s string) []int {
	var out []int
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == '[' || r == ']' || r == ',' }) {
		var n int
		if _, err := fmt.Sscan(f, &n); err == nil {
			out = append(out, n)
		}
	}
	return out
}

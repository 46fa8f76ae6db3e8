package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"atrium/internal/demo"
	"atrium/internal/studio"

	"github.com/chromedp/chromedp"
)

// TestClientFeedback: on a phone and on a laptop, the client approves one
// rendering and asks for changes on another, each with a comment; both
// show on the tiles and in the thread without a reload; the studio's reply
// arrives live, signed with the studio's name; axe finds nothing serious.
func TestClientFeedback(t *testing.T) {
	sizes := []struct {
		w, h   int64
		mobile bool
	}{{390, 844, true}, {1366, 900, false}}
	for _, sz := range sizes {
		t.Run(fmt.Sprintf("%dx%d", sz.w, sz.h), func(t *testing.T) {
			t.Parallel()
			a := startApp(t)
			tb := newBrowser(t, fmt.Sprintf("feedback-%dx%d", sz.w, sz.h))
			var opts []chromedp.EmulateViewportOption
			if sz.mobile {
				opts = append(opts, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulateScale(2))
			}
			tb.step("set the viewport", chromedp.EmulateViewport(sz.w, sz.h, opts...))
			if got := tb.navigate("open the client link", a.ClientURL()); got != 200 {
				tb.fail("open the client link", fmt.Errorf("status %d", got))
			}
			a.Live.waitWatchers(t, 1, waitTimeout)
			tb.waitFor("each rendering offers Approve", `document.querySelectorAll(".tile [data-dec=approved]").length === document.querySelectorAll(".tile").length`,
				`document.querySelectorAll(".tile [data-dec]").length`)

			// Approve the first rendering, with a comment.
			tb.step("click Approve", chromedp.ScrollIntoView(chromedp.CSS(`.tile:nth-child(1) [data-dec=approved]`)),
				chromedp.Click(chromedp.CSS(`.tile:nth-child(1) [data-dec=approved]`), chromedp.NodeVisible))
			tb.waitFor("the comment box opens", `!!document.querySelector(".tile:nth-child(1) .tile__form textarea")`, `document.querySelector(".tile:nth-child(1)").innerHTML`)
			tb.step("type a comment", chromedp.SendKeys(chromedp.CSS(`.tile:nth-child(1) .tile__form textarea`), "Love the oak.", chromedp.NodeVisible))
			tb.shot("approve-open")
			tb.step("send the approval", chromedp.Click(chromedp.CSS(`.tile:nth-child(1) .tile__form button:not([type])`), chromedp.NodeVisible))
			tb.waitFor("the tile shows the approval", `(document.querySelector(".tile:nth-child(1) .tags") || {}).textContent === "Approved"`,
				`document.querySelector(".tile:nth-child(1) .tile__body").innerText`)
			tb.waitFor("the thread shows the comment", `document.querySelector(".thread").innerText.includes("Love the oak.")`, `document.querySelector(".thread").innerText`)

			// Ask for changes on the second.
			tb.step("click Request changes", chromedp.ScrollIntoView(chromedp.CSS(`.tile:nth-child(2) [data-dec=changes_requested]`)),
				chromedp.Click(chromedp.CSS(`.tile:nth-child(2) [data-dec=changes_requested]`), chromedp.NodeVisible))
			tb.step("type a comment", chromedp.SendKeys(chromedp.CSS(`.tile:nth-child(2) .tile__form textarea`), "Could the rug be lighter?", chromedp.NodeVisible))
			tb.step("send the request", chromedp.Click(chromedp.CSS(`.tile:nth-child(2) .tile__form button:not([type])`), chromedp.NodeVisible))
			tb.waitFor("the tile shows the request", `(document.querySelector(".tile:nth-child(2) .tags") || {}).textContent === "Changes requested"`,
				`document.querySelector(".tile:nth-child(2) .tile__body").innerText`)
			tb.shot("decisions")

			// The studio answers; the page shows it at once.
			ctx := context.Background()
			reply := &studio.Feedback{Message: "Of course: a lighter rug is on its way."}
			if err := a.Store.AddStudioReply(ctx, a.Demo.ProjectID, reply); err != nil {
				t.Fatal(err)
			}
			a.Live.Publish(ctx, a.Demo.ProjectID)
			tb.waitFor("the reply arrives live", `[...document.querySelectorAll(".msg--studio")].some(m => m.innerText.includes("lighter rug is on its way"))`,
				`document.querySelector(".thread").innerText`)
			name := eval[string](tb, "read the reply's signature", `document.querySelector(".msg--studio b").textContent`)
			if st, err := a.Store.Settings(ctx); err != nil || name != st.Name {
				t.Errorf("the reply is signed %q, want the studio's name", name)
			}
			tb.step("scroll to the thread", chromedp.ScrollIntoView(chromedp.CSS(`#feedback`)))
			tb.shotViewport("thread")
			tb.axe("after feedback")

			items, err := a.Store.ProjectFeedback(ctx, a.Demo.ProjectID)
			if err != nil || len(items) != 3 || items[0].Decision != studio.DecisionApproved || items[1].Decision != studio.DecisionChangesRequested {
				t.Errorf("stored thread: %+v, %v", items, err)
			}
		})
	}
}

// TestClientFeedbackWithoutJS: the plain form answers a rendering and
// comes back to the page with a confirmation.
func TestClientFeedbackWithoutJS(t *testing.T) {
	t.Parallel()
	a := startApp(t)
	tb := newBrowser(t, "feedback-nojs")
	tb.step("set the viewport", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateScale(2)))
	tb.scripts(false)
	tb.navigate("open the client link", a.ClientURL())
	tb.step("follow the link to answer a rendering", chromedp.Click(chromedp.CSS(`a[href="?respond=1#feedback"]`), chromedp.NodeVisible))
	tb.waitFor("the full form", `!!document.querySelector("#fb-r")`, `location.href`)
	tb.step("choose a rendering", chromedp.SetValue(chromedp.CSS(`#fb-r`), eval[string](tb, "the second rendering", `document.querySelectorAll("#fb-r option")[2].value`)))
	tb.step("ask for changes", chromedp.Click(chromedp.CSS(`input[value=changes_requested]`), chromedp.NodeVisible))
	tb.step("type a message", chromedp.SendKeys(chromedp.CSS(`#fb-m`), "Warmer light, please.", chromedp.NodeVisible),
		chromedp.SendKeys(chromedp.CSS(`#fb-n`), "Jane", chromedp.NodeVisible))
	tb.shot("form")
	tb.step("send", chromedp.Click(chromedp.CSS(`.fb .button`), chromedp.NodeVisible))
	tb.waitFor("the page confirms", `document.body.innerText.includes("Your message is with the studio")`, `location.href`)
	text := eval[string](tb, "read the page", `document.body.innerText`)
	for _, want := range []string{"Warmer light, please.", "Changes requested", "Jane"} {
		if !strings.Contains(text, want) {
			t.Errorf("after the form the page lacks %q", want)
		}
	}
	tb.shot("sent")
}

// TestAdminSeesFeedback: the studio's project page after a client's
// approval and request for changes: the thread with each link, the line on
// the rendering cards, the reply form; axe finds nothing serious.
func TestAdminSeesFeedback(t *testing.T) {
	t.Parallel()
	a := startApp(t)
	ctx := context.Background()
	l, err := a.Store.Link(ctx, a.Demo.LinkID)
	if err != nil {
		t.Fatal(err)
	}
	p, err := a.Store.ProjectForClient(ctx, a.Demo.ProjectID)
	if err != nil || len(p.Renderings) < 2 {
		t.Fatalf("demo renderings: %v", err)
	}
	for i, f := range []*studio.Feedback{
		{RenderingID: p.Renderings[0].ID, Decision: studio.DecisionApproved, Name: "Jane", Message: "Perfect."},
		{RenderingID: p.Renderings[1].ID, Decision: studio.DecisionChangesRequested, Name: "Tom", Message: "Could the sofa be green?"},
	} {
		if err := a.Store.AddClientFeedback(ctx, l, f, studio.AccessEvent{IP: "192.0.2.1"}); err != nil {
			t.Fatalf("feedback %d: %v", i, err)
		}
	}
	tb := newBrowser(t, "admin-feedback")
	tb.step("set the viewport", chromedp.EmulateViewport(1366, 900))
	tb.navigate("open /login", a.URL+"/login")
	tb.step("sign in",
		chromedp.SendKeys(chromedp.CSS(selLoginEmail), demo.AdminEmail, chromedp.NodeVisible),
		chromedp.SendKeys(chromedp.CSS(selLoginPassword), demo.AdminPassword, chromedp.NodeVisible),
		chromedp.Click(chromedp.CSS(selLoginSubmit), chromedp.NodeVisible))
	tb.waitFor("signed in", `location.pathname === "/admin"`, `location.href`)
	tb.navigate("open the project", a.URL+"/admin/projects/"+a.Demo.ProjectID)
	text := eval[string](tb, "read the page", `document.body.innerText`)
	for _, want := range []string{"Client feedback (2 open)", "Changes requested by Tom", "Could the sofa be green?", "Mark resolved", "Reply to the client"} {
		if !strings.Contains(text, want) {
			t.Errorf("the project page lacks %q", want)
		}
	}
	tb.step("scroll to the feedback", chromedp.ScrollIntoView(chromedp.CSS(`#feedback`)))
	tb.shotViewport("feedback")
	tb.axe("project page with feedback")
}

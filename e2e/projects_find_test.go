package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"atrium/internal/demo"
	"atrium/internal/studio"
)

// TestProjectListFind is a studio with 60 projects finding one: search
// ignoring accents, sort, the archived filter and the pages, all in the
// URL, at desktop and phone widths; then archiving a project from its page
// and seeing it in the trail.
func TestProjectListFind(t *testing.T) {
	t.Parallel()
	a := startApp(t)
	ctx := context.Background()
	for i := range 60 {
		p := &studio.Project{Name: fmt.Sprintf("Villa %02d", i), ClientName: "Client " + fmt.Sprint(i), TargetDate: fmt.Sprintf("2027-%02d-10", i%12+1)}
		if i == 42 {
			p.Name, p.ClientName = "Maison Élodie", "Jürgen Müller"
		}
		if err := a.Store.CreateProject(ctx, p); err != nil {
			t.Fatal(err)
		}
		if i%20 == 3 {
			p.Archived = true
			if err := a.Store.UpdateProject(ctx, p, ""); err != nil {
				t.Fatal(err)
			}
		}
	}
	tb := newBrowser(t, "find")
	tb.step("set the viewport", chromedp.EmulateViewport(1366, 900))
	tb.navigate("open /login", a.URL+"/login")
	tb.step("sign in",
		chromedp.SendKeys(chromedp.CSS(selLoginEmail), demo.AdminEmail, chromedp.NodeVisible),
		chromedp.SendKeys(chromedp.CSS(selLoginPassword), demo.AdminPassword, chromedp.NodeVisible),
		chromedp.Click(chromedp.CSS(selLoginSubmit), chromedp.NodeVisible),
	)
	tb.waitFor("the projects list", `location.pathname === "/admin" && !!document.querySelector("form.find")`, `location.href`)
	tb.waitFor("a page of 50 and the pages", `document.querySelectorAll(".project-row").length === 50 && !!document.querySelector(".pager a[rel=next]")`,
		`document.querySelectorAll(".project-row").length + " rows | " + document.querySelector("#list-summary")?.innerText`)
	tb.shot("list-1366")
	tb.axe("list-1366")

	// Search without the accent, upper case, sorted by name, every status.
	tb.step("search", chromedp.SendKeys(chromedp.CSS(`form.find input[name="q"]`), "ELODIE", chromedp.NodeVisible),
		chromedp.SetValue(chromedp.CSS(`form.find select[name="sort"]`), "name", chromedp.NodeVisible),
		chromedp.SetValue(chromedp.CSS(`form.find select[name="status"]`), "all", chromedp.NodeVisible),
		chromedp.Click(chromedp.CSS(`form.find button[type="submit"]`), chromedp.NodeVisible))
	tb.waitFor("one match, and the state in the URL", `location.search.includes("q=ELODIE") && location.search.includes("sort=name") &&
		location.search.includes("status=all") && document.querySelectorAll(".project-row").length === 1 &&
		document.querySelector(".project-row").innerText.includes("Maison Élodie")`, `location.search + " | " + document.querySelector("main")?.innerText.slice(0, 300)`)
	tb.shot("search-1366")
	tb.axe("search-1366")

	// Archived projects only, then a bookmarked page 2 of the whole list.
	tb.navigate("open the archived", a.URL+"/admin?status=archived")
	tb.waitFor("three archived projects with their badge", `document.querySelectorAll(".project-row").length === 3 &&
		document.querySelectorAll(".project-row .badge-archived").length === 3`, `document.querySelector("main")?.innerText.slice(0, 300)`)
	tb.navigate("open page 2", a.URL+"/admin?sort=name&page=2")
	tb.waitFor("page 2 is current", `document.querySelector(".pager [aria-current=page]")?.innerText === "2" && !!document.querySelector(".pager a[rel=prev]")`,
		`document.querySelector(".pager")?.innerText`)

	// At phone width: the form and the pages fit, nothing overflows.
	tb.step("phone viewport", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile))
	tb.navigate("open the list on a phone", a.URL+"/admin?q=villa&sort=target")
	tb.waitFor("the list on a phone", `document.querySelectorAll(".project-row").length === 50`, `document.querySelector("#list-summary")?.innerText`)
	checkNoOverflow(tb, 390)
	tb.shot("list-390")
	tb.axe("list-390")

	// Archive a project from its page, accepting the confirmation.
	id := a.Demo.ProjectID
	tb.navigate("open a project", a.URL+"/admin/projects/"+id)
	dialogs := tb.acceptDialogs()
	tb.step("archive it", chromedp.ScrollIntoView(chromedp.CSS(`.archive-control button`)), chromedp.Click(chromedp.CSS(`.archive-control button`), chromedp.NodeVisible))
	tb.waitFor("the Archived badge and the entry in the trail", `!!document.querySelector("h1 .badge-archived") &&
		document.querySelector("#activity")?.innerText.includes("Project archived")`, `location.href + " | " + document.querySelector("main")?.innerText.slice(0, 300)`)
	if d := dialogs(); len(d) != 1 || !strings.HasPrefix(d[0], "Archive ") {
		t.Errorf("dialogs = %q, want one asking to archive", d)
	}
	checkNoOverflow(tb, 390)
	tb.shot("archived-390")
	tb.axe("archived-390")
	tb.step("desktop viewport", chromedp.EmulateViewport(1366, 900))
	tb.navigate("open its activity", a.URL+"/admin/projects/"+id+"/activity")
	tb.waitFor("the trail's page", `document.querySelectorAll(".activity li").length > 0`, `document.querySelector("main")?.innerText.slice(0, 300)`)
	tb.shot("activity-1366")
	tb.axe("activity-1366")
	tb.checkConsole()
}

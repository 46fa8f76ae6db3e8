package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"atrium/internal/demo"
)

// TestHideReorderDelete is a studio tidying a project while the client
// watches: a room added hidden and shown, a rendering moved first, a
// rendering and a room deleted after a confirmation, and the project
// deleted once its name is typed. The open client page follows each step
// live. Screenshots at 1366 and 390 px; axe on each state.
func TestHideReorderDelete(t *testing.T) {
	t.Parallel()
	a := startApp(t)
	tb := newBrowser(t, "manage")
	tb.step("set the viewport", chromedp.EmulateViewport(1366, 900))
	tb.navigate("open /login", a.URL+"/login")
	tb.step("sign in",
		chromedp.SendKeys(chromedp.CSS(selLoginEmail), demo.AdminEmail, chromedp.NodeVisible),
		chromedp.SendKeys(chromedp.CSS(selLoginPassword), demo.AdminPassword, chromedp.NodeVisible),
		chromedp.Click(chromedp.CSS(selLoginSubmit), chromedp.NodeVisible),
	)
	tb.waitFor("signed in", `location.pathname === "/admin"`, `location.href`)
	projectURL := a.URL + "/admin/projects/" + a.Demo.ProjectID
	tb.navigate("open the project", projectURL)

	ct := tb.newTab("manage-client")
	ct.step("client viewport", chromedp.EmulateViewport(390, 844))
	if got := ct.navigate("open the client page", a.ClientURL()); got != 200 {
		t.Fatalf("client page: %d", got)
	}
	a.Live.waitWatchers(t, 1, waitTimeout)
	clientHas := func(s string) string { return `document.querySelector("main").innerText.includes(` + jsString(s) + `)` }

	// A room added hidden: a badge for staff, nothing for the client.
	const cellar = "Wine cellar"
	tb.step("add a hidden room",
		chromedp.SendKeys(chromedp.CSS(selRoomName), cellar, chromedp.NodeVisible),
		chromedp.Click(chromedp.CSS(selRoomHidden), chromedp.NodeVisible),
		chromedp.Click(chromedp.CSS(selRoomSubmit), chromedp.NodeVisible),
	)
	room := `[...document.querySelectorAll("article.room")].find(r => r.querySelector("h3")?.innerText.trim() === ` + jsString(cellar) + `)`
	tb.waitFor("the hidden room with its badge", `(`+room+`)?.innerText.includes("Hidden from the client")`, `document.querySelector("#rooms")?.innerText.slice(0, 400)`)
	tb.mark("the hidden room", "cellar", room)
	tb.scrollTo("scroll to it", `[data-e2e="cellar"]`)
	tb.shotViewport("hidden-room")
	tb.axe("hidden-room")
	time.Sleep(300 * time.Millisecond) // a live update, if one were sent, has arrived
	if eval[bool](ct, "look for the hidden room", clientHas(cellar)) {
		t.Errorf("the client page shows the hidden room")
	}

	// Work done in the hidden room: staff see both figures.
	api := loginAPI(t, a)
	var detail struct {
		Rooms []struct {
			Name   string `json:"name"`
			Phases []struct {
				ID string `json:"id"`
			} `json:"phases"`
		} `json:"rooms"`
	}
	api.do("GET", "/api/projects/"+a.Demo.ProjectID, nil, 200, &detail)
	for _, r := range detail.Rooms {
		if r.Name == cellar {
			for _, ph := range r.Phases[:3] {
				api.do("PATCH", "/api/phases/"+ph.ID, map[string]string{"status": "completed"}, 200, nil)
			}
		}
	}
	tb.navigate("reload the project", projectURL)
	tb.waitFor("both figures", `/\d+% for the client, \d+% overall/.test(document.querySelector("[data-testid=progress-both]")?.innerText || "")`,
		`document.querySelector(".overall")?.innerText`)
	tb.shotViewport("both-figures")

	// A phase of the hidden room saved in place (no reload): the overall
	// figure moves, the client's does not.
	figures := `document.querySelector("[data-testid=progress-both]").innerText`
	was := eval[string](tb, "the figures", figures)
	eval[bool](tb, "complete the hidden room's fourth phase in place", `(() => {
		const sel = (`+room+`).querySelectorAll("fieldset[data-phase] select[name$='.status']")[3];
		sel.value = "completed";
		sel.dispatchEvent(new Event("change", {bubbles: true}));
		return true;
	})()`)
	tb.waitFor("the overall figure moves without a reload", figures+` !== `+jsString(was)+` && /^(\d+)% for the client/.exec(`+figures+`)[1] === /^(\d+)%/.exec(`+jsString(was)+`)[1]`, figures)
	if eval[bool](ct, "look for the hidden room", clientHas(cellar)) {
		t.Errorf("the client page shows the hidden room after work on it")
	}

	// Shown: the client page gets it live; hidden again: it goes.
	tb.mark("its Show button", "show", `(`+room+`)?.querySelector(`+jsString(selRoomVisibility)+`)`)
	tb.step("show it to the client", chromedp.Click(chromedp.CSS(`[data-e2e="show"]`), chromedp.NodeVisible))
	ct.waitFor("the shown room appears on the client page", clientHas(cellar), `document.querySelector("main").innerText.slice(0, 300)`)
	tb.waitFor("the page offers to hide it", `(`+room+`)?.innerText.includes("Hide from the client")`, `(`+room+`)?.innerText`)
	tb.mark("its Hide button", "hide", `(`+room+`)?.querySelector(`+jsString(selRoomVisibility)+`)`)
	tb.step("hide it again", chromedp.Click(chromedp.CSS(`[data-e2e="hide"]`), chromedp.NodeVisible))
	ct.waitFor("the hidden room leaves the client page", `!`+clientHas(cellar), `document.querySelector("main").innerText.slice(0, 300)`)

	// Reorder: the client's second rendering moved up until it is first.
	before := clientRenderings(t, a)
	if len(before) < 2 {
		t.Fatalf("the demo has %d approved renderings", len(before))
	}
	target := before[1]
	rendering := `document.getElementById("rendering-` + target.ID + `")`
	for i := 0; i < 30 && clientRenderings(t, a)[0].ID != target.ID; i++ {
		tb.waitFor("the rendering's Up button", `!!(`+rendering+`)?.querySelector(`+jsString(selMoveUp)+`)`, `location.href`)
		tb.mark("its Up button", "up", `(`+rendering+`)?.querySelector(`+jsString(selMoveUp)+`)`)
		tb.step("move it up", chromedp.Click(chromedp.CSS(`[data-e2e="up"]`), chromedp.NodeVisible))
		tb.waitFor("moved", `document.body.innerText.includes("moved up.")`, `document.body.innerText.slice(0, 200)`)
	}
	if got := clientRenderings(t, a)[0]; got.ID != target.ID {
		t.Fatalf("after moving up, the client's first rendering is %q, want %q", got.Title, target.Title)
	}
	ct.waitFor("the client page shows it first", `document.querySelector(`+jsString(selThumb)+`)?.closest("li, figure, article")?.innerText.includes(`+jsString(target.Title)+`)`,
		`document.querySelector(`+jsString(selThumb)+`)?.closest("li, figure, article")?.innerText`)
	tb.scrollTo("scroll to it", `#rendering-`+target.ID)
	tb.shotViewport("moved-first")

	// Drag and drop (admin.js): the client's last rendering dropped before
	// the first becomes the client's first. The events are dispatched as a
	// mouse drag would dispatch them.
	order := clientRenderings(t, a)
	last, first := order[len(order)-1], order[0]
	eval[bool](tb, "drag the last rendering onto the first", `(() => {
		window.__e2eBeforeDrop = true;
		const from = document.getElementById("rendering-`+last.ID+`"), to = document.getElementById("rendering-`+first.ID+`");
		const dt = new DataTransfer(), r = to.getBoundingClientRect();
		const at = {bubbles: true, cancelable: true, dataTransfer: dt, clientX: r.left + 2, clientY: r.top + 2};
		from.dispatchEvent(new DragEvent("dragstart", at));
		to.dispatchEvent(new DragEvent("dragover", at));
		to.dispatchEvent(new DragEvent("drop", at));
		from.dispatchEvent(new DragEvent("dragend", at));
		return true;
	})()`)
	for deadline := time.Now().Add(10 * time.Second); clientRenderings(t, a)[0].ID != last.ID; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("after the drop, the client's first rendering is %q, want %q", clientRenderings(t, a)[0].Title, last.Title)
		}
	}
	ids := `[...document.querySelectorAll(` + jsString(selRenderingItem) + `)].map(li => li.id)`
	tb.waitFor("the page reloads in the new order", `!window.__e2eBeforeDrop && document.readyState === "complete" &&
		`+ids+`.indexOf("rendering-`+last.ID+`") === `+ids+`.indexOf("rendering-`+first.ID+`") - 1`, ids+`.join(" ")`)
	ct.waitFor("the client page shows it first", `document.querySelector(`+jsString(selThumb)+`)?.closest("li, figure, article")?.innerText.includes(`+jsString(last.Title)+`)`,
		`document.querySelector(`+jsString(selThumb)+`)?.closest("li, figure, article")?.innerText`)

	// Delete that rendering: the first click only opens the confirmation.
	tb.mark("its Delete summary", "del", `(`+rendering+`)?.querySelector(".rendering-manage details > summary")`)
	tb.step("open the confirmation", chromedp.Click(chromedp.CSS(`[data-e2e="del"]`), chromedp.NodeVisible))
	if !eval[bool](tb, "the rendering is still there", `!!(`+rendering+`)`) {
		t.Fatal("opening the confirmation deleted the rendering")
	}
	tb.shotViewport("confirm-delete-rendering")
	tb.axe("confirm-delete-rendering")
	tb.mark("the confirm button", "confirm", `(`+rendering+`)?.querySelector(".rendering-manage details[open] button.btn-danger")`)
	tb.step("confirm", chromedp.Click(chromedp.CSS(`[data-e2e="confirm"]`), chromedp.NodeVisible))
	tb.waitFor("the rendering is gone", `!`+rendering+` && document.body.innerText.includes(`+jsString("“"+target.Title+"” deleted.")+`)`, `document.body.innerText.slice(0, 300)`)
	ct.waitFor("and gone from the client page", `!`+clientHas(target.Title), `document.querySelector("main").innerText.slice(0, 300)`)

	// Delete the hidden room.
	tb.mark("the room's Delete summary", "delroom", `(`+room+`)?.querySelector(".room-manage details > summary")`)
	tb.step("open the room's confirmation", chromedp.Click(chromedp.CSS(`[data-e2e="delroom"]`), chromedp.NodeVisible))
	tb.mark("the room's confirm button", "confirmroom", `(`+room+`)?.querySelector(".room-manage details[open] button.btn-danger")`)
	tb.step("confirm the room", chromedp.Click(chromedp.CSS(`[data-e2e="confirmroom"]`), chromedp.NodeVisible))
	tb.waitFor("the room is gone", `!(`+room+`) && document.body.innerText.includes("Room deleted.")`, `document.body.innerText.slice(0, 300)`)

	// The project: a wrong name deletes nothing; the right one does.
	tb.step("open the project deletion", chromedp.Click(chromedp.CSS(`#delete-project summary`), chromedp.NodeVisible))
	tb.step("type a wrong name",
		chromedp.SendKeys(chromedp.CSS(selDeleteProjectName), "Hillside", chromedp.NodeVisible),
		chromedp.Click(chromedp.CSS(selDeleteProjectSubmit), chromedp.NodeVisible),
	)
	tb.waitFor("the error next to the field", `document.querySelector("#delete-project .field-error")?.innerText.includes("exactly")`, `document.querySelector("#delete-project")?.innerText`)
	tb.scrollTo("scroll to the error", `#delete-project`)
	tb.shotViewport("delete-project-wrong-name")
	tb.axe("delete-project-wrong-name")
	for _, w := range []int64{390, 1366} {
		tb.step("viewport", chromedp.EmulateViewport(w, 900))
		tb.shot("project-" + map[int64]string{390: "phone", 1366: "desktop"}[w])
	}
	tb.axe("project-desktop")
	name := eval[string](tb, "read the project's name", `document.querySelector("h1").innerText.trim()`)
	eval[bool](tb, "clear the name", `(document.querySelector(`+jsString(selDeleteProjectName)+`).value = "", true)`)
	tb.step("type the right name",
		chromedp.SendKeys(chromedp.CSS(selDeleteProjectName), name, chromedp.NodeVisible),
		chromedp.Click(chromedp.CSS(selDeleteProjectSubmit), chromedp.NodeVisible),
	)
	tb.waitFor("back on the list, with a confirmation", `location.pathname === "/admin" && document.body.innerText.includes("deleted, with its renderings and client links")`,
		`location.href + " | " + document.body.innerText.slice(0, 300)`)
	tb.shot("deleted")
	tb.axe("deleted")
	gone := jsVisible + `(` + jsString(selGone) + `)`
	ct.waitFor("the client page says it is no longer available", `(`+gone+`)?.innerText.includes(`+jsString(goneText)+`)`, `document.body.innerText.slice(0, 300)`)
	ct.shot("project-deleted")
	ct.axe("project-deleted")
	if got := ct.navigate("reopen the link", a.ClientURL()); got != 404 {
		t.Errorf("the deleted project's link answers %d, want 404", got)
	}
	if strings.Contains(eval[string](ct, "read the 404 page", `document.body.innerText`), name) {
		t.Errorf("the 404 page names the deleted project")
	}
	tb.checkConsole()
	ct.checkConsole()
}

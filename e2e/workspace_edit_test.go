package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"atrium/internal/demo"
	"atrium/internal/files"
	"atrium/internal/store"
	"atrium/internal/web"
)

// signIn signs the tab in as the demo admin through the sign-in form.
func (tb *tab) signIn(a *app) {
	tb.t.Helper()
	tb.navigate("open the sign-in page", a.URL+"/login")
	tb.step("sign in",
		chromedp.SendKeys(chromedp.CSS(selLoginEmail), demo.AdminEmail, chromedp.NodeVisible),
		chromedp.SendKeys(chromedp.CSS(selLoginPassword), demo.AdminPassword, chromedp.NodeVisible),
		chromedp.Click(chromedp.CSS(selLoginSubmit), chromedp.NodeVisible),
	)
	tb.waitFor("the projects list", `location.pathname === "/admin"`, `location.href`)
}

// beforeUnloadDialogs records the "leave this page?" dialogs the tab opens,
// dismissing each (the page stays).
func (tb *tab) beforeUnloadDialogs() func() int {
	var mu sync.Mutex
	n := 0
	events := chromedp.Events(tb.ctx, page.JavascriptDialogOpening)
	go func() {
		for ev, err := range events {
			if err != nil {
				return
			}
			if ev.Type == page.DialogTypeBeforeunload {
				mu.Lock()
				n++
				mu.Unlock()
			}
			go chromedp.Call(tb.ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		}
	}()
	return func() int {
		mu.Lock()
		defer mu.Unlock()
		return n
	}
}

// phaseSel is the CSS selector of a field of the nth phase (from 0) of the
// project page's first room.
func phaseSel(n int, field string) string {
	return `#rooms form[data-phases] fieldset:nth-of-type(` + string(rune('1'+n)) + `) [name$=".` + field + `"]`
}

// TestAdminPhasesEditInPlace: the phases of a room save field by field
// without a reload, show "Saved" or the error next to the field, keep every
// entry, warn before unsaved edits are left, and confirm in a toast that
// stays in view.
func TestAdminPhasesEditInPlace(t *testing.T) {
	t.Parallel()
	a := startApp(t)
	api := loginAPI(t, a)
	tb := newBrowser(t, "phases")
	tb.step("set the viewport", chromedp.EmulateViewport(1366, 900))
	tb.signIn(a)
	dialogs := tb.beforeUnloadDialogs()
	project := a.URL + "/admin/projects/" + a.Demo.ProjectID
	tb.navigate("open the project", project)
	eval[bool](tb, "leave a marker on the window", `(window.e2eMarker = 42, true)`)
	if eval[bool](tb, "look for the Save phases button", jsVisible+`("#rooms [data-phases-save]") != null`) {
		t.Errorf("phases: with JS the Save phases button is shown, but every field saves by itself")
	}

	type phaseJSON struct {
		ID, Status, CompletedAt, DueDate, AssigneeID string
	}
	type detail struct {
		Rooms []struct {
			Name   string
			Phases []phaseJSON
		}
	}
	read := func() []phaseJSON {
		var d detail
		api.do("GET", "/api/projects/"+a.Demo.ProjectID, nil, 200, &d)
		return d.Rooms[0].Phases
	}
	before := read() // Kitchen: completed ×3, in progress, not started
	saved := func(n int, field string) string {
		return `(() => { const i = document.querySelector(` + jsString(phaseSel(n, field)) + `);
			return i && /Saved/.test(i.closest("label").querySelector(".field-note")?.innerText || "") })()`
	}
	note := func(n int, field string) string {
		return `document.querySelector(` + jsString(phaseSel(n, field)) + `).closest("label").innerText`
	}

	// Several phases edited, each saved as it changes.
	tb.step("Drawings: choose Completed", chromedp.SendKeys(chromedp.CSS(phaseSel(3, "status")), "C", chromedp.NodeVisible))
	tb.waitFor("Drawings status shows Saved", saved(3, "status"), note(3, "status"))
	tb.step("FF&E: choose In progress", chromedp.SendKeys(chromedp.CSS(phaseSel(4, "status")), "I", chromedp.NodeVisible))
	tb.waitFor("FF&E status shows Saved", saved(4, "status"), note(4, "status"))
	tb.step("FF&E: type a due date", chromedp.SendKeys(chromedp.CSS(phaseSel(4, "dueDate")), "03152027", chromedp.NodeVisible))
	tb.waitFor("FF&E due date shows Saved", saved(4, "dueDate"), note(4, "dueDate"))
	tb.shotViewport("saved")
	if !eval[bool](tb, "check the marker", `window.e2eMarker === 42`) {
		t.Errorf("phases: the page reloaded while saving (the window's marker is gone)")
	}
	// A date is typed in parts, and a loaded machine may save a part before
	// the whole: "Saved" can show for an earlier part. Wait for the last.
	after := read()
	for deadline := time.Now().Add(10 * time.Second); after[4].DueDate != "2027-03-15" && time.Now().Before(deadline); after = read() {
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond) // the page hears the last answer
	if after[3].Status != "completed" || after[3].CompletedAt == "" || after[4].Status != "in_progress" || after[4].DueDate != "2027-03-15" {
		t.Errorf("phases: after the edits the server has %+v", after[3:])
	}
	if got := eval[string](tb, "read the completion date the server stamped", `document.querySelector(`+jsString(phaseSel(3, "completedAt"))+`).value`); got != after[3].CompletedAt {
		t.Errorf("phases: Drawings' completion date shows %q, the server has %q", got, after[3].CompletedAt)
	}
	if got := eval[string](tb, "read the room's progress", `document.querySelector("#rooms .room-progress progress").value + ""`); got != "80" {
		t.Errorf("phases: the room's progress bar shows %s after 4 of 5 completed, want 80", got)
	}
	// The edits survive a reload.
	tb.navigate("reload the project", project)
	if got := eval[string](tb, "read FF&E's due date", `document.querySelector(`+jsString(phaseSel(4, "dueDate"))+`).value`); got != "2027-03-15" {
		t.Errorf("phases: after a reload FF&E's due date is %q", got)
	}
	eval[bool](tb, "leave a marker on the window", `(window.e2eMarker = 42, true)`)

	// An invalid value: its error next to it, the entry kept, nothing saved,
	// and leaving the page warns.
	tb.step("Design: type a completion date in the future", chromedp.SendKeys(chromedp.CSS(phaseSel(0, "completedAt")), "01012031", chromedp.NodeVisible))
	errAt := `document.querySelector(` + jsString(phaseSel(0, "completedAt")) + `).closest("label").querySelector(".field-error")?.innerText || ""`
	tb.waitFor("the error next to the completion date", errAt+` !== ""`, note(0, "completedAt"))
	if msg := eval[string](tb, "read the error", errAt); !strings.Contains(msg, "Completed on cannot be in the future") {
		t.Errorf("phases: the error next to the date says %q", msg)
	}
	if got := eval[string](tb, "read the entry", `document.querySelector(`+jsString(phaseSel(0, "completedAt"))+`).value`); got != "2031-01-01" {
		t.Errorf("phases: the refused entry was replaced by %q", got)
	}
	if got := read()[0]; got.CompletedAt != before[0].CompletedAt {
		t.Errorf("phases: a refused date was saved: %q", got.CompletedAt)
	}
	tb.shotViewport("error")
	tb.axe("error")
	eval[bool](tb, "try to leave the page", `(location.href = "/admin", true)`)
	tb.waitFor("a leave-the-page warning", `true`, ``)
	for deadline := time.Now().Add(5 * time.Second); dialogs() == 0 && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
	}
	if dialogs() == 0 {
		t.Errorf("phases: leaving with a refused (unsaved) entry did not warn")
	}
	time.Sleep(300 * time.Millisecond)
	if !eval[bool](tb, "still on the page", `window.e2eMarker === 42`) {
		t.Fatalf("phases: the page was left despite the warning being dismissed")
	}

	// Fixed, it saves, and leaving no longer warns... until the project
	// details form holds an edit.
	// Typing over a filled date input lands on whichever part has focus;
	// set the corrected value whole, as the date picker does.
	eval[bool](tb, "Design: pick a valid completion date", `(() => { const i = document.querySelector(`+jsString(phaseSel(0, "completedAt"))+`);
		i.value = "2026-01-02"; i.dispatchEvent(new Event("input", {bubbles: true})); i.dispatchEvent(new Event("change", {bubbles: true})); return true })()`)
	tb.waitFor("Design completion date shows Saved", saved(0, "completedAt"), note(0, "completedAt"))
	if got := read()[0]; got.CompletedAt != "2026-01-02" {
		t.Errorf("phases: the corrected date did not reach the server: %q", got.CompletedAt)
	}
	tb.step("open the project details", chromedp.Click(chromedp.CSS(`.project-head details.edit summary`), chromedp.NodeVisible))
	tb.step("type in the project name", chromedp.SendKeys(chromedp.CSS(`.project-head input[name="name"]`), " II", chromedp.NodeVisible))
	seen := dialogs()
	eval[bool](tb, "try to leave the page", `(location.href = "/admin", true)`)
	for deadline := time.Now().Add(5 * time.Second); dialogs() == seen && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
	}
	if dialogs() == seen {
		t.Errorf("phases: leaving with an edited project name did not warn")
	}
	time.Sleep(300 * time.Millisecond)

	// A confirmation at the bottom of a long page stays in view: a comment
	// (the last form of the page) posted the plain way, at phone width.
	tb.step("phone width", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateScale(2)))
	// Reset drops the edit: leaving is quiet again.
	eval[bool](tb, "reset the project details", `(document.querySelector(".project-head details.edit form").reset(), true)`)
	tb.navigate("reload the project", project)
	tb.step("write a comment", chromedp.SendKeys(chromedp.CSS(`#comments textarea[name="body"]`), "Check the island stone.", chromedp.NodeVisible))
	tb.step("post it", chromedp.Click(chromedp.CSS(`#comments button[type="submit"]`), chromedp.NodeVisible))
	tb.waitFor("the comment's anchor", `location.hash.startsWith("#comment-")`, `location.href`)
	inView := `(() => { const t = document.querySelector(".toasts .toast"); if (!t) return "none";
		const r = t.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight && r.height > 0 ? "in view" : "out of view " + r.top + " " + innerHeight })()`
	tb.waitFor("the page scrolled to the comment", `scrollY > 2000`, `scrollY`)
	if got := eval[string](tb, "is the toast in view", inView); got != "in view" {
		t.Errorf("phases: after posting a comment at the bottom of the page the confirmation is %s", got)
	}
	if got := eval[string](tb, "read the toast", `document.querySelector(".toasts .toast")?.innerText || ""`); !strings.Contains(got, "Comment added.") {
		t.Errorf("phases: the toast says %q", got)
	}
	tb.shotViewport("toast-390")
	tb.axe("toast-390")
	tb.shot("project-390")

	// A save on change at the bottom of the page shows its toast in view too.
	last := `#rooms .room:last-of-type fieldset:nth-of-type(5) [name$=".status"]`
	tb.scrollTo("scroll to the last room", last)
	tb.step("last room's FF&E: Skipped", chromedp.SendKeys(chromedp.CSS(last), "S", chromedp.NodeVisible))
	tb.waitFor("a toast for the save", `/saved/.test(document.querySelector(".toasts")?.innerText || "")`, `document.querySelector(".toasts")?.innerHTML`)
	if got := eval[string](tb, "is the toast in view", inView); got != "in view" {
		t.Errorf("phases: the save's toast is %s", got)
	}
	tb.shotViewport("save-toast-390")
	tb.step("desktop width", chromedp.EmulateViewport(1366, 900))
	tb.shot("project-1366")
}

// TestAdminPhasesWithoutJS: with scripts off, a room's phases are one form:
// edits in several phases are saved by its one Save button, and a bad
// value shows its error next to the field with every entry kept.
func TestAdminPhasesWithoutJS(t *testing.T) {
	t.Parallel()
	a := startApp(t)
	api := loginAPI(t, a)
	tb := newBrowser(t, "phases-nojs")
	tb.step("set the viewport", chromedp.EmulateViewport(1366, 900))
	tb.signIn(a)
	scripts := func(off bool) {
		tb.step("turn scripts off or on", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: off})
			return err
		}))
	}
	scripts(true)
	tb.navigate("open the project", a.URL+"/admin/projects/"+a.Demo.ProjectID)
	save := `#rooms form[data-phases] [data-phases-save]`
	tb.step("Drawings: Completed", chromedp.SendKeys(chromedp.CSS(phaseSel(3, "status")), "C", chromedp.NodeVisible))
	tb.step("FF&E: Skipped", chromedp.SendKeys(chromedp.CSS(phaseSel(4, "status")), "S", chromedp.NodeVisible))
	tb.step("Design: due date", chromedp.SendKeys(chromedp.CSS(phaseSel(0, "dueDate")), "02012027", chromedp.NodeVisible))
	tb.step("Save phases", chromedp.Click(chromedp.CSS(save), chromedp.NodeVisible))
	tb.waitFor("back on the room", `location.hash.startsWith("#room-") && /Phases of .Kitchen. saved/.test(document.querySelector(".toasts")?.innerText || "")`,
		`location.href + " " + document.querySelector(".toasts")?.innerText`)
	var d struct {
		Rooms []struct {
			Phases []struct{ Status, DueDate string }
		}
	}
	api.do("GET", "/api/projects/"+a.Demo.ProjectID, nil, 200, &d)
	if ph := d.Rooms[0].Phases; ph[3].Status != "completed" || ph[4].Status != "skipped" || ph[0].DueDate != "2027-02-01" {
		t.Errorf("phases-nojs: after one Save the server has %+v", ph)
	}
	tb.shotViewport("saved")

	// A bad value among good ones: nothing saved, all kept.
	tb.step("Drawings: In progress", chromedp.SendKeys(chromedp.CSS(phaseSel(3, "status")), "I", chromedp.NodeVisible))
	// (A date in the future the browser itself refuses: the input's max.)
	tb.step("Design: completed before 2000", chromedp.SendKeys(chromedp.CSS(phaseSel(0, "completedAt")), "01011999", chromedp.NodeVisible))
	tb.step("Save phases", chromedp.Click(chromedp.CSS(save), chromedp.NodeVisible))
	tb.waitFor("the form again with the error", `/cannot be before 2000-01-01/.test(document.querySelector(`+jsString(phaseSel(0, "completedAt"))+`)?.closest("label").innerText || "")`,
		`document.querySelector("#rooms")?.innerText.slice(0, 400)`)
	if got := eval[string](tb, "read Drawings' status", `document.querySelector(`+jsString(phaseSel(3, "status"))+`).value`); got != "in_progress" {
		t.Errorf("phases-nojs: the refused form lost Drawings' new status: %q", got)
	}
	api.do("GET", "/api/projects/"+a.Demo.ProjectID, nil, 200, &d)
	if ph := d.Rooms[0].Phases; ph[3].Status != "completed" {
		t.Errorf("phases-nojs: a refused form saved Drawings as %s", ph[3].Status)
	}
	tb.shot("error")
	scripts(false) // for axe; the page stays as the server drew it
	tb.axe("error")
}

// TestAdminBatchUpload: three files in one batch, one of them not an
// image: two at a time, a progress bar and a result for each, the bad one
// fails alone, and the new renderings appear without a reload.
func TestAdminBatchUpload(t *testing.T) {
	t.Parallel()
	a := startAppWith(t, func(c *web.Config, _ *store.Store, _ files.Storage) { c.MaxUploadBytes = 3 << 20 })
	tb := newBrowser(t, "batch")
	tb.step("set the viewport", chromedp.EmulateViewport(1366, 900))
	tb.signIn(a)
	dir := t.TempDir()
	img := writeJPEG(t, 1600, 1000)
	raw, err := os.ReadFile(img)
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for name, body := range map[string][]byte{"kitchen_north-view.jpg": raw, "LIVING-ROOM.jpg": raw, "broken-file.jpg": []byte(strings.Repeat("not an image ", 60000))} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, body, 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	tb.navigate("open the project", a.URL+"/admin/projects/"+a.Demo.ProjectID+"#upload")
	eval[bool](tb, "leave a marker on the window", `(window.e2eMarker = 42, true)`)
	tb.step("choose three files", chromedp.SetUploadFiles(chromedp.CSS(selUploadFile), paths, chromedp.NodeReady))
	tb.waitFor("three files listed", `document.querySelectorAll(".upload-item").length === 3`, `document.querySelector("[data-upload-list]")?.innerText`)
	titles := eval[[]string](tb, "read the titles", `[...document.querySelectorAll(".upload-item input[type=text]")].map(i => i.value).sort()`)
	if strings.Join(titles, "|") != "Broken file|Kitchen north view|Living room" {
		t.Errorf("batch: default titles %q, want the cleaned file names", titles)
	}
	living := `[...document.querySelectorAll(".upload-item input[type=text]")].find(i => i.value === "Living room")`
	tb.mark("the living room title", "living", living)
	tb.step("edit a title", chromedp.SendKeys(chromedp.CSS(`[data-e2e="living"]`), ", evening", chromedp.NodeVisible))
	tb.step("describe the batch", chromedp.SendKeys(chromedp.CSS(`form[data-upload] textarea[name="description"]`), "First pass.", chromedp.NodeVisible))
	tb.shot("chosen")
	tb.axe("chosen")

	tb.throttleUploads(a.URL+"/api/*", 600<<10)
	eval[bool](tb, "watch how many upload at once", `(() => {
		window.e2eMax = 0; window.e2eQueuedWhileTwo = false;
		setInterval(() => {
			const up = document.querySelectorAll('.upload-item[data-state="uploading"]').length;
			const q = document.querySelectorAll('.upload-item[data-state="queued"]').length;
			window.e2eMax = Math.max(window.e2eMax, up);
			if (up === 2 && q > 0) window.e2eQueuedWhileTwo = true;
		}, 10);
		return true })()`)
	tb.step("upload", chromedp.Click(chromedp.CSS(`form[data-upload] [data-upload-submit]`), chromedp.NodeVisible))
	if tb.expect("two uploading", `document.querySelectorAll('.upload-item[data-state="uploading"]').length === 2`, "", 10*time.Second) {
		tb.shotViewport("uploading")
	}
	tb.waitForWithin("every file has a result", `document.querySelectorAll('.upload-item[data-state="uploading"], .upload-item[data-state="queued"]').length === 0`,
		`document.querySelector("[data-upload-list]")?.innerText`, 60*time.Second)
	tb.throttleUploads("", -1)
	if got := eval[int](tb, "most uploads at once", `window.e2eMax`); got != 2 {
		t.Errorf("batch: at most %d uploads ran at once, want 2", got)
	}
	if !eval[bool](tb, "a file waited", `window.e2eQueuedWhileTwo`) {
		t.Errorf("batch: no file waited while two uploaded")
	}
	newTitles := []string{"Kitchen north view", "Living room, evening"}
	for _, title := range newTitles {
		tb.waitFor("the rendering "+title+" is listed", `[...document.querySelectorAll(`+jsString(selRenderingItem)+`)].some(li => li.querySelector("h3")?.innerText.trim() === `+jsString(title)+`)`,
			`[...document.querySelectorAll(`+jsString(selRenderingItem)+` + " h3")].map(h => h.innerText).join(" | ")`)
	}
	failed := eval[string](tb, "read the failed file", `[...document.querySelectorAll('.upload-item[data-state="failed"]')].map(li => li.innerText).join(" | ")`)
	if !strings.Contains(failed, "broken-file.jpg") || !strings.Contains(failed, "not a usable") {
		t.Errorf("batch: the bad file's row says %q", failed)
	}
	if n := eval[int](tb, "count rows left", `document.querySelectorAll(".upload-item").length`); n != 1 {
		t.Errorf("batch: %d rows left in the list, want only the failed one", n)
	}
	if !eval[bool](tb, "check the marker", `window.e2eMarker === 42`) {
		t.Errorf("batch: the page reloaded")
	}
	if !eval[bool](tb, "check the new list can be reordered", `(() => { const li = [...document.querySelectorAll("ul.renderings li.rendering")];
		return li.length > 2 && li.every(l => l.draggable) })()`) {
		t.Errorf("batch: the renderings swapped in after the batch cannot be dragged to reorder")
	}
	if got := eval[string](tb, "read the toast", `document.querySelector(".toasts")?.innerText || ""`); !strings.Contains(got, "2 renderings uploaded") || !strings.Contains(got, "1 not uploaded") {
		t.Errorf("batch: the toast says %q", got)
	}
	tb.shotViewport("done")
	tb.axe("done")

	// A file over the size limit fails at once, without being sent.
	huge := filepath.Join(dir, "huge.jpg")
	if err := os.WriteFile(huge, make([]byte, 4<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	tb.step("choose a file too large", chromedp.SetUploadFiles(chromedp.CSS(selUploadFile), []string{huge}, chromedp.NodeReady))
	tb.step("upload", chromedp.Click(chromedp.CSS(`form[data-upload] [data-upload-submit]`), chromedp.NodeVisible))
	tb.waitFor("the large file refused", `/larger than 3 MB: it was not sent/.test([...document.querySelectorAll('.upload-item[data-state="failed"]')].map(li => li.innerText).join(" "))`,
		`document.querySelector("[data-upload-list]")?.innerText`)

	// Files dropped on the renderings join the list, titled from their names.
	eval[bool](tb, "drop a file on the renderings", `(() => {
		const dt = new DataTransfer();
		dt.items.add(new File([new Uint8Array([137, 80, 78, 71])], "terrace_at-dusk.PNG", {type: "image/png"}));
		const target = document.querySelector("#renderings .renderings");
		for (const type of ["dragenter", "dragover", "drop"]) target.dispatchEvent(new DragEvent(type, {bubbles: true, cancelable: true, dataTransfer: dt}));
		return true })()`)
	tb.waitFor("the dropped file is listed", `[...document.querySelectorAll(".upload-item input[type=text]")].some(i => i.value === "Terrace at dusk")`,
		`document.querySelector("[data-upload-list]")?.innerText`)
	tb.step("phone width", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateScale(2)))
	tb.scrollTo("scroll to the upload", "#upload")
	tb.shotViewport("list-390")
	tb.axe("list-390")
}

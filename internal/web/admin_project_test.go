package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestAdminCreateProjectForm(t *testing.T) {
	t.Parallel()
	e := newEnv(t, dbSQLite, nil)
	c := e.adminSignIn(adminEmail)

	r := c.postForm("/admin/projects", url.Values{
		"name": {"Harbour Loft"}, "clientName": {"Jane Doe"}, "clientEmail": {"jane@example.com"}, "targetDate": {"2027-03-01"},
	})
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/admin/projects/") {
		t.Fatalf("create: %d Location %q; %s", r.Status, r.Header.Get("Location"), r.Body)
	}
	page := c.follow(r)
	wantBody(t, page, "<h1>Harbour Loft</h1>", "Project “Harbour Loft” created.", "Jane Doe")
	// The flash is shown once.
	if again := c.get(r.Header.Get("Location")); strings.Contains(string(again.Body), "created.") {
		t.Errorf("the flash message was shown twice")
	}
	list := c.get("/admin")
	wantBody(t, list, "Harbour Loft", "Jane Doe", "1 Mar 2027", `<progress max="100" value="0"`)

	// Validation: the error sits next to its field, the entries stay.
	for _, tc := range []struct {
		name   string
		form   url.Values
		status int
		want   []string
	}{
		{"no client", url.Values{"name": {"Villa Sole"}, "clientName": {""}}, 422,
			[]string{"Client name must not be empty.", `value="Villa Sole"`}},
		{"bad email", url.Values{"name": {"Villa Sole"}, "clientName": {"Ann"}, "clientEmail": {"not-an-email"}}, 422,
			[]string{"Client email must be an email address.", `value="not-an-email"`}},
		{"dates reversed", url.Values{"name": {"Villa Sole"}, "clientName": {"Ann"}, "startDate": {"2027-05-01"}, "targetDate": {"2027-01-01"}}, 422,
			[]string{"Target date must not be before start date."}},
		{"bad budget", url.Values{"name": {"Villa Sole"}, "clientName": {"Ann"}, "budget": {"twelve"}}, 422,
			[]string{"Enter an amount in EUR like 12500 or 12500.50."}},
	} {
		r := c.postForm("/admin/projects", tc.form)
		if r.Status != tc.status {
			t.Errorf("%s: status %d, want %d", tc.name, r.Status, tc.status)
			continue
		}
		wantBody(t, r, append(tc.want, `class="field-error"`, `aria-invalid="true"`)...)
	}
	if list, _ := e.Store.Projects(t.Context()); len(list) != 1 {
		t.Errorf("%d projects after failed forms, want 1", len(list))
	}
}

func TestAdminEditProjectAndRooms(t *testing.T) {
	t.Parallel()
	e := newEnv(t, dbSQLite, nil)
	c := e.adminSignIn(adminEmail)
	p := e.login(adminEmail).newProject("Harbour Loft")
	base := "/admin/projects/" + p.ID

	r := c.postForm(base, url.Values{"name": {"Harbour Loft II"}, "clientName": {"Jane"}, "budget": {"12,500.50"},
		"internalNotes": {"Client prefers oak."}, "clientEmail": {""}, "address": {""}, "startDate": {""}, "targetDate": {""}})
	page := c.follow(r)
	wantBody(t, page, "Project details saved.", "Harbour Loft II", "12,500.50", "Client prefers oak.")
	got, _ := e.Store.Project(t.Context(), p.ID)
	if got.BudgetCents == nil || *got.BudgetCents != 1250050 {
		t.Errorf("budget = %v, want 1250050", got.BudgetCents)
	}

	r = c.postForm(base+"/rooms", url.Values{"name": {"Living room"}})
	if r.Status != http.StatusSeeOther || !strings.Contains(r.Header.Get("Location"), "#room-") {
		t.Fatalf("add room: %d %q", r.Status, r.Header.Get("Location"))
	}
	wantBody(t, c.follow(r), "Room “Living room” added", "Living room")
	if r = c.postForm(base+"/rooms", url.Values{"name": {"  "}}); r.Status != 422 {
		t.Errorf("empty room name: %d, want 422", r.Status)
	} else {
		wantBody(t, r, "Room name")
	}

	// Team and comments.
	r = c.postForm(base+"/team", url.Values{"userId": {e.Designer.ID}, "role": {"Lead designer"}})
	wantBody(t, c.follow(r), "Dan Designer is on the team as Lead designer.", "Lead designer")
	r = c.postForm(base+"/comments", url.Values{"body": {"Tiles arrive Tuesday."}})
	wantBody(t, c.follow(r), "Comment added.", "Tiles arrive Tuesday.")
	if r = c.postForm(base+"/comments", url.Values{"body": {""}}); r.Status != 422 {
		t.Errorf("empty comment: %d, want 422", r.Status)
	}
}

func TestAdminOversizedFormIs413(t *testing.T) {
	t.Parallel()
	e := newEnv(t, dbSQLite, nil)
	c := e.adminSignIn(adminEmail)
	p := e.login(adminEmail).newProject("Harbour Loft")
	r := c.postForm("/admin/projects/"+p.ID+"/comments", url.Values{"body": {strings.Repeat("x", 2<<20)}})
	if r.Status != http.StatusRequestEntityTooLarge {
		t.Fatalf("a 2 MB comment form: %d, want 413", r.Status)
	}
	wantBody(t, r, "larger than 1 MB")
	if got, _ := e.Store.ProjectDetail(t.Context(), p.ID); got != nil && len(got.Comments) != 0 {
		t.Errorf("%d comments saved from a refused form", len(got.Comments))
	}
}

func TestAdminPhaseForm(t *testing.T) {
	t.Parallel()
	e := newEnv(t, dbSQLite, nil)
	api := e.login(adminEmail)
	c := e.adminSignIn(adminEmail)
	p := api.newProject("Harbour Loft")
	ph := p.Rooms[0].Phases[0]
	today := time.Now().UTC().Format(time.DateOnly)

	r := c.postForm("/admin/phases/"+ph.ID, url.Values{
		"status": {"completed"}, "assigneeId": {e.Designer.ID}, "dueDate": {"2027-01-15"}, "completedAt": {""},
	})
	if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/admin/projects/"+p.ID+"#room-"+p.Rooms[0].ID {
		t.Fatalf("phase update: %d %q; %s", r.Status, r.Header.Get("Location"), r.Body)
	}
	page := c.follow(r)
	wantBody(t, page, "Design Concept saved: Completed.", `<progress max="100" value="20"`)
	got := api.detail(p.ID).Rooms[0].Phases[0]
	if got.Status != "completed" || got.CompletedAt != today || got.AssigneeID != e.Designer.ID {
		t.Errorf("phase = %+v, want completed today, assigned", got)
	}

	// Staff may correct the date; leaving completed clears it even though the
	// date input is still filled in.
	c.postForm("/admin/phases/"+ph.ID, url.Values{"status": {"completed"}, "completedAt": {"2026-01-02"}})
	if got := api.detail(p.ID).Rooms[0].Phases[0]; got.CompletedAt != "2026-01-02" {
		t.Errorf("corrected date = %q", got.CompletedAt)
	}
	r = c.postForm("/admin/phases/"+ph.ID, url.Values{"status": {"in_progress"}, "completedAt": {"2026-01-02"}, "assigneeId": {""}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("back to in progress: %d %s", r.Status, r.Body)
	}
	if got := api.detail(p.ID).Rooms[0].Phases[0]; got.Status != "in_progress" || got.CompletedAt != "" || got.AssigneeID != "" {
		t.Errorf("phase = %+v, want in progress, no date, unassigned", got)
	}

	// A bad value is shown in its cell, with a 422.
	r = c.postForm("/admin/phases/"+ph.ID, url.Values{"status": {"in_progress"}, "dueDate": {"15/01/2027"}})
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("bad due date: %d, want 422", r.Status)
	}
	wantBody(t, r, "Due date must be a date like 2027-03-01.", `value="15/01/2027"`)
	r = c.postForm("/admin/phases/"+ph.ID, url.Values{"status": {"finished"}})
	if r.Status != http.StatusUnprocessableEntity {
		t.Errorf("bad status: %d, want 422", r.Status)
	}
	if r = c.postForm("/admin/phases/"+unknownID, url.Values{"status": {"completed"}}); r.Status != 404 {
		t.Errorf("unknown phase: %d, want 404", r.Status)
	}
}

func TestAdminUploadFallbackForm(t *testing.T) {
	t.Parallel()
	e := newEnv(t, dbSQLite, nil)
	api := e.login(adminEmail)
	c := e.adminSignIn(adminEmail)
	p := api.newProject("Harbour Loft")
	path := "/admin/projects/" + p.ID + "/renderings"

	r := c.postMultipart(path, [][2]string{{"title", "Kitchen, north view"}, {"roomId", p.Rooms[0].ID}, {"description", "Oak and brass."}},
		map[string][]byte{"file": testJPEG(t)})
	if r.Status != http.StatusSeeOther || !strings.Contains(r.Header.Get("Location"), "#rendering-") {
		t.Fatalf("upload: %d %q; %s", r.Status, r.Header.Get("Location"), r.Body)
	}
	page := c.follow(r)
	wantBody(t, page, "“Kitchen, north view” uploaded as a draft.", "Kitchen, north view", "Draft", "?size=thumb")
	d := api.detail(p.ID)
	if len(d.Renderings) != 1 || d.Renderings[0].Status != "draft" || d.Renderings[0].RoomID != p.Rooms[0].ID {
		t.Fatalf("renderings = %+v", d.Renderings)
	}
	before := len(leftovers(t, e.FilesDir))

	// Not an image: an error next to the file field, nothing kept.
	r = c.postMultipart(path, [][2]string{{"title", "Broken"}}, map[string][]byte{"file": []byte("this is not an image at all")})
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("bad file: %d, want 422; %s", r.Status, r.Body)
	}
	wantBody(t, r, "The file is not a usable", `value="Broken"`)
	// No file chosen.
	r = c.postMultipart(path, [][2]string{{"title", "Empty"}, {"roomId", ""}, {"description", ""}}, map[string][]byte{"file": nil})
	if r.Status != http.StatusBadRequest && r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("no file: %d, want 422", r.Status)
	}
	wantBody(t, r, "Choose an image file to upload.")
	// No title.
	r = c.postMultipart(path, nil, map[string][]byte{"file": testJPEG(t)})
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("no title: %d, want 422", r.Status)
	}
	wantBody(t, r, "Title is required.")
	if after := len(leftovers(t, e.FilesDir)); after != before {
		t.Errorf("failed uploads left files behind: %d, want %d", after, before)
	}
	if n := len(api.detail(p.ID).Renderings); n != 1 {
		t.Errorf("%d renderings after failed uploads, want 1", n)
	}

	// Approve, edit, return to draft.
	id := d.Renderings[0].ID
	r = c.postForm("/admin/renderings/"+id+"/status", url.Values{"status": {"approved"}})
	wantBody(t, c.follow(r), "approved: clients with a link can see", "Approved")
	if got := api.detail(p.ID).Renderings[0]; got.Status != "approved" || got.ApprovedBy != e.Admin.ID {
		t.Errorf("after approve: %+v", got)
	}
	r = c.postForm("/admin/renderings/"+id, url.Values{"title": {"Kitchen at dusk"}, "description": {""}, "roomId": {""}, "internalNotes": {"Ask about lamps"}})
	wantBody(t, c.follow(r), "“Kitchen at dusk” saved.", "Ask about lamps")
	r = c.postForm("/admin/renderings/"+id, url.Values{"title": {""}})
	if r.Status != http.StatusUnprocessableEntity {
		t.Errorf("empty title: %d, want 422", r.Status)
	}
	r = c.postForm("/admin/renderings/"+id+"/status", url.Values{"status": {"draft"}})
	wantBody(t, c.follow(r), "Clients no longer see it.")
	if got := api.detail(p.ID).Renderings[0]; got.Status != "draft" || got.ApprovedAt != nil {
		t.Errorf("after back to draft: %+v", got)
	}
}

// A form with several bad fields shows each message next to its own
// field, and what was entered stays.
func TestAdminFormShowsEveryFieldError(t *testing.T) {
	eachDB(t, func(t *testing.T, db string) {
		e := newEnv(t, db, nil)
		c := e.adminSignIn(adminEmail)
		r := c.postForm("/admin/projects", url.Values{"name": {"Villa Sole"}, "clientName": {""}, "clientEmail": {"not-an-email"},
			"startDate": {"2027-05-01"}, "targetDate": {"2027-01-01"}, "budget": {"twelve"}})
		if r.Status != 422 {
			t.Fatalf("status %d, want 422", r.Status)
		}
		wantFieldError(t, r, "/admin/projects", "clientName", "Client name must not be empty.")
		wantFieldError(t, r, "/admin/projects", "clientEmail", "Client email must be an email address.")
		wantFieldError(t, r, "/admin/projects", "targetDate", "Target date must not be before start date.")
		wantFieldError(t, r, "/admin/projects", "budget", "Enter an amount in EUR like 12500 or 12500.50.")
		wantFieldError(t, r, "/admin/projects", "name", "")
		wantBody(t, r, `value="Villa Sole"`, `value="not-an-email"`)

		r = c.postForm("/admin/settings", url.Values{"name": {""}, "accentColor": {"blue"}, "contactEmail": {"nope"}})
		wantFieldError(t, r, "/admin/settings", "name", "Studio name must not be empty.")
		wantFieldError(t, r, "/admin/settings", "accentColor", "Accent colour must be a colour like #7a5c3e.")
		wantFieldError(t, r, "/admin/settings", "contactEmail", "Contact email must be an email address.")

		r = c.postForm("/admin/users", url.Values{"name": {""}, "email": {"eve"}, "role": {"boss"}, "password": {"short"}})
		wantFieldError(t, r, "/admin/users", "email", "Email must be an email address.")
		wantFieldError(t, r, "/admin/users", "name", "Name must not be empty.")
		wantFieldError(t, r, "/admin/users", "role", "Role must be admin or designer.")
		wantFieldError(t, r, "/admin/users", "password", "at least 12 characters")
		if list, _ := e.Store.Projects(t.Context()); len(list) != 0 {
			t.Errorf("%d projects after a refused form, want none", len(list))
		}
	})
}

// wantFieldError checks the message shown with the input of that name in
// the form posting to action: the field error between it and the next
// input, or none for "".
func wantFieldError(t *testing.T, r *resp, action, name, msg string) {
	t.Helper()
	body := string(r.Body)
	form := strings.Index(body, `action="`+action+`"`)
	if form < 0 {
		t.Errorf("no form posting to %s in the page", action)
		return
	}
	body = body[form:]
	at := strings.Index(body, `name="`+name+`"`)
	if at < 0 {
		t.Errorf("no input %q in the form of %s", name, action)
		return
	}
	// Up to the next input of another name (radio buttons share theirs).
	rest, end := body[at+len(`name="`):], 0
	for {
		next := strings.Index(rest[end:], `name="`)
		if next < 0 {
			end = len(rest)
			break
		}
		end += next + len(`name="`)
		if !strings.HasPrefix(rest[end:], name+`"`) {
			break
		}
	}
	rest = rest[:end]
	const open = `class="field-error">`
	i := strings.Index(rest, open)
	switch {
	case msg == "" && i >= 0:
		t.Errorf("input %q shows an error: %s", name, rest[i:])
	case msg == "":
	case i < 0:
		t.Errorf("input %q shows no error, want %q", name, msg)
	case !strings.Contains(rest[i+len(open):], msg):
		t.Errorf("input %q shows %q, want %q", name, rest[i+len(open):], msg)
	}
}

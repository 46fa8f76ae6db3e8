package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"atrium/internal/studio"
)

func TestAdminProjectListFind(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		e := newEnv(t, db, nil)
		ctx := context.Background()
		for i := range 55 {
			p := &studio.Project{Name: fmt.Sprintf("Project %02d", i), ClientName: "Client"}
			if i == 7 {
				p.Name, p.ClientName = "Élodie's Loft", "Jürgen Müller"
			}
			if err := e.Store.CreateProject(ctx, p); err != nil {
				t.Fatal(err)
			}
			if i == 9 {
				p.Archived = true
				if err := e.Store.UpdateProject(ctx, p, ""); err != nil {
					t.Fatal(err)
				}
			}
		}
		c := e.adminSignIn(designerEmail)

		first := c.get("/admin?sort=name")
		wantBody(t, first, "54 projects", "showing 1–50", "sorted by Name", `<option value="name" selected>`,
			`href="/admin?page=2&amp;sort=name" rel="next"`, `aria-current="page">1</a>`, "Page 1 of 2", "Élodie&#39;s Loft")
		if strings.Contains(string(first.Body), "Project 09") {
			t.Errorf("the archived project is on the default list")
		}
		second := c.get("/admin?sort=name&page=2")
		wantBody(t, second, "showing 51–54", `rel="prev"`, "Page 2 of 2")

		found := c.get("/admin?q=" + url.QueryEscape("MULLER"))
		wantBody(t, found, "1 project matching “MULLER”", "Élodie&#39;s Loft", `value="MULLER"`, `>Clear</a>`)
		archived := c.get("/admin?status=archived")
		wantBody(t, archived, "Project 09", `<span class="badge badge-archived">Archived</span>`, `<option value="archived" selected>`)
		none := c.get("/admin?q=%25%25nothing")
		wantBody(t, none, "No projects match")
		past := c.get("/admin?page=9")
		wantBody(t, past, "No projects on this page", `href="/admin"`)
		mine := c.get("/admin?mine=on")
		wantBody(t, mine, "No projects match", `name="mine" value="true" checked`)

		for _, bad := range []string{"?sort=price", "?status=gone", "?page=0", "?perPage=500", "?q=%FF", "?q=" + strings.Repeat("x", 201)} {
			r := c.get("/admin" + bad)
			if r.Status != http.StatusBadRequest || !strings.Contains(string(r.Body), "must") {
				t.Errorf("GET /admin%.30s: %d, want 400 with the field's rule; %.300s", bad, r.Status, r.Body)
			}
		}
	})
}

func TestAdminArchiveAndActivity(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		e := newEnv(t, db, nil)
		api := e.login(designerEmail)
		p := api.newProject("Hillside")
		api.do("PATCH", "/api/phases/"+p.Rooms[0].Phases[0].ID, map[string]any{"status": "in_progress"})
		c := e.adminSignIn(designerEmail)

		page := c.get("/admin/projects/" + p.ID)
		wantBody(t, page, `id="activity"`, "Phase changed", "Kitchen, Design Concept: status Not started → In progress", "by Dan Designer",
			`action="/admin/projects/`+p.ID+`/archive" data-confirm="Archive Hillside?`, "Archive project")

		// Without JavaScript's confirmation, the server asks first.
		ask := c.postForm("/admin/projects/"+p.ID+"/archive", url.Values{"archived": {"true"}})
		wantBody(t, ask, "Archive Hillside?", `name="confirmed" value="1"`)
		if got, _ := e.Store.Project(t.Context(), p.ID); got.Archived {
			t.Fatalf("archived before the confirmation")
		}
		done := c.postForm("/admin/projects/"+p.ID+"/archive", url.Values{"archived": {"true"}, "confirmed": {"1"}})
		if done.Status != http.StatusSeeOther {
			t.Fatalf("archive: %d %s", done.Status, done.Body)
		}
		wantBody(t, c.follow(done), "is archived", `<span class="badge badge-archived">Archived</span>`, "Unarchive", "Project archived")
		if bad := c.postForm("/admin/projects/"+p.ID+"/archive", url.Values{"archived": {"maybe"}, "confirmed": {"1"}}); bad.Status != 400 {
			t.Errorf("archived=maybe: %d, want 400", bad.Status)
		}
		if r := c.postForm("/admin/projects/"+unknownID+"/archive", url.Values{"archived": {"true"}, "confirmed": {"1"}}); r.Status != 404 {
			t.Errorf("unknown project: %d, want 404", r.Status)
		}

		// A link's switch on the admin page is recorded with who flipped it.
		var l struct{ ID string }
		api.do("POST", "/api/client-access", map[string]any{"projectId": p.ID, "label": "Jane"}).decode(t, &l)
		if r := c.postForm("/admin/links/"+l.ID, url.Values{"allowFeedback": {"0"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("feedback off: %d %s", r.Status, r.Body)
		}
		wantBody(t, c.get("/admin/projects/"+p.ID+"/activity"), "Link changed</span> · “Jane”: feedback off<br><span class=\"muted small\">by Dan Designer")

		// The trail's own pages.
		for range 60 {
			api.do("PATCH", "/api/phases/"+p.Rooms[0].Phases[1].ID, map[string]any{"internalNotes": fmt.Sprint(len(p.Name), strings.Repeat("x", 3))})
			p.Name += "x"
		}
		full := c.get("/admin/projects/" + p.ID + "/activity")
		wantBody(t, full, "Page 1 of 2", `rel="next"`, "notes edited")
		wantBody(t, c.get("/admin/projects/"+p.ID), "All activity (64 entries)")
		wantBody(t, c.get("/admin/projects/"+p.ID+"/activity?page=2"), "Phase changed", "Project archived", `rel="prev"`)
		if r := c.get("/admin/projects/" + p.ID + "/activity?page=x"); r.Status != 400 {
			t.Errorf("page=x: %d, want 400", r.Status)
		}
		if r := e.adminBrowser().get("/admin/projects/" + p.ID + "/activity"); r.Status != http.StatusSeeOther || strings.Contains(string(r.Body), "Phase changed") {
			t.Errorf("anonymous activity page: %d, want a redirect to sign in; %.200s", r.Status, r.Body)
		}
	})
}

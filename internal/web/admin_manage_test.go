package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// The project page's forms hide and show rooms, move and delete
// renderings, delete rooms, and delete the project once its name is typed
// (admins only), all without JavaScript.
func TestAdminHideMoveDelete(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		e := newEnv(t, db, nil)
		f := newPortalFixture(t, e)
		c := e.adminSignIn(adminEmail)
		pid := f.project.ID
		base := "/admin/projects/" + pid

		page := c.get(base)
		wantBody(t, page, "Keep hidden from the client for now", "Hide from the client", "Delete project", "Type the project's name to confirm")
		r := c.postForm(base+"/rooms", url.Values{"name": {"Wine cellar"}, "hidden": {"true"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("add hidden room: %d %s", r.Status, r.Body)
		}
		page = c.follow(r)
		wantBody(t, page, "added with its five phases, hidden from the client", "Hidden from the client", "Show to the client")
		d, _ := e.Store.ProjectDetail(t.Context(), pid)
		var cellar string
		for _, room := range d.Rooms {
			if room.Name == "Wine cellar" && room.Hidden {
				cellar = room.ID
			}
		}
		if cellar == "" {
			t.Fatalf("no hidden room: %+v", d.Rooms)
		}
		// Both figures once they differ.
		ph := d.Rooms[0].Phases[0]
		if r := c.postForm("/admin/phases/"+ph.ID, url.Values{"status": {"completed"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("phase: %d", r.Status)
		}
		for _, room := range d.Rooms {
			if room.ID == cellar {
				for _, ph := range room.Phases[:2] {
					c.postForm("/admin/phases/"+ph.ID, url.Values{"status": {"completed"}})
				}
			}
		}
		wantBody(t, c.get(base), `<p class="small muted progress-both" data-testid="progress-both"><span data-client-progress>20</span>% for the client, <span data-all-progress>30</span>% overall</p>`)

		r = c.postForm("/admin/rooms/"+cellar+"/visibility", url.Values{"hidden": {"false"}})
		wantBody(t, c.follow(r), "“Wine cellar” is shown to the client again.")
		if !strings.Contains(string(c.get(base).Body), `data-testid="progress-both" hidden>`) {
			t.Error("both figures shown while they are equal")
		}
		if r := c.postForm("/admin/rooms/"+cellar+"/visibility", url.Values{"hidden": {"maybe"}}); r.Status != 400 {
			t.Errorf("visibility maybe: %d", r.Status)
		}

		// Moving: the page lists Second, the draft, Kitchen Island (newest
		// first); twice up makes Kitchen Island first for the client.
		second := f.staff.upload(pid, "Second", "second.jpg", pictureJPEG(t, 120, 80, ""), nil)
		f.staff.setStatus(second.ID, "approved")
		for range 2 {
			r = c.postForm("/admin/renderings/"+f.approved.ID+"/move", url.Values{"dir": {"up"}})
			wantBody(t, c.follow(r), "“Kitchen Island” moved up.")
		}
		var v struct {
			Renderings []struct {
				ID string `json:"id"`
			} `json:"renderings"`
		}
		e.anon().do("GET", "/api/client-progress/"+f.link.Token, nil).decode(t, &v)
		if len(v.Renderings) != 2 || v.Renderings[0].ID != f.approved.ID {
			t.Errorf("client order after moving up: %+v", v.Renderings)
		}
		if r := c.postForm("/admin/renderings/"+f.approved.ID+"/move", url.Values{"dir": {"sideways"}}); r.Status != 400 {
			t.Errorf("move sideways: %d", r.Status)
		}

		// Deleting a rendering and a room.
		r = c.postForm("/admin/renderings/"+second.ID+"/delete", nil)
		wantBody(t, c.follow(r), "“Second” deleted.")
		r = c.postForm("/admin/rooms/"+cellar+"/delete", nil)
		wantBody(t, c.follow(r), "Room deleted. Its renderings stay, with no room.")
		for _, p := range []string{"/admin/rooms/" + cellar + "/delete", "/admin/renderings/" + second.ID + "/delete", "/admin/rooms/bad/delete"} {
			if r := c.postForm(p, nil); r.Status != 404 {
				t.Errorf("POST %s again: %d, want 404", p, r.Status)
			}
		}

		// A designer sees no project deletion and may not post one.
		dc := e.adminSignIn(designerEmail)
		if strings.Contains(string(dc.get(base).Body), "Delete project") {
			t.Error("a designer is offered to delete the project")
		}
		if r := dc.postForm(base+"/delete", url.Values{"name": {"Hillside Residence"}}); r.Status != 403 {
			t.Errorf("designer deletes the project: %d", r.Status)
		}
		// A wrong name deletes nothing and says so next to the field.
		r = c.postForm(base+"/delete", url.Values{"name": {"hillside residence"}})
		if r.Status != 422 {
			t.Errorf("wrong name: %d", r.Status)
		}
		wantBody(t, r, "Type the project&#39;s name exactly as it is written to delete it.", `class="field-error"`, `value="hillside residence"`)
		if _, err := e.Store.Project(t.Context(), pid); err != nil {
			t.Fatalf("a wrong name deleted the project: %v", err)
		}
		r = c.postForm(base+"/delete", url.Values{"name": {"Hillside Residence"}})
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/admin" {
			t.Fatalf("delete project: %d %q", r.Status, r.Header.Get("Location"))
		}
		wantBody(t, c.follow(r), "Project “Hillside Residence” deleted, with its renderings and client links.")
		if r := e.anon().do("GET", "/client-progress/"+f.link.Token, nil); r.Status != 404 {
			t.Errorf("the link after the deletion: %d", r.Status)
		}
		if left := leftovers(t, e.FilesDir+"/renderings"); len(left) != 0 {
			t.Errorf("files left: %v", left)
		}
	})
}

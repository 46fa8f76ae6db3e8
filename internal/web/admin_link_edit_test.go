package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"atrium/internal/studio"
)

// The panel edits a link's label, expiry and PIN, reactivates a
// deactivated link and gives a link a new address, each confirmed first
// without JavaScript; a bad value shows the form again with its error.
func TestAdminEditLink(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		e := newEnv(t, db, nil)
		api := e.login(adminEmail)
		c := e.adminSignIn(adminEmail)
		p := api.newProject("Harbour Loft")
		l := api.newLink(p.ID, map[string]any{"label": "Jane", "expiresAt": "30d"})
		base := "/admin/links/" + l.ID

		page := c.get("/admin/projects/" + p.ID)
		wantBody(t, page, `action="`+base+`/edit"`, `action="`+base+`/rotate"`, "New address")

		// Bad input: the form again, open, with the error; nothing written.
		r := c.postForm(base+"/edit", url.Values{"label": {"Jane D"}, "expiresOn": {"2001-01-01"}, "pin": {"12"}})
		if r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("bad edit: %d", r.Status)
		}
		wantBody(t, r, "is in the past", "4 to 8 digits", `value="Jane D"`)
		if got := e.linkStats(l.ID); got.Label != "Jane" || got.HasPIN() {
			t.Fatalf("a refused edit wrote: %+v", got)
		}
		r = c.postForm(base+"/edit", url.Values{"label": {"Jane"}, "expiresOn": {"soon"}})
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(string(r.Body), "Never expires") {
			t.Errorf("bad date: %d", r.Status)
		}

		day := time.Now().UTC().AddDate(0, 3, 0).Format(time.DateOnly)
		r = c.postForm(base+"/edit", url.Values{"label": {"Jane Doe"}, "expiresOn": {day}, "pin": {"4321"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("edit: %d %s", r.Status, r.Body)
		}
		wantBody(t, c.follow(r), "The link for Jane Doe is saved.", `>PIN</span>`, "New PIN")
		got := e.linkStats(l.ID)
		if got.Label != "Jane Doe" || got.LastDay() != day || !studio.PINMatches([]byte("test secret, 32 bytes or so....."), got.PINDigest, "4321") {
			t.Fatalf("after edit: %+v", got)
		}
		// Never, and the PIN removed; an empty PIN field keeps it otherwise.
		r = c.postForm(base+"/edit", url.Values{"label": {"Jane Doe"}, "never": {"1"}, "expiresOn": {day}})
		if got = e.linkStats(l.ID); r.Status != http.StatusSeeOther || got.ExpiresAt != nil || !got.HasPIN() {
			t.Fatalf("never: %d %+v", r.Status, got)
		}
		c.postForm(base+"/edit", url.Values{"label": {"Jane Doe"}, "never": {"1"}, "removePin": {"1"}})
		if got = e.linkStats(l.ID); got.HasPIN() {
			t.Fatal("the PIN was not removed")
		}

		// Reactivate: a confirmation page without JS, then the same URL works.
		if _, err := e.Store.DeactivateLink(t.Context(), l.ID, ""); err != nil {
			t.Fatal(err)
		}
		wantBody(t, c.get("/admin/projects/"+p.ID), `action="`+base+`/reactivate"`, "Reactivate")
		r = c.postForm(base+"/reactivate", url.Values{})
		if r.Status != 200 || !strings.Contains(string(r.Body), "Reactivate this link?") {
			t.Fatalf("reactivate without confirmation: %d", r.Status)
		}
		if e.linkStats(l.ID).Active {
			t.Fatal("reactivated before confirmation")
		}
		r = c.postForm(base+"/reactivate", url.Values{"confirmed": {"1"}})
		wantBody(t, c.follow(r), "works again, at the same address", *l.URL)
		if r := e.anon().do("GET", "/api/client-progress/"+l.Token, nil); r.Status != 200 {
			t.Errorf("reactivated link: %d", r.Status)
		}

		// Rotate: confirmation, then the new URL shown ready to copy.
		r = c.postForm(base+"/rotate", url.Values{})
		if r.Status != 200 || !strings.Contains(string(r.Body), "Give this link a new address?") {
			t.Fatalf("rotate without confirmation: %d", r.Status)
		}
		r = c.postForm(base+"/rotate", url.Values{"confirmed": {"1"}})
		page = c.follow(r)
		wantBody(t, page, "has a new address", "link-new", "copy-row-new")
		m := clientURL.FindSubmatch(page.Body)
		if m == nil || string(m[2]) == l.Token {
			t.Fatalf("no new URL on the page")
		}
		if r := e.anon().do("GET", "/api/client-progress/"+l.Token, nil); r.Status != 404 {
			t.Errorf("old token after rotation: %d", r.Status)
		}
		if r := e.anon().do("GET", "/api/client-progress/"+string(m[2]), nil); r.Status != 200 {
			t.Errorf("new token: %d", r.Status)
		}
		// Unknown links are 404 pages.
		for _, path := range []string{"/admin/links/" + unknownID + "/edit", "/admin/links/" + unknownID + "/rotate", "/admin/links/nope/reactivate"} {
			if r := c.postForm(path, url.Values{"confirmed": {"1"}}); r.Status != 404 {
				t.Errorf("%s: %d", path, r.Status)
			}
		}
	})
}

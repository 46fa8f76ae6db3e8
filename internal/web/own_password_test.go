package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// An admin's own password, like everyone's, changes only with the current
// one: the admin door (PATCH /api/users/{id}, the reset form) refuses it
// for one's own account and points to the door that asks.
func TestAdminCannotSetOwnPasswordWithoutTheCurrentOne(t *testing.T) {
	eachDB(t, func(t *testing.T, db string) {
		e := newEnv(t, db, nil)
		const fresh = "walnut shelves by the window"
		self := "/api/users/" + e.Admin.ID
		run(t, e.login(adminEmail), []scenario{
			{name: "own password", method: "PATCH", path: self, body: map[string]any{"password": fresh}, status: 400, code: "invalid_input",
				field: "password", substr: []string{"/api/session/password", "current"}},
			{name: "own password and name", method: "PATCH", path: self, body: map[string]any{"name": "Ada Renamed", "password": fresh},
				status: 400, code: "invalid_input", field: "password"},
			{name: "own name alone", method: "PATCH", path: self, body: map[string]any{"name": "Ada Admin"}, status: 200},
		})

		c := e.adminSignIn(adminEmail)
		page := c.get("/admin/users")
		if strings.Contains(string(page.Body), `action="/admin/users/`+e.Admin.ID+`/password"`) {
			t.Error("the staff page offers a reset of one's own password")
		}
		wantBody(t, page, `action="/admin/users/`+e.Designer.ID+`/password"`, `href="/admin/password">Change your password</a>`)
		r := c.postForm("/admin/users/"+e.Admin.ID+"/password", url.Values{"password": {fresh}})
		if r.Status != http.StatusUnprocessableEntity {
			t.Errorf("forged reset of one's own password: %d, want 422", r.Status)
		}
		wantBody(t, r, "current password")

		if u, _ := e.Store.User(t.Context(), e.Admin.ID); u.Name != "Ada Admin" {
			t.Errorf("a refused change renamed the admin: %q", u.Name)
		}
		if r := e.anon().do("POST", "/api/session", map[string]string{"email": adminEmail, "password": fresh}); r.Status != 401 {
			t.Errorf("sign in with the refused password: %d, want 401", r.Status)
		}
		e.login(adminEmail) // the old password still works
	})
}

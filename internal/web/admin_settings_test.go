package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestAdminSettingsForm(t *testing.T) {
	t.Parallel()
	e := newEnv(t, dbSQLite, nil)
	c := e.adminSignIn(adminEmail)
	page := c.get("/admin/settings")
	if page.Status != http.StatusOK {
		t.Fatalf("settings: %d", page.Status)
	}
	wantBody(t, page, `type="color" name="accentColor"`, `action="/admin/settings/logo"`)

	r := c.postForm("/admin/settings", url.Values{"name": {"Maison Lumière"}, "accentColor": {"#336699"},
		"contactEmail": {"hello@maison.test"}, "contactPhone": {"+1 415 555 0100"}})
	wantBody(t, c.follow(r), "Studio settings saved.", `value="#336699"`, "Maison Lumière")
	st, _ := e.Store.Settings(t.Context())
	if st.Name != "Maison Lumière" || st.AccentColor != "#336699" || st.ContactPhone != "+1 415 555 0100" {
		t.Errorf("settings = %+v", st)
	}

	r = c.postForm("/admin/settings", url.Values{"name": {""}, "accentColor": {"#336699"}})
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("empty name: %d", r.Status)
	}
	wantBody(t, r, "Studio name must not be empty.")
	r = c.postForm("/admin/settings", url.Values{"name": {"X"}, "accentColor": {"blue"}})
	wantBody(t, r, "Accent colour must be a colour like #7a5c3e.")

	r = c.postMultipart("/admin/settings/logo", nil, map[string][]byte{"file": testJPEG(t)})
	wantBody(t, c.follow(r), "Logo updated.", `src="/api/studio/logo?v=`)
	r = c.postMultipart("/admin/settings/logo", nil, map[string][]byte{"file": []byte("nope")})
	if r.Status != http.StatusUnprocessableEntity {
		t.Errorf("bad logo: %d", r.Status)
	}
	wantBody(t, r, "The file is not a usable")
}

func TestAdminStaffAccounts(t *testing.T) {
	t.Parallel()
	e := newEnv(t, dbSQLite, nil)
	c := e.adminSignIn(adminEmail)
	page := c.get("/admin/users")
	wantBody(t, page, "Ada Admin", "Dan Designer", "2 accounts")

	r := c.postForm("/admin/users", url.Values{"name": {"Eve Example"}, "email": {"eve@studio.test"}, "role": {"designer"}, "password": {"short"}})
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("short password: %d", r.Status)
	}
	wantBody(t, r, "at least 12 characters", `value="Eve Example"`)
	if strings.Contains(string(r.Body), `value="short"`) {
		t.Errorf("the password was sent back into the page")
	}

	r = c.postForm("/admin/users", url.Values{"name": {"Eve Example"}, "email": {"eve@studio.test"}, "role": {"designer"}, "password": {"a long enough password"}})
	wantBody(t, c.follow(r), "Eve Example can now sign in as designer.", "eve@studio.test")
	if r := e.adminBrowser().postForm("/login", url.Values{"email": {"eve@studio.test"}, "password": {"a long enough password"}}); r.Status != http.StatusSeeOther {
		t.Errorf("the new account cannot sign in: %d", r.Status)
	}

	r = c.postForm("/admin/users", url.Values{"name": {"Eve Again"}, "email": {"EVE@studio.test"}, "role": {"designer"}, "password": {"a long enough password"}})
	if r.Status != http.StatusUnprocessableEntity {
		t.Errorf("taken email: %d", r.Status)
	}
	wantBody(t, r, "A staff account with this email already exists.")
	r = c.postForm("/admin/users", url.Values{"name": {"Max"}, "email": {"max@studio.test"}, "role": {"owner"}, "password": {"a long enough password"}})
	wantBody(t, r, "Role must be admin or designer.")
}

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

// The studio's language and currency in the settings form; budgets are
// then shown and typed the language's way, in that currency.
func TestAdminSettingsLocaleAndCurrency(t *testing.T) {
	t.Parallel()
	e := newEnv(t, dbSQLite, nil)
	c := e.adminSignIn(adminEmail)
	wantBody(t, c.get("/admin/settings"), `name="locale"`, `name="currency"`, `value="EUR"`)
	base := url.Values{"name": {"Maison"}, "accentColor": {"#336699"}}
	with := func(kv ...string) url.Values {
		v := url.Values{}
		for k, vs := range base {
			v[k] = vs
		}
		for i := 0; i < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	for _, bad := range []url.Values{with("currency", "XYZ"), with("currency", ""), with("locale", "pt")} {
		if r := c.postForm("/admin/settings", bad); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("%v: %d", bad, r.Status)
		} else if !strings.Contains(string(r.Body), "ISO 4217") && !strings.Contains(string(r.Body), "must be one of en") {
			t.Errorf("%v: no error named:\n%s", bad, r.Body)
		}
	}
	r := c.postForm("/admin/settings", with("locale", "de", "currency", "chf"))
	wantBody(t, c.follow(r), "Studio settings saved.", `value="CHF"`, `<option value="de" selected>Deutsch</option>`)

	r = c.postForm("/admin/projects", url.Values{"name": {"Casa"}, "clientName": {"Ana"}, "budget": {"12,345"}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(string(r.Body), "Enter an amount in CHF like 12500 or 12500,50.") {
		t.Errorf("a budget the German way cannot read: %d", r.Status)
	}
	r = c.postForm("/admin/projects", url.Values{"name": {"Casa"}, "clientName": {"Ana"}, "budget": {"185.000,50"}})
	page := c.follow(r)
	wantBody(t, page, "185.000,50\u00a0CHF", `value="185000,50"`, "Budget in CHF")
}

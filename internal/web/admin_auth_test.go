package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestAdminAnonymousGoesToLogin(t *testing.T) {
	t.Parallel()
	e := newEnv(t, dbSQLite, nil)
	c := e.adminBrowser()
	for _, tc := range []struct{ method, path, want string }{
		{"GET", "/admin", "/login"},
		{"GET", "/admin/", "/login?next=%2Fadmin%2F"},
		{"GET", "/admin/projects/" + unknownID, "/login?next=%2Fadmin%2Fprojects%2F" + unknownID},
		{"GET", "/admin/settings", "/login?next=%2Fadmin%2Fsettings"},
		{"POST", "/admin/projects", "/login"},
	} {
		r := c.send(tc.method, tc.path, "application/x-www-form-urlencoded", strings.NewReader("name=x"), nil)
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != tc.want {
			t.Errorf("%s %s: %d Location %q, want 303 %q", tc.method, tc.path, r.Status, r.Header.Get("Location"), tc.want)
		}
	}
	r := c.get("/login")
	if r.Status != http.StatusOK {
		t.Fatalf("GET /login: %d", r.Status)
	}
	wantBody(t, r, `<form method="post" action="/login"`, `name="email"`, `name="password"`, `autocomplete="current-password"`)
	if csp := r.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
		t.Errorf("CSP = %q", csp)
	}
	if strings.Contains(string(r.Body), "<script>") || strings.Contains(string(r.Body), "style=") {
		t.Errorf("login page has inline script or style:\n%s", r.Body)
	}
}

func TestAdminLoginForm(t *testing.T) {
	t.Parallel()
	e := newEnv(t, dbSQLite, nil)
	c := e.adminBrowser()

	r := c.postForm("/login", url.Values{"email": {adminEmail}, "password": {otherPassword}})
	if r.Status != http.StatusUnauthorized {
		t.Fatalf("wrong password: status %d, want 401", r.Status)
	}
	wantBody(t, r, "The email or password is not right.", `value="`+adminEmail+`"`)
	if r.Header.Get("Set-Cookie") != "" && strings.Contains(r.Header.Get("Set-Cookie"), "atrium_session") {
		t.Errorf("a failed sign-in set a session cookie")
	}

	r = c.postForm("/login", url.Values{"email": {""}, "password": {""}})
	if r.Status != http.StatusUnprocessableEntity {
		t.Errorf("empty form: status %d, want 422", r.Status)
	}

	// The destination is kept, but only within the admin.
	r = c.postForm("/login", url.Values{"email": {adminEmail}, "password": {testPassword}, "next": {"//evil.example/admin"}})
	if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/admin" {
		t.Fatalf("sign in: %d Location %q", r.Status, r.Header.Get("Location"))
	}
	r = c.get("/admin")
	if r.Status != http.StatusOK {
		t.Fatalf("GET /admin after sign in: %d", r.Status)
	}
	wantBody(t, r, "<h1>Projects</h1>", "Ada Admin", `action="/logout"`)

	// Signed in, the login page moves on.
	if r = c.get("/login?next=/admin/settings"); r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/admin/settings" {
		t.Errorf("GET /login signed in: %d %q", r.Status, r.Header.Get("Location"))
	}

	r = c.follow(c.postForm("/logout", nil))
	wantBody(t, r, "You are signed out.")
	if r = c.get("/admin"); r.Status != http.StatusSeeOther {
		t.Errorf("after sign out /admin: %d, want 303", r.Status)
	}
}

func TestAdminLoginRateLimited(t *testing.T) {
	t.Parallel()
	e := newEnv(t, dbSQLite, nil)
	c := e.adminBrowser()
	var r *resp
	for range 12 {
		r = c.postForm("/login", url.Values{"email": {adminEmail}, "password": {otherPassword}})
	}
	if r.Status != http.StatusTooManyRequests {
		t.Fatalf("after many failures: %d, want 429", r.Status)
	}
	wantBody(t, r, "Too many failed sign-ins")
}

func TestAdminDesignerCannotManageStudio(t *testing.T) {
	t.Parallel()
	e := newEnv(t, dbSQLite, nil)
	c := e.adminSignIn(designerEmail)
	for _, tc := range []struct{ method, path string }{
		{"GET", "/admin/settings"},
		{"GET", "/admin/users"},
		{"POST", "/admin/settings"},
		{"POST", "/admin/users"},
	} {
		var r *resp
		if tc.method == "GET" {
			r = c.get(tc.path)
		} else {
			r = c.postForm(tc.path, url.Values{"name": {"Hijacked"}, "email": {"x@y.test"}, "role": {"admin"}, "password": {"long enough password"}})
		}
		if r.Status != http.StatusForbidden {
			t.Errorf("%s %s as designer: %d, want 403", tc.method, tc.path, r.Status)
			continue
		}
		wantBody(t, r, "Not allowed", "Only a studio admin")
	}
	// A designer's navigation does not offer the admin pages.
	r := c.get("/admin")
	if strings.Contains(string(r.Body), `href="/admin/settings"`) {
		t.Errorf("designer sees the settings link")
	}
	if users, _ := e.Store.Users(t.Context()); len(users) != 2 {
		t.Errorf("a designer created an account: %d users", len(users))
	}
}

func TestAdminRefusesCrossSitePost(t *testing.T) {
	t.Parallel()
	e := newEnv(t, dbSQLite, nil)
	c := e.adminSignIn(adminEmail)
	r := c.send("POST", "/admin/projects", "application/x-www-form-urlencoded",
		strings.NewReader(url.Values{"name": {"Forged"}, "clientName": {"Mallory"}}.Encode()),
		map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"})
	if r.Status != http.StatusForbidden {
		t.Fatalf("cross-site POST: %d, want 403", r.Status)
	}
	list, err := e.Store.Projects(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 0 {
		t.Errorf("the forged project was created")
	}
	// Sign-in is protected too (login CSRF).
	r = e.adminBrowser().send("POST", "/login", "application/x-www-form-urlencoded",
		strings.NewReader(url.Values{"email": {adminEmail}, "password": {testPassword}}.Encode()),
		map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"})
	if r.Status != http.StatusForbidden {
		t.Errorf("cross-site login: %d, want 403", r.Status)
	}
}

func TestAdminUnknownPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t, dbSQLite, nil)
	c := e.adminSignIn(adminEmail)
	for _, p := range []string{"/admin/projects/" + unknownID, "/admin/projects/not-an-id", "/admin/nothing-here", "/admin/links/" + unknownID} {
		r := c.get(p)
		if r.Status != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", p, r.Status)
			continue
		}
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
			t.Errorf("GET %s: Content-Type %q", p, ct)
		}
		wantBody(t, r, "Not found", "Back to projects")
	}
}

// A cross-site POST under a client link is refused in the client's words,
// on the client's error page with the client headers, not as a failure of
// the server.
func TestClientPageRefusesCrossSitePostInPlainWords(t *testing.T) {
	t.Parallel()
	e := newEnv(t, dbSQLite, nil)
	f := newPortalFixture(t, e)
	link := f.staff.newLink(f.project.ID, nil)
	r := f.staff.send("POST", "/client-progress/"+link.Token, "application/x-www-form-urlencoded",
		strings.NewReader("x=1"), map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"})
	if r.Status != http.StatusForbidden {
		t.Fatalf("cross-site POST to a client page: %d, want 403", r.Status)
	}
	if body := string(r.Body); !strings.Contains(body, "This request was refused") || strings.Contains(body, "went wrong") {
		t.Errorf("cross-site POST page says:\n%s", r.Body)
	}
	if got := r.Header.Get("X-Robots-Tag"); got != "noindex, nofollow" {
		t.Errorf("X-Robots-Tag = %q", got)
	}
}

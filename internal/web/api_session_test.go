package web_test

import (
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"atrium/internal/web"
)

func TestLogin(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		e := newEnv(t, db, nil)
		c := e.anon()
		run(t, c, []scenario{
			{name: "no session yet", method: "GET", path: "/api/session", status: 401, code: "unauthenticated"},
			{name: "wrong password", method: "POST", path: "/api/session",
				body: map[string]string{"email": adminEmail, "password": otherPassword}, status: 401, code: "invalid_credentials"},
			{name: "unknown email", method: "POST", path: "/api/session",
				body: map[string]string{"email": "nobody@studio.test", "password": testPassword}, status: 401, code: "invalid_credentials"},
			{name: "missing password", method: "POST", path: "/api/session",
				body: map[string]string{"email": adminEmail}, status: 400, code: "invalid_input", field: "password"},
			{name: "malformed body", method: "POST", path: "/api/session", body: `{"email":`, status: 400, code: "invalid_input"},
			{name: "still no session", method: "GET", path: "/api/session", status: 401, code: "unauthenticated"},
			{name: "right password, email in other case", method: "POST", path: "/api/session",
				body: map[string]string{"email": "ADMIN@Studio.test", "password": testPassword}, status: 200,
				substr: []string{`"email":"admin@studio.test"`, `"role":"admin"`, `"name":"Ada Admin"`, `"id":"` + e.Admin.ID + `"`}},
			{name: "session now", method: "GET", path: "/api/session", status: 200, substr: []string{`"role":"admin"`}},
		})
		r := c.do("GET", "/api/session", nil)
		if strings.Contains(string(r.Body), "argon2") || strings.Contains(string(r.Body), "password") {
			t.Errorf("session JSON leaks the password hash: %s", r.Body)
		}
	})
}

// A password's spaces are its own: kept on creation through the API and the
// staff form, and at sign-in through the API and the login form.
func TestPasswordSpacesAreKept(t *testing.T) {
	t.Parallel()
	e := newEnv(t, dbSQLite, nil)
	const spaced = "  a long spaced password  "
	admin := e.login(adminEmail)
	if r := admin.do("POST", "/api/users", map[string]string{"email": "sp@studio.test", "name": "Sp", "role": "designer", "password": spaced}); r.Status != 201 {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	if r := e.adminSignIn(adminEmail).postForm("/admin/users", url.Values{"email": {"sp2@studio.test"}, "name": {"Sp2"}, "role": {"designer"}, "password": {spaced}}); r.Status != http.StatusSeeOther {
		t.Fatalf("create through the form: %d %s", r.Status, r.Body)
	}
	for _, email := range []string{"sp@studio.test", "sp2@studio.test"} {
		if r := e.anon().do("POST", "/api/session", map[string]string{"email": email, "password": strings.TrimSpace(spaced)}); r.Status != 401 {
			t.Errorf("%s: the trimmed password signed in through the API: %d", email, r.Status)
		}
		if r := e.anon().do("POST", "/api/session", map[string]string{"email": email, "password": spaced}); r.Status != 200 {
			t.Errorf("%s: the password as set, through the API: %d %s", email, r.Status, r.Body)
		}
		if r := e.adminBrowser().postForm("/login", url.Values{"email": {email}, "password": {spaced}}); r.Status != http.StatusSeeOther {
			t.Errorf("%s: the password as set, through the login form: %d", email, r.Status)
		}
	}
}

func TestLogoutEndsSessionOnServer(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		e := newEnv(t, db, nil)
		c := e.login(adminEmail)
		u, _ := http.NewRequest("GET", e.URL, nil)
		var stolen string
		for _, ck := range c.hc.Jar.Cookies(u.URL) {
			if ck.Name == "atrium_session" {
				stolen = ck.Value
			}
		}
		if stolen == "" {
			t.Fatalf("cookies after login = %v, want atrium_session", c.hc.Jar.Cookies(u.URL))
		}

		r := c.do("DELETE", "/api/session", nil)
		if r.Status != 204 {
			t.Fatalf("logout: %d %s", r.Status, r.Body)
		}
		if r := c.do("GET", "/api/session", nil); r.Status != 401 {
			t.Errorf("after logout: GET /api/session = %d, want 401", r.Status)
		}
		// The old cookie, replayed by hand, opens nothing: the session is
		// gone from the database, not only from the browser.
		replay := e.anon()
		r = replay.send("GET", "/api/projects", "", nil, map[string]string{"Cookie": "atrium_session=" + stolen})
		check(t, scenario{name: "replayed cookie", method: "GET", path: "/api/projects", status: 401, code: "unauthenticated"}, r)
		// Logging out without a session is harmless.
		if r := e.anon().do("DELETE", "/api/session", nil); r.Status != 204 {
			t.Errorf("logout without session = %d, want 204", r.Status)
		}
	})
}

func TestSessionCookieAttributes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		base       string
		wantSecure bool
	}{{"http://localhost:8080", false}, {"https://portal.studio.example", true}} {
		e := newEnv(t, dbSQLite, func(c *web.Config) { c.BaseURL = tc.base })
		c := e.anon()
		r := c.do("POST", "/api/session", map[string]string{"email": adminEmail, "password": testPassword})
		if r.Status != 200 {
			t.Fatalf("%s: login %d %s", tc.base, r.Status, r.Body)
		}
		var sc *http.Cookie
		for _, ck := range r.raw.Cookies() {
			if ck.Name == "atrium_session" {
				sc = ck
			}
		}
		if sc == nil {
			t.Fatalf("%s: no atrium_session cookie in %v", tc.base, r.Header["Set-Cookie"])
		}
		if !sc.HttpOnly || sc.SameSite != http.SameSiteLaxMode || sc.Secure != tc.wantSecure || sc.Path != "/" {
			t.Errorf("%s: cookie HttpOnly=%v SameSite=%v Secure=%v Path=%q, want true Lax %v /",
				tc.base, sc.HttpOnly, sc.SameSite, sc.Secure, sc.Path, tc.wantSecure)
		}
		if len(sc.Value) < 40 {
			t.Errorf("%s: session id %q is too short to be unguessable", tc.base, sc.Value)
		}
		// The database keeps a digest, never the id itself.
		if _, err := e.Store.SessionByDigest(t.Context(), sc.Value); err == nil {
			t.Errorf("%s: the raw session id is a database key", tc.base)
		}
	}
}

func TestSessionIdleTimeout(t *testing.T) {
	t.Parallel()
	e := newEnv(t, dbSQLite, func(c *web.Config) { c.SessionIdle = time.Hour })
	c := e.login(adminEmail)
	e.Clock.Advance(30 * time.Minute)
	if r := c.do("GET", "/api/session", nil); r.Status != 200 {
		t.Errorf("session used within its idle timeout: GET /api/session = %d, want 200", r.Status)
	}
	e.Clock.Advance(61 * time.Minute)
	if r := c.do("GET", "/api/session", nil); r.Status != 401 {
		t.Errorf("idle session: GET /api/session = %d, want 401", r.Status)
	}
}

func TestLoginRateLimitPerAccount(t *testing.T) {
	t.Parallel()
	// LoginPerMinute 4: each account gets 4/2+1 = 3 failures, each IP 4.
	e := newEnv(t, dbSQLite, func(c *web.Config) { c.LoginPerMinute = 4 })
	c := e.anon()
	wrong := map[string]string{"email": designerEmail, "password": otherPassword}
	for i := range 3 {
		if r := c.do("POST", "/api/session", wrong); r.Status != 401 {
			t.Fatalf("failure %d: %d %s, want 401", i+1, r.Status, r.Body)
		}
	}
	// Blocked now, even with the right password.
	r := c.do("POST", "/api/session", map[string]string{"email": designerEmail, "password": testPassword})
	checkRateLimited(t, "account after 3 failures", r)
	// The IP still has one failure left, so another account signs in.
	if r := c.do("POST", "/api/session", map[string]string{"email": adminEmail, "password": testPassword}); r.Status != 200 {
		t.Errorf("other account from the same IP: %d %s, want 200", r.Status, r.Body)
	}
}

// TestLoginRateLimitHoldsInParallel sends a burst of wrong passwords at
// once: the limit must hold even though none has failed when all arrive.
func TestLoginRateLimitHoldsInParallel(t *testing.T) {
	t.Parallel()
	e := newEnv(t, dbSQLite, func(c *web.Config) { c.LoginPerMinute = 4 }) // 3 failures per account
	wrong := map[string]string{"email": designerEmail, "password": otherPassword}
	const n = 12
	statuses := make(chan int, n)
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() { statuses <- e.anon().do("POST", "/api/session", wrong).Status })
	}
	wg.Wait()
	close(statuses)
	count := map[int]int{}
	for st := range statuses {
		count[st]++
	}
	if count[401] != 3 || count[429] != n-3 {
		t.Errorf("%d parallel wrong passwords: %v, want 3 × 401 and %d × 429", n, count, n-3)
	}
}

func TestSessionAbsoluteTimeout(t *testing.T) {
	t.Parallel()
	e := newEnv(t, dbSQLite, func(c *web.Config) { c.SessionIdle, c.SessionAbsolute = time.Hour, 3*time.Hour })
	c := e.login(adminEmail)
	// Busy all along, so the idle timeout never applies.
	last := 0
	for i := 1; i <= 5; i++ {
		e.Clock.Advance(40 * time.Minute)
		last = c.do("GET", "/api/session", nil).Status
		if i < 5 && last != 200 {
			t.Fatalf("a busy session %d min old: GET /api/session = %d, want 200", 40*i, last)
		}
	}
	if last != 401 {
		t.Errorf("a session past its absolute lifetime: GET /api/session = %d, want 401", last)
	}
}

func TestLoginRateLimitPerIP(t *testing.T) {
	t.Parallel()
	proxy := netip.MustParsePrefix("127.0.0.1/32")
	e := newEnv(t, dbSQLite, func(c *web.Config) {
		c.LoginPerMinute = 4
		c.TrustedProxies = []netip.Prefix{proxy}
	})
	c := e.anon()
	from := func(ip string) map[string]string { return map[string]string{"X-Forwarded-For": ip} }
	// Four failures on four different accounts: no account is blocked.
	for i := range 4 {
		body := `{"email":"guess` + strconv.Itoa(i) + `@studio.test","password":"guess"}`
		if r := c.send("POST", "/api/session", "application/json", strings.NewReader(body), from("203.0.113.7")); r.Status != 401 {
			t.Fatalf("failure %d: %d %s, want 401", i+1, r.Status, r.Body)
		}
	}
	good := `{"email":"` + adminEmail + `","password":"` + testPassword + `"}`
	r := c.send("POST", "/api/session", "application/json", strings.NewReader(good), from("203.0.113.7"))
	checkRateLimited(t, "IP after 4 failures", r)
	// The same account from another address is fine.
	if r := c.send("POST", "/api/session", "application/json", strings.NewReader(good), from("198.51.100.2")); r.Status != 200 {
		t.Errorf("same account, other IP: %d %s, want 200", r.Status, r.Body)
	}
}

func checkRateLimited(t *testing.T, what string, r *resp) {
	t.Helper()
	check(t, scenario{name: what, method: "POST", path: "/api/session", status: 429, code: "rate_limited"}, r)
	secs, err := strconv.Atoi(r.Header.Get("Retry-After"))
	if err != nil || secs < 1 || secs > 60 {
		t.Errorf("%s: Retry-After = %q, want whole seconds in 1..60", what, r.Header.Get("Retry-After"))
	}
}

// staffRoutes is every staff API route (docs/openapi.yaml), with ids filled in.
func staffRoutes(id string) [][2]string {
	return [][2]string{
		{"GET", "/api/session"},
		{"GET", "/api/projects"},
		{"POST", "/api/projects"},
		{"GET", "/api/projects/" + id},
		{"PATCH", "/api/projects/" + id},
		{"POST", "/api/projects/" + id + "/rooms"},
		{"PATCH", "/api/rooms/" + id},
		{"PATCH", "/api/phases/" + id},
		{"POST", "/api/projects/" + id + "/team"},
		{"POST", "/api/projects/" + id + "/comments"},
		{"POST", "/api/projects/" + id + "/renderings"},
		{"PATCH", "/api/renderings/" + id},
		{"GET", "/api/renderings/" + id + "/file?size=thumb"},
		{"GET", "/api/studio"},
		{"PATCH", "/api/studio"},
		{"POST", "/api/studio/logo"},
		{"GET", "/api/studio/logo"},
		{"GET", "/api/users"},
		{"POST", "/api/users"},
		{"PATCH", "/api/users/" + id},
		{"POST", "/api/session/password"},
		{"GET", "/api/client-access?projectId=" + id},
		{"POST", "/api/client-access"},
		{"DELETE", "/api/client-access?id=" + id},
		{"DELETE", "/api/client-access/" + id},
		{"GET", "/api/client-access/" + id + "/logs"},
	}
}

func TestStaffRoutesNeedSession(t *testing.T) {
	t.Parallel()
	e := newEnv(t, dbSQLite, nil)
	p := e.login(adminEmail).newProject("Hillside")
	c := e.anon()
	var scenarios []scenario
	for _, id := range []string{p.ID, unknownID} {
		for _, rt := range staffRoutes(id) {
			scenarios = append(scenarios, scenario{name: "anonymous", method: rt[0], path: rt[1], body: `{}`,
				status: 401, code: "unauthenticated"})
		}
	}
	// A made-up cookie is no session either.
	run(t, c, scenarios)
	c.hdr.Set("Cookie", "atrium_session=forged-session-id-forged-session-id-forged-1")
	run(t, c, scenarios)
}

func TestDesignerCannotUseAdminRoutes(t *testing.T) {
	t.Parallel()
	e := newEnv(t, dbSQLite, nil)
	c := e.login(designerEmail)
	run(t, c, []scenario{
		{name: "designer reads studio", method: "GET", path: "/api/studio", status: 200},
		{name: "designer edits studio", method: "PATCH", path: "/api/studio", body: map[string]string{"name": "Mine"}, status: 403, code: "forbidden"},
		{name: "designer uploads logo", method: "POST", path: "/api/studio/logo", body: `{}`, status: 403, code: "forbidden"},
		{name: "designer lists staff", method: "GET", path: "/api/users", status: 403, code: "forbidden"},
		{name: "designer creates staff", method: "POST", path: "/api/users",
			body: map[string]string{"email": "x@studio.test", "name": "X", "role": "admin", "password": testPassword}, status: 403, code: "forbidden"},
		{name: "designer works on projects", method: "POST", path: "/api/projects",
			body: map[string]string{"name": "Loft", "clientName": "Sam"}, status: 201},
	})
	if _, err := e.Store.UserByEmail(t.Context(), "x@studio.test"); err == nil {
		t.Error("a designer created a staff account")
	}
	if st, _ := e.Store.Settings(t.Context()); st.Name == "Mine" {
		t.Error("a designer renamed the studio")
	}
	run(t, e.login(adminEmail), []scenario{
		{name: "admin lists staff", method: "GET", path: "/api/users", status: 200, substr: []string{designerEmail}},
		{name: "admin edits studio", method: "PATCH", path: "/api/studio",
			body: map[string]string{"name": "Oak & Ash", "accentColor": "#112233"}, status: 200, substr: []string{`"name":"Oak \u0026 Ash"`}},
	})
}

func TestCrossSiteRequestsRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t, dbSQLite, nil)
	c := e.login(adminEmail)
	evil := map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}
	originOnly := map[string]string{"Origin": "https://evil.example"}
	body := `{"name":"Forged","clientName":"Mallory"}`
	run(t, c, []scenario{
		{name: "cross-site POST", method: "POST", path: "/api/projects", body: body, hdr: evil, status: 403, code: "forbidden"},
		{name: "foreign Origin without Sec-Fetch-Site", method: "POST", path: "/api/projects", body: body, hdr: originOnly,
			status: 403, code: "forbidden"},
		{name: "cross-site PATCH", method: "PATCH", path: "/api/studio", body: `{"name":"Forged"}`, hdr: evil, status: 403, code: "forbidden"},
		{name: "cross-site logout", method: "DELETE", path: "/api/session", hdr: evil, status: 403, code: "forbidden"},
		{name: "cross-site login", method: "POST", path: "/api/session",
			body: `{"email":"` + adminEmail + `","password":"` + testPassword + `"}`, hdr: evil, status: 403, code: "forbidden"},
		{name: "cross-site GET is a read", method: "GET", path: "/api/session", hdr: evil, status: 200},
		{name: "same-origin POST", method: "POST", path: "/api/projects", body: `{"name":"Real","clientName":"Jane"}`,
			hdr: map[string]string{"Origin": e.URL, "Sec-Fetch-Site": "same-origin"}, status: 201},
		{name: "script POST without browser headers", method: "POST", path: "/api/projects",
			body: `{"name":"Scripted","clientName":"Jane"}`, status: 201},
	})
	list, err := e.Store.Projects(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range list {
		if p.Name == "Forged" {
			t.Error("a cross-site POST created a project")
		}
	}
	if len(list) != 2 {
		t.Errorf("%d projects, want 2 (same-origin and scripted)", len(list))
	}
}

package web_test

import (
	"bytes"
	"image/jpeg"
	"strings"
	"testing"

	"atrium/internal/store"
)

func TestStudioSettingsAPI(t *testing.T) {
	t.Parallel()
	e := newEnv(t, dbSQLite, nil)
	c := e.login(adminEmail)
	run(t, c, []scenario{
		{name: "defaults", method: "GET", path: "/api/studio", status: 200,
			substr: []string{`"name":"Atrium Studio"`, `"accentColor":"#7a5c3e"`, `"hasLogo":false`}},
		{name: "update", method: "PATCH", path: "/api/studio", status: 200,
			body:   map[string]string{"name": "Oak & Ash", "accentColor": "#112233", "contactEmail": "hello@oak.test", "contactPhone": "+44 20 1234"},
			substr: []string{`"accentColor":"#112233"`, `"contactEmail":"hello@oak.test"`}},
		{name: "bad colour", method: "PATCH", path: "/api/studio", body: `{"accentColor":"red"}`, status: 400, code: "invalid_input", field: "accentColor"},
		{name: "colour with script", method: "PATCH", path: "/api/studio", body: `{"accentColor":"#1;x{}"}`, status: 400, code: "invalid_input", field: "accentColor"},
		{name: "empty name", method: "PATCH", path: "/api/studio", body: `{"name":""}`, status: 400, code: "invalid_input", field: "name"},
		{name: "bad email", method: "PATCH", path: "/api/studio", body: `{"contactEmail":"nope"}`, status: 400, code: "invalid_input", field: "contactEmail"},
		{name: "logo is not a settings field", method: "PATCH", path: "/api/studio", body: `{"logoKey":"../../etc/passwd"}`,
			status: 400, code: "invalid_input", field: "logoKey"},
		{name: "no logo yet", method: "GET", path: "/api/studio/logo", status: 404, code: "not_found"},
		{name: "unchanged by bad input", method: "GET", path: "/api/studio", status: 200,
			substr: []string{`"name":"Oak \u0026 Ash"`, `"accentColor":"#112233"`}},
	})
}

func TestStudioLogo(t *testing.T) {
	t.Parallel()
	e := newEnv(t, dbSQLite, nil)
	c := e.login(adminEmail)
	logo := func(data []byte) *resp {
		t.Helper()
		body, ctype := multipartBody(t, filePart("logo.jpg", data))
		return c.send("POST", "/api/studio/logo", ctype, bytes.NewReader(body), nil)
	}
	r := logo([]byte("<svg>not accepted</svg>"))
	check(t, scenario{name: "text logo", method: "POST", path: "/api/studio/logo", status: 400, code: "invalid_image"}, r)
	if left := leftovers(t, e.FilesDir); len(left) != 0 {
		t.Errorf("refused logo left files: %v", left)
	}

	for i := range 2 {
		r := logo(gradientJPEG(t, 1200, 600))
		if r.Status != 200 || !strings.Contains(string(r.Body), `"hasLogo":true`) {
			t.Fatalf("logo upload %d: %d %s", i+1, r.Status, r.Body)
		}
	}
	r = c.do("GET", "/api/studio/logo", nil)
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(r.Body))
	if r.Status != 200 || err != nil || cfg.Width != 480 || cfg.Height != 240 {
		t.Errorf("logo: %d %dx%d (%v), want 200 and a 480x240 JPEG", r.Status, cfg.Width, cfg.Height, err)
	}
	// Only the current logo's one file remains: the original, the preview
	// and the replaced logo are gone.
	var files []string
	for _, f := range leftovers(t, e.FilesDir) {
		if strings.HasSuffix(f, ".jpg") {
			files = append(files, f)
		}
	}
	if len(files) != 1 {
		t.Errorf("storage after two logos = %v, want one file", files)
	}
}

func TestUsersAPI(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		e := newEnv(t, db, nil)
		c := e.login(adminEmail)
		newUser := func(email, role, password string) map[string]string {
			return map[string]string{"email": email, "name": "New Person", "role": role, "password": password}
		}
		run(t, c, []scenario{
			{name: "create designer", method: "POST", path: "/api/users", body: newUser("new@studio.test", "designer", testPassword),
				status: 201, substr: []string{`"email":"new@studio.test"`, `"role":"designer"`}},
			{name: "same email, other case", method: "POST", path: "/api/users", body: newUser("NEW@studio.test", "admin", testPassword),
				status: 409, code: "conflict"},
			{name: "short password", method: "POST", path: "/api/users", body: newUser("b@studio.test", "designer", "short"),
				status: 400, code: "invalid_input", field: "password"},
			{name: "unknown role", method: "POST", path: "/api/users", body: newUser("b@studio.test", "owner", testPassword),
				status: 400, code: "invalid_input", field: "role"},
			{name: "bad email", method: "POST", path: "/api/users", body: newUser("b at studio", "designer", testPassword),
				status: 400, code: "invalid_input", field: "email"},
			{name: "missing password", method: "POST", path: "/api/users", body: `{"email":"b@studio.test","name":"B","role":"designer"}`,
				status: 400, code: "invalid_input", field: "password"},
			{name: "list", method: "GET", path: "/api/users", status: 200, substr: []string{adminEmail, designerEmail, "new@studio.test"}},
		})
		r := c.do("GET", "/api/users", nil)
		if strings.Contains(string(r.Body), "argon2") || strings.Contains(strings.ToLower(string(r.Body)), "passwordhash") {
			t.Errorf("user list leaks password hashes: %s", r.Body)
		}
		// The new account can sign in with the password it was given.
		if r := e.anon().do("POST", "/api/session", map[string]string{"email": "new@studio.test", "password": testPassword}); r.Status != 200 {
			t.Errorf("new user sign-in: %d %s", r.Status, r.Body)
		}
	})
}

// Disabling an account ends its sessions at once and refuses new ones.
func TestDisabledUser(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		e := newEnv(t, db, nil)
		c := e.login(designerEmail)
		disabled := true
		if _, err := e.Store.UpdateUser(t.Context(), e.Designer.ID, store.UserChange{Disabled: &disabled}); err != nil {
			t.Fatal(err)
		}
		run(t, c, []scenario{
			{name: "open session after disable", method: "GET", path: "/api/projects", status: 401, code: "unauthenticated"},
		})
		run(t, e.anon(), []scenario{
			{name: "sign-in after disable", method: "POST", path: "/api/session",
				body: map[string]string{"email": designerEmail, "password": testPassword}, status: 401, code: "invalid_credentials"},
		})
	})
}

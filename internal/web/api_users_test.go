package web_test

import (
	"strings"
	"testing"
)

func TestAdminManagesStaffAccounts(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		e := newEnv(t, db, nil)
		admin := e.login(adminEmail)
		designerHere, designerThere := e.login(designerEmail), e.login(designerEmail)
		path := "/api/users/" + e.Designer.ID
		run(t, admin, []scenario{
			{name: "unknown field", method: "PATCH", path: path, body: map[string]any{"email": "x@y.test"}, status: 400, code: "invalid_input", field: "email"},
			{name: "bad role", method: "PATCH", path: path, body: map[string]any{"role": "owner"}, status: 400, code: "invalid_input", field: "role"},
			{name: "disabled not a boolean", method: "PATCH", path: path, body: map[string]any{"disabled": "yes"}, status: 400, code: "invalid_input", field: "disabled"},
			{name: "empty name", method: "PATCH", path: path, body: map[string]any{"name": " "}, status: 400, code: "invalid_input", field: "name"},
			{name: "weak password", method: "PATCH", path: path, body: map[string]any{"password": "qwertyuiopas"}, status: 400, code: "invalid_input",
				field: "password", substr: []string{"sequence"}},
			{name: "common password", method: "PATCH", path: path, body: map[string]any{"password": "Administrator"}, status: 400, code: "invalid_input",
				field: "password", substr: []string{"common"}},
			{name: "unknown user", method: "PATCH", path: "/api/users/" + unknownID, body: map[string]any{"name": "X"}, status: 404, code: "not_found"},
			{name: "malformed id", method: "PATCH", path: "/api/users/nope", body: map[string]any{"name": "X"}, status: 404, code: "not_found"},
			{name: "rename and promote", method: "PATCH", path: path, body: map[string]any{"name": "Dana Designer", "role": "admin"}, status: 200,
				substr: []string{`"name":"Dana Designer"`, `"role":"admin"`, `"disabled":false`, `"id":"` + e.Designer.ID + `"`}},
			{name: "demote again", method: "PATCH", path: path, body: map[string]any{"role": "designer"}, status: 200, substr: []string{`"role":"designer"`}},
		})
		// A rename or a role change leaves the designer signed in.
		if r := designerHere.do("GET", "/api/session", nil); r.Status != 200 || !strings.Contains(string(r.Body), `"role":"designer"`) {
			t.Errorf("designer after a role change: %d %s", r.Status, r.Body)
		}

		// Disabling ends every session of the account at once.
		run(t, admin, []scenario{{name: "disable", method: "PATCH", path: path, body: map[string]any{"disabled": true}, status: 200,
			substr: []string{`"disabled":true`}}})
		for i, c := range []*client{designerHere, designerThere} {
			if r := c.do("GET", "/api/projects", nil); r.Status != 401 {
				t.Errorf("session %d of a disabled account: %d, want 401", i, r.Status)
			}
		}
		if r := e.anon().do("POST", "/api/session", map[string]string{"email": designerEmail, "password": testPassword}); r.Status != 401 {
			t.Errorf("a disabled account signed in: %d", r.Status)
		}
		run(t, admin, []scenario{{name: "enable", method: "PATCH", path: path, body: map[string]any{"disabled": false}, status: 200,
			substr: []string{`"disabled":false`}}})
		designer := e.login(designerEmail)

		// A password reset ends the account's sessions; the new password works.
		const fresh = "walnut shelves by the window"
		run(t, admin, []scenario{{name: "reset password", method: "PATCH", path: path, body: map[string]any{"password": fresh}, status: 200}})
		if r := designer.do("GET", "/api/session", nil); r.Status != 401 {
			t.Errorf("session after a password reset: %d, want 401", r.Status)
		}
		if r := e.anon().do("POST", "/api/session", map[string]string{"email": designerEmail, "password": fresh}); r.Status != 200 {
			t.Errorf("sign in with the reset password: %d %s", r.Status, r.Body)
		}

		// The last active admin can be neither demoted nor disabled, even by themself.
		self := "/api/users/" + e.Admin.ID
		run(t, admin, []scenario{
			{name: "demote the last admin", method: "PATCH", path: self, body: map[string]any{"role": "designer"}, status: 409, code: "conflict",
				field: "role", substr: []string{"last active admin"}},
			{name: "disable the last admin", method: "PATCH", path: self, body: map[string]any{"disabled": true}, status: 409, code: "conflict",
				field: "disabled"},
		})
		if r := admin.do("GET", "/api/session", nil); r.Status != 200 || !strings.Contains(string(r.Body), `"role":"admin"`) {
			t.Errorf("the last admin after refused changes: %d %s", r.Status, r.Body)
		}
		// Designers cannot use it at all.
		run(t, e.login(designerEmailAfterReset(t, e, fresh)), []scenario{
			{name: "designer edits staff", method: "PATCH", path: self, body: map[string]any{"name": "Mine"}, status: 403, code: "forbidden"},
		})
	})
}

// designerEmailAfterReset puts the test password back on the designer and
// returns the email, so that e.login works again.
func designerEmailAfterReset(t *testing.T, e *env, current string) string {
	t.Helper()
	c := e.anon()
	if r := c.do("POST", "/api/session", map[string]string{"email": designerEmail, "password": current}); r.Status != 200 {
		t.Fatalf("sign in: %d %s", r.Status, r.Body)
	}
	if r := c.do("POST", "/api/session/password", map[string]string{"currentPassword": current, "newPassword": testPassword}); r.Status != 204 {
		t.Fatalf("change back: %d %s", r.Status, r.Body)
	}
	return designerEmail
}

func TestEveryoneChangesTheirOwnPassword(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		e := newEnv(t, db, nil)
		here, phone := e.login(designerEmail), e.login(designerEmail)
		admin := e.login(adminEmail)
		const fresh = "linen curtains and oak floors"
		run(t, here, []scenario{
			{name: "no current password", method: "POST", path: "/api/session/password", body: map[string]string{"newPassword": fresh},
				status: 400, code: "invalid_input", field: "currentPassword"},
			{name: "no new password", method: "POST", path: "/api/session/password", body: map[string]string{"currentPassword": testPassword},
				status: 400, code: "invalid_input", field: "newPassword"},
			{name: "wrong current password", method: "POST", path: "/api/session/password",
				body: map[string]string{"currentPassword": otherPassword, "newPassword": fresh}, status: 400, code: "invalid_input", field: "currentPassword"},
			{name: "too short", method: "POST", path: "/api/session/password",
				body: map[string]string{"currentPassword": testPassword, "newPassword": "short"}, status: 400, code: "invalid_input", field: "newPassword",
				substr: []string{"at least 12"}},
			{name: "one character", method: "POST", path: "/api/session/password",
				body: map[string]string{"currentPassword": testPassword, "newPassword": "eeeeeeeeeeeeee"}, status: 400, code: "invalid_input",
				field: "newPassword", substr: []string{"one character"}},
			{name: "the same again", method: "POST", path: "/api/session/password",
				body: map[string]string{"currentPassword": testPassword, "newPassword": testPassword}, status: 400, code: "invalid_input", field: "newPassword"},
			{name: "unknown field", method: "POST", path: "/api/session/password",
				body: map[string]string{"currentPassword": testPassword, "newPassword": fresh, "userId": e.Admin.ID}, status: 400, code: "invalid_input", field: "userId"},
			{name: "changed", method: "POST", path: "/api/session/password",
				body: map[string]string{"currentPassword": testPassword, "newPassword": fresh}, status: 204},
			{name: "this session goes on", method: "GET", path: "/api/session", status: 200},
		})
		if r := phone.do("GET", "/api/session", nil); r.Status != 401 {
			t.Errorf("the other session after a password change: %d, want 401", r.Status)
		}
		if r := admin.do("GET", "/api/session", nil); r.Status != 200 {
			t.Errorf("another account's session after the change: %d, want 200", r.Status)
		}
		if r := e.anon().do("POST", "/api/session", map[string]string{"email": designerEmail, "password": testPassword}); r.Status != 401 {
			t.Errorf("the old password still signs in: %d", r.Status)
		}
		if r := e.anon().do("POST", "/api/session", map[string]string{"email": designerEmail, "password": fresh}); r.Status != 200 {
			t.Errorf("the new password: %d %s", r.Status, r.Body)
		}
		if r := e.anon().do("POST", "/api/session/password", map[string]string{"currentPassword": fresh, "newPassword": fresh + "!"}); r.Status != 401 {
			t.Errorf("without a session: %d, want 401", r.Status)
		}
	})
}

// Guessing the current password through the change form is held to the
// sign-in limits: a stolen session cannot be used to find the password.
func TestOwnPasswordChangeIsRateLimited(t *testing.T) {
	t.Parallel()
	e := newEnv(t, dbSQLite, nil)
	c := e.login(designerEmail)
	wrong := map[string]string{"currentPassword": otherPassword, "newPassword": "linen curtains and oak floors"}
	for i := range 6 {
		if r := c.do("POST", "/api/session/password", wrong); r.Status != 400 {
			t.Fatalf("guess %d: %d %s", i+1, r.Status, r.Body)
		}
	}
	r := c.do("POST", "/api/session/password", map[string]string{"currentPassword": testPassword, "newPassword": "linen curtains and oak floors"})
	check(t, scenario{name: "after 6 wrong current passwords", method: "POST", path: "/api/session/password", status: 429, code: "rate_limited"}, r)
}

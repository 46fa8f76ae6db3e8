package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestAdminStaffLifecycle(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		e := newEnv(t, db, nil)
		c := e.adminSignIn(adminEmail)
		designer := e.adminSignIn(designerEmail)
		base := "/admin/users/" + e.Designer.ID
		page := c.get("/admin/users")
		wantBody(t, page, `action="`+base+`"`, `action="`+base+`/password"`, `action="`+base+`/disable"`, `data-confirm="Disable`,
			`name="role"`, `autocomplete="new-password"`)

		// Without JavaScript, disabling asks on a page of its own first.
		r := c.postForm(base+"/disable", url.Values{})
		if r.Status != http.StatusOK {
			t.Fatalf("disable without confirmation: %d %s", r.Status, r.Body)
		}
		wantBody(t, r, "Disable Dan Designer?", `name="confirmed" value="1"`, `action="`+base+`/disable"`)
		if u, _ := e.Store.User(t.Context(), e.Designer.ID); u.Disabled {
			t.Fatal("disabled without confirmation")
		}
		if r := designer.get("/admin"); r.Status != http.StatusOK {
			t.Fatalf("designer before: %d", r.Status)
		}
		r = c.postForm(base+"/disable", url.Values{"confirmed": {"1"}})
		wantBody(t, c.follow(r), "Dan Designer is disabled", "disabled</span>", `action="`+base+`/enable"`)
		if r := designer.get("/admin"); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login") {
			t.Errorf("designer's session after being disabled: %d %s, want a redirect to sign-in", r.Status, r.Header.Get("Location"))
		}
		r = c.postForm(base+"/enable", url.Values{})
		wantBody(t, c.follow(r), "Dan Designer can sign in again.")
		if u, _ := e.Store.User(t.Context(), e.Designer.ID); u.Disabled {
			t.Error("still disabled after enabling")
		}

		// Name and role.
		r = c.postForm(base, url.Values{"name": {"Dana Designer"}, "role": {"admin"}})
		wantBody(t, c.follow(r), "Dana Designer is saved.")
		if u, _ := e.Store.User(t.Context(), e.Designer.ID); u.Role != "admin" || u.Name != "Dana Designer" {
			t.Errorf("after edit: %+v", u)
		}
		r = c.postForm(base, url.Values{"name": {"Dana Designer"}, "role": {"owner"}})
		if r.Status != http.StatusUnprocessableEntity {
			t.Errorf("bad role: %d", r.Status)
		}
		wantBody(t, r, "Role must be admin or designer.")
		c.postForm(base, url.Values{"name": {"Dan Designer"}, "role": {"designer"}})

		// Password reset: the policy speaks, the account's sessions end.
		d2 := e.adminSignIn(designerEmail)
		r = c.postForm(base+"/password", url.Values{"password": {"qwertyuiopasdf"}})
		if r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("weak reset: %d", r.Status)
		}
		wantBody(t, r, "simple sequence")
		if strings.Contains(string(r.Body), "qwertyuiopasdf") {
			t.Error("the refused password was sent back into the page")
		}
		r = c.postForm(base+"/password", url.Values{"password": {"a quiet reading corner"}})
		wantBody(t, c.follow(r), "New password set for Dan Designer")
		if r := d2.get("/admin"); r.Status != http.StatusSeeOther {
			t.Errorf("designer's session after a reset: %d, want a redirect to sign-in", r.Status)
		}

		// The last active admin stays one.
		self := "/admin/users/" + e.Admin.ID
		r = c.postForm(self+"/disable", url.Values{"confirmed": {"1"}})
		if r.Status != http.StatusUnprocessableEntity {
			t.Errorf("disable the last admin: %d", r.Status)
		}
		wantBody(t, r, "last active admin")
		r = c.postForm(self, url.Values{"name": {"Ada Admin"}, "role": {"designer"}})
		if r.Status != http.StatusUnprocessableEntity {
			t.Errorf("demote the last admin: %d", r.Status)
		}
		wantBody(t, r, "last active admin")

		// Designers may not.
		d3 := e.adminBrowser()
		d3.postForm("/login", url.Values{"email": {designerEmail}, "password": {"a quiet reading corner"}})
		for _, p := range []string{base + "/disable", base + "/enable", base + "/password", base} {
			if r := d3.postForm(p, url.Values{"confirmed": {"1"}, "role": {"admin"}, "password": {"a quiet reading corner!"}}); r.Status != http.StatusForbidden {
				t.Errorf("designer POST %s: %d, want 403", p, r.Status)
			}
		}
		if u, _ := e.Store.User(t.Context(), e.Designer.ID); u.Role != "designer" || u.Disabled {
			t.Errorf("a designer changed an account: %+v", u)
		}
	})
}

func TestChangeMyPasswordPage(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		e := newEnv(t, db, nil)
		c := e.adminSignIn(designerEmail)
		other := e.adminSignIn(designerEmail)
		wantBody(t, c.get("/admin"), `href="/admin/password"`)
		page := c.get("/admin/password")
		if page.Status != http.StatusOK {
			t.Fatalf("password page: %d", page.Status)
		}
		wantBody(t, page, `name="currentPassword"`, `name="newPassword"`, `name="newPasswordAgain"`, `autocomplete="current-password"`)

		const fresh = "terracotta tiles in the hall"
		for _, tc := range []struct {
			form url.Values
			want string
		}{
			{url.Values{"currentPassword": {otherPassword}, "newPassword": {fresh}, "newPasswordAgain": {fresh}}, "current password is not right"},
			{url.Values{"currentPassword": {testPassword}, "newPassword": {fresh}, "newPasswordAgain": {fresh + "."}}, "do not match"},
			{url.Values{"currentPassword": {testPassword}, "newPassword": {"password1234"}, "newPasswordAgain": {"password1234"}}, "common passwords"},
		} {
			r := c.postForm("/admin/password", tc.form)
			if r.Status != http.StatusUnprocessableEntity {
				t.Errorf("%v: %d, want 422", tc.want, r.Status)
			}
			wantBody(t, r, tc.want)
			if strings.Contains(string(r.Body), `value="`+testPassword) || strings.Contains(string(r.Body), `value="`+fresh) {
				t.Error("a password was sent back into the page")
			}
		}
		r := c.postForm("/admin/password", url.Values{"currentPassword": {testPassword}, "newPassword": {fresh}, "newPasswordAgain": {fresh}})
		wantBody(t, c.follow(r), "Your password is changed")
		if r := c.get("/admin"); r.Status != http.StatusOK {
			t.Errorf("this session after the change: %d, want 200", r.Status)
		}
		if r := other.get("/admin"); r.Status != http.StatusSeeOther {
			t.Errorf("the other session after the change: %d, want a redirect to sign-in", r.Status)
		}
		if r := e.adminBrowser().get("/admin/password"); r.Status != http.StatusSeeOther {
			t.Errorf("signed out: %d, want a redirect to sign-in", r.Status)
		}
	})
}

package web_test

import (
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"atrium/internal/web"
)

// Wrong passwords typed elsewhere for a colleague's email must not lock
// them out of the browser they always use: a signed known-device cookie,
// set at each successful sign-in, gives that browser an allowance of its own.
func TestKnownDeviceIsNotLockedOutByOthersFailures(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		e := newEnv(t, db, func(c *web.Config) {
			c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
		})
		from := func(ip string) map[string]string { return map[string]string{"X-Forwarded-For": ip} }
		signIn := func(c *client, ip, password string, extra map[string]string) *resp {
			t.Helper()
			hdr := from(ip)
			for k, v := range extra {
				hdr[k] = v
			}
			body := `{"email":"` + adminEmail + `","password":"` + password + `"}`
			return c.send("POST", "/api/session", "application/json", strings.NewReader(body), hdr)
		}

		// Ada's own browser signs in once and keeps the device cookie.
		ada := e.anon()
		r := signIn(ada, "198.51.100.2", testPassword, nil)
		if r.Status != 200 {
			t.Fatalf("first sign-in: %d %s", r.Status, r.Body)
		}
		var device *http.Cookie
		for _, ck := range r.raw.Cookies() {
			if ck.Name == "atrium_device" {
				device = ck
			}
		}
		if device == nil {
			t.Fatalf("no atrium_device cookie in %v", r.Header["Set-Cookie"])
		}
		if !device.HttpOnly || device.MaxAge < 30*24*3600 || device.SameSite != http.SameSiteLaxMode || device.Path != "/" {
			t.Errorf("device cookie HttpOnly=%v MaxAge=%d SameSite=%v Path=%q, want HttpOnly, long-lived, Lax, /",
				device.HttpOnly, device.MaxAge, device.SameSite, device.Path)
		}
		if r := ada.do("DELETE", "/api/session", nil); r.Status != 204 {
			t.Fatalf("sign out: %d", r.Status)
		}

		// Someone else guesses from another browser until the account is blocked.
		mallory := e.anon()
		for i := range 6 {
			if r := signIn(mallory, "203.0.113.7", otherPassword, nil); r.Status != 401 {
				t.Fatalf("guess %d: %d %s, want 401", i+1, r.Status, r.Body)
			}
		}
		checkRateLimited(t, "guesser after 6 failures", signIn(mallory, "203.0.113.7", testPassword, nil))

		// Ada's browser still gets in; so does the sign-in form in it.
		if r := signIn(ada, "198.51.100.2", testPassword, nil); r.Status != 200 {
			t.Errorf("known device after others' failures: %d %s, want 200", r.Status, r.Body)
		}
		form := url.Values{"email": {adminEmail}, "password": {testPassword}}
		req := ada.send("POST", "/login", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()),
			map[string]string{"X-Forwarded-For": "198.51.100.2", "Sec-Fetch-Site": "same-origin"})
		if req.Status != 200 { // the client follows the redirect to /admin
			t.Errorf("known device through the form: %d", req.Status)
		}

		// Any other browser is blocked, right password or not, from any address.
		checkRateLimited(t, "unknown device", signIn(e.anon(), "198.51.100.9", testPassword, nil))
		for name, value := range map[string]string{
			"tampered":      tamper(device.Value),
			"made up":       "v1." + e.Admin.ID + ".my-device.99999999999.c2lnbmF0dXJl",
			"other account": deviceCookieOf(t, e, designerEmail),
		} {
			r := signIn(e.anon(), "198.51.100.9", testPassword, map[string]string{"Cookie": "atrium_device=" + value})
			checkRateLimited(t, name+" device cookie", r)
		}
	})
}

// tamper changes one character of the device id in a cookie value.
func tamper(v string) string {
	parts := strings.Split(v, ".")
	if len(parts) < 3 || parts[2] == "" {
		return v + "x"
	}
	b := []byte(parts[2])
	if b[0] == 'A' {
		b[0] = 'B'
	} else {
		b[0] = 'A'
	}
	parts[2] = string(b)
	return strings.Join(parts, ".")
}

// deviceCookieOf signs in as email and returns the device cookie it got.
func deviceCookieOf(t *testing.T, e *env, email string) string {
	t.Helper()
	c := e.login(email)
	u, _ := url.Parse(e.URL)
	for _, ck := range c.hc.Jar.Cookies(u) {
		if ck.Name == "atrium_device" {
			return ck.Value
		}
	}
	t.Fatalf("%s got no device cookie", email)
	return ""
}

// Colleagues behind one office address (a NAT) share the per-IP allowance,
// but a known device has one of its own there: a colleague's ten wrong
// passwords block unknown browsers from the office, not Ada's.
func TestKnownDeviceIsNotLockedOutFromTheSameAddress(t *testing.T) {
	eachDB(t, func(t *testing.T, db string) {
		e := newEnv(t, db, func(c *web.Config) {
			c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
		})
		office := map[string]string{"X-Forwarded-For": "198.51.100.2"}
		signIn := func(c *client, email, password string) *resp {
			t.Helper()
			body := `{"email":"` + email + `","password":"` + password + `"}`
			return c.send("POST", "/api/session", "application/json", strings.NewReader(body), office)
		}

		ada := e.anon()
		if r := signIn(ada, adminEmail, testPassword); r.Status != 200 {
			t.Fatalf("first sign-in: %d %s", r.Status, r.Body)
		}
		if r := ada.send("DELETE", "/api/session", "", nil, office); r.Status != 204 {
			t.Fatalf("sign out: %d", r.Status)
		}

		// A colleague spends the office address's allowance on other accounts.
		mallory := e.anon()
		for i := range 10 {
			if r := signIn(mallory, "guess"+strconv.Itoa(i)+"@studio.test", otherPassword); r.Status != 401 {
				t.Fatalf("guess %d: %d %s, want 401", i+1, r.Status, r.Body)
			}
		}
		checkRateLimited(t, "the office address after 10 failures", signIn(mallory, adminEmail, testPassword))
		checkRateLimited(t, "another unknown browser at the office", signIn(e.anon(), adminEmail, testPassword))

		// Ada's browser still signs in, and can change her password.
		if r := signIn(ada, adminEmail, testPassword); r.Status != 200 {
			t.Fatalf("known device at the same address: %d %s, want 200", r.Status, r.Body)
		}
		const fresh = "terracotta tiles in the hall"
		body := `{"currentPassword":"` + testPassword + `","newPassword":"` + fresh + `"}`
		if r := ada.send("POST", "/api/session/password", "application/json", strings.NewReader(body), office); r.Status != 204 {
			t.Errorf("own password change at the same address: %d %s, want 204", r.Status, r.Body)
		}

		// Her browser's own failures still count against it.
		for i := range 6 {
			if r := signIn(ada, adminEmail, otherPassword); r.Status != 401 {
				t.Fatalf("known device's wrong password %d: %d %s, want 401", i+1, r.Status, r.Body)
			}
		}
		checkRateLimited(t, "known device after its own 6 failures", signIn(ada, adminEmail, fresh))
	})
}

package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"atrium/internal/studio"
)

// A link with a PIN: the page asks for it, in the studio's colours and
// with nothing of the project; everything else answers 401 pin_required
// until the PIN is given; wrong PINs are limited per link and address, and
// lock the link after a day's worth; a new PIN signs everyone out.
func TestLinkPIN(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		e := newEnv(t, db, nil)
		admin := e.login(adminEmail)
		if r := admin.do("PATCH", "/api/studio", map[string]any{"name": "Atelier Nord"}); r.Status != 200 {
			t.Fatalf("studio: %d %s", r.Status, r.Body)
		}
		p := admin.newProject("Secret Villa Project")
		l := admin.newLink(p.ID, map[string]any{"label": "Jane"})
		if r := admin.do("PATCH", "/api/client-access/"+l.ID, map[string]any{"pin": "2468"}); r.Status != 200 {
			t.Fatalf("set pin: %d %s", r.Status, r.Body)
		}
		b := e.adminBrowser() // a browser: cookies, same-origin fetch metadata, no redirects followed
		page := "/client-progress/" + l.Token
		api := "/api/client-progress/" + l.Token

		r := b.get(page)
		if r.Status != http.StatusUnauthorized {
			t.Fatalf("page without PIN: %d", r.Status)
		}
		wantBody(t, r, "Atelier Nord", `action="`+page+`/pin"`, `name="pin"`, `inputmode="numeric"`, `<label for="pin">PIN</label>`)
		if strings.Contains(string(r.Body), "Secret Villa") || strings.Contains(string(r.Body), "Jane") {
			t.Errorf("the PIN page shows the project:\n%s", r.Body)
		}
		if strings.Contains(string(r.Body), `http-equiv="refresh"`) {
			t.Error("a same-site visit reloads the PIN page")
		}
		cross := b.send("GET", page, "", nil, map[string]string{"Sec-Fetch-Site": "cross-site"})
		if cross.Status != 401 || !strings.Contains(string(cross.Body), `http-equiv="refresh"`) {
			t.Errorf("a visit from a mail link: %d, want the page that reloads once (to carry the Strict cookie)", cross.Status)
		}
		for _, path := range []string{api, api + "/events", api + "/renderings/" + unknownID + "/thumb", api + "/download/" + unknownID} {
			r := b.get(path)
			if r.Status != http.StatusUnauthorized || r.apiErr().Code != studio.ECodePINRequired || strings.Contains(string(r.Body), "Secret") {
				t.Errorf("%s without PIN: %d %s", path, r.Status, r.Body)
			}
		}
		if r := b.postForm(page+"/feedback", url.Values{"message": {"hi"}}); r.Status != http.StatusUnauthorized {
			t.Errorf("feedback form without PIN: %d", r.Status)
		}
		if r := b.get(api + "/logo"); r.Status == http.StatusUnauthorized {
			t.Errorf("the logo is refused on the PIN page")
		}
		// A wrong or unknown token is 404 as ever, PIN or not.
		if r := b.postForm("/client-progress/"+strings.Repeat("A", 32)+"/pin", url.Values{"pin": {"2468"}}); r.Status != 404 {
			t.Errorf("PIN for an unknown token: %d", r.Status)
		}
		// Another site cannot post a PIN.
		if r := b.send("POST", page+"/pin", "application/x-www-form-urlencoded", strings.NewReader("pin=2468"),
			map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}); r.Status != http.StatusForbidden {
			t.Errorf("cross-site PIN: %d", r.Status)
		}

		// Wrong PINs: the form again with an error, then 429 with Retry-After.
		for _, pin := range []string{"1111", "12", "abcd"} {
			r := b.postForm(page+"/pin", url.Values{"pin": {pin}})
			if r.Status != http.StatusUnauthorized && r.Status != http.StatusBadRequest || !strings.Contains(string(r.Body), `role="alert"`) ||
				strings.Contains(string(r.Body), "Secret Villa") {
				t.Errorf("PIN %q: %d", pin, r.Status)
			}
		}
		for range 4 {
			b.postForm(page+"/pin", url.Values{"pin": {"9999"}})
		}
		r = b.postForm(page+"/pin", url.Values{"pin": {"2468"}})
		if r.Status != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" {
			t.Fatalf("after 5 wrong PINs: %d, Retry-After %q", r.Status, r.Header.Get("Retry-After"))
		}
		e.Clock.Advance(studio.PINWindow + time.Second)

		// The right PIN: two cookies, then everything opens.
		r = b.postForm(page+"/pin", url.Values{"pin": {"2468"}})
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != page {
			t.Fatalf("right PIN: %d %s", r.Status, r.Body)
		}
		cookies := r.raw.Cookies()
		paths := map[string]bool{}
		for _, ck := range cookies {
			if ck.Name == "atrium_pin" && ck.HttpOnly && ck.SameSite == http.SameSiteStrictMode && ck.MaxAge > 0 && ck.MaxAge <= 30*24*3600 {
				paths[ck.Path] = true
			}
		}
		if !paths[page] || !paths[api] || len(cookies) != 2 {
			t.Fatalf("PIN cookies: %v", r.Header.Values("Set-Cookie"))
		}
		if r := b.get(page); r.Status != 200 || !strings.Contains(string(r.Body), "Secret Villa") {
			t.Fatalf("page with PIN cookie: %d", r.Status)
		}
		if r := b.get(api); r.Status != 200 {
			t.Fatalf("JSON with PIN cookie: %d", r.Status)
		}
		// A forged or foreign cookie opens nothing.
		other := e.adminBrowser()
		other.hdr.Set("Cookie", "atrium_pin=9999999999.AAAA")
		if r := other.get(api); r.Status != http.StatusUnauthorized {
			t.Errorf("forged cookie: %d", r.Status)
		}

		// A new PIN signs the browser out.
		admin.do("PATCH", "/api/client-access/"+l.ID, map[string]any{"pin": "13579"})
		if r := b.get(api); r.Status != http.StatusUnauthorized {
			t.Errorf("old cookie after a PIN change: %d", r.Status)
		}

		// Fifty wrong PINs in a day, from many addresses, lock the link and
		// tell the studio; a new PIN unlocks it.
		full := e.linkStats(l.ID)
		for i := range studio.PINLockAfter - 1 {
			if _, err := e.Store.RecordPINFailure(t.Context(), full, "198.51.100."+itoa(int64(i)), e.Clock.Now()); err != nil {
				t.Fatal(err)
			}
		}
		r = b.postForm(page+"/pin", url.Values{"pin": {"0000"}})
		if r.Status != http.StatusLocked || !strings.Contains(string(r.Body), "locked") || strings.Contains(string(r.Body), `name="pin"`) {
			t.Fatalf("the 50th wrong PIN: %d", r.Status)
		}
		if r := b.postForm(page+"/pin", url.Values{"pin": {"13579"}}); r.Status != http.StatusLocked {
			t.Errorf("the right PIN on a locked link: %d", r.Status)
		}
		var lk struct {
			LockedAt *string `json:"lockedAt"`
		}
		var list struct{ Links []map[string]any }
		admin.do("GET", "/api/client-access?projectId="+p.ID, nil).decode(t, &list)
		if list.Links[0]["lockedAt"] == nil {
			t.Errorf("staff do not see the lock: %v", list.Links[0])
		}
		n := admin.notifications()
		found := false
		for _, x := range n.Notifications {
			found = found || x.Kind == studio.NoticeLinkLocked && strings.Contains(x.Text, "Jane")
		}
		if !found {
			t.Errorf("no link_locked notice: %+v", n.Notifications)
		}
		admin.do("PATCH", "/api/client-access/"+l.ID, map[string]any{"pin": "8642"}).decode(t, &lk)
		if lk.LockedAt != nil {
			t.Error("a new PIN did not unlock the link")
		}
		e.Clock.Advance(studio.PINWindow + time.Second)
		if r := b.postForm(page+"/pin", url.Values{"pin": {"8642"}}); r.Status != http.StatusSeeOther {
			t.Errorf("after unlocking: %d", r.Status)
		}
		// No PIN: the page opens for anyone again.
		admin.do("PATCH", "/api/client-access/"+l.ID, map[string]any{"pin": nil})
		if r := e.anon().do("GET", api, nil); r.Status != 200 {
			t.Errorf("without a PIN: %d", r.Status)
		}
	})
}

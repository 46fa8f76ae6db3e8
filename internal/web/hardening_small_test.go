package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"atrium/internal/studio"
)

// An expired link is not active: the list says so, names its state and
// gives no address (it would only answer 410).
func TestLinkListShowsState(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		e := newEnv(t, db, nil)
		c := e.login(adminEmail)
		p := c.newProject("Hillside")
		live := c.newLink(p.ID, map[string]any{"label": "live"})
		gone := c.newLink(p.ID, map[string]any{"label": "gone"})
		if r := c.do("DELETE", "/api/client-access/"+gone.ID, nil); r.Status != 200 {
			t.Fatalf("deactivate: %d %s", r.Status, r.Body)
		}
		past := time.Now().UTC().Add(-time.Hour).Truncate(time.Second)
		expired, _ := issueLink(t, e.Store, testSecret, studio.LinkInput{ProjectID: p.ID, Label: "expired"}, &past)

		r := c.do("GET", "/api/client-access?projectId="+p.ID, nil)
		var out struct {
			Links []struct {
				ID     string  `json:"id"`
				Active bool    `json:"active"`
				State  string  `json:"state"`
				URL    *string `json:"url"`
			} `json:"links"`
		}
		r.decode(t, &out)
		want := map[string]struct {
			active bool
			state  string
			url    bool
		}{live.ID: {true, "active", true}, gone.ID: {false, "deactivated", false}, expired.ID: {false, "expired", false}}
		if len(out.Links) != len(want) {
			t.Fatalf("%d links listed, want %d: %s", len(out.Links), len(want), r.Body)
		}
		for _, l := range out.Links {
			w := want[l.ID]
			if l.Active != w.active || l.State != w.state || (l.URL != nil) != w.url {
				t.Errorf("link %s: active %v state %q url %v, want active %v state %q url %v",
					l.ID, l.Active, l.State, l.URL != nil, w.active, w.state, w.url)
			}
		}
		// A new link says the same from the start.
		r = c.do("POST", "/api/client-access", map[string]any{"projectId": p.ID})
		if !strings.Contains(string(r.Body), `"state":"active"`) {
			t.Errorf("new link lacks its state: %s", r.Body)
		}
	})
}

// The studio's contact email goes into a mailto: link on every client page,
// so only a bare address is taken: no display name, no query, no spaces.
func TestStudioContactEmailIsAPlainAddress(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		e := newEnv(t, db, nil)
		c := e.login(adminEmail)
		if r := c.do("PATCH", "/api/studio", map[string]string{"contactEmail": "hello@studio.example"}); r.Status != 200 {
			t.Fatalf("plain address refused: %d %s", r.Status, r.Body)
		}
		bad := []string{
			"a@b.c?subject=x", "a@b.c?cc=someone@else.example", "a?subject=x@b.c", "a@b.c&cc=x",
			"a@b.c#x", "Jane <a@b.c>", "<a@b.c>", "a@b.c (Jane)", `"a b"@c.d`, "a b@c.d",
			"a@b..c", "a@-b.c", "a@b", "a@[127.0.0.1]", "a@b.c/x", "a%b@c.d",
		}
		for _, addr := range bad {
			r := c.do("PATCH", "/api/studio", map[string]string{"contactEmail": addr})
			check(t, scenario{name: "contactEmail " + addr, method: "PATCH", path: "/api/studio", status: 400,
				code: "invalid_input", field: "contactEmail"}, r)
		}
		for _, good := range []string{"jane.o'neil+studio@mail.example.co.uk", "x@b-c.example", ""} {
			if r := c.do("PATCH", "/api/studio", map[string]string{"contactEmail": good}); r.Status != 200 {
				t.Errorf("contactEmail %q: %d %s", good, r.Status, r.Body)
			}
		}
		if st, _ := e.Store.Settings(context.Background()); st.ContactEmail != "" {
			t.Errorf("contact email = %q, want the last accepted one (empty)", st.ContactEmail)
		}

		// The admin form takes the same rule.
		a := e.adminSignIn(adminEmail)
		r := a.postForm("/admin/settings", url.Values{"name": {"Studio"}, "accentColor": {"#336699"},
			"contactEmail": {"a@b.c?subject=x"}})
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(string(r.Body), "Contact email must be an email address") {
			t.Errorf("admin form with a query in the address: %d\n%s", r.Status, r.Body)
		}
		if st, _ := e.Store.Settings(context.Background()); st.ContactEmail != "" {
			t.Errorf("refused form saved the address %q", st.ContactEmail)
		}
	})
}

// A phase's completion date is a real past day: not in the future (not yet
// begun anywhere on Earth, UTC+14 being furthest ahead), not before 2000.
func TestPhaseCompletedAtIsAPlausibleDate(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		e := newEnv(t, db, nil)
		c := e.login(adminEmail)
		p := c.newProject("Hillside")
		path := "/api/phases/" + p.Rooms[0].Phases[0].ID
		now := e.Clock.Now().UTC()
		today := now.Format(time.DateOnly)
		latest := now.Add(14 * time.Hour).Format(time.DateOnly) // already begun at UTC+14
		tomorrow := now.Add(14*time.Hour).AddDate(0, 0, 1).Format(time.DateOnly)
		if r := c.do("PATCH", path, `{"status":"completed","completedAt":"2000-01-01"}`); r.Status != 200 {
			t.Fatalf("2000-01-01: %d %s", r.Status, r.Body)
		}
		for _, d := range []string{tomorrow, "2999-12-31", "1999-12-31", "0001-01-01"} {
			r := c.do("PATCH", path, `{"completedAt":"`+d+`"}`)
			check(t, scenario{name: "completedAt " + d, method: "PATCH", path: path, status: 400,
				code: "invalid_input", field: "completedAt"}, r)
			r = c.do("PATCH", path, `{"status":"in_progress"}`)
			r = c.do("PATCH", path, `{"status":"completed","completedAt":"`+d+`"}`)
			check(t, scenario{name: "complete on " + d, method: "PATCH", path: path, status: 400,
				code: "invalid_input", field: "completedAt"}, r)
		}
		if r := c.do("PATCH", path, `{"status":"completed","completedAt":"`+latest+`"}`); r.Status != 200 {
			t.Errorf("%s, already begun at UTC+14: %d %s", latest, r.Status, r.Body)
		}
		if r := c.do("PATCH", path, `{"status":"completed","completedAt":"`+today+`"}`); r.Status != 200 {
			t.Errorf("today: %d %s", r.Status, r.Body)
		}
		if d := c.detail(p.ID); d.Rooms[0].Phases[0].CompletedAt != today {
			t.Errorf("completedAt = %q, want %s", d.Rooms[0].Phases[0].CompletedAt, today)
		}

		// The admin form goes through the same rule.
		a := e.adminSignIn(adminEmail)
		r := a.postForm("/admin/phases/"+p.Rooms[0].Phases[0].ID, url.Values{"status": {"completed"}, "completedAt": {tomorrow}})
		if r.Status != http.StatusUnprocessableEntity {
			t.Errorf("admin form with a future date: %d", r.Status)
		}
		if d := c.detail(p.ID); d.Rooms[0].Phases[0].CompletedAt != today {
			t.Errorf("refused form changed completedAt to %q", d.Rooms[0].Phases[0].CompletedAt)
		}
	})
}

// The client routes are read-only: any other method, OPTIONS included,
// answers 405 with Allow and the client headers, never 404 or 200.
func TestClientRoutesRefuseOtherMethods(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		e := newEnv(t, db, nil)
		f := newPortalFixture(t, e)
		admin := e.login(adminEmail)
		if r := admin.postMultipart("/api/studio/logo", nil, map[string][]byte{"file": pictureJPEG(t, 200, 80, "")}); r.Status != 200 {
			t.Fatalf("upload logo: %d %s", r.Status, r.Body)
		}
		c := e.noRedirects()
		api := "/api/client-progress/" + f.link.Token
		paths := []string{
			"/client-progress/" + f.link.Token,
			api,
			api + "/renderings/" + f.approved.ID + "/thumb",
			api + "/renderings/" + f.approved.ID + "/preview",
			api + "/logo",
			api + "/download/" + f.approved.ID,
			api + "/events",
		}
		before := len(e.accessLog(f.link.ID))
		for _, p := range paths {
			for _, m := range []string{"OPTIONS", "POST", "PUT", "DELETE", "PATCH"} {
				r := c.send(m, p, "", nil, nil)
				if r.Status != http.StatusMethodNotAllowed {
					t.Errorf("%s %s: %d, want 405; body %s", m, p, r.Status, r.Body)
					continue
				}
				if allow := r.Header.Get("Allow"); allow != "GET, HEAD" {
					t.Errorf("%s %s: Allow %q, want \"GET, HEAD\"", m, p, allow)
				}
				wantClientHeaders(t, m+" "+p, r, "no-store")
				if strings.HasPrefix(p, "/api/") && r.apiErr().Code != "method_not_allowed" {
					t.Errorf("%s %s: body %s, want the JSON envelope", m, p, r.Body)
				}
			}
		}
		// The client's one API write answers other methods with 405 too.
		for _, m := range []string{"GET", "HEAD", "PUT", "DELETE", "PATCH"} {
			r := c.send(m, api+"/feedback", "", nil, nil)
			if r.Status != http.StatusMethodNotAllowed || r.Header.Get("Allow") != "POST" {
				t.Errorf("%s %s/feedback: %d, Allow %q; want 405 and \"POST\"", m, api, r.Status, r.Header.Get("Allow"))
			}
		}
		if n := len(e.accessLog(f.link.ID)); n != before {
			t.Errorf("refused methods wrote %d access rows, want none", n-before)
		}
	})
}

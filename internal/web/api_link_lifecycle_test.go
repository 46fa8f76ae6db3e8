package web_test

import (
	"strings"
	"testing"
	"time"

	"atrium/internal/studio"
)

// A studio edits a link's expiry, switches it off and on again, gives it a
// PIN and a new token; every bad value is refused by name and changes
// nothing.
func TestLinkLifecycleAPI(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		e := newEnv(t, db, nil)
		c := e.login(designerEmail)
		p := c.newProject("Hillside Residence")
		l := c.newLink(p.ID, map[string]any{"label": "Jane", "expiresAt": "30d"})
		cl := e.anon()
		if r := cl.do("GET", "/api/client-progress/"+l.Token, nil); r.Status != 200 {
			t.Fatalf("client JSON: %d", r.Status)
		}
		path := "/api/client-access/" + l.ID
		day := time.Now().UTC().AddDate(0, 2, 0).Format(time.DateOnly)
		run(t, c, []scenario{
			{name: "expiry as a date", method: "PATCH", path: path, body: map[string]any{"expiresAt": day}, status: 200,
				substr: []string{`"expiresAt":"` + time.Now().UTC().AddDate(0, 2, 1).Format(time.DateOnly) + `T00:00:00Z"`, `"state":"active"`}},
			{name: "expiry RFC 3339", method: "PATCH", path: path, body: map[string]any{"expiresAt": "2030-01-01T18:00:00+01:00"}, status: 200,
				substr: []string{`"expiresAt":"2030-01-01T17:00:00Z"`}},
			{name: "expiry never", method: "PATCH", path: path, body: map[string]any{"expiresAt": nil}, status: 200, substr: []string{`"expiresAt":null`}},
			{name: "expiry past", method: "PATCH", path: path, body: map[string]any{"expiresAt": "2020-01-01"}, status: 400, code: "invalid_input", field: "expiresAt"},
			{name: "expiry nonsense", method: "PATCH", path: path, body: map[string]any{"expiresAt": "soon"}, status: 400, code: "invalid_input", field: "expiresAt"},
			{name: "expiry empty", method: "PATCH", path: path, body: map[string]any{"expiresAt": ""}, status: 400, code: "invalid_input", field: "expiresAt"},
			{name: "expiry a number", method: "PATCH", path: path, body: map[string]any{"expiresAt": 5}, status: 400, code: "invalid_input", field: "expiresAt"},
			{name: "active not bool", method: "PATCH", path: path, body: map[string]any{"active": "yes"}, status: 400, code: "invalid_input", field: "active"},
			{name: "active null", method: "PATCH", path: path, body: map[string]any{"active": nil}, status: 400, code: "invalid_input", field: "active"},
			{name: "pin short", method: "PATCH", path: path, body: map[string]any{"pin": "123"}, status: 400, code: "invalid_input", field: "pin"},
			{name: "pin long", method: "PATCH", path: path, body: map[string]any{"pin": "123456789"}, status: 400, code: "invalid_input", field: "pin"},
			{name: "pin letters", method: "PATCH", path: path, body: map[string]any{"pin": "12a4"}, status: 400, code: "invalid_input", field: "pin"},
			{name: "pin unicode digits", method: "PATCH", path: path, body: map[string]any{"pin": "١٢٣٤"}, status: 400, code: "invalid_input", field: "pin"},
			{name: "pin empty", method: "PATCH", path: path, body: map[string]any{"pin": ""}, status: 400, code: "invalid_input", field: "pin"},
			{name: "pin a number", method: "PATCH", path: path, body: map[string]any{"pin": 1234}, status: 400, code: "invalid_input", field: "pin"},
			{name: "bad pin and expiry, label unchanged", method: "PATCH", path: path, body: map[string]any{"label": "X", "pin": "1", "expiresAt": "x"}, status: 400, code: "invalid_input"},
			{name: "unknown link", method: "PATCH", path: "/api/client-access/" + unknownID, body: map[string]any{"active": true}, status: 404, code: "not_found"},
			{name: "rotate unknown", method: "POST", path: "/api/client-access/" + unknownID + "/rotate", status: 404, code: "not_found"},
			{name: "rotate malformed", method: "POST", path: "/api/client-access/nope/rotate", status: 404, code: "not_found"},
		})
		if got := e.linkStats(l.ID); got.Label != "Jane" || got.HasPIN() {
			t.Errorf("a refused edit changed the link: label %q, PIN %v", got.Label, got.HasPIN())
		}

		// Deactivate through PATCH: the client gets the refusal, then a
		// reactivation opens the same URL again.
		var out linkOut
		r := c.do("PATCH", path, map[string]any{"active": false})
		r.decode(t, &out)
		if r.Status != 200 || out.Active || out.URL != nil || out.DeactivatedAt == nil || !strings.Contains(string(r.Body), `"state":"deactivated"`) {
			t.Fatalf("deactivate: %d %s", r.Status, r.Body)
		}
		if r := cl.do("GET", "/api/client-progress/"+l.Token, nil); r.Status == 200 {
			t.Fatalf("a deactivated link still opens")
		}
		r = c.do("PATCH", path, map[string]any{"active": true})
		r.decode(t, &out)
		if r.Status != 200 || !out.Active || out.DeactivatedAt != nil || out.URL == nil || *out.URL != *l.URL {
			t.Fatalf("reactivate: %d %s", r.Status, r.Body)
		}
		if r := cl.do("GET", "/api/client-progress/"+l.Token, nil); r.Status != 200 {
			t.Fatalf("a reactivated link answers %d", r.Status)
		}

		// A PIN: hasPin, and null removes it.
		r = c.do("PATCH", path, map[string]any{"pin": "0042"})
		if r.Status != 200 || !strings.Contains(string(r.Body), `"hasPin":true`) || strings.Contains(string(r.Body), "0042") {
			t.Fatalf("set pin: %d %s", r.Status, r.Body)
		}
		if d := e.linkStats(l.ID).PINDigest; d == "" || strings.Contains(d, "0042") {
			t.Errorf("stored PIN digest %q", d)
		}
		r = c.do("PATCH", path, map[string]any{"pin": nil})
		if r.Status != 200 || !strings.Contains(string(r.Body), `"hasPin":false`) {
			t.Fatalf("remove pin: %d %s", r.Status, r.Body)
		}

		// Rotation: a new token and url; the old one is 404 like a token
		// that never was; label and statistics stay.
		before := e.linkStats(l.ID)
		var rot linkOut
		// A page open on the old token hears that it is gone.
		sse := readSSEWhile(t, e.URL+"/api/client-progress/"+l.Token+"/events", func() {
			r = c.do("POST", path+"/rotate", nil)
			r.decode(t, &rot)
		})
		if !strings.Contains(string(sse.Body), "event: gone") {
			t.Errorf("the old token's stream after rotation: %s", sse.Body)
		}
		if r.Status != 200 || !studio.WellFormedToken(rot.Token) || rot.Token == l.Token || rot.URL == nil ||
			*rot.URL != "http://localhost:8080/client-progress/"+rot.Token || rot.Label != "Jane" || rot.TokenHint != rot.Token[:4] {
			t.Fatalf("rotate: %d %s", r.Status, r.Body)
		}
		if rot.AccessCount != before.AccessCount || rot.AccessCount == 0 {
			t.Errorf("rotation lost the statistics: %d, was %d", rot.AccessCount, before.AccessCount)
		}
		old := cl.do("GET", "/api/client-progress/"+l.Token, nil)
		never := cl.do("GET", "/api/client-progress/"+strings.Repeat("Z", studio.TokenLen), nil)
		if old.Status != 404 || string(old.Body) != string(never.Body) {
			t.Errorf("old token: %d %s; a token that never was: %d %s", old.Status, old.Body, never.Status, never.Body)
		}
		if r := cl.do("GET", "/api/client-progress/"+rot.Token, nil); r.Status != 200 {
			t.Errorf("new token: %d", r.Status)
		}
		if r := cl.get("/client-progress/" + l.Token); r.Status != 404 {
			t.Errorf("old page: %d", r.Status)
		}
		// The list's url is the new one, and a second rotation moves on again.
		var list struct{ Links []linkOut }
		c.do("GET", "/api/client-access?projectId="+p.ID, nil).decode(t, &list)
		if len(list.Links) != 1 || list.Links[0].URL == nil || *list.Links[0].URL != *rot.URL {
			t.Errorf("listed url after rotation: %+v", list.Links)
		}
		var rot2 linkOut
		c.do("POST", path+"/rotate", nil).decode(t, &rot2)
		if rot2.Token == rot.Token || rot2.Token == l.Token {
			t.Errorf("second rotation gave token %q again", rot2.Token)
		}
	})
}

package web_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"atrium/internal/studio"
)

func TestLinksAPI(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		e := newEnv(t, db, nil)
		c := e.login(designerEmail) // any staff member manages links
		p := c.newProject("Hillside Residence")

		r := c.do("POST", "/api/client-access", map[string]any{"projectId": p.ID, "label": "Jane, main contact", "expiresAt": "30d"})
		if r.Status != 201 {
			t.Fatalf("create: %d %s", r.Status, r.Body)
		}
		wantKeys(t, "created link", r.Body, "id", "projectId", "label", "tokenHint", "token", "url", "createdAt", "createdBy",
			"expiresAt", "active", "state", "deactivatedAt", "accessCount", "lastAccessedAt", "downloadCount", "uniqueIps", "sentTo", "sentAt", "allowFeedback", "allowDownloads", "hasPin", "lockedAt", "locale")
		var l linkOut
		r.decode(t, &l)
		if !studio.WellFormedToken(l.Token) || l.TokenHint != l.Token[:4] {
			t.Errorf("token %q, hint %q", l.Token, l.TokenHint)
		}
		// The test server keeps the default ATRIUM_BASE_URL.
		if l.URL == nil || *l.URL != "http://localhost:8080/client-progress/"+l.Token {
			t.Errorf("url = %v, want http://localhost:8080/client-progress/%s", l.URL, l.Token)
		}
		if r.Header.Get("Location") != "/api/client-access/"+l.ID {
			t.Errorf("Location = %q", r.Header.Get("Location"))
		}
		if !l.Active || l.CreatedBy != e.Designer.ID || l.Label != "Jane, main contact" || l.ProjectID != p.ID {
			t.Errorf("link = %+v", l)
		}
		exp, err := time.Parse(time.RFC3339, *l.ExpiresAt)
		if err != nil || exp.Sub(time.Now().Add(30*24*time.Hour)).Abs() > time.Minute {
			t.Errorf("expiresAt = %v, want about 30 days from now", *l.ExpiresAt)
		}
		never := c.newLink(p.ID, nil)
		if never.ExpiresAt != nil || never.Token == l.Token {
			t.Errorf("a link without expiresAt expires at %v (want never); token reused: %v", *never.ExpiresAt, never.Token == l.Token)
		}
		dated := c.newLink(p.ID, map[string]any{"expiresAt": time.Now().UTC().AddDate(0, 0, 3).Format(time.DateOnly)})
		if dated.ExpiresAt == nil || !strings.HasSuffix(*dated.ExpiresAt, "T00:00:00Z") {
			t.Errorf("a date expiry = %v, want midnight UTC after that day", dated.ExpiresAt)
		}

		tomorrow := time.Now().UTC().Add(26 * time.Hour).Format(time.RFC3339)
		yesterday := time.Now().UTC().Add(-24 * time.Hour).Format(time.DateOnly)
		run(t, c, []scenario{
			{name: "RFC 3339 expiry", method: "POST", path: "/api/client-access", body: map[string]any{"projectId": p.ID, "expiresAt": tomorrow}, status: 201},
			{name: "explicit never", method: "POST", path: "/api/client-access", body: map[string]any{"projectId": p.ID, "expiresAt": "never"}, status: 201, substr: []string{`"expiresAt":null`}},
			{name: "past expiry", method: "POST", path: "/api/client-access", body: map[string]any{"projectId": p.ID, "expiresAt": yesterday}, status: 400, code: "invalid_input", field: "expiresAt"},
			{name: "past instant", method: "POST", path: "/api/client-access", body: map[string]any{"projectId": p.ID, "expiresAt": "2020-01-01T00:00:00Z"}, status: 400, code: "invalid_input", field: "expiresAt"},
			{name: "malformed expiry", method: "POST", path: "/api/client-access", body: map[string]any{"projectId": p.ID, "expiresAt": "next week"}, status: 400, code: "invalid_input", field: "expiresAt"},
			{name: "expiry not a string", method: "POST", path: "/api/client-access", body: map[string]any{"projectId": p.ID, "expiresAt": 30}, status: 400, code: "invalid_input", field: "expiresAt"},
			{name: "unknown project", method: "POST", path: "/api/client-access", body: map[string]any{"projectId": unknownID}, status: 400, code: "invalid_input", field: "projectId"},
			{name: "malformed project", method: "POST", path: "/api/client-access", body: map[string]any{"projectId": "../x"}, status: 400, code: "invalid_input", field: "projectId"},
			{name: "no project", method: "POST", path: "/api/client-access", body: map[string]any{"label": "x"}, status: 400, code: "invalid_input", field: "projectId"},
			{name: "label too long", method: "POST", path: "/api/client-access", body: map[string]any{"projectId": p.ID, "label": strings.Repeat("x", 201)}, status: 400, code: "invalid_input", field: "label"},
			{name: "unknown field", method: "POST", path: "/api/client-access", body: map[string]any{"projectId": p.ID, "token": "mine"}, status: 400, code: "invalid_input", field: "token"},
			{name: "not JSON", method: "POST", path: "/api/client-access", body: "{", status: 400, code: "invalid_input"},
			{name: "list unknown project", method: "GET", path: "/api/client-access?projectId=" + unknownID, status: 404, code: "not_found"},
			{name: "list malformed project", method: "GET", path: "/api/client-access?projectId=nope", status: 404, code: "not_found"},
			{name: "delete unknown", method: "DELETE", path: "/api/client-access/" + unknownID, status: 404, code: "not_found"},
			{name: "delete malformed", method: "DELETE", path: "/api/client-access/nope", status: 404, code: "not_found"},
			{name: "delete by query, unknown", method: "DELETE", path: "/api/client-access?id=" + unknownID, status: 404, code: "not_found"},
			{name: "delete without id", method: "DELETE", path: "/api/client-access", status: 404, code: "not_found"},
			{name: "logs of unknown", method: "GET", path: "/api/client-access/" + unknownID + "/logs", status: 404, code: "not_found"},
			{name: "logs bad limit", method: "GET", path: "/api/client-access/" + l.ID + "/logs?limit=0", status: 400, code: "invalid_input", field: "limit"},
			{name: "logs huge limit", method: "GET", path: "/api/client-access/" + l.ID + "/logs?limit=100000", status: 400, code: "invalid_input", field: "limit"},
			{name: "logs bad cursor", method: "GET", path: "/api/client-access/" + l.ID + "/logs?before=abc", status: 400, code: "invalid_input", field: "before"},
		})

		// The list shows every link of the project, newest first, each with a
		// url that is the one given at creation: the link can be copied again.
		var list struct{ Links []linkOut }
		r = c.do("GET", "/api/client-access?projectId="+p.ID, nil)
		r.decode(t, &list)
		if r.Status != 200 || len(list.Links) != 5 {
			t.Fatalf("list: %d, %d links: %s", r.Status, len(list.Links), r.Body)
		}
		var again *linkOut
		for i := range list.Links {
			if list.Links[i].Token != "" {
				t.Errorf("the list shows a token field: %s", r.Body)
			}
			if list.Links[i].ID == l.ID {
				again = &list.Links[i]
			}
		}
		if again == nil || again.URL == nil || *again.URL != *l.URL {
			t.Errorf("copy again: listed url %v, created %v", again, *l.URL)
		}
		var all struct{ Links []linkOut }
		c.do("GET", "/api/client-access", nil).decode(t, &all)
		if len(all.Links) != 5 {
			t.Errorf("list without projectId: %d links, want 5", len(all.Links))
		}

		// Deactivation: 200 with the inactive link and no url; twice is the same.
		r = c.do("DELETE", "/api/client-access/"+l.ID, nil)
		var d linkOut
		r.decode(t, &d)
		if r.Status != 200 || d.Active || d.URL != nil || d.DeactivatedAt == nil || d.ID != l.ID {
			t.Fatalf("deactivate: %d %s", r.Status, r.Body)
		}
		wantKeys(t, "deactivated link", r.Body, "id", "projectId", "label", "tokenHint", "url", "createdAt", "createdBy",
			"expiresAt", "active", "state", "deactivatedAt", "accessCount", "lastAccessedAt", "downloadCount", "uniqueIps", "sentTo", "sentAt", "allowFeedback", "allowDownloads", "hasPin", "lockedAt", "locale")
		var d2 linkOut
		r = c.do("DELETE", "/api/client-access?id="+l.ID, nil)
		r.decode(t, &d2)
		if r.Status != 200 || d2.Active || *d2.DeactivatedAt != *d.DeactivatedAt {
			t.Errorf("second deactivation (seed form): %d %s", r.Status, r.Body)
		}
		r = c.do("DELETE", "/api/client-access?id="+never.ID, nil)
		if r.Status != 200 || strings.Contains(string(r.Body), `"active":true`) {
			t.Errorf("deactivate by query: %d %s", r.Status, r.Body)
		}
	})
}

func TestLinkLogsArePaged(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		e := newEnv(t, db, nil)
		f := newPortalFixture(t, e)
		anon := e.anon()
		for i := range 5 {
			anon.hdr.Set("User-Agent", fmt.Sprintf("phone %d", i))
			if r := anon.do("GET", "/api/client-progress/"+f.link.Token, nil); r.Status != 200 {
				t.Fatalf("client JSON: %d %s", r.Status, r.Body)
			}
		}
		anon.do("GET", "/api/client-progress/"+f.link.Token+"/download/"+f.approved.ID, nil)

		type entry struct {
			Action, RenderingID, IP, UserAgent, At string
		}
		var got []entry
		cursor := ""
		for page := 0; page < 10; page++ {
			path := "/api/client-access/" + f.link.ID + "/logs?limit=2"
			if cursor != "" {
				path += "&before=" + cursor
			}
			r := f.staff.do("GET", path, nil)
			var out struct {
				Logs []entry
				Next *string
			}
			r.decode(t, &out)
			if r.Status != 200 {
				t.Fatalf("logs: %d %s", r.Status, r.Body)
			}
			if page == 0 {
				wantKeys(t, "log entry", mustFirst(t, r.Body), "action", "renderingId", "reason", "ip", "userAgent", "at", "count", "firstAt")
			}
			got = append(got, out.Logs...)
			if out.Next == nil {
				break
			}
			cursor = *out.Next
		}
		if len(got) != 6 {
			t.Fatalf("paged through %d rows, want 6: %+v", len(got), got)
		}
		if got[0].Action != "download" || got[0].RenderingID != f.approved.ID || got[1].UserAgent != "phone 4" || got[5].UserAgent != "phone 0" {
			t.Errorf("not newest first: %+v", got)
		}
		if got[0].IP != "127.0.0.1" || got[0].At == "" {
			t.Errorf("entry = %+v", got[0])
		}
		var list struct{ Links []linkOut }
		f.staff.do("GET", "/api/client-access?projectId="+f.project.ID, nil).decode(t, &list)
		if s := list.Links[0]; s.AccessCount != 6 || s.DownloadCount != 1 || s.UniqueIPs != 1 || s.LastAccessedAt == nil {
			t.Errorf("stats = %+v, want 6 accesses, 1 download, 1 IP", s)
		}
	})
}

// The database keeps the token's digest and hint, never the token, and a
// copy of the database alone opens nothing: the token needs the secret.
func TestTokenIsNotStored(t *testing.T) {
	t.Parallel()
	e := newEnv(t, dbSQLite, nil)
	f := newPortalFixture(t, e)
	// Every temp folder of a test shares one parent: the SQLite file (and
	// its WAL) is in one of them.
	root := filepath.Dir(e.TempDir)
	found := false
	filepath.Walk(root, func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() || !strings.Contains(fi.Name(), ".db") {
			return nil
		}
		b, _ := os.ReadFile(p)
		if strings.Contains(string(b), f.link.Token) {
			t.Errorf("%s holds the raw token", p)
		}
		if strings.Contains(string(b), studio.TokenDigest(f.link.Token)) {
			found = true
		}
		return nil
	})
	if !found {
		t.Errorf("no database file under %s holds the token's digest", root)
	}
	if studio.LinkToken([]byte("another secret, as long as the first"), f.link.ID) == f.link.Token {
		t.Error("the token does not depend on the secret")
	}
}

// wantKeys fails unless the JSON object in body has exactly these keys.
func wantKeys(t *testing.T, what string, body []byte, keys ...string) {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("%s: not a JSON object: %s", what, body)
	}
	var got []string
	for k := range m {
		got = append(got, k)
	}
	sort.Strings(got)
	sort.Strings(keys)
	if strings.Join(got, ",") != strings.Join(keys, ",") {
		t.Errorf("%s keys = %v, want %v", what, got, keys)
	}
}

// mustFirst returns the first element of the array under the body's only
// list field ("logs", "links").
func mustFirst(t *testing.T, body []byte) []byte {
	t.Helper()
	var m map[string]json.RawMessage
	json.Unmarshal(body, &m)
	for _, v := range m {
		var arr []json.RawMessage
		if json.Unmarshal(v, &arr) == nil && len(arr) > 0 {
			return arr[0]
		}
	}
	t.Fatalf("no non-empty list in %s", body)
	return nil
}

package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"image/jpeg"
	"net/http"
	"strings"
	"sync"
	"testing"

	"atrium/internal/studio"
	"atrium/internal/web"
)

// testSecret is the secret newEnv gives the server.
var testSecret = []byte("test secret, 32 bytes or so.....")

func TestClientProgressJSON(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		e := newEnv(t, db, nil)
		f := newPortalFixture(t, e)
		anon := e.anon()
		anon.hdr.Set("User-Agent", "Jane's phone "+strings.Repeat("x", 600))
		r := anon.do("GET", "/api/client-progress/"+f.link.Token, nil)
		if r.Status != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
			t.Fatalf("client JSON: %d %s", r.Status, r.Body)
		}
		wantClientHeaders(t, "client JSON", r, "no-store")
		// Exactly the keys of ClientView in docs/openapi.yaml, at every level.
		var v struct {
			Studio, Project, Link json.RawMessage
			Rooms                 []json.RawMessage
			Renderings            []json.RawMessage
		}
		r.decode(t, &v)
		wantKeys(t, "view", r.Body, "studio", "project", "rooms", "renderings", "link", "feedback")
		wantKeys(t, "studio", v.Studio, "name", "logoUrl", "accentColor", "contactEmail", "contactPhone")
		wantKeys(t, "project", v.Project, "name", "clientName", "targetDate", "overallProgress", "updatedAt")
		wantKeys(t, "link", v.Link, "expiresAt", "allowFeedback", "previousVisitAt", "allowDownloads", "downloadAllUrl", "locale")
		if len(v.Rooms) != 1 || len(v.Renderings) != 1 {
			t.Fatalf("rooms %d, renderings %d (only the approved one is listed): %s", len(v.Rooms), len(v.Renderings), r.Body)
		}
		var room struct{ Phases []json.RawMessage }
		json.Unmarshal(v.Rooms[0], &room)
		wantKeys(t, "room", v.Rooms[0], "name", "progress", "phases")
		if len(room.Phases) != 5 {
			t.Fatalf("room has %d phases, want 5", len(room.Phases))
		}
		wantKeys(t, "phase", room.Phases[0], "kind", "name", "status", "completedAt", "isNew")
		wantKeys(t, "rendering", v.Renderings[0], "id", "title", "description", "room", "width", "height", "approvedAt",
			"thumbnailUrl", "previewUrl", "downloadUrl", "isNew", "clientDecision")
		base := "/api/client-progress/" + f.link.Token
		for _, want := range []string{`"title":"Kitchen Island"`, `"room":"Kitchen"`, `"name":"Hillside Residence"`,
			`"thumbnailUrl":"` + base + "/renderings/" + f.approved.ID + `/thumb"`,
			`"previewUrl":"` + base + "/renderings/" + f.approved.ID + `/preview"`,
			`"downloadUrl":"` + base + "/download/" + f.approved.ID + `"`} {
			if !bytes.Contains(r.Body, []byte(want)) {
				t.Errorf("client JSON lacks %s: %s", want, r.Body)
			}
		}
		if bytes.Contains(r.Body, []byte(f.draft.ID)) || bytes.Contains(r.Body, []byte("Kitchen Draft")) {
			t.Errorf("a draft reached the client: %s", r.Body)
		}
		log := e.accessLog(f.link.ID)
		if len(log) != 1 || log[0].Action != studio.ActionAPI || log[0].IP != "127.0.0.1" || len(log[0].UserAgent) != studio.MaxUserAgent {
			t.Errorf("access log = %+v, want one api row with a 512-byte user agent", log)
		}
		if s := e.linkStats(f.link.ID); s.AccessCount != 1 || s.LastAccessedAt == nil {
			t.Errorf("access count %d, last access %v", s.AccessCount, s.LastAccessedAt)
		}
	})
}

func TestClientImages(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		e := newEnv(t, db, nil)
		f := newPortalFixture(t, e)
		other := f.staff.newProject("Other Project")
		otherRd := f.staff.upload(other.ID, "Elsewhere", "elsewhere.jpg", pictureJPEG(t, 100, 100, ""), nil)
		f.staff.setStatus(otherRd.ID, "approved")
		anon := e.anon()
		base := "/api/client-progress/" + f.link.Token
		for _, size := range []string{"thumb", "preview"} {
			r := anon.do("GET", base+"/renderings/"+f.approved.ID+"/"+size, nil)
			if r.Status != 200 || r.Header.Get("Content-Type") != "image/jpeg" {
				t.Fatalf("%s: %d %s %s", size, r.Status, r.Header.Get("Content-Type"), r.Body)
			}
			wantClientHeaders(t, size, r, "no-store")
			if r.Header.Get("Last-Modified") != "" {
				t.Errorf("%s: Last-Modified %q tells when staff uploaded it", size, r.Header.Get("Last-Modified"))
			}
			if _, err := jpeg.Decode(bytes.NewReader(r.Body)); err != nil {
				t.Errorf("%s is not a JPEG: %v", size, err)
			}
			etag := r.Header.Get("ETag")
			wantOpaqueETag(t, size, etag, f.approved.SHA256)
			if r2 := anon.send("GET", base+"/renderings/"+f.approved.ID+"/"+size, "", nil, map[string]string{"If-None-Match": etag}); etag == "" || r2.Status != 304 {
				t.Errorf("%s revalidation: ETag %q, status %d", size, etag, r2.Status)
			}
		}
		run(t, anon, []scenario{
			{name: "draft thumb", method: "GET", path: base + "/renderings/" + f.draft.ID + "/thumb", status: 404, code: "not_found"},
			{name: "other project's thumb", method: "GET", path: base + "/renderings/" + otherRd.ID + "/preview", status: 404, code: "not_found"},
			{name: "unknown size", method: "GET", path: base + "/renderings/" + f.approved.ID + "/original", status: 404, code: "not_found"},
			{name: "malformed id", method: "GET", path: base + "/renderings/..%2f..%2fsecret/thumb", status: 404, code: "not_found"},
			{name: "no logo yet", method: "GET", path: base + "/logo", status: 404, code: "not_found"},
			{name: "unknown client path", method: "GET", path: base + "/nothing-here", status: 404, code: "not_found"},
		})
		// Images are neither logged nor counted.
		if log := e.accessLog(f.link.ID); len(log) != 0 {
			t.Errorf("images were logged: %+v", log)
		}
		if s := e.linkStats(f.link.ID); s.AccessCount != 0 {
			t.Errorf("images counted: %d", s.AccessCount)
		}

		admin := e.login(adminEmail)
		if r := admin.postMultipart("/api/studio/logo", nil, map[string][]byte{"file": pictureJPEG(t, 200, 80, "")}); r.Status != 200 {
			t.Fatalf("upload logo: %d %s", r.Status, r.Body)
		}
		r := anon.do("GET", base+"/logo", nil)
		if r.Status != 200 || r.Header.Get("Content-Type") != "image/jpeg" {
			t.Errorf("logo: %d %s", r.Status, r.Body)
		}
		st, err := e.Store.Settings(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		etag := r.Header.Get("ETag")
		wantOpaqueETag(t, "logo", etag, st.LogoKey)
		for _, stamp := range []string{st.UpdatedAt.UTC().Format("20060102"), st.UpdatedAt.UTC().Format("150405"), st.UpdatedAt.UTC().Format(".000000")[1:]} {
			if strings.Contains(etag, stamp) {
				t.Errorf("logo ETag %q shows the settings' time (%s)", etag, stamp)
			}
		}
		if r2 := anon.send("GET", base+"/logo", "", nil, map[string]string{"If-None-Match": etag}); r2.Status != 304 {
			t.Errorf("logo revalidation: %d", r2.Status)
		}
		if r := anon.do("GET", base, nil); !bytes.Contains(r.Body, []byte(`"logoUrl":"`+base+`/logo?v=`)) {
			t.Errorf("logoUrl missing: %s", r.Body)
		}
	})
}

func TestClientDownload(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		e := newEnv(t, db, nil)
		f := newPortalFixture(t, e)
		anon := e.anon()
		base := "/api/client-progress/" + f.link.Token
		r := anon.do("GET", base+"/download/"+f.approved.ID, nil)
		if r.Status != 200 {
			t.Fatalf("download: %d %s", r.Status, r.Body)
		}
		wantClientHeaders(t, "download", r, "private")
		want := map[string]string{
			"Content-Disposition": `attachment; filename="hillside-residence-kitchen-island.jpg"; filename*=UTF-8''hillside-residence-kitchen-island.jpg`,
			"Content-Type":        "image/jpeg",
			"Accept-Ranges":       "bytes",
			"Last-Modified":       "",
		}
		for k, v := range want {
			if got := r.Header.Get(k); got != v {
				t.Errorf("%s = %q, want %q", k, got, v)
			}
		}
		etag := r.Header.Get("ETag")
		wantOpaqueETag(t, "download", etag, f.approved.SHA256)
		if int64(len(r.Body)) != f.approved.Bytes {
			t.Errorf("downloaded %d bytes, want the %d of the original", len(r.Body), f.approved.Bytes)
		}
		part := anon.send("GET", base+"/download/"+f.approved.ID, "", nil, map[string]string{"Range": "bytes=0-9"})
		if part.Status != 206 || len(part.Body) != 10 || !bytes.Equal(part.Body, r.Body[:10]) ||
			part.Header.Get("Content-Range") != "bytes 0-9/"+itoa(f.approved.Bytes) {
			t.Errorf("range: %d, %d bytes, Content-Range %q", part.Status, len(part.Body), part.Header.Get("Content-Range"))
		}
		if r := anon.send("GET", base+"/download/"+f.approved.ID, "", nil, map[string]string{"If-None-Match": etag}); r.Status != 304 {
			t.Errorf("If-None-Match: %d", r.Status)
		}
		run(t, anon, []scenario{
			{name: "draft", method: "GET", path: base + "/download/" + f.draft.ID, status: 404, code: "not_found"},
			{name: "unknown", method: "GET", path: base + "/download/" + unknownID, status: 404, code: "not_found"},
			{name: "malformed", method: "GET", path: base + "/download/x", status: 404, code: "not_found"},
		})
		// Rejected after approval: gone from the client at once.
		f.staff.setStatus(f.approved.ID, "rejected")
		run(t, anon, []scenario{{name: "rejected", method: "GET", path: base + "/download/" + f.approved.ID, status: 404, code: "not_found"}})

		log := e.accessLog(f.link.ID)
		if len(log) != 3 {
			t.Fatalf("log has %d rows, want 3 downloads (full, range, revalidation): %+v", len(log), log)
		}
		for _, ev := range log {
			if ev.Action != studio.ActionDownload || ev.RenderingID != f.approved.ID {
				t.Errorf("row = %+v", ev)
			}
		}
		if s := e.linkStats(f.link.ID); s.DownloadCount != 3 || s.AccessCount != 3 {
			t.Errorf("downloads %d, accesses %d", s.DownloadCount, s.AccessCount)
		}
	})
}

// N parallel client requests leave exactly N rows and access_count N.
func TestClientConcurrentRequestsAllLogged(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		// 200 connections at once from one address: above the default cap.
		e := newEnv(t, db, func(c *web.Config) { c.MaxConnsPerIP = 1000 })
		f := newPortalFixture(t, e)
		const n = 200
		var wg sync.WaitGroup
		var mu sync.Mutex
		ok := 0
		for range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := e.anon().do("GET", "/api/client-progress/"+f.link.Token, nil)
				if r.Status == 200 {
					mu.Lock()
					ok++
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		log := e.accessLog(f.link.ID)
		if ok != n || len(log) != n {
			t.Errorf("%d requests: %d answered 200, %d log rows", n, ok, len(log))
		}
		if s := e.linkStats(f.link.ID); s.AccessCount != n {
			t.Errorf("access_count = %d, want %d", s.AccessCount, n)
		}
	})
}

// wantOpaqueETag checks that an ETag is there and shows nothing of the
// value it is made from (a file's digest, a storage key), whole or in part.
func wantOpaqueETag(t *testing.T, what, etag, from string) {
	t.Helper()
	v := strings.Trim(etag, `"`)
	if len(v) < 16 || !strings.HasPrefix(etag, `"`) {
		t.Errorf("%s: ETag %q is not a strong validator", what, etag)
	}
	for i := 0; i+8 <= len(from); i++ {
		if strings.Contains(strings.ToLower(v), strings.ToLower(from[i:i+8])) {
			t.Errorf("%s: ETag %q shows %q of %q", what, etag, from[i:i+8], from)
			return
		}
	}
}

// wantClientHeaders checks the client headers (docs/SECURITY.md) on a
// client-facing response.
func wantClientHeaders(t *testing.T, what string, r *resp, cacheControl string) {
	t.Helper()
	want := map[string]string{
		"Referrer-Policy":        "no-referrer",
		"X-Robots-Tag":           "noindex, nofollow",
		"Cache-Control":          cacheControl,
		"X-Content-Type-Options": "nosniff",
	}
	for k, v := range want {
		if got := r.Header.Get(k); got != v {
			t.Errorf("%s: %s = %q, want %q", what, k, got, v)
		}
	}
	csp := r.Header.Get("Content-Security-Policy")
	for _, d := range []string{"default-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, d) {
			t.Errorf("%s: CSP %q lacks %s", what, csp, d)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "http") {
		t.Errorf("%s: CSP %q allows inline script or another origin", what, csp)
	}
}

func itoa(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// The client JSON is reused between requests only while the data it was
// built from is unchanged: every client-visible change shows on the very
// next request.
func TestClientJSONFollowsChanges(t *testing.T) {
	t.Parallel()
	// postgres-cached: the link cache answers, and every change must reach
	// it before the change's answer goes out.
	for _, db := range []string{dbSQLite, dbPostgres, dbPostgresCached} {
		t.Run(db, func(t *testing.T) { clientJSONFollowsChanges(t, db) })
	}
}

func clientJSONFollowsChanges(t *testing.T, db string) {
	{
		e := newEnv(t, db, nil)
		f := newPortalFixture(t, e)
		anon := e.anon()
		path := "/api/client-progress/" + f.link.Token
		first := anon.do("GET", path, nil)
		if again := anon.do("GET", path, nil); !bytes.Equal(first.Body, again.Body) {
			t.Errorf("unchanged data, different answers:\n%s\n%s", first.Body, again.Body)
		}
		steps := []struct {
			name   string
			change func()
			want   string
		}{
			{"phase completed", func() {
				f.staff.do("PATCH", "/api/phases/"+f.project.Rooms[0].Phases[0].ID, map[string]string{"status": "completed", "completedAt": "2026-10-02"})
			}, `"completedAt":"2026-10-02"`},
			{"room renamed", func() {
				f.staff.do("PATCH", "/api/rooms/"+f.project.Rooms[0].ID, map[string]string{"name": "Chef's Kitchen"})
			}, `Chef`},
			{"draft approved", func() { f.staff.setStatus(f.draft.ID, "approved") }, `"title":"Kitchen Draft"`},
			{"studio renamed", func() {
				e.login(adminEmail).do("PATCH", "/api/studio", map[string]string{"name": "Atelier Nord"})
			}, `"name":"Atelier Nord"`},
			{"project renamed", func() {
				f.staff.do("PATCH", "/api/projects/"+f.project.ID, map[string]string{"name": "Hillside House"})
			}, `"name":"Hillside House"`},
		}
		for _, st := range steps {
			st.change()
			if r := anon.do("GET", path, nil); !bytes.Contains(r.Body, []byte(st.want)) {
				t.Errorf("%s: the next answer lacks %s: %s", st.name, st.want, r.Body)
			}
		}
		// An approved rendering deleted outright (no project timestamp moves).
		if _, err := e.Store.DeleteRendering(context.Background(), f.draft.ID, ""); err != nil {
			t.Fatal(err)
		}
		if r := anon.do("GET", path, nil); bytes.Contains(r.Body, []byte(f.draft.ID)) {
			t.Errorf("a deleted rendering is still listed: %s", r.Body)
		}
		// Every request is logged, cached or not.
		if n := len(e.accessLog(f.link.ID)); n != 2+len(steps)+1 {
			t.Errorf("%d rows, want %d", n, 2+len(steps)+1)
		}
		// Deactivated: the very next request is refused.
		f.staff.do("DELETE", "/api/client-access/"+f.link.ID, nil)
		if r := anon.do("GET", path, nil); r.Status != http.StatusGone {
			t.Errorf("after deactivation: %d, want 410", r.Status)
		}
	}
}

package web_test

import (
	"net/http"
	"strings"
	"testing"

	"atrium/internal/studio"
)

// noRedirects is a client that shows redirects instead of following them.
func (e *env) noRedirects() *client {
	c := e.anon()
	c.hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return c
}

// Every client-facing answer carries the client headers (docs/SECURITY.md), including
// those written by net/http rather than by a handler: ServeContent's range
// refusals, the mux's 405 and redirects, the CSRF refusal, robots.txt.
func TestClientHeadersOnEveryAnswer(t *testing.T) {
	t.Parallel()
	e := newEnv(t, dbSQLite, nil)
	f := newPortalFixture(t, e)
	admin := e.login(adminEmail)
	if r := admin.postMultipart("/api/studio/logo", nil, map[string][]byte{"file": pictureJPEG(t, 200, 80, "")}); r.Status != 200 {
		t.Fatalf("upload logo: %d %s", r.Status, r.Body)
	}
	c := e.noRedirects()
	base := "/api/client-progress/" + f.link.Token
	token := f.link.Token

	// A range outside the file: 416 in the JSON envelope, with the headers
	// ServeContent's own answer drops.
	for _, p := range []string{base + "/download/" + f.approved.ID, base + "/renderings/" + f.approved.ID + "/thumb",
		base + "/renderings/" + f.approved.ID + "/preview", base + "/renderings/" + f.approved.ID + "/small", base + "/logo"} {
		for _, rng := range []string{"bytes=99999999-", "bytes=abc"} {
			r := c.send("GET", p, "", nil, map[string]string{"Range": rng})
			check(t, scenario{name: "range " + rng, method: "GET", path: p, status: 416, code: studio.ECodeRangeUnsatisfiable}, r)
			wantClientHeaders(t, p+" "+rng, r, "no-store")
			if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("%s %s: Content-Type %q", p, rng, ct)
			}
			if r.Header.Get("Content-Disposition") != "" || r.Header.Get("ETag") != "" {
				t.Errorf("%s %s: a refusal described as the file: %v", p, rng, r.Header)
			}
		}
		// A good range still works.
		if r := c.send("GET", p, "", nil, map[string]string{"Range": "bytes=0-9"}); r.Status != 206 || len(r.Body) != 10 {
			t.Errorf("%s bytes=0-9: %d, %d bytes", p, r.Status, len(r.Body))
		}
	}
	// The refused ranges are no downloads; the good one is.
	downloads := 0
	for _, ev := range e.accessLog(f.link.ID) {
		if ev.Action == studio.ActionDownload {
			downloads++
		}
	}
	if downloads != 1 {
		t.Errorf("%d download rows, want 1 (the 416 answers are not downloads)", downloads)
	}

	for _, sc := range []struct {
		name, method, path string
		hdr                map[string]string
		status             int
	}{
		{"robots.txt", "GET", "/robots.txt", nil, 200},
		{"mux 405 on the page", "POST", "/client-progress/" + token, nil, 405},
		{"mux 405 on the page's root", "DELETE", "/client-progress/", nil, 405},
		{"other method on the API", "POST", base, nil, 405},
		{"redirect of a double slash", "GET", "//client-progress/" + token, nil, 307},
		{"redirect of a dot segment", "GET", "/api/client-progress/x/../" + token, nil, 307},
		{"redirect to a trailing slash", "GET", "/client-progress", nil, 307},
		{"CSRF refusal on the API", "POST", base, map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://elsewhere.example"}, 403},
		{"CSRF refusal on the page", "POST", "/client-progress/" + token, map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://elsewhere.example"}, 403},
	} {
		r := c.send(sc.method, sc.path, "", nil, sc.hdr)
		if r.Status != sc.status {
			t.Errorf("%s: %s %s: %d, want %d", sc.name, sc.method, sc.path, r.Status, sc.status)
		}
		wantClientHeaders(t, sc.name, r, "no-store")
	}
	// robots.txt still says what it must.
	if r := c.do("GET", "/robots.txt", nil); !strings.Contains(string(r.Body), "Disallow: /client-progress/") || !strings.Contains(string(r.Body), "Disallow: /api/") {
		t.Errorf("robots.txt: %s", r.Body)
	}
}

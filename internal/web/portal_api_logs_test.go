package web_test

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"net/netip"
	"path/filepath"
	"strings"
	"testing"

	"atrium/internal/files"
	"atrium/internal/live"
	"atrium/internal/studio"
	"atrium/internal/testsupport"
	"atrium/internal/web"
)

// The server's own log (one line a request, at info level) shows the
// token's hint, never the token, whatever the answer was.
func TestTokenNeverInServerLogs(t *testing.T) {
	t.Parallel()
	logs := &testsupport.LogBuffer{}
	st := openSQLite(t)
	fstore, err := files.NewLocal(filepath.Join(t.TempDir(), "files"))
	if err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(web.Config{TempDir: t.TempDir(), Secret: testSecret, LookupPerMinute: 2}, st, fstore, live.NewMemory(),
		slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	defer srv.Close(context.Background())
	e := &env{t: t, URL: ts.URL, Store: st, logs: logs}
	e.Admin = e.seedUser(context.Background(), adminEmail, "Ada Admin", studio.RoleAdmin)
	f := newPortalFixture(t, e)
	gone := f.staff.newLink(f.project.ID, nil)
	f.staff.do("DELETE", "/api/client-access/"+gone.ID, nil)

	anon := e.anon()
	bad := strings.Repeat("Q", 31) + "9"
	hexToken := "0123456789abcdef0123456789abcdef" // a token may, by a tiny chance, look like an id
	for _, token := range []string{f.link.Token, gone.Token, bad, bad, bad, hexToken} {
		base := "/api/client-progress/" + token
		for _, p := range []string{base, base + "/renderings/" + f.approved.ID + "/thumb", base + "/download/" + f.approved.ID,
			base + "/download/" + f.draft.ID, base + "/logo", "/client-progress/" + token, base + "/nope",
			// Paths the mux cleans (and redirects) after the request log saw them.
			"//client-progress/" + token, "/api/client-progress/x/../" + token, "/client-progress/./" + token,
			"/api//client-progress/" + token + "/logo", "/static/../client-progress/" + token,
			// A token with more to it, and one in another place.
			"/client-progress/" + token + "x", "/client-progress/" + token + "-x", base + "/download/" + token} {
			anon.do("GET", p, nil)
		}
	}
	out := logs.String()
	if !strings.Contains(out, "/api/client-progress/"+f.link.Token[:4]) {
		t.Fatalf("the request log does not show client requests by hint:\n%s", out)
	}
	for _, token := range []string{f.link.Token, gone.Token, bad, hexToken} {
		if strings.Contains(out, token) {
			t.Errorf("the server log holds token %s…:\n%s", token[:4], strings.ReplaceAll(out, token, "TOKEN"))
		}
	}
	// Ids stay readable: they are what a log is read for.
	if !strings.Contains(out, "/renderings/"+f.approved.ID+"/thumb") {
		t.Errorf("the request log hides rendering ids:\n%s", out)
	}
}

// The access log keeps the client's address: the connection's peer, or
// the X-Forwarded-For hop before the trusted proxies when the peer is one
// of them (ATRIUM_TRUSTED_PROXIES). A header sent past no trusted proxy is ignored.
func TestAccessLogClientIP(t *testing.T) {
	t.Parallel()
	for _, sc := range []struct {
		name    string
		trusted []string
		xff     []string // X-Forwarded-For header lines
		want    string
	}{
		{"no proxy configured: header ignored", nil, []string{"203.0.113.9"}, "127.0.0.1"},
		{"peer is not a trusted proxy: header ignored", []string{"10.0.0.0/8"}, []string{"203.0.113.9"}, "127.0.0.1"},
		{"trusted peer", []string{"127.0.0.1/32"}, []string{"203.0.113.9"}, "203.0.113.9"},
		{"trusted peer, spoofed first hop", []string{"127.0.0.1/32"}, []string{"198.51.100.66, 203.0.113.9"}, "203.0.113.9"},
		{"chain of trusted proxies", []string{"127.0.0.1/32", "10.0.0.0/8"}, []string{"198.51.100.66, 203.0.113.9", "10.1.2.3"}, "203.0.113.9"},
		{"trusted peer, no header", []string{"127.0.0.1/32"}, nil, "127.0.0.1"},
		{"trusted peer, garbage header", []string{"127.0.0.1/32"}, []string{"not an address"}, "127.0.0.1"},
		{"trusted peer, IPv6 hop", []string{"127.0.0.1/32"}, []string{"2001:db8::7"}, "2001:db8::7"},
	} {
		t.Run(sc.name, func(t *testing.T) {
			e := newEnv(t, dbSQLite, func(c *web.Config) {
				for _, p := range sc.trusted {
					c.TrustedProxies = append(c.TrustedProxies, netip.MustParsePrefix(p))
				}
			})
			f := newPortalFixture(t, e)
			anon := e.anon()
			for _, v := range sc.xff {
				anon.hdr.Add("X-Forwarded-For", v)
			}
			base := "/api/client-progress/" + f.link.Token
			for _, p := range []string{base, "/client-progress/" + f.link.Token, base + "/download/" + f.approved.ID} {
				if r := anon.do("GET", p, nil); r.Status != 200 {
					t.Fatalf("GET %s: %d", p, r.Status)
				}
			}
			log := e.accessLog(f.link.ID)
			if len(log) != 3 {
				t.Fatalf("%d access rows, want 3", len(log))
			}
			for _, ev := range log {
				if ev.IP != sc.want {
					t.Errorf("%s row: IP %q, want %q", ev.Action, ev.IP, sc.want)
				}
			}
		})
	}
}

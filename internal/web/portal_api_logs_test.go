package web_test

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"atrium/internal/files"
	"atrium/internal/live"
	"atrium/internal/studio"
	"atrium/internal/web"
)

// The server's own log (one line a request, at info level) shows the
// token's hint, never the token, whatever the answer was.
func TestTokenNeverInServerLogs(t *testing.T) {
	logs := &syncBuffer{}
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
	for _, token := range []string{f.link.Token, gone.Token, bad, bad, bad} {
		base := "/api/client-progress/" + token
		for _, p := range []string{base, base + "/renderings/" + f.approved.ID + "/thumb", base + "/download/" + f.approved.ID,
			base + "/download/" + f.draft.ID, base + "/logo", "/client-progress/" + token, base + "/nope"} {
			anon.do("GET", p, nil)
		}
	}
	out := logs.String()
	if !strings.Contains(out, "/api/client-progress/"+f.link.Token[:4]) {
		t.Fatalf("the request log does not show client requests by hint:\n%s", out)
	}
	for _, token := range []string{f.link.Token, gone.Token, bad} {
		if strings.Contains(out, token) {
			t.Errorf("the server log holds a token:\n%s", out)
		}
	}
}

// Package e2e drives the real Atrium server in headless Chromium: the client
// page at phone and laptop sizes, the admin flow from sign-in to a
// deactivated link, and axe-core accessibility checks. Screenshots of every
// step land in e2e/artifacts/ (git-ignored).
//
// Run with `go test ./e2e/`. Chromium (/usr/bin/chromium, or $ATRIUM_CHROMIUM)
// and axe-core (e2e/node_modules/axe-core/axe.min.js) are needed; without
// them the tests skip, except under CI=true where they fail.
package e2e

import (
	"context"
	"crypto/rand"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"atrium/internal/demo"
	"atrium/internal/files"
	"atrium/internal/live"
	"atrium/internal/store"
	"atrium/internal/testsupport"
	"atrium/internal/web"
)

// artifacts is where screenshots and axe reports go, relative to e2e/.
const artifacts = "artifacts"

// TestMain starts each run with an empty artifacts folder, so that what is
// there belongs to the last run.
func TestMain(m *testing.M) {
	os.RemoveAll(artifacts)
	code := m.Run()
	testsupport.StopS3() // if a test started the package's S3 server
	removeBinary()
	os.Exit(code)
}

// need skips the test when a tool is missing, but fails it under CI, where
// .ci/run installs everything and a skip would hide a broken install.
func need(t *testing.T, format string, args ...any) {
	t.Helper()
	testsupport.Missing(t, format, args...)
}

// app is a running Atrium seeded with the demo studio.
type app struct {
	URL    string
	Store  *store.Store
	Demo   *demo.Result
	Secret []byte
	Live   *watchedBroker
	srv    *httptest.Server
}

// startApp starts the real server in-process on a fresh SQLite database,
// wired as cmd/atrium wires it, and seeds the demo studio.
func startApp(t testing.TB) *app {
	t.Helper()
	return startAppWith(t, nil)
}

// startAppWith is startApp whose tweak may change the server's config
// (for example give it a mail sender) once the store and files are open.
func startAppWith(t testing.TB, tweak func(*web.Config, *store.Store, files.Storage)) *app {
	t.Helper()
	return startAppDemo(t, demo.Options{Width: 1200, Height: 800}, tweak)
}

// startAppDemo is startAppWith with the demo's options (the size of its
// renderings: smaller than the demo's own, to seed faster).
func startAppDemo(t testing.TB, opt demo.Options, tweak func(*web.Config, *store.Store, files.Storage)) *app {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()

	st, err := store.Open(ctx, "", filepath.Join(dir, "data"))
	if err != nil {
		t.Fatalf("store.Open: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.Migrate(ctx); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	fs, err := files.NewLocal(filepath.Join(dir, "files"))
	if err != nil {
		t.Fatalf("files.NewLocal: %v", err)
	}
	tmp := filepath.Join(dir, "tmp")
	if err := os.MkdirAll(tmp, 0o700); err != nil {
		t.Fatal(err)
	}
	secret := make([]byte, 32)
	rand.Read(secret)

	start := time.Now()
	res, err := demo.Seed(ctx, st, fs, tmp, secret, opt)
	if err != nil {
		t.Fatalf("demo.Seed: %v", err)
	}
	t.Logf("demo seeded in %v", time.Since(start).Round(time.Millisecond))

	// The listener comes first: client links are built from BaseURL, which
	// must be the address the browser reaches.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	logs := &testsupport.LogBuffer{}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	broker := &watchedBroker{Broker: live.NewMemory()}
	cfg := web.Config{BaseURL: base, TempDir: tmp, Secret: secret}
	if tweak != nil {
		tweak(&cfg, st, fs)
	}
	s, err := web.New(cfg, st, fs, broker, log)
	if err != nil {
		t.Fatalf("web.New: %v", err)
	}
	ts := httptest.NewUnstartedServer(s)
	ts.Listener.Close()
	ts.Listener = ln
	ts.Start()
	t.Cleanup(func() {
		// Live-update streams never end by themselves.
		ts.CloseClientConnections()
		ts.Close()
		s.Close(context.Background())
		if t.Failed() {
			t.Logf("server log (last lines):\n%s", logs.Tail(60))
		}
	})
	return &app{URL: base, Store: st, Demo: res, Secret: secret, Live: broker, srv: ts}
}

// ClientURL is the demo client link.
func (a *app) ClientURL() string { return a.URL + "/client-progress/" + a.Demo.Token }

// watchedBroker is the in-memory broker, counting its subscriptions so a
// test can wait until a page listens for live updates before it makes one.
type watchedBroker struct {
	live.Broker
	mu   sync.Mutex
	subs int
}

func (b *watchedBroker) Subscribe(projectID string) (<-chan struct{}, func()) {
	ch, cancel := b.Broker.Subscribe(projectID)
	b.mu.Lock()
	b.subs++
	b.mu.Unlock()
	var once sync.Once
	return ch, func() {
		once.Do(func() {
			b.mu.Lock()
			b.subs--
			b.mu.Unlock()
		})
		cancel()
	}
}

func (b *watchedBroker) watchers() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.subs
}

// waitWatchers waits until at least n live-update streams are open.
func (b *watchedBroker) waitWatchers(t *testing.T, n int, d time.Duration) {
	t.Helper()
	deadline := time.Now().Add(d)
	for b.watchers() < n {
		if time.Now().After(deadline) {
			t.Fatalf("no live-update stream opened within %v: the page never subscribed to /api/client-progress/{token}/events (%d open, want %d)", d, b.watchers(), n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// chromiumPath finds Debian's Chromium, or the one named by $ATRIUM_CHROMIUM.
func chromiumPath() string {
	if p := os.Getenv("ATRIUM_CHROMIUM"); p != "" {
		return p
	}
	for _, p := range []string{"/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	return ""
}

// httpClient is a short-timeout client for checks made from Go.
var httpClient = &http.Client{Timeout: 20 * time.Second}

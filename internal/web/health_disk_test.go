//go:build linux

package web_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"atrium/internal/files"
	"atrium/internal/live"
	"atrium/internal/store"
	"atrium/internal/studio"
	"atrium/internal/testsupport"
	"atrium/internal/web"
)

// tinyDisk is a folder whose writes can be made to fail for real: a small
// tmpfs that fill() fills up (a full disk), or, where mounting is not
// allowed, any folder with the process's file size limit (RLIMIT_FSIZE)
// lowered to one byte, so that every write past the first byte fails with
// EFBIG, as a quota would. ATRIUM_TEST_NO_TMPFS=1 forces the second.
type tinyDisk struct {
	t      *testing.T
	dir    string
	tmpfs  bool
	filler string
	limit  syscall.Rlimit // the limit to restore, when lowered
}

func newTinyDisk(t *testing.T) *tinyDisk {
	t.Helper()
	d := &tinyDisk{t: t, dir: t.TempDir()}
	if os.Getenv("ATRIUM_TEST_NO_TMPFS") == "" {
		if err := syscall.Mount("tmpfs", d.dir, "tmpfs", 0, "size=8m,mode=0700"); err == nil {
			d.tmpfs = true
			t.Cleanup(func() {
				if err := syscall.Unmount(d.dir, syscall.MNT_DETACH); err != nil {
					t.Errorf("unmount %s: %v", d.dir, err)
				}
			})
		} else {
			t.Logf("no tmpfs (%v): failing writes with RLIMIT_FSIZE instead", err)
		}
	}
	t.Cleanup(d.free)
	return d
}

// fill makes every further write to the disk fail.
func (d *tinyDisk) fill() {
	d.t.Helper()
	if !d.tmpfs {
		if err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &d.limit); err != nil {
			d.t.Fatal(err)
		}
		signal.Ignore(syscall.SIGXFSZ) // a write past the limit then fails with EFBIG
		low := d.limit
		low.Cur = 1
		if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &low); err != nil {
			d.t.Fatal(err)
		}
		return
	}
	d.filler = filepath.Join(d.dir, "filler")
	f, err := os.Create(d.filler)
	if err != nil {
		d.t.Fatal(err)
	}
	defer f.Close()
	block := make([]byte, 4096)
	for {
		if _, err := f.Write(block); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				d.t.Fatalf("fill the disk: %v", err)
			}
			return
		}
	}
}

// free makes room again.
func (d *tinyDisk) free() {
	if d.limit.Max != 0 {
		syscall.Setrlimit(syscall.RLIMIT_FSIZE, &d.limit)
		signal.Reset(syscall.SIGXFSZ)
		d.limit = syscall.Rlimit{}
	}
	if d.filler != "" {
		os.Remove(d.filler)
		d.filler = ""
	}
}

// healthServer is a server with its file storage in disk and its database
// at storeURL: "" for SQLite in disk, else PostgreSQL. It reuses its
// probes for every. The database is migrated first unless migrated is set.
func healthServer(t *testing.T, disk, storeURL string, every time.Duration, migrated bool) *env {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, storeURL, disk)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if !migrated {
		if err := st.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
	}
	fstore, err := files.NewLocal(filepath.Join(disk, "files"))
	if err != nil {
		t.Fatal(err)
	}
	logs := &testsupport.LogBuffer{}
	clock := testsupport.NewRunningClock()
	cfg := web.Config{TempDir: t.TempDir(), Secret: testSecret, HealthEvery: every, Clock: clock.Studio()}
	srv, err := web.New(cfg, st, fstore, live.NewMemory(), slog.New(slog.NewTextHandler(logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(func() {
		ts.Close()
		srv.Close(context.Background())
	})
	return &env{t: t, URL: ts.URL, Store: st, logs: logs, Clock: clock}
}

// pgSchemaURL is the URL of an empty PostgreSQL schema of its own, dropped
// at the end of the test (skipped without PostgreSQL, except under CI).
func pgSchemaURL(t *testing.T) string {
	t.Helper()
	return testsupport.PostgresSchema(t)
}

// With the disk full every write fails; /healthz must say so (503, naming
// the part), not "ok", and recover once there is room again.
func TestHealthzSeesAFullDisk(t *testing.T) {
	// Not parallel: it may lower the process's RLIMIT_FSIZE (newTinyDisk).
	disk := newTinyDisk(t)
	e := healthServer(t, disk.dir, "", time.Millisecond, false)
	e.seedUser(context.Background(), adminEmail, "Ada Admin", studio.RoleAdmin)
	c := e.anon()
	r := c.do("GET", "/healthz", nil)
	check(t, scenario{name: "healthy", method: "GET", path: "/healthz", status: 200,
		substr: []string{`"status":"ok"`, `"database":"ok"`, `"storage":"ok"`}}, r)
	admin := e.login(adminEmail)

	disk.fill()
	e.Clock.Advance(time.Second) // past HealthEvery
	r = admin.do("POST", "/api/projects", map[string]string{"name": "Full", "clientName": "Disk"})
	if r.Status != 500 {
		t.Errorf("a write with the disk full: %d, want 500 (else the test does not fill the disk)", r.Status)
	}
	r = c.do("GET", "/healthz", nil)
	check(t, scenario{name: "disk full", method: "GET", path: "/healthz", status: 503,
		substr: []string{`"status":"unavailable"`, `"database":"unwritable"`, `"storage":"unwritable"`}}, r)
	if strings.Contains(string(r.Body), "space") || strings.Contains(string(r.Body), "sqlite") {
		t.Errorf("healthz leaks the internal error: %s", r.Body)
	}

	disk.free()
	e.Clock.Advance(time.Second)
	r = c.do("GET", "/healthz", nil)
	check(t, scenario{name: "room again", method: "GET", path: "/healthz", status: 200,
		substr: []string{`"status":"ok"`}}, r)
}

// On PostgreSQL a database that refuses writes (here: read-only
// transactions, as a full disk or a read-only replica does) is
// "unwritable", and the storage on a full disk too, each on its own.
func TestHealthzSeesAnUnwritableDatabase(t *testing.T) {
	// Not parallel: it may lower the process's RLIMIT_FSIZE (newTinyDisk).
	url := pgSchemaURL(t)
	// The database takes writes; the storage is on a full disk.
	disk := newTinyDisk(t)
	rw := healthServer(t, disk.dir, url, time.Millisecond, false)
	c := rw.anon()
	if r := c.do("GET", "/healthz", nil); r.Status != 200 {
		t.Fatalf("healthy: %d %s", r.Status, r.Body)
	}
	disk.fill()
	rw.Clock.Advance(time.Second)
	r := c.do("GET", "/healthz", nil)
	disk.free()
	check(t, scenario{name: "storage full", method: "GET", path: "/healthz", status: 503,
		substr: []string{`"status":"unavailable"`, `"database":"ok"`, `"storage":"unwritable"`}}, r)

	// Another instance on the same database, whose connections refuse
	// writes; its storage is fine.
	ro := healthServer(t, t.TempDir(), url+"&default_transaction_read_only=on", time.Hour, true)
	r = ro.anon().do("GET", "/healthz", nil)
	check(t, scenario{name: "read-only database", method: "GET", path: "/healthz", status: 503,
		substr: []string{`"status":"unavailable"`, `"database":"unwritable"`, `"storage":"ok"`}}, r)
}

// A flood of /healthz runs the write probes once per HealthEvery, not once
// a request.
func TestHealthzProbesAreRateLimited(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		e := newEnv(t, db, func(c *web.Config) { c.HealthEvery = time.Hour })
		c := e.anon()
		if r := c.do("GET", "/healthz", nil); r.Status != 200 {
			t.Fatalf("healthz: %d %s", r.Status, r.Body)
		}
		// Within HealthEvery the answer is the last probe's: even with the
		// database gone, nothing is asked of it.
		e.Store.Close()
		var wg sync.WaitGroup
		codes := make([]int, 20)
		for i := range codes {
			wg.Go(func() {
				res, err := c.hc.Get(e.URL + "/healthz")
				if err != nil {
					return
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				codes[i] = res.StatusCode
			})
		}
		wg.Wait()
		for i, code := range codes {
			if code != 200 {
				t.Errorf("request %d within HealthEvery: %d, want the cached 200 (the probe ran again)", i, code)
			}
		}
	})
}

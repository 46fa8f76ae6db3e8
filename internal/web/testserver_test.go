package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"atrium/internal/files"
	"atrium/internal/live"
	"atrium/internal/store"
	"atrium/internal/studio"
	"atrium/internal/testsupport"
	"atrium/internal/web"

	_ "github.com/jackc/pgx/v5/stdlib"
)

// Staff seeded into every test server.
const (
	adminEmail       = "admin@studio.test"
	designerEmail    = "designer@studio.test"
	testPassword     = "correct horse battery"
	otherPassword    = "not the right password"
	unknownID        = "0123456789abcdef0123456789abcdef" // well-formed, never issued
	dbSQLite         = "sqlite"
	dbPostgres       = "postgres"
	dbPostgresCached = "postgres-cached" // with LISTEN/NOTIFY and the link cache, as serve runs it
	pgDefaultTestURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
)

// env is a running server on a temp database and a temp storage folder.
type env struct {
	t        *testing.T
	URL      string
	Store    *store.Store
	FilesDir string // the storage folder: empty after any failed upload
	TempDir  string // where uploads are spooled: empty between requests
	Admin    *studio.User
	Designer *studio.User
	// Clock is the server's and the store's: it follows the wall clock
	// until a test advances it.
	Clock *testsupport.Clock
	logs  *testsupport.LogBuffer
}

// newEnv starts a server on db (dbSQLite or dbPostgres); tweak may change
// the config before the server is built.
func newEnv(t *testing.T, db string, tweak func(*web.Config)) *env {
	t.Helper()
	return newEnvFull(t, db, nil, plainTweak(tweak))
}

// newEnvOn is newEnv with the files in fstore (nil: a temp folder, which
// FilesDir names; otherwise FilesDir is empty).
func newEnvOn(t *testing.T, db string, fstore files.Storage, tweak func(*web.Config)) *env {
	t.Helper()
	return newEnvFull(t, db, fstore, plainTweak(tweak))
}

// newEnvWith is newEnv whose tweak also sees the env, its store open.
func newEnvWith(t *testing.T, db string, tweak func(*env, *web.Config)) *env {
	t.Helper()
	return newEnvFull(t, db, nil, tweak)
}

func plainTweak(tweak func(*web.Config)) func(*env, *web.Config) {
	return func(_ *env, c *web.Config) {
		if tweak != nil {
			tweak(c)
		}
	}
}

// newEnvFull is what newEnv, newEnvOn and newEnvWith share.
func newEnvFull(t *testing.T, db string, fstore files.Storage, tweak func(*env, *web.Config)) *env {
	t.Helper()
	ctx := context.Background()
	e := &env{t: t, logs: &testsupport.LogBuffer{}, Clock: testsupport.NewRunningClock()}
	var broker live.Broker = live.NewMemory()
	switch db {
	case dbSQLite:
		e.Store = openSQLite(t)
	case dbPostgres:
		e.Store = openPostgres(t)
	case dbPostgresCached:
		// As atrium serve runs on PostgreSQL: LISTEN/NOTIFY, and the link
		// cache that its listener keeps true.
		url := testsupport.PostgresSchema(t)
		e.Store = openPostgresURL(t, url)
		pg, err := live.NewPostgres(ctx, url, live.DefaultChannel, slog.New(slog.DiscardHandler), e.Store.CacheLinks(0))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(pg.Close)
		broker = pg
	default:
		t.Fatalf("unknown database %q", db)
	}
	e.TempDir = t.TempDir()
	if fstore == nil {
		e.FilesDir = filepath.Join(t.TempDir(), "files")
		local, err := files.NewLocal(e.FilesDir)
		if err != nil {
			t.Fatal(err)
		}
		fstore = local
	}
	e.Store.SetClock(e.Clock.Studio())
	cfg := web.Config{TempDir: e.TempDir, Secret: []byte("test secret, 32 bytes or so....."), Clock: e.Clock.Studio()}
	if tweak != nil {
		tweak(e, &cfg)
	}
	log := slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelWarn}))
	srv, err := web.New(cfg, e.Store, fstore, broker, log)
	if err != nil {
		t.Fatal(err)
	}
	// The http.Server and listener that serve uses: its timeouts and
	// per-address connection cap are part of what the tests exercise.
	ts := httptest.NewUnstartedServer(srv)
	ts.Config = srv.HTTPServer(nil)
	ts.Listener = srv.Listener(ts.Listener)
	ts.Start()
	e.URL = ts.URL
	t.Cleanup(func() {
		ts.Close()
		srv.Close(context.Background())
		if t.Failed() {
			t.Logf("server log:\n%s", e.logs.String())
		}
	})
	e.Admin = e.seedUser(ctx, adminEmail, "Ada Admin", studio.RoleAdmin)
	e.Designer = e.seedUser(ctx, designerEmail, "Dan Designer", studio.RoleDesigner)
	return e
}

// eachDB runs fn against a server on SQLite and one on PostgreSQL.
func eachDB(t *testing.T, fn func(t *testing.T, db string)) {
	t.Helper()
	for _, db := range []string{dbSQLite, dbPostgres} {
		t.Run(db, func(t *testing.T) { fn(t, db) })
	}
}

func (e *env) seedUser(ctx context.Context, email, name string, role studio.Role) *studio.User {
	e.t.Helper()
	u := &studio.User{Email: email, Name: name, Role: role, PasswordHash: testsupport.PasswordHash(testPassword)}
	if err := e.Store.CreateUser(ctx, u); err != nil {
		e.t.Fatal(err)
	}
	return u
}

func openSQLite(t *testing.T) *store.Store {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, "", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return s
}

// openPostgres opens a migrated store in a schema of its own. Without a
// server the test is skipped, except under CI=true where it fails.
func openPostgres(t *testing.T) *store.Store {
	t.Helper()
	return openPostgresURL(t, testsupport.PostgresSchema(t))
}

func openPostgresURL(t *testing.T, url string) *store.Store {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, url, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return s
}

// client is an HTTP client with its own cookie jar, like one browser or
// one integration script.
type client struct {
	t   *testing.T
	e   *env
	hc  *http.Client
	hdr http.Header // sent with every request
}

func (e *env) anon() *client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		e.t.Fatal(err)
	}
	return &client{t: e.t, e: e, hc: &http.Client{Jar: jar}, hdr: http.Header{}}
}

// login signs in as email with the test password and fails the test
// unless that works.
func (e *env) login(email string) *client {
	e.t.Helper()
	c := e.anon()
	if r := c.do("POST", "/api/session", map[string]string{"email": email, "password": testPassword}); r.Status != 200 {
		e.t.Fatalf("login %s: %d %s", email, r.Status, r.Body)
	}
	return c
}

// resp is a finished response with its body read.
type resp struct {
	Status int
	Header http.Header
	Body   []byte
	raw    *http.Response
}

// do sends a request. body may be nil, a string or []byte (sent as is), or
// anything else (sent as JSON).
func (c *client) do(method, path string, body any) *resp {
	c.t.Helper()
	var r io.Reader
	ctype := ""
	switch b := body.(type) {
	case nil:
	case string:
		r, ctype = strings.NewReader(b), "application/json"
	case []byte:
		r, ctype = bytes.NewReader(b), "application/json"
	default:
		j, err := json.Marshal(b)
		if err != nil {
			c.t.Fatal(err)
		}
		r, ctype = bytes.NewReader(j), "application/json"
	}
	return c.send(method, path, ctype, r, nil)
}

// send sends a request with a raw body and extra headers.
func (c *client) send(method, path, ctype string, body io.Reader, hdr map[string]string) *resp {
	c.t.Helper()
	req, err := http.NewRequest(method, c.e.URL+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	for k, vs := range c.hdr {
		req.Header[k] = vs
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	res, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatalf("%s %s: read body: %v", method, path, err)
	}
	checkOpenAPI(c.t, res, b) // every answer under /api matches docs/openapi.yaml
	return &resp{Status: res.StatusCode, Header: res.Header, Body: b, raw: res}
}

// decode reads a JSON response into v.
func (r *resp) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("response is not JSON (%v): %s", err, r.Body)
	}
}

type apiError struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Field   string            `json:"field"`
	Fields  map[string]string `json:"fields"`
}

// apiErr reads the error envelope, or a zero value if there is none.
func (r *resp) apiErr() apiError {
	var env struct {
		Error apiError `json:"error"`
	}
	json.Unmarshal(r.Body, &env)
	return env.Error
}

// scenario is one request and what must come back.
type scenario struct {
	name   string
	method string
	path   string
	body   any
	hdr    map[string]string
	status int
	code   string   // error code, when the status is an error
	field  string   // the field named by error.field or, failing that, the message
	substr []string // must appear in the body
}

// run sends every scenario with c and checks status, code, field and body.
func run(t *testing.T, c *client, scenarios []scenario) {
	t.Helper()
	for _, sc := range scenarios {
		var r *resp
		if sc.hdr != nil {
			var body io.Reader
			if s, ok := sc.body.(string); ok {
				body = strings.NewReader(s)
			}
			r = c.send(sc.method, sc.path, "application/json", body, sc.hdr)
		} else {
			r = c.do(sc.method, sc.path, sc.body)
		}
		check(t, sc, r)
	}
}

func check(t *testing.T, sc scenario, r *resp) {
	t.Helper()
	if r.Status != sc.status {
		t.Errorf("%s: %s %s: status = %d, want %d; body %s", sc.name, sc.method, sc.path, r.Status, sc.status, r.Body)
		return
	}
	if sc.code != "" {
		e := r.apiErr()
		if e.Code != sc.code {
			t.Errorf("%s: error code = %q, want %q; body %s", sc.name, e.Code, sc.code, r.Body)
		}
		if e.Message == "" {
			t.Errorf("%s: error without a message: %s", sc.name, r.Body)
		}
		if sc.field != "" && e.Field != sc.field {
			t.Errorf("%s: error names field %q (message %q), want %q", sc.name, e.Field, e.Message, sc.field)
		}
	}
	for _, s := range sc.substr {
		if !bytes.Contains(r.Body, []byte(s)) {
			t.Errorf("%s: body lacks %q: %s", sc.name, s, r.Body)
		}
	}
}

// leftovers lists every file and folder under dir.
func leftovers(t *testing.T, dir string) []string {
	t.Helper()
	var got []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != dir {
			got = append(got, strings.TrimPrefix(p, dir+string(filepath.Separator)))
		}
		return nil
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return got
}

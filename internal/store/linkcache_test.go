package store

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"log/slog"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"atrium/internal/live"
	"atrium/internal/studio"
	"atrium/internal/testsupport"
)

// frozenClock is the link cache's clock in tests: entries age only when
// the test says so.
type frozenClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *frozenClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *frozenClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// cacheLinksFrozen turns s's link cache on with a frozen clock.
func cacheLinksFrozen(s *Store) (*LinkCache, *frozenClock) {
	clock := &frozenClock{t: time.Now()}
	c := s.CacheLinks(0)
	c.mu.Lock()
	c.now = clock.now
	c.mu.Unlock()
	return c, clock
}

// labelBase is the expiry that relabel and clientLabel count from.
var labelBase = time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)

// relabel changes a link behind the store's back (no invalidation), so
// that a test can tell a cached answer from a fresh one: the one-letter
// label becomes the link's expiry, "a" one day after labelBase, "b" two...
// (the client side's lookup reads the expiry, not the label).
func relabel(t *testing.T, s *Store, id, label string) {
	t.Helper()
	exp := labelBase.AddDate(0, 0, int(label[0]-'a')+1)
	if _, err := s.w.Exec(s.q(`UPDATE client_links SET expires_at = ? WHERE id = ?`), fmtTime(exp), id); err != nil {
		t.Fatal(err)
	}
}

// clientLabel is the label that relabel gave the link, as LinkForClient
// reads it ("" for none).
func clientLabel(t *testing.T, s *Store, digest string) string {
	t.Helper()
	cl, err := s.LinkForClient(context.Background(), digest)
	if err != nil {
		t.Fatal(err)
	}
	if cl.Link.ExpiresAt == nil {
		return ""
	}
	days := int(cl.Link.ExpiresAt.Sub(labelBase).Hours() / 24)
	return string(rune('a' + days - 1))
}

// The cache serves what it read only while the listener is up, for less
// than its maximum age, and until a notice about the link's project.
func TestLinkCacheRules(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		l := newTestLink(t, s)
		other := newTestLink(t, s)
		c, clock := cacheLinksFrozen(s)

		// Not listening yet: every lookup reads the database.
		clientLabel(t, s, l.TokenDigest)
		relabel(t, s, l.ID, "a")
		if got := clientLabel(t, s, l.TokenDigest); got != "a" {
			t.Fatalf("before the listener is up: label %q, want a (read again)", got)
		}

		c.Listening(true)
		clientLabel(t, s, l.TokenDigest)
		relabel(t, s, l.ID, "b")
		if got := clientLabel(t, s, l.TokenDigest); got != "a" {
			t.Fatalf("listening: label %q, want the cached a", got)
		}
		c.Heard(other.ProjectID)
		if got := clientLabel(t, s, l.TokenDigest); got != "a" {
			t.Fatalf("after another project's notice: label %q, want the cached a", got)
		}
		c.Heard(l.ProjectID)
		if got := clientLabel(t, s, l.TokenDigest); got != "b" {
			t.Fatalf("after its project's notice: label %q, want b", got)
		}
		relabel(t, s, l.ID, "c")
		c.Heard(live.AllProjects)
		if got := clientLabel(t, s, l.TokenDigest); got != "c" {
			t.Fatalf("after a notice for all projects: label %q, want c", got)
		}

		// Age: served up to the maximum age, read again from then on.
		relabel(t, s, l.ID, "d")
		clock.add(LinkCacheMaxAge - time.Millisecond)
		if got := clientLabel(t, s, l.TokenDigest); got != "c" {
			t.Fatalf("just under the maximum age: label %q, want the cached c", got)
		}
		clock.add(time.Millisecond)
		if got := clientLabel(t, s, l.TokenDigest); got != "d" {
			t.Fatalf("at the maximum age: label %q, want d", got)
		}

		// The listener lost: nothing cached is served, and nothing is kept.
		relabel(t, s, l.ID, "e")
		c.Listening(false)
		if got := clientLabel(t, s, l.TokenDigest); got != "e" {
			t.Fatalf("listener lost: label %q, want e", got)
		}
		relabel(t, s, l.ID, "f")
		if got := clientLabel(t, s, l.TokenDigest); got != "f" {
			t.Fatalf("listener lost: label %q, want f (nothing cached)", got)
		}
		// Back: starts empty.
		c.Listening(true)
		if got := clientLabel(t, s, l.TokenDigest); got != "f" {
			t.Fatalf("listener back: label %q, want f", got)
		}

		// A deactivation through the store shows at once on this instance.
		if _, err := s.DeactivateLink(ctx, l.ID, ""); err != nil {
			t.Fatal(err)
		}
		cl, err := s.LinkForClient(ctx, l.TokenDigest)
		if err != nil || cl.Link.State(time.Now()) != studio.ECodeLinkDeactivated {
			t.Fatalf("after DeactivateLink: %+v, %v; want deactivated", cl, err)
		}
		// Unknown tokens are never cached.
		if _, err := s.LinkForClient(ctx, studio.TokenDigest("nope")); studio.ErrorCode(err) != studio.ECodeNotFound {
			t.Fatalf("unknown token: %v", err)
		}
	})
}

// A read that began before an invalidation is not kept: it may hold the
// state from before the change.
func TestLinkCacheDropsReadsOverlappingAChange(t *testing.T) {
	t.Parallel()
	var c LinkCache
	c.on, c.maxAge = true, LinkCacheMaxAge
	c.Listening(true)
	cl := &ClientLink{Link: &studio.Link{ID: "l1", ProjectID: "p1", Active: true}}
	_, gen, use := c.get("d1")
	if !use {
		t.Fatal("cache not in use while listening")
	}
	c.Heard("p1") // the change's notice arrives while the read runs
	c.put("d1", gen, time.Now(), cl)
	if got, _, _ := c.get("d1"); got != nil {
		t.Fatal("a read overlapping a change was cached")
	}
	_, gen, _ = c.get("d1")
	c.Listening(false)
	c.Listening(true)
	c.put("d1", gen, time.Now(), cl)
	if got, _, _ := c.get("d1"); got != nil {
		t.Fatal("a read overlapping a reconnection was cached")
	}
	_, gen, _ = c.get("d1")
	c.put("d1", gen, time.Now(), cl)
	got, _, _ := c.get("d1")
	if got == nil || got.Link == cl.Link {
		t.Fatalf("get = %+v, want a copy of the cached link", got)
	}
}

// Two stores on one PostgreSQL schema stand for two instances: a
// deactivation through one reaches the other's cache through its listener,
// however young the cached entry.
func TestLinkCacheHearsOtherInstances(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, b, _ := twoInstances(t) // b's entries never age: only the notice can drop them

	l := newTestLink(t, a)
	if cl, err := b.LinkForClient(ctx, l.TokenDigest); err != nil || !cl.Link.Active {
		t.Fatalf("b reads %+v, %v", cl, err)
	}
	if _, err := a.DeactivateLink(ctx, l.ID, ""); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		cl, err := b.LinkForClient(ctx, l.TokenDigest)
		if err != nil {
			t.Fatal(err)
		}
		if !cl.Link.Active {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the other instance still serves the link 5 s after its deactivation")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// linkWrites are the SQL statements that change a client link's state, or
// end it with its project.
var linkWrites = regexp.MustCompile(`(?is)\b(UPDATE\s+client_links|DELETE\s+FROM\s+client_links|DELETE\s+FROM\s+projects)\b`)

// linkWriteExceptions may write client_links without changeLink, and why.
var linkWriteExceptions = map[string]string{
	"bumpAccess":      "access counters only; the client side does not read them from the cache",
	"insertAccessPG":  "access counters only",
	"QueueInvitation": "sent_to and sent_at only, staff-only columns",
	"DispatchUpdates": "updates_sent_at only, a staff-only column",
	"Unsubscribe":     "updates_off only, a staff-only column",
	"recordVisit":     "the link's own visit times (last_view_at, previous_visit_at), written by its page views: a cached entry lags them by at most its 0.5 s age",
}

// Every store function that changes a link goes through changeLink, which
// tells every instance's link cache. A new one that does not fails here.
func TestLinkWritesInvalidate(t *testing.T) {
	t.Parallel()
	paths, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	checked := 0
	for _, path := range paths {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			var name string
			var body ast.Node
			switch d := decl.(type) {
			case *ast.FuncDecl:
				name, body = d.Name.Name, d
			case *ast.GenDecl:
				for _, spec := range d.Specs {
					if vs, ok := spec.(*ast.ValueSpec); ok && writesLinks(vs) {
						if _, ok := linkWriteExceptions[vs.Names[0].Name]; !ok {
							t.Errorf("%s: %s writes client links outside a function: use changeLink", fset.Position(vs.Pos()), vs.Names[0].Name)
						}
					}
				}
				continue
			}
			if !writesLinks(body) {
				continue
			}
			checked++
			if _, ok := linkWriteExceptions[name]; ok || name == "changeLink" {
				continue
			}
			if !callsChangeLink(body) {
				t.Errorf("%s: %s changes client links without changeLink: other instances' caches would not hear of it",
					fset.Position(body.Pos()), name)
			}
		}
	}
	if checked < 2 {
		t.Fatalf("found %d functions that write links; the scan is broken", checked)
	}
}

func writesLinks(n ast.Node) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING && linkWrites.MatchString(lit.Value) {
			found = true
		}
		return !found
	})
	return found
}

func callsChangeLink(n ast.Node) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok && sel.Sel.Name == "changeLink" {
			found = true
		}
		return !found
	})
	return found
}

// What LinkForClient reads of a link (clientLinkCols), and what only staff
// see. Every field of studio.Link is in one of the two.
var (
	clientLinkFields = []string{"ID", "ProjectID", "ExpiresAt", "Active", "AllowFeedback", "LastViewAt", "PreviousVisitAt",
		"AllowDownloads", "PINDigest", "PINVersion", "LockedAt", "Locale"}
	staffOnlyLinkFields = []string{"Label", "TokenDigest", "TokenHint", "CreatedBy", "CreatedAt", "DeactivatedAt",
		"DeactivatedBy", "AccessCount", "LastAccessedAt", "DownloadCount", "UniqueIPs", "SentTo", "SentAt", "TokenGen"}
)

// The client side's lookup reads only some columns of a link. A field
// added to studio.Link must be classified here, and if the client side
// uses it, read by LinkForClient: a client would otherwise see its zero
// value.
func TestLinkForClientReadsWhatClientsUse(t *testing.T) {
	t.Parallel()
	lt := reflect.TypeFor[studio.Link]()
	for i := range lt.NumField() {
		name := lt.Field(i).Name
		if !slices.Contains(clientLinkFields, name) && !slices.Contains(staffOnlyLinkFields, name) {
			t.Errorf("studio.Link.%s is neither read for clients (clientLinkCols) nor listed as staff-only", name)
		}
	}
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		p := seedProject(t, s, "Hillside")
		l, _, err := s.IssueLink(ctx, studio.LinkInput{ProjectID: p.ID, Label: "Jane", Expires: "30d", Locale: "fr"}, []byte("test secret test secret test secret"), time.Now())
		if err != nil {
			t.Fatal(err)
		}
		full, err := s.Link(ctx, l.ID)
		if err != nil || full.ExpiresAt == nil || !full.Active {
			t.Fatalf("the link: %+v, %v; want an active link with an expiry", full, err)
		}
		cl, err := s.LinkForClient(ctx, l.TokenDigest)
		if err != nil {
			t.Fatal(err)
		}
		want, got := reflect.ValueOf(*full), reflect.ValueOf(*cl.Link)
		for _, name := range clientLinkFields {
			if !reflect.DeepEqual(got.FieldByName(name).Interface(), want.FieldByName(name).Interface()) {
				t.Errorf("LinkForClient's %s = %v, want %v", name, got.FieldByName(name).Interface(), want.FieldByName(name).Interface())
			}
		}
	})
}

// A rotated token finds nothing on another instance as soon as the notice
// arrives, though its cache never ages; the new token finds the link.
func TestLinkCacheDropsRotatedTokens(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, b, _ := twoInstances(t)

	l := newTestLink(t, a)
	if _, err := b.LinkForClient(ctx, l.TokenDigest); err != nil {
		t.Fatal(err)
	}
	rotated, token, err := a.RotateLink(ctx, l.ID, []byte("test secret test secret test secret"), "")
	if err != nil || rotated.TokenGen != 1 || rotated.TokenDigest != studio.TokenDigest(token) || rotated.Label != l.Label {
		t.Fatalf("rotate: %+v %q %v", rotated, token, err)
	}
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		if _, err := b.LinkForClient(ctx, l.TokenDigest); studio.ErrorCode(err) == studio.ECodeNotFound {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		if time.Now().After(deadline) {
			t.Fatal("the other instance still serves the old token 5 s after the rotation")
		}
	}
	if cl, err := b.LinkForClient(ctx, studio.TokenDigest(token)); err != nil || cl.Link.ID != l.ID {
		t.Fatalf("the new token: %+v, %v", cl, err)
	}
}

// twoInstances opens two stores on one PostgreSQL schema, as two servers
// would: a to write, and b with a link cache whose entries never age, so
// that only a's notices (heard by b's listener) can drop them. All three
// close with the test.
func twoInstances(t *testing.T) (a, b *Store, cache *LinkCache) {
	t.Helper()
	ctx := context.Background()
	url := testsupport.PostgresSchema(t)
	var err error
	if a, err = Open(ctx, url, ""); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	if err := a.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if b, err = Open(ctx, url, ""); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	cache, _ = cacheLinksFrozen(b)
	listener, err := live.NewPostgres(ctx, url, live.DefaultChannel, slog.New(slog.NewTextHandler(io.Discard, nil)), cache)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { listener.Close() })
	return a, b, cache
}

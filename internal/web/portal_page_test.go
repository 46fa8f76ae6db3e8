package web_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"atrium/internal/files"
	"atrium/internal/portal"
	"atrium/internal/store"
	"atrium/internal/studio"
	"atrium/internal/web"
)

// portalSeed is a project seeded straight into the store and the file
// storage (no HTTP), with approved and draft renderings and an active link.
type portalSeed struct {
	token     string
	link      *studio.Link
	projectID string
	rooms     []*studio.Room
	approved  []*studio.Rendering
	drafts    []*studio.Rendering
}

// Text that must never reach a client: internal fields of the seed.
var portalSecrets = []string{"SECRET-PROJECT-NOTE", "SECRET-PHASE-NOTE", "SECRET-RENDER-NOTE",
	"secret-client@private.test", "SECRET ADDRESS", "Draft DO-NOT-SHOW", "9876543"}

type portalSeedOptions struct {
	approved, drafts int
	picture          func(i int) []byte                      // JPEG of rendering i; a small gradient if nil
	text             func(i int) (title, description string) // of approved rendering i; short if nil
	expiresAt        *time.Time
}

func portalSeedProject(t testing.TB, st *store.Store, fs files.Storage, userID string, o portalSeedOptions) *portalSeed {
	t.Helper()
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(st.UpdateSettings(ctx, &studio.Settings{Name: "Maison Test Interiors", AccentColor: "#8B5E3C",
		ContactEmail: "hello@maison.test", ContactPhone: "+1 415 555 0100"}))
	budget := int64(9876543)
	p := &studio.Project{Name: "Hillside Residence", ClientName: "Jane & Tom", ClientEmail: "secret-client@private.test",
		Address: "SECRET ADDRESS", BudgetCents: &budget, InternalNotes: "SECRET-PROJECT-NOTE",
		StartDate: "2026-09-01", TargetDate: "2027-03-15", CreatedBy: userID}
	must(st.CreateProject(ctx, p))
	s := &portalSeed{projectID: p.ID}
	c, i, n, k := studio.StatusCompleted, studio.StatusInProgress, studio.StatusNotStarted, studio.StatusSkipped
	for ri, plan := range []struct {
		name   string
		phases []studio.PhaseStatus
	}{
		{"Kitchen", []studio.PhaseStatus{c, c, i, n, n}},
		{"Guest Bath", []studio.PhaseStatus{c, k, n, n, n}},
	} {
		room, err := st.CreateRoom(ctx, p.ID, plan.name)
		must(err)
		for pi, status := range plan.phases {
			ph := room.Phases[pi]
			ph.Status, ph.InternalNotes = status, "SECRET-PHASE-NOTE"
			if status == studio.StatusCompleted {
				ph.CompletedAt = fmt.Sprintf("2026-10-%02d", 2+pi+ri)
			}
			must(st.UpdatePhase(ctx, &ph, p.ID, ""))
			room.Phases[pi] = ph
		}
		s.rooms = append(s.rooms, room)
	}
	picture := o.picture
	if picture == nil {
		picture = func(i int) []byte {
			if i == 0 { // one large enough for a full-size preview
				return portalJPEG(t, 1800, 1200, i)
			}
			return portalJPEG(t, 600, 400, i)
		}
	}
	tmp := t.TempDir()
	for j := range o.approved + o.drafts {
		r := &studio.Rendering{ID: store.NewID(), ProjectID: p.ID, RoomID: s.rooms[j%2].ID,
			Title: fmt.Sprintf("Approved view %d", j+1), Description: fmt.Sprintf("Oak and travertine, view %d.", j+1),
			Status: studio.RenderingDraft, UploadedBy: userID, InternalNotes: "SECRET-RENDER-NOTE", OriginalName: "render.jpg"}
		if j >= o.approved {
			r.Title, r.Description = fmt.Sprintf("Draft DO-NOT-SHOW %d", j+1), "Draft DO-NOT-SHOW"
		} else if o.text != nil {
			r.Title, r.Description = o.text(j)
		}
		sp, err := files.Spool(ctx, tmp, bytes.NewReader(picture(j)), 0)
		must(err)
		ing, err := files.Ingest(ctx, fs, sp, "renderings/"+r.ID, files.Limits{})
		sp.Close()
		must(err)
		r.FileKey, r.ContentType, r.Bytes, r.Width, r.Height, r.SHA256 = ing.Key, ing.ContentType, ing.Bytes, ing.Width, ing.Height, ing.SHA256
		r.ThumbKey, r.PreviewKey = ing.Thumb.Key, ing.Preview.Key
		must(st.CreateRendering(ctx, r))
		if j < o.approved {
			at := time.Date(2026, 10, 1, 12, 0, 0, 0, time.UTC).Add(time.Duration(j) * time.Hour)
			r.Status, r.ApprovedAt, r.ApprovedBy = studio.RenderingApproved, &at, userID
			must(st.UpdateRendering(ctx, r, ""))
			s.approved = append(s.approved, r)
		} else {
			s.drafts = append(s.drafts, r)
		}
	}
	s.link, s.token = portalSeedLink(t, st, p.ID, userID, o.expiresAt)
	return s
}

// portalSeedLink adds a link to a project in the store and returns its token.
func portalSeedLink(t testing.TB, st *store.Store, projectID, userID string, expiresAt *time.Time) (*studio.Link, string) {
	t.Helper()
	return issueLink(t, st, []byte("portal test secret"), studio.LinkInput{ProjectID: projectID, Label: "Jane", CreatedBy: userID}, expiresAt)
}

// issueLink creates a link the way the server does (store.IssueLink) and
// returns it with its token. A link that expires at expiresAt, even in the
// past, is issued an hour before that.
func issueLink(t testing.TB, st *store.Store, secret []byte, in studio.LinkInput, expiresAt *time.Time) (*studio.Link, string) {
	t.Helper()
	now := time.Now()
	if expiresAt != nil {
		in.Expires = expiresAt.Format(time.RFC3339Nano)
		if early := expiresAt.Add(-time.Hour); early.Before(now) {
			now = early
		}
	}
	l, token, err := st.IssueLink(context.Background(), in, secret, now)
	if err != nil {
		t.Fatal(err)
	}
	return l, token
}

// portalJPEG is a small, cheap JPEG that differs with i.
func portalJPEG(t testing.TB, w, h, i int) []byte {
	t.Helper()
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			m.Set(x, y, color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), uint8(40 * i), 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// newPortalEnv is a test server with a seeded portal project.
func newPortalEnv(t *testing.T, o portalSeedOptions, tweak func(*web.Config)) (*env, *portalSeed) {
	t.Helper()
	e := newEnv(t, dbSQLite, tweak)
	fs, err := files.NewLocal(e.FilesDir)
	if err != nil {
		t.Fatal(err)
	}
	return e, portalSeedProject(t, e.Store, fs, e.Admin.ID, o)
}

// portalWantHeaders checks the client headers (docs/SECURITY.md) on a
// client-facing response.
func portalWantHeaders(t *testing.T, what string, h http.Header) {
	t.Helper()
	for k, want := range map[string]string{
		"Referrer-Policy":        "no-referrer",
		"X-Robots-Tag":           "noindex, nofollow",
		"Cache-Control":          "no-store",
		"X-Content-Type-Options": "nosniff",
	} {
		if got := h.Get(k); got != want {
			t.Errorf("%s: %s = %q, want %q", what, k, got, want)
		}
	}
	csp := h.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("%s: CSP %q lacks %q", what, csp, want)
		}
	}
	for _, bad := range []string{"unsafe-inline", "unsafe-eval", "http:", "https:", "*"} {
		if strings.Contains(csp, bad) {
			t.Errorf("%s: CSP %q allows %q", what, csp, bad)
		}
	}
}

var (
	portalScriptTag   = regexp.MustCompile(`(?i)<script\b[^>]*>`)
	portalInlineStyle = regexp.MustCompile(`(?i)<style\b|\sstyle\s*=`)
	// portalStyleElement is an inline stylesheet and its text.
	portalStyleElement = regexp.MustCompile(`(?s)<style(?: id="theme" data-href="[^"]*")?>(.*?)</style>`)
	portalEventAttr    = regexp.MustCompile(`(?i)<[^>]+\son[a-z]+\s*=`)
	portalAssetRef     = regexp.MustCompile(`(?:href|src)="(/static/[^"]+)"`)
)

// portalWantStrictHTML checks that a page needs nothing the CSP forbids.
func portalWantStrictHTML(t *testing.T, what string, body []byte) {
	t.Helper()
	for _, tag := range portalScriptTag.FindAll(body, -1) {
		// The page's words for its scripts are data, which the CSP lets be.
		if !bytes.Contains(tag, []byte(` src="/static/`)) && string(tag) != `<script type="application/json" id="l10n">` {
			t.Errorf("%s: inline or foreign script %s", what, tag)
		}
	}
	if loc := portalInlineStyle.FindIndex(body); loc != nil {
		t.Errorf("%s: inline style at %q", what, body[loc[0]:min(len(body), loc[0]+60)])
	}
}

// portalWantHashedStyles checks the client page's inline stylesheets: each
// is let in by its hash in the answer's CSP, and nothing else is inline.
func portalWantHashedStyles(t *testing.T, what string, h http.Header, body []byte) {
	t.Helper()
	csp := h.Get("Content-Security-Policy")
	styles := portalStyleElement.FindAllSubmatch(body, -1)
	if len(styles) != 2 {
		t.Errorf("%s: %d inline stylesheets, want the page's and the theme's", what, len(styles))
	}
	for _, m := range styles {
		sum := sha256.Sum256(m[1])
		if hash := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"; !strings.Contains(csp, "style-src 'self' ") || !strings.Contains(csp, hash) {
			t.Errorf("%s: the CSP %q lacks the hash %s of an inline stylesheet", what, csp, hash)
		}
	}
	portalWantStrictHTML(t, what, portalStyleElement.ReplaceAll(body, nil))
	if m := portalEventAttr.Find(body); m != nil {
		t.Errorf("%s: inline event handler %s", what, m)
	}
}

func TestClientPage(t *testing.T) {
	t.Parallel()
	exp := time.Now().UTC().AddDate(0, 0, 30).Truncate(time.Second)
	e, s := newPortalEnv(t, portalSeedOptions{approved: 3, drafts: 2, expiresAt: &exp}, nil)
	path := "/client-progress/" + s.token
	r := e.anon().do("GET", path, nil)
	if r.Status != 200 {
		t.Fatalf("GET page: %d %s", r.Status, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("Content-Type = %q", ct)
	}
	portalWantHeaders(t, "page", r.Header)
	portalWantHashedStyles(t, "page", r.Header, r.Body)
	body := strings.ReplaceAll(string(r.Body), "&#43;", "+")

	want := []string{
		"<title>Hillside Residence · Maison Test Interiors</title>",
		`<header class="masthead">`, `<main id="main"`, `<footer class="footer">`, "<h1", "Renderings</h2>", "Room by room</h2>",
		"Maison Test Interiors", "Hillside Residence", "Jane &amp; Tom", `datetime="2027-03-15">15 March 2027</time>`,
		// Overall: 3 completed of 9 counted phases (one skipped) = 33.
		`role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow="33"`, `stroke-dasharray="33 100"`,
		"Kitchen", "Guest Bath", `value="40"`, `value="25"`,
		"Design Concept", "3D Rendering", "Client Approval", "Drawings", "FF&amp;E",
		`<li class="step step--completed">`, `<time datetime="2026-10-02">2 Oct 2026</time>`,
		`<li class="step step--in_progress">`, "In progress", `<li class="step step--not_started">`, "Not started",
		`<li class="step step--skipped">`, "Skipped",
		"Oak and travertine, view 1.", `alt="Approved view 1, Kitchen"`,
		`fetchpriority="high"`, `width="480" height="320"`, ` 360w,`, ` 480w,`, ` 1600w"`, `sizes="`,
		"This private link works until <time datetime=\"" + exp.Format(time.DateOnly) + "\">",
		`href="mailto:hello@maison.test"`, `href="tel:+14155550100"`, "+1 415 555 0100",
		`href="/static/theme/8b5e3c.v1.css"`,
		`data-events="/api/client-progress/` + s.token + `/events?v=`,
	}
	for _, a := range s.approved {
		urls := studio.ClientURLs{Token: s.token}
		want = append(want, a.Title, `href="`+urls.Download(a.ID)+`">Download</a>`, `href="`+urls.Preview(a.ID)+`"`,
			`src="`+s.token+"/"+a.ID+`/t"`) // relative to the page: /client-progress/TOKEN/ID/t
	}
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("page lacks %q", w)
		}
	}
	// Newest approval first.
	if i, j := strings.Index(body, "Approved view 3"), strings.Index(body, "Approved view 1"); i < 0 || j < 0 || i > j {
		t.Errorf("renderings are not newest first")
	}
	for _, d := range s.drafts {
		if strings.Contains(body, d.ID) {
			t.Errorf("page holds draft rendering id %s", d.ID)
		}
	}
	for _, secret := range portalSecrets {
		if strings.Contains(body, secret) {
			t.Errorf("page shows internal text %q", secret)
		}
	}
	// An in-progress phase never looks partly complete: only completed
	// phases carry a date.
	if strings.Count(body, `<li class="step step--completed">`) != 3 {
		t.Errorf("want 3 completed steps, got %d", strings.Count(body, `<li class="step step--completed">`))
	}

	// The view is in the access log, once.
	var views int
	for _, ev := range e.accessLog(s.link.ID) {
		if ev.Action == studio.ActionView {
			views++
		}
	}
	if views != 1 {
		t.Errorf("access log holds %d views, want 1", views)
	}
}

func TestClientPageWithoutExpiryOrRenderings(t *testing.T) {
	t.Parallel()
	e, s := newPortalEnv(t, portalSeedOptions{drafts: 1}, nil)
	r := e.anon().do("GET", "/client-progress/"+s.token, nil)
	if r.Status != 200 {
		t.Fatalf("GET page: %d", r.Status)
	}
	body := string(r.Body)
	for _, w := range []string{"This private link does not expire.", `data-bind="galleryEmpty">Renderings will appear here`} {
		if !strings.Contains(body, w) {
			t.Errorf("page lacks %q", w)
		}
	}
	if strings.Contains(body, "Draft DO-NOT-SHOW") {
		t.Errorf("page shows a draft")
	}
}

func TestClientPageAssets(t *testing.T) {
	t.Parallel()
	e, s := newPortalEnv(t, portalSeedOptions{approved: 1}, nil)
	c := e.anon()
	body := c.do("GET", "/client-progress/"+s.token, nil).Body
	refs := portalAssetRef.FindAllSubmatch(body, -1)
	seen := map[string]bool{}
	for _, m := range refs {
		seen[string(m[1])] = true
	}
	css, js := portal.Static.URL("portal.css"), portal.Static.URL("portal.js")
	// The page holds its styles inline (with the theme's URL for a live
	// change of colour); the error pages link the files.
	for _, u := range []string{js, "/static/theme/8b5e3c.v1.css"} {
		if !seen[u] {
			t.Errorf("page does not reference %s (it has %v)", u, seen)
		}
	}
	hashed := regexp.MustCompile(`^/static/([a-z_-]+)\.([0-9a-f]{12})\.(css|js)$`)
	for _, u := range []string{css, js} {
		m := hashed.FindStringSubmatch(u)
		if m == nil {
			t.Fatalf("asset URL %s is not content-hashed", u)
		}
		r := c.do("GET", u, nil)
		if r.Status != 200 {
			t.Fatalf("GET %s: %d", u, r.Status)
		}
		if got := r.Header.Get("Cache-Control"); got != "public, max-age=31536000, immutable" {
			t.Errorf("%s: Cache-Control %q", u, got)
		}
		sum := sha256.Sum256(r.Body)
		if got := hex.EncodeToString(sum[:])[:12]; got != m[2] {
			t.Errorf("%s: body hashes to %s", u, got)
		}
		wantType := map[string]string{"css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8"}[m[3]]
		if got := r.Header.Get("Content-Type"); got != wantType {
			t.Errorf("%s: Content-Type %q, want %q", u, got, wantType)
		}
		// Compressed on request, the same bytes once decoded.
		gz := c.send("GET", u, "", nil, map[string]string{"Accept-Encoding": "gzip"})
		if gz.Header.Get("Content-Encoding") != "" && gz.Header.Get("Vary") != "Accept-Encoding" {
			t.Errorf("%s: gzip without Vary", u)
		}
		// Revalidation by ETag.
		if nm := c.send("GET", u, "", nil, map[string]string{"If-None-Match": r.Header.Get("ETag")}); nm.Status != 304 {
			t.Errorf("%s with If-None-Match: %d", u, nm.Status)
		}
	}
	run(t, c, []scenario{
		{name: "theme", method: "GET", path: "/static/theme/8b5e3c.v1.css", status: 200, substr: []string{":root{--accent:#8b5e3c;", "--accent-ink:"}},
		{name: "theme, bad colour", method: "GET", path: "/static/theme/zzzzzz.v1.css", status: 404},
		{name: "theme, upper case", method: "GET", path: "/static/theme/8B5E3C.v1.css", status: 404},
		{name: "theme, old version", method: "GET", path: "/static/theme/8b5e3c.v0.css", status: 404},
		{name: "unknown asset", method: "GET", path: "/static/portal.000000000000.css", status: 404},
		{name: "plain name", method: "GET", path: "/static/portal.css", status: 200},
	})
	if r := c.do("GET", "/static/theme/8b5e3c.v1.css", nil); r.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" {
		t.Errorf("theme Cache-Control %q", r.Header.Get("Cache-Control"))
	}
	if r := c.do("GET", "/static/portal.css", nil); r.Header.Get("Cache-Control") != "no-cache" {
		t.Errorf("unhashed asset Cache-Control %q, want no-cache", r.Header.Get("Cache-Control"))
	}
}

func TestClientPageErrors(t *testing.T) {
	t.Parallel()
	past := time.Now().Add(-time.Hour)
	// Room for the five failed lookups below (dead links spend them too).
	e, s := newPortalEnv(t, portalSeedOptions{approved: 1}, func(c *web.Config) { c.LookupPerMinute = 5 })
	_, expired := portalSeedLink(t, e.Store, s.projectID, e.Admin.ID, &past)
	off, offToken := portalSeedLink(t, e.Store, s.projectID, e.Admin.ID, nil)
	if _, err := e.Store.DeactivateLink(context.Background(), off.ID, e.Admin.ID); err != nil {
		t.Fatal(err)
	}
	contact := []string{"hello@maison.test", "+1 415 555 0100", "Maison Test Interiors"}
	for _, sc := range []struct {
		name, path string
		status     int
		want       []string
	}{
		{"malformed token", "/client-progress/not-a-token", 404, append([]string{"This link doesn’t lead anywhere", "Error 404"}, contact...)},
		{"unknown token", "/client-progress/" + strings.Repeat("A", studio.TokenLen), 404, []string{"This link doesn’t lead anywhere"}},
		{"below the page", "/client-progress/" + s.token + "/more", 404, []string{"This link doesn’t lead anywhere"}},
		// A dead link's page names its project and offers to ask for a new link.
		{"expired", "/client-progress/" + expired, 410, append([]string{"This link has expired", "Hillside", "Ask the studio for a new link"}, contact...)},
		{"deactivated", "/client-progress/" + offToken, 410, append([]string{"This link is no longer active", "Hillside", "Ask the studio for a new link"}, contact...)},
	} {
		t.Run(sc.name, func(t *testing.T) {
			r := e.anon().do("GET", sc.path, nil)
			if r.Status != sc.status {
				t.Fatalf("status %d, want %d", r.Status, sc.status)
			}
			if ct := r.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
				t.Errorf("Content-Type = %q", ct)
			}
			portalWantHeaders(t, sc.name, r.Header)
			portalWantStrictHTML(t, sc.name, r.Body)
			body := bytes.ReplaceAll(r.Body, []byte("&#43;"), []byte("+"))
			for _, w := range sc.want {
				if !bytes.Contains(body, []byte(w)) {
					t.Errorf("page lacks %q:\n%s", w, r.Body)
				}
			}
			if sc.status == 404 && bytes.Contains(r.Body, []byte("Hillside")) {
				t.Errorf("an error page of an unknown link shows the project")
			}
		})
	}
	// Five failed lookups so far (malformed, unknown, "below the page",
	// expired, deactivated). The next bad one is refused with 429 and
	// Retry-After.
	r := e.anon().do("GET", "/client-progress/"+strings.Repeat("B", studio.TokenLen), nil)
	if r.Status != 429 {
		t.Fatalf("after failed lookups: %d, want 429", r.Status)
	}
	if r.Header.Get("Retry-After") == "" {
		t.Errorf("429 without Retry-After")
	}
	portalWantHeaders(t, "429", r.Header)
	if !bytes.Contains(r.Body, []byte("Please wait a moment")) || !bytes.Contains(r.Body, []byte("Try again in ")) {
		t.Errorf("429 page: %s", r.Body)
	}
	// A working link still opens.
	if r := e.anon().do("GET", "/client-progress/"+s.token, nil); r.Status != 200 {
		t.Errorf("a valid link while the IP is limited: %d", r.Status)
	}
}

// A link made to expire "on a date" works through that day, and both the
// client page and the staff's link panel name that day, not the next one
// (at whose midnight UTC the expiry is stored).
func TestDateExpiryShowsLastDay(t *testing.T) {
	t.Parallel()
	e := newEnv(t, dbSQLite, nil)
	f := newPortalFixture(t, e)
	day := time.Now().UTC().AddDate(0, 0, 40)
	next := day.AddDate(0, 0, 1)
	l := f.staff.newLink(f.project.ID, map[string]any{"expiresAt": day.Format(time.DateOnly)})
	if l.ExpiresAt == nil || *l.ExpiresAt != next.Format(time.DateOnly)+"T00:00:00Z" {
		t.Fatalf("expiresAt %v, want midnight UTC after %s", l.ExpiresAt, day.Format(time.DateOnly))
	}
	long := func(d time.Time) string { return d.Format("2 January 2006") }
	page := e.anon().do("GET", "/client-progress/"+l.Token, nil)
	if page.Status != 200 {
		t.Fatalf("page: %d", page.Status)
	}
	want := `This private link works until <time datetime="` + day.Format(time.DateOnly) + `">` + long(day) + `</time>.`
	if !strings.Contains(string(page.Body), want) {
		t.Errorf("page lacks %q", want)
	}
	if strings.Contains(string(page.Body), long(next)) {
		t.Errorf("page names %s, the day after the last", long(next))
	}
	panel := e.adminSignIn(adminEmail).get("/admin/projects/" + f.project.ID)
	if panel.Status != 200 {
		t.Fatalf("project page: %d", panel.Status)
	}
	short := func(d time.Time) string { return d.Format("2 Jan 2006") }
	if !strings.Contains(string(panel.Body), `<time datetime="`+day.Format(time.DateOnly)+`"`) ||
		!strings.Contains(string(panel.Body), ">"+short(day)+"</time>") {
		t.Errorf("link panel does not show %s as the last day", short(day))
	}
	if strings.Contains(string(panel.Body), ">"+short(next)+", 00:00 UTC</time>") {
		t.Errorf("link panel shows %s, the day after the last", short(next))
	}
}

package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"atrium/internal/studio"
)

var clientURL = regexp.MustCompile(`value="(https?://[^"]+/client-progress/([0-9A-Za-z]{32}))"`)

func TestAdminGenerateLink(t *testing.T) {
	t.Parallel()
	e := newEnv(t, dbSQLite, nil)
	api := e.login(adminEmail)
	c := e.adminSignIn(adminEmail)
	p := api.newProject("Harbour Loft")
	path := "/admin/projects/" + p.ID + "/links"

	page := c.get("/admin/projects/" + p.ID)
	wantBody(t, page, "Client access", `name="expires" value="90" checked`, "No links yet.")

	r := c.postForm(path, url.Values{"label": {"Jane, main contact"}, "expires": {"30"}})
	if r.Status != http.StatusSeeOther || !strings.Contains(r.Header.Get("Location"), "#link-") {
		t.Fatalf("generate: %d %q; %s", r.Status, r.Header.Get("Location"), r.Body)
	}
	page = c.follow(r)
	wantBody(t, page, "The link for Jane, main contact is ready.", "link-new", "data-copy=", "Active")
	m := clientURL.FindSubmatch(page.Body)
	if m == nil {
		t.Fatalf("no client URL on the page:\n%s", page.Body)
	}
	token := string(m[2])
	links, err := e.Store.Links(t.Context(), p.ID)
	if err != nil || len(links) != 1 {
		t.Fatalf("links = %v, %v", links, err)
	}
	l := links[0]
	if l.TokenDigest != studio.TokenDigest(token) || l.Label != "Jane, main contact" || l.CreatedBy != e.Admin.ID {
		t.Errorf("stored link %+v does not match the copied URL", l)
	}
	if l.ExpiresAt == nil || l.ExpiresAt.Sub(time.Now().Add(30*24*time.Hour)).Abs() > time.Minute {
		t.Errorf("expiry = %v, want in 30 days", l.ExpiresAt)
	}

	// The other choices: never, a date; and what is refused.
	if r = c.postForm(path, url.Values{"expires": {"never"}}); r.Status != http.StatusSeeOther {
		t.Errorf("never: %d", r.Status)
	}
	day := time.Now().UTC().AddDate(0, 2, 0).Format(time.DateOnly)
	if r = c.postForm(path, url.Values{"expires": {"date"}, "expiresOn": {day}}); r.Status != http.StatusSeeOther {
		t.Errorf("on a date: %d %s", r.Status, r.Body)
	}
	links, _ = e.Store.Links(t.Context(), p.ID)
	var never, dated bool
	for _, l := range links {
		never = never || l.ExpiresAt == nil
		dated = dated || (l.ExpiresAt != nil && l.ExpiresAt.UTC().AddDate(0, 0, -1).Format(time.DateOnly) == day)
	}
	if !never || !dated {
		t.Errorf("links = %+v, want one that never expires and one through %s", links, day)
	}
	for _, tc := range []struct {
		form url.Values
		want string
	}{
		{url.Values{"expires": {"date"}, "expiresOn": {"2020-01-01"}}, "Expiry date is in the past; choose a later date."},
		{url.Values{"expires": {"date"}, "expiresOn": {""}}, "Pick the last day the link should work."},
		{url.Values{"expires": {"forever"}}, "Choose how long the link should work."},
		{url.Values{"expires": {"7"}, "label": {strings.Repeat("x", 201)}}, "Label must be at most 200 characters."},
	} {
		r := c.postForm(path, tc.form)
		if r.Status != http.StatusUnprocessableEntity {
			t.Errorf("%v: %d, want 422", tc.form, r.Status)
			continue
		}
		wantBody(t, r, tc.want)
	}
	if links, _ = e.Store.Links(t.Context(), p.ID); len(links) != 3 {
		t.Errorf("%d links, want 3", len(links))
	}
}

func TestAdminDeactivateLink(t *testing.T) {
	t.Parallel()
	e := newEnv(t, dbSQLite, nil)
	api := e.login(adminEmail)
	c := e.adminSignIn(designerEmail)
	p := api.newProject("Harbour Loft")
	c.postForm("/admin/projects/"+p.ID+"/links", url.Values{"label": {"Jane"}, "expires": {"90"}})
	links, _ := e.Store.Links(t.Context(), p.ID)
	id := links[0].ID
	path := "/admin/links/" + id + "/deactivate"

	// Without confirmation (no JavaScript): a confirmation page, nothing changed.
	r := c.postForm(path, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("unconfirmed: %d", r.Status)
	}
	wantBody(t, r, "Deactivate this link?", `name="confirmed" value="1"`, "Cancel")
	if l, _ := e.Store.Link(t.Context(), id); !l.Active {
		t.Fatalf("the link was deactivated without confirmation")
	}

	r = c.postForm(path, url.Values{"confirmed": {"1"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("confirmed: %d %s", r.Status, r.Body)
	}
	page := c.follow(r)
	wantBody(t, page, "The link for Jane is deactivated.", "Deactivated")
	if strings.Contains(string(page.Body), "/client-progress/") {
		t.Errorf("a deactivated link still shows its URL")
	}
	l, _ := e.Store.Link(t.Context(), id)
	if l.Active || l.DeactivatedBy != e.Designer.ID {
		t.Errorf("link = %+v, want inactive, by the designer", l)
	}
	// Idempotent.
	if r = c.postForm(path, url.Values{"confirmed": {"1"}}); r.Status != http.StatusSeeOther {
		t.Errorf("second deactivation: %d", r.Status)
	}
}

func TestAdminLinkStatsAndLog(t *testing.T) {
	t.Parallel()
	e := newEnv(t, dbSQLite, nil)
	api := e.login(adminEmail)
	c := e.adminSignIn(adminEmail)
	p := api.newProject("Harbour Loft")
	c.postForm("/admin/projects/"+p.ID+"/links", url.Values{"label": {"Jane"}, "expires": {"never"}})
	links, _ := e.Store.Links(t.Context(), p.ID)
	l := links[0]

	now := time.Now().UTC()
	var events []studio.AccessEvent
	for i := range 60 {
		ev := studio.AccessEvent{LinkID: l.ID, ProjectID: p.ID, Action: studio.ActionView,
			IP: fmt.Sprintf("203.0.113.%d", i%3), UserAgent: "Mozilla/5.0 test", At: now.Add(-time.Duration(60-i) * time.Hour)}
		if i == 59 {
			ev.Action, ev.RenderingID = studio.ActionDownload, unknownID
		}
		events = append(events, ev)
	}
	if err := e.Store.InsertAccessEvents(t.Context(), events); err != nil {
		t.Fatal(err)
	}

	page := c.get("/admin/projects/" + p.ID)
	wantBody(t, page, "<dt>Accesses</dt><dd>60</dd>", "<dt>Downloads</dt><dd>1</dd>", "<dt>Unique IPs</dt><dd>3</dd>",
		`<svg viewBox="0 0 238 40"`, `class="bar"`, "Page views per day, last 30 days", `href="/admin/links/`+l.ID+`"`)

	log := c.get("/admin/links/" + l.ID)
	if log.Status != http.StatusOK {
		t.Fatalf("log page: %d", log.Status)
	}
	wantBody(t, log, "Access log", "Downloaded a rendering", "203.0.113.2", "Mozilla/5.0 test", "Older entries")
	if n := strings.Count(string(log.Body), "<tr class=\"log-"); n != 50 {
		t.Errorf("first page has %d rows, want 50", n)
	}
	first := strings.Index(string(log.Body), "Downloaded")
	if first < 0 || first > strings.Index(string(log.Body), "Opened the page") {
		t.Errorf("the newest entry (the download) is not first")
	}
	older := regexp.MustCompile(`href="(/admin/links/[0-9a-f]+\?before=\d+)"`).FindSubmatch(log.Body)
	if older == nil {
		t.Fatalf("no link to older entries")
	}
	log2 := c.get(string(older[1]))
	if n := strings.Count(string(log2.Body), "<tr class=\"log-"); n != 10 {
		t.Errorf("second page has %d rows, want 10", n)
	}
	wantBody(t, log2, "Newest")
	if strings.Contains(string(log2.Body), "Older entries") {
		t.Errorf("the last page offers older entries")
	}
}

package web_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"atrium/internal/files"
	"atrium/internal/live"
	"atrium/internal/studio"
	"atrium/internal/web"
)

// sseEvent is one event of a stream; a comment or a retry field alone come
// as events of their own.
type sseEvent struct {
	Event, ID, Data, Retry, Comment string
}

type sseStream struct {
	t      *testing.T
	res    *http.Response
	events chan sseEvent // closed at the end of the stream
	cancel context.CancelFunc
}

// portalEvents opens the event stream of token with extra headers.
func portalEvents(t *testing.T, e *env, path string, hdr map[string]string) *sseStream {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, "GET", e.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	s := &sseStream{t: t, res: res, events: make(chan sseEvent, 64), cancel: cancel}
	t.Cleanup(s.close)
	go func() {
		defer close(s.events)
		defer res.Body.Close()
		sc := bufio.NewScanner(res.Body)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		var ev sseEvent
		for sc.Scan() {
			line := sc.Text()
			if line == "" {
				if ev != (sseEvent{}) {
					s.events <- ev
				}
				ev = sseEvent{}
				continue
			}
			field, value, _ := strings.Cut(line, ":")
			value = strings.TrimPrefix(value, " ")
			switch field {
			case "":
				s.events <- sseEvent{Comment: value}
			case "event":
				ev.Event = value
			case "id":
				ev.ID = value
			case "data":
				ev.Data += value
			case "retry":
				ev.Retry = value
			}
		}
	}()
	return s
}

func (s *sseStream) close() { s.cancel() }

// next returns the next event that is not a comment or a retry field.
func (s *sseStream) next(what string, within time.Duration) sseEvent {
	s.t.Helper()
	deadline := time.After(within)
	for {
		select {
		case ev, ok := <-s.events:
			if !ok {
				s.t.Fatalf("%s: the stream ended", what)
			}
			if ev.Event == "" && ev.Data == "" {
				continue
			}
			return ev
		case <-deadline:
			s.t.Fatalf("%s: no event within %s", what, within)
		}
	}
}

// quiet fails if an event other than a comment or a retry field arrives
// within d.
func (s *sseStream) quiet(what string, d time.Duration) {
	s.t.Helper()
	deadline := time.After(d)
	for {
		select {
		case ev, ok := <-s.events:
			if !ok {
				s.t.Fatalf("%s: the stream ended", what)
			}
			if ev.Event != "" || ev.Data != "" {
				s.t.Fatalf("%s: unexpected event %q id %q: %.200s", what, ev.Event, ev.ID, ev.Data)
			}
		case <-deadline:
			return
		}
	}
}

// view decodes an update's data.
func (ev sseEvent) view(t *testing.T) studio.ClientView {
	t.Helper()
	if ev.Event != "update" || ev.ID == "" {
		t.Fatalf("want an update with an id, got event %q id %q", ev.Event, ev.ID)
	}
	var v studio.ClientView
	if err := json.Unmarshal([]byte(ev.Data), &v); err != nil {
		t.Fatalf("update data is not a client view: %v", err)
	}
	var keys map[string]json.RawMessage
	json.Unmarshal([]byte(ev.Data), &keys)
	if len(keys) != 6 || keys["studio"] == nil || keys["project"] == nil || keys["rooms"] == nil || keys["renderings"] == nil || keys["link"] == nil || keys["feedback"] == nil {
		t.Errorf("update data has keys %v, want exactly the client view's", keys)
	}
	return v
}

func hasRendering(v studio.ClientView, id string) bool {
	for _, r := range v.Renderings {
		if r.ID == id {
			return true
		}
	}
	return false
}

// eventTimings sets the stream's heartbeat and debounce of a test server.
func eventTimings(heartbeat, debounce time.Duration) func(*web.Config) {
	return func(c *web.Config) { c.EventHeartbeat, c.EventDebounce = heartbeat, debounce }
}

func TestClientEvents(t *testing.T) {
	t.Parallel()
	e, s := newPortalEnv(t, portalSeedOptions{approved: 1, drafts: 1}, eventTimings(time.Hour, 20*time.Millisecond))
	staff := e.login(adminEmail)
	logged := len(e.accessLog(s.link.ID))

	st := portalEvents(t, e, "/api/client-progress/"+s.token+"/events", nil)
	if st.res.StatusCode != 200 {
		t.Fatalf("status %d", st.res.StatusCode)
	}
	if ct := st.res.Header.Get("Content-Type"); ct != "text/event-stream; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	portalWantHeaders(t, "events", st.res.Header)
	first, ok := <-st.events
	if !ok || first.Retry == "" {
		t.Fatalf("the stream does not start with retry: %+v", first)
	}
	// No version given: the current view comes at once.
	ev := st.next("first update", 3*time.Second)
	v := ev.view(t)
	if !hasRendering(v, s.approved[0].ID) || hasRendering(v, s.drafts[0].ID) {
		t.Fatalf("first update: renderings %+v", v.Renderings)
	}
	for _, secret := range portalSecrets {
		if strings.Contains(ev.Data, secret) {
			t.Errorf("update shows internal text %q", secret)
		}
	}

	// An internal-only edit sends nothing.
	phase := s.rooms[0].Phases[3]
	if r := staff.do("PATCH", "/api/phases/"+phase.ID, map[string]any{"internalNotes": "SECRET-PHASE-NOTE again"}); r.Status != 200 {
		t.Fatalf("patch phase notes: %d %s", r.Status, r.Body)
	}
	if r := staff.do("PATCH", "/api/renderings/"+s.drafts[0].ID, map[string]any{"internalNotes": "SECRET-RENDER-NOTE 2"}); r.Status != 200 {
		t.Fatalf("patch draft notes: %d %s", r.Status, r.Body)
	}
	st.quiet("after internal-only edits", 500*time.Millisecond)

	// An approval through the staff API sends the new rendering.
	staff.setStatus(s.drafts[0].ID, "approved")
	next := st.next("update after an approval", 3*time.Second)
	v2 := next.view(t)
	if !hasRendering(v2, s.drafts[0].ID) {
		t.Fatalf("update after approval lacks the rendering: %+v", v2.Renderings)
	}
	if next.ID == ev.ID {
		t.Errorf("the version did not change: %s", next.ID)
	}

	// A phase completed.
	if r := staff.do("PATCH", "/api/phases/"+phase.ID, map[string]any{"status": "completed"}); r.Status != 200 {
		t.Fatalf("complete phase: %d %s", r.Status, r.Body)
	}
	v3 := st.next("update after a phase", 3*time.Second).view(t)
	if got := v3.Rooms[0].Phases[3].Status; got != studio.StatusCompleted || v3.Rooms[0].Progress != 60 {
		t.Errorf("after completing Drawings: status %s, room progress %d", got, v3.Rooms[0].Progress)
	}

	// The studio's branding reaches every project.
	if r := staff.do("PATCH", "/api/studio", map[string]any{"name": "Maison Test Interiors", "accentColor": "#335577",
		"contactEmail": "hello@maison.test", "contactPhone": "+1 415 555 0100"}); r.Status != 200 {
		t.Fatalf("patch studio: %d %s", r.Status, r.Body)
	}
	if got := st.next("update after branding", 3*time.Second).view(t).Studio.AccentColor; got != "#335577" {
		t.Errorf("accent after branding change: %q", got)
	}

	// Watching is not an access.
	if got := len(e.accessLog(s.link.ID)); got != logged {
		t.Errorf("access log grew from %d to %d rows while streaming", logged, got)
	}

	// Deactivation ends the stream with gone.
	if r := staff.do("DELETE", "/api/client-access/"+s.link.ID, nil); r.Status != 200 {
		t.Fatalf("deactivate: %d %s", r.Status, r.Body)
	}
	gone := st.next("gone after deactivation", 3*time.Second)
	if gone.Event != "gone" || !strings.Contains(gone.Data, studio.ECodeLinkDeactivated) {
		t.Fatalf("after deactivation: event %q data %q", gone.Event, gone.Data)
	}
	select {
	case ev, ok := <-st.events:
		if ok {
			t.Errorf("the stream goes on after gone: %+v", ev)
		}
	case <-time.After(2 * time.Second):
		t.Errorf("the stream stays open after gone")
	}
}

func TestClientEventsReconnect(t *testing.T) {
	t.Parallel()
	e, s := newPortalEnv(t, portalSeedOptions{approved: 1}, eventTimings(100*time.Millisecond, 20*time.Millisecond))
	path := "/api/client-progress/" + s.token + "/events"

	// The page carries the version of the view it shows; the stream opened
	// with it as ?v= sends nothing until something changes.
	page := e.anon().do("GET", "/client-progress/"+s.token, nil)
	m := regexp.MustCompile(`data-events="([^"]+)" data-version="([0-9a-f]{16})"`).FindSubmatch(page.Body)
	if m == nil {
		t.Fatalf("page has no events URL and version")
	}
	eventsURL, version := strings.ReplaceAll(string(m[1]), "&amp;", "&"), string(m[2])
	if eventsURL != path+"?v="+version {
		t.Errorf("events URL %q", eventsURL)
	}
	st := portalEvents(t, e, eventsURL, nil)
	st.quiet("opened with the page's version", 400*time.Millisecond)
	st.close()

	current := portalEvents(t, e, path, nil).next("no version", 2*time.Second)
	if current.ID != version {
		t.Errorf("stream version %s, page version %s", current.ID, version)
	}

	// Last-Event-ID equal to the current version: nothing but heartbeats.
	st = portalEvents(t, e, path, map[string]string{"Last-Event-ID": version})
	comment := false
	deadline := time.After(time.Second)
	for !comment {
		select {
		case ev := <-st.events:
			if ev.Event != "" {
				t.Fatalf("up-to-date client got %q", ev.Event)
			}
			comment = ev.Comment != ""
		case <-deadline:
			t.Fatalf("no heartbeat comment")
		}
	}
	// A stale Last-Event-ID (it wins over ?v=): the current view at once.
	st = portalEvents(t, e, path+"?v="+version, map[string]string{"Last-Event-ID": "0123456789abcdef"})
	if ev := st.next("stale id", 2*time.Second); ev.ID != version {
		t.Errorf("stale client got id %s, want %s", ev.ID, version)
	}
}

func TestClientEventsExpiry(t *testing.T) {
	t.Parallel()
	// The stream's timer ends it when the link expires.
	e, s := newPortalEnv(t, portalSeedOptions{approved: 1}, eventTimings(time.Hour, 20*time.Millisecond))
	soon := e.Clock.Now().Add(300 * time.Millisecond)
	_, token := portalSeedLink(t, e.Store, s.projectID, e.Admin.ID, &soon)
	st := portalEvents(t, e, "/api/client-progress/"+token+"/events", nil)
	st.next("first update", 2*time.Second).view(t)
	gone := st.next("gone at expiry", 4*time.Second)
	if gone.Event != "gone" || !strings.Contains(gone.Data, studio.ECodeLinkExpired) {
		t.Fatalf("at expiry: event %q data %q", gone.Event, gone.Data)
	}
}

// Expiry follows the server's clock: when it passes the expiry date, the
// next look at the link ends the stream, however much wall time went by.
func TestClientEventsExpiryFollowsTheClock(t *testing.T) {
	t.Parallel()
	e, s := newPortalEnv(t, portalSeedOptions{approved: 1}, eventTimings(50*time.Millisecond, 20*time.Millisecond))
	later := e.Clock.Now().Add(24 * time.Hour)
	_, token := portalSeedLink(t, e.Store, s.projectID, e.Admin.ID, &later)
	st := portalEvents(t, e, "/api/client-progress/"+token+"/events", nil)
	st.next("first update", 2*time.Second).view(t)
	st.quiet("a day before expiry", 200*time.Millisecond)
	e.Clock.Advance(25 * time.Hour)
	gone := st.next("gone after the clock passed expiry", 2*time.Second)
	if gone.Event != "gone" || !strings.Contains(gone.Data, studio.ECodeLinkExpired) {
		t.Fatalf("after expiry: event %q data %q", gone.Event, gone.Data)
	}
}

func TestClientEventsHeartbeatSeesDeactivation(t *testing.T) {
	t.Parallel()
	// A deactivation that sends no notice (the CLI, another process on
	// SQLite) still ends the stream at the next heartbeat.
	e, s := newPortalEnv(t, portalSeedOptions{approved: 1}, eventTimings(150*time.Millisecond, 20*time.Millisecond))
	st := portalEvents(t, e, "/api/client-progress/"+s.token+"/events", nil)
	st.next("first update", 2*time.Second).view(t)
	if _, err := e.Store.DeactivateLink(context.Background(), s.link.ID, e.Admin.ID); err != nil {
		t.Fatal(err)
	}
	if ev := st.next("gone", 2*time.Second); ev.Event != "gone" {
		t.Fatalf("got %q", ev.Event)
	}
}

func TestClientEventsRefused(t *testing.T) {
	t.Parallel()
	e, s := newPortalEnv(t, portalSeedOptions{approved: 1}, nil)
	off, offToken := portalSeedLink(t, e.Store, s.projectID, e.Admin.ID, nil)
	if _, err := e.Store.DeactivateLink(context.Background(), off.ID, e.Admin.ID); err != nil {
		t.Fatal(err)
	}
	c := e.anon()
	for _, sc := range []struct {
		name, token string
		status      int
		code        string
	}{
		{"malformed", "nope", 404, studio.ECodeLinkInvalid},
		{"unknown", strings.Repeat("x", studio.TokenLen), 404, studio.ECodeLinkInvalid},
		{"deactivated", offToken, 410, studio.ECodeLinkDeactivated},
	} {
		r := c.do("GET", "/api/client-progress/"+sc.token+"/events", nil)
		if r.Status != sc.status || r.apiErr().Code != sc.code {
			t.Errorf("%s: %d %s, want %d %s", sc.name, r.Status, r.Body, sc.status, sc.code)
		}
		if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
			t.Errorf("%s: Content-Type %q", sc.name, r.Header.Get("Content-Type"))
		}
		portalWantHeaders(t, sc.name, r.Header)
	}
	// The page's script asks with HEAD whether a dropped stream may resume.
	if r := c.do("HEAD", "/api/client-progress/"+s.token+"/events", nil); r.Status != 200 {
		t.Errorf("HEAD on a working link: %d", r.Status)
	}
	if r := c.do("HEAD", "/api/client-progress/"+offToken+"/events", nil); r.Status != 410 {
		t.Errorf("HEAD on a deactivated link: %d", r.Status)
	}
}

func TestClientEventsEndOnClose(t *testing.T) {
	t.Parallel()
	// Server.Close ends open streams, so that a graceful shutdown does not
	// wait for clients that never hang up.
	e, s := newPortalEnv(t, portalSeedOptions{approved: 1}, eventTimings(time.Hour, 20*time.Millisecond))
	fs, err := files.NewLocal(e.FilesDir)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(web.Config{TempDir: t.TempDir(), Secret: []byte("another test secret"),
		EventHeartbeat: time.Hour, EventDebounce: 20 * time.Millisecond}, e.Store, fs, live.NewMemory(),
		slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	st := portalEvents(t, &env{URL: ts.URL}, "/api/client-progress/"+s.token+"/events", nil)
	st.next("first update", 2*time.Second)
	srv.Close(context.Background())
	select {
	case _, ok := <-st.events:
		for ok {
			_, ok = <-st.events
		}
	case <-time.After(3 * time.Second):
		t.Fatalf("the stream outlives Server.Close")
	}
}

// A new logo reaches an open page: its URL carries a version, so the view
// changes with every upload, even when a logo was there before.
func TestClientEventsLogo(t *testing.T) {
	t.Parallel()
	e, s := newPortalEnv(t, portalSeedOptions{approved: 1}, eventTimings(time.Hour, 20*time.Millisecond))
	staff := e.login(adminEmail)
	st := portalEvents(t, e, "/api/client-progress/"+s.token+"/events", nil)
	if got := st.next("first update", 3*time.Second).view(t).Studio.LogoURL; got != "" {
		t.Fatalf("logoUrl before any logo: %q", got)
	}
	base := "/api/client-progress/" + s.token + "/logo?v="
	var urls []string
	for i, img := range [][]byte{pictureJPEG(t, 200, 80, ""), pictureJPEG(t, 240, 90, "")} {
		if r := staff.postMultipart("/api/studio/logo", nil, map[string][]byte{"file": img}); r.Status != 200 {
			t.Fatalf("upload logo %d: %d %s", i, r.Status, r.Body)
		}
		got := st.next("update after logo upload", 3*time.Second).view(t).Studio.LogoURL
		if !strings.HasPrefix(got, base) || len(urls) > 0 && got == urls[len(urls)-1] {
			t.Fatalf("logoUrl after upload %d: %q (before: %v)", i+1, got, urls)
		}
		urls = append(urls, got)
		if r := e.anon().do("GET", strings.TrimPrefix(got, e.URL), nil); r.Status != 200 || r.Header.Get("Content-Type") != "image/jpeg" {
			t.Errorf("GET %s: %d", got, r.Status)
		}
	}
}

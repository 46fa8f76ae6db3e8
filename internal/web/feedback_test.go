package web_test

import (
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"atrium/internal/studio"
	"atrium/internal/web"
)

// clientFeedbackOut is an item of the client's thread.
type clientFeedbackOut struct {
	ID          string  `json:"id"`
	RenderingID *string `json:"renderingId"`
	Decision    *string `json:"decision"`
	Message     string  `json:"message"`
	Name        string  `json:"name"`
	From        string  `json:"from"`
}

// staffFeedbackOut is an item as staff read it.
type staffFeedbackOut struct {
	ID, LinkID, LinkLabel, RenderingID, Decision, Message, Name, From string
	Resolved                                                          bool
}

func TestClientFeedbackAPI(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		e := newEnv(t, db, nil)
		f := newPortalFixture(t, e)
		anon := e.anon()
		path := "/api/client-progress/" + f.link.Token + "/feedback"
		rid := f.approved.ID
		long := strings.Repeat("é", 2001)
		run(t, anon, []scenario{
			{name: "approve", method: "POST", path: path, body: map[string]any{"renderingId": rid, "decision": "approved", "name": " Jane "},
				status: 201, substr: []string{`"decision":"approved"`, `"name":"Jane"`, `"from":"client"`, `"renderingId":"` + rid + `"`}},
			{name: "changes with a comment", method: "POST", path: path, body: map[string]any{"renderingId": rid, "decision": "changes_requested", "message": "Warmer wood?"},
				status: 201, substr: []string{`"message":"Warmer wood?"`}},
			{name: "a message alone", method: "POST", path: path, body: map[string]any{"message": "Hello", "decision": nil}, status: 201},
			{name: "nothing", method: "POST", path: path, body: map[string]any{"name": "Jane"}, status: 400, code: "invalid_input", field: "message"},
			{name: "blank message", method: "POST", path: path, body: map[string]any{"message": "   "}, status: 400, code: "invalid_input", field: "message"},
			{name: "decision without rendering", method: "POST", path: path, body: map[string]any{"decision": "approved"}, status: 400, code: "invalid_input", field: "renderingId"},
			{name: "unknown decision", method: "POST", path: path, body: map[string]any{"renderingId": rid, "decision": "maybe"}, status: 400, code: "invalid_input", field: "decision"},
			{name: "draft rendering", method: "POST", path: path, body: map[string]any{"renderingId": f.draft.ID, "decision": "approved"}, status: 400, code: "invalid_input", field: "renderingId"},
			{name: "malformed rendering", method: "POST", path: path, body: map[string]any{"renderingId": "x", "message": "hi"}, status: 400, code: "invalid_input", field: "renderingId"},
			{name: "long message", method: "POST", path: path, body: map[string]any{"message": long}, status: 400, code: "invalid_input", field: "message"},
			{name: "long name", method: "POST", path: path, body: map[string]any{"message": "hi", "name": strings.Repeat("n", 81)}, status: 400, code: "invalid_input", field: "name"},
			{name: "two-line name", method: "POST", path: path, body: map[string]any{"message": "hi", "name": "Jane\nDoe"}, status: 400, code: "invalid_input", field: "name"},
			{name: "NUL", method: "POST", path: path, body: `{"message":"a\u0000b"}`, status: 400, code: "invalid_input", field: "message"},
			{name: "lone surrogate", method: "POST", path: path, body: `{"name":"\ud800","message":"hi"}`, status: 400, code: "invalid_input", field: "name"},
			{name: "invalid UTF-8", method: "POST", path: path, body: "{\"message\":\"a\xffb\"}", status: 400, code: "invalid_input", field: "message"},
			{name: "number", method: "POST", path: path, body: map[string]any{"message": 7}, status: 400, code: "invalid_input", field: "message"},
			{name: "unknown field", method: "POST", path: path, body: map[string]any{"message": "hi", "rating": 5}, status: 400, code: "invalid_input", field: "rating"},
			{name: "not JSON", method: "POST", path: path, body: "{", status: 400, code: "invalid_input"},
			{name: "unknown link", method: "POST", path: "/api/client-progress/" + strings.Repeat("Q", 32) + "/feedback", body: map[string]any{"message": "hi"}, status: 404, code: "link_invalid"},
			{name: "cross-site", method: "POST", path: path, body: `{"message":"hi"}`, hdr: map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}, status: 403, code: "forbidden"},
		})

		// The thread and the decision reach the client view.
		r := anon.do("GET", "/api/client-progress/"+f.link.Token, nil)
		var v struct {
			Renderings []struct {
				ID             string
				ClientDecision *string
			}
			Feedback []clientFeedbackOut
		}
		r.decode(t, &v)
		if len(v.Feedback) != 3 || v.Feedback[0].Name != "Jane" || v.Feedback[2].RenderingID != nil {
			t.Fatalf("thread = %+v", v.Feedback)
		}
		if d := v.Renderings[0].ClientDecision; d == nil || *d != "changes_requested" {
			t.Errorf("clientDecision = %v, want the latest, changes_requested", d)
		}
		// Each write is logged as feedback, and counts as no access.
		n := 0
		for _, ev := range e.accessLog(f.link.ID) {
			if ev.Action == studio.ActionFeedback {
				n++
			}
		}
		if n != 3 {
			t.Errorf("%d feedback rows in the access log, want 3", n)
		}

		// The studio sees each item with its link; a closed or dead link takes nothing.
		staff := f.staff
		r = staff.do("GET", "/api/projects/"+f.project.ID+"/feedback", nil)
		var list struct{ Feedback []staffFeedbackOut }
		r.decode(t, &list)
		if r.Status != 200 || len(list.Feedback) != 3 || list.Feedback[0].LinkLabel != "Jane, main contact" || list.Feedback[0].LinkID != f.link.ID {
			t.Fatalf("staff feedback: %d %s", r.Status, r.Body)
		}
		if r := staff.do("PATCH", "/api/client-access/"+f.link.ID, map[string]any{"allowFeedback": false}); r.Status != 200 || !strings.Contains(string(r.Body), `"allowFeedback":false`) {
			t.Fatalf("feedback off: %d %s", r.Status, r.Body)
		}
		check(t, scenario{name: "feedback off", method: "POST", path: path, status: 403, code: studio.ECodeFeedbackOff}, anon.do("POST", path, map[string]any{"message": "hi"}))
		r = anon.do("GET", "/api/client-progress/"+f.link.Token, nil)
		if !strings.Contains(string(r.Body), `"allowFeedback":false`) || !strings.Contains(string(r.Body), `"feedback":[]`) {
			t.Errorf("a closed link's view: %s", r.Body)
		}
		staff.do("DELETE", "/api/client-access/"+f.link.ID, nil)
		check(t, scenario{name: "deactivated", method: "POST", path: path, status: 410, code: studio.ECodeLinkDeactivated}, anon.do("POST", path, map[string]any{"message": "hi"}))
	})
}

func TestClientFeedbackLimits(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		e := newEnv(t, db, func(c *web.Config) { c.FeedbackPerHour, c.FeedbackPerIPHour = 3, 4 })
		f := newPortalFixture(t, e)
		anon := e.anon()
		post := func(token string) *resp {
			return anon.do("POST", "/api/client-progress/"+token+"/feedback", map[string]any{"message": "hi"})
		}
		for i := range 3 {
			if r := post(f.link.Token); r.Status != 201 {
				t.Fatalf("write %d: %d %s", i, r.Status, r.Body)
			}
		}
		r := post(f.link.Token)
		check(t, scenario{name: "per link", status: 429, code: "rate_limited"}, r)
		if r.Header.Get("Retry-After") == "" {
			t.Error("429 without Retry-After")
		}
		// Another link from the same address: the address's allowance.
		other := f.staff.newLink(f.project.ID, nil)
		if r := post(other.Token); r.Status != 201 {
			t.Fatalf("other link: %d %s", r.Status, r.Body)
		}
		check(t, scenario{name: "per address", status: 429, code: "rate_limited"}, post(other.Token))
		e.Clock.Advance(time.Hour)
		if r := post(f.link.Token); r.Status != 201 {
			t.Errorf("an hour later: %d %s", r.Status, r.Body)
		}
	})
}

// TestClientFeedbackLimitsHoldUnderABurst: writes arriving together
// cannot all pass the allowance before any of them is counted.
func TestClientFeedbackLimitsHoldUnderABurst(t *testing.T) {
	t.Parallel()
	e := newEnv(t, dbSQLite, func(c *web.Config) { c.FeedbackPerHour, c.FeedbackPerIPHour = 3, 100 })
	f := newPortalFixture(t, e)
	anon := e.anon()
	var wg sync.WaitGroup
	var mu sync.Mutex
	got := map[int]int{}
	for range 24 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := anon.do("POST", "/api/client-progress/"+f.link.Token+"/feedback", map[string]any{"message": "hi"})
			mu.Lock()
			got[r.Status]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	if got[201] != 3 || got[429] != 21 {
		t.Errorf("a burst of 24 writes against an allowance of 3: %v, want 3 × 201 and 21 × 429", got)
	}
}

// TestClientFeedbackForm is the page's path without JavaScript.
func TestClientFeedbackForm(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		e := newEnv(t, db, nil)
		f := newPortalFixture(t, e)
		b := e.adminBrowser() // a browser: same-origin posts, each 303 seen
		page := "/client-progress/" + f.link.Token
		r := b.get(page + "?respond=1")
		wantBody(t, r, `action="`+page+`/feedback"`, `name="renderingId"`, `value="changes_requested"`, "Kitchen Island")
		r = b.postForm(page+"/feedback", url.Values{"renderingId": {f.approved.ID}, "decision": {"changes_requested"},
			"message": {"Less <script>shiny</script>"}, "name": {"Jane"}})
		if r.Status != 303 || r.Header.Get("Location") != page+"?sent=1#feedback" {
			t.Fatalf("form: %d %q %s", r.Status, r.Header.Get("Location"), r.Body)
		}
		r = b.follow(r)
		wantBody(t, r, "Thank you. Your message is with the studio.", "Less &lt;script&gt;shiny&lt;/script&gt;",
			"Asked for changes on “Kitchen Island”", `value="Jane"`, "Changes requested")
		if strings.Contains(string(r.Body), "<script>shiny") {
			t.Error("the message is not escaped on the page")
		}
		// A form the studio cannot take comes back with its error, and what was typed.
		r = b.postForm(page+"/feedback", url.Values{"decision": {"approved"}, "message": {"keep this"}})
		if r.Status != 400 {
			t.Fatalf("bad form: %d", r.Status)
		}
		wantBody(t, r, "renderingId is required with a decision.", "keep this")
		r = b.postForm(page+"/feedback", url.Values{"message": {strings.Repeat("x", 2001)}})
		if r.Status != 400 || !strings.Contains(string(r.Body), "at most 2000 characters") {
			t.Errorf("long message: %d", r.Status)
		}
		// Cross-site: refused in plain words.
		r = b.send("POST", page+"/feedback", "application/x-www-form-urlencoded", strings.NewReader("message=hi"),
			map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"})
		if r.Status != 403 || !strings.Contains(string(r.Body), "another site") {
			t.Errorf("cross-site form: %d", r.Status)
		}
		// A link closed to feedback shows no form and refuses the post.
		f.staff.do("PATCH", "/api/client-access/"+f.link.ID, map[string]any{"allowFeedback": false})
		if r := b.get(page); strings.Contains(string(r.Body), `class="fb"`) || strings.Contains(string(r.Body), ">Request changes<") {
			t.Error("a closed link's page shows the feedback form")
		}
		r = b.postForm(page+"/feedback", url.Values{"message": {"hi"}})
		if r.Status != 403 || !strings.Contains(string(r.Body), "Messages are turned off") {
			t.Errorf("closed link form: %d %s", r.Status, r.Body)
		}
	})
}

func TestStaffFeedback(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		e := newEnv(t, db, nil)
		f := newPortalFixture(t, e)
		anon := e.anon()
		r := anon.do("POST", "/api/client-progress/"+f.link.Token+"/feedback", map[string]any{"renderingId": f.approved.ID, "decision": "approved", "name": "Jane"})
		var item clientFeedbackOut
		r.decode(t, &item)
		c := e.login(designerEmail)
		pid := f.project.ID
		run(t, c, []scenario{
			{name: "reply", method: "POST", path: "/api/projects/" + pid + "/feedback", body: map[string]any{"message": "Thank you!", "renderingId": f.approved.ID},
				status: 201, substr: []string{`"from":"studio"`, `"name":"Dan Designer"`}},
			{name: "empty reply", method: "POST", path: "/api/projects/" + pid + "/feedback", body: map[string]any{"message": ""}, status: 400, code: "invalid_input", field: "message"},
			{name: "no message", method: "POST", path: "/api/projects/" + pid + "/feedback", body: map[string]any{}, status: 400, code: "invalid_input", field: "message"},
			{name: "long reply", method: "POST", path: "/api/projects/" + pid + "/feedback", body: map[string]any{"message": strings.Repeat("x", 2001)}, status: 400, code: "invalid_input", field: "message"},
			{name: "unknown field", method: "POST", path: "/api/projects/" + pid + "/feedback", body: map[string]any{"message": "x", "internal": true}, status: 400, code: "invalid_input", field: "internal"},
			{name: "foreign rendering", method: "POST", path: "/api/projects/" + pid + "/feedback", body: map[string]any{"message": "x", "renderingId": unknownID}, status: 400, code: "invalid_input", field: "renderingId"},
			{name: "unknown project", method: "POST", path: "/api/projects/" + unknownID + "/feedback", body: map[string]any{"message": "x"}, status: 404, code: "not_found"},
			{name: "list of unknown project", method: "GET", path: "/api/projects/" + unknownID + "/feedback", status: 404, code: "not_found"},
			{name: "resolve", method: "PATCH", path: "/api/feedback/" + item.ID, body: map[string]any{"resolved": true}, status: 200, substr: []string{`"resolved":true`}},
			{name: "reopen", method: "PATCH", path: "/api/feedback/" + item.ID, body: map[string]any{"resolved": false}, status: 200, substr: []string{`"resolved":false`}},
			{name: "resolve nothing", method: "PATCH", path: "/api/feedback/" + item.ID, body: map[string]any{}, status: 400, code: "invalid_input", field: "resolved"},
			{name: "resolve text", method: "PATCH", path: "/api/feedback/" + item.ID, body: map[string]any{"resolved": "yes"}, status: 400, code: "invalid_input", field: "resolved"},
			{name: "resolve unknown", method: "PATCH", path: "/api/feedback/" + unknownID, body: map[string]any{"resolved": true}, status: 404, code: "not_found"},
			{name: "resolve malformed", method: "PATCH", path: "/api/feedback/x", body: map[string]any{"resolved": true}, status: 404, code: "not_found"},
			{name: "link label", method: "PATCH", path: "/api/client-access/" + f.link.ID, body: map[string]any{"label": "Jane & Tom"}, status: 200, substr: []string{`"label":"Jane \u0026 Tom"`, `"allowFeedback":true`}},
			{name: "link unknown field", method: "PATCH", path: "/api/client-access/" + f.link.ID, body: map[string]any{"password": "1234"}, status: 400, code: "invalid_input", field: "password"},
			{name: "link bad type", method: "PATCH", path: "/api/client-access/" + f.link.ID, body: map[string]any{"allowFeedback": "no"}, status: 400, code: "invalid_input", field: "allowFeedback"},
			{name: "link NUL label", method: "PATCH", path: "/api/client-access/" + f.link.ID, body: `{"label":"a\u0000"}`, status: 400, code: "invalid_input", field: "label"},
			{name: "link unknown", method: "PATCH", path: "/api/client-access/" + unknownID, body: map[string]any{"label": "x"}, status: 404, code: "not_found"},
			{name: "link created closed", method: "POST", path: "/api/client-access", body: map[string]any{"projectId": pid, "allowFeedback": false}, status: 201, substr: []string{`"allowFeedback":false`}},
		})
		if r := e.anon().do("GET", "/api/projects/"+pid+"/feedback", nil); r.Status != 401 {
			t.Errorf("feedback without a session: %d", r.Status)
		}
		// The client sees the reply signed with the studio's name.
		r = anon.do("GET", "/api/client-progress/"+f.link.Token, nil)
		var v struct{ Feedback []clientFeedbackOut }
		r.decode(t, &v)
		if len(v.Feedback) != 2 || v.Feedback[1].From != "studio" || v.Feedback[1].Name != "Atrium Studio" {
			t.Errorf("client thread: %s", r.Body)
		}
		if strings.Contains(string(r.Body), "Dan Designer") {
			t.Error("the client sees the staff member's name")
		}
	})
}

// TestNewSinceLastVisit: the page marks what was approved or completed
// since the previous visit; a reload within the visit keeps the marks.
func TestNewSinceLastVisit(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		e := newEnv(t, db, nil)
		f := newPortalFixture(t, e)
		b := e.anon()
		page := "/client-progress/" + f.link.Token
		if r := b.get(page); strings.Contains(string(r.Body), `class="badge"`) || strings.Contains(string(r.Body), `class="news"`) {
			t.Fatalf("first visit shows news")
		}
		day := e.Clock.Now().UTC().Format("2 Jan")
		e.Clock.Advance(2 * time.Hour)
		next := f.staff.upload(f.project.ID, "Pantry", "p.jpg", pictureJPEG(t, 60, 40, ""), nil)
		f.staff.setStatus(next.ID, "approved")
		ph := f.project.Rooms[0].Phases[0]
		f.staff.do("PATCH", "/api/phases/"+ph.ID, map[string]any{"status": "completed"})
		e.Clock.Advance(time.Hour)
		want := "1 new rendering and 1 completed phase since " + day
		for range 2 { // a new visit, then a reload ten minutes later
			wantBody(t, b.get(page), want, `<span class="badge">New</span>`)
			e.Clock.Advance(10 * time.Minute)
		}
		// The JSON tells the same, and is no visit.
		r := b.do("GET", "/api/client-progress/"+f.link.Token, nil)
		var v struct {
			Link       struct{ PreviousVisitAt *time.Time }
			Renderings []struct {
				ID    string
				IsNew bool
			}
		}
		r.decode(t, &v)
		if v.Link.PreviousVisitAt == nil {
			t.Fatal("previousVisitAt is null after a second visit")
		}
		for _, rd := range v.Renderings {
			if rd.IsNew != (rd.ID == next.ID) {
				t.Errorf("rendering %s isNew = %v", rd.ID, rd.IsNew)
			}
		}
		// Hours later, a new visit: nothing is new any more.
		e.Clock.Advance(3 * time.Hour)
		// (A phase completed on the previous visit's day stays new: its
		// completion is a date.)
		if r := b.get(page); regexp.MustCompile(`data-bind="news">[^<]*new rendering`).Match(r.Body) {
			t.Error("a later visit still shows the rendering as new")
		}
	})
}

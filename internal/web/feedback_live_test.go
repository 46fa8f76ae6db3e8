package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestFeedbackLive: a client's feedback and the studio's reply reach an
// open page of the project at once, the reply signed with the studio's
// name; resolving an item, which clients do not see, sends nothing.
func TestFeedbackLive(t *testing.T) {
	t.Parallel()
	e, s := newPortalEnv(t, portalSeedOptions{approved: 1}, eventTimings(time.Hour, 20*time.Millisecond))
	staff := e.login(designerEmail)
	st := portalEvents(t, e, "/api/client-progress/"+s.token+"/events", nil)
	st.next("first update", 3*time.Second)

	r := e.anon().do("POST", "/api/client-progress/"+s.token+"/feedback", map[string]any{"renderingId": s.approved[0].ID, "decision": "approved", "name": "Jane"})
	if r.Status != 201 {
		t.Fatalf("feedback: %d %s", r.Status, r.Body)
	}
	var item clientFeedbackOut
	r.decode(t, &item)
	v := st.next("update after feedback", 3*time.Second).view(t)
	if len(v.Feedback) != 1 || v.Renderings[0].ClientDecision == nil || *v.Renderings[0].ClientDecision != "approved" {
		t.Fatalf("after feedback: %+v", v)
	}

	if r := staff.do("POST", "/api/projects/"+s.projectID+"/feedback", map[string]any{"message": "Thank you <3"}); r.Status != 201 {
		t.Fatalf("reply: %d %s", r.Status, r.Body)
	}
	ev := st.next("update after the reply", 3*time.Second)
	v = ev.view(t)
	if len(v.Feedback) != 2 || v.Feedback[1].From != "studio" || v.Feedback[1].Message != "Thank you <3" || v.Feedback[1].Name != "Maison Test Interiors" {
		t.Fatalf("after the reply: %+v", v.Feedback)
	}
	if strings.Contains(ev.Data, "Dan Designer") || !strings.Contains(ev.Data, `Thank you \u003c3`) {
		t.Errorf("the update names the staff member or holds raw markup: %s", ev.Data)
	}

	if r := staff.do("PATCH", "/api/feedback/"+item.ID, map[string]any{"resolved": true}); r.Status != 200 {
		t.Fatalf("resolve: %d %s", r.Status, r.Body)
	}
	st.quiet("after resolving", 400*time.Millisecond)
}

// TestAdminFeedback: the project page shows the thread with each item's
// link, the latest decision on each rendering card, the suggestion to mark
// Client Approval completed, and its forms work without JavaScript.
func TestAdminFeedback(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		e := newEnv(t, db, nil)
		f := newPortalFixture(t, e)
		f.staff.do("PATCH", "/api/client-access/"+f.link.ID, map[string]any{"label": "Jane & Tom"})
		client := e.anon()
		client.do("POST", "/api/client-progress/"+f.link.Token+"/feedback", map[string]any{"renderingId": f.approved.ID, "decision": "changes_requested", "name": "Jane <i>", "message": "Warmer <b>wood</b>"})
		b := e.adminSignIn(designerEmail)
		page := "/admin/projects/" + f.project.ID
		r := b.get(page)
		wantBody(t, r, "Client feedback (1 open)", "Changes requested by Jane &lt;i&gt;", "through link ‘Jane &amp; Tom’", "Warmer &lt;b&gt;wood&lt;/b&gt;", "Mark resolved")
		if strings.Contains(string(r.Body), "Mark Client Approval completed") {
			t.Error("suggests completing Client Approval before the client approved")
		}
		// The client approves: the suggestion appears; nothing changes by itself.
		client.do("POST", "/api/client-progress/"+f.link.Token+"/feedback", map[string]any{"renderingId": f.approved.ID, "decision": "approved"})
		r = b.get(page)
		wantBody(t, r, "Approved by the client", "Mark Client Approval completed")
		if d := f.staff.detail(f.project.ID); d.Rooms[0].Phases[2].Status != "not_started" {
			t.Errorf("the client's approval changed the phase: %s", d.Rooms[0].Phases[2].Status)
		}

		// A public reply, an internal comment, resolving.
		r = b.postForm(page+"/feedback", url.Values{"kind": {"public"}, "message": {"On it"}, "renderingId": {f.approved.ID}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("reply: %d %s", r.Status, r.Body)
		}
		r = b.postForm(page+"/feedback", url.Values{"kind": {"internal"}, "message": {"Ask the joiner"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("internal: %d %s", r.Status, r.Body)
		}
		r = b.postForm(page+"/feedback", url.Values{"kind": {"public"}, "message": {""}})
		if r.Status != 422 || !strings.Contains(string(r.Body), "must not be empty") {
			t.Errorf("empty reply: %d %s", r.Status, r.Body)
		}
		var list struct{ Feedback []staffFeedbackOut }
		f.staff.do("GET", "/api/projects/"+f.project.ID+"/feedback", nil).decode(t, &list)
		if len(list.Feedback) != 3 {
			t.Fatalf("thread: %+v", list.Feedback)
		}
		if r := b.postForm("/admin/feedback/"+list.Feedback[0].ID, url.Values{"resolved": {"1"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("resolve: %d %s", r.Status, r.Body)
		}
		r = b.get(page)
		wantBody(t, r, "Client feedback (1 open)", "Reply by Dan Designer", "On it", "Ask the joiner", "Reopen")
		cv := client.do("GET", "/api/client-progress/"+f.link.Token, nil)
		if strings.Contains(string(cv.Body), "Ask the joiner") || !strings.Contains(string(cv.Body), "On it") {
			t.Errorf("client view: %s", cv.Body)
		}

		// Marking the phase completed is one click.
		d := f.staff.detail(f.project.ID)
		if r := b.postForm("/admin/phases/"+d.Rooms[0].Phases[2].ID, url.Values{"status": {"completed"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("mark completed: %d %s", r.Status, r.Body)
		}
		if d := f.staff.detail(f.project.ID); d.Rooms[0].Phases[2].Status != "completed" {
			t.Errorf("approval phase: %s", d.Rooms[0].Phases[2].Status)
		}

		// Links: created closed from the form, switched on and off.
		r = b.postForm(page+"/links", url.Values{"label": {"Builder"}, "expires": {"30"}, "feedbackShown": {"1"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("create link: %d %s", r.Status, r.Body)
		}
		r = b.get(page)
		wantBody(t, r, "Messages off", "Turn messages on")
		if r := b.postForm("/admin/links/"+f.link.ID, url.Values{"allowFeedback": {"0"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("switch off: %d %s", r.Status, r.Body)
		}
		if l := e.linkStats(f.link.ID); l.AllowFeedback {
			t.Error("the link still takes feedback")
		}
	})
}

package web_test

import (
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"
)

// roomForm is the phases form of a room as the page sends it: every field
// of the five phases, "PHASEID.field".
func roomForm(p project, edit map[string]string) url.Values {
	f := url.Values{}
	for i, ph := range p.Rooms[0].Phases {
		f.Set(ph.ID+".status", ph.Status)
		f.Set(ph.ID+".assigneeId", ph.AssigneeID)
		f.Set(ph.ID+".dueDate", ph.DueDate)
		f.Set(ph.ID+".completedAt", ph.CompletedAt)
		for k, v := range edit {
			if n, field, ok := strings.Cut(k, "."); ok && n == string(rune('0'+i)) {
				f.Set(ph.ID+"."+field, v)
			}
		}
	}
	return f
}

func TestAdminRoomPhasesForm(t *testing.T) {
	eachDB(t, func(t *testing.T, db string) {
		e := newEnv(t, db, nil)
		api := e.login(adminEmail)
		c := e.adminSignIn(adminEmail)
		p := api.newProject("Harbour Loft")
		room := p.Rooms[0]
		action := "/admin/rooms/" + room.ID + "/phases"
		today := time.Now().UTC().Format(time.DateOnly)
		future := time.Now().UTC().AddDate(0, 0, 3).Format(time.DateOnly)

		// Edits in several phases are all saved by the one Save.
		r := c.postForm(action, roomForm(p, map[string]string{
			"0.status": "completed", "0.completedAt": "",
			"1.status": "in_progress", "1.assigneeId": e.Designer.ID, "1.dueDate": "2027-01-15",
			"2.status": "completed", "2.completedAt": "2026-01-02",
			"4.status": "skipped", "4.completedAt": "2026-01-03", // ignored: not completed
		}))
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/admin/projects/"+p.ID+"#room-"+room.ID {
			t.Fatalf("save: %d %q; %s", r.Status, r.Header.Get("Location"), r.Body)
		}
		// The confirmation is a toast (kept in view by CSS), not a banner at the top.
		wantBody(t, c.follow(r), `<div class="toasts" role="status" aria-live="polite" data-toasts><p class="toast flash flash-ok">Phases of “Kitchen” saved.</p></div>`,
			`<progress max="100" value="50"`)
		saved := api.detail(p.ID)
		got := saved.Rooms[0].Phases
		if got[0].Status != "completed" || got[0].CompletedAt != today ||
			got[1].Status != "in_progress" || got[1].AssigneeID != e.Designer.ID || got[1].DueDate != "2027-01-15" ||
			got[2].Status != "completed" || got[2].CompletedAt != "2026-01-02" ||
			got[3].Status != "not_started" || got[4].Status != "skipped" || got[4].CompletedAt != "" {
			t.Errorf("phases after the save: %+v", got)
		}

		// Bad input: a 422, the message next to its field, every entry
		// kept, and nothing saved, not even the valid edits of other phases.
		for _, tc := range []struct {
			name, field, msg string
			edit             map[string]string
			kept             []string
		}{
			{"bad status", "3.status", "Status must be one of",
				map[string]string{"0.dueDate": "2027-02-01", "3.status": "finished"}, []string{`value="2027-02-01"`}},
			{"completed in the future", "2.completedAt", "Completed on cannot be in the future",
				map[string]string{"1.dueDate": "2027-02-02", "2.completedAt": future}, []string{`value="2027-02-02"`, `value="` + future + `"`}},
			{"bad due date", "1.dueDate", "Due date must be a date like 2027-03-01.",
				map[string]string{"1.dueDate": "15/01/2027", "3.status": "in_progress"}, []string{`value="15/01/2027"`}},
			{"bad completion date", "0.completedAt", "Completed on must be a date",
				map[string]string{"0.completedAt": "2026-13-45", "4.status": "not_started"}, []string{`value="2026-13-45"`}},
			{"unknown assignee", "1.assigneeId", "No such staff member.",
				map[string]string{"1.assigneeId": "not-an-id", "0.status": "in_progress"}, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				form := roomForm(saved, tc.edit)
				r := c.postForm(action, form)
				if r.Status != http.StatusUnprocessableEntity {
					t.Fatalf("status %d, want 422; %s", r.Status, r.Body)
				}
				n, field, _ := strings.Cut(tc.field, ".")
				name := saved.Rooms[0].Phases[n[0]-'0'].ID + "." + field
				wantFieldError(t, r, action, name, tc.msg)
				wantBody(t, r, tc.kept...)
				// Each other field of the form shows what was sent: the
				// status selects show the statuses sent.
				for _, ph := range saved.Rooms[0].Phases {
					st := form.Get(ph.ID + ".status")
					if st == "finished" {
						continue
					}
					if !strings.Contains(string(r.Body), `name="`+ph.ID+`.status"`) {
						t.Errorf("no status select for phase %s", ph.ID)
					}
				}
				if after := api.detail(p.ID); !reflect.DeepEqual(after.Rooms[0].Phases, saved.Rooms[0].Phases) {
					t.Errorf("a refused form changed phases:\n got %+v\nwant %+v", after.Rooms[0].Phases, saved.Rooms[0].Phases)
				}
			})
		}

		for _, tc := range []struct {
			path   string
			status int
		}{{"/admin/rooms/" + unknownID + "/phases", 404}, {"/admin/rooms/not-an-id/phases", 404}} {
			if r := c.postForm(tc.path, roomForm(saved, nil)); r.Status != tc.status {
				t.Errorf("POST %s: %d, want %d", tc.path, r.Status, tc.status)
			}
		}
		// A form from another site is refused (the admin forms' CSRF rule).
		r = c.send("POST", action, "application/x-www-form-urlencoded", strings.NewReader(roomForm(saved, map[string]string{"3.status": "skipped"}).Encode()),
			map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"})
		if r.Status != http.StatusForbidden {
			t.Errorf("cross-site POST: %d, want 403", r.Status)
		}
		if after := api.detail(p.ID); after.Rooms[0].Phases[3].Status != "not_started" {
			t.Errorf("a cross-site form changed a phase")
		}
	})
}

// A page opened before someone else saved a phase does not undo that
// save: the form carries what each field was, and only the fields changed
// on the page are applied.
func TestAdminRoomPhasesStaleForm(t *testing.T) {
	eachDB(t, func(t *testing.T, db string) {
		e := newEnv(t, db, nil)
		api := e.login(adminEmail)
		c := e.adminSignIn(adminEmail)
		p := api.newProject("Harbour Loft")
		action := "/admin/rooms/" + p.Rooms[0].ID + "/phases"
		page := string(c.get("/admin/projects/" + p.ID).Body)
		stale := roomForm(p, map[string]string{"0.dueDate": "2027-05-05", "2.status": "completed"})
		for _, ph := range p.Rooms[0].Phases {
			was := ph.Status + "|" + ph.AssigneeID + "|" + ph.DueDate + "|" + ph.CompletedAt
			if !strings.Contains(page, `name="`+ph.ID+`.was" value="`+was+`"`) {
				t.Fatalf("the page does not carry phase %s as it was (%q)", ph.ID, was)
			}
			stale.Set(ph.ID+".was", was)
		}
		phs := p.Rooms[0].Phases
		// Meanwhile, in another tab: FF&E skipped, Design assigned.
		api.do("PATCH", "/api/phases/"+phs[4].ID, map[string]string{"status": "skipped"})
		api.do("PATCH", "/api/phases/"+phs[0].ID, map[string]string{"assigneeId": e.Designer.ID})
		if r := c.postForm(action, stale); r.Status != http.StatusSeeOther {
			t.Fatalf("stale form: %d %s", r.Status, r.Body)
		}
		got := api.detail(p.ID).Rooms[0].Phases
		if got[4].Status != "skipped" || got[0].AssigneeID != e.Designer.ID {
			t.Errorf("the stale form undid the other tab's edits: %+v", got)
		}
		if got[0].DueDate != "2027-05-05" || got[2].Status != "completed" {
			t.Errorf("the stale form's own edits were lost: %+v", got)
		}
	})
}

// The one-phase form (the "Mark Client Approval completed" button) shows
// its errors in the room's form, with the other phases as they are stored.
func TestAdminOnePhaseErrorInRoomForm(t *testing.T) {
	t.Parallel()
	e := newEnv(t, dbSQLite, nil)
	api := e.login(adminEmail)
	c := e.adminSignIn(adminEmail)
	p := api.newProject("Harbour Loft")
	phs := p.Rooms[0].Phases
	api.do("PATCH", "/api/phases/"+phs[1].ID, map[string]string{"dueDate": "2027-04-04"})
	r := c.postForm("/admin/phases/"+phs[0].ID, url.Values{"status": {"in_progress"}, "dueDate": {"15/01/2027"}})
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("bad due date: %d, want 422", r.Status)
	}
	wantFieldError(t, r, "/admin/rooms/"+p.Rooms[0].ID+"/phases", phs[0].ID+".dueDate", "Due date must be a date like 2027-03-01.")
	wantBody(t, r, `value="15/01/2027"`, `value="2027-04-04"`)
}

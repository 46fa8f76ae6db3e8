package web_test

import (
	"strings"
	"testing"
	"time"
)

func TestProjectsAPI(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		e := newEnv(t, db, nil)
		c := e.login(adminEmail)
		run(t, c, []scenario{
			{name: "empty list", method: "GET", path: "/api/projects", status: 200, substr: []string{`{"projects":[],"total":0}`}},
			{name: "create", method: "POST", path: "/api/projects", status: 201, body: map[string]any{
				"name": "Hillside", "clientName": "Jane Doe", "clientEmail": "jane@example.com", "address": "1 Hill Rd",
				"budgetCents": 1500000, "internalNotes": "likes oak", "startDate": "2026-10-01", "targetDate": "2027-03-01"},
				substr: []string{`"name":"Hillside"`, `"budgetCents":1500000`, `"targetDate":"2027-03-01"`, `"createdBy":"` + e.Admin.ID + `"`}},
			{name: "create without budget", method: "POST", path: "/api/projects", status: 201,
				body: map[string]any{"name": "Loft", "clientName": "Sam"}, substr: []string{`"budgetCents":null`}},
			{name: "list", method: "GET", path: "/api/projects", status: 200, substr: []string{`"Hillside"`, `"Loft"`, `"overallProgress":0`}},
		})

		// The times a create answers with are the ones read back later.
		var created struct{ CreatedAt string }
		c.do("POST", "/api/projects", map[string]any{"name": "Timed", "clientName": "Kim"}).decode(t, &created)
		list := c.do("GET", "/api/projects", nil)
		if !strings.Contains(string(list.Body), `"createdAt":"`+created.CreatedAt+`"`) {
			t.Errorf("createdAt %s answered by the create is not in the list: %s", created.CreatedAt, list.Body)
		}

		p := c.newProject("Harbor")
		if len(p.Rooms) != 1 || len(p.Rooms[0].Phases) != 5 {
			t.Fatalf("new project has %d rooms, want 1 with 5 phases: %+v", len(p.Rooms), p)
		}
		for i, kind := range []string{"design", "rendering", "approval", "drawings", "ffe"} {
			if got := p.Rooms[0].Phases[i].Kind; got != kind {
				t.Errorf("phase %d kind = %q, want %q", i, got, kind)
			}
		}
		r := c.do("GET", "/api/projects/"+p.ID, nil)
		for _, key := range []string{`"team":[]`, `"rooms":[`, `"renderings":[]`, `"comments":[]`, `"overallProgress":0`} {
			if !strings.Contains(string(r.Body), key) {
				t.Errorf("project detail lacks %s: %s", key, r.Body)
			}
		}
		run(t, c, []scenario{
			{name: "patch budget", method: "PATCH", path: "/api/projects/" + p.ID, body: map[string]any{"budgetCents": 2500},
				status: 200, substr: []string{`"budgetCents":2500`, `"name":"Harbor"`}},
			{name: "clear budget", method: "PATCH", path: "/api/projects/" + p.ID, body: `{"budgetCents":null}`,
				status: 200, substr: []string{`"budgetCents":null`}},
			{name: "rename", method: "PATCH", path: "/api/projects/" + p.ID, body: map[string]any{"name": "Harbor Loft"},
				status: 200, substr: []string{`"name":"Harbor Loft"`}},
			{name: "add room", method: "POST", path: "/api/projects/" + p.ID + "/rooms", body: map[string]any{"name": "Bath"},
				status: 201, substr: []string{`"name":"Bath"`, `"position":2`, `"kind":"ffe"`}},
			{name: "rename room", method: "PATCH", path: "/api/rooms/" + p.Rooms[0].ID, body: map[string]any{"name": "Galley"},
				status: 200, substr: []string{`"name":"Galley"`}},
			{name: "add team member", method: "POST", path: "/api/projects/" + p.ID + "/team",
				body: map[string]any{"userId": e.Designer.ID, "role": "lead designer"}, status: 201, substr: []string{`"role":"lead designer"`}},
			{name: "team member unknown", method: "POST", path: "/api/projects/" + p.ID + "/team",
				body: map[string]any{"userId": unknownID, "role": "x"}, status: 400, code: "invalid_input", field: "userId"},
			{name: "comment", method: "POST", path: "/api/projects/" + p.ID + "/comments",
				body: map[string]any{"body": "Start with the kitchen."}, status: 201, substr: []string{`"authorName":"Ada Admin"`}},
			{name: "comment on unknown rendering", method: "POST", path: "/api/projects/" + p.ID + "/comments",
				body: map[string]any{"body": "x", "renderingId": unknownID}, status: 400, code: "invalid_input", field: "renderingId"},
		})
		d := c.detail(p.ID)
		if d.Name != "Harbor Loft" || d.BudgetCents != nil || len(d.Rooms) != 2 || len(d.Team) != 1 || len(d.Comments) != 1 {
			t.Errorf("detail after edits: name %q budget %v rooms %d team %d comments %d",
				d.Name, d.BudgetCents, len(d.Rooms), len(d.Team), len(d.Comments))
		}
	})
}

// Bad input gets a clear 4xx that names the field, and changes nothing.
func TestProjectsAPIBadInput(t *testing.T) {
	t.Parallel()
	e := newEnv(t, dbSQLite, nil)
	c := e.login(adminEmail)
	p := c.newProject("Hillside")
	pp := "/api/projects/" + p.ID
	phase := "/api/phases/" + p.Rooms[0].Phases[0].ID
	huge := `{"name":"` + strings.Repeat("a", 1<<20) + `","clientName":"x"}`
	run(t, c, []scenario{
		// Malformed bodies.
		{name: "malformed JSON", method: "POST", path: "/api/projects", body: `{"name": "x",`, status: 400, code: "invalid_input"},
		{name: "empty body", method: "POST", path: "/api/projects", body: ``, status: 400, code: "invalid_input"},
		{name: "array body", method: "POST", path: "/api/projects", body: `[1,2]`, status: 400, code: "invalid_input"},
		{name: "null body", method: "POST", path: "/api/projects", body: `null`, status: 400, code: "invalid_input"},
		{name: "body over 1 MB", method: "POST", path: "/api/projects", body: huge, status: 413, code: "too_large"},
		// Wrong types name the field.
		{name: "name is a number", method: "POST", path: "/api/projects", body: `{"name":5,"clientName":"x"}`,
			status: 400, code: "invalid_input", field: "name"},
		{name: "budget is text", method: "POST", path: "/api/projects", body: `{"name":"a","clientName":"b","budgetCents":"lots"}`,
			status: 400, code: "invalid_input", field: "budgetCents"},
		{name: "budget is fractional", method: "POST", path: "/api/projects", body: `{"name":"a","clientName":"b","budgetCents":1.5}`,
			status: 400, code: "invalid_input", field: "budgetCents"},
		{name: "negative budget", method: "POST", path: "/api/projects", body: `{"name":"a","clientName":"b","budgetCents":-1}`,
			status: 400, code: "invalid_input", field: "budgetCents"},
		{name: "bad date", method: "POST", path: "/api/projects", body: `{"name":"a","clientName":"b","targetDate":"2027-02-30"}`,
			status: 400, code: "invalid_input", field: "targetDate"},
		{name: "target before start", method: "POST", path: "/api/projects",
			body: `{"name":"a","clientName":"b","startDate":"2027-01-01","targetDate":"2026-01-01"}`, status: 400, code: "invalid_input", field: "targetDate"},
		{name: "bad email", method: "POST", path: "/api/projects", body: `{"name":"a","clientName":"b","clientEmail":"jane at home"}`,
			status: 400, code: "invalid_input", field: "clientEmail"},
		// Missing and unknown fields.
		{name: "missing clientName", method: "POST", path: "/api/projects", body: `{"name":"a"}`,
			status: 400, code: "invalid_input", field: "clientName"},
		{name: "blank name", method: "POST", path: "/api/projects", body: `{"name":"   ","clientName":"b"}`,
			status: 400, code: "invalid_input", field: "name"},
		{name: "unknown field", method: "POST", path: "/api/projects", body: `{"name":"a","clientName":"b","colour":"red"}`,
			status: 400, code: "invalid_input", field: "colour"},
		{name: "patch empties name", method: "PATCH", path: pp, body: `{"name":""}`, status: 400, code: "invalid_input", field: "name"},
		{name: "room without name", method: "POST", path: pp + "/rooms", body: `{}`, status: 400, code: "invalid_input", field: "name"},
		{name: "phase bad status", method: "PATCH", path: phase, body: `{"status":"done"}`, status: 400, code: "invalid_input", field: "status"},
		{name: "phase cost is text", method: "PATCH", path: phase, body: `{"costCents":"10"}`, status: 400, code: "invalid_input", field: "costCents"},
		{name: "phase unknown assignee", method: "PATCH", path: phase, body: `{"assigneeId":"` + unknownID + `"}`,
			status: 400, code: "invalid_input", field: "assigneeId"},
		{name: "phase malformed assignee", method: "PATCH", path: phase, body: `{"assigneeId":"nobody"}`,
			status: 400, code: "invalid_input", field: "assigneeId"},
		{name: "comment without body", method: "POST", path: pp + "/comments", body: `{"body":""}`,
			status: 400, code: "invalid_input", field: "body"},
		// Unknown and malformed ids are 404 not_found.
		{name: "unknown project", method: "GET", path: "/api/projects/" + unknownID, status: 404, code: "not_found"},
		{name: "malformed project id", method: "GET", path: "/api/projects/nope", status: 404, code: "not_found"},
		{name: "upper-case project id", method: "GET", path: "/api/projects/" + strings.ToUpper(p.ID), status: 404, code: "not_found"},
		{name: "project id with a quote", method: "GET", path: "/api/projects/x'%20OR%201=1", status: 404, code: "not_found"},
		{name: "patch unknown project", method: "PATCH", path: "/api/projects/" + unknownID, body: `{"name":"x"}`, status: 404, code: "not_found"},
		{name: "room of unknown project", method: "POST", path: "/api/projects/" + unknownID + "/rooms", body: `{"name":"x"}`,
			status: 404, code: "not_found"},
		{name: "unknown room", method: "PATCH", path: "/api/rooms/" + unknownID, body: `{"name":"x"}`, status: 404, code: "not_found"},
		{name: "unknown phase", method: "PATCH", path: "/api/phases/" + unknownID, body: `{"status":"completed"}`, status: 404, code: "not_found"},
		{name: "malformed phase id", method: "PATCH", path: "/api/phases/12", body: `{"status":"completed"}`, status: 404, code: "not_found"},
		{name: "team of unknown project", method: "POST", path: "/api/projects/" + unknownID + "/team",
			body: map[string]string{"userId": e.Designer.ID, "role": "x"}, status: 404, code: "not_found"},
		{name: "comment on unknown project", method: "POST", path: "/api/projects/" + unknownID + "/comments",
			body: `{"body":"x"}`, status: 404, code: "not_found"},
		{name: "unknown rendering", method: "PATCH", path: "/api/renderings/" + unknownID, body: `{"title":"x"}`, status: 404, code: "not_found"},
		{name: "unknown rendering file", method: "GET", path: "/api/renderings/" + unknownID + "/file", status: 404, code: "not_found"},
		{name: "malformed rendering id", method: "GET", path: "/api/renderings/not-an-id/file", status: 404, code: "not_found"},
		{name: "unknown API route", method: "GET", path: "/api/nothing-here", status: 404, code: "not_found"},
	})
	list, err := e.Store.Projects(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 {
		t.Errorf("%d projects after bad input, want only the seeded one", len(list))
	}
	d := c.detail(p.ID)
	if d.Name != "Hillside" || len(d.Rooms) != 1 || d.Rooms[0].Phases[0].Status != "not_started" || d.Rooms[0].Phases[0].AssigneeID != "" {
		t.Errorf("bad input changed the project: %+v", d)
	}
}

func TestPhaseCompletion(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		e := newEnv(t, db, nil)
		c := e.login(adminEmail)
		p := c.newProject("Hillside")
		path := "/api/phases/" + p.Rooms[0].Phases[0].ID
		patch := func(body string) (phase, *resp) {
			t.Helper()
			r := c.do("PATCH", path, body)
			var ph phase
			if r.Status == 200 {
				r.decode(t, &ph)
			}
			return ph, r
		}

		today := time.Now().UTC().Format(time.DateOnly)
		ph, r := patch(`{"status":"completed"}`)
		if r.Status != 200 || ph.Status != "completed" || ph.CompletedAt != today {
			t.Errorf("complete: %d status %q completedAt %q, want 200 completed %s", r.Status, ph.Status, ph.CompletedAt, today)
		}
		if d := c.detail(p.ID); d.OverallProgress != 20 {
			t.Errorf("progress after one of five = %d, want 20", d.OverallProgress)
		}
		ph, _ = patch(`{"completedAt":"2026-10-02"}`)
		if ph.CompletedAt != "2026-10-02" {
			t.Errorf("staff correct the date: completedAt = %q, want 2026-10-02", ph.CompletedAt)
		}
		ph, _ = patch(`{"status":"completed","internalNotes":"again"}`)
		if ph.CompletedAt != "2026-10-02" {
			t.Errorf("completed again: completedAt = %q, want the date kept", ph.CompletedAt)
		}
		ph, _ = patch(`{"status":"in_progress"}`)
		if ph.Status != "in_progress" || ph.CompletedAt != "" {
			t.Errorf("leave completed: status %q completedAt %q, want in_progress and empty", ph.Status, ph.CompletedAt)
		}
		_, r = patch(`{"completedAt":"2026-10-02"}`)
		check(t, scenario{name: "completedAt on an open phase", method: "PATCH", path: path, status: 400,
			code: "invalid_input", field: "completedAt"}, r)
		ph, _ = patch(`{"status":"completed","completedAt":"2026-09-30","assigneeId":"` + e.Designer.ID + `","dueDate":"2026-10-01","costCents":9900}`)
		if ph.CompletedAt != "2026-09-30" || ph.AssigneeID != e.Designer.ID {
			t.Errorf("complete with a date: %+v", ph)
		}
		ph, _ = patch(`{"status":"skipped"}`)
		if ph.CompletedAt != "" {
			t.Errorf("skipped phase keeps completedAt %q", ph.CompletedAt)
		}
		if d := c.detail(p.ID); d.OverallProgress != 0 || d.Rooms[0].Phases[0].Status != "skipped" {
			t.Errorf("after skip: progress %d status %q, want 0 skipped", d.OverallProgress, d.Rooms[0].Phases[0].Status)
		}
	})
}

// Every invalid field comes back at once: fields holds each one's message,
// field and message are the first in the order of the input.
func TestAPIReportsEveryInvalidField(t *testing.T) {
	eachDB(t, func(t *testing.T, db string) {
		e := newEnv(t, db, nil)
		c := e.login(adminEmail)
		for _, tc := range []struct {
			name, method, path string
			body               string
			want               map[string]string // field: a part of its message
			first              string
		}{
			{"project", "POST", "/api/projects",
				`{"name":"","clientEmail":"jane at home","startDate":"2027-05-01","targetDate":"2027-01-01","budgetCents":-5}`,
				map[string]string{"name": "name must not be empty.", "clientName": "clientName is required.",
					"clientEmail": "clientEmail must be an email address.", "budgetCents": "between 0 and 10^15",
					"targetDate": "targetDate must not be before startDate."}, "name"},
			{"unreadable and invalid", "POST", "/api/projects", `{"name":5,"clientName":"Ann","clientEmail":"x"}`,
				map[string]string{"name": "name must be a string.", "clientEmail": "clientEmail must be an email address."}, "name"},
			{"settings", "PATCH", "/api/studio", `{"name":"","accentColor":"blue","contactEmail":"nope"}`,
				map[string]string{"name": "name must not be empty.", "accentColor": "accentColor must be a colour like #7a5c3e.",
					"contactEmail": "contactEmail must be an email address."}, "name"},
			{"user", "POST", "/api/users", `{"email":"not an email","name":"Eve","role":"boss","password":"short"}`,
				map[string]string{"email": "email must be an email address.", "role": "role must be admin or designer.",
					"password": "at least 12 characters"}, "email"},
		} {
			r := c.do(tc.method, tc.path, tc.body)
			ae := r.apiErr()
			if r.Status != 400 || ae.Code != "invalid_input" {
				t.Errorf("%s: %d %s, want 400 invalid_input", tc.name, r.Status, r.Body)
				continue
			}
			if ae.Field != tc.first || ae.Message != ae.Fields[tc.first] {
				t.Errorf("%s: field %q message %q, want the first field %q and its message: %s", tc.name, ae.Field, ae.Message, tc.first, r.Body)
			}
			if len(ae.Fields) != len(tc.want) {
				t.Errorf("%s: fields %v, want %d of them", tc.name, ae.Fields, len(tc.want))
			}
			for f, msg := range tc.want {
				if !strings.Contains(ae.Fields[f], msg) {
					t.Errorf("%s: fields[%q] = %q, want it to say %q", tc.name, f, ae.Fields[f], msg)
				}
			}
		}
		if list, _ := e.Store.Projects(t.Context()); len(list) != 0 {
			t.Errorf("%d projects after refused creates, want none", len(list))
		}
		// One bad field: fields names it too.
		r := c.do("POST", "/api/projects", `{"name":"a","clientName":"b","targetDate":"soon"}`)
		if ae := r.apiErr(); ae.Field != "targetDate" || len(ae.Fields) != 1 || ae.Fields["targetDate"] != ae.Message {
			t.Errorf("one bad field: %s", r.Body)
		}
		// No field, no fields.
		r = c.do("POST", "/api/projects", `[1]`)
		if strings.Contains(string(r.Body), `"fields"`) || strings.Contains(string(r.Body), `"field"`) {
			t.Errorf("an error of the whole body names fields: %s", r.Body)
		}
	})
}

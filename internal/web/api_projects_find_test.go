package web_test

import (
	"net/url"
	"strings"
	"testing"
)

type projectList struct {
	Projects []struct {
		ID       string `json:"id"`
		Name     string `json:"name"`
		Archived bool   `json:"archived"`
	} `json:"projects"`
	Total int `json:"total"`
}

func (c *client) listProjects(query string) ([]string, int) {
	c.t.Helper()
	r := c.do("GET", "/api/projects"+query, nil)
	if r.Status != 200 {
		c.t.Fatalf("GET /api/projects%s: %d %s", query, r.Status, r.Body)
	}
	var l projectList
	r.decode(c.t, &l)
	names := []string{}
	for _, p := range l.Projects {
		names = append(names, p.Name)
	}
	return names, l.Total
}

func TestProjectsFindAPI(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		e := newEnv(t, db, nil)
		admin, designer := e.login(adminEmail), e.login(designerEmail)
		var ids = map[string]string{}
		for _, p := range [][2]string{{"Élodie's Loft", "Müller"}, {"Hillside", "Jane Doe"}, {"100% Oak_Floor", `C:\x`}, {"Old Barn", "Jane Roe"}} {
			var got struct{ ID string }
			admin.do("POST", "/api/projects", map[string]any{"name": p[0], "clientName": p[1]}).decode(t, &got)
			ids[p[0]] = got.ID
		}
		run(t, designer, []scenario{
			// Designers archive too (docs/ROLES in README): the answer carries archived.
			{name: "archive", method: "PATCH", path: "/api/projects/" + ids["Old Barn"], body: map[string]any{"archived": true},
				status: 200, substr: []string{`"archived":true`, `"name":"Old Barn"`}},
			{name: "archived not a bool", method: "PATCH", path: "/api/projects/" + ids["Old Barn"], body: map[string]any{"archived": "yes"},
				status: 400, code: "invalid_input", field: "archived"},
			{name: "archived on create", method: "POST", path: "/api/projects", body: map[string]any{"name": "x", "clientName": "y", "archived": true},
				status: 400, code: "invalid_input", field: "archived"},
			{name: "team", method: "POST", path: "/api/projects/" + ids["Hillside"] + "/team",
				body: map[string]any{"userId": e.Designer.ID, "role": "lead"}, status: 201},
		})
		for _, c := range []struct {
			query string
			want  []string
			total int
		}{
			{"", []string{"100% Oak_Floor", "Hillside", "Élodie's Loft"}, 3},
			{"?sort=name", []string{"100% Oak_Floor", "Élodie's Loft", "Hillside"}, 3},
			{"?q=ELODIE&status=all", []string{"Élodie's Loft"}, 1},
			{"?q=" + url.QueryEscape("müller"), []string{"Élodie's Loft"}, 1},
			{"?q=jane", []string{"Hillside"}, 1},
			{"?q=jane&status=all&sort=name", []string{"Hillside", "Old Barn"}, 2},
			{"?status=archived", []string{"Old Barn"}, 1},
			{"?q=%25", []string{"100% Oak_Floor"}, 1},
			{"?q=_", []string{"100% Oak_Floor"}, 1},
			{"?q=%5C", []string{"100% Oak_Floor"}, 1},
			{"?q=%27", []string{"Élodie's Loft"}, 1},
			{"?q=%22", []string{}, 0},
			{"?q=%20%20", []string{"100% Oak_Floor", "Hillside", "Élodie's Loft"}, 3},
			{"?mine=true", []string{"Hillside"}, 1},
			{"?mine=false&sort=name&perPage=1&page=2", []string{"Élodie's Loft"}, 3},
			{"?perPage=200&page=5", []string{}, 3},
		} {
			got, total := designer.listProjects(c.query)
			if strings.Join(got, "|") != strings.Join(c.want, "|") || total != c.total {
				t.Errorf("GET /api/projects%s = %q (total %d), want %q (total %d)", c.query, got, total, c.want, c.total)
			}
		}
		// The admin's "mine" is theirs: not on Hillside's team.
		if got, _ := admin.listProjects("?mine=true"); len(got) != 0 {
			t.Errorf("admin's mine = %q, want none", got)
		}
		// An archived project's page still answers.
		if r := designer.do("GET", "/api/projects/"+ids["Old Barn"], nil); r.Status != 200 || !strings.Contains(string(r.Body), `"archived":true`) {
			t.Errorf("archived project detail: %d %s", r.Status, r.Body)
		}

		long := strings.Repeat("a", 201)
		huge := strings.Repeat("%27%25_%5C", 2600) // over 10 KB of quotes, wildcards and backslashes
		run(t, designer, []scenario{
			{name: "unknown sort", method: "GET", path: "/api/projects?sort=price", status: 400, code: "invalid_input", field: "sort"},
			{name: "unknown status", method: "GET", path: "/api/projects?status=deleted", status: 400, code: "invalid_input", field: "status"},
			{name: "page 0", method: "GET", path: "/api/projects?page=0", status: 400, code: "invalid_input", field: "page"},
			{name: "page negative", method: "GET", path: "/api/projects?page=-1", status: 400, code: "invalid_input", field: "page"},
			{name: "page not a number", method: "GET", path: "/api/projects?page=two", status: 400, code: "invalid_input", field: "page"},
			{name: "page overflow", method: "GET", path: "/api/projects?page=99999999999999999999", status: 400, code: "invalid_input", field: "page"},
			{name: "perPage 201", method: "GET", path: "/api/projects?perPage=201", status: 400, code: "invalid_input", field: "perPage"},
			{name: "perPage 0", method: "GET", path: "/api/projects?perPage=0", status: 400, code: "invalid_input", field: "perPage"},
			{name: "perPage text", method: "GET", path: "/api/projects?perPage=1e2", status: 400, code: "invalid_input", field: "perPage"},
			{name: "mine maybe", method: "GET", path: "/api/projects?mine=maybe", status: 400, code: "invalid_input", field: "mine"},
			{name: "q invalid UTF-8", method: "GET", path: "/api/projects?q=%FF%FE", status: 400, code: "invalid_input", field: "q"},
			{name: "q NUL", method: "GET", path: "/api/projects?q=a%00b", status: 400, code: "invalid_input", field: "q"},
			{name: "q line break", method: "GET", path: "/api/projects?q=a%0Ab", status: 400, code: "invalid_input", field: "q"},
			{name: "q 201 characters", method: "GET", path: "/api/projects?q=" + long, status: 400, code: "invalid_input", field: "q"},
			{name: "q 200 characters", method: "GET", path: "/api/projects?q=" + long[1:], status: 200, substr: []string{`"total":0`}},
			{name: "q 10 KB", method: "GET", path: "/api/projects?q=" + huge, status: 400, code: "invalid_input", field: "q"},
			{name: "bad escape", method: "GET", path: "/api/projects?q=%ZZ", status: 400, code: "invalid_input", field: "query"},
			{name: "all bad at once", method: "GET", path: "/api/projects?sort=x&status=y&page=z", status: 400, code: "invalid_input", field: "sort",
				substr: []string{`"status":`, `"page":`}},
		})
		if r := e.anon().do("GET", "/api/projects?q=x", nil); r.Status != 401 {
			t.Errorf("anonymous list: %d, want 401", r.Status)
		}
	})
}

func TestProjectActivityAPI(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, db string) {
		e := newEnv(t, db, nil)
		admin, designer := e.login(adminEmail), e.login(designerEmail)
		p := admin.newProject("Hillside")
		ph := p.Rooms[0].Phases[0]
		run(t, designer, []scenario{
			{name: "empty trail", method: "GET", path: "/api/projects/" + p.ID + "/activity", status: 200,
				substr: []string{`{"activity":[],"perPage":50,"total":0}`}},
			{name: "phase", method: "PATCH", path: "/api/phases/" + ph.ID, body: map[string]any{"status": "in_progress", "assigneeId": e.Designer.ID}, status: 200},
			{name: "archive", method: "PATCH", path: "/api/projects/" + p.ID, body: map[string]any{"archived": true}, status: 200},
			{name: "link", method: "POST", path: "/api/client-access", body: map[string]any{"projectId": p.ID, "label": "Jane"}, status: 201},
		})
		run(t, admin, []scenario{
			{name: "trail", method: "GET", path: "/api/projects/" + p.ID + "/activity", status: 200, substr: []string{
				`"actor":"Dan Designer","actorId":"` + e.Designer.ID + `","action":"link_created","subject":"“Jane”, expires `,
				`"action":"project_archived","subject":"Hillside"`,
				`"action":"phase_changed","subject":"Kitchen, Design Concept: status Not started → In progress; assignee none → Dan Designer"`,
				`"total":3`}},
			{name: "page 2", method: "GET", path: "/api/projects/" + p.ID + "/activity?page=2", status: 200, substr: []string{`"activity":[]`, `"total":3`}},
			{name: "page 0", method: "GET", path: "/api/projects/" + p.ID + "/activity?page=0", status: 400, code: "invalid_input", field: "page"},
			{name: "page text", method: "GET", path: "/api/projects/" + p.ID + "/activity?page=%FF", status: 400, code: "invalid_input", field: "page"},
			{name: "unknown project", method: "GET", path: "/api/projects/" + unknownID + "/activity", status: 404, code: "not_found"},
			{name: "malformed id", method: "GET", path: "/api/projects/x/activity", status: 404, code: "not_found"},
		})
		if r := e.anon().do("GET", "/api/projects/"+p.ID+"/activity", nil); r.Status != 401 {
			t.Errorf("anonymous trail: %d, want 401", r.Status)
		}
	})
}

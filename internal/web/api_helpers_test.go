package web_test

// JSON shapes of the staff API as the tests read them, and helpers that
// build a project through the API.

// project is the JSON of GET /api/projects/{id}, as much as tests read.
type project struct {
	ID              string `json:"id"`
	Name            string `json:"name"`
	BudgetCents     *int64 `json:"budgetCents"`
	OverallProgress int    `json:"overallProgress"`
	Rooms           []struct {
		ID     string  `json:"id"`
		Name   string  `json:"name"`
		Phases []phase `json:"phases"`
	} `json:"rooms"`
	Renderings []rendering      `json:"renderings"`
	Team       []map[string]any `json:"team"`
	Comments   []map[string]any `json:"comments"`
}

type phase struct {
	ID          string `json:"id"`
	Kind        string `json:"kind"`
	Status      string `json:"status"`
	CompletedAt string `json:"completedAt"`
	AssigneeID  string `json:"assigneeId"`
	DueDate     string `json:"dueDate"`
}

type rendering struct {
	ID          string  `json:"id"`
	Title       string  `json:"title"`
	Status      string  `json:"status"`
	Width       int     `json:"width"`
	Height      int     `json:"height"`
	Bytes       int64   `json:"bytes"`
	SHA256      string  `json:"sha256"`
	ContentType string  `json:"contentType"`
	ApprovedAt  *string `json:"approvedAt"`
	ApprovedBy  string  `json:"approvedBy"`
	RoomID      string  `json:"roomId"`
}

// newProject creates a project with one room through the API.
func (c *client) newProject(name string) project {
	c.t.Helper()
	r := c.do("POST", "/api/projects", map[string]any{"name": name, "clientName": "Jane"})
	if r.Status != 201 {
		c.t.Fatalf("create project: %d %s", r.Status, r.Body)
	}
	var p project
	r.decode(c.t, &p)
	if r := c.do("POST", "/api/projects/"+p.ID+"/rooms", map[string]string{"name": "Kitchen"}); r.Status != 201 {
		c.t.Fatalf("create room: %d %s", r.Status, r.Body)
	}
	return c.detail(p.ID)
}

// detail reads a project's detail.
func (c *client) detail(id string) project {
	c.t.Helper()
	r := c.do("GET", "/api/projects/"+id, nil)
	if r.Status != 200 {
		c.t.Fatalf("project detail: %d %s", r.Status, r.Body)
	}
	var p project
	r.decode(c.t, &p)
	return p
}

package web

import (
	"net/http"
	"net/url"

	"atrium/internal/httpx"
	"atrium/internal/studio"
)

// apiProjects answers a search of the project list: one page and the
// total (studio.ParseProjectQuery says what is taken).
func (s *Server) apiProjects(w http.ResponseWriter, r *http.Request) {
	q, err := projectQuery(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	list, total, err := s.store.ListProjects(r.Context(), q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"projects": list, "total": total})
}

// projectQuery reads the list's query parameters, for the API and the
// admin's list alike. A query string that is not URL encoding is refused
// rather than half read.
func projectQuery(r *http.Request) (studio.ProjectQuery, error) {
	v, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return studio.ProjectQuery{}, studio.Invalid("query", "The query string is not valid URL encoding.")
	}
	return studio.ParseProjectQuery(v, userFrom(r.Context()).ID)
}

// projectInput reads a project's fields from a JSON body. archived is
// taken on edits only (a new project is active).
func projectInput(b *body) studio.ProjectInput {
	b.Only("name", "clientName", "clientEmail", "address", "budgetCents", "internalNotes", "startDate", "targetDate", "archived")
	in := studio.ProjectInput{
		Name: b.Text("name"), ClientName: b.Text("clientName"), ClientEmail: b.Text("clientEmail"),
		Address: b.Text("address"), InternalNotes: b.Text("internalNotes"),
		StartDate: b.Text("startDate"), TargetDate: b.Text("targetDate"), Archived: b.Bool("archived"),
	}
	in.BudgetSet, in.BudgetCents = b.Cents("budgetCents")
	return in
}

func (s *Server) apiCreateProject(w http.ResponseWriter, r *http.Request) {
	b, err := readBody(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := &studio.Project{CreatedBy: userFrom(r.Context()).ID}
	in := projectInput(b)
	var archivedErr error
	if in.Archived != nil {
		archivedErr = studio.Invalid("archived", "A new project is active: archive it once it is created.")
	}
	if err := studio.Join(b.Err(), in.Apply(p, true), archivedErr); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.store.CreateProject(r.Context(), p); err != nil {
		s.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, p)
}

// pathID reads an id path value; a malformed one is simply not found.
func pathID(r *http.Request, what string) (string, error) {
	id := r.PathValue("id")
	if !validID(id) {
		return "", studio.Errorf(studio.ECodeNotFound, "%s not found.", what)
	}
	return id, nil
}

func (s *Server) apiProject(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "Project")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d, err := s.store.ProjectDetail(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, d)
}

func (s *Server) apiUpdateProject(w http.ResponseWriter, r *http.Request) {
	id, b, err := pathAndBody(w, r, "Project")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	in := projectInput(b)
	p, err := s.store.ChangeProject(r.Context(), id, userFrom(r.Context()).ID, func(p *studio.Project) error {
		return studio.Join(b.Err(), in.Apply(p, false))
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.live.Publish(r.Context(), p.ID)
	httpx.WriteJSON(w, http.StatusOK, p)
}

// roomInput reads a room's fields from a JSON body.
func roomInput(b *body) studio.RoomInput {
	b.Only("name", "hidden")
	return studio.RoomInput{Name: b.Text("name"), Hidden: b.Bool("hidden")}
}

func (s *Server) apiCreateRoom(w http.ResponseWriter, r *http.Request) {
	id, b, err := pathAndBody(w, r, "Project")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var room studio.Room
	in := roomInput(b)
	if err := studio.Join(b.Err(), in.Apply(&room, true)); err != nil {
		s.fail(w, r, err)
		return
	}
	created, err := s.store.AddRoom(r.Context(), id, room.Name, room.Hidden)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.live.Publish(r.Context(), id)
	httpx.WriteJSON(w, http.StatusCreated, created)
}

func (s *Server) apiUpdateRoom(w http.ResponseWriter, r *http.Request) {
	id, b, err := pathAndBody(w, r, "Room")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	in := roomInput(b)
	// Checked here against a stand-in so that every field's error comes at
	// once; the store applies it to the room itself.
	if err := studio.Join(b.Err(), in.Apply(&studio.Room{}, false)); err != nil {
		s.fail(w, r, err)
		return
	}
	room, err := s.store.UpdateRoom(r.Context(), id, in)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.live.Publish(r.Context(), room.ProjectID)
	httpx.WriteJSON(w, http.StatusOK, room)
}

// phaseChange reads a phase edit from a JSON body.
func phaseChange(b *body) studio.PhaseChange {
	b.Only("status", "assigneeId", "dueDate", "completedAt", "costCents", "internalNotes")
	ch := studio.PhaseChange{Status: b.Text("status"), AssigneeID: b.Text("assigneeId"), DueDate: b.Text("dueDate"),
		CompletedAt: b.Text("completedAt"), InternalNotes: b.Text("internalNotes")}
	ch.CostSet, ch.CostCents = b.Cents("costCents")
	return ch
}

func (s *Server) apiUpdatePhase(w http.ResponseWriter, r *http.Request) {
	id, b, err := pathAndBody(w, r, "Phase")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ch := phaseChange(b)
	ph, projectID, err := s.store.ChangePhase(r.Context(), id, userFrom(r.Context()).ID, func(ph *studio.Phase) error {
		return studio.Join(b.Err(), ch.Apply(ph, s.now()))
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.live.Publish(r.Context(), projectID)
	httpx.WriteJSON(w, http.StatusOK, ph)
}

func (s *Server) apiAddTeamMember(w http.ResponseWriter, r *http.Request) {
	id, b, err := pathAndBody(w, r, "Project")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	b.Only("userId", "role")
	m, err := studio.TeamInput{UserID: b.Required("userId"), Role: b.Required("role")}.Member(id)
	if err := studio.Join(b.Err(), err); err != nil {
		s.fail(w, r, err)
		return
	}
	if _, err := s.store.Project(r.Context(), id); err != nil {
		s.fail(w, r, err)
		return
	}
	u, err := s.store.User(r.Context(), m.UserID)
	if err != nil {
		s.fail(w, r, studio.Invalid("userId", "No such staff member."))
		return
	}
	m.Name, m.Email = u.Name, u.Email
	if err := s.store.AddTeamMember(r.Context(), m); err != nil {
		s.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, m)
}

func (s *Server) apiCreateComment(w http.ResponseWriter, r *http.Request) {
	id, b, err := pathAndBody(w, r, "Project")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	u := userFrom(r.Context())
	c := &studio.Comment{ProjectID: id, AuthorID: u.ID, AuthorName: u.Name}
	b.Only("body", "renderingId")
	in := studio.CommentInput{Body: b.Required("body"), RenderingID: b.Text("renderingId")}
	if err := studio.Join(b.Err(), in.Apply(c)); err != nil {
		s.fail(w, r, err)
		return
	}
	if _, err := s.store.Project(r.Context(), id); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.store.CreateComment(r.Context(), c); err != nil {
		s.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, c)
}

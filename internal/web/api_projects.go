package web

import (
	"net/http"
	"time"

	"atrium/internal/studio"
)

// Field length limits, in characters.
const (
	maxName  = 200
	maxText  = 5000
	maxNotes = 20000
)

func (s *Server) apiProjects(w http.ResponseWriter, r *http.Request) {
	list, err := s.store.Projects(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"projects": list})
}

// readProject applies the project fields of b onto p; create requires the
// name and the client's name.
func readProject(b *body, p *studio.Project, create bool) error {
	b.Only("name", "clientName", "clientEmail", "address", "budgetCents", "internalNotes", "startDate", "targetDate")
	if create {
		b.Required("name", &p.Name, maxName)
		b.Required("clientName", &p.ClientName, maxName)
	} else {
		b.String("name", &p.Name, maxName)
		b.String("clientName", &p.ClientName, maxName)
		if b.Err() == nil && (p.Name == "" || p.ClientName == "") {
			field := "name"
			if p.Name != "" {
				field = "clientName"
			}
			b.fail(field, "%s must not be empty.", field)
		}
	}
	b.Email("clientEmail", &p.ClientEmail)
	b.String("address", &p.Address, maxText)
	b.Cents("budgetCents", &p.BudgetCents)
	b.String("internalNotes", &p.InternalNotes, maxNotes)
	b.Date("startDate", &p.StartDate)
	b.Date("targetDate", &p.TargetDate)
	if b.Err() == nil && p.StartDate != "" && p.TargetDate != "" && p.TargetDate < p.StartDate {
		b.fail("targetDate", "targetDate must not be before startDate.")
	}
	return b.Err()
}

func (s *Server) apiCreateProject(w http.ResponseWriter, r *http.Request) {
	b, err := readBody(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := &studio.Project{CreatedBy: userFrom(r.Context()).ID}
	if err := readProject(b, p, true); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.store.CreateProject(r.Context(), p); err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, p)
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
	writeJSON(w, http.StatusOK, d)
}

func (s *Server) apiUpdateProject(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "Project")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	b, err := readBody(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p, err := s.store.Project(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := readProject(b, p, false); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.store.UpdateProject(r.Context(), p); err != nil {
		s.fail(w, r, err)
		return
	}
	s.live.Publish(r.Context(), p.ID)
	writeJSON(w, http.StatusOK, p)
}

func (s *Server) apiCreateRoom(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "Project")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	b, err := readBody(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var name string
	b.Only("name")
	b.Required("name", &name, maxName)
	if err := b.Err(); err != nil {
		s.fail(w, r, err)
		return
	}
	room, err := s.store.CreateRoom(r.Context(), id, name)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.live.Publish(r.Context(), id)
	writeJSON(w, http.StatusCreated, room)
}

func (s *Server) apiUpdateRoom(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "Room")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	b, err := readBody(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var name string
	b.Only("name")
	b.Required("name", &name, maxName)
	if err := b.Err(); err != nil {
		s.fail(w, r, err)
		return
	}
	room, err := s.store.RenameRoom(r.Context(), id, name)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.live.Publish(r.Context(), room.ProjectID)
	writeJSON(w, http.StatusOK, room)
}

// minCompletedAt is the earliest completion date taken: older is a typo.
const minCompletedAt = "2000-01-01"

// applyPhase applies a phase patch. Setting completed stamps completedAt
// (today, unless given: from minCompletedAt to today, UTC); leaving
// completed clears it.
func applyPhase(b *body, ph *studio.Phase, today string) error {
	b.Only("status", "assigneeId", "dueDate", "completedAt", "costCents", "internalNotes")
	var status string
	b.String("status", &status, 20)
	if b.Err() == nil && b.Has("status") {
		st := studio.PhaseStatus(status)
		if !st.Valid() {
			b.fail("status", "status must be one of not_started, in_progress, completed, skipped.")
			return b.Err()
		}
		if st == studio.StatusCompleted && ph.Status != studio.StatusCompleted {
			ph.CompletedAt = today
		}
		ph.Status = st
	}
	if b.Err() == nil && b.Has("completedAt") {
		var date string
		b.Date("completedAt", &date)
		if b.Err() == nil && date != "" && ph.Status != studio.StatusCompleted {
			b.fail("completedAt", "completedAt can only be set on a completed phase.")
		}
		// Dates are YYYY-MM-DD, so text order is date order.
		if b.Err() == nil && date != "" && date > today {
			b.fail("completedAt", "completedAt cannot be in the future (after %s, UTC).", today)
		}
		if b.Err() == nil && date != "" && date < minCompletedAt {
			b.fail("completedAt", "completedAt cannot be before %s.", minCompletedAt)
		}
		if b.Err() == nil && date != "" {
			ph.CompletedAt = date
		}
	}
	if ph.Status != studio.StatusCompleted {
		ph.CompletedAt = ""
	}
	if b.Has("assigneeId") {
		var assignee string
		b.String("assigneeId", &assignee, 64)
		if b.Err() == nil && assignee != "" && !validID(assignee) {
			b.fail("assigneeId", "No such staff member.")
		}
		ph.AssigneeID = assignee
	}
	b.Date("dueDate", &ph.DueDate)
	b.Cents("costCents", &ph.CostCents)
	b.String("internalNotes", &ph.InternalNotes, maxNotes)
	return b.Err()
}

func (s *Server) apiUpdatePhase(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "Phase")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	b, err := readBody(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ph, projectID, err := s.store.Phase(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := applyPhase(b, ph, s.now().UTC().Format(time.DateOnly)); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.store.UpdatePhase(r.Context(), ph, projectID); err != nil {
		s.fail(w, r, err)
		return
	}
	s.live.Publish(r.Context(), projectID)
	writeJSON(w, http.StatusOK, ph)
}

func (s *Server) apiAddTeamMember(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "Project")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	b, err := readBody(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	m := &studio.TeamMember{ProjectID: id}
	b.Only("userId", "role")
	b.Required("userId", &m.UserID, 64)
	b.Required("role", &m.Role, maxName)
	if err := b.Err(); err != nil {
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
	writeJSON(w, http.StatusCreated, m)
}

func (s *Server) apiCreateComment(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "Project")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	b, err := readBody(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	u := userFrom(r.Context())
	c := &studio.Comment{ProjectID: id, AuthorID: u.ID, AuthorName: u.Name}
	b.Only("body", "renderingId")
	b.Required("body", &c.Body, maxText)
	b.String("renderingId", &c.RenderingID, 64)
	if err := b.Err(); err != nil {
		s.fail(w, r, err)
		return
	}
	if c.RenderingID != "" && !validID(c.RenderingID) {
		s.fail(w, r, studio.Invalid("renderingId", "No such rendering in this project."))
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
	writeJSON(w, http.StatusCreated, c)
}

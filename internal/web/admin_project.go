package web

import (
	"net/http"
	"net/url"
	"time"

	"atrium/internal/studio"
)

// projectView is the staff project page: header, rooms × phases, renderings,
// client access, team and comments.
type projectView struct {
	adminPage
	P               *studio.ProjectDetail
	Staff           []studio.User
	StaffNames      map[string]string
	RoomNames       map[string]string
	RenderingTitles map[string]string
	Links           []linkView
	LinkForm        linkFormView
	Uploaded        string // id of a rendering just uploaded (highlighted)
	MaxUpload       string
	Today           string
}

func (s *Server) adminProject(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "Project")
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	s.renderProject(w, r, id, http.StatusOK, nil)
}

// renderProject shows the project page; form is the failed submission to
// show again, if any.
func (s *Server) renderProject(w http.ResponseWriter, r *http.Request, id string, status int, form *adminForm) {
	ctx := r.Context()
	d, err := s.store.ProjectDetail(ctx, id)
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	staff, err := s.store.Users(ctx)
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	links, err := s.linkViews(r, d.ID)
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	v := &projectView{
		P:               d,
		Staff:           staff,
		StaffNames:      map[string]string{},
		RoomNames:       map[string]string{},
		RenderingTitles: map[string]string{},
		Links:           links,
		LinkForm:        newLinkForm(form),
		MaxUpload:       humanSize(s.cfg.MaxUploadBytes),
		Today:           s.now().UTC().Format(time.DateOnly),
	}
	for _, u := range staff {
		v.StaffNames[u.ID] = u.Name
	}
	for _, room := range d.Rooms {
		v.RoomNames[room.ID] = room.Name
	}
	for _, rd := range d.Renderings {
		v.RenderingTitles[rd.ID] = rd.Title
	}
	if up := r.URL.Query().Get("uploaded"); validID(up) {
		for _, rd := range d.Renderings {
			if rd.ID == up {
				v.Uploaded = up
				v.Flash = &adminFlash{Kind: "ok", Text: "“" + rd.Title + "” uploaded as a draft."}
			}
		}
	}
	v.Title, v.Nav, v.Form = d.Name, "projects", form
	s.adminRender(w, r, status, "admin_project.html", v)
}

func projectURL(id, anchor string) string {
	u := "/admin/projects/" + id
	if anchor != "" {
		u += "#" + anchor
	}
	return u
}

func (s *Server) adminUpdateProject(w http.ResponseWriter, r *http.Request) {
	id, err := pathAndForm(w, r, "Project")
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	p, err := s.store.Project(r.Context(), id)
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	b := formBody(r.PostForm, projectFields...)
	moneyErr := setMoney(b, r.PostForm, "budget", "budgetCents")
	err = readProject(b, p, false)
	if err == nil {
		err = moneyErr
	}
	if err == nil {
		err = s.store.UpdateProject(r.Context(), p)
	}
	if err != nil {
		s.renderProject(w, r, id, formStatus(err), s.failedForm(r, "project", r.PostForm, err, projectLabels))
		return
	}
	s.live.Publish(r.Context(), p.ID)
	s.redirect(w, r, projectURL(id, ""), "Project details saved.")
}

var roomLabels = map[string]string{"name": "Room name"}

func (s *Server) adminCreateRoom(w http.ResponseWriter, r *http.Request) {
	id, err := pathAndForm(w, r, "Project")
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	var name string
	b := formBody(r.PostForm, "name")
	b.Required("name", &name, maxName)
	err = b.Err()
	var room *studio.Room
	if err == nil {
		room, err = s.store.CreateRoom(r.Context(), id, name)
	}
	if err != nil {
		if studio.ErrorCode(err) == studio.ECodeNotFound {
			s.adminError(w, r, err)
			return
		}
		s.renderProject(w, r, id, formStatus(err), s.failedForm(r, "room", r.PostForm, err, roomLabels))
		return
	}
	s.live.Publish(r.Context(), id)
	s.redirect(w, r, projectURL(id, "room-"+room.ID), "Room “"+room.Name+"” added with its five phases.")
}

func (s *Server) adminRenameRoom(w http.ResponseWriter, r *http.Request) {
	id, err := pathAndForm(w, r, "Room")
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	projectID := r.PostForm.Get("projectId")
	var name string
	b := formBody(r.PostForm, "name")
	b.Required("name", &name, maxName)
	err = b.Err()
	var room *studio.Room
	if err == nil {
		room, err = s.store.RenameRoom(r.Context(), id, name)
	}
	if err != nil {
		if !validID(projectID) || studio.ErrorCode(err) == studio.ECodeNotFound {
			s.adminError(w, r, err)
			return
		}
		s.renderProject(w, r, projectID, formStatus(err), s.failedForm(r, "room:"+id, r.PostForm, err, roomLabels))
		return
	}
	s.live.Publish(r.Context(), room.ProjectID)
	s.redirect(w, r, projectURL(room.ProjectID, "room-"+room.ID), "Room renamed to “"+room.Name+"”.")
}

var phaseLabels = map[string]string{
	"status":      "Status",
	"assigneeId":  "Assignee",
	"dueDate":     "Due date",
	"completedAt": "Completed on",
}

func (s *Server) adminUpdatePhase(w http.ResponseWriter, r *http.Request) {
	id, err := pathAndForm(w, r, "Phase")
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	ph, projectID, err := s.store.Phase(r.Context(), id)
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	// The completion date input stays on the form whatever the status; it
	// only means something for a completed phase.
	fields := url.Values{}
	for k, v := range r.PostForm {
		fields[k] = v
	}
	if fields.Get("status") != string(studio.StatusCompleted) {
		fields.Del("completedAt")
	}
	b := formBody(fields, "status", "assigneeId", "dueDate", "completedAt")
	err = applyPhase(b, ph, s.now().UTC().Format(time.DateOnly))
	if err == nil {
		err = s.store.UpdatePhase(r.Context(), ph, projectID)
	}
	if err != nil {
		s.renderProject(w, r, projectID, formStatus(err), s.failedForm(r, "phase:"+id, r.PostForm, err, phaseLabels))
		return
	}
	s.live.Publish(r.Context(), projectID)
	s.redirect(w, r, projectURL(projectID, "room-"+ph.RoomID), ph.Kind.Name()+" saved: "+ph.Status.Label()+".")
}

var teamLabels = map[string]string{"userId": "Staff member", "role": "Role on the project"}

func (s *Server) adminAddTeamMember(w http.ResponseWriter, r *http.Request) {
	id, err := s.projectForm(w, r)
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	m := &studio.TeamMember{ProjectID: id}
	b := formBody(r.PostForm, "userId", "role")
	b.Required("userId", &m.UserID, 64)
	b.Required("role", &m.Role, maxName)
	err = b.Err()
	if err == nil {
		var u *studio.User
		if u, err = s.store.User(r.Context(), m.UserID); err != nil {
			err = studio.Invalid("userId", "Choose a staff member.")
		} else {
			m.Name = u.Name
			err = s.store.AddTeamMember(r.Context(), m)
		}
	}
	if err != nil {
		s.renderProject(w, r, id, formStatus(err), s.failedForm(r, "team", r.PostForm, err, teamLabels))
		return
	}
	s.redirect(w, r, projectURL(id, "team"), m.Name+" is on the team as "+m.Role+".")
}

var commentLabels = map[string]string{"body": "Comment", "renderingId": "Rendering"}

func (s *Server) adminCreateComment(w http.ResponseWriter, r *http.Request) {
	id, err := s.projectForm(w, r)
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	u := userFrom(r.Context())
	c := &studio.Comment{ProjectID: id, AuthorID: u.ID, AuthorName: u.Name}
	b := formBody(r.PostForm, "body", "renderingId")
	b.Required("body", &c.Body, maxText)
	b.String("renderingId", &c.RenderingID, 64)
	err = b.Err()
	if err == nil && c.RenderingID != "" && !validID(c.RenderingID) {
		err = studio.Invalid("renderingId", "No such rendering in this project.")
	}
	if err == nil {
		err = s.store.CreateComment(r.Context(), c)
	}
	if err != nil {
		s.renderProject(w, r, id, formStatus(err), s.failedForm(r, "comment", r.PostForm, err, commentLabels))
		return
	}
	s.redirect(w, r, projectURL(id, "comment-"+c.ID), "Comment added.")
}

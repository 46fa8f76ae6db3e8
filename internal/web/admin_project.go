package web

import (
	"errors"
	"net/http"
	"net/url"
	"time"

	"atrium/internal/studio"
)

// projectView is the staff project page: header, rooms × phases, renderings,
// client access, team and comments.
type projectView struct {
	adminChrome
	P               *studio.ProjectDetail
	Staff           []studio.User
	StaffNames      map[string]string
	RoomNames       map[string]string
	RenderingTitles map[string]string
	Links           []linkView
	LinkForm        linkFormView
	Uploaded        string // id of a rendering just uploaded (highlighted)
	MaxUpload       string
	MaxUploadBytes  int64 // for admin.js: a larger file fails at once, unsent
	Today           string
	Feedback        feedbackPart
	Money           money  // the studio's currency and locale
	StudioName      string // how replies are signed on the client page
	Activity        []studio.Activity
	ActivityTotal   int
}

func (s *Server) adminProject(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "Project")
	if err != nil {
		s.fail(w, r, err)
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
		s.fail(w, r, err)
		return
	}
	staff, err := s.store.Users(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	links, err := s.linkViews(r, d.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	settings, err := s.store.Settings(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	activity, activityTotal, err := s.store.ProjectActivity(ctx, id, 1)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := &projectView{
		Activity:        activity[:min(len(activity), recentActivity)],
		ActivityTotal:   activityTotal,
		P:               d,
		Staff:           staff,
		StaffNames:      map[string]string{},
		RoomNames:       map[string]string{},
		RenderingTitles: map[string]string{},
		Links:           links,
		LinkForm:        newLinkForm(form),
		MaxUpload:       humanSize(s.cfg.MaxUploadBytes),
		MaxUploadBytes:  s.cfg.MaxUploadBytes,
		Today:           s.now().UTC().Format(time.DateOnly),
		Feedback:        newFeedbackPart(d),
		StudioName:      settings.Name,
		Money:           moneyOf(settings),
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

// projectPage shows the project page again with a failed form (fail).
func (s *Server) projectPage(id string) func(http.ResponseWriter, *http.Request, int, *adminForm) {
	return func(w http.ResponseWriter, r *http.Request, status int, form *adminForm) {
		s.renderProject(w, r, id, status, form)
	}
}

// projectFormInput reads the project form: the fields of the API, with the
// budget as money ("12,500.50") in place of cents.
func projectFormInput(form url.Values, m money) (studio.ProjectInput, error) {
	in := studio.ProjectInput{
		Name: formText(form, "name"), ClientName: formText(form, "clientName"), ClientEmail: formText(form, "clientEmail"),
		Address: formText(form, "address"), InternalNotes: formText(form, "internalNotes"),
		StartDate: formText(form, "startDate"), TargetDate: formText(form, "targetDate"),
	}
	var err error
	in.BudgetSet, in.BudgetCents, err = formMoney(form, "budget", "budgetCents", m)
	return in, err
}

func (s *Server) adminUpdateProject(w http.ResponseWriter, r *http.Request) {
	id, err := pathAndForm(w, r, "Project")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	settings, err := s.store.Settings(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	in, moneyErr := projectFormInput(r.PostForm, moneyOf(settings))
	p, err := s.store.ChangeProject(r.Context(), id, userFrom(r.Context()).ID, func(p *studio.Project) error {
		return studio.Join(in.Apply(p, false), moneyErr)
	})
	if p == nil && err != nil {
		s.fail(w, r, err)
		return
	}
	if err != nil {
		s.fail(w, r, err, formPage{Name: "project", Values: r.PostForm, Labels: projectLabels, Render: s.projectPage(id)})
		return
	}
	s.live.Publish(r.Context(), p.ID)
	s.redirect(w, r, projectURL(id, ""), "Project details saved.")
}

var roomLabels = map[string]string{"name": "Room name"}

func (s *Server) adminCreateRoom(w http.ResponseWriter, r *http.Request) {
	id, err := pathAndForm(w, r, "Project")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// The checkbox "Keep hidden from the client for now" sends true.
	hidden := r.PostForm.Get("hidden") == "true"
	name, err := studio.RoomName(formText(r.PostForm, "name"))
	var room *studio.Room
	if err == nil {
		room, err = s.store.AddRoom(r.Context(), id, name, hidden)
	}
	if err != nil {
		s.fail(w, r, err, formPage{Name: "room", Values: r.PostForm, Labels: roomLabels, Render: s.projectPage(id)})
		return
	}
	s.live.Publish(r.Context(), id)
	msg := "Room “" + room.Name + "” added with its five phases."
	if hidden {
		msg = "Room “" + room.Name + "” added with its five phases, hidden from the client."
	}
	s.redirect(w, r, projectURL(id, "room-"+room.ID), msg)
}

func (s *Server) adminRenameRoom(w http.ResponseWriter, r *http.Request) {
	id, err := pathAndForm(w, r, "Room")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	projectID := r.PostForm.Get("projectId")
	name, err := studio.RoomName(formText(r.PostForm, "name"))
	var room *studio.Room
	if err == nil {
		room, err = s.store.RenameRoom(r.Context(), id, name)
	}
	if err != nil {
		if !validID(projectID) {
			s.fail(w, r, err)
			return
		}
		s.fail(w, r, err, formPage{Name: "room:" + id, Values: r.PostForm, Labels: roomLabels, Render: s.projectPage(projectID)})
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
		s.fail(w, r, err)
		return
	}
	ph, projectID, err := s.store.Phase(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := r.PostForm
	ch := studio.PhaseChange{Status: formText(f, "status"), AssigneeID: formText(f, "assigneeId"), DueDate: formText(f, "dueDate")}
	// The completion date input stays on the form whatever the status; it
	// only means something for a completed phase.
	if f.Get("status") == string(studio.StatusCompleted) {
		ch.CompletedAt = formText(f, "completedAt")
	}
	err = ch.Apply(ph, s.now())
	if err == nil {
		err = s.store.UpdatePhase(r.Context(), ph, projectID, userFrom(r.Context()).ID)
	}
	if err != nil {
		// Shown again in the room's phases form, under its field names.
		prefix := id + "."
		values, labels := url.Values{}, map[string]string{}
		for k, v := range f {
			values[prefix+k] = v
		}
		for k, v := range phaseLabels {
			labels[prefix+k] = v
		}
		if se := (*studio.Error)(nil); errors.As(err, &se) && se.Code == studio.ECodeInvalidInput {
			err = joinPhaseError(nil, se, prefix)
		}
		s.fail(w, r, err, formPage{Name: "phases:" + ph.RoomID, Values: values, Labels: labels, Render: s.projectPage(projectID)})
		return
	}
	s.live.Publish(r.Context(), projectID)
	s.redirect(w, r, projectURL(projectID, "room-"+ph.RoomID), ph.Kind.Name()+" saved: "+ph.Status.Label()+".")
}

var teamLabels = map[string]string{"userId": "Staff member", "role": "Role on the project"}

func (s *Server) adminAddTeamMember(w http.ResponseWriter, r *http.Request) {
	id, err := s.projectForm(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	m, err := studio.TeamInput{UserID: formText(r.PostForm, "userId"), Role: formText(r.PostForm, "role")}.Member(id)
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
		s.fail(w, r, err, formPage{Name: "team", Values: r.PostForm, Labels: teamLabels, Render: s.projectPage(id)})
		return
	}
	s.redirect(w, r, projectURL(id, "team"), m.Name+" is on the team as "+m.Role+".")
}

var commentLabels = map[string]string{"body": "Comment", "renderingId": "Rendering"}

func (s *Server) adminCreateComment(w http.ResponseWriter, r *http.Request) {
	id, err := s.projectForm(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	u := userFrom(r.Context())
	c := &studio.Comment{ProjectID: id, AuthorID: u.ID, AuthorName: u.Name}
	err = studio.CommentInput{Body: formText(r.PostForm, "body"), RenderingID: formText(r.PostForm, "renderingId")}.Apply(c)
	if err == nil {
		err = s.store.CreateComment(r.Context(), c)
	}
	if err != nil {
		s.fail(w, r, err, formPage{Name: "comment", Values: r.PostForm, Labels: commentLabels, Render: s.projectPage(id)})
		return
	}
	s.redirect(w, r, projectURL(id, "comment-"+c.ID), "Comment added.")
}

package web

import (
	"net/http"

	"atrium/internal/studio"
)

// projectLabels name the project form's fields for people.
var projectLabels = map[string]string{
	"name":          "Project name",
	"clientName":    "Client name",
	"clientEmail":   "Client email",
	"address":       "Address",
	"budgetCents":   "Budget",
	"internalNotes": "Internal notes",
	"startDate":     "Start date",
	"targetDate":    "Target date",
}

type projectsView struct {
	adminChrome
	Projects []studio.Project
}

func (s *Server) adminHome(w http.ResponseWriter, r *http.Request) {
	s.renderProjects(w, r, http.StatusOK, nil)
}

func (s *Server) renderProjects(w http.ResponseWriter, r *http.Request, status int, form *adminForm) {
	list, err := s.store.Projects(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := &projectsView{Projects: list}
	v.Title, v.Nav, v.Form = "Projects", "projects", form
	s.adminRender(w, r, status, "admin_projects.html", v)
}

func (s *Server) adminCreateProject(w http.ResponseWriter, r *http.Request) {
	if err := parseAdminForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	settings, err := s.store.Settings(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	in, moneyErr := projectFormInput(r.PostForm, moneyOf(settings))
	p := &studio.Project{CreatedBy: userFrom(r.Context()).ID}
	err = studio.Join(in.Apply(p, true), moneyErr)
	if err == nil {
		err = s.store.CreateProject(r.Context(), p)
	}
	if err != nil {
		s.fail(w, r, err, formPage{Name: "project", Values: r.PostForm, Labels: projectLabels, Render: s.renderProjects})
		return
	}
	s.redirect(w, r, "/admin/projects/"+p.ID, "Project “"+p.Name+"” created. Add its rooms to start tracking progress.")
}

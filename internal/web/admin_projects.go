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
	Find     projectFind
}

func (s *Server) adminHome(w http.ResponseWriter, r *http.Request) {
	s.renderProjects(w, r, http.StatusOK, nil)
}

// renderProjects shows the project list as the URL's query asks (the
// API's parameters: admin_projects_find.go), and the new project form.
func (s *Server) renderProjects(w http.ResponseWriter, r *http.Request, status int, form *adminForm) {
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
	v := &projectsView{Projects: list, Find: newProjectFind(q, total)}
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

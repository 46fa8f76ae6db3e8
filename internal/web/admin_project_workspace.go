package web

import (
	"net/http"
	"strconv"

	"atrium/internal/studio"
)

// Archiving a project and reading its activity trail from the admin UI.
// Designers and admins may do both (README, Roles).

// recentActivity is how many entries of the trail the project page shows;
// the rest is on the trail's own pages (adminProjectActivity).
const recentActivity = 8

// archiveConfirmView asks before archiving or unarchiving a project, for
// browsers without JavaScript (admin.js asks with confirm() instead).
type archiveConfirmView struct {
	adminChrome
	P       *studio.Project
	Archive bool
}

// adminArchiveProject archives (archived=true) or unarchives a project.
// Without confirmed=1 it shows a confirmation page first.
func (s *Server) adminArchiveProject(w http.ResponseWriter, r *http.Request) {
	id, err := pathAndForm(w, r, "Project")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p, err := s.store.Project(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	archive, err := formTrueFalse(r.PostForm, "archived")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if r.PostForm.Get("confirmed") != "1" {
		v := &archiveConfirmView{P: p, Archive: archive}
		v.Title, v.Nav = "Archive project", "projects"
		if !archive {
			v.Title = "Unarchive project"
		}
		s.adminRender(w, r, http.StatusOK, "admin_project_archive.html", v)
		return
	}
	if p, err = s.store.ChangeProject(r.Context(), id, userFrom(r.Context()).ID, func(p *studio.Project) error {
		p.Archived = archive
		return nil
	}); err != nil {
		s.fail(w, r, err)
		return
	}
	msg := "“" + p.Name + "” is archived: it has left the list of active projects. Its client links keep working until you deactivate them."
	if !archive {
		msg = "“" + p.Name + "” is active again."
	}
	s.redirect(w, r, projectURL(id, ""), msg)
}

// activityView is a page of a project's activity trail.
type activityView struct {
	adminChrome
	P        *studio.Project
	Activity []studio.Activity
	Total    int
	Page     int
	Pages    int
	Prev     string
	Next     string
}

// adminProjectActivity shows a page (?page=N) of a project's trail.
func (s *Server) adminProjectActivity(w http.ResponseWriter, r *http.Request) {
	id, page, list, total, err := s.projectActivity(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p, err := s.store.Project(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q := studio.ProjectQuery{Page: page, PerPage: studio.ActivityPerPage}
	v := &activityView{P: p, Activity: list, Total: total, Page: page, Pages: q.Pages(total)}
	base := "/admin/projects/" + id + "/activity"
	if page > 1 {
		v.Prev = base + "?page=" + strconv.Itoa(min(page-1, v.Pages))
	}
	if page < v.Pages {
		v.Next = base + "?page=" + strconv.Itoa(page+1)
	}
	v.Title, v.Nav = "Activity · "+p.Name, "projects"
	s.adminRender(w, r, http.StatusOK, "admin_project_activity.html", v)
}

package web

import (
	"net/http"
	"strconv"

	"atrium/internal/httpx"
	"atrium/internal/studio"
)

// apiProjectActivity answers a page of a project's activity trail, newest
// first (studio.ActivityPerPage a page). Staff only, like every /api route
// but the client's.
func (s *Server) apiProjectActivity(w http.ResponseWriter, r *http.Request) {
	_, _, list, total, err := s.projectActivity(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"activity": list, "total": total, "perPage": studio.ActivityPerPage})
}

// projectActivity reads the project (path) and page (?page=) a request
// names, and that page of the project's trail with the number of entries.
func (s *Server) projectActivity(r *http.Request) (id string, page int, list []studio.Activity, total int, err error) {
	if id, err = pathID(r, "Project"); err != nil {
		return "", 0, nil, 0, err
	}
	if page, err = activityPage(r, "page"); err != nil {
		return "", 0, nil, 0, err
	}
	list, total, err = s.store.ProjectActivity(r.Context(), id, page)
	return id, page, list, total, err
}

// activityPage reads the trail's page number from the named query
// parameter: 1 when absent.
func activityPage(r *http.Request, name string) (int, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 1_000_000 {
		return 0, studio.Invalid(name, "%s must be a whole number from 1.", name)
	}
	return n, nil
}

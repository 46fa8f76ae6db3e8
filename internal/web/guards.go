package web

import (
	"context"
	"net/http"
	"net/url"

	"atrium/internal/studio"
)

// The guards of routes.go: every route that needs a staff member names one.
// staffAPI and adminAPI answer in JSON (401, 403); staffPage and adminPage
// send anyone not signed in to the sign-in form and show designers a 403
// page.

// staffAPI lets signed-in staff through and answers 401 to anyone else.
func (s *Server) staffAPI(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		u, _ := s.sessionUser(r)
		if u == nil {
			s.fail(w, r, studio.Errorf(studio.ECodeUnauthenticated, "Sign in first."))
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		h(w, r.WithContext(context.WithValue(r.Context(), userKey, u)))
	}
}

// adminAPI lets only admins through; others get 403.
func (s *Server) adminAPI(h http.HandlerFunc) http.HandlerFunc {
	return s.staffAPI(func(w http.ResponseWriter, r *http.Request) {
		if userFrom(r.Context()).Role != studio.RoleAdmin {
			s.fail(w, r, studio.Errorf(studio.ECodeForbidden, "Only an admin can do this."))
			return
		}
		h(w, r)
	})
}

// staffPage lets signed-in staff through to an admin page and sends
// anyone else to the sign-in form, remembering where they were going.
func (s *Server) staffPage(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		u, _ := s.sessionUser(r)
		if u == nil {
			to := "/login"
			if r.Method == http.MethodGet && r.URL.Path != "/admin" {
				to += "?next=" + url.QueryEscape(r.URL.RequestURI())
			}
			http.Redirect(w, r, to, http.StatusSeeOther)
			return
		}
		h(w, r.WithContext(context.WithValue(r.Context(), userKey, u)))
	}
}

// adminPage lets only admins through; designers get a 403 page.
func (s *Server) adminPage(h http.HandlerFunc) http.HandlerFunc {
	return s.staffPage(func(w http.ResponseWriter, r *http.Request) {
		if userFrom(r.Context()).Role != studio.RoleAdmin {
			s.fail(w, r, studio.Errorf(studio.ECodeForbidden, "Only a studio admin can open this page."))
			return
		}
		h(w, r)
	})
}

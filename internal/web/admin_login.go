package web

import (
	"net/http"
	"strings"

	"atrium/internal/studio"
)

type loginView struct {
	adminChrome
	Studio string // the studio's name, when it has one
	Email  string
	Next   string
	Error  string
}

// safeNext keeps a post-login destination only if it is an admin page of
// this site, so that /login?next= cannot send anyone elsewhere.
func safeNext(next string) string {
	if next == "/admin" || strings.HasPrefix(next, "/admin/") && !strings.HasPrefix(next, "//") && !strings.Contains(next, "\\") {
		return next
	}
	return "/admin"
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	next := safeNext(r.URL.Query().Get("next"))
	if u, _ := s.sessionUser(r); u != nil {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	v := s.newLoginView(r)
	v.Next = next
	s.adminRender(w, r, http.StatusOK, "login.html", v)
}

func (s *Server) newLoginView(r *http.Request) *loginView {
	v := &loginView{}
	v.Title = "Sign in"
	if st, err := s.store.Settings(r.Context()); err == nil {
		v.Studio = st.Name
	}
	return v
}

func (s *Server) loginSubmit(w http.ResponseWriter, r *http.Request) {
	v := s.newLoginView(r)
	// A refusal shows the page again, its message above the form.
	page := formPage{Name: "login", Render: func(w http.ResponseWriter, r *http.Request, status int, form *adminForm) {
		v.Error = form.Errors[""]
		s.adminRender(w, r, status, "login.html", v)
	}}
	if err := parseAdminForm(w, r); err != nil {
		s.fail(w, r, err, page)
		return
	}
	v.Email = strings.TrimSpace(r.PostForm.Get("email"))
	v.Next = safeNext(r.PostForm.Get("next"))
	password := r.PostForm.Get("password")
	var err error
	switch {
	case v.Email == "" || password == "":
		err = studio.Errorf(studio.ECodeInvalidInput, "Enter your email and password.")
	case studio.CheckText("email", v.Email) != nil:
		v.Email = ""
		err = studio.Errorf(studio.ECodeInvalidInput, "The email must be UTF-8 text without NUL characters.")
	case studio.CheckText("password", password) != nil:
		err = studio.Errorf(studio.ECodeInvalidInput, "The password must be UTF-8 text without NUL characters.")
	default:
		_, err = s.login(w, r, v.Email, password)
	}
	if err != nil {
		s.fail(w, r, err, page)
		return
	}
	http.Redirect(w, r, v.Next, http.StatusSeeOther)
}

func (s *Server) logoutSubmit(w http.ResponseWriter, r *http.Request) {
	if err := s.logout(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/login", "You are signed out.")
}

func (s *Server) adminNotFound(w http.ResponseWriter, r *http.Request) {
	s.fail(w, r, studio.Errorf(studio.ECodeNotFound, "There is no such page. It may have been moved, or the address was mistyped."))
}

// adminRoot sends the bare site address to the admin (and so to sign-in):
// clients only ever open their own link.
func (s *Server) adminRoot(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, "/admin", http.StatusSeeOther)
}

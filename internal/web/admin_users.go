package web

import (
	"net/http"

	"atrium/internal/store"
	"atrium/internal/studio"
)

// The lifecycle of staff accounts on /admin/users (admin only): name and
// role, a new password, disable (asked first) and enable; and the page on
// which everyone changes their own password. The forms go through the
// validators of PATCH /api/users/{id} and POST /api/session/password.

var (
	userEditLabels     = map[string]string{"name": "Name", "role": "Role"}
	userPasswordLabels = map[string]string{"password": "New password"}
	ownPasswordLabels  = map[string]string{"currentPassword": "Current password", "newPassword": "New password",
		"newPasswordAgain": "New password again"}
)

// adminUserFailed re-renders the staff page with a form's error, or shows
// the error page when there is no such account.
func (s *Server) adminUserFailed(w http.ResponseWriter, r *http.Request, form string, err error, values map[string][]string, labels map[string]string) {
	if studio.ErrorCode(err) == studio.ECodeNotFound {
		s.adminError(w, r, err)
		return
	}
	s.renderUsers(w, r, formStatus(err), s.failedForm(r, form, values, err, labels))
}

func (s *Server) adminUpdateUser(w http.ResponseWriter, r *http.Request) {
	id, err := pathAndForm(w, r, "User")
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	u, err := s.updateUser(r, id, formBody(r.PostForm, "name", "role"))
	if err != nil {
		s.adminUserFailed(w, r, "edit:"+id, err, r.PostForm, userEditLabels)
		return
	}
	s.redirect(w, r, "/admin/users", u.Name+" is saved.")
}

func (s *Server) adminResetPassword(w http.ResponseWriter, r *http.Request) {
	id, err := pathAndForm(w, r, "User")
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	b := formBody(r.PostForm, "password")
	if !b.Has("password") {
		b.fail("password", "password is required.")
	}
	u, err := s.updateUser(r, id, b)
	if err != nil {
		s.adminUserFailed(w, r, "password:"+id, err, nil, userPasswordLabels)
		return
	}
	s.redirect(w, r, "/admin/users", "New password set for "+u.Name+". Their sessions have ended; share the password privately.")
}

// adminDisableUser disables an account, ending its sessions. Without
// confirmed=1 it first shows a confirmation page (admin.js asks with
// confirm() instead and adds the field).
func (s *Server) adminDisableUser(w http.ResponseWriter, r *http.Request) {
	id, err := pathAndForm(w, r, "User")
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	u, err := s.store.User(r.Context(), id)
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	if r.PostForm.Get("confirmed") != "1" {
		v := &userConfirmView{Account: u}
		v.Title, v.Nav = "Disable account", "users"
		s.adminRender(w, r, http.StatusOK, "admin_user_disable.html", v)
		return
	}
	s.setUserDisabled(w, r, id, true)
}

func (s *Server) adminEnableUser(w http.ResponseWriter, r *http.Request) {
	id, err := pathAndForm(w, r, "User")
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	s.setUserDisabled(w, r, id, false)
}

func (s *Server) setUserDisabled(w http.ResponseWriter, r *http.Request, id string, disabled bool) {
	u, err := s.store.UpdateUser(r.Context(), id, store.UserChange{Disabled: &disabled})
	if err != nil {
		s.adminUserFailed(w, r, "state:"+id, err, nil, map[string]string{})
		return
	}
	if disabled {
		s.redirect(w, r, "/admin/users", u.Name+" is disabled and signed out everywhere.")
		return
	}
	s.redirect(w, r, "/admin/users", u.Name+" can sign in again.")
}

type userConfirmView struct {
	adminPage
	Account *studio.User
}

// The "change my password" page, for every signed-in user.

func (s *Server) adminPasswordPage(w http.ResponseWriter, r *http.Request) {
	s.renderOwnPassword(w, r, http.StatusOK, nil)
}

func (s *Server) renderOwnPassword(w http.ResponseWriter, r *http.Request, status int, form *adminForm) {
	v := &adminPage{Title: "Change your password", Form: form}
	s.adminRender(w, r, status, "admin_password.html", v)
}

func (s *Server) adminChangePassword(w http.ResponseWriter, r *http.Request) {
	if err := parseAdminForm(w, r); err != nil {
		s.adminError(w, r, err)
		return
	}
	var err error
	if r.PostForm.Get("newPassword") != r.PostForm.Get("newPasswordAgain") {
		err = studio.Invalid("newPasswordAgain", "The new passwords do not match. Type the same one twice.")
	} else {
		err = s.changeOwnPassword(w, r, formBody(r.PostForm, "currentPassword", "newPassword"))
	}
	if err != nil {
		// Never send a password back into the page.
		s.renderOwnPassword(w, r, formStatus(err), s.failedForm(r, "password", nil, err, ownPasswordLabels))
		return
	}
	s.redirect(w, r, "/admin", "Your password is changed. You stay signed in here; your other sessions have ended.")
}

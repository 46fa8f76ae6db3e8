package web

import (
	"net/http"
	"net/url"

	"atrium/internal/auth"
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

// usersForm is the staff page's form of that name, for fail.
func (s *Server) usersForm(name string, values url.Values, labels map[string]string) formPage {
	return formPage{Name: name, Values: values, Labels: labels, Render: s.renderUsers}
}

func (s *Server) adminUpdateUser(w http.ResponseWriter, r *http.Request) {
	id, err := pathAndForm(w, r, "User")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	edit := studio.UserEdit{Name: formText(r.PostForm, "name"), Role: formText(r.PostForm, "role")}
	u, err := s.updateUser(r, id, edit, nil)
	if err != nil {
		s.fail(w, r, err, s.usersForm("edit:"+id, r.PostForm, userEditLabels))
		return
	}
	s.redirect(w, r, "/admin/users#user-"+u.ID, u.Name+" is saved.")
}

func (s *Server) adminResetPassword(w http.ResponseWriter, r *http.Request) {
	id, err := pathAndForm(w, r, "User")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pw := formText(r.PostForm, "password")
	var missing error
	if pw == nil {
		missing = studio.Invalid("password", "password is required.")
	}
	u, err := s.updateUser(r, id, studio.UserEdit{Password: pw}, missing)
	if err != nil {
		s.fail(w, r, err, s.usersForm("password:"+id, nil, userPasswordLabels))
		return
	}
	s.redirect(w, r, "/admin/users#user-"+u.ID, "New password set for "+u.Name+". Their sessions have ended; share the password privately.")
}

// adminDisableUser disables an account, ending its sessions. Without
// confirmed=1 it first shows a confirmation page (admin.js asks with
// confirm() instead and adds the field).
func (s *Server) adminDisableUser(w http.ResponseWriter, r *http.Request) {
	id, err := pathAndForm(w, r, "User")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if r.PostForm.Get("confirmed") != "1" {
		u, err := s.store.User(r.Context(), id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
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
		s.fail(w, r, err)
		return
	}
	s.setUserDisabled(w, r, id, false)
}

func (s *Server) setUserDisabled(w http.ResponseWriter, r *http.Request, id string, disabled bool) {
	u, err := s.store.UpdateUser(r.Context(), id, store.UserChange{Disabled: &disabled})
	if err != nil {
		s.fail(w, r, err, s.usersForm("state:"+id, nil, map[string]string{}))
		return
	}
	if disabled {
		s.redirect(w, r, "/admin/users#user-"+u.ID, u.Name+" is disabled and signed out everywhere.")
		return
	}
	s.redirect(w, r, "/admin/users#user-"+u.ID, u.Name+" can sign in again.")
}

type userConfirmView struct {
	adminChrome
	Account *studio.User
}

// The "change my password" page, for every signed-in user.

func (s *Server) adminPasswordPage(w http.ResponseWriter, r *http.Request) {
	s.renderOwnPassword(w, r, http.StatusOK, nil)
}

func (s *Server) renderOwnPassword(w http.ResponseWriter, r *http.Request, status int, form *adminForm) {
	v := &adminChrome{Title: "Change your password", Form: form}
	s.adminRender(w, r, status, "admin_password.html", v)
}

func (s *Server) adminChangePassword(w http.ResponseWriter, r *http.Request) {
	if err := parseAdminForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	var err error
	f := r.PostForm
	if f.Get("newPassword") != f.Get("newPasswordAgain") {
		err = studio.Invalid("newPasswordAgain", "The new passwords do not match. Type the same one twice.")
	} else {
		err = s.changeOwnPassword(w, r, studio.PasswordChange{Current: formText(f, "currentPassword"), New: formText(f, "newPassword")}, nil)
	}
	if err != nil {
		// Never send a password back into the page.
		s.fail(w, r, err, formPage{Name: "password", Labels: ownPasswordLabels, Render: s.renderOwnPassword})
		return
	}
	s.redirect(w, r, "/admin", "Your password is changed. You stay signed in here; your other sessions have ended.")
}

type usersView struct {
	adminChrome
	Users []studio.User
}

var userLabels = map[string]string{"email": "Email", "name": "Name", "role": "Role", "password": "Password"}

func (s *Server) adminUsers(w http.ResponseWriter, r *http.Request) {
	s.renderUsers(w, r, http.StatusOK, nil)
}

func (s *Server) renderUsers(w http.ResponseWriter, r *http.Request, status int, form *adminForm) {
	users, err := s.store.Users(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := &usersView{Users: users}
	v.Title, v.Nav, v.Form = "Staff accounts", "users", form
	s.adminRender(w, r, status, "admin_users.html", v)
}

func (s *Server) adminCreateUser(w http.ResponseWriter, r *http.Request) {
	if err := parseAdminForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	f := r.PostForm
	u, err := auth.NewUser(studio.UserInput{Email: formText(f, "email"), Name: formText(f, "name"),
		Role: formText(f, "role"), Password: formText(f, "password")})
	if err == nil {
		err = s.store.CreateUser(r.Context(), u)
		if studio.ErrorCode(err) == studio.ECodeConflict {
			err = studio.Invalid("email", "A staff account with this email already exists.")
		}
	}
	if err != nil {
		// Never send a password back into the page.
		values := r.PostForm
		values.Del("password")
		s.fail(w, r, err, formPage{Name: "user", Values: values, Labels: userLabels, Render: s.renderUsers})
		return
	}
	s.redirect(w, r, "/admin/users#user-"+u.ID, u.Name+" can now sign in as "+string(u.Role)+".")
}

package web

import (
	"net/http"

	"atrium/internal/auth"
	"atrium/internal/httpx"
	"atrium/internal/store"
	"atrium/internal/studio"
)

// Staff account lifecycle: an admin edits any account (PATCH /api/users/{id});
// everyone changes their own password (POST /api/session/password).

func (s *Server) apiUpdateUser(w http.ResponseWriter, r *http.Request) {
	id, b, err := pathAndBody(w, r, "User")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	b.Only("name", "role", "disabled", "password")
	edit := studio.UserEdit{Name: b.Text("name"), Role: b.Text("role"), Disabled: b.Bool("disabled"), Password: b.Text("password")}
	u, err := s.updateUser(r, id, edit, b.Err())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, u)
}

// updateUser checks an edit of a staff account (decodeErr: what its form
// or body could not read) and applies it. A password set by an admin ends
// the account's sessions. One's own password is not set here: it changes
// only with the current one (changeOwnPassword).
func (s *Server) updateUser(r *http.Request, id string, edit studio.UserEdit, decodeErr error) (*studio.User, error) {
	if id == userFrom(r.Context()).ID && edit.Password != nil && decodeErr == nil {
		return nil, studio.Invalid("password", "Changing your own password needs your current password: use POST /api/session/password (the Password page).")
	}
	edit, err := edit.Check(auth.CheckPasswordPolicy)
	if err := studio.Join(decodeErr, err); err != nil {
		return nil, err
	}
	ch := store.UserChange{Name: edit.Name, Disabled: edit.Disabled}
	if edit.Role != nil {
		role := studio.Role(*edit.Role)
		ch.Role = &role
	}
	if edit.Password != nil {
		hash, err := auth.HashPassword(*edit.Password)
		if err != nil {
			return nil, err
		}
		ch.PasswordHash = &hash
	}
	return s.store.UpdateUser(r.Context(), id, ch)
}

func (s *Server) apiChangePassword(w http.ResponseWriter, r *http.Request) {
	b, err := readBody(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	b.Only("currentPassword", "newPassword")
	ch := studio.PasswordChange{Current: b.Required("currentPassword"), New: b.Required("newPassword")}
	if err := s.changeOwnPassword(w, r, ch, b.Err()); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// changeOwnPassword checks the signed-in user's current password (under
// the sign-in failure limits, so that a stolen session cannot be used to
// guess it), sets the new one and ends their other sessions.
func (s *Server) changeOwnPassword(w http.ResponseWriter, r *http.Request, ch studio.PasswordChange, decodeErr error) error {
	u := userFrom(r.Context())
	current, next, err := ch.Check(auth.CheckPasswordPolicy)
	if err := studio.Join(decodeErr, err); err != nil {
		return err
	}
	if err := s.checkOwnPassword(w, r, u, current); err != nil {
		return err
	}
	hash, err := auth.HashPassword(next)
	if err != nil {
		return err
	}
	_, err = s.store.UpdateUser(r.Context(), u.ID, store.UserChange{PasswordHash: &hash, KeepSession: currentSession(r)})
	return err
}

// checkOwnPassword judges a signed-in user's current password like a
// sign-in: a wrong one spends a failure of its allowances (holdAttempt).
func (s *Server) checkOwnPassword(w http.ResponseWriter, r *http.Request, u *studio.User, password string) error {
	failed := false
	done, err := s.holdAttempt(w, r, s.clientIP(r), u.Email, u)
	if err != nil {
		return err
	}
	defer func() { done(failed) }()
	if !auth.CheckPassword(u.PasswordHash, password) {
		failed = true
		return studio.Invalid("currentPassword", "The current password is not right.")
	}
	return nil
}

// currentSession is the digest of the request's session, "" without one.
func currentSession(r *http.Request) string {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return ""
	}
	return auth.SessionDigest(c.Value)
}

func (s *Server) apiUsers(w http.ResponseWriter, r *http.Request) {
	users, err := s.store.Users(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"users": users})
}

func (s *Server) apiCreateUser(w http.ResponseWriter, r *http.Request) {
	b, err := readBody(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	b.Only("email", "name", "role", "password")
	in := studio.UserInput{Email: b.Required("email"), Name: b.Required("name"), Role: b.Required("role"),
		Password: b.Required("password")}
	u, err := auth.NewUser(in)
	if err := studio.Join(b.Err(), err); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.store.CreateUser(r.Context(), u); err != nil {
		s.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, u)
}

package web

import (
	"encoding/json"
	"net/http"

	"atrium/internal/auth"
	"atrium/internal/store"
	"atrium/internal/studio"
)

// Staff account lifecycle: an admin edits any account (PATCH /api/users/{id});
// everyone changes their own password (POST /api/session/password).

func (s *Server) apiUpdateUser(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "User")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	b, err := readBody(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	u, err := s.updateUser(r, id, b)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, u)
}

// updateUser validates an edit of a staff account (the JSON fields name,
// role, disabled, password; absent ones stay) and applies it. A password
// set by an admin ends the account's sessions. One's own password is not
// set here: it changes only with the current one (changeOwnPassword).
func (s *Server) updateUser(r *http.Request, id string, b *body) (*studio.User, error) {
	if id == userFrom(r.Context()).ID && b.Has("password") && b.Err() == nil {
		b.fail("password", "Changing your own password needs your current password: use POST /api/session/password (the Password page).")
	}
	ch, err := readUserChange(b)
	if err != nil {
		return nil, err
	}
	return s.store.UpdateUser(r.Context(), id, ch)
}

func readUserChange(b *body) (store.UserChange, error) {
	var ch store.UserChange
	b.Only("name", "role", "disabled", "password")
	if b.Has("name") {
		var name string
		b.Required("name", &name, maxName)
		ch.Name = &name
	}
	if b.Has("role") {
		var role string
		b.Required("role", &role, 20)
		if b.Err() == nil && !studio.Role(role).Valid() {
			b.fail("role", "role must be admin or designer.")
		}
		r := studio.Role(role)
		ch.Role = &r
	}
	if b.Has("disabled") && b.Err() == nil {
		var disabled bool
		if err := json.Unmarshal(b.fields["disabled"], &disabled); err != nil || b.isNull("disabled") {
			b.fail("disabled", "disabled must be true or false.")
		}
		ch.Disabled = &disabled
	}
	if b.Has("password") {
		var hash string
		readNewPassword(b, "password", &hash)
		ch.PasswordHash = &hash
	}
	return ch, b.Err()
}

// readNewPassword reads a password someone is choosing, checks it against
// the policy (auth.CheckPasswordPolicy: the same for the API, the forms and
// the CLI) and stores its hash in dst.
func readNewPassword(b *body, name string, dst *string) {
	if b.Err() != nil {
		return
	}
	if !b.Has(name) || b.isNull(name) {
		b.fail(name, "%s is required.", name)
		return
	}
	var pw string
	b.Secret(name, &pw, auth.MaxPasswordLen)
	if b.Err() != nil {
		return
	}
	if err := auth.CheckPasswordPolicy(pw); err != nil {
		b.fail(name, "%s", err.Error())
		return
	}
	hash, err := auth.HashPassword(pw)
	if err != nil && b.err == nil {
		b.err = err
	}
	*dst = hash
}

func (s *Server) apiChangePassword(w http.ResponseWriter, r *http.Request) {
	b, err := readBody(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.changeOwnPassword(w, r, b); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// changeOwnPassword checks the signed-in user's current password (under
// the sign-in failure limits, so that a stolen session cannot be used to
// guess it), sets the new one and ends their other sessions.
func (s *Server) changeOwnPassword(w http.ResponseWriter, r *http.Request, b *body) error {
	u := userFrom(r.Context())
	var current, next string
	b.Only("currentPassword", "newPassword")
	if b.Err() == nil && (!b.Has("currentPassword") || b.isNull("currentPassword")) {
		b.fail("currentPassword", "currentPassword is required.")
	}
	b.Secret("currentPassword", &current, auth.MaxPasswordLen)
	if b.Err() == nil && (!b.Has("newPassword") || b.isNull("newPassword")) {
		b.fail("newPassword", "newPassword is required.")
	}
	b.Secret("newPassword", &next, auth.MaxPasswordLen)
	if b.Err() == nil {
		if err := auth.CheckPasswordPolicy(next); err != nil {
			b.fail("newPassword", "%s", err.Error())
		} else if next == current {
			b.fail("newPassword", "The new password must differ from the current one.")
		}
	}
	if err := b.Err(); err != nil {
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
// sign-in: a wrong one spends a failure of the IP's (ipKey) and the
// account's (device's) allowance.
func (s *Server) checkOwnPassword(w http.ResponseWriter, r *http.Request, u *studio.User, password string) error {
	failed := false
	ipDone, err := s.takeAttempt(w, s.loginIP, s.ipKey(r, s.clientIP(r), u))
	if err != nil {
		return err
	}
	defer func() { ipDone(failed) }()
	accDone, err := s.takeAttempt(w, s.loginAcc, s.accountKey(r, u.Email, u))
	if err != nil {
		return err
	}
	defer func() { accDone(failed) }()
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

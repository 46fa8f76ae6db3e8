package web

import (
	"net/http"

	"atrium/internal/httpx"
	"atrium/internal/studio"
)

type userJSON struct {
	ID    string      `json:"id"`
	Email string      `json:"email"`
	Name  string      `json:"name"`
	Role  studio.Role `json:"role"`
}

func sessionJSON(u *studio.User) map[string]userJSON {
	return map[string]userJSON{"user": {ID: u.ID, Email: u.Email, Name: u.Name, Role: u.Role}}
}

func (s *Server) apiLogin(w http.ResponseWriter, r *http.Request) {
	b, err := readBody(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	b.Only("email", "password")
	email, password, err := studio.SignIn{Email: b.Required("email"), Password: b.Text("password")}.Check()
	if err := studio.Join(b.Err(), err); err != nil {
		s.fail(w, r, err)
		return
	}
	u, err := s.login(w, r, email, password)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, sessionJSON(u))
}

func (s *Server) apiSession(w http.ResponseWriter, r *http.Request) {
	httpx.WriteJSON(w, http.StatusOK, sessionJSON(userFrom(r.Context())))
}

func (s *Server) apiLogout(w http.ResponseWriter, r *http.Request) {
	if err := s.logout(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) apiNotFound(w http.ResponseWriter, r *http.Request) {
	s.fail(w, r, studio.Errorf(studio.ECodeNotFound, "No such API route."))
}

// apiReadOnly answers a method other than GET and HEAD on a client API
// route: 405 with Allow, in the JSON envelope (the mux's own 405 is text,
// and the /api/client-progress/ catch-all would say 404).
// apiPostOnly answers other methods than POST on a client write (405
// with Allow), where the catch-all would say 404.
func (s *Server) apiPostOnly(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Allow", "POST")
	s.fail(w, r, studio.Errorf(studio.ECodeMethodNotAllowed, "This address only answers POST."))
}

func (s *Server) apiReadOnly(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Allow", "GET, HEAD")
	s.fail(w, r, studio.Errorf(studio.ECodeMethodNotAllowed, "This address only answers GET and HEAD."))
}

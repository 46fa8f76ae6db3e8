package web

import "net/http"

// routes lists every route of the server.
func (s *Server) routes(mux *http.ServeMux) {
	// Operations.
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /robots.txt", s.robots)

	// Staff session (SPEC §4.1).
	mux.HandleFunc("POST /api/session", s.apiLogin)
	mux.HandleFunc("GET /api/session", s.staff(s.apiSession))
	mux.HandleFunc("DELETE /api/session", s.apiLogout)

	// Studio data (SPEC §4.2).
	mux.HandleFunc("GET /api/projects", s.staff(s.apiProjects))
	mux.HandleFunc("POST /api/projects", s.staff(s.apiCreateProject))
	mux.HandleFunc("GET /api/projects/{id}", s.staff(s.apiProject))
	mux.HandleFunc("PATCH /api/projects/{id}", s.staff(s.apiUpdateProject))
	mux.HandleFunc("POST /api/projects/{id}/rooms", s.staff(s.apiCreateRoom))
	mux.HandleFunc("PATCH /api/rooms/{id}", s.staff(s.apiUpdateRoom))
	mux.HandleFunc("PATCH /api/phases/{id}", s.staff(s.apiUpdatePhase))
	mux.HandleFunc("POST /api/projects/{id}/team", s.staff(s.apiAddTeamMember))
	mux.HandleFunc("POST /api/projects/{id}/comments", s.staff(s.apiCreateComment))
	mux.HandleFunc("POST /api/projects/{id}/renderings", s.staff(s.apiUploadRendering))
	mux.HandleFunc("PATCH /api/renderings/{id}", s.staff(s.apiUpdateRendering))
	mux.HandleFunc("GET /api/renderings/{id}/file", s.staff(s.apiRenderingFile))
	mux.HandleFunc("GET /api/studio", s.staff(s.apiStudio))
	mux.HandleFunc("PATCH /api/studio", s.admin(s.apiUpdateStudio))
	mux.HandleFunc("POST /api/studio/logo", s.admin(s.apiUploadLogo))
	mux.HandleFunc("GET /api/studio/logo", s.staff(s.apiStudioLogo))
	mux.HandleFunc("GET /api/users", s.admin(s.apiUsers))
	mux.HandleFunc("POST /api/users", s.admin(s.apiCreateUser))

	// Unknown API paths answer in JSON, not with the mux's text.
	mux.HandleFunc("/api/", s.apiNotFound)
}

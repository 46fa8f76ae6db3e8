package web

import "net/http"

// routes lists every route of the server.
func (s *Server) routes(mux *http.ServeMux) {
	// Operations.
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /robots.txt", s.robots)

	// Staff session. docs/openapi.yaml describes every /api route.
	mux.HandleFunc("POST /api/session", s.apiLogin)
	mux.HandleFunc("GET /api/session", s.staff(s.apiSession))
	mux.HandleFunc("DELETE /api/session", s.apiLogout)
	mux.HandleFunc("POST /api/session/password", s.staff(s.apiChangePassword))

	// Studio data.
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
	mux.HandleFunc("PATCH /api/users/{id}", s.admin(s.apiUpdateUser))

	// Client links and the client side. Every
	// answer under /client-progress/ and /api/client-progress/ gets the
	// client headers (docs/SECURITY.md) from clientHeaders (middleware.go).
	mux.HandleFunc("GET /api/client-access", s.staff(s.apiLinks))
	mux.HandleFunc("POST /api/client-access", s.staff(s.apiCreateLink))
	mux.HandleFunc("DELETE /api/client-access", s.staff(s.apiDeactivateLink)) // ?id=ID, the seed's form
	mux.HandleFunc("DELETE /api/client-access/{id}", s.staff(s.apiDeactivateLink))
	mux.HandleFunc("GET /api/client-access/{id}/logs", s.staff(s.apiLinkLogs))
	mux.HandleFunc("GET /api/client-progress/{token}", s.apiClientProgress)
	mux.HandleFunc("GET /api/client-progress/{token}/renderings/{id}/{size}", s.apiClientImage)
	mux.HandleFunc("GET /api/client-progress/{token}/logo", s.apiClientLogo)
	mux.HandleFunc("GET /api/client-progress/{token}/download/{assetId}", s.apiClientDownload)
	mux.HandleFunc("/api/client-progress/", s.apiNotFound)
	// Other methods than GET and HEAD on those: 405 with Allow, in JSON.
	for _, p := range []string{"{token}", "{token}/renderings/{id}/{size}", "{token}/logo", "{token}/download/{assetId}", "{token}/events"} {
		mux.HandleFunc("/api/client-progress/"+p, s.apiReadOnly)
	}

	// Embedded CSS and JS at content-hashed URLs (assets.go), for every page.
	mux.HandleFunc("GET /static/{name}", s.serveStatic)

	// The client page and its live updates.
	mux.HandleFunc("GET /client-progress/{token}", s.clientPage)
	mux.HandleFunc("GET /client-progress/", s.clientPage) // 404 page, counted as a failed lookup
	mux.HandleFunc("GET /api/client-progress/{token}/events", s.clientEvents)
	mux.HandleFunc("GET /static/theme/{file}", s.serveTheme) // the studio's accent colour as CSS

	// The admin UI (docs/DECISIONS.md, Admin UI).
	mux.HandleFunc("GET /{$}", s.adminRoot)
	mux.HandleFunc("GET /login", s.loginPage)
	mux.HandleFunc("POST /login", s.loginSubmit)
	mux.HandleFunc("POST /logout", s.logoutSubmit)
	mux.HandleFunc("GET /admin", s.adminPageAuth(s.adminHome))
	mux.HandleFunc("GET /admin/{$}", s.adminPageAuth(s.adminHome))
	mux.HandleFunc("POST /admin/projects", s.adminPageAuth(s.adminCreateProject))
	mux.HandleFunc("GET /admin/projects/{id}", s.adminPageAuth(s.adminProject))
	mux.HandleFunc("POST /admin/projects/{id}", s.adminPageAuth(s.adminUpdateProject))
	mux.HandleFunc("POST /admin/projects/{id}/rooms", s.adminPageAuth(s.adminCreateRoom))
	mux.HandleFunc("POST /admin/projects/{id}/team", s.adminPageAuth(s.adminAddTeamMember))
	mux.HandleFunc("POST /admin/projects/{id}/comments", s.adminPageAuth(s.adminCreateComment))
	mux.HandleFunc("POST /admin/projects/{id}/renderings", s.adminPageAuth(s.adminUploadRendering))
	mux.HandleFunc("POST /admin/projects/{id}/links", s.adminPageAuth(s.adminCreateLink))
	mux.HandleFunc("POST /admin/rooms/{id}", s.adminPageAuth(s.adminRenameRoom))
	mux.HandleFunc("POST /admin/phases/{id}", s.adminPageAuth(s.adminUpdatePhase))
	mux.HandleFunc("POST /admin/renderings/{id}", s.adminPageAuth(s.adminUpdateRendering))
	mux.HandleFunc("POST /admin/renderings/{id}/status", s.adminPageAuth(s.adminRenderingStatus))
	mux.HandleFunc("GET /admin/links/{id}", s.adminPageAuth(s.adminLinkLog))
	mux.HandleFunc("POST /admin/links/{id}/deactivate", s.adminPageAuth(s.adminDeactivateLink))
	mux.HandleFunc("GET /admin/settings", s.adminOnlyPage(s.adminSettings))
	mux.HandleFunc("POST /admin/settings", s.adminOnlyPage(s.adminUpdateSettings))
	mux.HandleFunc("POST /admin/settings/logo", s.adminOnlyPage(s.adminUploadLogo))
	mux.HandleFunc("GET /admin/users", s.adminOnlyPage(s.adminUsers))
	mux.HandleFunc("POST /admin/users", s.adminOnlyPage(s.adminCreateUser))
	mux.HandleFunc("POST /admin/users/{id}", s.adminOnlyPage(s.adminUpdateUser))
	mux.HandleFunc("POST /admin/users/{id}/password", s.adminOnlyPage(s.adminResetPassword))
	mux.HandleFunc("POST /admin/users/{id}/disable", s.adminOnlyPage(s.adminDisableUser))
	mux.HandleFunc("POST /admin/users/{id}/enable", s.adminOnlyPage(s.adminEnableUser))
	mux.HandleFunc("GET /admin/password", s.adminPageAuth(s.adminPasswordPage))
	mux.HandleFunc("POST /admin/password", s.adminPageAuth(s.adminChangePassword))
	mux.HandleFunc("/admin/", s.adminPageAuth(s.adminNotFound))

	// Unknown API paths answer in JSON, not with the mux's text.
	mux.HandleFunc("/api/", s.apiNotFound)
}

package web

import "net/http"

// routes lists every route of the server. The guards: staffAPI and adminAPI
// answer 401/403 in JSON; staffPage sends strangers to the sign-in page and
// adminPage answers designers with a 403 page (guards.go).
func (s *Server) routes(mux *http.ServeMux) {
	// Operations.
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /robots.txt", s.robots)

	// Staff session. docs/openapi.yaml describes every /api route.
	mux.HandleFunc("POST /api/session", s.apiLogin)
	mux.HandleFunc("GET /api/session", s.staffAPI(s.apiSession))
	mux.HandleFunc("DELETE /api/session", s.apiLogout)
	mux.HandleFunc("POST /api/session/password", s.staffAPI(s.apiChangePassword))

	// Studio data.
	mux.HandleFunc("GET /api/projects", s.staffAPI(s.apiProjects))
	mux.HandleFunc("POST /api/projects", s.staffAPI(s.apiCreateProject))
	mux.HandleFunc("GET /api/projects/{id}", s.staffAPI(s.apiProject))
	mux.HandleFunc("PATCH /api/projects/{id}", s.staffAPI(s.apiUpdateProject))
	mux.HandleFunc("DELETE /api/projects/{id}", s.adminAPI(s.apiDeleteProject))
	mux.HandleFunc("GET /api/projects/{id}/activity", s.staffAPI(s.apiProjectActivity))
	mux.HandleFunc("POST /api/projects/{id}/rooms", s.staffAPI(s.apiCreateRoom))
	mux.HandleFunc("PATCH /api/rooms/{id}", s.staffAPI(s.apiUpdateRoom))
	mux.HandleFunc("DELETE /api/rooms/{id}", s.staffAPI(s.apiDeleteRoom))
	mux.HandleFunc("PATCH /api/phases/{id}", s.staffAPI(s.apiUpdatePhase))
	mux.HandleFunc("POST /api/projects/{id}/team", s.staffAPI(s.apiAddTeamMember))
	mux.HandleFunc("POST /api/projects/{id}/comments", s.staffAPI(s.apiCreateComment))
	mux.HandleFunc("GET /api/projects/{id}/feedback", s.staffAPI(s.apiProjectFeedback))
	mux.HandleFunc("POST /api/projects/{id}/feedback", s.staffAPI(s.apiReplyFeedback))
	mux.HandleFunc("PATCH /api/feedback/{id}", s.staffAPI(s.apiUpdateFeedback))
	mux.HandleFunc("POST /api/projects/{id}/renderings", s.staffAPI(s.apiUploadRendering))
	mux.HandleFunc("PATCH /api/renderings/{id}", s.staffAPI(s.apiUpdateRendering))
	mux.HandleFunc("DELETE /api/renderings/{id}", s.staffAPI(s.apiDeleteRendering))
	mux.HandleFunc("GET /api/renderings/{id}/file", s.staffAPI(s.apiRenderingFile))
	mux.HandleFunc("GET /api/studio", s.staffAPI(s.apiStudio))
	mux.HandleFunc("PATCH /api/studio", s.adminAPI(s.apiUpdateStudio))
	mux.HandleFunc("POST /api/studio/logo", s.adminAPI(s.apiUploadLogo))
	mux.HandleFunc("GET /api/studio/logo", s.staffAPI(s.apiStudioLogo))
	mux.HandleFunc("GET /api/notifications", s.staffAPI(s.apiNotifications))
	mux.HandleFunc("POST /api/notifications/read", s.staffAPI(s.apiReadNotifications))
	mux.HandleFunc("GET /api/users", s.adminAPI(s.apiUsers))
	mux.HandleFunc("POST /api/users", s.adminAPI(s.apiCreateUser))
	mux.HandleFunc("PATCH /api/users/{id}", s.adminAPI(s.apiUpdateUser))

	// Client links and the client side (internal/portal). Every
	// answer under /client-progress/ and /api/client-progress/ gets the
	// client headers (docs/SECURITY.md) from clientHeaders (middleware.go).
	mux.HandleFunc("GET /api/client-access", s.staffAPI(s.apiLinks))
	mux.HandleFunc("POST /api/client-access", s.staffAPI(s.apiCreateLink))
	mux.HandleFunc("DELETE /api/client-access", s.staffAPI(s.apiDeactivateLink)) // ?id=ID, the seed's form
	mux.HandleFunc("DELETE /api/client-access/{id}", s.staffAPI(s.apiDeactivateLink))
	mux.HandleFunc("GET /api/client-access/{id}/logs", s.staffAPI(s.apiLinkLogs))
	mux.HandleFunc("GET /api/client-access/{id}/logs.csv", s.staffAPI(s.apiLinkLogsCSV))
	mux.HandleFunc("POST /api/client-access/{id}/send", s.staffAPI(s.apiSendLink))
	mux.HandleFunc("PATCH /api/client-access/{id}", s.staffAPI(s.apiUpdateLink))
	mux.HandleFunc("POST /api/client-access/{id}/rotate", s.staffAPI(s.apiRotateLink))
	mux.HandleFunc("GET /api/client-progress/{token}", s.portal.API)
	mux.HandleFunc("GET /api/client-progress/{token}/renderings/{id}/{size}", s.portal.Image)
	mux.HandleFunc("GET /api/client-progress/{token}/logo", s.portal.Logo)
	mux.HandleFunc("GET /api/client-progress/{token}/download/{assetId}", s.portal.Download)
	mux.HandleFunc("GET /api/client-progress/{token}/download.zip", s.portal.DownloadAll) // ?room=NAME
	mux.HandleFunc("POST /api/client-progress/{token}/feedback", s.portal.FeedbackAPI)
	mux.HandleFunc("/api/client-progress/{token}/feedback", s.apiPostOnly) // other methods: 405 with Allow
	mux.HandleFunc("/api/client-progress/", s.apiNotFound)
	// Other methods than GET and HEAD on those: 405 with Allow, in JSON.
	for _, p := range []string{"{token}", "{token}/renderings/{id}/{size}", "{token}/logo", "{token}/download/{assetId}", "{token}/download.zip", "{token}/events"} {
		mux.HandleFunc("/api/client-progress/"+p, s.apiReadOnly)
	}

	// Embedded CSS and JS at content-hashed URLs (httpx/assets.go), the admin's and the portal's.
	mux.HandleFunc("GET /static/{name}", s.serveStatic)
	mux.HandleFunc("GET /client-logo", s.portal.StudioLogo) // the studio's logo on pages without a working token

	// The client page and its live updates.
	mux.HandleFunc("GET /client-progress/{token}", s.portal.Page)
	mux.HandleFunc("GET /client-progress/", s.portal.Page)                          // 404 page, counted as a failed lookup
	mux.HandleFunc("POST /client-progress/{token}/feedback", s.portal.FeedbackForm) // the page's form: 303 back
	mux.HandleFunc("GET /client-progress/{token}/{id}/{size}", s.portal.Image)      // the gallery's images, by short relative URLs (portal/page.go)
	mux.HandleFunc("GET /api/client-progress/{token}/events", s.portal.Events)
	mux.HandleFunc("GET /static/theme/{file}", s.portal.Theme) // the studio's accent colour as CSS

	// Asking for a new link (the expired and deactivated pages), and the
	// one-click unsubscribe of a client's update mail (internal/portal).
	mux.HandleFunc("POST /client-progress/{token}/request-link", s.portal.RequestLink)
	mux.HandleFunc("POST /client-progress/{token}/pin", s.portal.PINForm) // a link's PIN form: 303 back (portal/pin.go)
	mux.HandleFunc("GET /unsubscribe/{token}", s.portal.Unsubscribe)
	mux.HandleFunc("POST /unsubscribe/{token}", s.portal.Unsubscribe)

	// The admin UI (docs/DECISIONS.md, Admin UI).
	mux.HandleFunc("GET /{$}", s.adminRoot)
	mux.HandleFunc("GET /login", s.loginPage)
	mux.HandleFunc("POST /login", s.loginSubmit)
	mux.HandleFunc("POST /logout", s.logoutSubmit)
	mux.HandleFunc("GET /admin", s.staffPage(s.adminHome))
	mux.HandleFunc("GET /admin/{$}", s.staffPage(s.adminHome))
	mux.HandleFunc("POST /admin/projects", s.staffPage(s.adminCreateProject))
	mux.HandleFunc("GET /admin/projects/{id}", s.staffPage(s.adminProject))
	mux.HandleFunc("POST /admin/projects/{id}", s.staffPage(s.adminUpdateProject))
	mux.HandleFunc("POST /admin/projects/{id}/delete", s.adminPage(s.adminDeleteProject))
	mux.HandleFunc("POST /admin/projects/{id}/archive", s.staffPage(s.adminArchiveProject))
	mux.HandleFunc("GET /admin/projects/{id}/activity", s.staffPage(s.adminProjectActivity))
	mux.HandleFunc("POST /admin/projects/{id}/rooms", s.staffPage(s.adminCreateRoom))
	mux.HandleFunc("POST /admin/projects/{id}/team", s.staffPage(s.adminAddTeamMember))
	mux.HandleFunc("POST /admin/projects/{id}/comments", s.staffPage(s.adminCreateComment))
	mux.HandleFunc("POST /admin/projects/{id}/renderings", s.staffPage(s.adminUploadRendering))
	mux.HandleFunc("POST /admin/projects/{id}/links", s.staffPage(s.adminCreateLink))
	mux.HandleFunc("POST /admin/projects/{id}/feedback", s.staffPage(s.adminReplyFeedback))
	mux.HandleFunc("POST /admin/feedback/{id}", s.staffPage(s.adminResolveFeedback))
	mux.HandleFunc("POST /admin/links/{id}", s.staffPage(s.adminUpdateLink))
	mux.HandleFunc("POST /admin/rooms/{id}", s.staffPage(s.adminRenameRoom))
	mux.HandleFunc("POST /admin/rooms/{id}/visibility", s.staffPage(s.adminRoomVisibility))
	mux.HandleFunc("POST /admin/rooms/{id}/delete", s.staffPage(s.adminDeleteRoom))
	mux.HandleFunc("POST /admin/rooms/{id}/phases", s.staffPage(s.adminUpdateRoomPhases))
	mux.HandleFunc("POST /admin/phases/{id}", s.staffPage(s.adminUpdatePhase))
	mux.HandleFunc("POST /admin/renderings/{id}", s.staffPage(s.adminUpdateRendering))
	mux.HandleFunc("POST /admin/renderings/{id}/status", s.staffPage(s.adminRenderingStatus))
	mux.HandleFunc("POST /admin/renderings/{id}/move", s.staffPage(s.adminMoveRendering))
	mux.HandleFunc("POST /admin/renderings/{id}/delete", s.staffPage(s.adminDeleteRendering))
	mux.HandleFunc("GET /admin/links/{id}", s.staffPage(s.adminLinkLog))
	mux.HandleFunc("POST /admin/links/{id}/deactivate", s.staffPage(s.adminDeactivateLink))
	mux.HandleFunc("POST /admin/links/{id}/edit", s.staffPage(s.adminEditLink))
	mux.HandleFunc("POST /admin/links/{id}/reactivate", s.staffPage(s.adminReactivateLink))
	mux.HandleFunc("POST /admin/links/{id}/rotate", s.staffPage(s.adminRotateLink))
	mux.HandleFunc("GET /admin/settings", s.adminPage(s.adminSettings))
	mux.HandleFunc("POST /admin/settings", s.adminPage(s.adminUpdateSettings))
	mux.HandleFunc("POST /admin/settings/logo", s.adminPage(s.adminUploadLogo))
	mux.HandleFunc("GET /admin/users", s.adminPage(s.adminUsers))
	mux.HandleFunc("POST /admin/users", s.adminPage(s.adminCreateUser))
	mux.HandleFunc("POST /admin/users/{id}", s.adminPage(s.adminUpdateUser))
	mux.HandleFunc("POST /admin/users/{id}/password", s.adminPage(s.adminResetPassword))
	mux.HandleFunc("POST /admin/users/{id}/disable", s.adminPage(s.adminDisableUser))
	mux.HandleFunc("POST /admin/users/{id}/enable", s.adminPage(s.adminEnableUser))
	mux.HandleFunc("POST /admin/links/{id}/send", s.staffPage(s.adminSendLink))
	mux.HandleFunc("GET /admin/notifications", s.staffPage(s.adminNotifications))
	mux.HandleFunc("POST /admin/notifications/read", s.staffPage(s.adminReadNotifications))
	mux.HandleFunc("POST /admin/notifications/settings", s.staffPage(s.adminNotifySettings))
	mux.HandleFunc("GET /admin/outbox", s.adminPage(s.adminOutbox))
	mux.HandleFunc("GET /admin/password", s.staffPage(s.adminPasswordPage))
	mux.HandleFunc("POST /admin/password", s.staffPage(s.adminChangePassword))
	mux.HandleFunc("/admin/", s.staffPage(s.adminNotFound))

	// Unknown API paths answer in JSON, not with the mux's text.
	mux.HandleFunc("/api/", s.apiNotFound)
}

package web

import (
	"errors"
	"net/http"
	"strings"

	"atrium/internal/httpx"
	"atrium/internal/studio"
)

// fail is the one way an error leaves the server. The route decides the
// form: under /api/ the JSON envelope, under /client-progress/ the client's
// error page (the portal owns it: portal.Server.Fail), elsewhere an admin
// page. form, on an admin form's POST, is the page that holds the form:
// unless there is no such thing to show (not_found), it is shown again with
// what was entered and each field's message. httpx.Fail gives the code's
// status and logs internal errors, once; they are answered with a generic
// text.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error, form ...formPage) {
	if strings.HasPrefix(r.URL.Path, httpx.ClientPagePrefix) || strings.HasPrefix(r.URL.Path, "/unsubscribe/") {
		s.portal.Fail(w, r, err)
		return
	}
	f := httpx.Fail(s.log, r, err)
	var se *studio.Error
	errors.As(f.Err, &se)
	switch {
	case strings.HasPrefix(r.URL.Path, "/api/"):
		httpx.WriteJSONError(w, f)
	case len(form) > 0 && f.Code != studio.ECodeNotFound:
		form[0].Render(w, r, formStatus(f.Status), form[0].state(se, studio.ErrorMessage(f.Err)))
	default:
		s.renderAdminError(w, r, f.Status, studio.ErrorMessage(f.Err))
	}
}

package web

import (
	"net/http"

	"atrium/internal/live"
	"atrium/internal/studio"
)

// Studio settings: admin only.

type settingsView struct {
	adminChrome
	Settings *studio.Settings
}

var settingsLabels = map[string]string{
	"name":         "Studio name",
	"accentColor":  "Accent colour",
	"contactEmail": "Contact email",
	"contactPhone": "Contact phone",
	"locale":       "Client language",
	"currency":     "Currency",
	"file":         "Logo",
}

func (s *Server) adminSettings(w http.ResponseWriter, r *http.Request) {
	s.renderSettings(w, r, http.StatusOK, nil)
}

func (s *Server) renderSettings(w http.ResponseWriter, r *http.Request, status int, form *adminForm) {
	st, err := s.store.Settings(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := &settingsView{Settings: st}
	v.Title, v.Nav, v.Form = "Studio settings", "settings", form
	s.adminRender(w, r, status, "admin_settings.html", v)
}

func (s *Server) adminUpdateSettings(w http.ResponseWriter, r *http.Request) {
	if err := parseAdminForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	st, err := s.store.Settings(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := r.PostForm
	err = studio.SettingsInput{Name: formText(f, "name"), AccentColor: formText(f, "accentColor"),
		ContactEmail: formText(f, "contactEmail"), ContactPhone: formText(f, "contactPhone"),
		Locale: formText(f, "locale"), Currency: formText(f, "currency")}.Apply(st)
	if err == nil {
		err = s.store.UpdateSettings(r.Context(), st)
	}
	if err != nil {
		s.fail(w, r, err, formPage{Name: "settings", Values: f, Labels: settingsLabels, Render: s.renderSettings})
		return
	}
	s.live.Publish(r.Context(), live.AllProjects)
	s.redirect(w, r, "/admin/settings", "Studio settings saved. Client pages show them at once.")
}

func (s *Server) adminUploadLogo(w http.ResponseWriter, r *http.Request) {
	if _, err := s.saveLogo(w, r); err != nil {
		s.fail(w, r, err, formPage{Name: "logo", Labels: settingsLabels, Render: s.renderSettings})
		return
	}
	s.redirect(w, r, "/admin/settings", "Logo updated.")
}

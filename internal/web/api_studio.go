package web

import (
	"context"
	"net/http"

	"atrium/internal/files"
	"atrium/internal/httpx"
	"atrium/internal/live"
	"atrium/internal/store"
	"atrium/internal/studio"
)

func (s *Server) apiStudio(w http.ResponseWriter, r *http.Request) {
	st, err := s.store.Settings(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, st)
}

func (s *Server) apiUpdateStudio(w http.ResponseWriter, r *http.Request) {
	b, err := readBody(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	st, err := s.store.Settings(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	in := settingsInput(b)
	if err := studio.Join(b.Err(), in.Apply(st)); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.store.UpdateSettings(r.Context(), st); err != nil {
		s.fail(w, r, err)
		return
	}
	s.live.Publish(r.Context(), live.AllProjects)
	httpx.WriteJSON(w, http.StatusOK, st)
}

// settingsInput reads the studio's settings from a JSON body.
func settingsInput(b *body) studio.SettingsInput {
	b.Only("name", "accentColor", "contactEmail", "contactPhone", "locale", "currency")
	return studio.SettingsInput{Name: b.Text("name"), AccentColor: b.Text("accentColor"),
		ContactEmail: b.Text("contactEmail"), ContactPhone: b.Text("contactPhone"),
		Locale: b.Text("locale"), Currency: b.Text("currency")}
}

// apiUploadLogo stores a new logo (multipart field "file"), then removes the
// old one. The client page shows the derived thumbnail (JPEG, ≤480 px).
func (s *Server) apiUploadLogo(w http.ResponseWriter, r *http.Request) {
	st, err := s.saveLogo(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, st)
}

func (s *Server) saveLogo(w http.ResponseWriter, r *http.Request) (*studio.Settings, error) {
	r.Body = http.MaxBytesReader(w, r.Body, 10<<20+multipartSlack)
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, studio.Invalid("file", "Send the logo as multipart/form-data with a file field.")
	}
	part, err := mr.NextPart()
	if err != nil || part.FormName() != "file" {
		return nil, studio.Invalid("file", "file is required.")
	}
	ing, err := s.ingest(r.Context(), part, "studio/logo-"+store.NewID(), 10<<20, files.Limits{MaxPixels: 40_000_000})
	if err != nil {
		return nil, cutOff(err)
	}
	st, err := s.store.Settings(r.Context())
	if err == nil {
		old := st.LogoKey
		st.LogoKey = ing.Thumb.Key
		if err = s.store.UpdateSettings(r.Context(), st); err == nil {
			// The original and preview are not needed: the logo is small.
			s.removeFiles(ing.Key, ing.Preview.Key, old)
			s.live.Publish(r.Context(), live.AllProjects)
			return st, nil
		}
	}
	s.removeFiles(ing.Key, ing.Thumb.Key, ing.Preview.Key)
	return nil, err
}

func (s *Server) apiStudioLogo(w http.ResponseWriter, r *http.Request) {
	st, err := s.studioWithLogo(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.serveObject(w, r, st.LogoKey, "image/jpeg", "logo-"+st.UpdatedAt.Format("20060102150405.000000"))
}

// studioWithLogo is the studio's settings, or not_found if it has no logo.
func (s *Server) studioWithLogo(ctx context.Context) (*studio.Settings, error) {
	st, err := s.store.Settings(ctx)
	if err == nil && st.LogoKey == "" {
		err = studio.Errorf(studio.ECodeNotFound, "The studio has no logo.")
	}
	return st, err
}

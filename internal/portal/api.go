package portal

import (
	"net/http"

	"atrium/internal/files"
	"atrium/internal/httpx"
	"atrium/internal/studio"
)

// API answers the sanitized JSON of the link's project
// (clientProgress in docs/openapi.yaml), logged as "api". The row is
// committed before a byte of the answer goes out.
func (s *Server) API(w http.ResponseWriter, r *http.Request) {
	c, err := s.resolveClient(w, r)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	body, err := s.clientJSON(r, c)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	if err := s.logAccess(r.Context(), c, r, studio.ActionAPI, "", ""); err != nil {
		s.Fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}

// clientJSON encodes the client view, or reuses the encoding made at the
// same versions of the data.
func (s *Server) clientJSON(r *http.Request, c *clientReq) ([]byte, error) {
	if body := s.views.get(c); body != nil {
		return body, nil
	}
	v, err := s.clientView(r.Context(), c)
	if err != nil {
		return nil, err
	}
	body, err := httpx.EncodeJSON(v)
	if err != nil {
		return nil, err
	}
	s.views.put(c, body)
	return body, nil
}

// Image sizes a client may fetch under a token, by their names in the
// JSON's URLs and by the one-letter names of the page's tiles, which repeat
// them in every srcset (page.go).
var imageSizes = map[string]string{
	"small": "small", "s": "small", // 360 px (files.SmallKey), made on first request if missing
	"thumb": "thumb", "t": "thumb", // 480 px
	"preview": "preview", "p": "preview", // 1600 px
}

// Image serves an approved rendering's small thumbnail, thumbnail or
// preview. The gallery fetches many at once, so images are neither logged
// nor counted; they pass the same link checks as everything else.
func (s *Server) Image(w http.ResponseWriter, r *http.Request) {
	c, err := s.resolveClientImage(w, r)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	size, ok := imageSizes[r.PathValue("size")]
	if !ok {
		s.Fail(w, r, studio.Errorf(studio.ECodeNotFound, "Not found."))
		return
	}
	rd, err := s.clientRendering(r, c, r.PathValue("id"))
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	etag := s.clientETag(size + "\x00" + rd.SHA256)
	switch size {
	case "small":
		obj, err := files.OpenSmall(r.Context(), s.files, rd.ThumbKey)
		if err != nil {
			s.Fail(w, r, err)
			return
		}
		defer obj.Close()
		w.Header().Set("Content-Type", "image/jpeg")
		s.serveClientContent(w, r, obj, etag, nil)
	case "preview":
		s.serveClientObject(w, r, rd.PreviewKey, "image/jpeg", etag)
	default:
		s.serveClientObject(w, r, rd.ThumbKey, "image/jpeg", etag)
	}
}

// clientRendering finds the approved rendering id of the link's project;
// anything else is not found.
func (s *Server) clientRendering(r *http.Request, c *clientReq, id string) (*studio.Rendering, error) {
	if !studio.ValidID(id) {
		return nil, studio.Errorf(studio.ECodeNotFound, "This picture is not available.")
	}
	rd, err := s.store.ApprovedRendering(r.Context(), c.Link.ProjectID, id)
	if err != nil {
		if studio.ErrorCode(err) == studio.ECodeNotFound {
			return nil, studio.Errorf(studio.ECodeNotFound, "This picture is not available.")
		}
		return nil, err
	}
	return rd, nil
}

// Logo serves the studio's logo under a token, like the images.
func (s *Server) Logo(w http.ResponseWriter, r *http.Request) {
	if _, err := s.resolveClientImage(w, r); err != nil {
		// The expired and deactivated pages show the logo too: it is the
		// studio's public face, the same under every link.
		// So does the PIN form.
		if code := studio.ErrorCode(err); code != studio.ECodeLinkExpired && code != studio.ECodeLinkDeactivated && code != studio.ECodePINRequired {
			s.Fail(w, r, err)
			return
		}
	}
	st, err := s.store.Settings(r.Context())
	if err == nil && st.LogoKey == "" {
		err = studio.Errorf(studio.ECodeNotFound, "The studio has no logo.")
	}
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	// A new logo is stored under a new key.
	s.serveClientObject(w, r, st.LogoKey, "image/jpeg", s.clientETag("logo\x00"+st.LogoKey))
}

// StudioLogo answers GET /client-logo: the studio's logo without a token,
// for the pages that have none that works (an unknown link's 404, the
// unsubscribe page). The logo is the studio's public face, shown with its
// name on those pages already; nothing of a project is behind it.
func (s *Server) StudioLogo(w http.ResponseWriter, r *http.Request) {
	st, err := s.store.Settings(r.Context())
	if err == nil && st.LogoKey == "" {
		err = studio.Errorf(studio.ECodeNotFound, "The studio has no logo.")
	}
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	s.serveClientObject(w, r, st.LogoKey, "image/jpeg", s.clientETag("logo\x00"+st.LogoKey))
}

// serveClientObject streams a stored image to a client (not logged).
func (s *Server) serveClientObject(w http.ResponseWriter, r *http.Request, key, ctype, etag string) {
	obj, err := s.files.Open(r.Context(), key)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	defer obj.Close()
	w.Header().Set("Content-Type", ctype)
	s.serveClientContent(w, r, obj, etag, nil)
}

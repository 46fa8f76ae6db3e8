package web

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
)

// adminFlash is a one-shot message shown after a redirect.
type adminFlash struct {
	Kind string // "ok" or "error"
	Text string
	Link string // a link id to highlight (a newly created client link)
}

// The flash travels in a short-lived cookie: set by the POST handler before
// its 303, read and cleared by the next page rendered. It carries only a
// message for the person who made the request, so it needs no signature.
const flashCookie = "atrium_flash"

func (s *Server) setFlash(w http.ResponseWriter, f adminFlash) {
	v := url.Values{"k": {f.Kind}, "t": {f.Text}}
	if f.Link != "" {
		v.Set("l", f.Link)
	}
	http.SetCookie(w, &http.Cookie{
		Name:     flashCookie,
		Value:    base64.RawURLEncoding.EncodeToString([]byte(v.Encode())),
		Path:     "/",
		MaxAge:   60,
		HttpOnly: true,
		Secure:   strings.HasPrefix(s.cfg.BaseURL, "https://"),
		SameSite: http.SameSiteLaxMode,
	})
}

func takeFlash(w http.ResponseWriter, r *http.Request) *adminFlash {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return nil
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	raw, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil {
		return nil
	}
	v, err := url.ParseQuery(string(raw))
	if err != nil || v.Get("t") == "" {
		return nil
	}
	f := &adminFlash{Kind: v.Get("k"), Text: v.Get("t"), Link: v.Get("l")}
	if f.Kind != "error" {
		f.Kind = "ok"
	}
	if !validID(f.Link) {
		f.Link = ""
	}
	return f
}

// redirect ends a successful POST: flash, then 303 to a page (post/redirect/get).
func (s *Server) redirect(w http.ResponseWriter, r *http.Request, to, message string) {
	if message != "" {
		s.setFlash(w, adminFlash{Kind: "ok", Text: message})
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

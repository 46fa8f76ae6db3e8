package portal

import (
	"bytes"
	"net/http"

	"atrium/internal/httpx"
	"atrium/internal/locale"
	"atrium/internal/studio"
)

// The one-click unsubscribe of a client's "new renderings to see" mail
// (RFC 8058). The token is derived from the server secret and the link id
// (studio.UnsubscribeToken), and found by its digest: no login, no id in
// the URL, not guessable for another link. GET shows a page with a button and changes
// nothing (mail scanners fetch every link of a message); POST, from that
// button or from the mail provider's one-click (body
// "List-Unsubscribe=One-Click", no cookies, no Origin), switches the
// updates off. Either way the answer is the confirmation page.

type unsubscribePage struct {
	Title, ThemeURL string
	Studio          *studio.ClientStudio
	StudioName      string
	L               *locale.L
	Project         string
	Action          string
	Done            bool
}

// Unsubscribe answers GET and POST /unsubscribe/{token}.
func (s *Server) Unsubscribe(w http.ResponseWriter, r *http.Request) {
	ip := httpx.LimitKey(s.clientIP(r))
	if blocked, retry := s.lookup.Blocked(ip); blocked {
		w.Header().Set("Retry-After", httpx.RetryAfter(retry))
		s.Fail(w, r, studio.Errorf(studio.ECodeRateLimited, "Too many attempts with links that do not work."))
		return
	}
	token := r.PathValue("token")
	var l *studio.Link
	var err error = studio.ErrNotFound
	if studio.WellFormedUnsubscribe(token) {
		l, err = s.store.LinkByUnsubscribe(r.Context(), studio.TokenDigest(token))
	}
	if studio.ErrorCode(err) == studio.ECodeNotFound {
		s.lookup.Fail(ip)
		s.Fail(w, r, linkInvalid())
		return
	}
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	p := &unsubscribePage{Action: "/unsubscribe/" + token}
	if r.Method == http.MethodPost {
		if err := s.store.Unsubscribe(r.Context(), l.ID); err != nil {
			s.Fail(w, r, err)
			return
		}
		p.Done = true
	} else if p.Done, err = s.store.UpdatesOff(r.Context(), l.ID); err != nil {
		s.Fail(w, r, err)
		return
	}
	if pr, err := s.store.Project(r.Context(), l.ProjectID); err == nil {
		p.Project = pr.Name
	}
	accent, studioLocale := "", ""
	if st, err := s.store.Settings(r.Context()); err == nil {
		cs := studio.NewClientStudio(st, studio.ClientURLs{})
		p.Studio, p.StudioName, accent, studioLocale = &cs, cs.Name, cs.AccentColor, st.Locale
	}
	p.L = locale.For(locale.Effective(l.Locale, studioLocale))
	p.ThemeURL = themeURL(accent)
	p.Title = p.L.T("Update emails")
	var buf bytes.Buffer
	if err := s.page(p.L.Code).ExecuteTemplate(&buf, "unsubscribe.html", p); err != nil {
		s.Fail(w, r, err)
		return
	}
	w.Header().Set("Content-Language", p.L.Code)
	httpx.WriteHTML(w, http.StatusOK, buf.Bytes())
}

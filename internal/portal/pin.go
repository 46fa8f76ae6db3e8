package portal

import (
	"net/http"
	"time"

	"atrium/internal/httpx"
	"atrium/internal/studio"
)

// Link PINs (docs/SECURITY.md, "Link PINs"). A link with a PIN opens its
// page only for a browser that entered the PIN: the page shows the PIN
// form instead, and the JSON, images, downloads and events answer 401
// pin_required. A correct PIN sets pinCookie twice, scoped to the page's
// path and to the API's (/client-progress/{token} and
// /api/client-progress/{token}): one name, two paths, so that no other
// link's requests carry it. It is signed (studio.PINCookie), HttpOnly and
// SameSite=Strict, and lasts the link's life, 30 days at most.
const pinCookie = "atrium_pin"

// hasPINCookie reports whether the request carries a valid PIN cookie for
// the link's current PIN.
func (s *Server) hasPINCookie(r *http.Request, l *studio.Link) bool {
	ck, err := r.Cookie(pinCookie)
	return err == nil && studio.PINCookieValid(s.cfg.Secret, l, ck.Value, s.now())
}

// pinPage is the PIN form on the page of a link that asks for one.
type pinPage struct {
	Action string
	Err    string // a message id (locale), formatted with ErrN when that is not 0
	ErrN   int
	Locked bool
	// Refresh reloads the page once when it was opened from another site
	// (a link in a mail): that navigation carries no SameSite=Strict
	// cookie, the reload does.
	Refresh bool
	Locale  string // the link's own, "" for the studio's
}

// renderPIN shows the PIN form, with nothing of the project: the studio's
// name, logo, colours and contact only.
func (s *Server) renderPIN(w http.ResponseWriter, r *http.Request, c *clientReq, status int, form pinPage) {
	form.Action = c.URLs.Page() + "/pin"
	form.Locale = c.Link.Locale
	if c.Link.LockedAt != nil {
		form.Locked, form.Err = true, "This link is locked after too many wrong PINs. Please ask the studio for help."
	}
	s.renderErrorPageWith(w, r, status, studio.ECodePINRequired, nil, c.URLs, &form)
}

// PINForm answers POST /client-progress/{token}/pin, the PIN form: a
// correct PIN sets the cookies and goes back to the page (303); a wrong
// one shows the form again (401). Wrong PINs count per link and address:
// past studio.PINTries in studio.PINWindow the form answers 429 with
// Retry-After, and studio.PINLockAfter in a day lock the link
// (store.RecordPINFailure). A locked link takes no PIN at all (423).
func (s *Server) PINForm(w http.ResponseWriter, r *http.Request) {
	c, err := s.resolveClientNoPIN(w, r)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	page := c.URLs.Page()
	if !c.Link.HasPIN() {
		http.Redirect(w, r, page, http.StatusSeeOther)
		return
	}
	if c.Link.LockedAt != nil {
		s.renderPIN(w, r, c, http.StatusLocked, pinPage{})
		return
	}
	ip, now := httpx.LimitKey(c.IP), s.now().UTC()
	n, oldest, err := s.store.PINFailures(r.Context(), c.Link.ID, ip, now.Add(-studio.PINWindow))
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	if n >= studio.PINTries {
		retry := oldest.Add(studio.PINWindow).Sub(now)
		w.Header().Set("Retry-After", httpx.RetryAfter(retry))
		s.renderPIN(w, r, c, http.StatusTooManyRequests, pinPage{Err: "Too many wrong PINs. Try again in %d minutes, or ask the studio.",
			ErrN: waitMinutes(retry)})
		return
	}
	if err := r.ParseForm(); err != nil {
		s.renderPIN(w, r, c, http.StatusBadRequest, pinPage{Err: "Enter the PIN: 4 to 8 digits."})
		return
	}
	pin := r.PostForm.Get("pin")
	if !studio.ValidPIN(pin) {
		s.renderPIN(w, r, c, http.StatusBadRequest, pinPage{Err: "Enter the PIN: 4 to 8 digits."})
		return
	}
	if !studio.PINMatches(s.cfg.Secret, c.Link.PINDigest, pin) {
		locked, err := s.store.RecordPINFailure(r.Context(), c.Link, ip, now)
		if err != nil {
			s.Fail(w, r, err)
			return
		}
		if locked {
			c.Link.LockedAt = &now
			s.renderPIN(w, r, c, http.StatusLocked, pinPage{})
			return
		}
		form := pinPage{Err: "That PIN is not right. Please try again."}
		if left := studio.PINTries - n - 1; left <= 2 {
			form = pinPage{Err: "That PIN is not right. %d tries are left before a pause.", ErrN: left}
			if left <= 0 {
				form = pinPage{Err: "That PIN is not right. Too many wrong PINs: try again in 15 minutes, or ask the studio."}
			}
		}
		s.renderPIN(w, r, c, http.StatusUnauthorized, form)
		return
	}
	until := studio.PINCookieUntil(c.Link, now)
	v := studio.PINCookie(s.cfg.Secret, c.Link, until)
	for _, path := range []string{page, c.URLs.JSON()} {
		http.SetCookie(w, &http.Cookie{Name: pinCookie, Value: v, Path: path, Expires: until,
			MaxAge: int(until.Sub(now) / time.Second), HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
	}
	http.Redirect(w, r, page, http.StatusSeeOther)
}

// waitMinutes is a wait in whole minutes, at least one.
func waitMinutes(d time.Duration) int {
	return max(1, int((d+time.Minute-1)/time.Minute))
}

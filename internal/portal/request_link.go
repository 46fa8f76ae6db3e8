package portal

import (
	"errors"
	"net/http"
	"sync"
	"time"

	"atrium/internal/httpx"
	"atrium/internal/store"
	"atrium/internal/studio"
)

// The expired and deactivated pages: they name the project, show the
// studio's logo, and offer one button, "Ask the studio for a new link",
// a form POST to /client-progress/{token}/request-link that tells the
// studio (a link_request notice) and comes back with 303 and a
// confirmation. One request a link an hour (store.RequestLink) and a few
// an hour from one address (requestLimit); over either, 429 with
// Retry-After. A cross-site POST never gets here (403, the server's
// cross-origin protection). Unknown tokens stay 404 and reveal nothing.

// deadLink is what the expired and deactivated pages add to the error page.
type deadLink struct {
	State      string // studio.ECodeLinkExpired or ECodeLinkDeactivated
	Project    string
	RequestURL string
	Requested  bool   // the studio was just asked (the 303's ?requested=1)
	Notice     string // why the request was not taken (429)
	Locale     string // the link's own, "" for the studio's
}

// renderDeadLink is the page of an expired or deactivated link, with the
// status and code its refusal got (err) and, after a request, a notice.
func (s *Server) renderDeadLink(w http.ResponseWriter, r *http.Request, cl *store.ClientLink, token string, err error, notice string) {
	f := httpx.Fail(s.log, r, err)
	d := &deadLink{State: cl.Link.State(s.now()), RequestURL: studio.ClientURLs{Token: token}.Page() + "/request-link", Notice: notice,
		Locale: cl.Link.Locale}
	if p, perr := s.store.Project(r.Context(), cl.Link.ProjectID); perr == nil {
		d.Project = p.Name
	}
	d.Requested = notice == "" && r.Method == http.MethodGet && r.URL.Query().Get("requested") == "1"
	s.renderErrorPage(w, r, f.Status, f.Code, d, studio.ClientURLs{Token: token})
}

// RequestLink answers POST /client-progress/{token}/request-link.
func (s *Server) RequestLink(w http.ResponseWriter, r *http.Request) {
	addr := s.clientIP(r)
	ip := httpx.LimitKey(addr)
	token := r.PathValue("token")
	if blocked, retry := s.lookup.Blocked(ip); blocked {
		w.Header().Set("Retry-After", httpx.RetryAfter(retry))
		s.Fail(w, r, studio.Errorf(studio.ECodeRateLimited, "Too many attempts with links that do not work."))
		return
	}
	var cl *store.ClientLink
	var err error
	if studio.WellFormedToken(token) {
		cl, err = s.store.LinkForClient(r.Context(), studio.TokenDigest(token))
	}
	if cl == nil {
		if err == nil || studio.ErrorCode(err) == studio.ECodeNotFound {
			s.lookup.Fail(ip)
			err = linkInvalid()
		}
		s.Fail(w, r, err)
		return
	}
	page := studio.ClientURLs{Token: token}.Page()
	state := cl.Link.State(s.now())
	if state == "" { // a working link needs no new one
		http.Redirect(w, r, page, http.StatusSeeOther)
		return
	}
	limited := func(retry time.Duration, msg string) {
		w.Header().Set("Retry-After", httpx.RetryAfter(retry))
		s.renderDeadLink(w, r, cl, token, studio.Errorf(studio.ECodeRateLimited, "%s", msg), msg)
	}
	if retry, ok := s.requests.take(ip, s.now()); !ok {
		limited(retry, "Several requests came from your connection in the last hour. Please try again later, or contact the studio directly.")
		return
	}
	ev := studio.AccessEvent{LinkID: cl.Link.ID, ProjectID: cl.Link.ProjectID, IP: addr, UserAgent: r.UserAgent(), At: s.now().UTC()}
	if err := s.store.RequestLink(r.Context(), ev); err != nil {
		var lr *store.ErrLinkRequested
		if errors.As(err, &lr) {
			limited(lr.RetryAfter, "The studio was already asked for a new link in the last hour. They will be in touch.")
			return
		}
		s.renderDeadLink(w, r, cl, token, err, "")
		return
	}
	http.Redirect(w, r, page+"?requested=1", http.StatusSeeOther)
}

// requestLimit counts link requests per client address in fixed windows
// of studio.LinkRequestEvery: at most studio.LinkRequestsPerIP each.
type requestLimit struct {
	mu   sync.Mutex
	seen map[string]*requestWindow
}

type requestWindow struct {
	start time.Time
	n     int
}

// take counts one request of key at now, or says how long until one may
// come.
func (l *requestLimit) take(key string, now time.Time) (time.Duration, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.seen == nil {
		l.seen = map[string]*requestWindow{}
	}
	if len(l.seen) > 10000 { // forget finished windows now and then
		for k, w := range l.seen {
			if now.Sub(w.start) >= studio.LinkRequestEvery {
				delete(l.seen, k)
			}
		}
	}
	w := l.seen[key]
	if w == nil || now.Sub(w.start) >= studio.LinkRequestEvery {
		w = &requestWindow{start: now}
		l.seen[key] = w
	}
	if w.n >= studio.LinkRequestsPerIP {
		return w.start.Add(studio.LinkRequestEvery).Sub(now), false
	}
	w.n++
	return 0, true
}

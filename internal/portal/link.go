package portal

import (
	"context"
	"net/http"
	"time"

	"atrium/internal/httpx"
	"atrium/internal/locale"
	"atrium/internal/store"
	"atrium/internal/studio"
)

// Group commit of the access log (store.AccessLog): a row waits at most
// accessLogDelay for company, and rows that queue during a commit go out
// together in the next one at once. 500µs measured best here (bench/client.sh,
// docs/PERFORMANCE.md): no wait at all means many one-row fsyncs under
// load; 2ms adds a fixed wait to every request when clients wait on
// answers one at a time.
const (
	accessLogDelay = 500 * time.Microsecond
	accessLogBatch = 256
)

// clientReq is a client request whose token resolved to a working link.
type clientReq struct {
	Link  *studio.Link
	Token string
	URLs  studio.ClientURLs
	IP    string // the client's address, after trusted proxies
	// versions identifies the data the client view is built from, read in
	// the same query as the link (cache.go).
	versions string
	// pageView is set for the HTML page, the one request that counts as a
	// visit (studio.Link.PreviousVisit).
	pageView bool
}

// resolveClient turns the {token} of the path into a working link. It
// refuses a malformed or unknown token (link_invalid), and an expired or
// deactivated link (link_expired, link_deactivated, logged as denied). Every
// refusal spends one of the IP's failed lookups; over that limit the
// refusals are rate_limited and logged nowhere, so that a flood on a dead
// link cannot flood its access log. Link state comes from
// store.LinkForClient on every request: the database, or on PostgreSQL the
// link cache that LISTEN/NOTIFY keeps true (store/linkcache.go).
func (s *Server) resolveClient(w http.ResponseWriter, r *http.Request) (*clientReq, error) {
	return s.resolve(w, r, true, true)
}

// resolveClientNoPIN is resolveClient without the PIN check: for the PIN
// form itself (pin.go).
func (s *Server) resolveClientNoPIN(w http.ResponseWriter, r *http.Request) (*clientReq, error) {
	return s.resolve(w, r, true, false)
}

// resolveClientImage is resolveClient for the portal's images (thumbnails,
// previews, the logo): the same checks and answers, but a dead link's
// refusal is not logged, as no image request is (docs/openapi.yaml): a page of a
// dead link would otherwise leave a denied row per picture.
func (s *Server) resolveClientImage(w http.ResponseWriter, r *http.Request) (*clientReq, error) {
	return s.resolve(w, r, false, true)
}

// resolve is resolveClient's work. With pin set, a working link with a PIN
// also needs the request to carry its PIN cookie (pin.go); without it the
// request is refused as pin_required, not logged and spending no lookup.
func (s *Server) resolve(w http.ResponseWriter, r *http.Request, logDenied, pin bool) (*clientReq, error) {
	c, err := s.resolveLink(w, r, logDenied)
	if err == nil && pin && c.Link.HasPIN() && !s.hasPINCookie(r, c.Link) {
		return nil, studio.Errorf(studio.ECodePINRequired, "This link asks for a PIN. Open it and enter the PIN the studio gave you.")
	}
	return c, err
}

func (s *Server) resolveLink(w http.ResponseWriter, r *http.Request, logDenied bool) (*clientReq, error) {
	addr := s.clientIP(r)
	ip := httpx.LimitKey(addr)
	token := r.PathValue("token")
	if blocked, retry := s.lookup.Blocked(ip); blocked {
		// A working link is never throttled: check it before refusing.
		if studio.WellFormedToken(token) {
			if cl, err := s.store.LinkForClient(r.Context(), studio.TokenDigest(token)); err == nil && cl.Link.State(s.now()) == "" {
				return s.checkLink(r, cl, token, addr, "", logDenied)
			}
		}
		w.Header().Set("Retry-After", httpx.RetryAfter(retry))
		return nil, studio.Errorf(studio.ECodeRateLimited, "Too many attempts with links that do not work. Try again in %s seconds.", httpx.RetryAfter(retry))
	}
	if !studio.WellFormedToken(token) {
		s.lookup.Fail(ip)
		return nil, linkInvalid()
	}
	cl, err := s.store.LinkForClient(r.Context(), studio.TokenDigest(token))
	if err != nil {
		if studio.ErrorCode(err) == studio.ECodeNotFound {
			s.lookup.Fail(ip)
			return nil, linkInvalid()
		}
		return nil, err
	}
	state := cl.Link.State(s.now())
	if state != "" {
		s.lookup.Fail(ip)
	}
	return s.checkLink(r, cl, token, addr, state, logDenied)
}

func linkInvalid() error {
	return studio.Errorf(studio.ECodeLinkInvalid, "This link does not exist. Check that it was copied whole.")
}

// checkLink turns a link in the given state ("" for working) into the
// request's clientReq, or refuses an expired or deactivated one, logging
// the refusal when logDenied is set.
func (s *Server) checkLink(r *http.Request, cl *store.ClientLink, token, addr, state string, logDenied bool) (*clientReq, error) {
	c := &clientReq{Link: cl.Link, Token: token, URLs: studio.ClientURLs{Token: token}, IP: addr, versions: cl.Versions}
	if state == "" {
		return c, nil
	}
	reason, msg := "expired", "This link has expired."
	if state != studio.ECodeLinkExpired {
		reason, msg = "deactivated", "This link has been switched off by the studio."
	}
	if logDenied {
		if err := s.logAccess(r.Context(), c, r, studio.ActionDenied, "", reason); err != nil {
			return nil, err
		}
	}
	return nil, studio.Errorf(state, "%s", msg)
}

// logAccess records one client interaction and returns once it is
// committed, so that no 2xx goes out before its log row is durable. Rows of
// concurrent requests share a commit (store.AccessLog): call it before
// writing any of the response. The access log makes the request's texts
// storable (studio.AccessEvent.Clean): a user agent may be any bytes.
// A link-preview bot's request or a HEAD is logged as a preview, which
// counts as no use (studio.CountedAction).
func (s *Server) logAccess(ctx context.Context, c *clientReq, r *http.Request, action, renderingID, reason string) error {
	ev := studio.AccessEvent{
		LinkID:      c.Link.ID,
		ProjectID:   c.Link.ProjectID,
		Action:      studio.CountedAction(action, r.Method, r.UserAgent()),
		RenderingID: renderingID,
		Reason:      reason,
		IP:          c.IP,
		UserAgent:   r.UserAgent(),
		At:          s.now().UTC(),
	}
	return s.access.Log(ctx, ev)
}

// clientView loads the sanitized view of the link's project.
func (s *Server) clientView(ctx context.Context, c *clientReq) (*studio.ClientView, error) {
	p, err := s.store.ProjectForClient(ctx, c.Link.ProjectID)
	if err != nil {
		return nil, err
	}
	st, err := s.store.Settings(ctx)
	if err != nil {
		return nil, err
	}
	s.noteLogo(ctx, st.LogoKey)
	v := studio.NewClientView(p, st, c.Link, c.URLs, c.Link.PreviousVisit(s.now(), c.pageView))
	// Phase names are the client's language's (the page's and the JSON's).
	l := locale.For(v.Link.Locale)
	for i := range v.Rooms {
		for j := range v.Rooms[i].Phases {
			v.Rooms[i].Phases[j].Name = l.T(v.Rooms[i].Phases[j].Name)
		}
	}
	return v, nil
}

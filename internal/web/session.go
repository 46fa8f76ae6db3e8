package web

import (
	"net/http"
	"strings"
	"time"

	"atrium/internal/auth"
	"atrium/internal/httpx"
	"atrium/internal/studio"
)

const sessionCookie = "atrium_session"

// sessionUser resolves the session cookie to an enabled staff member,
// enforcing the idle and absolute timeouts.
func (s *Server) sessionUser(r *http.Request) (*studio.User, string) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" || len(c.Value) > 100 {
		return nil, ""
	}
	digest := auth.SessionDigest(c.Value)
	sess, err := s.store.SessionByDigest(r.Context(), digest)
	if err != nil {
		return nil, ""
	}
	now := s.now()
	if now.Sub(sess.LastSeenAt) > s.cfg.SessionIdle || now.Sub(sess.CreatedAt) > s.cfg.SessionAbsolute {
		s.store.DeleteSession(r.Context(), digest)
		return nil, ""
	}
	// Write the idle clock at most once a minute, not on every request.
	if now.Sub(sess.LastSeenAt) > time.Minute {
		if err := s.store.TouchSession(r.Context(), digest); err != nil {
			s.log.Warn("touch session", "err", err)
		}
	}
	return sess.User, digest
}

// deviceCookie marks a browser that has signed in to an account before
// (auth.SignDevice); deviceLifetime is how long it stays known without a
// new sign-in.
const (
	deviceCookie   = "atrium_device"
	deviceLifetime = 365 * 24 * time.Hour
)

// login checks credentials under the per-IP and per-account failure limits
// and starts a session. It returns the user and sets the cookies.
func (s *Server) login(w http.ResponseWriter, r *http.Request, email, password string) (*studio.User, error) {
	ip := s.clientIP(r)
	account := strings.ToLower(strings.TrimSpace(email))
	// Each attempt holds a failure of both allowances while it is judged, so
	// a burst of parallel guesses is held to the limit too. The account comes
	// first: a known device of it has allowances of its own (holdAttempt).
	failed := false
	u, err := s.store.UserByEmail(r.Context(), account)
	if err != nil && studio.ErrorCode(err) != studio.ECodeNotFound {
		return nil, err
	}
	done, err := s.holdAttempt(w, r, ip, account, u)
	if err != nil {
		return nil, err
	}
	defer func() { done(failed) }()
	if u == nil || u.Disabled {
		auth.BurnPasswordCheck(password)
	}
	if u == nil || u.Disabled || !auth.CheckPassword(u.PasswordHash, password) {
		failed = true
		s.log.Warn("login failed", "ip", ip)
		return nil, studio.Errorf(studio.ECodeInvalidCredentials, "The email or password is not right.")
	}
	id, digest := auth.NewSessionID()
	if err := s.store.CreateSession(r.Context(), digest, u.ID); err != nil {
		return nil, err
	}
	http.SetCookie(w, &http.Cookie{
		Name:     sessionCookie,
		Value:    id,
		Path:     "/",
		HttpOnly: true,
		Secure:   strings.HasPrefix(s.cfg.BaseURL, "https://"),
		SameSite: http.SameSiteLaxMode,
		MaxAge:   int(s.cfg.SessionAbsolute.Seconds()),
	})
	s.setDeviceCookie(w, r, u)
	return u, nil
}

// takeAttempt holds one failure of key's allowance in lim while a password
// is checked (auth.Limiter.Take), or answers rate_limited.
func (s *Server) takeAttempt(w http.ResponseWriter, lim *auth.Limiter, key string) (func(failed bool), error) {
	done, retry, ok := lim.Take(key)
	if !ok {
		w.Header().Set("Retry-After", httpx.RetryAfter(retry))
		return nil, studio.Errorf(studio.ECodeRateLimited, "Too many failed sign-ins. Try again in %s seconds.", httpx.RetryAfter(retry))
	}
	return done, nil
}

// holdAttempt holds one failure of the IP's and of the account's sign-in
// allowances while u's password is checked (takeAttempt); done gives back
// or spends both. The keys: a request with a valid known-device cookie of
// this very account has allowances of its own, per device at its address
// and for the account, so failures from other browsers, even behind the
// same address (an office's NAT), never block a browser the account has
// signed in from; every other request shares the address's allowance and
// the account's "unknown" one.
func (s *Server) holdAttempt(w http.ResponseWriter, r *http.Request, ip, account string, u *studio.User) (done func(failed bool), err error) {
	ipKey, accKey := httpx.LimitKey(ip), account+"\x00unknown"
	if u != nil {
		if userID, device, ok := s.knownDevice(r); ok && userID == u.ID {
			ipKey, accKey = ipKey+"\x00known:"+device, account+"\x00"+device
		}
	}
	ipDone, err := s.takeAttempt(w, s.loginIP, ipKey)
	if err != nil {
		return nil, err
	}
	accDone, err := s.takeAttempt(w, s.loginAcc, accKey)
	if err != nil {
		ipDone(false)
		return nil, err
	}
	return func(failed bool) {
		accDone(failed)
		ipDone(failed)
	}, nil
}

// knownDevice reads a valid known-device cookie.
func (s *Server) knownDevice(r *http.Request) (userID, device string, ok bool) {
	c, err := r.Cookie(deviceCookie)
	if err != nil {
		return "", "", false
	}
	return auth.ParseDevice(s.deviceKey, c.Value, s.now())
}

// setDeviceCookie marks the browser as known to u, keeping its device id
// when it already was, for deviceLifetime from now.
func (s *Server) setDeviceCookie(w http.ResponseWriter, r *http.Request, u *studio.User) {
	userID, device, ok := s.knownDevice(r)
	if !ok || userID != u.ID {
		device = auth.NewDeviceID()
	}
	http.SetCookie(w, &http.Cookie{
		Name:     deviceCookie,
		Value:    auth.SignDevice(s.deviceKey, u.ID, device, s.now().Add(deviceLifetime)),
		Path:     "/",
		HttpOnly: true,
		Secure:   strings.HasPrefix(s.cfg.BaseURL, "https://"),
		SameSite: http.SameSiteLaxMode,
		MaxAge:   int(deviceLifetime.Seconds()),
	})
}

// logout ends the session on the server and clears the cookie.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		if err := s.store.DeleteSession(r.Context(), auth.SessionDigest(c.Value)); err != nil {
			return err
		}
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: strings.HasPrefix(s.cfg.BaseURL, "https://"), SameSite: http.SameSiteLaxMode})
	return nil
}

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
	// first: a known device of it has an allowance of its own (ipKey).
	failed := false
	u, err := s.store.UserByEmail(r.Context(), account)
	if err != nil && studio.ErrorCode(err) != studio.ECodeNotFound {
		return nil, err
	}
	ipDone, err := s.takeAttempt(w, s.loginIP, s.ipKey(r, ip, u))
	if err != nil {
		return nil, err
	}
	defer func() { ipDone(failed) }()
	accDone, err := s.takeAttempt(w, s.loginAcc, s.accountKey(r, account, u))
	if err != nil {
		return nil, err
	}
	defer func() { accDone(failed) }()
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

// accountKey is the per-account limiter key of an attempt: the account and
// the device when the request carries a valid known-device cookie of this
// very account, the account and "unknown" otherwise. Failures from unknown
// browsers then use up only the unknown allowance, and never block a
// browser the account has signed in from.
func (s *Server) accountKey(r *http.Request, account string, u *studio.User) string {
	if u != nil {
		if userID, device, ok := s.knownDevice(r); ok && userID == u.ID {
			return account + "\x00" + device
		}
	}
	return account + "\x00unknown"
}

// ipKey is the per-IP limiter key of an attempt on u's password: the
// address's (limitKey) and, for a request with a valid known-device cookie
// of this very account, the device's own allowance at that address.
// Failures from other browsers behind the same address (an office's NAT)
// then never block a browser the account has signed in from, while unknown
// browsers share the address's allowance and a known one is held to its own.
func (s *Server) ipKey(r *http.Request, ip string, u *studio.User) string {
	if u != nil {
		if userID, device, ok := s.knownDevice(r); ok && userID == u.ID {
			return httpx.LimitKey(ip) + "\x00known:" + device
		}
	}
	return httpx.LimitKey(ip)
}

// knownDevice reads a valid known-device cookie.
func (s *Server) knownDevice(r *http.Request) (userID, device string, ok bool) {
	c, err := r.Cookie(deviceCookie)
	if err != nil {
		return "", "", false
	}
	return auth.ParseDevice(auth.DeviceKey(s.cfg.Secret), c.Value, s.now())
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
		Value:    auth.SignDevice(auth.DeviceKey(s.cfg.Secret), u.ID, device, s.now().Add(deviceLifetime)),
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

// Package mail sends Atrium's email: the studio's notifications, links
// sent to clients and their "new renderings to see" updates. Messages are
// rendered into the outbox (store, table mails) when they are made; the
// Sender delivers them by SMTP with github.com/wneessen/go-mail, retrying
// with backoff, and claims rows so that several instances on one
// PostgreSQL database send each message once.
package mail

import (
	"fmt"
	"net"
	netmail "net/mail"
	"net/url"
	"strconv"
	"strings"
)

// Server is where mail goes: ATRIUM_SMTP_URL, parsed.
type Server struct {
	Host     string
	Port     int
	Username string
	Password string
	TLS      bool // smtps: TLS from the first byte; smtp: STARTTLS when the server offers it
}

// ParseServer reads smtp://user:pass@host:port or smtps://... (user and
// password optional, URL-escaped; port default 587 for smtp, 465 for
// smtps). The error never repeats the password.
func ParseServer(raw string) (*Server, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("ATRIUM_SMTP_URL is not a URL like smtp://user:password@host:587")
	}
	srv := &Server{}
	switch u.Scheme {
	case "smtp":
		srv.Port = 587
	case "smtps":
		srv.Port, srv.TLS = 465, true
	default:
		return nil, fmt.Errorf("ATRIUM_SMTP_URL must start with smtp:// or smtps://, not %q", u.Scheme+"://")
	}
	srv.Host = u.Hostname()
	if srv.Host == "" {
		return nil, fmt.Errorf("ATRIUM_SMTP_URL names no host")
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return nil, fmt.Errorf("ATRIUM_SMTP_URL: port %q is not a port number", p)
		}
		srv.Port = n
	}
	if u.Path != "" && u.Path != "/" || u.RawQuery != "" {
		return nil, fmt.Errorf("ATRIUM_SMTP_URL takes no path or query")
	}
	if u.User != nil {
		srv.Username = u.User.Username()
		srv.Password, _ = u.User.Password()
	}
	return srv, nil
}

// Addr is host:port.
func (s *Server) Addr() string { return net.JoinHostPort(s.Host, strconv.Itoa(s.Port)) }

// ParseFrom reads ATRIUM_MAIL_FROM: an address, with or without a name
// ("Studio Portal <portal@studio.example>").
func ParseFrom(raw string) (*netmail.Address, error) {
	a, err := netmail.ParseAddress(strings.TrimSpace(raw))
	if err != nil {
		return nil, fmt.Errorf("ATRIUM_MAIL_FROM %q is not an email address", raw)
	}
	return a, nil
}

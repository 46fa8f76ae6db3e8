// Package portal is what a client sees: the lookup of a client link, the
// client page, the client JSON API, image downloads and the live-update
// stream, with their templates and static files. It imports neither auth
// nor anything of the admin UI: what a client can see ends at this
// package's boundary, and reaches it only as studio's sanitized client view.
// internal/web builds it (New) and lists its routes in routes.go.
package portal

import (
	"context"
	"embed"
	"html/template"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"atrium/internal/files"
	"atrium/internal/httpx"
	"atrium/internal/live"
	"atrium/internal/locale"
	"atrium/internal/store"
	"atrium/internal/studio"
)

// Config is what the portal needs to know beyond its dependencies. The
// server fills the defaults (web.Config.Defaults).
type Config struct {
	Secret          []byte // derives the ETags of client objects (content.go)
	TrustedProxies  []netip.Prefix
	MaxStreamsPerIP int // open live-update streams from one client address; more get 429
	MaxStreams      int // open live-update streams on this instance; more get 503
	// Clock tells the time of link expiries; nil means time.Now.
	Clock studio.Clock
	// FeedbackPerLink and FeedbackPerIP count a client's writes (feedback)
	// per link and per address; past either, writes are rate_limited.
	FeedbackPerLink, FeedbackPerIP Limiter

	// Live-update stream timings (events.go).
	EventHeartbeat    time.Duration
	EventRetry        time.Duration
	EventDebounce     time.Duration
	EventWriteTimeout time.Duration
}

// Limiter counts failed link lookups per client address (auth.Limiter
// is one): a refused token spends one, and past the limit lookups are
// refused as rate_limited.
type Limiter interface {
	Blocked(key string) (bool, time.Duration)
	Fail(key string)
	// Take holds one unit of key's allowance while an attempt is judged
	// (auth.Limiter.Take): done(true) spends it, done(false) gives it back.
	Take(key string) (done func(failed bool), retry time.Duration, ok bool)
}

// Server holds the dependencies of the client side's handlers.
type Server struct {
	cfg    Config
	store  *store.Store
	files  files.Storage
	live   live.Broker
	log    *slog.Logger
	lookup Limiter                       // failed token lookups by client address
	access *store.AccessLog              // client access rows, group-committed (link.go)
	views  viewCache                     // encoded client JSON by link (cache.go)
	sse    streams                       // the open client event streams (events.go)
	pages  map[string]*template.Template // by locale
	// requests counts link requests per client address (request_link.go).
	requests requestLimit
}

//go:embed static
var staticFS embed.FS

// Static is the client page's CSS and JS, served by the server's one
// /static/{name} route (httpx.ServeStatic).
var Static = httpx.LoadAssets(staticFS, "static")

// New builds the portal. It parses the templates and fails if one is bad.
func New(cfg Config, st *store.Store, fs files.Storage, broker live.Broker, lookup Limiter, log *slog.Logger) (*Server, error) {
	pages, err := parseTemplates(templateFS)
	if err != nil {
		return nil, err
	}
	return &Server{
		cfg:    cfg,
		store:  st,
		files:  fs,
		live:   broker,
		log:    log,
		lookup: lookup,
		access: store.NewAccessLog(st, accessLogDelay, accessLogBatch),
		pages:  pages,
	}, nil
}

// now is the portal's clock.
func (s *Server) now() time.Time { return s.cfg.Clock.Now() }

// Close ends the event streams and commits the access rows still queued.
// If ctx ends first, Close returns ctx.Err() and the commit goes on in the
// background.
func (s *Server) Close(ctx context.Context) error {
	s.StopStreams()
	done := make(chan struct{})
	go func() {
		s.access.Close()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Fail is the portal's error path, the client side's half of the server's
// one (web's Server.fail hands it the client pages): httpx.Fail maps the
// error to its code and status and logs an internal one; under /api/ the
// answer is the JSON envelope, elsewhere the client's error page.
func (s *Server) Fail(w http.ResponseWriter, r *http.Request, err error) {
	f := httpx.Fail(s.log, r, err)
	if strings.HasPrefix(r.URL.Path, "/api/") {
		httpx.WriteJSONError(w, f)
		return
	}
	s.renderError(w, r, f.Status, f.Code)
}

// page is the page templates of locale code.
func (s *Server) page(code string) *template.Template {
	if t, ok := s.pages[code]; ok {
		return t
	}
	return s.pages[locale.Default]
}

func (s *Server) clientIP(r *http.Request) string { return httpx.ClientIP(r, s.cfg.TrustedProxies) }

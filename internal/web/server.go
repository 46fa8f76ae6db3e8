// Package web is Atrium's HTTP server: the staff JSON API, the client portal
// and its API, and the admin UI. routes.go lists every route in one place.
package web

import (
	"context"
	"html/template"
	"log/slog"
	"net/http"
	"net/netip"
	"runtime"
	"strings"
	"time"

	"atrium/internal/auth"
	"atrium/internal/files"
	"atrium/internal/live"
	"atrium/internal/mail"
	"atrium/internal/portal"
	"atrium/internal/store"
	"atrium/internal/studio"
)

// DefaultDecodeMemory is Config.DecodeMemory's default.
const DefaultDecodeMemory = 1 << 30

// Config is what the server needs to know beyond its dependencies.
type Config struct {
	BaseURL         string // e.g. https://portal.studio.example; builds client links
	TempDir         string // where uploads are spooled while checked
	Secret          []byte // derives client link tokens; never stored in the database
	MaxUploadBytes  int64
	MaxPixels       int64
	TrustedProxies  []netip.Prefix
	LoginPerMinute  int // failed logins allowed per account and per IP
	LookupPerMinute int // failed client token lookups allowed per IP
	// FeedbackPerHour and FeedbackPerIPHour bound a client's writes
	// (feedback) per link and per address: 30 and 60 an hour.
	FeedbackPerHour, FeedbackPerIPHour int
	SessionIdle                        time.Duration
	SessionAbsolute                    time.Duration
	DecodeSlots                        int // image decodes at once, to bound CPU; default one per core
	// DecodeMemory is the memory image decodes may hold at once, as counted
	// from each image's header (files.DecodeCost); default 1 GB.
	DecodeMemory int64

	// Mail delivers email (the outbox's sender); nil or without a mail
	// server, links cannot be sent by email and notices stay in-app.
	Mail *mail.Sender

	// HealthEvery is how long /healthz reuses its write probes; default 5 s.
	HealthEvery time.Duration

	// Slow and greedy clients (slowclients.go); zero means the default.
	MaxConnsPerIP   int           // open connections from one client address, IPv6 per /64 (100); trusted proxies exempt
	BodyTimeout     time.Duration // what a request body may take beyond its size at BodyMinRate (10 s)
	BodyMinRate     int64         // bytes a second a request body must average while the server waits for it (8 KiB)
	WriteTimeout    time.Duration // what each piece of an answer (up to 256 KiB) may take beyond its size at WriteMinRate (15 s)
	WriteMinRate    int64         // bytes a second (16 KiB)
	MaxStreamsPerIP int           // open live-update streams from one client address (16); more get 429
	MaxStreams      int           // open live-update streams on this instance (1000); more get 503

	// Clock tells the time of expiries, sessions and limits (studio.Clock
	// says what stays wall time); nil means time.Now. Give the store the
	// same one (store.SetClock).
	Clock studio.Clock

	// Live-update stream timings (internal/portal/events.go); zero means the default.
	EventHeartbeat    time.Duration // a keep-alive comment, and a look at the link, this often (20 s)
	EventRetry        time.Duration // the reconnection delay the stream asks of the browser (5 s)
	EventDebounce     time.Duration // how long a burst of changes is gathered into one update (150 ms)
	EventWriteTimeout time.Duration // what one write may take before the client is dropped (15 s)
}

// Defaults fills the zero fields of c with the documented defaults.
func (c Config) Defaults() Config {
	if c.BaseURL == "" {
		c.BaseURL = "http://localhost:8080"
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	if c.MaxUploadBytes == 0 {
		c.MaxUploadBytes = 200 << 20
	}
	if c.MaxPixels == 0 {
		c.MaxPixels = 100_000_000
	}
	if c.LoginPerMinute == 0 {
		c.LoginPerMinute = 10
	}
	if c.LookupPerMinute == 0 {
		c.LookupPerMinute = 20
	}
	if c.FeedbackPerHour <= 0 {
		c.FeedbackPerHour = 30
	}
	if c.FeedbackPerIPHour <= 0 {
		c.FeedbackPerIPHour = 60
	}
	if c.SessionIdle == 0 {
		c.SessionIdle = 12 * time.Hour
	}
	if c.SessionAbsolute == 0 {
		c.SessionAbsolute = 14 * 24 * time.Hour
	}
	if c.DecodeSlots <= 0 {
		c.DecodeSlots = max(1, runtime.NumCPU())
	}
	if c.DecodeMemory <= 0 {
		c.DecodeMemory = DefaultDecodeMemory
	}
	if c.HealthEvery <= 0 {
		c.HealthEvery = 5 * time.Second
	}
	c.slowClientDefaults()
	c.eventDefaults()
	return c
}

// Server holds the dependencies of every handler.
type Server struct {
	cfg      Config
	store    *store.Store
	files    files.Storage
	live     live.Broker
	log      *slog.Logger
	loginIP  *auth.Limiter
	loginAcc *auth.Limiter
	// deviceKey signs the known-device cookies (session.go).
	deviceKey []byte
	portal    *portal.Server // the client side: link lookup, page, API, downloads, events
	handler   http.Handler
	// ingests bounds concurrent image decodes by CPU, decodeMem by memory.
	ingests    chan struct{}
	decodeMem  *decodeBudget
	health     health                        // the last /healthz probes (health.go)
	adminPages map[string]*template.Template // the parsed admin pages (admin_page.go)
}

// New builds the server. It parses the templates and fails if one is bad.
func New(cfg Config, st *store.Store, fs files.Storage, broker live.Broker, log *slog.Logger) (*Server, error) {
	cfg = cfg.Defaults()
	adminPages, err := parseAdminTemplates(adminTemplateFS)
	if err != nil {
		return nil, err
	}
	lookupIP := auth.NewLimiter(cfg.LookupPerMinute, cfg.LookupPerMinute, cfg.Clock)
	client, err := portal.New(portal.Config{
		Secret:            cfg.Secret,
		TrustedProxies:    cfg.TrustedProxies,
		MaxStreamsPerIP:   cfg.MaxStreamsPerIP,
		MaxStreams:        cfg.MaxStreams,
		Clock:             cfg.Clock,
		FeedbackPerLink:   auth.NewHourlyLimiter(cfg.FeedbackPerHour, cfg.Clock),
		FeedbackPerIP:     auth.NewHourlyLimiter(cfg.FeedbackPerIPHour, cfg.Clock),
		EventHeartbeat:    cfg.EventHeartbeat,
		EventRetry:        cfg.EventRetry,
		EventDebounce:     cfg.EventDebounce,
		EventWriteTimeout: cfg.EventWriteTimeout,
	}, st, fs, broker, lookupIP, log)
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg:        cfg,
		store:      st,
		files:      fs,
		live:       broker,
		log:        log,
		loginIP:    auth.NewLimiter(cfg.LoginPerMinute, cfg.LoginPerMinute, cfg.Clock),
		loginAcc:   auth.NewLimiter(cfg.LoginPerMinute/2+1, cfg.LoginPerMinute/2+1, cfg.Clock),
		deviceKey:  auth.DeviceKey(cfg.Secret),
		portal:     client,
		ingests:    make(chan struct{}, cfg.DecodeSlots),
		adminPages: adminPages,
	}
	s.decodeMem = newDecodeBudget(cfg.DecodeMemory)
	mux := http.NewServeMux()
	s.routes(mux)
	s.handler = s.guardSlowClients(s.logRequests(baseHeaders(clientHeaders(s.crossOriginProtection().Handler(mux)))))
	return s, nil
}

// now is the server's clock.
func (s *Server) now() time.Time { return s.cfg.Clock.Now() }

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Close stops background work: it ends the client event streams and
// commits the access rows still queued (portal.Server.Close). If ctx ends
// first, Close returns ctx.Err() and the commit goes on in the background.
func (s *Server) Close(ctx context.Context) error { return s.portal.Close(ctx) }

// StopStreams ends every open client event stream; clients reconnect (to
// another instance, or to this one once it is back). Call it when shutting
// down, before or alongside http.Server.Shutdown.
func (s *Server) StopStreams() { s.portal.StopStreams() }

// Config returns the server's effective configuration.
func (s *Server) Config() Config { return s.cfg }

// eventDefaults fills the stream timings (Config.Event*). They pace real
// work, so they are wall time, not the server's Clock.
func (c *Config) eventDefaults() {
	if c.EventHeartbeat <= 0 {
		c.EventHeartbeat = 20 * time.Second
	}
	if c.EventRetry <= 0 {
		c.EventRetry = 5 * time.Second
	}
	if c.EventDebounce <= 0 {
		c.EventDebounce = 150 * time.Millisecond // lets a burst of edits become one update
	}
	if c.EventWriteTimeout <= 0 {
		c.EventWriteTimeout = 15 * time.Second // a client that stops reading is dropped
	}
}

package web

import (
	"context"
	"net/http"
	"sync"
	"time"

	"atrium/internal/httpx"
)

// healthz answers 200 while the database and the file storage both take
// writes, else 503 saying which part failed:
// {"status":"unavailable","database":"ok","storage":"unwritable"}. The
// database is "unavailable" when it does not answer and "unwritable" when a
// committed write fails (a full disk, a read-only database); the storage is
// "unwritable" when a small probe object cannot be written, synced and
// removed. Probes run at most once per Config.HealthEvery; requests in
// between get the last result, so that a flood of /healthz cannot hammer
// the disk.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	db, storage := s.probeHealth(r.Context())
	w.Header().Set("Cache-Control", "no-store")
	status, body := http.StatusOK, map[string]string{"status": "ok", "database": db, "storage": storage}
	if db != "ok" || storage != "ok" {
		status, body["status"] = http.StatusServiceUnavailable, "unavailable"
	}
	httpx.WriteJSON(w, status, body)
}

// health is the last result of the /healthz probes.
type health struct {
	mu          sync.Mutex // held while probing: concurrent requests wait for the one probe
	at          time.Time  // when the last probes ran; zero before the first
	db, storage string
}

// probeHealth returns the state of the database and of the storage,
// probing them if the last probes are older than Config.HealthEvery.
func (s *Server) probeHealth(ctx context.Context) (db, storage string) {
	h := &s.health
	h.mu.Lock()
	defer h.mu.Unlock()
	// The server's clock, so that tests move past HealthEvery without sleeping.
	if !h.at.IsZero() && s.now().Sub(h.at) < s.cfg.HealthEvery {
		return h.db, h.storage
	}
	// The probes finish even if this request goes away: others wait on them.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 3*time.Second)
	defer cancel()
	h.db, h.storage = "ok", "ok"
	if err := s.store.Ping(ctx); err != nil {
		s.log.Error("healthz: database", "err", err)
		h.db = "unavailable"
	} else if err := s.store.ProbeWrite(ctx); err != nil {
		s.log.Error("healthz: database write", "err", err)
		h.db = "unwritable"
	}
	if err := s.files.Ping(ctx); err != nil {
		s.log.Error("healthz: storage", "err", err)
		h.storage = "unwritable"
	}
	h.at = s.now()
	return h.db, h.storage
}

const robotsTxt = "User-agent: *\nDisallow: /client-progress/\nDisallow: /api/\nDisallow: /admin\n"

func (s *Server) robots(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte(robotsTxt))
}

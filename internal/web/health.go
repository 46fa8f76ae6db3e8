package web

import (
	"context"
	"net/http"
	"time"
)

// healthz answers 200 once the database and the file storage both answer.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	w.Header().Set("Cache-Control", "no-store")
	status, body := http.StatusOK, map[string]string{"status": "ok", "database": "ok", "storage": "ok"}
	if err := s.store.Ping(ctx); err != nil {
		s.log.Error("healthz: database", "err", err)
		status, body["status"], body["database"] = http.StatusServiceUnavailable, "unavailable", "unavailable"
	}
	if err := s.files.Ping(ctx); err != nil {
		s.log.Error("healthz: storage", "err", err)
		status, body["status"], body["storage"] = http.StatusServiceUnavailable, "unavailable", "unavailable"
	}
	writeJSON(w, status, body)
}

const robotsTxt = "User-agent: *\nDisallow: /client-progress/\nDisallow: /api/\nDisallow: /admin\n"

func (s *Server) robots(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte(robotsTxt))
}

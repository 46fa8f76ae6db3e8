package web

import (
	"context"
	"net/http"
	"time"

	"atrium/internal/files"
	"atrium/internal/studio"
)

// Deletions (docs/DECISIONS.md, Hiding, deleting and ordering). Each is
// one transaction in the store; a rendering's files are removed only after
// it has committed, and what a failure there leaves is for the storage
// sweep (files.SweepOrphans), never the other way round. Open client pages
// hear of it through the live broker.

// apiDeleteRendering answers DELETE /api/renderings/{id}: 204.
func (s *Server) apiDeleteRendering(w http.ResponseWriter, r *http.Request) {
	if _, err := s.deleteRendering(r); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// deleteRendering deletes the rendering the path names, then its files.
func (s *Server) deleteRendering(r *http.Request) (*studio.Rendering, error) {
	id, err := pathID(r, "Rendering")
	if err != nil {
		return nil, err
	}
	rd, err := s.store.DeleteRendering(r.Context(), id, userFrom(r.Context()).ID)
	if err != nil {
		return nil, err
	}
	s.live.Publish(r.Context(), rd.ProjectID)
	s.removeRenderingFiles(rd.ID)
	return rd, nil
}

// apiDeleteRoom answers DELETE /api/rooms/{id}: 204. Its phases go; its
// renderings stay, with no room.
func (s *Server) apiDeleteRoom(w http.ResponseWriter, r *http.Request) {
	if _, err := s.deleteRoom(r); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) deleteRoom(r *http.Request) (projectID string, err error) {
	id, err := pathID(r, "Room")
	if err != nil {
		return "", err
	}
	if projectID, err = s.store.DeleteRoom(r.Context(), id, userFrom(r.Context()).ID); err != nil {
		return "", err
	}
	s.live.Publish(r.Context(), projectID)
	return projectID, nil
}

// apiDeleteProject answers DELETE /api/projects/{id} (admins only): 204.
func (s *Server) apiDeleteProject(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "Project")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.deleteProject(r, id); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// deleteProject deletes project id with everything of it, then the files
// of its renderings. Its links answer 404 from the commit on, on every
// instance (store.DeleteProject goes through changeLink).
func (s *Server) deleteProject(r *http.Request, id string) error {
	ids, err := s.store.DeleteProject(r.Context(), id)
	if err != nil {
		return err
	}
	s.log.Info("project deleted", "project", id, "by", userFrom(r.Context()).ID, "renderings", len(ids))
	s.live.Publish(r.Context(), id)
	s.removeRenderingFiles(ids...)
	return nil
}

// removeRenderingFiles removes every stored file of the renderings ids,
// whose rows are gone. It uses its own context, so that a client that
// hangs up does not stop it halfway; a failure is logged, and the storage
// sweep takes the files later.
func (s *Server) removeRenderingFiles(ids ...string) {
	if len(ids) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for _, id := range ids {
		if err := files.DeleteRendering(ctx, s.files, id); err != nil {
			s.log.Error("remove a deleted rendering's files (the storage sweep will)", "rendering", id, "err", err)
		}
	}
}

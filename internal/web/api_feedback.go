package web

import (
	"net/http"

	"atrium/internal/httpx"
	"atrium/internal/studio"
)

// The studio's side of client feedback (Feedback in docs/openapi.yaml):
// the thread of a project with each item's link, public replies (which
// clients see, signed with the studio's name) and resolving items.
// Internal discussion goes to comments (POST /api/projects/{id}/comments),
// which no client sees.

func (s *Server) apiProjectFeedback(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "Project")
	if err == nil {
		_, err = s.store.Project(r.Context(), id)
	}
	var items []studio.Feedback
	if err == nil {
		items, err = s.store.ProjectFeedback(r.Context(), id)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"feedback": items})
}

// apiReplyFeedback is the studio's public reply: {"message", "renderingId"?}.
func (s *Server) apiReplyFeedback(w http.ResponseWriter, r *http.Request) {
	id, b, err := pathAndBody(w, r, "Project")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	b.Only("message", "renderingId")
	in := studio.ReplyInput{Message: b.Text("message"), RenderingID: b.Text("renderingId")}
	f, err := in.Check()
	if err = studio.Join(b.Err(), err); err == nil {
		f.AuthorID = userFrom(r.Context()).ID
		err = s.store.AddStudioReply(r.Context(), id, f)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.live.Publish(r.Context(), id)
	if f, err = s.store.FeedbackItem(r.Context(), f.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, f)
}

// apiUpdateFeedback marks an item resolved or open: {"resolved": bool}.
func (s *Server) apiUpdateFeedback(w http.ResponseWriter, r *http.Request) {
	id, b, err := pathAndBody(w, r, "Feedback")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	b.Only("resolved")
	ch := studio.FeedbackChange{Resolved: b.Bool("resolved")}
	if err := b.Err(); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := ch.Check(); err != nil {
		s.fail(w, r, err)
		return
	}
	f, err := s.store.SetFeedbackResolved(r.Context(), id, *ch.Resolved, userFrom(r.Context()).ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, f)
}

// apiRotateLink gives a link a new token (store.RotateLink): the old URL
// answers 404 from then on. The answer is the link with its new token, and
// its url while it is active.
func (s *Server) apiRotateLink(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "Link")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	l, token, err := s.store.RotateLink(r.Context(), id, s.cfg.Secret, userFrom(r.Context()).ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// Open pages of the old token hear of it and find it gone.
	s.live.Publish(r.Context(), l.ProjectID)
	j := s.linkJSON(l)
	j.Token = token
	httpx.WriteJSON(w, http.StatusOK, j)
}

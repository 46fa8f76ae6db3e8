package web

import (
	"net/http"

	"atrium/internal/studio"
)

// Client feedback on the staff project page: the thread with each item's
// link and time, a reply that the client sees (signed with the studio's
// name) or an internal comment that no client sees, and resolving items.

// feedbackPart is what the project page shows of the thread.
type feedbackPart struct {
	Items     []studio.Feedback // newest first
	Open      int               // client items not resolved
	Latest    map[string]*studio.Feedback
	Approvals map[string]string // a room's Client Approval phase id, when it may be marked completed
}

func newFeedbackPart(d *studio.ProjectDetail) feedbackPart {
	fp := feedbackPart{Latest: map[string]*studio.Feedback{}, Approvals: map[string]string{}}
	for i := len(d.Feedback) - 1; i >= 0; i-- {
		f := &d.Feedback[i]
		fp.Items = append(fp.Items, *f)
		if f.From == studio.FromClient && !f.Resolved {
			fp.Open++
		}
		if f.From == studio.FromClient && f.Decision != "" && f.RenderingID != "" && fp.Latest[f.RenderingID] == nil {
			fp.Latest[f.RenderingID] = f
		}
	}
	decisions := studio.LatestDecisions(d.Feedback)
	for _, room := range d.Rooms {
		if studio.ApprovalReady(room, d.Renderings, decisions) {
			for _, ph := range room.Phases {
				if ph.Kind == studio.PhaseApproval {
					fp.Approvals[room.ID] = ph.ID
				}
			}
		}
	}
	return fp
}

var replyLabels = map[string]string{"message": "Message", "renderingId": "About", "body": "Message"}

// adminReplyFeedback posts the reply form: kind "public" is a reply the
// client sees, "internal" an internal comment (the comments table).
func (s *Server) adminReplyFeedback(w http.ResponseWriter, r *http.Request) {
	id, err := s.projectForm(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := r.PostForm
	u := userFrom(r.Context())
	page := formPage{Name: "reply", Values: f, Labels: replyLabels, Render: s.projectPage(id)}
	rid := formText(f, "renderingId")
	if rid != nil && *rid == "" {
		rid = nil
	}
	if f.Get("kind") == "internal" {
		c := &studio.Comment{ProjectID: id, AuthorID: u.ID, AuthorName: u.Name}
		err = studio.CommentInput{Body: formText(f, "message"), RenderingID: rid}.Apply(c)
		if err == nil {
			err = s.store.CreateComment(r.Context(), c)
		}
		if err != nil {
			s.fail(w, r, renameField(err, "body", "message"), page)
			return
		}
		s.redirect(w, r, projectURL(id, "feedback"), "Internal comment added. Clients do not see it.")
		return
	}
	reply, err := studio.ReplyInput{Message: formText(f, "message"), RenderingID: rid}.Check()
	if err == nil {
		reply.AuthorID = u.ID
		err = s.store.AddStudioReply(r.Context(), id, reply)
	}
	if err != nil {
		s.fail(w, r, err, page)
		return
	}
	s.live.Publish(r.Context(), id)
	s.redirect(w, r, projectURL(id, "feedback"), "Reply sent. Your client sees it, signed with the studio’s name.")
}

// renameField moves an invalid_input message from one field to another.
func renameField(err error, from, to string) error {
	se, ok := err.(*studio.Error)
	if !ok || se.Code != studio.ECodeInvalidInput || se.Fields[from] == "" {
		return err
	}
	return studio.Invalid(to, "%s", se.Fields[from])
}

// adminResolveFeedback marks an item resolved (resolved=1) or open again.
func (s *Server) adminResolveFeedback(w http.ResponseWriter, r *http.Request) {
	id, err := pathAndForm(w, r, "Feedback")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	resolved := r.PostForm.Get("resolved") == "1"
	f, err := s.store.SetFeedbackResolved(r.Context(), id, resolved, userFrom(r.Context()).ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	msg := "Marked resolved."
	if !resolved {
		msg = "Marked open again."
	}
	s.redirect(w, r, projectURL(f.ProjectID, "feedback-"+f.ID), msg)
}

// adminUpdateLink switches a link's feedback or downloads on or off
// (allowFeedback=1/0, allowDownloads=1/0).
func (s *Server) adminUpdateLink(w http.ResponseWriter, r *http.Request) {
	id, err := pathAndForm(w, r, "Link")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ch := studio.LinkChange{By: userFrom(r.Context()).ID, At: s.now().UTC()}
	if v, ok := r.PostForm["allowFeedback"]; ok {
		on := v[0] == "1"
		ch.AllowFeedback = &on
	}
	if v, ok := r.PostForm["allowDownloads"]; ok {
		on := v[0] == "1"
		ch.AllowDownloads = &on
	}
	l, err := s.store.UpdateLink(r.Context(), id, ch)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.live.Publish(r.Context(), l.ProjectID)
	msg := "Clients can no longer write through this link."
	if l.AllowFeedback {
		msg = "Clients can approve, ask for changes and write through this link."
	}
	if ch.AllowDownloads != nil {
		msg = "Clients can no longer download originals through this link."
		if l.AllowDownloads {
			msg = "Clients can download the originals through this link."
		}
	}
	s.redirect(w, r, projectURL(l.ProjectID, "link-"+l.ID), msg)
}

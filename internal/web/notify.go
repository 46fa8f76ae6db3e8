package web

import (
	"atrium/internal/locale"

	"context"
	"encoding/json"
	"net/http"

	"atrium/internal/httpx"
	"atrium/internal/mail"
	"atrium/internal/studio"
)

// Notifications (the in-app list, the staff API) and links sent by email.
// docs/DECISIONS.md (Notifications and mail) says who gets what.

// notificationsPage is how many notices the list shows.
const notificationsPage = 100

// apiNotifications answers GET /api/notifications: the newest notices the
// signed-in staff member sees, with read flags, and the unread count.
func (s *Server) apiNotifications(w http.ResponseWriter, r *http.Request) {
	list, unread, err := s.store.Notifications(r.Context(), userFrom(r.Context()), notificationsPage)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"notifications": list, "unread": unread})
}

// maxReadIDs bounds the ids of one POST /api/notifications/read.
const maxReadIDs = 1000

// apiReadNotifications answers POST /api/notifications/read, taking
// {"ids": [...]} or {"all": true}: marks them read for the caller.
func (s *Server) apiReadNotifications(w http.ResponseWriter, r *http.Request) {
	b, err := readBody(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	b.Only("ids", "all")
	ids := b.IDs("ids", maxReadIDs)
	all := b.Bool("all")
	if err := b.Err(); err != nil {
		s.fail(w, r, err)
		return
	}
	switch {
	case b.Has("ids") && all != nil && *all:
		s.fail(w, r, studio.Invalid("all", "Send either ids or all, not both."))
		return
	case !b.Has("ids") && (all == nil || !*all):
		s.fail(w, r, studio.Invalid("ids", "ids is required (or all: true)."))
		return
	}
	u := userFrom(r.Context())
	if err := s.store.MarkNoticesRead(r.Context(), u, ids, all != nil && *all); err != nil {
		s.fail(w, r, err)
		return
	}
	unread, err := s.store.UnreadNotices(r.Context(), u)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"unread": unread})
}

// IDs reads an array of notice ids: nil when absent.
func (b *body) IDs(name string, max int) []string {
	raw, ok := b.fields[name]
	if !ok {
		return nil
	}
	var ids []string
	if err := json.Unmarshal(raw, &ids); err != nil || b.isNull(name) {
		b.probs.Add(name, "%s must be an array of strings.", name)
		return nil
	}
	if len(ids) > max {
		b.probs.Add(name, "%s may hold at most %d ids.", name, max)
		return nil
	}
	for _, id := range ids {
		if !studio.ValidNoticeID(id) {
			b.probs.Add(name, "%s holds something that is not a notification id.", name)
			return nil
		}
	}
	return ids
}

// apiSendLink answers POST /api/client-access/{id}/send {"to", "note"?}:
// the link goes out by email (202: queued; the outbox delivers it).
func (s *Server) apiSendLink(w http.ResponseWriter, r *http.Request) {
	id, b, err := pathAndBody(w, r, "Link")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	b.Only("to", "note")
	to, note := b.Required("to"), b.Text("note")
	if err := b.Err(); err != nil {
		s.fail(w, r, err)
		return
	}
	inv, err := studio.NewInvitation(to, note)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	l, err := s.sendLink(r.Context(), id, inv)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if l, err = s.store.LinkWithStats(r.Context(), id); err != nil {
		s.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusAccepted, s.linkJSON(l))
}

// sendLink queues the invitation of a working link and records where and
// when it was sent. Without a mail server it refuses (503), so that
// nobody believes a link went out that did not.
func (s *Server) sendLink(ctx context.Context, id string, inv *studio.Invitation) (*studio.Link, error) {
	if !s.cfg.Mail.Configured() {
		return nil, studio.Errorf(studio.ECodeUnavailable, "Not sent: no mail server configured. Copy the link and send it yourself.")
	}
	l, err := s.store.Link(ctx, id)
	if err != nil {
		return nil, err
	}
	if l.State(s.now()) != "" {
		return nil, studio.Errorf(studio.ECodeConflict, "Only a working link can be sent; this one is %s.", l.StateName(s.now()))
	}
	p, err := s.store.Project(ctx, l.ProjectID)
	if err != nil {
		return nil, err
	}
	st, err := s.store.Settings(ctx)
	if err != nil {
		return nil, err
	}
	m, err := mail.Invitation(mail.BrandOf(st), locale.Effective(l.Locale, st.Locale), p.Name,
		studio.LinkURL(s.cfg.BaseURL, l.Token(s.cfg.Secret)), l.LastDay(), inv)
	if err != nil {
		return nil, err
	}
	m.ProjectID, m.LinkID = l.ProjectID, l.ID
	unsub := studio.TokenDigest(studio.UnsubscribeToken(s.cfg.Secret, l.ID))
	if err := s.store.QueueInvitation(ctx, m, unsub); err != nil {
		return nil, err
	}
	s.cfg.Mail.Poke()
	return l, nil
}

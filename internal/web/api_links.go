package web

import (
	"net/http"
	"strconv"
	"time"

	"atrium/internal/httpx"
	"atrium/internal/studio"
)

// apiLinks lists client links with their statistics: one project's with
// ?projectId=ID, every project's without it.
func (s *Server) apiLinks(w http.ResponseWriter, r *http.Request) {
	projectID := r.URL.Query().Get("projectId")
	if r.URL.Query().Has("projectId") {
		if !validID(projectID) {
			s.fail(w, r, studio.Errorf(studio.ECodeNotFound, "Project not found."))
			return
		}
		if _, err := s.store.Project(r.Context(), projectID); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	links, err := s.store.Links(r.Context(), projectID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]linkJSON, 0, len(links))
	for i := range links {
		out = append(out, s.linkJSON(&links[i]))
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"links": out})
}

// apiCreateLink creates a link (store.IssueLink): {"projectId", "label"?,
// "expiresAt"?, "allowFeedback"?, "allowDownloads"?}. expiresAt takes what studio.ParseExpiry reads ("30d", "2027-03-01", an
// RFC 3339 time, "never"); absent or null means the link never expires.
func (s *Server) apiCreateLink(w http.ResponseWriter, r *http.Request) {
	b, err := readBody(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	b.Only("projectId", "label", "expiresAt", "allowFeedback", "allowDownloads", "locale")
	in := studio.LinkInput{ProjectID: orEmpty(b.Required("projectId")), Label: orEmpty(b.Text("label")),
		Expires: orEmpty(b.Text("expiresAt")), CreatedBy: userFrom(r.Context()).ID, AllowFeedback: b.Bool("allowFeedback"),
		AllowDownloads: b.Bool("allowDownloads"), Locale: orEmpty(b.Text("locale"))}
	now := s.now().UTC()
	if err := b.Err(); err != nil {
		s.fail(w, r, studio.Join(err, in.Validate(now)))
		return
	}
	l, token, err := s.store.IssueLink(r.Context(), in, s.cfg.Secret, now)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	j := s.linkJSON(l)
	j.Token = token
	w.Header().Set("Location", "/api/client-access/"+l.ID)
	httpx.WriteJSON(w, http.StatusCreated, j)
}

// apiDeactivateLink switches a link off: DELETE /api/client-access/{id}, or
// the seed's DELETE /api/client-access?id=ID. Deactivating twice answers
// the same link again. The live broker tells open client pages at once.
func (s *Server) apiDeactivateLink(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if id == "" {
		id = r.URL.Query().Get("id")
	}
	if !validID(id) {
		s.fail(w, r, studio.Errorf(studio.ECodeNotFound, "Link not found."))
		return
	}
	l, err := s.store.DeactivateLink(r.Context(), id, userFrom(r.Context()).ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.live.Publish(r.Context(), l.ProjectID)
	if l, err = s.store.LinkWithStats(r.Context(), id); err != nil {
		s.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, s.linkJSON(l))
}

// Access log pages: newest first, at most maxLogPage rows a page.
const (
	defaultLogPage = 50
	maxLogPage     = 500
)

// accessJSON is an entry of the access log. Consecutive denied rows of one
// IP and reason are one entry (studio.AccessEntry): count says how many,
// firstAt and at when the first and the last were refused; for any other
// entry count is 1 and firstAt is at.
type accessJSON struct {
	Action      string    `json:"action"`
	RenderingID string    `json:"renderingId"`
	Reason      string    `json:"reason"`
	IP          string    `json:"ip"`
	UserAgent   string    `json:"userAgent"`
	At          time.Time `json:"at"`
	Count       int       `json:"count"`
	FirstAt     time.Time `json:"firstAt"`
}

// apiLinkLogs pages through a link's access log, newest first:
// ?limit=N&before=CURSOR, where CURSOR is the "next" of the previous page
// (null on the last page). limit counts entries, not rows.
func (s *Server) apiLinkLogs(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "Link")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	limit := defaultLogPage
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxLogPage {
			s.fail(w, r, studio.Invalid("limit", "limit must be a whole number from 1 to %d.", maxLogPage))
			return
		}
		limit = n
	}
	var before int64
	if v := q.Get("before"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			s.fail(w, r, studio.Invalid("before", "before must be the next cursor of a previous page."))
			return
		}
		before = n
	}
	if _, err := s.store.Link(r.Context(), id); err != nil {
		s.fail(w, r, err)
		return
	}
	entries, more, err := s.store.AccessEntries(r.Context(), id, before, limit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var next *string
	if more {
		c := strconv.FormatInt(entries[len(entries)-1].Oldest, 10)
		next = &c
	}
	out := make([]accessJSON, 0, len(entries))
	for _, e := range entries {
		out = append(out, accessJSON{Action: e.Action, RenderingID: e.RenderingID, Reason: e.Reason,
			IP: e.IP, UserAgent: e.UserAgent, At: e.At, Count: e.Count, FirstAt: e.FirstAt})
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"logs": out, "next": next})
}

// apiUpdateLink edits a link: the fields of studio.LinkChange, any other
// refused by name. An open client page sees a change of allowFeedback or
// allowDownloads.
func (s *Server) apiUpdateLink(w http.ResponseWriter, r *http.Request) {
	id, b, err := pathAndBody(w, r, "Link")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	b.Only(studio.LinkChangeFields...)
	ch := studio.LinkChange{Label: b.Text("label"), AllowFeedback: b.Bool("allowFeedback"), AllowDownloads: b.Bool("allowDownloads"),
		Active: b.Bool("active"), Locale: b.Text("locale"),
		By: userFrom(r.Context()).ID, At: s.now().UTC(), Secret: s.cfg.Secret}
	if b.Has("expiresAt") {
		ch.Expires = b.Text("expiresAt") // null: never
		if ch.Expires != nil && *ch.Expires == "" && !b.isNull("expiresAt") {
			b.probs.Add("expiresAt", `expiresAt must be a date, an RFC 3339 time, or null for never.`)
		}
	}
	if b.Has("pin") {
		ch.PIN = b.Text("pin") // null: no PIN
		if ch.PIN != nil && *ch.PIN == "" && !b.isNull("pin") {
			b.probs.Add("pin", "pin must be 4 to 8 digits, or null to remove it.")
		}
	}
	if err := b.Err(); err != nil {
		s.fail(w, r, err)
		return
	}
	l, err := s.store.UpdateLink(r.Context(), id, ch)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.live.Publish(r.Context(), l.ProjectID)
	httpx.WriteJSON(w, http.StatusOK, s.linkJSON(l))
}

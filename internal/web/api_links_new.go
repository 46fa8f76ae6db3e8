package web

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"atrium/internal/store"
	"atrium/internal/studio"
)

// NewLink is a client link to create: the staff API, the admin UI and the
// CLI all go through CreateLink.
type NewLink struct {
	ProjectID string
	Label     string
	ExpiresAt *time.Time // nil: never; parse text with studio.ParseExpiry
	CreatedBy string     // a staff id; "" from the command line
}

// CreateLink creates a link and returns it with its token. The id comes
// from crypto/rand (store.NewID); the token is derived from it and the
// server secret, so that the database keeps only the token's digest and
// hint and the link can still be copied again later.
func CreateLink(ctx context.Context, st *store.Store, secret []byte, nl NewLink, now time.Time) (*studio.Link, string, error) {
	if !validID(nl.ProjectID) {
		return nil, "", studio.Invalid("projectId", "No such project.")
	}
	label := strings.TrimSpace(nl.Label)
	switch {
	case studio.CheckText("label", label) != nil:
		return nil, "", studio.NotText("label")
	case utf8.RuneCountInString(label) > maxName:
		return nil, "", studio.Invalid("label", "label must be at most %d characters.", maxName)
	}
	if err := studio.CheckExpiry("expiresAt", nl.ExpiresAt, now); err != nil {
		return nil, "", err
	}
	if len(secret) == 0 {
		return nil, "", studio.Errorf(studio.ECodeInternal, "No server secret is configured.")
	}
	l := &studio.Link{ID: store.NewID(), ProjectID: nl.ProjectID, Label: label, CreatedBy: nl.CreatedBy, ExpiresAt: nl.ExpiresAt}
	token := studio.LinkToken(secret, l.ID)
	l.TokenDigest, l.TokenHint = studio.TokenDigest(token), studio.TokenHint(token)
	if err := st.CreateLink(ctx, l); err != nil {
		return nil, "", err
	}
	return l, token, nil
}

// LinkURL is the address a client opens.
func LinkURL(baseURL, token string) string {
	return strings.TrimRight(baseURL, "/") + studio.ClientURLs{Token: token}.Page()
}

// linkJSON is a link as the staff API shows it (Link in docs/openapi.yaml).
// active and url say whether it opens the portal now: an expired link is not
// active and has no url, like a deactivated one; token is only in the answer
// to its creation.
type linkJSON struct {
	ID             string     `json:"id"`
	ProjectID      string     `json:"projectId"`
	Label          string     `json:"label"`
	TokenHint      string     `json:"tokenHint"`
	Token          string     `json:"token,omitempty"`
	URL            *string    `json:"url"`
	CreatedAt      time.Time  `json:"createdAt"`
	CreatedBy      string     `json:"createdBy"`
	ExpiresAt      *time.Time `json:"expiresAt"`
	Active         bool       `json:"active"` // opens the portal now: false once expired too
	State          string     `json:"state"`  // active, expired or deactivated
	DeactivatedAt  *time.Time `json:"deactivatedAt"`
	AccessCount    int64      `json:"accessCount"`
	LastAccessedAt *time.Time `json:"lastAccessedAt"`
	DownloadCount  int64      `json:"downloadCount"`
	UniqueIPs      int64      `json:"uniqueIps"`
}

func (s *Server) linkJSON(l *studio.Link) linkJSON {
	j := linkJSON{
		ID: l.ID, ProjectID: l.ProjectID, Label: l.Label, TokenHint: l.TokenHint,
		CreatedAt: l.CreatedAt, CreatedBy: l.CreatedBy, ExpiresAt: l.ExpiresAt,
		State:         l.StateName(time.Now()),
		DeactivatedAt: l.DeactivatedAt, AccessCount: l.AccessCount, LastAccessedAt: l.LastAccessedAt,
		DownloadCount: l.DownloadCount, UniqueIPs: l.UniqueIPs,
	}
	j.Active = j.State == studio.LinkActive
	if j.Active {
		u := LinkURL(s.cfg.BaseURL, studio.LinkToken(s.cfg.Secret, l.ID))
		j.URL = &u
	}
	return j
}

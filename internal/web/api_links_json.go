package web

import (
	"time"

	"atrium/internal/studio"
)

// linkJSON is a link as the staff API shows it (Link in docs/openapi.yaml). active and url
// say whether it opens the portal now: an expired link is not active and has
// no url, like a deactivated one; token is only in the answer to its creation.
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
	SentTo         string     `json:"sentTo"` // where the link was last sent by email ("" never)
	SentAt         *time.Time `json:"sentAt"`
	AllowFeedback  bool       `json:"allowFeedback"`
	AllowDownloads bool       `json:"allowDownloads"`
	HasPIN         bool       `json:"hasPin"`
	LockedAt       *time.Time `json:"lockedAt"` // set while too many wrong PINs keep the link locked
	Locale         string     `json:"locale"`   // "" for the studio's
}

func (s *Server) linkJSON(l *studio.Link) linkJSON {
	j := linkJSON{
		ID: l.ID, ProjectID: l.ProjectID, Label: l.Label, TokenHint: l.TokenHint,
		CreatedAt: l.CreatedAt, CreatedBy: l.CreatedBy, ExpiresAt: l.ExpiresAt,
		State:         l.StateName(s.now()),
		DeactivatedAt: l.DeactivatedAt, AccessCount: l.AccessCount, LastAccessedAt: l.LastAccessedAt,
		DownloadCount: l.DownloadCount, UniqueIPs: l.UniqueIPs, AllowFeedback: l.AllowFeedback,
		AllowDownloads: l.AllowDownloads,
		SentTo:         l.SentTo, SentAt: l.SentAt, HasPIN: l.HasPIN(), LockedAt: l.LockedAt,
		Locale: l.Locale,
	}
	j.Active = j.State == studio.LinkActive
	if j.Active {
		u := studio.LinkURL(s.cfg.BaseURL, l.Token(s.cfg.Secret))
		j.URL = &u
	}
	return j
}

package studio

import (
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"time"
)

// ClientView is everything a client may see, and nothing more. It is built
// only by NewClientView, from an explicit allow-list of fields: adding a
// field here is the one way to show something to clients.
type ClientView struct {
	Studio     ClientStudio      `json:"studio"`
	Project    ClientProject     `json:"project"`
	Rooms      []ClientRoom      `json:"rooms"`
	Renderings []ClientRendering `json:"renderings"`
	Link       ClientLink        `json:"link"`
}

type ClientStudio struct {
	Name         string `json:"name"`
	LogoURL      string `json:"logoUrl"`
	AccentColor  string `json:"accentColor"`
	ContactEmail string `json:"contactEmail"`
	ContactPhone string `json:"contactPhone"`
}

type ClientProject struct {
	Name            string    `json:"name"`
	ClientName      string    `json:"clientName"`
	TargetDate      string    `json:"targetDate"`
	OverallProgress int       `json:"overallProgress"`
	UpdatedAt       time.Time `json:"updatedAt"`
}

type ClientRoom struct {
	Name     string        `json:"name"`
	Progress int           `json:"progress"`
	Phases   []ClientPhase `json:"phases"`
}

type ClientPhase struct {
	Kind        PhaseKind   `json:"kind"`
	Name        string      `json:"name"`
	Status      PhaseStatus `json:"status"`
	CompletedAt string      `json:"completedAt"`
}

type ClientRendering struct {
	ID           string    `json:"id"`
	Title        string    `json:"title"`
	Description  string    `json:"description"`
	Room         string    `json:"room"`
	Width        int       `json:"width"`
	Height       int       `json:"height"`
	ApprovedAt   time.Time `json:"approvedAt"`
	ThumbnailURL string    `json:"thumbnailUrl"`
	PreviewURL   string    `json:"previewUrl"`
	DownloadURL  string    `json:"downloadUrl"`
}

type ClientLink struct {
	ExpiresAt *time.Time `json:"expiresAt"`
}

// LastDay is the last day on which the link opens (see LastDay), or "" for
// a link that never expires. The page shows it; portal.js derives the same
// day from expiresAt for live updates.
func (l ClientLink) LastDay() string {
	if l.ExpiresAt == nil {
		return ""
	}
	return LastDay(*l.ExpiresAt)
}

// ClientURLs builds the token-scoped URLs of the client side.
type ClientURLs struct{ Token string }

func (u ClientURLs) base() string   { return "/api/client-progress/" + u.Token }
func (u ClientURLs) Page() string   { return "/client-progress/" + u.Token }
func (u ClientURLs) JSON() string   { return u.base() }
func (u ClientURLs) Events() string { return u.base() + "/events" }
func (u ClientURLs) Logo() string   { return u.base() + "/logo" }

// LogoVersion is the ?v= of the logo's URL: a short digest of the stored
// logo's key, which changes with every upload, so that the client view (and
// its version) changes with the logo and an open page swaps the image. It
// tells nothing about the key or the time of the upload.
func LogoVersion(logoKey string) string {
	sum := sha256.Sum256([]byte("atrium-logo\x00" + logoKey))
	return hex.EncodeToString(sum[:6])
}
func (u ClientURLs) Thumb(id string) string {
	return u.base() + "/renderings/" + id + "/thumb"
}
func (u ClientURLs) Preview(id string) string {
	return u.base() + "/renderings/" + id + "/preview"
}
func (u ClientURLs) Download(id string) string { return u.base() + "/download/" + id }

// NewClientStudio is the studio as a client sees it, on the portal and on
// its error pages. The logo is served under a working token only: without
// one (urls.Token == "", as on the page of a dead link) there is none.
func NewClientStudio(s *Settings, urls ClientURLs) ClientStudio {
	cs := ClientStudio{
		Name:         s.Name,
		AccentColor:  s.AccentColor,
		ContactEmail: s.ContactEmail,
		ContactPhone: s.ContactPhone,
	}
	if s.HasLogo && urls.Token != "" {
		cs.LogoURL = urls.Logo() + "?v=" + LogoVersion(s.LogoKey)
	}
	return cs
}

// NewClientView builds the sanitized view of project p for the holder of a
// link. Only approved renderings are listed, newest approval first.
func NewClientView(p *ProjectDetail, s *Settings, l *Link, urls ClientURLs) *ClientView {
	v := &ClientView{
		Studio: NewClientStudio(s, urls),
		Project: ClientProject{
			Name:            p.Name,
			ClientName:      p.ClientName,
			TargetDate:      p.TargetDate,
			OverallProgress: OverallProgress(p.Rooms),
			UpdatedAt:       p.UpdatedAt.UTC(),
		},
		Rooms:      make([]ClientRoom, 0, len(p.Rooms)),
		Renderings: []ClientRendering{},
		Link:       ClientLink{ExpiresAt: l.ExpiresAt},
	}
	roomNames := make(map[string]string, len(p.Rooms))
	for _, r := range p.Rooms {
		roomNames[r.ID] = r.Name
		cr := ClientRoom{Name: r.Name, Progress: Progress(r.Phases), Phases: make([]ClientPhase, 0, len(r.Phases))}
		for _, ph := range r.Phases {
			cp := ClientPhase{Kind: ph.Kind, Name: ph.Kind.Name(), Status: ph.Status}
			if ph.Status == StatusCompleted {
				cp.CompletedAt = ph.CompletedAt
			}
			cr.Phases = append(cr.Phases, cp)
		}
		v.Rooms = append(v.Rooms, cr)
	}
	for _, r := range p.Renderings {
		if r.Status != RenderingApproved || r.ApprovedAt == nil {
			continue
		}
		v.Renderings = append(v.Renderings, ClientRendering{
			ID:           r.ID,
			Title:        r.Title,
			Description:  r.Description,
			Room:         roomNames[r.RoomID],
			Width:        r.Width,
			Height:       r.Height,
			ApprovedAt:   r.ApprovedAt.UTC(),
			ThumbnailURL: urls.Thumb(r.ID),
			PreviewURL:   urls.Preview(r.ID),
			DownloadURL:  urls.Download(r.ID),
		})
	}
	sort.SliceStable(v.Renderings, func(i, j int) bool {
		return v.Renderings[i].ApprovedAt.After(v.Renderings[j].ApprovedAt)
	})
	return v
}

package studio

import (
	"crypto/sha256"
	"encoding/hex"
	"time"

	"atrium/internal/locale"
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
	Feedback   []ClientFeedback  `json:"feedback"`
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
	IsNew       bool        `json:"isNew"` // completed since the previous visit
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
	IsNew        bool      `json:"isNew"` // approved since the previous visit
	// ClientDecision is the latest decision a client made on it through
	// any link of the project: approved, changes_requested, or null.
	ClientDecision *string `json:"clientDecision"`
}

type ClientLink struct {
	ExpiresAt       *time.Time `json:"expiresAt"`
	AllowFeedback   bool       `json:"allowFeedback"`
	PreviousVisitAt *time.Time `json:"previousVisitAt"`
	// AllowDownloads shows the download controls; DownloadAllURL is the
	// ZIP of every approved original, "" when downloads are off.
	AllowDownloads bool   `json:"allowDownloads"`
	DownloadAllURL string `json:"downloadAllUrl"`
	// Locale is the page's language: the link's, else the studio's.
	Locale string `json:"locale"`
}

// ClientFeedback is an item of the thread a client sees: what clients
// wrote through the project's links, and the studio's public replies,
// signed with the studio's name. No link label, staff name or internal
// comment is in it.
type ClientFeedback struct {
	ID          string    `json:"id"`
	RenderingID *string   `json:"renderingId"`
	Decision    *string   `json:"decision"`
	Message     string    `json:"message"`
	Name        string    `json:"name"`
	From        string    `json:"from"`
	At          time.Time `json:"at"`
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

// Logo is the studio's logo under the token, or, without one (an unknown
// link's page), at /client-logo.
func (u ClientURLs) Logo() string {
	if u.Token == "" {
		return "/client-logo"
	}
	return u.base() + "/logo"
}
func (u ClientURLs) Feedback() string {
	return u.base() + "/feedback"
}
func (u ClientURLs) FeedbackForm() string { return u.Page() + "/feedback" }

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

// DownloadAll is the ZIP of every approved original (portal/zip.go).
func (u ClientURLs) DownloadAll() string { return u.base() + "/download.zip" }

// NewClientStudio is the studio as a client sees it, on the portal and on
// its error pages. The logo is served under the link's token, or without
// one (urls.Token == "", as on an unknown link's page) at /client-logo.
func NewClientStudio(s *Settings, urls ClientURLs) ClientStudio {
	cs := ClientStudio{
		Name:         s.Name,
		AccentColor:  s.AccentColor,
		ContactEmail: s.ContactEmail,
		ContactPhone: s.ContactPhone,
	}
	if s.HasLogo {
		cs.LogoURL = urls.Logo() + "?v=" + LogoVersion(s.LogoKey)
	}
	return cs
}

// NewClientView builds the sanitized view of project p for the holder of a
// link. Only approved renderings are listed, in SortRenderings order
// (position, then newest approval first). Hidden rooms are the caller's to
// leave out (store.ProjectForClient does).
// Renderings approved and phases completed since prev (the link's previous
// visit, nil for none) are new. The thread is p.Feedback, shown only to a
// link that takes part in it (AllowFeedback).
func NewClientView(p *ProjectDetail, s *Settings, l *Link, urls ClientURLs, prev *time.Time) *ClientView {
	rooms := ClientRooms(p.Rooms) // already so from the store; kept here too, as the allow-list
	v := &ClientView{
		Studio: NewClientStudio(s, urls),
		Project: ClientProject{
			Name:            p.Name,
			ClientName:      p.ClientName,
			TargetDate:      p.TargetDate,
			OverallProgress: OverallProgress(rooms),
			UpdatedAt:       p.UpdatedAt.UTC(),
		},
		Rooms:      make([]ClientRoom, 0, len(rooms)),
		Renderings: []ClientRendering{},
		Link: ClientLink{ExpiresAt: l.ExpiresAt, AllowFeedback: l.AllowFeedback, PreviousVisitAt: utcPtr(prev),
			AllowDownloads: l.AllowDownloads, Locale: locale.Effective(l.Locale, s.Locale)},
		Feedback: []ClientFeedback{},
	}
	if l.AllowDownloads {
		v.Link.DownloadAllURL = urls.DownloadAll()
	}
	prevDay := ""
	if prev != nil {
		prevDay = prev.UTC().Format(time.DateOnly)
	}
	roomNames := make(map[string]string, len(rooms))
	hiddenRoom := map[string]bool{}
	for _, r := range p.Rooms {
		hiddenRoom[r.ID] = r.Hidden
	}
	for _, r := range rooms {
		roomNames[r.ID] = r.Name
		cr := ClientRoom{Name: r.Name, Progress: Progress(r.Phases), Phases: make([]ClientPhase, 0, len(r.Phases))}
		for _, ph := range r.Phases {
			cp := ClientPhase{Kind: ph.Kind, Name: ph.Kind.Name(), Status: ph.Status}
			if ph.Status == StatusCompleted {
				cp.CompletedAt = ph.CompletedAt
				// A completion is a date: one on the previous visit's
				// day counts as new, rather than be missed.
				cp.IsNew = prevDay != "" && ph.CompletedAt >= prevDay
			}
			cr.Phases = append(cr.Phases, cp)
		}
		v.Rooms = append(v.Rooms, cr)
	}
	decisions := LatestDecisions(p.Feedback)
	ordered := append([]Rendering(nil), p.Renderings...)
	SortRenderings(ordered)
	for _, r := range ordered {
		if r.Status != RenderingApproved || r.ApprovedAt == nil || hiddenRoom[r.RoomID] {
			continue
		}
		var decision *string
		if d, ok := decisions[r.ID]; ok {
			decision = &d
		}
		download := ""
		if l.AllowDownloads {
			download = urls.Download(r.ID)
		}
		v.Renderings = append(v.Renderings, ClientRendering{
			ID:             r.ID,
			Title:          r.Title,
			Description:    r.Description,
			Room:           roomNames[r.RoomID],
			Width:          r.Width,
			Height:         r.Height,
			ApprovedAt:     r.ApprovedAt.UTC(),
			ThumbnailURL:   urls.Thumb(r.ID),
			PreviewURL:     urls.Preview(r.ID),
			DownloadURL:    download,
			IsNew:          prev != nil && r.ApprovedAt.After(*prev),
			ClientDecision: decision,
		})
	}
	if l.AllowFeedback {
		visible := make(map[string]bool, len(v.Renderings))
		for _, r := range v.Renderings {
			visible[r.ID] = true
		}
		v.Feedback = clientThread(p.Feedback, s.Name, visible)
	}
	return v
}

// clientThread is the thread as a client sees it: the studio's replies
// signed with the studio's name, never a staff member's. A rendering the
// client cannot see (any more) is not named.
func clientThread(items []Feedback, studioName string, visible map[string]bool) []ClientFeedback {
	if studioName == "" {
		studioName = "The studio"
	}
	out := make([]ClientFeedback, 0, len(items))
	for _, f := range items {
		cf := ClientFeedback{ID: f.ID, Message: f.Message, Name: f.Name, From: FromClient, At: f.At.UTC()}
		if f.From == FromStudio {
			cf.From, cf.Name = FromStudio, studioName
		}
		if visible[f.RenderingID] {
			id := f.RenderingID
			cf.RenderingID = &id
		}
		if f.Decision != "" {
			d := f.Decision
			cf.Decision = &d
		}
		out = append(out, cf)
	}
	return out
}

// ClientFeedbackOf is a client's own new item as the API answers it.
func ClientFeedbackOf(f *Feedback) ClientFeedback {
	return clientThread([]Feedback{*f}, "", map[string]bool{f.RenderingID: f.RenderingID != ""})[0]
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// Package studio holds Atrium's domain: the studio's projects, rooms, phases
// and renderings, client links and their access events, the progress rules,
// the error codes, and the sanitized view a client may see. It does no I/O.
package studio

import "time"

// Role is a staff member's role.
type Role string

const (
	RoleAdmin    Role = "admin"
	RoleDesigner Role = "designer"
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r == RoleAdmin || r == RoleDesigner }

// User is a staff account.
type User struct {
	ID           string    `json:"id"`
	Email        string    `json:"email"`
	Name         string    `json:"name"`
	Role         Role      `json:"role"`
	PasswordHash string    `json:"-"`
	CreatedAt    time.Time `json:"createdAt"`
	Disabled     bool      `json:"disabled"`
}

// Project is one client engagement.
type Project struct {
	ID              string    `json:"id"`
	Name            string    `json:"name"`
	ClientName      string    `json:"clientName"`
	ClientEmail     string    `json:"clientEmail"`
	Address         string    `json:"address"`
	BudgetCents     *int64    `json:"budgetCents"`
	InternalNotes   string    `json:"internalNotes"`
	StartDate       string    `json:"startDate"`  // YYYY-MM-DD or ""
	TargetDate      string    `json:"targetDate"` // YYYY-MM-DD or ""
	CreatedBy       string    `json:"createdBy"`
	CreatedAt       time.Time `json:"createdAt"`
	UpdatedAt       time.Time `json:"updatedAt"`
	OverallProgress int       `json:"overallProgress"`
	// Archived projects leave the default list; their links keep working.
	Archived bool `json:"archived"`
}

// ProjectDetail is a project with everything staff see on its page.
type ProjectDetail struct {
	Project
	Team       []TeamMember `json:"team"`
	Rooms      []Room       `json:"rooms"`
	Renderings []Rendering  `json:"renderings"`
	Comments   []Comment    `json:"comments"`
	// ClientProgress is OverallProgress without the hidden rooms: the
	// figure clients see.
	ClientProgress int `json:"clientProgress"`
	// Feedback is the project's client thread, oldest first (loaded for
	// the client view and the staff page; the API has its own route).
	Feedback []Feedback `json:"-"`
}

// TeamMember assigns a staff member to a project.
type TeamMember struct {
	ProjectID string `json:"projectId"`
	UserID    string `json:"userId"`
	Role      string `json:"role"`
	Name      string `json:"name"`
	Email     string `json:"email"`
}

// Room is a space of the project; it owns one phase of each kind.
type Room struct {
	ID        string `json:"id"`
	ProjectID string `json:"projectId"`
	Name      string `json:"name"`
	Position  int    `json:"position"`
	// Hidden keeps the room, its phases and the renderings in it from
	// every client (ProjectForClient leaves them out).
	Hidden   bool    `json:"hidden"`
	Progress int     `json:"progress"`
	Phases   []Phase `json:"phases"`
}

// Phase is one step of a room's work.
type Phase struct {
	ID            string      `json:"id"`
	RoomID        string      `json:"roomId"`
	Kind          PhaseKind   `json:"kind"`
	Status        PhaseStatus `json:"status"`
	CompletedAt   string      `json:"completedAt"` // YYYY-MM-DD or ""
	AssigneeID    string      `json:"assigneeId"`
	DueDate       string      `json:"dueDate"` // YYYY-MM-DD or ""
	CostCents     *int64      `json:"costCents"`
	InternalNotes string      `json:"internalNotes"`
}

// RenderingStatus is where a rendering stands in review.
type RenderingStatus string

const (
	RenderingDraft    RenderingStatus = "draft"
	RenderingInReview RenderingStatus = "in_review"
	RenderingApproved RenderingStatus = "approved"
	RenderingRejected RenderingStatus = "rejected"
)

// Valid reports whether s is a known rendering status.
func (s RenderingStatus) Valid() bool {
	switch s {
	case RenderingDraft, RenderingInReview, RenderingApproved, RenderingRejected:
		return true
	}
	return false
}

// Rendering is an uploaded 3D rendering and its derived sizes.
type Rendering struct {
	ID            string          `json:"id"`
	ProjectID     string          `json:"projectId"`
	RoomID        string          `json:"roomId"`
	Title         string          `json:"title"`
	Description   string          `json:"description"`
	Status        RenderingStatus `json:"status"`
	ApprovedAt    *time.Time      `json:"approvedAt"`
	ApprovedBy    string          `json:"approvedBy"`
	UploadedBy    string          `json:"uploadedBy"`
	OriginalName  string          `json:"originalName"`
	FileKey       string          `json:"-"`
	ContentType   string          `json:"contentType"`
	Bytes         int64           `json:"bytes"`
	Width         int             `json:"width"`
	Height        int             `json:"height"`
	SHA256        string          `json:"sha256"`
	ThumbKey      string          `json:"-"`
	PreviewKey    string          `json:"-"`
	InternalNotes string          `json:"internalNotes"`
	// Position orders the client page: lower first, then newest first
	// (SortRenderings). 0, a new rendering's, keeps newest first.
	Position  int       `json:"position"`
	CreatedAt time.Time `json:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt"`
}

// Comment is internal discussion on a project or one of its renderings.
type Comment struct {
	ID          string    `json:"id"`
	ProjectID   string    `json:"projectId"`
	RenderingID string    `json:"renderingId"`
	AuthorID    string    `json:"authorId"`
	AuthorName  string    `json:"authorName"`
	Body        string    `json:"body"`
	CreatedAt   time.Time `json:"createdAt"`
}

// Settings are the studio's branding and contact, shown on the client page.
type Settings struct {
	Name         string `json:"name"`
	AccentColor  string `json:"accentColor"`
	ContactEmail string `json:"contactEmail"`
	ContactPhone string `json:"contactPhone"`
	LogoKey      string `json:"-"`
	HasLogo      bool   `json:"hasLogo"`
	// Locale is the client pages' and emails' language unless a link
	// chooses its own (locale.Codes); Currency the ISO 4217 code budgets
	// and costs are in, shown the locale's way.
	Locale    string    `json:"locale"`
	Currency  string    `json:"currency"`
	UpdatedAt time.Time `json:"updatedAt"`
}

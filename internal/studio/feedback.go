package studio

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Client feedback: a client's decision on an approved rendering, a message
// to the studio, or both, written through a link; and the studio's public
// replies, which every link of the project shows signed with the studio's
// name. Internal discussion stays in comments (Comment), which no client
// ever sees.

// Decisions a client may make on a rendering.
const (
	DecisionApproved         = "approved"
	DecisionChangesRequested = "changes_requested"
)

// Who wrote a feedback item.
const (
	FromClient = "client"
	FromStudio = "studio"
)

// Limits of what a client may write, in characters.
const (
	MaxFeedbackMessage = 2000
	MaxFeedbackName    = 80
)

// Feedback is one item of a project's thread, as staff see it.
type Feedback struct {
	ID          string    `json:"id"`
	ProjectID   string    `json:"projectId"`
	LinkID      string    `json:"linkId"`    // the link a client wrote through; "" for the studio's replies
	LinkLabel   string    `json:"linkLabel"` // that link's label (staff only)
	RenderingID string    `json:"renderingId"`
	Decision    string    `json:"decision"` // "", approved or changes_requested
	Message     string    `json:"message"`
	Name        string    `json:"name"` // the name the client gave; for a reply, the staff member's (staff only)
	From        string    `json:"from"` // client or studio
	AuthorID    string    `json:"authorId"`
	Resolved    bool      `json:"resolved"`
	At          time.Time `json:"at"`
}

// FeedbackInput is what a client sends: a decision on a rendering, a
// message, or both, and an optional name. Nil fields were not sent.
type FeedbackInput struct {
	RenderingID, Decision, Message, Name *string
}

// Check checks in and returns the feedback it describes (without ids and
// times). Whether the rendering is one the client may decide on is the
// store's to say (it must be approved and of the link's project).
func (in FeedbackInput) Check() (*Feedback, error) {
	var pr Problems
	f := &Feedback{From: FromClient}
	f.RenderingID, _ = pr.ref("renderingId", in.RenderingID, "No such rendering on this page.")
	if d, ok := pr.text("decision", in.Decision, MaxRef); ok {
		if d != "" && d != DecisionApproved && d != DecisionChangesRequested {
			pr.Add("decision", "decision must be approved or changes_requested.")
		}
		f.Decision = d
	}
	f.Message, _ = pr.feedbackText("message", in.Message, MaxFeedbackMessage)
	f.Name, _ = pr.feedbackText("name", in.Name, MaxFeedbackName)
	if !pr.Has("name") && strings.ContainsAny(f.Name, "\r\n") {
		pr.Add("name", "name must be one line.")
	}
	if !pr.Has("decision") && !pr.Has("message") {
		switch {
		case f.Decision == "" && f.Message == "":
			pr.Add("message", "Write a message, or approve or ask for changes on a rendering.")
		case f.Decision != "" && f.RenderingID == "" && !pr.Has("renderingId"):
			pr.Add("renderingId", "renderingId is required with a decision.")
		}
	}
	if err := pr.Err(); err != nil {
		return nil, err
	}
	return f, nil
}

// feedbackText is text with the length counted before trimming too, so a
// message padded with spaces past the limit is refused rather than cut.
func (p *Problems) feedbackText(field string, v *string, max int) (string, bool) {
	if v != nil && utf8.ValidString(*v) && utf8.RuneCountInString(*v) > max {
		p.Add(field, "%s must be at most %d characters.", field, max)
		return "", false
	}
	return p.text(field, v, max)
}

// ReplyInput is the studio's public reply: a message, optionally about one
// rendering.
type ReplyInput struct {
	Message, RenderingID *string
}

// Check checks in and returns the reply it describes.
func (in ReplyInput) Check() (*Feedback, error) {
	var pr Problems
	f := &Feedback{From: FromStudio}
	if in.Message == nil {
		pr.Add("message", "message is required.")
	} else if m, ok := pr.feedbackText("message", in.Message, MaxFeedbackMessage); ok {
		if m == "" {
			pr.Add("message", "message must not be empty.")
		}
		f.Message = m
	}
	f.RenderingID, _ = pr.ref("renderingId", in.RenderingID, "No such rendering in this project.")
	if err := pr.Err(); err != nil {
		return nil, err
	}
	return f, nil
}

// FeedbackNoticeText is the staff-facing sentence of a notice about client
// feedback f through the link labelled label, on the rendering titled title
// (if any), e.g. Jane asked for changes on "Kitchen view" through link
// 'Jane & Tom'. Plain text: it is escaped wherever it is shown.
func FeedbackNoticeText(f *Feedback, title, label string) string {
	who := f.Name
	if who == "" {
		who = "A client"
	}
	var s string
	switch f.Decision {
	case DecisionApproved:
		s = who + " approved \u201c" + title + "\u201d"
	case DecisionChangesRequested:
		s = who + " asked for changes on \u201c" + title + "\u201d"
	default:
		s = who + " wrote"
		if title != "" {
			s += " about \u201c" + title + "\u201d"
		}
	}
	if label != "" {
		s += " through link \u2018" + label + "\u2019"
	} else {
		s += " through an unnamed link"
	}
	if f.Decision != "" && f.Message != "" {
		s += ": " + f.Message
	} else if f.Decision == "" {
		s += ": " + f.Message
	}
	return CleanText(s, 4*MaxFeedbackMessage)
}

// DecisionLabel is how staff read a decision ("Changes requested").
func DecisionLabel(d string) string {
	switch d {
	case DecisionApproved:
		return "Approved"
	case DecisionChangesRequested:
		return "Changes requested"
	}
	return "Message"
}

// LatestDecisions maps each rendering to the latest decision a client made
// on it, through any link of the project. items must be oldest first.
func LatestDecisions(items []Feedback) map[string]string {
	m := map[string]string{}
	for _, f := range items {
		if f.From == FromClient && f.Decision != "" && f.RenderingID != "" {
			m[f.RenderingID] = f.Decision
		}
	}
	return m
}

// ApprovalReady reports whether the room's Client Approval phase may be
// suggested as completed: it is neither completed nor skipped, and the
// room has client-visible renderings, all of them approved by the client
// (latest decision). Nothing changes by itself: staff decide.
func ApprovalReady(room Room, renderings []Rendering, decisions map[string]string) bool {
	var approval *Phase
	for i := range room.Phases {
		if room.Phases[i].Kind == PhaseApproval {
			approval = &room.Phases[i]
		}
	}
	if approval == nil || approval.Status == StatusCompleted || approval.Status == StatusSkipped {
		return false
	}
	n := 0
	for _, r := range renderings {
		if r.RoomID != room.ID || r.Status != RenderingApproved {
			continue
		}
		n++
		if decisions[r.ID] != DecisionApproved {
			return false
		}
	}
	return n > 0
}

// FeedbackChange is a staff edit of a feedback item.
type FeedbackChange struct {
	Resolved *bool
}

// Check refuses a change that changes nothing.
func (ch FeedbackChange) Check() error {
	if ch.Resolved == nil {
		return Invalid("resolved", "resolved is required (true or false).")
	}
	return nil
}

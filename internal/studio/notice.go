package studio

import "time"

// Notice kinds: what the studio hears about.
const (
	NoticeFirstView   = "first_view"   // a link was opened for the first time
	NoticeFeedback    = "feedback"     // a client approved, asked for changes or wrote
	NoticeLinkRequest = "link_request" // a client asked for a new link
	NoticeDigest      = "digest"       // the daily digest of views and downloads
	NoticeLinkLocked  = "link_locked"  // too many wrong PINs locked a link
)

// Notice is one thing the studio should hear about. It is written in the
// same transaction as the event it reports (the outbox); the in-app list
// and the mail sender both read it. Text is a staff-facing sentence in
// plain text (escaped wherever it is shown); it never reaches a client.
type Notice struct {
	ID        string    `json:"id"`
	Kind      string    `json:"kind"`
	ProjectID string    `json:"projectId"`
	LinkID    string    `json:"linkId,omitempty"`
	SubjectID string    `json:"subjectId,omitempty"` // the feedback item, when there is one
	Text      string    `json:"text"`
	At        time.Time `json:"at"`
}

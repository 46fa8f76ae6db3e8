package studio

import "time"

// Mail kinds: to staff about a notice, a link sent to a client, and a
// client's "new renderings to see" update.
const (
	MailNotice     = "notice"
	MailInvitation = "invitation"
	MailUpdate     = "update"
)

// Mail states in the outbox.
const (
	MailPending = "pending" // waiting for its next attempt (NextAt)
	MailSending = "sending" // claimed by an instance until its lease ends
	MailSent    = "sent"
	MailFailed  = "failed" // the server refused it for good, or every attempt failed
	MailUnsent  = "unsent" // no mail server was configured when it was made
)

// NoMailServer is the outbox's note on a mail made without a mail server.
const NoMailServer = "not sent: no mail server configured"

// Mail is one message of the outbox, rendered when it was queued so that
// a restart, or another instance, sends the same bytes.
type Mail struct {
	ID          string     `json:"id"`
	Kind        string     `json:"kind"`
	ProjectID   string     `json:"projectId"`
	LinkID      string     `json:"linkId,omitempty"`
	NoticeID    string     `json:"noticeId,omitempty"`
	To          string     `json:"to"`
	Subject     string     `json:"subject"`
	Text        string     `json:"-"`
	HTML        string     `json:"-"`
	Unsubscribe string     `json:"-"` // the one-click unsubscribe URL (RFC 8058), or ""
	LogoKey     string     `json:"-"` // the studio logo to embed, or ""
	Status      string     `json:"status"`
	Attempts    int        `json:"attempts"`
	NextAt      time.Time  `json:"nextAt"`
	LastError   string     `json:"lastError"`
	CreatedAt   time.Time  `json:"createdAt"`
	SentAt      *time.Time `json:"sentAt"`
}

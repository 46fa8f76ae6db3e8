package studio

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"time"
)

// Notification is a notice as one staff member sees it in the in-app list
// (GET /api/notifications): whether they have read it is theirs alone.
type Notification struct {
	ID        string    `json:"id"`
	Kind      string    `json:"kind"`
	ProjectID string    `json:"projectId"`
	At        time.Time `json:"at"`
	Read      bool      `json:"read"`
	Text      string    `json:"text"`
}

// Who hears about what (users.notify_mail). NotifyDefault follows the
// role: admins hear of every project, designers of the projects whose team
// they are on. The in-app list shows every project to admins and to those
// who chose NotifyAll, the projects of one's team to everyone else; mail
// goes by the setting, and NotifyNone sends none.
const (
	NotifyDefault = ""
	NotifyAll     = "all"
	NotifyMine    = "mine"
	NotifyNone    = "none"
)

// NotifyScope is the effective mail setting of a staff member: pref, or
// the role's default.
func NotifyScope(role Role, pref string) string {
	if pref != NotifyDefault {
		return pref
	}
	if role == RoleAdmin {
		return NotifyAll
	}
	return NotifyMine
}

// SeesAllNotices reports whether the in-app list of a staff member with
// this role and setting shows every project's notices.
func SeesAllNotices(role Role, pref string) bool {
	return role == RoleAdmin || pref == NotifyAll
}

// CheckNotifyPref checks a notify setting sent by the API or a form.
func CheckNotifyPref(field string, v *string) (string, error) {
	var pr Problems
	s, ok := pr.text(field, v, MaxName)
	if ok && s != NotifyDefault && s != NotifyAll && s != NotifyMine && s != NotifyNone {
		pr.Add(field, "%s must be one of \"\", all, mine or none.", field)
	}
	return s, pr.Err()
}

// MaxNote bounds the personal note of an invitation.
const MaxNote = 2000

// Invitation is a link sent by email: to whom, with an optional personal
// note from the studio.
type Invitation struct {
	To   string
	Note string
}

// NewInvitation checks an invitation's fields (to required, an address;
// note optional, text, at most MaxNote characters). A note keeps its line
// breaks; no header is ever made from it.
func NewInvitation(to, note *string) (*Invitation, error) {
	var pr Problems
	inv := &Invitation{}
	if s, ok := pr.required("to", to, MaxEmail); ok {
		if ValidEmail(s) {
			inv.To = s
		} else {
			pr.Add("to", "to must be an email address.")
		}
	}
	if s, ok := pr.text("note", note, MaxNote); ok {
		inv.Note = strings.ReplaceAll(s, "\r\n", "\n")
	}
	if err := pr.Err(); err != nil {
		return nil, err
	}
	return inv, nil
}

// Unsubscribe tokens: the one-click unsubscribe link of a client update
// needs no login. Its token is derived from the server secret and the link
// id (HMAC-SHA256, 32 URL-safe characters): it names no id, cannot be
// guessed for another link, and the database keeps only its digest
// (TokenDigest) to find the link.

// UnsubscribeToken is the token of linkID's unsubscribe link.
func UnsubscribeToken(secret []byte, linkID string) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("atrium-unsubscribe\x00"))
	m.Write([]byte(linkID))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:24])
}

// WellFormedUnsubscribe reports whether s could be an unsubscribe token:
// 32 characters of unpadded base64url. Anything else is refused before
// touching the database.
func WellFormedUnsubscribe(s string) bool {
	if len(s) != 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// Limits of link requests (the expired and deactivated pages): one a
// link an hour, and LinkRequestsPerIP an hour from one address.
const (
	LinkRequestEvery  = time.Hour
	LinkRequestsPerIP = 5
)

// ValidAccent reports whether s is a colour like #7a5c3e (the studio's
// accent, safe to put in a style).
func ValidAccent(s string) bool { return hexColor.MatchString(s) }

// ValidNoticeID reports whether s could be a notice's id: one of our ids,
// the first-view notice's "first-view-" and its link's id, or a digest's
// "digest-", its project's id, "-" and the day.
func ValidNoticeID(s string) bool {
	if rest, ok := strings.CutPrefix(s, "first-view-"); ok {
		return ValidID(rest)
	}
	if rest, ok := strings.CutPrefix(s, "digest-"); ok {
		id, day, ok := strings.Cut(rest, "-")
		return ok && ValidID(id) && ValidDate(day)
	}
	return ValidID(s)
}

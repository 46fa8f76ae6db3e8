package studio

import "time"

// LinkChange is a staff edit of a client link (PATCH /api/client-access/{id}):
// each field that was sent is changed, nil fields are left as they are. A
// new editable field is one more pointer here, one more line in Apply, and
// one more name in LinkChangeFields.
type LinkChange struct {
	Label         *string
	AllowFeedback *bool
	// AllowDownloads turns the link's downloads (originals and the ZIP) on or off.
	AllowDownloads *bool
	// Expires is the new expiry as ParseExpiry reads it ("" or "never":
	// none; a date means the end of that day, UTC).
	Expires *string
	// Active true reactivates a deactivated link, false deactivates it.
	Active *bool
	// PIN is the new PIN (4 to 8 digits), or "" to remove it. Setting or
	// removing it also unlocks a locked link, as reactivating does.
	PIN *string
	// Locale is the link's language (locale.Codes), "" for the studio's.
	Locale *string

	// Who makes the change (a staff id, "" from the command line), when,
	// and the server secret the PIN digest is keyed with: not fields of
	// the request.
	By     string
	At     time.Time
	Secret []byte
}

// LinkChangeFields are the JSON names LinkChange reads; any other field of
// a request is refused by name.
var LinkChangeFields = []string{"label", "allowFeedback", "allowDownloads", "expiresAt", "active", "pin", "locale"}

// Apply checks ch and applies it to l.
func (ch LinkChange) Apply(l *Link) error {
	var pr Problems
	label, labelOK := pr.text("label", ch.Label, MaxName)
	var expires *time.Time
	var expErr error
	if ch.Expires != nil {
		expires, expErr = ParseExpiry("expiresAt", *ch.Expires, ch.At)
	}
	var pinDigest string
	if ch.PIN != nil && *ch.PIN != "" {
		if !ValidPIN(*ch.PIN) {
			pr.Add("pin", "pin must be 4 to 8 digits, or null to remove it.")
		} else if len(ch.Secret) == 0 {
			return Errorf(ECodeInternal, "No server secret is configured.")
		} else {
			pinDigest = PINDigest(ch.Secret, *ch.PIN)
		}
	}
	if ch.Locale != nil {
		pr.locale(*ch.Locale)
	}
	if err := Join(pr.Err(), expErr); err != nil {
		return err
	}
	if labelOK {
		l.Label = label
	}
	if ch.AllowFeedback != nil {
		l.AllowFeedback = *ch.AllowFeedback
	}
	if ch.AllowDownloads != nil {
		l.AllowDownloads = *ch.AllowDownloads
	}
	if ch.Expires != nil {
		l.ExpiresAt = expires
	}
	if ch.Active != nil && *ch.Active != l.Active {
		l.Active = *ch.Active
		if l.Active {
			l.DeactivatedAt, l.DeactivatedBy = nil, ""
		} else {
			at := ch.At
			l.DeactivatedAt, l.DeactivatedBy = &at, ch.By
		}
	}
	if ch.Locale != nil {
		l.Locale = *ch.Locale
	}
	if ch.PIN != nil {
		l.PINDigest = pinDigest
		l.PINVersion++
	}
	if ch.PIN != nil || (ch.Active != nil && *ch.Active) {
		l.LockedAt = nil
	}
	return nil
}

// VisitGap is how long without a page view ends a visit: the next page
// view starts a new one. A reload, or a second look minutes later, is
// the same visit and keeps its "New" badges.
const VisitGap = 30 * time.Minute

// PreviousVisit is the time from which things count as new for a request
// at time now: the last page view of the visit before the current one, or
// nil before any earlier visit. A page view (pageView) that starts a new
// visit moves it to the last view, as the access log will when it records
// that view (store: recordVisits); any other request reads it as stored.
func (l *Link) PreviousVisit(now time.Time, pageView bool) *time.Time {
	if pageView && l.LastViewAt != nil && now.Sub(*l.LastViewAt) > VisitGap {
		t := *l.LastViewAt
		return &t
	}
	return l.PreviousVisitAt
}

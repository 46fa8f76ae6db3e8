package studio

import "time"

// LinkChange is a staff edit of a client link (PATCH /api/client-access/{id}):
// each field that was sent is changed, nil fields are left as they are. A
// new editable field is one more pointer here, one more line in Apply, and
// one more name in LinkChangeFields.
type LinkChange struct {
	Label          *string
	AllowFeedback  *bool
	AllowDownloads *bool
}

// LinkChangeFields are the JSON names LinkChange reads; any other field of
// a request is refused by name.
var LinkChangeFields = []string{"label", "allowFeedback", "allowDownloads"}

// Apply checks ch and applies it to l.
func (ch LinkChange) Apply(l *Link) error {
	var pr Problems
	label, labelOK := pr.text("label", ch.Label, MaxName)
	if err := pr.Err(); err != nil {
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

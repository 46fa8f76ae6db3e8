package studio

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"strings"
	"time"

	"atrium/internal/locale"
)

// Link is a client's access to one project's portal.
type Link struct {
	ID             string     `json:"id"`
	ProjectID      string     `json:"projectId"`
	Label          string     `json:"label"`
	TokenDigest    string     `json:"-"`
	TokenHint      string     `json:"tokenHint"`
	CreatedBy      string     `json:"createdBy"`
	CreatedAt      time.Time  `json:"createdAt"`
	ExpiresAt      *time.Time `json:"expiresAt"`
	Active         bool       `json:"active"`
	DeactivatedAt  *time.Time `json:"deactivatedAt"`
	DeactivatedBy  string     `json:"deactivatedBy"`
	AccessCount    int64      `json:"accessCount"`
	LastAccessedAt *time.Time `json:"lastAccessedAt"`
	DownloadCount  int64      `json:"downloadCount"`
	UniqueIPs      int64      `json:"uniqueIps"`
	SentTo         string     `json:"sentTo"` // where the link was last sent by email ("" never)
	SentAt         *time.Time `json:"sentAt"` // and when
	// AllowFeedback shows the feedback controls on the page and lets
	// the link's holder write to the studio (feedback.go).
	AllowFeedback bool `json:"allowFeedback"`
	// AllowDownloads lets the link's holder download originals, one by
	// one or all at once (the ZIP); off, the page shows previews only.
	AllowDownloads bool `json:"allowDownloads"`
	// LastViewAt is the link's latest page view; PreviousVisitAt the last
	// page view of the visit before the current one (visit.go).
	LastViewAt      *time.Time `json:"-"`
	PreviousVisitAt *time.Time `json:"-"`
	// TokenGen is the link's token generation: 0 until it is first
	// rotated (LinkTokenGen). Staff-only.
	TokenGen int `json:"-"`
	// PINDigest is "" without a PIN, else what PINDigest made of it;
	// PINVersion moves with every change of the PIN (pin.go). LockedAt is
	// when too many wrong PINs locked the link, nil while it is not.
	PINDigest  string     `json:"-"`
	PINVersion int        `json:"-"`
	LockedAt   *time.Time `json:"-"`
	// Locale is the language of the link's page and emails (locale.Codes),
	// "" for the studio's.
	Locale string `json:"locale"`
}

// Token is the link's current token (LinkTokenGen).
func (l *Link) Token(secret []byte) string { return LinkTokenGen(secret, l.ID, l.TokenGen) }

// HasPIN reports whether the link asks for a PIN.
func (l *Link) HasPIN() bool { return l.PINDigest != "" }

// State says whether the link opens the portal at time now: "" when it does,
// otherwise the code of the refusal (link_deactivated or link_expired).
func (l *Link) State(now time.Time) string {
	if !l.Active {
		return ECodeLinkDeactivated
	}
	if l.ExpiresAt != nil && !now.Before(*l.ExpiresAt) {
		return ECodeLinkExpired
	}
	return ""
}

// Link states as staff see them (StateName).
const (
	LinkActive      = "active"
	LinkExpired     = "expired"
	LinkDeactivated = "deactivated"
)

// StateName is the link's state at time now: LinkActive while it opens
// the portal, else LinkDeactivated or LinkExpired (deactivation wins).
func (l *Link) StateName(now time.Time) string {
	switch l.State(now) {
	case "":
		return LinkActive
	case ECodeLinkExpired:
		return LinkExpired
	}
	return LinkDeactivated
}

// LastDay is the last day on which the link opens (see LastDay), or ""
// for a link that never expires.
func (l Link) LastDay() string {
	if l.ExpiresAt == nil {
		return ""
	}
	return LastDay(*l.ExpiresAt)
}

// Access actions written to the access log.
const (
	ActionView     = "view"
	ActionAPI      = "api"
	ActionDownload = "download"
	ActionDenied   = "denied"
	// ActionFeedback is a client's feedback (approval, request for changes
	// or message), written in the feedback's own transaction. It counts
	// as no access.
	ActionFeedback = "feedback"
	// ActionRequestLink and ActionPreview are taken by the database for
	// a client asking for a new link and a link-preview bot's fetch.
	ActionRequestLink = "request_link"
	ActionPreview     = "preview"
)

// ZipReason is the reason of the download row of the ZIP of every
// original; the ZIP of one room's is ZipReason + ":" + the room's name.
const ZipReason = "zip"

// IsZip tells whether e is the download of a ZIP of originals.
func (e AccessEvent) IsZip() bool {
	return e.Action == ActionDownload && e.RenderingID == "" &&
		(e.Reason == ZipReason || strings.HasPrefix(e.Reason, ZipReason+":"))
}

// ZipRoom is the room of a ZIP's download (IsZip), "" for every room.
func (e AccessEvent) ZipRoom() string {
	if room, ok := strings.CutPrefix(e.Reason, ZipReason+":"); ok {
		return room
	}
	return ""
}

// AccessEvent is one row of a link's access log.
type AccessEvent struct {
	ID          int64     `json:"-"`
	LinkID      string    `json:"linkId"`
	ProjectID   string    `json:"-"`
	Action      string    `json:"action"`
	RenderingID string    `json:"renderingId"`
	Reason      string    `json:"reason"`
	IP          string    `json:"ip"`
	UserAgent   string    `json:"userAgent"`
	At          time.Time `json:"at"`
}

// AccessEntry is a line of a link's access log as staff read it: one row,
// or a run of consecutive denied rows from one IP for one reason (a client
// retrying a dead link, or a flood), newest first. The embedded event is
// the run's newest row.
type AccessEntry struct {
	AccessEvent
	Count   int       // rows in the run, 1 for a single row
	FirstAt time.Time // when the oldest row of the run was written
	Oldest  int64     // the oldest row's id: the cursor of the page after it
}

// Absorbs reports whether ev, the row just older than the entry, belongs
// to its run, and adds it if so.
func (a *AccessEntry) Absorbs(ev *AccessEvent) bool {
	if a.Action != ActionDenied || ev.Action != ActionDenied || ev.IP != a.IP || ev.Reason != a.Reason {
		return false
	}
	a.Count++
	a.FirstAt, a.Oldest = ev.At, ev.ID
	return true
}

// MaxUserAgent is how much of a user agent the access log keeps.
const MaxUserAgent = 512

// Counts reports whether the action bumps access_count and last_accessed_at.
func (e *AccessEvent) Counts() bool {
	return e.Action == ActionView || e.Action == ActionAPI || e.Action == ActionDownload
}

// DayCount is the number of views of a link on one UTC day (YYYY-MM-DD).
type DayCount struct {
	Day   string `json:"day"`
	Views int64  `json:"views"`
}

// TokenLen is the length of a client token: 32 base62 characters, ~190 bits.
const TokenLen = 32

const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// LinkToken derives a link's token from the server secret and the link id
// (HMAC-SHA256), so that staff can copy an active link again while the
// database holds only the token's digest: the database alone opens nothing.
// Bytes are mapped to base62 by rejection sampling, so there is no bias.
func LinkToken(secret []byte, linkID string) string { return LinkTokenGen(secret, linkID, 0) }

// LinkTokenGen is the token of generation gen of a link: generation 0 is
// LinkToken's derivation, unchanged for links made before rotation
// existed; each rotation (store.RotateLink) moves to the next generation,
// whose token has nothing in common with the last one's.
func LinkTokenGen(secret []byte, linkID string, gen int) string {
	out := make([]byte, 0, TokenLen)
	for block := uint32(0); len(out) < TokenLen; block++ {
		m := hmac.New(sha256.New, secret)
		m.Write([]byte("atrium-link-token\x00"))
		m.Write([]byte(linkID))
		if gen > 0 {
			var g [9]byte // a 0 byte and the generation: no id ends in 0 bytes
			binary.BigEndian.PutUint64(g[1:], uint64(gen))
			m.Write(g[:])
		}
		var ctr [4]byte
		binary.BigEndian.PutUint32(ctr[:], block)
		m.Write(ctr[:])
		for _, b := range m.Sum(nil) {
			if b >= 248 { // 248 = 4×62: keep the map uniform
				continue
			}
			out = append(out, base62[b%62])
			if len(out) == TokenLen {
				break
			}
		}
	}
	return string(out)
}

// SecretCheck is the value the database keeps to tell whether an instance
// runs with the secret its links were made with: 16 bytes of
// HMAC-SHA256(secret, "atrium key check v1") in hex. It says nothing of the
// secret beyond what a link's token digest already does.
func SecretCheck(secret []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("atrium key check v1"))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// TokenDigest is what the database keeps to look a token up.
func TokenDigest(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// TokenHint is the part of a token that staff see in lists and logs.
func TokenHint(token string) string {
	if len(token) < 4 {
		return token
	}
	return token[:4]
}

// WellFormedToken reports whether s could be a token: exactly TokenLen base62
// characters. Anything else is refused before touching the database.
func WellFormedToken(s string) bool {
	if len(s) != TokenLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z') {
			return false
		}
	}
	return true
}

// LinkInput is a client link to create, from the staff API, the admin UI
// or the command line.
type LinkInput struct {
	ProjectID string
	Label     string
	Expires   string // as ParseExpiry reads it: "30d", "2027-03-01", an RFC 3339 time, "never" or ""
	CreatedBy string // a staff id; "" from the command line
	// AllowFeedback lets the link's holder approve, ask for changes and
	// write to the studio; nil means yes.
	AllowFeedback *bool
	// AllowDownloads lets the link's holder download the originals; nil
	// means yes.
	AllowDownloads *bool
	// Locale is the link's language, "" for the studio's (locale.Codes).
	Locale string
}

// NewLink checks in and makes the link it describes, with id, and its
// token. The token is derived from id and the server secret (LinkToken),
// so that the link keeps only the token's digest and hint and staff can
// still copy it again later. The caller stores the link; one created at
// time now expires after now.
func NewLink(in LinkInput, id string, secret []byte, now time.Time) (*Link, string, error) {
	label, expires, err := in.check(now)
	if err != nil {
		return nil, "", err
	}
	if len(secret) == 0 {
		return nil, "", Errorf(ECodeInternal, "No server secret is configured.")
	}
	l := &Link{ID: id, ProjectID: in.ProjectID, Label: label, CreatedBy: in.CreatedBy, ExpiresAt: expires,
		AllowFeedback:  in.AllowFeedback == nil || *in.AllowFeedback,
		AllowDownloads: in.AllowDownloads == nil || *in.AllowDownloads, Locale: in.Locale}
	token := LinkToken(secret, l.ID)
	l.TokenDigest, l.TokenHint = TokenDigest(token), TokenHint(token)
	return l, token, nil
}

// Validate checks in as NewLink would at time now.
func (in LinkInput) Validate(now time.Time) error {
	_, _, err := in.check(now)
	return err
}

func (in LinkInput) check(now time.Time) (label string, expires *time.Time, err error) {
	var pr Problems
	if !ValidID(in.ProjectID) {
		pr.Add("projectId", "No such project.")
	}
	label, _ = pr.text("label", &in.Label, MaxName)
	pr.locale(in.Locale)
	expires, err = ParseExpiry("expiresAt", in.Expires, now)
	return label, expires, Join(pr.Err(), err)
}

// locale checks a link's locale: one of locale.Codes, or "" for the studio's.
func (p *Problems) locale(code string) bool {
	if code != "" && !locale.Valid(code) {
		p.Add("locale", "locale must be one of %s, or empty for the studio's.", strings.Join(locale.Codes, ", "))
		return false
	}
	return true
}

// LinkURL is the address a client opens.
func LinkURL(baseURL, token string) string {
	return strings.TrimRight(baseURL, "/") + ClientURLs{Token: token}.Page()
}

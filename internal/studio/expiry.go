package studio

import (
	"strconv"
	"strings"
	"time"
)

// MaxLinkLifetime bounds an expiry: a link meant to last longer than ten
// years should say "never", and the bound keeps every date in four digits.
const MaxLinkLifetime = 10 * 365 * 24 * time.Hour

// ParseExpiry reads a link's expiry as staff write it, in the API and on the
// command line:
//
//   - "" or "never": no expiry (nil);
//   - "Nd" (e.g. "7d", "30d", "90d"): N whole days from now;
//   - "YYYY-MM-DD": the link works through that whole day in UTC, so it
//     expires at 00:00 UTC of the next day;
//   - RFC 3339 ("2027-03-01T18:00:00+01:00"): that instant.
//
// An expiry that is not after now, or further than MaxLinkLifetime, is
// refused. The error is an invalid_input naming field.
func ParseExpiry(field, s string, now time.Time) (*time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" || strings.EqualFold(s, "never") {
		return nil, nil
	}
	now = now.UTC()
	var at time.Time
	switch {
	case strings.HasSuffix(s, "d") && isDigits(s[:len(s)-1]):
		n, err := strconv.Atoi(s[:len(s)-1])
		if err != nil || n < 1 || n > int(MaxLinkLifetime/(24*time.Hour)) {
			return nil, Invalid(field, "%s must be between 1d and %dd.", field, int(MaxLinkLifetime/(24*time.Hour)))
		}
		at = now.Add(time.Duration(n) * 24 * time.Hour)
	case len(s) == len(time.DateOnly):
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return nil, badExpiry(field)
		}
		at = d.AddDate(0, 0, 1)
	default:
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return nil, badExpiry(field)
		}
		at = t.UTC()
	}
	// Microseconds are what the database keeps; trim now so that the value
	// returned is the value stored.
	at = at.Truncate(time.Microsecond)
	if err := CheckExpiry(field, &at, now); err != nil {
		return nil, err
	}
	return &at, nil
}

// CheckExpiry refuses an expiry that is not after now or is further away
// than MaxLinkLifetime; nil (never) is fine.
func CheckExpiry(field string, at *time.Time, now time.Time) error {
	switch {
	case at == nil:
		return nil
	case !at.After(now):
		return Invalid(field, "%s is in the past; choose a later date.", field)
	case at.Sub(now) > MaxLinkLifetime:
		return Invalid(field, "%s is more than ten years away; use \"never\" instead.", field)
	}
	return nil
}

func badExpiry(field string) error {
	return Invalid(field, `%s must be "never", a number of days like "30d", a date like 2027-03-01, or an RFC 3339 time.`, field)
}

func isDigits(s string) bool {
	if s == "" || len(s) > 6 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// LastDay is the last day (UTC, YYYY-MM-DD) on which a link that expires at
// t still opens: the date of the last millisecond before t. A link made to
// expire "on a date" D is stored as 00:00 UTC of D+1 (ParseExpiry), so its
// last day is D, the day staff chose; one that expires at 18:00 lasts
// through that same day. Clients and staff are shown this day, never the
// stored instant's own date. Milliseconds, not nanoseconds, so that
// portal.js, whose dates hold no finer grain, finds the same day for the
// live updates (its lastDay).
func LastDay(t time.Time) string {
	return t.UTC().Truncate(time.Millisecond).Add(-time.Millisecond).Format(time.DateOnly)
}

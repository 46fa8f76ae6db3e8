package studio

import (
	"testing"
	"time"
)

func TestParseExpiry(t *testing.T) {
	now := time.Date(2026, 11, 20, 15, 30, 0, 0, time.UTC)
	at := func(s string) *time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return &v
	}
	tests := []struct {
		in   string
		want *time.Time
	}{
		{"", nil},
		{"never", nil},
		{" Never ", nil},
		{"7d", at("2026-11-27T15:30:00Z")},
		{"30d", at("2026-12-20T15:30:00Z")},
		{"90d", at("2027-02-18T15:30:00Z")},
		{"1d", at("2026-11-21T15:30:00Z")},
		// A date means "through that day": it expires when the next UTC day starts.
		{"2026-11-20", at("2026-11-21T00:00:00Z")},
		{"2027-03-01", at("2027-03-02T00:00:00Z")},
		{"2027-03-01T18:00:00+01:00", at("2027-03-01T17:00:00Z")},
		{"2027-03-01T18:00:00.123456789Z", at("2027-03-01T18:00:00.123456Z")},
	}
	for _, tt := range tests {
		got, err := ParseExpiry("expiresAt", tt.in, now)
		if err != nil {
			t.Errorf("ParseExpiry(%q): %v", tt.in, err)
			continue
		}
		if (got == nil) != (tt.want == nil) || got != nil && !got.Equal(*tt.want) {
			t.Errorf("ParseExpiry(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
	for _, bad := range []string{
		"0d", "-1d", "d", "3651d", "9999999d", "1w", "tomorrow", "2026-11-19", "2026-13-01", "2026-02-30",
		"2026-11-20T15:30:00Z", "2026-11-20T15:29:59Z", "2040-01-01", "10000-01-01", "2027-03-01 18:00", "1e3d", "+5d",
	} {
		got, err := ParseExpiry("expiresAt", bad, now)
		if err == nil {
			t.Errorf("ParseExpiry(%q) = %v, want an error", bad, got)
			continue
		}
		if ErrorCode(err) != ECodeInvalidInput {
			t.Errorf("ParseExpiry(%q) code = %s, want invalid_input", bad, ErrorCode(err))
		}
		var e *Error
		if e, _ = err.(*Error); e == nil || e.Field != "expiresAt" {
			t.Errorf("ParseExpiry(%q) does not name the field: %v", bad, err)
		}
	}
}

// A link made to expire "on a date" is shown with that date, not with the
// next day, at whose midnight it is stored.
func TestLastDay(t *testing.T) {
	now := time.Date(2026, 11, 20, 15, 30, 0, 0, time.UTC)
	for _, tt := range []struct{ in, want string }{
		{"2027-03-01", "2027-03-01"},
		{"2026-11-20", "2026-11-20"},
		{"2027-03-01T18:00:00Z", "2027-03-01"},
		{"2027-03-02T00:00:00.000001Z", "2027-03-01"}, // within the first millisecond, as portal.js sees it
		{"2027-03-02T00:00:00.001Z", "2027-03-02"},
		{"2027-03-02T00:30:00+01:00", "2027-03-01"}, // 23:30 UTC
		{"30d", "2026-12-20"},
	} {
		at, err := ParseExpiry("expiresAt", tt.in, now)
		if err != nil {
			t.Fatal(err)
		}
		if got := LastDay(*at); got != tt.want {
			t.Errorf("LastDay(ParseExpiry(%q) = %v) = %s, want %s", tt.in, at, got, tt.want)
		}
		if got := (Link{ExpiresAt: at}).LastDay(); got != tt.want {
			t.Errorf("Link.LastDay for %q = %s, want %s", tt.in, got, tt.want)
		}
		if got := (ClientLink{ExpiresAt: at}).LastDay(); got != tt.want {
			t.Errorf("ClientLink.LastDay for %q = %s, want %s", tt.in, got, tt.want)
		}
	}
	if got := (ClientLink{}).LastDay(); got != "" {
		t.Errorf("a link that never expires has last day %q", got)
	}
}

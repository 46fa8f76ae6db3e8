package studio

import (
	"strings"
	"unicode/utf8"
)

// Text that reaches the database must be valid UTF-8 without NUL:
// PostgreSQL refuses either, failing the whole statement, and SQLite stores
// them, to break the JSON and the pages that show them later. Text a person
// typed into a field is refused with CheckText, which names the field; text
// the server only records, such as a user agent, is made storable with
// CleanText.

// CheckText refuses s unless it is valid UTF-8 without NUL characters.
func CheckText(field, s string) error {
	if !utf8.ValidString(s) || strings.IndexByte(s, 0) >= 0 {
		return NotText(field)
	}
	return nil
}

// NotText is CheckText's refusal of the named field.
func NotText(field string) *Error {
	return Invalid(field, "%s must be UTF-8 text without NUL characters.", field)
}

// CleanText makes s storable: every invalid UTF-8 sequence becomes U+FFFD,
// NUL characters are dropped, and the result is cut to at most maxBytes
// without splitting a character.
func CleanText(s string, maxBytes int) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if strings.IndexByte(s, 0) >= 0 {
		s = strings.ReplaceAll(s, "\x00", "")
	}
	if len(s) <= maxBytes {
		return s
	}
	n := max(maxBytes, 0)
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// maxAccessText bounds the access log's other recorded texts (an IP, a
// rendering id, a reason), all far shorter when they come from our code.
const maxAccessText = 64

// Clean makes the texts of the event storable (CleanText). The access log
// calls it on every row before queueing it, so that no request's bytes can
// fail the commit that the rows of other requests share.
func (e *AccessEvent) Clean() {
	e.UserAgent = CleanText(e.UserAgent, MaxUserAgent)
	e.IP = CleanText(e.IP, maxAccessText)
	e.RenderingID = CleanText(e.RenderingID, maxAccessText)
	e.Reason = CleanText(e.Reason, maxAccessText)
}

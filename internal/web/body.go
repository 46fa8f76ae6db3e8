package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/mail"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"atrium/internal/studio"
)

// maxJSONBody bounds every JSON request body.
const maxJSONBody = 1 << 20

// body is a decoded JSON object whose fields are read one by one, so that
// each bad field gets an error that names it. The first error sticks.
type body struct {
	fields map[string]json.RawMessage
	err    error
}

// readBody decodes a JSON object from r. Malformed JSON is invalid_input;
// an oversized body is too_large.
func readBody(w http.ResponseWriter, r *http.Request) (*body, error) {
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxJSONBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, studio.Errorf(studio.ECodeTooLarge, "The request body is larger than 1 MB.")
		}
		return nil, studio.Errorf(studio.ECodeInvalidInput, "The request body could not be read.")
	}
	b := &body{}
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil, studio.Errorf(studio.ECodeInvalidInput, "The request body is empty; send a JSON object.")
	}
	if err := json.Unmarshal(raw, &b.fields); err != nil || b.fields == nil {
		return nil, studio.Errorf(studio.ECodeInvalidInput, "The request body is not a valid JSON object.")
	}
	return b, nil
}

func (b *body) fail(field, format string, args ...any) {
	if b.err == nil {
		b.err = studio.Invalid(field, format, args...)
	}
}

// Only refuses fields outside the allowed set, naming the first one.
func (b *body) Only(allowed ...string) {
	var unknown []string
	for k := range b.fields {
		found := false
		for _, a := range allowed {
			if k == a {
				found = true
				break
			}
		}
		if !found {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		b.fail(unknown[0], "Unknown field %q.", unknown[0])
	}
}

// Has reports whether the field is present (even as null).
func (b *body) Has(name string) bool {
	_, ok := b.fields[name]
	return ok
}

func (b *body) isNull(name string) bool {
	return string(bytes.TrimSpace(b.fields[name])) == "null"
}

// String reads a string field into dst if present; null means "". It trims
// space and enforces a length limit in characters.
func (b *body) String(name string, dst *string, maxLen int) { b.str(name, dst, maxLen, true) }

// Secret is String without the trimming: a password's spaces are part of
// it, the same through the API, the forms and the CLI.
func (b *body) Secret(name string, dst *string, maxLen int) { b.str(name, dst, maxLen, false) }

func (b *body) str(name string, dst *string, maxLen int, trim bool) {
	raw, ok := b.fields[name]
	if !ok || b.err != nil {
		return
	}
	if b.isNull(name) {
		*dst = ""
		return
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		b.fail(name, "%s must be a string.", name)
		return
	}
	if err := checkJSONText(name, raw, s); err != nil {
		b.err = err
		return
	}
	if trim {
		s = strings.TrimSpace(s)
	}
	if utf8.RuneCountInString(s) > maxLen {
		b.fail(name, "%s must be at most %d characters.", name, maxLen)
		return
	}
	*dst = s
}

// checkJSONText refuses a JSON string that is not text (studio.CheckText).
// encoding/json turns invalid UTF-8 and escaped lone surrogates ("\ud800")
// into U+FFFD without a word, so the raw bytes are checked, and the decoded
// s may hold no U+FFFD beyond those the raw string spells; a "\u0000"
// escape decodes to a NUL, which CheckText refuses.
func checkJSONText(name string, raw []byte, s string) error {
	if !utf8.Valid(raw) {
		return studio.NotText(name)
	}
	if err := studio.CheckText(name, s); err != nil {
		return err
	}
	if n := strings.Count(s, "\uFFFD"); n > 0 {
		spelt := bytes.Count(raw, []byte("\uFFFD")) + bytes.Count(bytes.ToLower(raw), []byte(`\ufffd`))
		if n > spelt {
			return studio.NotText(name)
		}
	}
	return nil
}

// Required reads a string field that must be present and non-empty.
func (b *body) Required(name string, dst *string, maxLen int) {
	if b.err != nil {
		return
	}
	if !b.Has(name) || b.isNull(name) {
		b.fail(name, "%s is required.", name)
		return
	}
	b.String(name, dst, maxLen)
	if b.err == nil && *dst == "" {
		b.fail(name, "%s must not be empty.", name)
	}
}

// Cents reads a non-negative amount in cents; null clears it.
func (b *body) Cents(name string, dst **int64) {
	raw, ok := b.fields[name]
	if !ok || b.err != nil {
		return
	}
	if b.isNull(name) {
		*dst = nil
		return
	}
	var n int64
	if err := json.Unmarshal(raw, &n); err != nil {
		b.fail(name, "%s must be a whole number of cents.", name)
		return
	}
	if n < 0 || n > 1e15 {
		b.fail(name, "%s must be between 0 and 10^15.", name)
		return
	}
	*dst = &n
}

// Date reads a YYYY-MM-DD date; "" or null clears it.
func (b *body) Date(name string, dst *string) {
	var s string
	if !b.Has(name) {
		return
	}
	b.String(name, &s, 10)
	if b.err != nil {
		return
	}
	if s != "" && !validDate(s) {
		b.fail(name, "%s must be a date like 2027-03-01.", name)
		return
	}
	*dst = s
}

// Email reads an email address; "" clears it unless required.
func (b *body) Email(name string, dst *string) {
	var s string
	if !b.Has(name) {
		return
	}
	b.String(name, &s, 254)
	if b.err != nil {
		return
	}
	if s != "" && !validEmail(s) {
		b.fail(name, "%s must be an email address.", name)
		return
	}
	*dst = s
}

// Err is the first error met, or nil.
func (b *body) Err() error { return b.err }

func validDate(s string) bool {
	if len(s) != 10 {
		return false
	}
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}

// validEmail accepts a bare address only: what net/mail parses, with no
// display name, comment, quoting or route, and nothing that would change
// a mailto: link made from it (?, &, #, %, /): a local part of letters,
// digits and .!$'*+-=^_`{|}~, and a domain of at least two LDH labels.
func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return false
	}
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" || len(local) > 64 || strings.HasPrefix(local, ".") ||
		strings.HasSuffix(local, ".") || strings.Contains(local, "..") {
		return false
	}
	for _, c := range local {
		if !unicode.IsLetter(c) && !unicode.IsDigit(c) && !strings.ContainsRune(".!$'*+-=^_`{|}~", c) {
			return false
		}
	}
	labels := strings.Split(domain, ".")
	if len(labels) < 2 || len(domain) > 253 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for _, c := range l {
			if !unicode.IsLetter(c) && !unicode.IsDigit(c) && c != '-' {
				return false
			}
		}
	}
	return true
}

var hexColor = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)

// validID reports whether s could be one of our ids: 32 lowercase hex
// characters. Anything else is answered 404 without a query.
func validID(s string) bool {
	if len(s) != 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

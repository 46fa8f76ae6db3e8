package studio

import (
	"errors"
	"fmt"
	"net/mail"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// The rules of what staff may enter live here, one function per kind of
// input, so that the API, the admin forms, the CLI and the demo apply the
// same ones. An input holds what was sent: a nil field was not sent and
// leaves the stored value as it is. Every invalid field is reported at
// once, in one invalid_input Error whose Fields name them all.

// Length limits of text fields, in characters.
const (
	MaxName  = 200
	MaxText  = 5000
	MaxNotes = 20000
	MaxEmail = 254
	MaxPhone = 40
	// MaxRef bounds a reference to another record (an id) before it is
	// checked: far above an id's 32 characters.
	MaxRef = 64
)

// MinCompletedAt is the earliest completion date taken: older is a typo.
const MinCompletedAt = "2000-01-01"

// MaxCents bounds an amount of money in cents.
const MaxCents = 1e15

// Problems collects what is wrong with an input, field by field, in the
// order found. The first message of a field wins.
type Problems struct {
	order []string
	msgs  map[string]string
}

// Add records a problem with the named field, unless it already has one.
func (p *Problems) Add(field, format string, args ...any) {
	if p.Has(field) {
		return
	}
	if p.msgs == nil {
		p.msgs = map[string]string{}
	}
	p.order = append(p.order, field)
	p.msgs[field] = fmt.Sprintf(format, args...)
}

// Has reports whether the named field has a problem.
func (p *Problems) Has(field string) bool {
	_, ok := p.msgs[field]
	return ok
}

// Err is nil without problems, else an invalid_input Error: Field and
// Message are the first problem, Fields holds them all.
func (p *Problems) Err() error {
	if len(p.order) == 0 {
		return nil
	}
	first := p.order[0]
	e := &Error{Code: ECodeInvalidInput, Field: first, Message: p.msgs[first]}
	for _, f := range p.order {
		if f == "" {
			continue // a problem of the whole input, not of a field
		}
		if e.Fields == nil {
			e.Fields = map[string]string{}
		}
		e.Fields[f] = p.msgs[f]
	}
	return e
}

// Join merges invalid_input errors into one that names every field, those
// of the first error first. Any other error (nil aside) is returned as it
// is: it is not the person's to fix field by field.
func Join(errs ...error) error {
	var p Problems
	for _, err := range errs {
		if err == nil {
			continue
		}
		var e *Error
		if !errors.As(err, &e) || e.Code != ECodeInvalidInput {
			return err
		}
		if e.Field == "" && len(e.Fields) == 0 {
			return err
		}
		p.Add(e.Field, "%s", e.Message)
		for _, f := range sortedKeys(e.Fields) {
			p.Add(f, "%s", e.Fields[f])
		}
	}
	return p.Err()
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// text checks a sent text field: text (CheckText), trimmed of space, at
// most max characters. ok is false when the field was not sent or is bad.
func (p *Problems) text(field string, v *string, max int) (s string, ok bool) {
	return p.textAs(field, v, max, true)
}

func (p *Problems) textAs(field string, v *string, max int, trim bool) (string, bool) {
	if v == nil {
		return "", false
	}
	s := *v
	if err := CheckText(field, s); err != nil {
		p.Add(field, "%s", NotText(field).Message)
		return "", false
	}
	if trim {
		s = strings.TrimSpace(s)
	}
	if utf8.RuneCountInString(s) > max {
		p.Add(field, "%s must be at most %d characters.", field, max)
		return "", false
	}
	return s, true
}

// required is text for a field that must be sent and not empty.
func (p *Problems) required(field string, v *string, max int) (string, bool) {
	if v == nil {
		p.Add(field, "%s is required.", field)
		return "", false
	}
	s, ok := p.text(field, v, max)
	if ok && s == "" {
		p.Add(field, "%s must not be empty.", field)
		return "", false
	}
	return s, ok
}

// notEmpty is text for a field that may be left out but not emptied.
func (p *Problems) notEmpty(field string, v *string, max int) (string, bool) {
	if v == nil {
		return "", false
	}
	return p.required(field, v, max)
}

// date checks a sent YYYY-MM-DD date; "" clears it.
func (p *Problems) date(field string, v *string) (string, bool) {
	s, ok := p.text(field, v, MaxName)
	if ok && s != "" && !ValidDate(s) {
		p.Add(field, "%s must be a date like 2027-03-01.", field)
		return "", false
	}
	return s, ok
}

// email checks a sent email address; "" clears it.
func (p *Problems) email(field string, v *string) (string, bool) {
	s, ok := p.text(field, v, MaxEmail)
	if ok && s != "" && !ValidEmail(s) {
		p.Add(field, "%s must be an email address.", field)
		return "", false
	}
	return s, ok
}

// cents checks a sent amount: nil clears it.
func (p *Problems) cents(field string, v *int64) bool {
	if v != nil && (*v < 0 || *v > MaxCents) {
		p.Add(field, "%s must be between 0 and 10^15.", field)
		return false
	}
	return true
}

// ref checks a sent reference to another record: "" clears it, anything
// else must be an id (ValidID), or unknown is the message.
func (p *Problems) ref(field string, v *string, unknown string) (string, bool) {
	s, ok := p.text(field, v, MaxRef)
	if ok && s != "" && !ValidID(s) {
		p.Add(field, "%s", unknown)
		return "", false
	}
	return s, ok
}

// ValidDate reports whether s is a YYYY-MM-DD date.
func ValidDate(s string) bool {
	if len(s) != 10 {
		return false
	}
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}

// ValidID reports whether s could be one of our ids: 32 lowercase hex
// characters. Anything else is unknown without a query.
func ValidID(s string) bool {
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

// ValidEmail accepts a bare address only: what net/mail parses, with no
// display name, comment, quoting or route, and nothing that would change
// a mailto: link made from it (?, &, #, %, /): a local part of letters,
// digits and .!$'*+-=^_`{|}~, and a domain of at least two LDH labels.
func ValidEmail(s string) bool {
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

package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"sort"

	"atrium/internal/httpx"
	"atrium/internal/studio"
)

// maxJSONBody bounds every JSON request body.
const maxJSONBody = 1 << 20

// body is a decoded JSON object whose fields are read one by one into a
// studio input, so that each field that cannot be read gets an error that
// names it. What the values may be is the studio's to judge; body only
// reads them, and collects every field it cannot read.
type body struct {
	fields map[string]json.RawMessage
	probs  studio.Problems
}

// pathAndBody is what most API writes start with: the id of the kind of
// thing the path names, then the JSON body (the API's pathAndForm).
func pathAndBody(w http.ResponseWriter, r *http.Request, kind string) (string, *body, error) {
	id, err := pathID(r, kind)
	if err != nil {
		return "", nil, err
	}
	b, err := readBody(w, r)
	return id, b, err
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

// Only refuses every field outside the allowed set.
func (b *body) Only(allowed ...string) {
	var unknown []string
	for k := range b.fields {
		if !slices.Contains(allowed, k) {
			unknown = append(unknown, k)
		}
	}
	sort.Strings(unknown)
	for _, k := range unknown {
		b.probs.Add(k, "Unknown field %q.", k)
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

// Text reads a string field: nil when absent (or unreadable), "" for null.
func (b *body) Text(name string) *string {
	raw, ok := b.fields[name]
	if !ok {
		return nil
	}
	s := ""
	if b.isNull(name) {
		return &s
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		b.probs.Add(name, "%s must be a string.", name)
		return nil
	}
	if err := checkJSONText(name, raw, s); err != nil {
		b.probs.Add(name, "%s", studio.ErrorMessage(err))
		return nil
	}
	return &s
}

// Required is Text for a field that must be present and not null.
func (b *body) Required(name string) *string {
	if !b.Has(name) || b.isNull(name) {
		b.probs.Add(name, "%s is required.", name)
		return nil
	}
	return b.Text(name)
}

// checkJSONText refuses a JSON string that is not text (httpx.CheckJSONText).
func checkJSONText(name string, raw []byte, s string) error { return httpx.CheckJSONText(name, raw, s) }

func loneSurrogate(raw []byte) bool { return httpx.LoneSurrogate(raw) }

// Cents reads an amount in cents: set says the field is present; null
// clears the amount (nil).
func (b *body) Cents(name string) (set bool, cents *int64) {
	raw, ok := b.fields[name]
	if !ok || b.isNull(name) {
		return ok, nil
	}
	var n int64
	if err := json.Unmarshal(raw, &n); err != nil {
		b.probs.Add(name, "%s must be a whole number of cents.", name)
		return false, nil
	}
	return true, &n
}

// Int reads a whole-number field; nil when absent (or unreadable).
func (b *body) Int(name string) *int64 {
	raw, ok := b.fields[name]
	if !ok {
		return nil
	}
	var n int64
	if err := json.Unmarshal(raw, &n); err != nil || b.isNull(name) {
		b.probs.Add(name, "%s must be a whole number.", name)
		return nil
	}
	return &n
}

// Bool reads a true or false field; nil when absent.
func (b *body) Bool(name string) *bool {
	raw, ok := b.fields[name]
	if !ok {
		return nil
	}
	var v bool
	if err := json.Unmarshal(raw, &v); err != nil || b.isNull(name) {
		b.probs.Add(name, "%s must be true or false.", name)
		return nil
	}
	return &v
}

// orEmpty is the text read, or "" for none.
func orEmpty(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// Err is what could not be read, every field of it, or nil.
func (b *body) Err() error { return b.probs.Err() }

// validID reports whether s could be one of our ids (studio.ValidID).
func validID(s string) bool { return studio.ValidID(s) }

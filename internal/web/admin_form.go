package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"atrium/internal/studio"
)

// adminForm is a failed form submission, shown again with the values the
// person entered and an error next to the offending field.
type adminForm struct {
	Name   string // which form of the page failed, e.g. "project" or "phase:ID"
	Values url.Values
	Errors map[string]string // by field; "" is the form's general error
}

// Is reports whether the named form is the one that failed.
func (f *adminForm) Is(name string) bool { return f != nil && f.Name == name }

// Val is the entered value of a field of the failed form, or fallback (the
// stored value) for any other form.
func (f *adminForm) Val(name, field, fallback string) string {
	if f.Is(name) {
		return f.Values.Get(field)
	}
	return fallback
}

// Err is the error of a field of the named form, or "".
func (f *adminForm) Err(name, field string) string {
	if f.Is(name) {
		return f.Errors[field]
	}
	return ""
}

// failedForm builds the form state for err. Domain errors that name a field
// (the JSON name the API validators use) land next to that field, with the
// field's label in place of its JSON name; anything else is the form's
// general error.
// Internal errors are logged here and shown as a generic text.
func (s *Server) failedForm(r *http.Request, name string, values url.Values, err error, labels map[string]string) *adminForm {
	f := &adminForm{Name: name, Values: values, Errors: map[string]string{}}
	var se *studio.Error
	err = domainError(err)
	if !errors.As(err, &se) {
		s.log.Error("admin form failed", "method", r.Method, "path", r.URL.Path, "err", err)
		f.Errors[""] = studio.ErrorMessage(err)
		return f
	}
	field, msg := se.Field, humanizeFields(se.Message, se.Field, labels)
	if to, ok := formFieldOf[field]; ok {
		field = to
	}
	if _, known := labels[se.Field]; !known {
		field = ""
	}
	// An unusable or oversized upload is the file field's fault.
	if field == "" && (se.Code == studio.ECodeInvalidImage || se.Code == studio.ECodeTooLarge) {
		if _, ok := labels["file"]; ok {
			field = "file"
		}
	}
	f.Errors[field] = msg
	return f
}

// humanizeFields puts labels in place of JSON field names in a validation
// message: "clientName is required." reads "Client name is required.".
func humanizeFields(msg, field string, labels map[string]string) string {
	if label, ok := labels[field]; ok && field != "" && strings.HasPrefix(msg, field+" ") {
		msg = label + msg[len(field):]
	}
	for f, label := range labels {
		if f != strings.ToLower(f) { // only camelCase names, never plain words
			msg = strings.ReplaceAll(msg, f, strings.ToLower(label))
		}
	}
	return msg
}

// formFieldOf maps JSON field names to the form inputs that carry them where
// the two differ.
var formFieldOf = map[string]string{"budgetCents": "budget", "expiresAt": "expiresOn"}

// formStatus is the status a page re-rendered for err answers with.
func formStatus(err error) int {
	status := statusOf(studio.ErrorCode(domainError(err)))
	if status == http.StatusInternalServerError {
		return status
	}
	if status == http.StatusConflict || status == http.StatusBadRequest {
		return http.StatusUnprocessableEntity
	}
	return status
}

// formBody adapts submitted form fields to the JSON body reader, so that a
// form goes through the very validation of the API (readProject, applyPhase,
// applyRendering, applySettings, readNewUser). Only fields present in the
// form are set, as in a PATCH. A value that is not text (studio.CheckText)
// is refused here, naming its field: json.Marshal would quietly turn its
// invalid bytes into U+FFFD.
func formBody(form url.Values, names ...string) *body {
	b := &body{fields: map[string]json.RawMessage{}}
	for _, n := range names {
		if vs, ok := form[n]; ok && len(vs) > 0 {
			if err := studio.CheckText(n, vs[0]); err != nil && b.err == nil {
				b.err = err
			}
			raw, _ := json.Marshal(vs[0])
			b.fields[n] = raw
		}
	}
	return b
}

// setMoney reads a money input (e.g. "12,500.50") into the body as cents;
// an empty input clears the amount. A bad amount is returned, not recorded,
// so that the caller reports it after the fields above it on the form.
func setMoney(b *body, form url.Values, input, field string) error {
	v, ok := form[input]
	if !ok || len(v) == 0 {
		return nil
	}
	if strings.TrimSpace(v[0]) == "" {
		b.fields[field] = json.RawMessage("null")
		return nil
	}
	cents, err := parseMoney(v[0])
	if err != nil {
		return studio.Invalid(field, "Enter an amount like 12500 or 12500.50.")
	}
	raw, _ := json.Marshal(cents)
	b.fields[field] = raw
	return nil
}

// pathAndForm is what most admin POSTs start with: the id of the kind of
// thing the path names, then the form.
func pathAndForm(w http.ResponseWriter, r *http.Request, kind string) (string, error) {
	id, err := pathID(r, kind)
	if err != nil {
		return "", err
	}
	return id, parseAdminForm(w, r)
}

// projectForm is pathAndForm for a project that must exist: its id.
func (s *Server) projectForm(w http.ResponseWriter, r *http.Request) (string, error) {
	id, err := pathAndForm(w, r, "Project")
	if err == nil {
		_, err = s.store.Project(r.Context(), id)
	}
	return id, err
}

// parseAdminForm reads a urlencoded form body with a size limit.
func parseAdminForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxJSONBody)
	if err := r.ParseForm(); err != nil {
		if mbe := (*http.MaxBytesError)(nil); errors.As(err, &mbe) {
			return studio.Errorf(studio.ECodeTooLarge, "The form is larger than 1 MB. Shorten the text and try again.")
		}
		return studio.Errorf(studio.ECodeInvalidInput, "The form could not be read. Please try again.")
	}
	return nil
}

package web

import (
	"errors"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"atrium/internal/studio"
)

// adminForm is a failed form submission, shown again with the values the
// person entered and an error next to the offending field.
type adminForm struct {
	Name   string // which form of the page failed, e.g. "project" or "phases:ROOMID"
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

// formPage is an admin form that failed, as fail shows it again: the page
// that holds it and how its fields read for people.
type formPage struct {
	Name   string            // which form of the page, e.g. "project" or "phases:ROOMID"
	Values url.Values        // what was entered, shown again; nil for none (passwords)
	Labels map[string]string // the form's fields by their API name, as people read them
	Render func(w http.ResponseWriter, r *http.Request, status int, form *adminForm)
}

// state is the form with the messages of err (msg, when it is not a
// domain error) next to their fields, with the field's label in place of
// its API name. A message of a field the form does not show, or of none,
// is the form's general error; an unusable or oversized upload is the file
// field's fault.
func (p formPage) state(se *studio.Error, msg string) *adminForm {
	f := &adminForm{Name: p.Name, Values: p.Values, Errors: map[string]string{}}
	if se == nil {
		f.Errors[""] = msg
		return f
	}
	fields := map[string]string{se.Field: se.Message}
	for k, v := range se.Fields {
		fields[k] = v
	}
	// The first field first, so that it is the general error if it is one.
	names := []string{se.Field}
	for _, k := range slices.Sorted(maps.Keys(fields)) {
		if k != se.Field {
			names = append(names, k)
		}
	}
	for _, field := range names {
		to := field
		if alias, ok := formFieldOf[field]; ok {
			to = alias
		}
		if _, known := p.Labels[field]; !known {
			to = ""
		}
		if to == "" && (se.Code == studio.ECodeInvalidImage || se.Code == studio.ECodeTooLarge) {
			if _, ok := p.Labels["file"]; ok {
				to = "file"
			}
		}
		if _, taken := f.Errors[to]; !taken {
			f.Errors[to] = humanizeFields(fields[field], field, p.Labels)
		}
	}
	return f
}

// humanizeFields puts labels in place of API field names in a validation
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

// formFieldOf maps API field names to the form inputs that carry them where
// the two differ.
var formFieldOf = map[string]string{"budgetCents": "budget", "expiresAt": "expiresOn"}

// formStatus is the status of a form shown again: the person's mistakes
// (400, 409) are 422, anything else keeps its status.
func formStatus(status int) int {
	if status == http.StatusConflict || status == http.StatusBadRequest {
		return http.StatusUnprocessableEntity
	}
	return status
}

// formText is a submitted form field, or nil when the form has none: as in
// a PATCH, only the fields present change anything. The studio's rules
// judge the text (studio.CheckText and the rest).
func formText(form url.Values, name string) *string {
	vs, ok := form[name]
	if !ok || len(vs) == 0 {
		return nil
	}
	return &vs[0]
}

// formMoney reads a money input (e.g. "12,500.50") as cents for the field
// of that name: set says the input was there, an empty one clears the
// amount (nil).
func formMoney(form url.Values, input, field string, m money) (set bool, cents *int64, err error) {
	v := formText(form, input)
	if v == nil {
		return false, nil, nil
	}
	if strings.TrimSpace(*v) == "" {
		return true, nil, nil
	}
	n, err := m.Parse(*v)
	if err != nil {
		return false, nil, studio.Invalid(field, "Enter an amount in %s like 12500 or %s.", m.Currency(), m.Input(&example))
	}
	return true, &n, nil
}

var example = int64(1250050)

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

// linkForm is pathAndForm for a link that must exist: the link.
func (s *Server) linkForm(w http.ResponseWriter, r *http.Request) (*studio.Link, error) {
	id, err := pathAndForm(w, r, "Link")
	if err != nil {
		return nil, err
	}
	return s.store.Link(r.Context(), id)
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

// formTrueFalse reads a form field that must be "true" or "false" (a
// button's value), naming the field otherwise.
func formTrueFalse(form url.Values, name string) (bool, error) {
	switch form.Get(name) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, studio.Invalid(name, "%s must be true or false.", name)
}

package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"atrium/internal/studio"
)

// A room's five phases are edited in one form: each input is named
// "PHASEID.field" (e.g. "0193….status"), so that one Save applies them all
// and admin.js can save a single field on change through PATCH
// /api/phases/{id} (docs/DECISIONS.md, "Editing phases").

// phaseFormChange reads one phase's fields from the room's phases form. The
// completion date input stays on the form whatever the status; it only
// means something for a completed phase.
//
// The form also carries what each phase was when the page was drawn
// ("PHASEID.was": status|assignee|due|completed); a field left as it was
// is not sent on, so that a page opened before someone else's edit of
// another phase or field does not undo it.
func phaseFormChange(f url.Values, prefix string) studio.PhaseChange {
	was := strings.Split(f.Get(prefix+"was"), "|")
	field := func(i int, name string) *string {
		v := formText(f, prefix+name)
		if v != nil && len(was) == 4 && *v == was[i] {
			return nil
		}
		return v
	}
	ch := studio.PhaseChange{Status: field(0, "status"), AssigneeID: field(1, "assigneeId"), DueDate: field(2, "dueDate")}
	if f.Get(prefix+"status") == string(studio.StatusCompleted) {
		ch.CompletedAt = field(3, "completedAt")
	}
	return ch
}

// adminUpdateRoomPhases saves the phases form of a room: every phase is
// checked by the studio's rules first; one bad value anywhere saves
// nothing and shows the form again with every entry kept and each message
// next to its field. Then all five are written in one transaction.
func (s *Server) adminUpdateRoomPhases(w http.ResponseWriter, r *http.Request) {
	id, err := pathAndForm(w, r, "Room")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	room, err := s.store.Room(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := r.PostForm
	now := s.now()
	var phases []*studio.Phase
	var bad *studio.Error
	labels := map[string]string{}
	for i := range room.Phases {
		ph := &room.Phases[i]
		prefix := ph.ID + "."
		for field, label := range phaseLabels {
			labels[prefix+field] = label
		}
		if err := phaseFormChange(f, prefix).Apply(ph, now); err != nil {
			var se *studio.Error
			if !errors.As(err, &se) {
				s.fail(w, r, err)
				return
			}
			bad = joinPhaseError(bad, se, prefix)
		}
		phases = append(phases, ph)
	}
	page := formPage{Name: "phases:" + id, Values: f, Labels: labels, Render: s.projectPage(room.ProjectID)}
	if bad != nil {
		s.fail(w, r, bad, page)
		return
	}
	if err := s.store.UpdatePhases(r.Context(), room.ProjectID, phases, userFrom(r.Context()).ID); err != nil {
		s.fail(w, r, err, page)
		return
	}
	s.live.Publish(r.Context(), room.ProjectID)
	s.redirect(w, r, projectURL(room.ProjectID, "room-"+id), "Phases of “"+room.Name+"” saved.")
}

// joinPhaseError adds the field messages of one phase (se) to the form's
// error, under the form's field names (prefix + field) and read as people
// read them ("Completed on cannot be in the future…").
func joinPhaseError(into, se *studio.Error, prefix string) *studio.Error {
	if into == nil {
		into = &studio.Error{Code: studio.ECodeInvalidInput, Fields: map[string]string{}}
	}
	fields := map[string]string{se.Field: se.Message}
	for k, v := range se.Fields {
		fields[k] = v
	}
	for field, msg := range fields {
		into.Fields[prefix+field] = humanizeFields(msg, field, phaseLabels)
	}
	if into.Field == "" {
		into.Field, into.Message = prefix+se.Field, into.Fields[prefix+se.Field]
	}
	return into
}

// phasesFormView is the data of the "roomPhases" template: one room's
// phases form, with the entries and errors of its last failed submission.
type phasesFormView struct {
	Room  studio.Room
	Name  string // the form's name for adminForm, "phases:ROOMID"
	Form  *adminForm
	Staff []studio.User
	Today string
}

// PhasesForm is the phases form of a room of the page.
func (v *projectView) PhasesForm(room studio.Room) phasesFormView {
	return phasesFormView{Room: room, Name: "phases:" + room.ID, Form: v.Form, Staff: v.Staff, Today: v.Today}
}

// Val is the entered value of a field ("PHASEID.status") if this form just
// failed and had it, else the stored value. A field the submission lacked
// keeps its stored value: the single-phase form (adminUpdatePhase) is shown
// again in the room's form.
func (v phasesFormView) Val(field, stored string) string {
	if v.Form.Is(v.Name) {
		if vs, ok := v.Form.Values[field]; ok && len(vs) > 0 {
			return vs[0]
		}
	}
	return stored
}

// Err is the message of a field of this form, or "".
func (v phasesFormView) Err(field string) string { return v.Form.Err(v.Name, field) }

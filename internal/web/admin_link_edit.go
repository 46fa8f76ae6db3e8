package web

import (
	"net/http"

	"atrium/internal/studio"
)

// Editing a link from the Client access panel: label, expiry and PIN in
// one form (studio.LinkChange, as the API and the CLI), reactivation and a
// new token, each after a confirmation.

var linkEditLabels = map[string]string{"label": "Label", "expiresOn": "Last day", "expiresAt": "Last day", "pin": "PIN"}

// adminEditLink applies the link's edit form: label, expiry (a last day,
// or never), and a new PIN or its removal. An empty PIN field keeps the
// PIN as it is.
func (s *Server) adminEditLink(w http.ResponseWriter, r *http.Request) {
	l, err := s.linkForm(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	id := l.ID
	f := r.PostForm
	label := f.Get("label")
	ch := studio.LinkChange{Label: &label, By: userFrom(r.Context()).ID, At: s.now().UTC(), Secret: s.cfg.Secret}
	// Only a changed expiry is sent: an expired link can be renamed as it is.
	switch on := f.Get("expiresOn"); {
	case f.Get("never") == "1":
		if l.ExpiresAt != nil {
			never := "never"
			ch.Expires = &never
		}
	case !studio.ValidDate(on):
		err = studio.Invalid("expiresOn", "Pick the last day the link should work, or tick “Never expires”.")
	case on != l.LastDay():
		ch.Expires = &on
	}
	if f.Has("locale") {
		loc := f.Get("locale")
		ch.Locale = &loc
	}
	if pin := f.Get("pin"); pin != "" {
		ch.PIN = &pin
	} else if f.Get("removePin") == "1" && l.HasPIN() {
		ch.PIN = &pin
	}
	projectID := l.ProjectID
	if err == nil {
		l, err = s.store.UpdateLink(r.Context(), id, ch)
	} else {
		err = studio.Join(err, ch.Apply(&studio.Link{}))
	}
	if err != nil {
		s.fail(w, r, err, formPage{Name: "edit-" + id, Values: f, Labels: linkEditLabels, Render: s.projectPage(projectID)})
		return
	}
	s.live.Publish(r.Context(), l.ProjectID)
	s.redirect(w, r, projectURL(l.ProjectID, "link-"+l.ID), linkName(l)+" is saved.")
}

// linkName is "The link for LABEL", or "The link".
func linkName(l *studio.Link) string {
	if l.Label != "" {
		return "The link for " + l.Label
	}
	return "The link"
}

// adminReactivateLink switches a deactivated link on again; without
// confirmed=1 it shows a confirmation page first (as deactivation does).
func (s *Server) adminReactivateLink(w http.ResponseWriter, r *http.Request) {
	s.linkAction(w, r, "reactivate", func(l *studio.Link) (string, error) {
		on := true
		l2, err := s.store.UpdateLink(r.Context(), l.ID, studio.LinkChange{Active: &on, By: userFrom(r.Context()).ID, At: s.now().UTC()})
		if err != nil {
			return "", err
		}
		if l2.StateName(s.now()) == studio.LinkExpired {
			return linkName(l2) + " is switched on again, but it has expired: set a later last day for it to work.", nil
		}
		return linkName(l2) + " works again, at the same address.", nil
	})
}

// adminRotateLink gives a link a new token: the old address stops working
// at once. The panel then shows the new address, ready to copy.
func (s *Server) adminRotateLink(w http.ResponseWriter, r *http.Request) {
	s.linkAction(w, r, "rotate", func(l *studio.Link) (string, error) {
		if _, _, err := s.store.RotateLink(r.Context(), l.ID, s.cfg.Secret, userFrom(r.Context()).ID); err != nil {
			return "", err
		}
		return linkName(l) + " has a new address; the old one no longer works. Copy the new one and send it to your client.", nil
	})
}

type linkActionView struct {
	adminChrome
	Link    *studio.Link
	Project *studio.Project
	Action  string // reactivate or rotate
}

func (s *Server) linkAction(w http.ResponseWriter, r *http.Request, action string, do func(*studio.Link) (string, error)) {
	l, err := s.linkForm(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if r.PostForm.Get("confirmed") != "1" {
		p, err := s.store.Project(r.Context(), l.ProjectID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		v := &linkActionView{Link: l, Project: p, Action: action}
		v.Title, v.Nav = map[string]string{"reactivate": "Reactivate link", "rotate": "New link address"}[action], "projects"
		s.adminRender(w, r, http.StatusOK, "admin_link_action.html", v)
		return
	}
	msg, err := do(l)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.live.Publish(r.Context(), l.ProjectID)
	s.setFlash(w, adminFlash{Kind: "ok", Text: msg, Link: l.ID})
	http.Redirect(w, r, projectURL(l.ProjectID, "link-"+l.ID), http.StatusSeeOther)
}

package web

import (
	"net/http"
	"strings"

	"atrium/internal/studio"
)

// The admin side of notifications: the list with its unread count in the
// header, each person's email setting, links sent by email, and (admins)
// the outbox with each message's delivery state.

type notificationsView struct {
	adminChrome
	Notices    []studio.Notification
	Pref       string
	KindLabels map[string]string
}

var noticeKindLabels = map[string]string{
	studio.NoticeFirstView:   "First view",
	studio.NoticeFeedback:    "Client feedback",
	studio.NoticeLinkRequest: "Link request",
	studio.NoticeDigest:      "Digest",
	studio.NoticeLinkLocked:  "Link locked",
}

func (s *Server) adminNotifications(w http.ResponseWriter, r *http.Request) {
	s.renderNotifications(w, r, http.StatusOK, nil)
}

func (s *Server) renderNotifications(w http.ResponseWriter, r *http.Request, status int, form *adminForm) {
	u := userFrom(r.Context())
	list, _, err := s.store.Notifications(r.Context(), u, notificationsPage)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pref, err := s.store.NotifyPref(r.Context(), u.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := &notificationsView{Notices: list, Pref: pref, KindLabels: noticeKindLabels}
	if form != nil && form.Is("notify") {
		v.Pref = form.Values.Get("notify")
	}
	v.Title, v.Nav, v.Form = "Notifications", "notifications", form
	s.adminRender(w, r, status, "admin_notifications.html", v)
}

// adminReadNotifications marks one notice (ids=ID) or all (all=1) read.
func (s *Server) adminReadNotifications(w http.ResponseWriter, r *http.Request) {
	if err := parseAdminForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	ids := r.PostForm["ids"]
	for _, id := range ids {
		if !studio.ValidNoticeID(id) {
			s.fail(w, r, studio.Errorf(studio.ECodeNotFound, "Notification not found."))
			return
		}
	}
	if len(ids) > maxReadIDs {
		ids = ids[:maxReadIDs]
	}
	if err := s.store.MarkNoticesRead(r.Context(), userFrom(r.Context()), ids, r.PostForm.Get("all") == "1"); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/admin/notifications", "")
}

// adminNotifySettings saves the signed-in person's email setting.
func (s *Server) adminNotifySettings(w http.ResponseWriter, r *http.Request) {
	if err := parseAdminForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	pref, err := studio.CheckNotifyPref("notify", formText(r.PostForm, "notify"))
	if err == nil {
		err = s.store.SetNotifyPref(r.Context(), userFrom(r.Context()).ID, pref)
	}
	if err != nil {
		s.fail(w, r, err, formPage{Name: "notify", Values: r.PostForm, Labels: map[string]string{"notify": "Email setting"}, Render: s.renderNotifications})
		return
	}
	s.redirect(w, r, "/admin/notifications", "Your email setting is saved.")
}

type outboxView struct {
	adminChrome
	Mails []studio.Mail
}

// adminOutbox lists the newest email with its delivery state (admins).
func (s *Server) adminOutbox(w http.ResponseWriter, r *http.Request) {
	list, err := s.store.Mails(r.Context(), "", 200)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := &outboxView{Mails: list}
	v.Title, v.Nav = "Email outbox", "outbox"
	s.adminRender(w, r, http.StatusOK, "admin_outbox.html", v)
}

// adminSendLink sends a link by email from the Client access panel: to,
// prefilled with the client's address, and an optional note.
func (s *Server) adminSendLink(w http.ResponseWriter, r *http.Request) {
	l, err := s.linkForm(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	id := l.ID
	inv, err := studio.NewInvitation(formText(r.PostForm, "to"), formText(r.PostForm, "note"))
	if err == nil {
		_, err = s.sendLink(r.Context(), id, inv)
	}
	if err != nil {
		s.fail(w, r, err, formPage{Name: "send-" + id, Values: r.PostForm, Labels: sendLabels, Render: s.projectPage(l.ProjectID)})
		return
	}
	s.setFlash(w, adminFlash{Kind: "ok", Text: "The link is on its way to " + strings.TrimSpace(inv.To) + ".", Link: l.ID})
	http.Redirect(w, r, projectURL(l.ProjectID, "link-"+l.ID), http.StatusSeeOther)
}

var sendLabels = map[string]string{"to": "Email address", "note": "Personal note"}

package web

import (
	"net/http"
	"net/url"
	"slices"

	"atrium/internal/httpx"
	"atrium/internal/studio"
)

var renderingLabels = map[string]string{
	"file":          "File",
	"title":         "Title",
	"description":   "Description",
	"roomId":        "Room",
	"internalNotes": "Internal notes",
	"status":        "Status",
}

// adminUploadRendering is the upload form's plain POST, for browsers without
// JavaScript (admin.js sends the same form to the JSON API to show progress).
// It streams the parts through readRenderingUpload, like the API.
func (s *Server) adminUploadRendering(w http.ResponseWriter, r *http.Request) {
	projectID, err := pathID(r, "Project")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if _, err := s.store.Project(r.Context(), projectID); err != nil {
		s.fail(w, r, err)
		return
	}
	rd, err := s.createUploadedRendering(w, r, projectID)
	if err != nil {
		if rd.OriginalName == "" && studio.ErrorCode(httpx.DomainError(err)) == studio.ECodeInvalidImage {
			err = studio.Invalid("file", "Choose an image file to upload.")
		}
		// The body is consumed; show the text fields that were read again.
		values := url.Values{"title": {rd.Title}, "description": {rd.Description}, "roomId": {rd.RoomID}}
		s.fail(w, r, err, formPage{Name: "upload", Values: values, Labels: renderingLabels, Render: s.projectPage(projectID)})
		return
	}
	s.redirect(w, r, projectURL(projectID, "rendering-"+rd.ID), "“"+rd.Title+"” uploaded as a draft.")
}

// adminUpdateRendering saves a rendering's text, room and internal notes.
func (s *Server) adminUpdateRendering(w http.ResponseWriter, r *http.Request) {
	s.changeRendering(w, r, "rendering:", []string{"title", "description", "roomId", "internalNotes"})
}

// adminRenderingStatus approves, rejects, or returns a rendering to draft.
func (s *Server) adminRenderingStatus(w http.ResponseWriter, r *http.Request) {
	s.changeRendering(w, r, "status:", []string{"status"})
}

func (s *Server) changeRendering(w http.ResponseWriter, r *http.Request, form string, fields []string) {
	id, err := pathAndForm(w, r, "Rendering")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	field := func(name string) *string {
		if slices.Contains(fields, name) {
			return formText(r.PostForm, name)
		}
		return nil
	}
	ch := studio.RenderingChange{Status: field("status"), Title: field("title"), Description: field("description"),
		RoomID: field("roomId"), InternalNotes: field("internalNotes")}
	by := userFrom(r.Context()).ID
	var before studio.RenderingStatus
	rd, err := s.store.ChangeRendering(r.Context(), id, by, func(rd *studio.Rendering) error {
		before = rd.Status
		return ch.Apply(rd, by, s.now().UTC())
	})
	if err != nil {
		if rd == nil {
			s.fail(w, r, err)
			return
		}
		s.fail(w, r, err, formPage{Name: form + id, Values: r.PostForm, Labels: renderingLabels, Render: s.projectPage(rd.ProjectID)})
		return
	}
	s.live.Publish(r.Context(), rd.ProjectID)
	msg := "“" + rd.Title + "” saved."
	if rd.Status != before {
		switch rd.Status {
		case studio.RenderingApproved:
			msg = "“" + rd.Title + "” approved: clients with a link can see and download it now."
		case studio.RenderingRejected:
			msg = "“" + rd.Title + "” rejected."
		case studio.RenderingDraft:
			msg = "“" + rd.Title + "” is back to draft."
		default:
			msg = "“" + rd.Title + "” is in review."
		}
		if before == studio.RenderingApproved {
			msg += " Clients no longer see it."
		}
	}
	s.redirect(w, r, projectURL(rd.ProjectID, "rendering-"+rd.ID), msg)
}

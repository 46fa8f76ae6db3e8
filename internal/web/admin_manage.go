package web

import (
	"net/http"
	"strings"

	"atrium/internal/studio"
)

// The project page's hiding, deleting and ordering forms
// (templates/admin/admin_part_manage.html). They work without JavaScript:
// each posts, then redirects back with a message.

// roomManage is what the room's controls show.
type roomManage struct{ Room studio.Room }

// RoomManage is the controls of one room of the page.
func (v *projectView) RoomManage(r studio.Room) roomManage { return roomManage{Room: r} }

// renderingManage is what a rendering's controls show.
type renderingManage struct {
	R           studio.Rendering
	First, Last bool // in the client's order: no way up, or down
}

// RenderingManage is the controls of one rendering of the page.
func (v *projectView) RenderingManage(r studio.Rendering) renderingManage {
	list := v.P.Renderings
	return renderingManage{R: r, First: len(list) > 0 && list[0].ID == r.ID, Last: len(list) > 0 && list[len(list)-1].ID == r.ID}
}

// adminRoomVisibility hides a room from clients or shows it again.
func (s *Server) adminRoomVisibility(w http.ResponseWriter, r *http.Request) {
	id, err := pathAndForm(w, r, "Room")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	hidden, err := formTrueFalse(r.PostForm, "hidden")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	room, err := s.store.UpdateRoom(r.Context(), id, studio.RoomInput{Hidden: &hidden})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.live.Publish(r.Context(), room.ProjectID)
	msg := "“" + room.Name + "” is shown to the client again."
	if hidden {
		msg = "“" + room.Name + "” is hidden from the client."
	}
	s.redirect(w, r, projectURL(room.ProjectID, "room-"+room.ID), msg)
}

// adminDeleteRoom deletes a room (its phases go, its renderings stay).
func (s *Server) adminDeleteRoom(w http.ResponseWriter, r *http.Request) {
	if _, err := pathAndForm(w, r, "Room"); err != nil {
		s.fail(w, r, err)
		return
	}
	projectID, err := s.deleteRoom(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, projectURL(projectID, "rooms"), "Room deleted. Its renderings stay, with no room.")
}

// adminDeleteRendering deletes a rendering and its files.
func (s *Server) adminDeleteRendering(w http.ResponseWriter, r *http.Request) {
	if _, err := pathAndForm(w, r, "Rendering"); err != nil {
		s.fail(w, r, err)
		return
	}
	rd, err := s.deleteRendering(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, projectURL(rd.ProjectID, "renderings"), "“"+rd.Title+"” deleted.")
}

// adminMoveRendering moves a rendering one place up or down in the order
// clients see.
func (s *Server) adminMoveRendering(w http.ResponseWriter, r *http.Request) {
	id, err := pathAndForm(w, r, "Rendering")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	delta := 0
	switch r.PostForm.Get("dir") {
	case "up":
		delta = -1
	case "down":
		delta = 1
	default:
		s.fail(w, r, studio.Invalid("dir", "dir must be up or down."))
		return
	}
	rd, err := s.store.MoveRendering(r.Context(), id, delta)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.live.Publish(r.Context(), rd.ProjectID)
	s.redirect(w, r, projectURL(rd.ProjectID, "rendering-"+rd.ID), "“"+rd.Title+"” moved "+r.PostForm.Get("dir")+".")
}

// adminDeleteProject deletes a project once its name has been typed
// (admins only). A wrong name deletes nothing and shows the error next to
// the field.
func (s *Server) adminDeleteProject(w http.ResponseWriter, r *http.Request) {
	id, err := pathAndForm(w, r, "Project")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p, err := s.store.Project(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if strings.TrimSpace(r.PostForm.Get("name")) != p.Name {
		err = studio.Invalid("name", "Type the project's name exactly as it is written to delete it.")
	} else {
		err = s.deleteProject(r, id)
	}
	if err != nil {
		s.fail(w, r, err, formPage{Name: "deleteProject", Values: r.PostForm, Labels: map[string]string{"name": "Project name"},
			Render: s.projectPage(id)})
		return
	}
	s.redirect(w, r, "/admin", "Project “"+p.Name+"” deleted, with its renderings and client links.")
}

package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"atrium/internal/studio"
)

// CreateRoom adds a room at the end of a project, with its five phases, in
// one transaction.
func (s *Store) CreateRoom(ctx context.Context, projectID, name string) (*studio.Room, error) {
	return s.AddRoom(ctx, projectID, name, false)
}

// AddRoom is CreateRoom for a room that may start hidden from clients. A
// hidden room leaves the project's updated_at alone: clients see nothing.
func (s *Store) AddRoom(ctx context.Context, projectID, name string, hidden bool) (*studio.Room, error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("store: create room: %w", err)
	}
	defer tx.Rollback()
	var exists, pos int
	if err := tx.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM projects WHERE id = ?`), projectID).Scan(&exists); err != nil {
		return nil, fmt.Errorf("store: create room: %w", err)
	}
	if exists == 0 {
		return nil, notFound("Project")
	}
	if err := tx.QueryRowContext(ctx, s.q(`SELECT COALESCE(MAX(position), 0) + 1 FROM rooms WHERE project_id = ?`), projectID).Scan(&pos); err != nil {
		return nil, fmt.Errorf("store: create room: %w", err)
	}
	room := &studio.Room{ID: NewID(), ProjectID: projectID, Name: name, Position: pos, Hidden: hidden}
	if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO rooms (id, project_id, name, position, hidden) VALUES (?, ?, ?, ?, ?)`),
		room.ID, projectID, name, pos, hidden); err != nil {
		return nil, fmt.Errorf("store: create room: %w", err)
	}
	for i, kind := range studio.PhaseKinds {
		ph := studio.Phase{ID: NewID(), RoomID: room.ID, Kind: kind, Status: studio.StatusNotStarted}
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO phases (id, room_id, kind, position, status) VALUES (?, ?, ?, ?, ?)`),
			ph.ID, ph.RoomID, string(kind), i, string(ph.Status)); err != nil {
			return nil, fmt.Errorf("store: create phase: %w", err)
		}
		room.Phases = append(room.Phases, ph)
	}
	if !hidden {
		if err := s.touchProject(ctx, tx, projectID); err != nil {
			return nil, fmt.Errorf("store: create room: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("store: create room: %w", err)
	}
	return room, nil
}

// RenameRoom changes a room's name.
func (s *Store) RenameRoom(ctx context.Context, id, name string) (*studio.Room, error) {
	return s.UpdateRoom(ctx, id, studio.RoomInput{Name: &name})
}

// UpdateRoom applies in (name, hidden) to a room. A change clients can
// see (hiding, showing, renaming a shown room) bumps the project's
// updated_at, so that open client pages follow.
func (s *Store) UpdateRoom(ctx context.Context, id string, in studio.RoomInput) (*studio.Room, error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("store: update room: %w", err)
	}
	defer tx.Rollback()
	// Locked as read (PostgreSQL): an edit at the same moment of the other
	// field (a rename while hiding) waits, then starts from this one's
	// result instead of writing back what it read before.
	var old studio.Room
	err = tx.QueryRowContext(ctx, s.q(`SELECT id, project_id, name, position, hidden FROM rooms WHERE id = ?`+s.forUpdate()), id).
		Scan(&old.ID, &old.ProjectID, &old.Name, &old.Position, &old.Hidden)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Room")
	}
	if err != nil {
		return nil, fmt.Errorf("store: update room: %w", err)
	}
	room := old
	if err := in.Apply(&room, false); err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, s.q(`UPDATE rooms SET name = ?, hidden = ? WHERE id = ?`), room.Name, room.Hidden, id); err != nil {
		return nil, fmt.Errorf("store: update room: %w", err)
	}
	if old.Hidden != room.Hidden || (!room.Hidden && old.Name != room.Name) {
		if err := s.touchProject(ctx, tx, room.ProjectID); err != nil {
			return nil, fmt.Errorf("store: update room: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("store: update room: %w", err)
	}
	return s.room(ctx, room.ProjectID, id)
}

// room reads one room of a project, with its phases and progress.
func (s *Store) room(ctx context.Context, projectID, id string) (*studio.Room, error) {
	rooms, err := s.rooms(ctx, projectID)
	if err != nil {
		return nil, err
	}
	for i := range rooms {
		if rooms[i].ID == id {
			return &rooms[i], nil
		}
	}
	return nil, notFound("Room")
}

// DeleteRoom removes a room and its phases in one transaction; its
// renderings stay, with no room. Those of a hidden room that were approved
// go back to in review: with no room they would otherwise reach clients.
// It returns the room's project. The deletion, by staff member by, is
// recorded in the project's trail.
func (s *Store) DeleteRoom(ctx context.Context, id, by string) (projectID string, err error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return "", fmt.Errorf("store: delete room: %w", err)
	}
	defer tx.Rollback()
	var hidden bool
	var name string
	// Locked as read (PostgreSQL): a hide at the same moment either ends
	// before, and is seen here, or waits and finds no room.
	err = tx.QueryRowContext(ctx, s.q(`SELECT project_id, hidden, name FROM rooms WHERE id = ?`+s.forUpdate()), id).Scan(&projectID, &hidden, &name)
	if errors.Is(err, sql.ErrNoRows) {
		return "", notFound("Room")
	}
	if err != nil {
		return "", fmt.Errorf("store: delete room: %w", err)
	}
	if hidden {
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE renderings SET status = 'in_review', approved_at = NULL, approved_by = NULL,
			updated_at = ? WHERE room_id = ? AND status = 'approved'`), fmtTime(s.now()), id); err != nil {
			return "", fmt.Errorf("store: delete room: %w", err)
		}
	}
	// Phases go with the room (ON DELETE CASCADE), renderings lose it
	// (ON DELETE SET NULL).
	if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM rooms WHERE id = ?`), id); err != nil {
		return "", fmt.Errorf("store: delete room: %w", err)
	}
	if !hidden {
		if err := s.touchProject(ctx, tx, projectID); err != nil {
			return "", fmt.Errorf("store: delete room: %w", err)
		}
	}
	if err := s.recordActivityTx(ctx, tx, projectID, by, studio.ActionRoomDeleted, name); err != nil {
		return "", fmt.Errorf("store: delete room: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return "", fmt.Errorf("store: delete room: %w", err)
	}
	return projectID, nil
}

// rooms loads a project's rooms in order, each with its phases in order and
// its progress. Two queries, whatever the number of rooms.
func (s *Store) rooms(ctx context.Context, projectID string) ([]studio.Room, error) {
	rows, err := s.r.QueryContext(ctx, s.q(`SELECT id, project_id, name, position, hidden FROM rooms WHERE project_id = ? ORDER BY position, id`), projectID)
	if err != nil {
		return nil, fmt.Errorf("store: rooms: %w", err)
	}
	defer rows.Close()
	rooms := []studio.Room{}
	index := map[string]int{}
	for rows.Next() {
		var r studio.Room
		if err := rows.Scan(&r.ID, &r.ProjectID, &r.Name, &r.Position, &r.Hidden); err != nil {
			return nil, fmt.Errorf("store: rooms: %w", err)
		}
		r.Phases = []studio.Phase{}
		index[r.ID] = len(rooms)
		rooms = append(rooms, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: rooms: %w", err)
	}
	rows.Close()

	prows, err := s.r.QueryContext(ctx, s.q(`SELECT `+phaseCols+` FROM phases ph JOIN rooms r ON r.id = ph.room_id
		WHERE r.project_id = ? ORDER BY ph.room_id, ph.position`), projectID)
	if err != nil {
		return nil, fmt.Errorf("store: phases: %w", err)
	}
	defer prows.Close()
	for prows.Next() {
		ph, err := scanPhase(prows)
		if err != nil {
			return nil, fmt.Errorf("store: phases: %w", err)
		}
		if i, ok := index[ph.RoomID]; ok {
			rooms[i].Phases = append(rooms[i].Phases, *ph)
		}
	}
	for i := range rooms {
		rooms[i].Progress = studio.Progress(rooms[i].Phases)
	}
	return rooms, prows.Err()
}

const phaseCols = `ph.id, ph.room_id, ph.kind, ph.status, ph.completed_at, ph.assignee_id, ph.due_date, ph.cost_cents, ph.internal_notes`

func scanPhase(row interface{ Scan(...any) error }) (*studio.Phase, error) {
	var ph studio.Phase
	var assignee sql.NullString
	var cost sql.NullInt64
	if err := row.Scan(&ph.ID, &ph.RoomID, &ph.Kind, &ph.Status, &ph.CompletedAt, &assignee, &ph.DueDate, &cost, &ph.InternalNotes); err != nil {
		return nil, err
	}
	ph.AssigneeID = assignee.String
	ph.CostCents = intPtr(cost)
	return &ph, nil
}

// Phase finds a phase and the id of the project it belongs to.
func (s *Store) Phase(ctx context.Context, id string) (*studio.Phase, string, error) {
	var projectID string
	row := s.r.QueryRowContext(ctx, s.q(`SELECT `+phaseCols+`, r.project_id FROM phases ph JOIN rooms r ON r.id = ph.room_id WHERE ph.id = ?`), id)
	var ph studio.Phase
	var assignee sql.NullString
	var cost sql.NullInt64
	err := row.Scan(&ph.ID, &ph.RoomID, &ph.Kind, &ph.Status, &ph.CompletedAt, &assignee, &ph.DueDate, &cost, &ph.InternalNotes, &projectID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", notFound("Phase")
	}
	if err != nil {
		return nil, "", fmt.Errorf("store: phase: %w", err)
	}
	ph.AssigneeID = assignee.String
	ph.CostCents = intPtr(cost)
	return &ph, projectID, nil
}

// UpdatePhase saves a phase's editable fields (UpdatePhases of one), by a
// staff member (by, "" from the command line).
func (s *Store) UpdatePhase(ctx context.Context, ph *studio.Phase, projectID, by string) error {
	return s.UpdatePhases(ctx, projectID, []*studio.Phase{ph}, by)
}

// ChangePhase applies change to phase id as it is now and saves it, by a
// staff member, like ChangeRendering: an edit landing between the read and
// the write is re-read and kept. It returns the phase and its project.
func (s *Store) ChangePhase(ctx context.Context, id, by string, change func(*studio.Phase) error) (*studio.Phase, string, error) {
	var ph *studio.Phase
	var projectID string
	err := editAgain("phase", errPhaseChanged, func() (err error) {
		if ph, projectID, err = s.Phase(ctx, id); err != nil {
			return err
		}
		was := *ph
		if err := change(ph); err != nil {
			return err
		}
		return s.savePhases(ctx, projectID, []*studio.Phase{ph}, by, &was)
	})
	return ph, projectID, err
}

// errPhaseChanged: the row changed between the read and the write.
var errPhaseChanged = errors.New("store: the phase changed meanwhile")

// UpdatePhases saves the editable fields of phases of one project in one
// transaction: all of them or, on any error, none. A change of status or
// completion date (what clients see) bumps the project's updated_at, unless
// the room is hidden from clients. What changed is recorded in the
// project's trail, in the same transaction. An unknown assignee is invalid
// input.
func (s *Store) UpdatePhases(ctx context.Context, projectID string, phases []*studio.Phase, by string) error {
	return s.savePhases(ctx, projectID, phases, by, nil)
}

// savePhases writes phases; with was (one phase), only if its row is still
// as was (else errPhaseChanged, nothing written).
func (s *Store) savePhases(ctx context.Context, projectID string, phases []*studio.Phase, by string, was *studio.Phase) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: update phase: %w", err)
	}
	defer tx.Rollback()
	touched := false
	for _, ph := range phases {
		changed, err := s.updatePhase(ctx, tx, ph, projectID, by, was)
		if err != nil {
			return err
		}
		touched = touched || changed
	}
	if touched {
		if err := s.touchProject(ctx, tx, projectID); err != nil {
			return fmt.Errorf("store: update phase: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: update phase: %w", err)
	}
	return nil
}

// updatePhase writes one phase of the project in tx, records the change in
// the trail and reports whether what clients see of it changed.
func (s *Store) updatePhase(ctx context.Context, tx *sql.Tx, ph *studio.Phase, projectID, by string, was *studio.Phase) (bool, error) {
	old, err := scanPhase(tx.QueryRowContext(ctx, s.q(`SELECT `+phaseCols+` FROM phases ph JOIN rooms r ON r.id = ph.room_id
		WHERE ph.id = ? AND r.project_id = ?`), ph.ID, projectID))
	if errors.Is(err, sql.ErrNoRows) {
		return false, notFound("Phase")
	}
	if err != nil {
		return false, fmt.Errorf("store: update phase: %w", err)
	}
	var hidden bool
	if err := tx.QueryRowContext(ctx, s.q(`SELECT hidden FROM rooms WHERE id = ?`), old.RoomID).Scan(&hidden); err != nil {
		return false, fmt.Errorf("store: update phase: %w", err)
	}
	query := `UPDATE phases SET status = ?, completed_at = ?, assignee_id = ?, due_date = ?,
		cost_cents = ?, internal_notes = ? WHERE id = ?`
	args := []any{string(ph.Status), ph.CompletedAt, nullStr(ph.AssigneeID), ph.DueDate, nullInt(ph.CostCents), ph.InternalNotes, ph.ID}
	if was != nil {
		// Still as read (on PostgreSQL an UPDATE that waited for another
		// one sees that one's row here).
		query += ` AND status = ? AND completed_at = ? AND COALESCE(assignee_id, '') = ? AND due_date = ?
			AND COALESCE(cost_cents, -1) = ? AND internal_notes = ?`
		cost := int64(-1)
		if was.CostCents != nil {
			cost = *was.CostCents
		}
		args = append(args, string(was.Status), was.CompletedAt, was.AssigneeID, was.DueDate, cost, was.InternalNotes)
	}
	res, err := tx.ExecContext(ctx, s.q(query), args...)
	if err != nil {
		if isForeignKeyViolation(err) {
			return false, studio.Invalid("assigneeId", "No such staff member.")
		}
		return false, fmt.Errorf("store: update phase: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if was != nil {
			return false, errPhaseChanged
		}
		return false, notFound("Phase")
	}
	if err := s.recordPhaseChange(ctx, tx, projectID, by, old, ph); err != nil {
		return false, fmt.Errorf("store: update phase: %w", err)
	}
	return !hidden && (old.Status != ph.Status || old.CompletedAt != ph.CompletedAt), nil
}

// Room finds a room with its phases in order and its progress.
func (s *Store) Room(ctx context.Context, id string) (*studio.Room, error) {
	var projectID string
	err := s.r.QueryRowContext(ctx, s.q(`SELECT project_id FROM rooms WHERE id = ?`), id).Scan(&projectID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Room")
	}
	if err != nil {
		return nil, fmt.Errorf("store: room: %w", err)
	}
	rooms, err := s.rooms(ctx, projectID)
	if err != nil {
		return nil, err
	}
	for i := range rooms {
		if rooms[i].ID == id {
			return &rooms[i], nil
		}
	}
	return nil, notFound("Room")
}

// recordPhaseChange records what changed between old and ph, if anything,
// naming the room and the assignees as they are now.
func (s *Store) recordPhaseChange(ctx context.Context, tx *sql.Tx, projectID, by string, old, ph *studio.Phase) error {
	if studio.PhaseChangeSubject("", *old, *ph, nil) == "" {
		return nil
	}
	var room string
	if err := tx.QueryRowContext(ctx, s.q(`SELECT name FROM rooms WHERE id = ?`), old.RoomID).Scan(&room); err != nil {
		return err
	}
	names := map[string]string{}
	for _, id := range []string{old.AssigneeID, ph.AssigneeID} {
		if id == "" || old.AssigneeID == ph.AssigneeID {
			continue
		}
		var name string
		if err := tx.QueryRowContext(ctx, s.q(`SELECT name FROM users WHERE id = ?`), id).Scan(&name); err == nil {
			names[id] = name
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
	}
	return s.recordActivityTx(ctx, tx, projectID, by, studio.ActionPhaseChanged, studio.PhaseChangeSubject(room, *old, *ph, names))
}

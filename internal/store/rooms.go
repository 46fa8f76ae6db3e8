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
	room := &studio.Room{ID: NewID(), ProjectID: projectID, Name: name, Position: pos}
	if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO rooms (id, project_id, name, position) VALUES (?, ?, ?, ?)`),
		room.ID, projectID, name, pos); err != nil {
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
	if err := s.touchProject(ctx, tx, projectID); err != nil {
		return nil, fmt.Errorf("store: create room: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("store: create room: %w", err)
	}
	return room, nil
}

// RenameRoom changes a room's name.
func (s *Store) RenameRoom(ctx context.Context, id, name string) (*studio.Room, error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("store: rename room: %w", err)
	}
	defer tx.Rollback()
	var projectID string
	err = tx.QueryRowContext(ctx, s.q(`SELECT project_id FROM rooms WHERE id = ?`), id).Scan(&projectID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Room")
	}
	if err != nil {
		return nil, fmt.Errorf("store: rename room: %w", err)
	}
	if _, err := tx.ExecContext(ctx, s.q(`UPDATE rooms SET name = ? WHERE id = ?`), name, id); err != nil {
		return nil, fmt.Errorf("store: rename room: %w", err)
	}
	if err := s.touchProject(ctx, tx, projectID); err != nil {
		return nil, fmt.Errorf("store: rename room: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("store: rename room: %w", err)
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

// rooms loads a project's rooms in order, each with its phases in order and
// its progress. Two queries, whatever the number of rooms.
func (s *Store) rooms(ctx context.Context, projectID string) ([]studio.Room, error) {
	rows, err := s.r.QueryContext(ctx, s.q(`SELECT id, project_id, name, position FROM rooms WHERE project_id = ? ORDER BY position, id`), projectID)
	if err != nil {
		return nil, fmt.Errorf("store: rooms: %w", err)
	}
	defer rows.Close()
	rooms := []studio.Room{}
	index := map[string]int{}
	for rows.Next() {
		var r studio.Room
		if err := rows.Scan(&r.ID, &r.ProjectID, &r.Name, &r.Position); err != nil {
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

// UpdatePhase saves a phase's editable fields, by a staff member (by, ""
// from the command line); a change of status or completion date (what
// clients see) bumps the project's updated_at. What changed is recorded in
// the project's trail, in the same transaction. An unknown assignee is
// invalid input.
func (s *Store) UpdatePhase(ctx context.Context, ph *studio.Phase, projectID, by string) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: update phase: %w", err)
	}
	defer tx.Rollback()
	old, err := scanPhase(tx.QueryRowContext(ctx, s.q(`SELECT `+phaseCols+` FROM phases ph WHERE ph.id = ?`), ph.ID))
	if errors.Is(err, sql.ErrNoRows) {
		return notFound("Phase")
	}
	if err != nil {
		return fmt.Errorf("store: update phase: %w", err)
	}
	res, err := tx.ExecContext(ctx, s.q(`UPDATE phases SET status = ?, completed_at = ?, assignee_id = ?, due_date = ?,
		cost_cents = ?, internal_notes = ? WHERE id = ?`),
		string(ph.Status), ph.CompletedAt, nullStr(ph.AssigneeID), ph.DueDate, nullInt(ph.CostCents), ph.InternalNotes, ph.ID)
	if err != nil {
		if isForeignKeyViolation(err) {
			return studio.Invalid("assigneeId", "No such staff member.")
		}
		return fmt.Errorf("store: update phase: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("Phase")
	}
	if old.Status != ph.Status || old.CompletedAt != ph.CompletedAt {
		if err := s.touchProject(ctx, tx, projectID); err != nil {
			return fmt.Errorf("store: update phase: %w", err)
		}
	}
	if err := s.recordPhaseChange(ctx, tx, projectID, by, old, ph); err != nil {
		return fmt.Errorf("store: update phase: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: update phase: %w", err)
	}
	return nil
}

// recordPhaseChange records what changed between old and ph, if anything,
// naming the room and the assignees as they are now.
func (s *Store) recordPhaseChange(ctx context.Context, tx *sql.Tx, projectID, by string, old, ph *studio.Phase) error {
	if studio.PhaseChangeSubject("", *old, *ph, nil) == "" {
		return nil
	}
	var room string
	if err := tx.QueryRowContext(ctx, s.q(`SELECT name FROM rooms WHERE id = ?`), ph.RoomID).Scan(&room); err != nil {
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

package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"atrium/internal/studio"
)

const renderingCols = `id, project_id, room_id, title, description, status, approved_at, approved_by, uploaded_by,
	original_name, file_key, content_type, bytes, width, height, sha256, thumb_key, preview_key, internal_notes,
	created_at, updated_at, position`

// shownToClients is the condition on a rendering r that its room, if any,
// is not hidden. Every lookup of the client side adds it.
const shownToClients = `NOT EXISTS (SELECT 1 FROM rooms hr WHERE hr.id = r.room_id AND hr.hidden)`

func scanRendering(row interface{ Scan(...any) error }) (*studio.Rendering, error) {
	var r studio.Rendering
	var room, approvedAt, approvedBy, uploadedBy sql.NullString
	var created, updated string
	if err := row.Scan(&r.ID, &r.ProjectID, &room, &r.Title, &r.Description, &r.Status, &approvedAt, &approvedBy, &uploadedBy,
		&r.OriginalName, &r.FileKey, &r.ContentType, &r.Bytes, &r.Width, &r.Height, &r.SHA256, &r.ThumbKey, &r.PreviewKey,
		&r.InternalNotes, &created, &updated, &r.Position); err != nil {
		return nil, err
	}
	r.RoomID, r.ApprovedBy, r.UploadedBy = room.String, approvedBy.String, uploadedBy.String
	r.ApprovedAt = parseTimePtr(approvedAt)
	r.CreatedAt, r.UpdatedAt = parseTime(created), parseTime(updated)
	return &r, nil
}

// CreateRendering records an uploaded rendering whose files are already
// stored. r.ID must be set (the files are keyed by it). A room of another
// project is invalid input.
func (s *Store) CreateRendering(ctx context.Context, r *studio.Rendering) error {
	r.CreatedAt = s.now()
	r.UpdatedAt = r.CreatedAt
	r.ApprovedAt = microPtr(r.ApprovedAt)
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: create rendering: %w", err)
	}
	defer tx.Rollback()
	if err := s.checkRoom(ctx, tx, r.ProjectID, r.RoomID); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, s.q(`INSERT INTO renderings (`+renderingCols+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		r.ID, r.ProjectID, nullStr(r.RoomID), r.Title, r.Description, string(r.Status), fmtTimePtr(r.ApprovedAt),
		nullStr(r.ApprovedBy), nullStr(r.UploadedBy), r.OriginalName, r.FileKey, r.ContentType, r.Bytes, r.Width, r.Height,
		r.SHA256, r.ThumbKey, r.PreviewKey, r.InternalNotes, fmtTime(r.CreatedAt), fmtTime(r.UpdatedAt), r.Position)
	if err != nil {
		if isForeignKeyViolation(err) {
			return notFound("Project")
		}
		return fmt.Errorf("store: create rendering: %w", err)
	}
	if r.Status == studio.RenderingApproved && !s.roomHidden(ctx, tx, r.RoomID) {
		if err := s.touchProject(ctx, tx, r.ProjectID); err != nil {
			return fmt.Errorf("store: create rendering: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: create rendering: %w", err)
	}
	return nil
}

func (s *Store) checkRoom(ctx context.Context, tx *sql.Tx, projectID, roomID string) error {
	if roomID == "" {
		return nil
	}
	// The room is locked against deletion until tx ends (PostgreSQL): a
	// deletion of a hidden room at the same moment then either comes first
	// (no such room) or sees this rendering's new status, which it must.
	lock := ""
	if s.dialect == postgres {
		lock = " FOR SHARE"
	}
	var id string
	err := tx.QueryRowContext(ctx, s.q(`SELECT id FROM rooms WHERE id = ? AND project_id = ?`+lock), roomID, projectID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return studio.Invalid("roomId", "No such room in this project.")
	}
	if err != nil {
		return fmt.Errorf("store: check room: %w", err)
	}
	return nil
}

// Rendering finds one rendering.
func (s *Store) Rendering(ctx context.Context, id string) (*studio.Rendering, error) {
	r, err := scanRendering(s.r.QueryRowContext(ctx, s.q(`SELECT `+renderingCols+` FROM renderings WHERE id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Rendering")
	}
	if err != nil {
		return nil, fmt.Errorf("store: rendering: %w", err)
	}
	return r, nil
}

// roomHidden reports whether roomID names a hidden room (a failed read
// counts as hidden: the project's updated_at is then left alone).
func (s *Store) roomHidden(ctx context.Context, tx *sql.Tx, roomID string) bool {
	if roomID == "" {
		return false
	}
	var hidden bool
	if err := tx.QueryRowContext(ctx, s.q(`SELECT hidden FROM rooms WHERE id = ?`), roomID).Scan(&hidden); err != nil {
		return true
	}
	return hidden
}

// ApprovedRendering finds a rendering only if it is approved, belongs to
// the project and is not in a hidden room: the one lookup the client side
// may make.
func (s *Store) ApprovedRendering(ctx context.Context, projectID, id string) (*studio.Rendering, error) {
	r, err := scanRendering(s.r.QueryRowContext(ctx, s.q(`SELECT `+renderingCols+` FROM renderings r
		WHERE id = ? AND project_id = ? AND status = 'approved' AND `+shownToClients), id, projectID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Rendering")
	}
	if err != nil {
		return nil, fmt.Errorf("store: rendering: %w", err)
	}
	return r, nil
}

// renderings lists a project's renderings in the order clients see them
// (studio.SortRenderings); forClient keeps only the approved ones outside
// hidden rooms.
func (s *Store) renderings(ctx context.Context, projectID string, forClient bool) ([]studio.Rendering, error) {
	query := `SELECT ` + renderingCols + ` FROM renderings r WHERE project_id = ?`
	if forClient {
		query += ` AND status = 'approved' AND ` + shownToClients
	}
	list, err := queryList(ctx, s, "renderings", query+` ORDER BY created_at, id`, scanRendering, projectID)
	studio.SortRenderings(list)
	return list, err
}

// UpdateRendering saves a rendering's editable fields (status, approval,
// text, room, notes), by a staff member (by, "" from the command line).
// Client-visible changes bump the project's updated_at; a change of status
// is recorded in the project's trail, in the same transaction.
func (s *Store) UpdateRendering(ctx context.Context, r *studio.Rendering, by string) error {
	return s.updateRendering(ctx, r, by, nil)
}

// editAttempts bounds how often an edit is applied again because another
// one landed between its read and its write: each round one of them wins,
// so only a crowd of editors on one row could run out (409 conflict).
const editAttempts = 40

// errRenderingChanged: the row changed between the read and the write.
var errRenderingChanged = errors.New("store: the rendering changed meanwhile")

// ChangeRendering applies change to rendering id as it is now and saves
// it, by a staff member (by): an edit read from the row and written back
// whole. If another edit lands between the read and the write, the change
// is applied again to the row as that edit left it, so neither is lost
// (two tabs, or drag and drop's position writes beside a review). A change
// that fails (bad input) saves nothing.
func (s *Store) ChangeRendering(ctx context.Context, id, by string, change func(*studio.Rendering) error) (*studio.Rendering, error) {
	var r *studio.Rendering
	err := editAgain("rendering", errRenderingChanged, func() (err error) {
		if r, err = s.Rendering(ctx, id); err != nil {
			return err
		}
		was := *r
		if err := change(r); err != nil {
			return err
		}
		return s.updateRendering(ctx, r, by, &was)
	})
	return r, err
}

// editAgain runs an edit (read, change, write if the row is still as read)
// again while it fails with changed, pausing a little longer each time;
// after editAttempts it answers conflict.
func editAgain(what string, changed error, edit func() error) error {
	for attempt := 0; ; attempt++ {
		err := edit()
		if !errors.Is(err, changed) {
			return err
		}
		if attempt == editAttempts {
			return studio.Errorf(studio.ECodeConflict, "The %s is being changed by others: try again.", what)
		}
		time.Sleep(time.Duration(attempt) * time.Millisecond)
	}
}

// updateRendering writes r; with was, only if the row is still as was
// (else errRenderingChanged, nothing written).
func (s *Store) updateRendering(ctx context.Context, r *studio.Rendering, by string, was *studio.Rendering) error {
	r.UpdatedAt = s.now()
	r.ApprovedAt = microPtr(r.ApprovedAt)
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: update rendering: %w", err)
	}
	defer tx.Rollback()
	if err := s.checkRoom(ctx, tx, r.ProjectID, r.RoomID); err != nil {
		return err
	}
	old, err := scanRendering(tx.QueryRowContext(ctx, s.q(`SELECT `+renderingCols+` FROM renderings WHERE id = ?`), r.ID))
	if errors.Is(err, sql.ErrNoRows) {
		return notFound("Rendering")
	}
	if err != nil {
		return fmt.Errorf("store: update rendering: %w", err)
	}
	query := `UPDATE renderings SET room_id = ?, title = ?, description = ?, status = ?,
		approved_at = ?, approved_by = ?, internal_notes = ?, updated_at = ?, position = ? WHERE id = ?`
	args := []any{nullStr(r.RoomID), r.Title, r.Description, string(r.Status), fmtTimePtr(r.ApprovedAt), nullStr(r.ApprovedBy),
		r.InternalNotes, fmtTime(r.UpdatedAt), r.Position, r.ID}
	if was != nil {
		// Still as read: every editable field and the time of the last
		// edit (on PostgreSQL an UPDATE that waited for another one sees
		// that one's row here).
		query += ` AND COALESCE(room_id, '') = ? AND title = ? AND description = ? AND status = ? AND internal_notes = ?
			AND position = ? AND updated_at = ?`
		args = append(args, was.RoomID, was.Title, was.Description, string(was.Status), was.InternalNotes, was.Position, fmtTime(was.UpdatedAt))
	}
	res, err := tx.ExecContext(ctx, s.q(query), args...)
	if err != nil {
		return fmt.Errorf("store: update rendering: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if was != nil && old.ID != "" {
			return errRenderingChanged
		}
		return notFound("Rendering")
	}
	if clientVisibleChange(old, r, s.roomHidden(ctx, tx, old.RoomID), s.roomHidden(ctx, tx, r.RoomID)) {
		if err := s.touchProject(ctx, tx, r.ProjectID); err != nil {
			return fmt.Errorf("store: update rendering: %w", err)
		}
	}
	if old.Status != r.Status {
		subject := "“" + r.Title + "”: " + statusWords(old.Status) + " → " + statusWords(r.Status)
		if err := s.recordActivityTx(ctx, tx, r.ProjectID, by, studio.ActionRenderingStatus, subject); err != nil {
			return fmt.Errorf("store: update rendering: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: update rendering: %w", err)
	}
	return nil
}

// DeleteRendering removes a rendering's row in one transaction, and with
// it the comments and feedback about it (ON DELETE CASCADE). It returns
// the deleted rendering; the caller removes its files once this has
// committed (files.DeleteRendering), and what a failure there leaves is
// swept later (files.SweepOrphans: the row is gone). This instance's cached
// links of the project forget their view's versions at once (an approved
// rendering counts in them); other instances hear of it from the caller's
// live notice.
//
// The deletion, by staff member by, is recorded in the project's trail.
func (s *Store) DeleteRendering(ctx context.Context, id, by string) (*studio.Rendering, error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("store: delete rendering: %w", err)
	}
	defer tx.Rollback()
	rd, err := scanRendering(tx.QueryRowContext(ctx, s.q(`SELECT `+renderingCols+` FROM renderings WHERE id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Rendering")
	}
	if err != nil {
		return nil, fmt.Errorf("store: delete rendering: %w", err)
	}
	if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM renderings WHERE id = ?`), id); err != nil {
		return nil, fmt.Errorf("store: delete rendering: %w", err)
	}
	if rd.Status == studio.RenderingApproved && !s.roomHidden(ctx, tx, rd.RoomID) {
		if err := s.touchProject(ctx, tx, rd.ProjectID); err != nil {
			return nil, fmt.Errorf("store: delete rendering: %w", err)
		}
	}
	if err := s.recordActivityTx(ctx, tx, rd.ProjectID, by, studio.ActionRenderingDeleted, rd.Title); err != nil {
		return nil, fmt.Errorf("store: delete rendering: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("store: delete rendering: %w", err)
	}
	s.links.Heard(rd.ProjectID)
	return rd, nil
}

// MoveRendering moves a rendering one place up (delta -1) or down (+1) in
// the order clients see, and numbers the project's renderings 1, 2, ... in
// the new order, in one transaction (studio.Moved).
func (s *Store) MoveRendering(ctx context.Context, id string, delta int) (*studio.Rendering, error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("store: move rendering: %w", err)
	}
	defer tx.Rollback()
	var projectID string
	err = tx.QueryRowContext(ctx, s.q(`SELECT project_id FROM renderings WHERE id = ?`), id).Scan(&projectID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Rendering")
	}
	if err != nil {
		return nil, fmt.Errorf("store: move rendering: %w", err)
	}
	// The project's renderings are locked, in one order for every mover,
	// before they are read (PostgreSQL): moves at once then run one after
	// the other, each from the order the previous one left, rather than
	// deadlocking on their updates or undoing each other.
	rows, err := tx.QueryContext(ctx, s.q(`SELECT `+renderingCols+` FROM renderings WHERE project_id = ? ORDER BY id`+s.forUpdate()), projectID)
	if err != nil {
		return nil, fmt.Errorf("store: move rendering: %w", err)
	}
	var list []studio.Rendering
	for rows.Next() {
		rd, err := scanRendering(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: move rendering: %w", err)
		}
		list = append(list, *rd)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: move rendering: %w", err)
	}
	studio.SortRenderings(list)
	ids, err := studio.Moved(list, id, delta)
	if err != nil {
		return nil, err
	}
	for i, rid := range ids {
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE renderings SET position = ? WHERE id = ?`), i+1, rid); err != nil {
			return nil, fmt.Errorf("store: move rendering: %w", err)
		}
	}
	if err := s.touchProject(ctx, tx, projectID); err != nil {
		return nil, fmt.Errorf("store: move rendering: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("store: move rendering: %w", err)
	}
	return s.Rendering(ctx, id)
}

// statusWords is a rendering status as the trail writes it ("in review").
func statusWords(st studio.RenderingStatus) string { return strings.ReplaceAll(string(st), "_", " ") }

// clientVisibleChange reports whether an edit changes what clients see:
// a rendering shown or no longer shown (approval, or a move into or out of
// a hidden room), or the text, room or position of a shown one.
func clientVisibleChange(old, r *studio.Rendering, oldHidden, newHidden bool) bool {
	was := old.Status == studio.RenderingApproved && !oldHidden
	is := r.Status == studio.RenderingApproved && !newHidden
	if was != is {
		return true
	}
	return is && (old.Title != r.Title || old.Description != r.Description || old.RoomID != r.RoomID ||
		old.Position != r.Position)
}

func microPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	m := micro(*t)
	return &m
}

// ExistingRenderings returns which of ids have a rendering row: the sweep
// of stored files asks it before removing a rendering's files.
func (s *Store) ExistingRenderings(ctx context.Context, ids []string) (map[string]bool, error) {
	found := make(map[string]bool, len(ids))
	for len(ids) > 0 {
		batch := ids[:min(len(ids), 500)]
		ids = ids[len(batch):]
		args := make([]any, len(batch))
		for i, id := range batch {
			args[i] = id
		}
		marks := strings.TrimSuffix(strings.Repeat("?, ", len(batch)), ", ")
		rows, err := s.r.QueryContext(ctx, s.q(`SELECT id FROM renderings WHERE id IN (`+marks+`)`), args...)
		if err != nil {
			return nil, fmt.Errorf("store: existing renderings: %w", err)
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, fmt.Errorf("store: existing renderings: %w", err)
			}
			found[id] = true
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("store: existing renderings: %w", err)
		}
	}
	return found, nil
}

package store

import (
	"context"
	"database/sql"
	"fmt"

	"atrium/internal/studio"
)

// actorSystem, given as the by of recordActivityTx, names Atrium itself:
// what it does on its own (locking a link after too many wrong PINs).
const actorSystem = "system"

// activityEntry is what a change records in the trail: by is the staff
// member's id ("" for the command line, actorSystem for Atrium itself).
// An empty action records nothing.
type activityEntry struct {
	by, action, subject string
}

// recordActivityTx adds an entry to a project's activity trail inside tx,
// the transaction of the change it describes: the entry exists exactly
// when the change does. by is the staff member's id, "" from the command
// line (studio.ActorCommandLine), or actorSystem; the actor's name is
// copied into the entry, so the trail keeps the name they had then.
//
// Every store method that makes a change the trail covers calls it, with
// an action of studio's Action* constants and a subject in words, e.g. a
// deletion, before its commit:
//
//	if err := s.recordActivityTx(ctx, tx, projectID, by, studio.ActionRoomDeleted, "Kitchen"); err != nil {
//		return fmt.Errorf("store: delete room: %w", err)
//	}
//
// Changes to client links record theirs through changeLink's entry.
func (s *Store) recordActivityTx(ctx context.Context, tx *sql.Tx, projectID, by, action, subject string) error {
	fallback := studio.ActorCommandLine
	if by == actorSystem {
		by, fallback = "", "Atrium"
	}
	_, err := tx.ExecContext(ctx, s.q(`INSERT INTO activity (project_id, at, actor_id, actor_name, action, subject)
		VALUES (?, ?, ?, COALESCE((SELECT u.name FROM users u WHERE u.id = ?), ?), ?, ?)`),
		projectID, fmtTime(s.now()), nullStr(by), by, fallback, action, studio.CleanText(subject, 4*studio.MaxText))
	if err != nil {
		return fmt.Errorf("record activity: %w", err)
	}
	return nil
}

// ProjectActivity returns a page (from 1) of a project's trail, newest
// first, studio.ActivityPerPage entries a page, and the number of entries
// in all. An unknown project is not found.
func (s *Store) ProjectActivity(ctx context.Context, projectID string, page int) ([]studio.Activity, int, error) {
	if page < 1 {
		return nil, 0, studio.Invalid("page", "page must be a whole number from 1.")
	}
	var total, exists int
	if err := s.r.QueryRowContext(ctx, s.q(`SELECT (SELECT COUNT(*) FROM projects WHERE id = ?),
		(SELECT COUNT(*) FROM activity WHERE project_id = ?)`), projectID, projectID).Scan(&exists, &total); err != nil {
		return nil, 0, fmt.Errorf("store: activity: %w", err)
	}
	if exists == 0 {
		return nil, 0, notFound("Project")
	}
	list, err := queryList(ctx, s, "activity", `SELECT at, COALESCE(actor_id, ''), actor_name, action, subject FROM activity
		WHERE project_id = ? ORDER BY at DESC, id DESC LIMIT ? OFFSET ?`,
		func(row rowScanner) (*studio.Activity, error) {
			var a studio.Activity
			var at string
			if err := row.Scan(&at, &a.ActorID, &a.Actor, &a.Action, &a.Subject); err != nil {
				return nil, err
			}
			a.At = parseTime(at)
			return &a, nil
		}, projectID, studio.ActivityPerPage, (page-1)*studio.ActivityPerPage)
	if err != nil {
		return nil, 0, err
	}
	return list, total, nil
}

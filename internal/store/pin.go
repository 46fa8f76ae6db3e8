package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"atrium/internal/studio"
)

// PINFailures counts the wrong PINs given for a link from one address
// (a limit key: httpx.LimitKey) since the given time, and returns the
// oldest of them: the limit lifts studio.PINWindow after it.
func (s *Store) PINFailures(ctx context.Context, linkID, ip string, since time.Time) (int, time.Time, error) {
	var n int
	var oldest sql.NullString
	err := s.r.QueryRowContext(ctx, s.q(`SELECT COUNT(*), MIN(at) FROM pin_failures WHERE link_id = ? AND ip = ? AND at >= ?`),
		linkID, ip, fmtTime(since)).Scan(&n, &oldest)
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("store: pin failures: %w", err)
	}
	return n, parseTime(oldest.String), nil
}

// RecordPINFailure writes a wrong PIN for a link from an address at time
// now, and prunes the link's failures older than studio.PINLockWindow.
// When the link has had studio.PINLockAfter wrong PINs within that window,
// it locks the link and tells the studio (a link_locked notice in the same
// transaction, through changeLink); locked reports that this call locked it.
func (s *Store) RecordPINFailure(ctx context.Context, l *studio.Link, ip string, now time.Time) (locked bool, err error) {
	since := fmtTime(now.Add(-studio.PINLockWindow))
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("store: pin failure: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM pin_failures WHERE link_id = ? AND at < ?`), l.ID, since); err != nil {
		return false, fmt.Errorf("store: pin failure: %w", err)
	}
	if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO pin_failures (link_id, ip, at) VALUES (?, ?, ?)`), l.ID, ip, fmtTime(now)); err != nil {
		return false, fmt.Errorf("store: pin failure: %w", err)
	}
	var n int
	if err := tx.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM pin_failures WHERE link_id = ?`), l.ID).Scan(&n); err != nil {
		return false, fmt.Errorf("store: pin failure: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("store: pin failure: %w", err)
	}
	if n < studio.PINLockAfter || l.LockedAt != nil {
		return false, nil
	}
	// The entry is recorded below, only if this call locks the link.
	err = s.changeLink(ctx, l.ProjectID, activityEntry{}, func(tx *sql.Tx) error {
		var label, hint, project string
		if err := tx.QueryRowContext(ctx, s.q(`SELECT l.label, l.token_hint, p.name FROM client_links l JOIN projects p ON p.id = l.project_id
			WHERE l.id = ?`+s.forUpdateOf("l")), l.ID).Scan(&label, &hint, &project); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, s.q(`UPDATE client_links SET locked_at = ? WHERE id = ? AND locked_at IS NULL`), fmtTime(now), l.ID)
		if err != nil {
			return err
		}
		if k, err := res.RowsAffected(); err != nil || k == 0 {
			return err // locked already, by another request
		}
		locked = true
		named := "…" + hint
		if label != "" {
			named = "“" + label + "”"
		}
		if err := s.recordActivityTx(ctx, tx, l.ProjectID, actorSystem, studio.ActionLinkLocked,
			fmt.Sprintf("%s: locked after %d wrong PINs in a day", named, n)); err != nil {
			return err
		}
		what := "A link"
		if label != "" {
			what = "The link \"" + label + "\""
		}
		return s.addNoticeTx(ctx, tx, &studio.Notice{Kind: studio.NoticeLinkLocked, ProjectID: l.ProjectID, LinkID: l.ID, At: now,
			Text: fmt.Sprintf("%s to %s is locked after %d wrong PINs in a day. Set a new PIN or remove it to unlock it.", what, project, n)})
	})
	if err != nil {
		return false, fmt.Errorf("store: lock link: %w", err)
	}
	return locked, nil
}

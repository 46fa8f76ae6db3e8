package store

import (
	"context"
	"database/sql"
	"fmt"

	"atrium/internal/studio"
)

// addNoticeTx writes n into the outbox inside tx, the transaction of the
// event it reports, so a notice exists exactly when its event does. It
// fills in n.ID and n.At (when zero).
func (s *Store) addNoticeTx(ctx context.Context, tx *sql.Tx, n *studio.Notice) error {
	if n.ID == "" {
		n.ID = NewID()
	}
	if n.At.IsZero() {
		n.At = s.now()
	}
	_, err := tx.ExecContext(ctx, s.q(`INSERT INTO notices (id, kind, project_id, link_id, subject_id, text, at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`), n.ID, n.Kind, n.ProjectID, n.LinkID, n.SubjectID, n.Text, fmtTime(n.At))
	if err != nil {
		return fmt.Errorf("store: add notice: %w", err)
	}
	return nil
}

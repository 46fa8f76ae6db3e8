package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"time"

	"atrium/internal/studio"
)

// A link remembers its visits for "new since your last visit": the latest
// page view (last_view_at) and the last page view of the visit before the
// current one (previous_visit_at). A page view more than studio.VisitGap
// after the latest starts a new visit. Only page views count: the JSON,
// images and live updates do not. The access log records them in the
// commit of the view's row (insertAccessEvents), so that the page a
// client saw and the link's memory of it never disagree.

const recordVisit = `UPDATE client_links SET
	previous_visit_at = CASE WHEN last_view_at IS NOT NULL AND last_view_at < ? THEN last_view_at ELSE previous_visit_at END,
	last_view_at = ?
	WHERE id = ? AND (last_view_at IS NULL OR last_view_at < ?)`

// hasViews reports whether a batch holds a page view.
func hasViews(events []studio.AccessEvent) bool {
	for i := range events {
		if events[i].Action == studio.ActionView {
			return true
		}
	}
	return false
}

// recordVisits moves the visit columns of the links viewed in a batch,
// inside the batch's transaction, in link id order (a stable lock order).
func (s *Store) recordVisits(ctx context.Context, tx *sql.Tx, events []studio.AccessEvent) error {
	latest := map[string]time.Time{}
	for i := range events {
		e := &events[i]
		if e.Action == studio.ActionView && e.At.After(latest[e.LinkID]) {
			latest[e.LinkID] = e.At
		}
	}
	ids := make([]string, 0, len(latest))
	for id := range latest {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		at := latest[id]
		if _, err := tx.ExecContext(ctx, s.q(recordVisit), fmtTime(at.Add(-studio.VisitGap)), fmtTime(at), id, fmtTime(at)); err != nil {
			return fmt.Errorf("store: record visit: %w", err)
		}
	}
	return nil
}

package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"atrium/internal/studio"
)

const linkCols = `l.id, l.project_id, l.label, l.token_digest, l.token_hint, l.created_by, l.created_at, l.expires_at,
	l.active, l.deactivated_at, l.deactivated_by, l.access_count, l.last_accessed_at, l.download_count`

func scanLink(row interface{ Scan(...any) error }, extra ...any) (*studio.Link, error) {
	var l studio.Link
	var createdBy, expires, deactivatedAt, deactivatedBy, lastAccess sql.NullString
	var created string
	dest := append([]any{&l.ID, &l.ProjectID, &l.Label, &l.TokenDigest, &l.TokenHint, &createdBy, &created, &expires,
		&l.Active, &deactivatedAt, &deactivatedBy, &l.AccessCount, &lastAccess, &l.DownloadCount}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	l.CreatedBy, l.DeactivatedBy = createdBy.String, deactivatedBy.String
	l.CreatedAt = parseTime(created)
	l.ExpiresAt, l.DeactivatedAt, l.LastAccessedAt = parseTimePtr(expires), parseTimePtr(deactivatedAt), parseTimePtr(lastAccess)
	return &l, nil
}

// CreateLink inserts a client link. l.ID, TokenDigest and TokenHint must be
// set: the token is derived from the id outside the database.
func (s *Store) CreateLink(ctx context.Context, l *studio.Link) error {
	l.CreatedAt = s.now()
	l.Active = true
	_, err := s.w.ExecContext(ctx, s.q(`INSERT INTO client_links (id, project_id, label, token_digest, token_hint,
		created_by, created_at, expires_at, active) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		l.ID, l.ProjectID, l.Label, l.TokenDigest, l.TokenHint, nullStr(l.CreatedBy), fmtTime(l.CreatedAt),
		fmtTimePtr(l.ExpiresAt), true)
	if err != nil {
		if isForeignKeyViolation(err) {
			return studio.Invalid("projectId", "No such project.")
		}
		return fmt.Errorf("store: create link: %w", err)
	}
	return nil
}

// Link finds a link by id, without its statistics.
func (s *Store) Link(ctx context.Context, id string) (*studio.Link, error) {
	l, err := scanLink(s.r.QueryRowContext(ctx, s.q(`SELECT `+linkCols+` FROM client_links l WHERE l.id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Link")
	}
	if err != nil {
		return nil, fmt.Errorf("store: link: %w", err)
	}
	return l, nil
}

// LinkByDigest finds the link of a token by the token's SHA-256 digest. The
// lookup is an index seek on the digest, so the raw token is never compared
// byte by byte. It reads the database every time: no link state is cached.
func (s *Store) LinkByDigest(ctx context.Context, digest string) (*studio.Link, error) {
	l, err := scanLink(s.r.QueryRowContext(ctx, s.q(`SELECT `+linkCols+` FROM client_links l WHERE l.token_digest = ?`), digest))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Link")
	}
	if err != nil {
		return nil, fmt.Errorf("store: link by token: %w", err)
	}
	return l, nil
}

// Links lists links, newest first, with their statistics; projectID ""
// lists every project's.
func (s *Store) Links(ctx context.Context, projectID string) ([]studio.Link, error) {
	query := `SELECT ` + linkCols + `, (SELECT COUNT(DISTINCT a.ip) FROM client_access_log a
		WHERE a.link_id = l.id AND a.action <> 'denied') FROM client_links l`
	var args []any
	if projectID != "" {
		query += ` WHERE l.project_id = ?`
		args = append(args, projectID)
	}
	rows, err := s.r.QueryContext(ctx, s.q(query+` ORDER BY l.created_at DESC, l.id`), args...)
	if err != nil {
		return nil, fmt.Errorf("store: links: %w", err)
	}
	defer rows.Close()
	links := []studio.Link{}
	for rows.Next() {
		var unique int64
		l, err := scanLink(rows, &unique)
		if err != nil {
			return nil, fmt.Errorf("store: links: %w", err)
		}
		l.UniqueIPs = unique
		links = append(links, *l)
	}
	return links, rows.Err()
}

// DeactivateLink switches a link off for good. Deactivating an inactive
// link changes nothing (idempotent) and returns it as it is.
func (s *Store) DeactivateLink(ctx context.Context, id, by string) (*studio.Link, error) {
	_, err := s.w.ExecContext(ctx, s.q(`UPDATE client_links SET active = ?, deactivated_at = ?, deactivated_by = ?
		WHERE id = ? AND active = ?`), false, fmtTime(s.now()), nullStr(by), id, true)
	if err != nil {
		return nil, fmt.Errorf("store: deactivate link: %w", err)
	}
	return s.Link(ctx, id)
}

// InsertAccessEvents writes access log rows and bumps their links'
// access_count, last_accessed_at and download_count, all in one
// transaction: the batch primitive under group commit.
func (s *Store) InsertAccessEvents(ctx context.Context, events []studio.AccessEvent) error {
	if len(events) == 0 {
		return nil
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: log access: %w", err)
	}
	defer tx.Rollback()
	ins, err := tx.PrepareContext(ctx, s.q(`INSERT INTO client_access_log (link_id, project_id, action, rendering_id,
		reason, ip, user_agent, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`))
	if err != nil {
		return fmt.Errorf("store: log access: %w", err)
	}
	defer ins.Close()
	type bump struct {
		count, downloads int64
		last             time.Time
	}
	bumps := map[string]*bump{}
	for i := range events {
		e := &events[i]
		if _, err := ins.ExecContext(ctx, e.LinkID, e.ProjectID, e.Action, e.RenderingID, e.Reason, e.IP, e.UserAgent, fmtTime(e.At)); err != nil {
			return fmt.Errorf("store: log access: %w", err)
		}
		if !e.Counts() {
			continue
		}
		b := bumps[e.LinkID]
		if b == nil {
			b = &bump{}
			bumps[e.LinkID] = b
		}
		b.count++
		if e.Action == studio.ActionDownload {
			b.downloads++
		}
		if e.At.After(b.last) {
			b.last = e.At
		}
	}
	for id, b := range bumps {
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE client_links SET access_count = access_count + ?,
			download_count = download_count + ?,
			last_accessed_at = CASE WHEN last_accessed_at IS NULL OR last_accessed_at < ? THEN ? ELSE last_accessed_at END
			WHERE id = ?`), b.count, b.downloads, fmtTime(b.last), fmtTime(b.last), id); err != nil {
			return fmt.Errorf("store: log access: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: log access: %w", err)
	}
	return nil
}

// AccessEvents pages through a link's log, newest first: rows with id below
// before (0 for the newest), at most limit of them.
func (s *Store) AccessEvents(ctx context.Context, linkID string, before int64, limit int) ([]studio.AccessEvent, error) {
	query := `SELECT id, link_id, project_id, action, rendering_id, reason, ip, user_agent, at FROM client_access_log WHERE link_id = ?`
	args := []any{linkID}
	if before > 0 {
		query += ` AND id < ?`
		args = append(args, before)
	}
	args = append(args, limit)
	rows, err := s.r.QueryContext(ctx, s.q(query+` ORDER BY id DESC LIMIT ?`), args...)
	if err != nil {
		return nil, fmt.Errorf("store: access log: %w", err)
	}
	defer rows.Close()
	events := []studio.AccessEvent{}
	for rows.Next() {
		var e studio.AccessEvent
		var at string
		if err := rows.Scan(&e.ID, &e.LinkID, &e.ProjectID, &e.Action, &e.RenderingID, &e.Reason, &e.IP, &e.UserAgent, &at); err != nil {
			return nil, fmt.Errorf("store: access log: %w", err)
		}
		e.At = parseTime(at)
		events = append(events, e)
	}
	return events, rows.Err()
}

// ViewsPerDay counts a link's page views per UTC day since the given day.
func (s *Store) ViewsPerDay(ctx context.Context, linkID string, since time.Time) ([]studio.DayCount, error) {
	rows, err := s.r.QueryContext(ctx, s.q(`SELECT SUBSTR(at, 1, 10) AS day, COUNT(*) FROM client_access_log
		WHERE link_id = ? AND action = 'view' AND at >= ? GROUP BY SUBSTR(at, 1, 10) ORDER BY day`),
		linkID, fmtTime(since))
	if err != nil {
		return nil, fmt.Errorf("store: views per day: %w", err)
	}
	defer rows.Close()
	days := []studio.DayCount{}
	for rows.Next() {
		var d studio.DayCount
		if err := rows.Scan(&d.Day, &d.Views); err != nil {
			return nil, fmt.Errorf("store: views per day: %w", err)
		}
		days = append(days, d)
	}
	return days, rows.Err()
}

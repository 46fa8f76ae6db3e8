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

// NotifyPref is a staff member's notification setting (studio.NotifyScope).
func (s *Store) NotifyPref(ctx context.Context, userID string) (string, error) {
	var pref string
	err := s.r.QueryRowContext(ctx, s.q(`SELECT notify_mail FROM users WHERE id = ?`), userID).Scan(&pref)
	if errors.Is(err, sql.ErrNoRows) {
		return "", notFound("User")
	}
	if err != nil {
		return "", fmt.Errorf("store: notify setting: %w", err)
	}
	return pref, nil
}

// SetNotifyPref changes it; pref is checked (studio.CheckNotifyPref).
func (s *Store) SetNotifyPref(ctx context.Context, userID, pref string) error {
	res, err := s.w.ExecContext(ctx, s.q(`UPDATE users SET notify_mail = ? WHERE id = ?`), pref, userID)
	if err != nil {
		return fmt.Errorf("store: notify setting: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("User")
	}
	return nil
}

// noticeScope is the WHERE condition (on notices n) of what u sees in the
// in-app list, with its arguments.
func noticeScope(u *studio.User, pref string) (string, []any) {
	if studio.SeesAllNotices(u.Role, pref) {
		return `1 = 1`, nil
	}
	return `n.project_id IN (SELECT t.project_id FROM project_team t WHERE t.user_id = ?)`, []any{u.ID}
}

// Notifications lists the newest notices u sees (at most limit), with
// whether u has read each, and how many u has not read in all.
func (s *Store) Notifications(ctx context.Context, u *studio.User, limit int) ([]studio.Notification, int, error) {
	pref, err := s.NotifyPref(ctx, u.ID)
	if err != nil {
		return nil, 0, err
	}
	scope, scopeArgs := noticeScope(u, pref)
	args := append([]any{u.ID}, scopeArgs...)
	rows, err := s.r.QueryContext(ctx, s.q(`SELECT n.id, n.kind, n.project_id, n.at, n.text, r.user_id IS NOT NULL
		FROM notices n LEFT JOIN notice_reads r ON r.notice_id = n.id AND r.user_id = ?
		WHERE `+scope+` ORDER BY n.at DESC, n.id DESC LIMIT ?`), append(args, limit)...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: notifications: %w", err)
	}
	defer rows.Close()
	list := []studio.Notification{}
	for rows.Next() {
		var n studio.Notification
		var at string
		if err := rows.Scan(&n.ID, &n.Kind, &n.ProjectID, &at, &n.Text, &n.Read); err != nil {
			return nil, 0, fmt.Errorf("store: notifications: %w", err)
		}
		n.At = parseTime(at)
		list = append(list, n)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("store: notifications: %w", err)
	}
	unread, err := s.unreadNotices(ctx, u, scope, scopeArgs)
	return list, unread, err
}

// UnreadNotices counts the notices u sees and has not read: the admin
// header's badge.
func (s *Store) UnreadNotices(ctx context.Context, u *studio.User) (int, error) {
	pref, err := s.NotifyPref(ctx, u.ID)
	if err != nil {
		return 0, err
	}
	scope, args := noticeScope(u, pref)
	return s.unreadNotices(ctx, u, scope, args)
}

func (s *Store) unreadNotices(ctx context.Context, u *studio.User, scope string, args []any) (int, error) {
	var n int
	err := s.r.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM notices n WHERE `+scope+`
		AND NOT EXISTS (SELECT 1 FROM notice_reads r WHERE r.notice_id = n.id AND r.user_id = ?)`), append(args, u.ID)...).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: unread notices: %w", err)
	}
	return n, nil
}

// MarkNoticesRead marks as read, for u, the notices of ids that u sees,
// or every notice u sees when all is set. Unknown ids are ignored.
func (s *Store) MarkNoticesRead(ctx context.Context, u *studio.User, ids []string, all bool) error {
	pref, err := s.NotifyPref(ctx, u.ID)
	if err != nil {
		return err
	}
	scope, scopeArgs := noticeScope(u, pref)
	args := append([]any{u.ID}, scopeArgs...)
	cond := ""
	if !all {
		if len(ids) == 0 {
			return nil
		}
		cond = ` AND n.id IN (` + strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",") + `)`
		for _, id := range ids {
			args = append(args, id)
		}
	}
	_, err = s.w.ExecContext(ctx, s.q(`INSERT INTO notice_reads (notice_id, user_id) SELECT n.id, ? FROM notices n
		WHERE `+scope+cond+` ON CONFLICT DO NOTHING`), args...)
	if err != nil {
		return fmt.Errorf("store: mark notices read: %w", err)
	}
	return nil
}

// ErrLinkRequested is RequestLink's refusal of a second request for one
// link within studio.LinkRequestEvery; RetryAfter says when one may come.
type ErrLinkRequested struct{ RetryAfter time.Duration }

func (e *ErrLinkRequested) Error() string { return "store: a new link was asked for recently" }

// RequestLink records a client asking for a new link for ev's link: the
// access row (action request_link) and the studio's notice, in one
// transaction, unless the link had a request within
// studio.LinkRequestEvery (then *ErrLinkRequested, and nothing written).
func (s *Store) RequestLink(ctx context.Context, ev studio.AccessEvent) error {
	ev.Action = studio.ActionRequestLink
	ev.Clean()
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: request link: %w", err)
	}
	defer tx.Rollback()
	// Lock the link row (PostgreSQL) so that two requests at once are one.
	var label, project string
	err = tx.QueryRowContext(ctx, s.q(`SELECT l.label, p.name FROM client_links l JOIN projects p ON p.id = l.project_id
		WHERE l.id = ?`+s.forUpdateOf("l")), ev.LinkID).Scan(&label, &project)
	if errors.Is(err, sql.ErrNoRows) {
		return notFound("Link")
	}
	if err != nil {
		return fmt.Errorf("store: request link: %w", err)
	}
	var last sql.NullString
	if err := tx.QueryRowContext(ctx, s.q(`SELECT MAX(at) FROM client_access_log WHERE link_id = ? AND action = ?`),
		ev.LinkID, studio.ActionRequestLink).Scan(&last); err != nil {
		return fmt.Errorf("store: request link: %w", err)
	}
	if last.Valid {
		if wait := parseTime(last.String).Add(studio.LinkRequestEvery).Sub(ev.At); wait > 0 {
			return &ErrLinkRequested{RetryAfter: wait}
		}
	}
	if _, err := tx.ExecContext(ctx, s.q(insertAccessOne), ev.LinkID, ev.ProjectID, ev.Action, ev.RenderingID,
		ev.Reason, s.storedIP(ev.IP), ev.UserAgent, fmtTime(ev.At)); err != nil {
		return fmt.Errorf("store: request link: %w", err)
	}
	who := "A client"
	if label != "" {
		who = "The client of link \"" + label + "\""
	}
	n := &studio.Notice{Kind: studio.NoticeLinkRequest, ProjectID: ev.ProjectID, LinkID: ev.LinkID, At: ev.At,
		Text: who + " to " + project + " asked for a new link."}
	if err := s.addNoticeTx(ctx, tx, n); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: request link: %w", err)
	}
	return nil
}

// forUpdateOf locks the rows of table alias a that a SELECT reads, where
// the database can.
func (s *Store) forUpdateOf(a string) string {
	if s.dialect == postgres {
		return " FOR UPDATE OF " + a
	}
	return ""
}

// skipLocked claims rows no other transaction holds (PostgreSQL); SQLite
// has one writer, whose transaction holds them all.
func (s *Store) skipLocked(a string) string {
	if s.dialect == postgres {
		return " FOR UPDATE OF " + a + " SKIP LOCKED"
	}
	return ""
}

// Unsubscribe switches off a link's update mail (the client's one-click
// unsubscribe). It is idempotent.
func (s *Store) Unsubscribe(ctx context.Context, linkID string) error {
	res, err := s.w.ExecContext(ctx, s.q(`UPDATE client_links SET updates_off = ? WHERE id = ?`), true, linkID)
	if err != nil {
		return fmt.Errorf("store: unsubscribe: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("Link")
	}
	return nil
}

// UpdatesOff reports whether a link's update mail is switched off.
func (s *Store) UpdatesOff(ctx context.Context, linkID string) (bool, error) {
	var off bool
	err := s.r.QueryRowContext(ctx, s.q(`SELECT updates_off FROM client_links WHERE id = ?`), linkID).Scan(&off)
	if errors.Is(err, sql.ErrNoRows) {
		return false, notFound("Link")
	}
	if err != nil {
		return false, fmt.Errorf("store: unsubscribe: %w", err)
	}
	return off, nil
}

// LinkByUnsubscribe finds the link of an unsubscribe token's digest.
func (s *Store) LinkByUnsubscribe(ctx context.Context, digest string) (*studio.Link, error) {
	l, err := scanLink(s.r.QueryRowContext(ctx, s.q(`SELECT `+linkCols+` FROM client_links l WHERE l.unsubscribe_digest = ?`), digest))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Link")
	}
	if err != nil {
		return nil, fmt.Errorf("store: link by unsubscribe token: %w", err)
	}
	return l, nil
}

// AddDigests writes the daily digest notices of day (YYYY-MM-DD, UTC):
// for each project whose links were viewed or downloaded from that day,
// one notice with the counts, at time at. The notice id is derived from
// the project and the day, so instances that run it at once, or again
// after a restart, write each digest once. It returns how many it wrote.
func (s *Store) AddDigests(ctx context.Context, day string, at time.Time) (int64, error) {
	start, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return 0, fmt.Errorf("store: digests: %w", err)
	}
	const views = `SUM(CASE WHEN a.action = 'view' THEN 1 ELSE 0 END)`
	const downloads = `SUM(CASE WHEN a.action = 'download' THEN 1 ELSE 0 END)`
	res, err := s.w.ExecContext(ctx, s.q(`INSERT INTO notices (id, kind, project_id, link_id, subject_id, text, at)
		SELECT 'digest-' || a.project_id || '-' || ?, 'digest', a.project_id, '', '',
			p.name || ' on ' || ? || ': ' || CAST(`+views+` AS TEXT)
			|| CASE WHEN `+views+` = 1 THEN ' page view, ' ELSE ' page views, ' END
			|| CAST(`+downloads+` AS TEXT) || CASE WHEN `+downloads+` = 1 THEN ' download.' ELSE ' downloads.' END, ?
		FROM client_access_log a JOIN projects p ON p.id = a.project_id
		WHERE a.at >= ? AND a.at < ? AND a.action IN ('view', 'download')
		GROUP BY a.project_id, p.name
		ON CONFLICT DO NOTHING`), day, day, fmtTime(at), fmtTime(start), fmtTime(start.AddDate(0, 0, 1)))
	if err != nil {
		return 0, fmt.Errorf("store: digests: %w", err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}

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

// The mail outbox (table mails): rows are rendered messages with their
// delivery state. Instances claim due rows with FOR UPDATE SKIP LOCKED on
// PostgreSQL (SQLite has one writer) and hold them for a lease, so that
// each message goes out once however many instances run; a row whose
// instance died is taken again when its lease ends.

const mailCols = `m.id, m.kind, m.project_id, m.link_id, m.notice_id, m.to_addr, m.subject, m.body_text, m.body_html,
	m.unsubscribe, m.logo_key, m.status, m.attempts, m.next_at, m.last_error, m.created_at, m.sent_at`

func scanMail(row interface{ Scan(...any) error }) (*studio.Mail, error) {
	var m studio.Mail
	var next, created string
	var sent sql.NullString
	if err := row.Scan(&m.ID, &m.Kind, &m.ProjectID, &m.LinkID, &m.NoticeID, &m.To, &m.Subject, &m.Text, &m.HTML,
		&m.Unsubscribe, &m.LogoKey, &m.Status, &m.Attempts, &next, &m.LastError, &created, &sent); err != nil {
		return nil, err
	}
	m.NextAt, m.CreatedAt, m.SentAt = parseTime(next), parseTime(created), parseTimePtr(sent)
	return &m, nil
}

// insertMailTx queues m inside tx. It fills in ID, CreatedAt and NextAt
// (when zero), and Status (pending when empty).
func (s *Store) insertMailTx(ctx context.Context, tx *sql.Tx, m *studio.Mail) error {
	if m.ID == "" {
		m.ID = NewID()
	}
	m.CreatedAt = s.now()
	if m.NextAt.IsZero() {
		m.NextAt = m.CreatedAt
	}
	if m.Status == "" {
		m.Status = studio.MailPending
	}
	_, err := tx.ExecContext(ctx, s.q(`INSERT INTO mails (id, kind, project_id, link_id, notice_id, to_addr, subject,
		body_text, body_html, unsubscribe, logo_key, status, attempts, next_at, last_error, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)`),
		m.ID, m.Kind, m.ProjectID, m.LinkID, m.NoticeID, m.To, m.Subject, m.Text, m.HTML, m.Unsubscribe, m.LogoKey,
		m.Status, fmtTime(m.NextAt), m.LastError, fmtTime(m.CreatedAt))
	if err != nil {
		return fmt.Errorf("store: queue mail: %w", err)
	}
	return nil
}

// QueueInvitation queues m, a link sent by email to m.To, and records on
// the link where and when it was sent, and the digest of its unsubscribe
// token (studio.UnsubscribeToken), in one transaction.
func (s *Store) QueueInvitation(ctx context.Context, m *studio.Mail, unsubscribeDigest string) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: send link: %w", err)
	}
	defer tx.Rollback()
	// Only a working link is sent: the check is part of the write, so a
	// link deactivated or expired since the caller looked is not mailed.
	now := fmtTime(s.now())
	res, err := tx.ExecContext(ctx, s.q(`UPDATE client_links SET sent_to = ?, sent_at = ?, unsubscribe_digest = ?
		WHERE id = ? AND active = ? AND (expires_at IS NULL OR expires_at > ?)`),
		m.To, now, unsubscribeDigest, m.LinkID, true, now)
	if err != nil {
		return fmt.Errorf("store: send link: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if _, err := s.Link(ctx, m.LinkID); err != nil {
			return err
		}
		return studio.Errorf(studio.ECodeConflict, "Only a working link can be sent; this one is deactivated or expired.")
	}
	if err := s.insertMailTx(ctx, tx, m); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: send link: %w", err)
	}
	return nil
}

// Recipient is a staff member who may get mail about a notice.
type Recipient struct {
	User  studio.User
	Scope string // studio.NotifyAll, NotifyMine or NotifyNone
	Team  bool   // on the notice's project's team
}

// Gets reports whether r gets mail about a notice of that project.
func (r Recipient) Gets() bool {
	return r.Scope == studio.NotifyAll || r.Scope == studio.NotifyMine && r.Team
}

// DispatchNotices turns up to limit notices not yet mailed into mail rows,
// one per staff member who gets it (Recipient.Gets), made by build, and
// marks them mailed, in one transaction: each notice is mailed once even
// with several instances. It returns how many notices it took.
func (s *Store) DispatchNotices(ctx context.Context, limit int, build func(n *studio.Notice, to *studio.User) *studio.Mail) (int, error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("store: dispatch notices: %w", err)
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, s.q(`SELECT n.id, n.kind, n.project_id, n.link_id, n.subject_id, n.text, n.at
		FROM notices n WHERE n.mailed = ? ORDER BY n.at, n.id LIMIT ?`+s.skipLocked("n")), false, limit)
	if err != nil {
		return 0, fmt.Errorf("store: dispatch notices: %w", err)
	}
	var notices []studio.Notice
	for rows.Next() {
		var n studio.Notice
		var at string
		if err := rows.Scan(&n.ID, &n.Kind, &n.ProjectID, &n.LinkID, &n.SubjectID, &n.Text, &at); err != nil {
			rows.Close()
			return 0, fmt.Errorf("store: dispatch notices: %w", err)
		}
		n.At = parseTime(at)
		notices = append(notices, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("store: dispatch notices: %w", err)
	}
	if len(notices) == 0 {
		return 0, nil
	}
	for i := range notices {
		n := &notices[i]
		recips, err := s.recipients(ctx, tx, n.ProjectID)
		if err != nil {
			return 0, err
		}
		for _, r := range recips {
			if !r.Gets() {
				continue
			}
			if m := build(n, &r.User); m != nil {
				if err := s.insertMailTx(ctx, tx, m); err != nil {
					return 0, err
				}
			}
		}
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE notices SET mailed = ? WHERE id = ?`), true, n.ID); err != nil {
			return 0, fmt.Errorf("store: dispatch notices: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("store: dispatch notices: %w", err)
	}
	return len(notices), nil
}

// recipients lists the enabled staff with their mail setting and whether
// they are on the project's team.
func (s *Store) recipients(ctx context.Context, tx *sql.Tx, projectID string) ([]Recipient, error) {
	rows, err := tx.QueryContext(ctx, s.q(`SELECT u.id, u.email, u.name, u.role, u.notify_mail,
		EXISTS (SELECT 1 FROM project_team t WHERE t.project_id = ? AND t.user_id = u.id)
		FROM users u WHERE u.disabled = ? ORDER BY u.id`), projectID, false)
	if err != nil {
		return nil, fmt.Errorf("store: recipients: %w", err)
	}
	defer rows.Close()
	var list []Recipient
	for rows.Next() {
		var r Recipient
		var pref string
		if err := rows.Scan(&r.User.ID, &r.User.Email, &r.User.Name, &r.User.Role, &pref, &r.Team); err != nil {
			return nil, fmt.Errorf("store: recipients: %w", err)
		}
		r.Scope = studio.NotifyScope(r.User.Role, pref)
		list = append(list, r)
	}
	return list, rows.Err()
}

// UpdateDue is a link owed a "new renderings to see" mail.
type UpdateDue struct {
	LinkID, ProjectID, ProjectName, To string
	Locale                             string    // the link's own, "" for the studio's
	TokenGen                           int       // the link's token generation (studio.LinkTokenGen)
	New                                int       // renderings approved since the last mail (or the invitation)
	Newest                             time.Time // when the last of them was approved
}

// DispatchUpdates queues the client updates due at time now: for each link
// sent by email (sent_to), active, not unsubscribed, whose last update is
// at least every old, and whose project has renderings approved since
// that update (or the invitation), the newest at least quiet ago (so that
// a session of approvals makes one mail). build makes the mail (nil to
// skip); the link's updates_sent_at moves to now in the same transaction.
func (s *Store) DispatchUpdates(ctx context.Context, now time.Time, every, quiet time.Duration, build func(u *UpdateDue) *studio.Mail) (int, error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("store: dispatch updates: %w", err)
	}
	defer tx.Rollback()
	const since = `COALESCE(l.updates_sent_at, l.sent_at)`
	// Renderings of hidden rooms are not news to clients.
	const newer = `FROM renderings r WHERE r.project_id = l.project_id AND r.status = 'approved' AND ` + shownToClients +
		` AND r.approved_at > ` + since
	rows, err := tx.QueryContext(ctx, s.q(`SELECT l.id, l.token_gen, l.project_id, p.name, l.sent_to, l.locale,
		(SELECT COUNT(*) `+newer+`), (SELECT MAX(r.approved_at) `+newer+`)
		FROM client_links l JOIN projects p ON p.id = l.project_id
		WHERE l.sent_to <> '' AND l.sent_at IS NOT NULL AND l.updates_off = ? AND l.active = ?
		AND (l.expires_at IS NULL OR l.expires_at > ?)
		AND (l.updates_sent_at IS NULL OR l.updates_sent_at <= ?)
		AND EXISTS (SELECT 1 `+newer+`)
		ORDER BY l.id LIMIT 100`+s.skipLocked("l")), false, true, fmtTime(now), fmtTime(now.Add(-every)))
	if err != nil {
		return 0, fmt.Errorf("store: dispatch updates: %w", err)
	}
	var due []UpdateDue
	for rows.Next() {
		var u UpdateDue
		var newest sql.NullString
		if err := rows.Scan(&u.LinkID, &u.TokenGen, &u.ProjectID, &u.ProjectName, &u.To, &u.Locale, &u.New, &newest); err != nil {
			rows.Close()
			return 0, fmt.Errorf("store: dispatch updates: %w", err)
		}
		u.Newest = parseTime(newest.String)
		if now.Sub(u.Newest) >= quiet {
			due = append(due, u)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("store: dispatch updates: %w", err)
	}
	n := 0
	for i := range due {
		m := build(&due[i])
		if m == nil {
			continue
		}
		if err := s.insertMailTx(ctx, tx, m); err != nil {
			return 0, err
		}
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE client_links SET updates_sent_at = ? WHERE id = ?`),
			fmtTime(now), due[i].LinkID); err != nil {
			return 0, fmt.Errorf("store: dispatch updates: %w", err)
		}
		n++
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("store: dispatch updates: %w", err)
	}
	return n, nil
}

// ClaimMails takes up to limit mails due (pending ones whose attempt was
// due by dueBy, and claimed ones whose lease ended by now) for this
// instance until now+lease, counting the attempt, and returns them.
func (s *Store) ClaimMails(ctx context.Context, now, dueBy time.Time, lease time.Duration, limit int) ([]studio.Mail, error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("store: claim mails: %w", err)
	}
	defer tx.Rollback()
	t := fmtTime(now)
	rows, err := tx.QueryContext(ctx, s.q(`SELECT m.id FROM mails m
		WHERE (m.status = ? AND m.next_at <= ?) OR (m.status = ? AND m.claimed_until <= ?)
		ORDER BY m.next_at, m.id LIMIT ?`+s.skipLocked("m")), studio.MailPending, fmtTime(dueBy), studio.MailSending, t, limit)
	if err != nil {
		return nil, fmt.Errorf("store: claim mails: %w", err)
	}
	var ids []any
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: claim mails: %w", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: claim mails: %w", err)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	in := `(` + strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",") + `)`
	args := append([]any{studio.MailSending, fmtTime(now.Add(lease))}, ids...)
	if _, err := tx.ExecContext(ctx, s.q(`UPDATE mails SET status = ?, claimed_until = ?, attempts = attempts + 1
		WHERE id IN `+in), args...); err != nil {
		return nil, fmt.Errorf("store: claim mails: %w", err)
	}
	mrows, err := tx.QueryContext(ctx, s.q(`SELECT `+mailCols+` FROM mails m WHERE m.id IN `+in+` ORDER BY m.next_at, m.id`), ids...)
	if err != nil {
		return nil, fmt.Errorf("store: claim mails: %w", err)
	}
	var list []studio.Mail
	for mrows.Next() {
		m, err := scanMail(mrows)
		if err != nil {
			mrows.Close()
			return nil, fmt.Errorf("store: claim mails: %w", err)
		}
		list = append(list, *m)
	}
	mrows.Close()
	if err := mrows.Err(); err != nil {
		return nil, fmt.Errorf("store: claim mails: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("store: claim mails: %w", err)
	}
	return list, nil
}

// MailSent records a claimed mail as delivered.
func (s *Store) MailSent(ctx context.Context, id string) error {
	_, err := s.w.ExecContext(ctx, s.q(`UPDATE mails SET status = ?, sent_at = ?, claimed_until = NULL, last_error = ''
		WHERE id = ? AND status = ?`), studio.MailSent, fmtTime(s.now()), id, studio.MailSending)
	if err != nil {
		return fmt.Errorf("store: mail sent: %w", err)
	}
	return nil
}

// MailFailed records a failed attempt: the mail is tried again at next,
// or given up (failed) when next is zero.
func (s *Store) MailFailed(ctx context.Context, id, reason string, next time.Time) error {
	status, nextAt := studio.MailPending, fmtTime(next)
	if next.IsZero() {
		status, nextAt = studio.MailFailed, fmtTime(s.now())
	}
	_, err := s.w.ExecContext(ctx, s.q(`UPDATE mails SET status = ?, next_at = ?, claimed_until = NULL, last_error = ?
		WHERE id = ? AND status = ?`), status, nextAt, studio.CleanText(reason, 1000), id, studio.MailSending)
	if err != nil {
		return fmt.Errorf("store: mail failed: %w", err)
	}
	return nil
}

// Mails lists the outbox, newest first (at most limit); linkID "" lists
// every link's and the staff notices'.
func (s *Store) Mails(ctx context.Context, linkID string, limit int) ([]studio.Mail, error) {
	query, args := `SELECT `+mailCols+` FROM mails m`, []any{}
	if linkID != "" {
		query += ` WHERE m.link_id = ?`
		args = append(args, linkID)
	}
	return queryList(ctx, s, "mails", query+` ORDER BY m.created_at DESC, m.id LIMIT ?`, scanMail, append(args, limit)...)
}

// Mail finds one mail of the outbox.
func (s *Store) Mail(ctx context.Context, id string) (*studio.Mail, error) {
	m, err := scanMail(s.r.QueryRowContext(ctx, s.q(`SELECT `+mailCols+` FROM mails m WHERE m.id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Mail")
	}
	if err != nil {
		return nil, fmt.Errorf("store: mail: %w", err)
	}
	return m, nil
}

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

const userCols = `id, email, name, role, password_hash, created_at, disabled`

func scanUser(row interface{ Scan(...any) error }) (*studio.User, error) {
	var u studio.User
	var created string
	if err := row.Scan(&u.ID, &u.Email, &u.Name, &u.Role, &u.PasswordHash, &created, &u.Disabled); err != nil {
		return nil, err
	}
	u.CreatedAt = parseTime(created)
	return &u, nil
}

// CreateUser inserts u, giving it an id and a creation time. A taken email
// is a conflict.
func (s *Store) CreateUser(ctx context.Context, u *studio.User) error {
	u.ID = NewID()
	u.Email = strings.ToLower(strings.TrimSpace(u.Email))
	u.CreatedAt = s.now()
	_, err := s.w.ExecContext(ctx, s.q(`INSERT INTO users (`+userCols+`) VALUES (?, ?, ?, ?, ?, ?, ?)`),
		u.ID, u.Email, u.Name, string(u.Role), u.PasswordHash, fmtTime(u.CreatedAt), u.Disabled)
	if err != nil {
		if isUniqueViolation(err) {
			return studio.Errorf(studio.ECodeConflict, "A staff account with this email already exists.")
		}
		return fmt.Errorf("store: create user: %w", err)
	}
	return nil
}

// UserByEmail finds a staff account by email, case-insensitively.
func (s *Store) UserByEmail(ctx context.Context, email string) (*studio.User, error) {
	u, err := scanUser(s.r.QueryRowContext(ctx, s.q(`SELECT `+userCols+` FROM users WHERE email = ?`),
		strings.ToLower(strings.TrimSpace(email))))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("User")
	}
	if err != nil {
		return nil, fmt.Errorf("store: user by email: %w", err)
	}
	return u, nil
}

// User finds a staff account by id.
func (s *Store) User(ctx context.Context, id string) (*studio.User, error) {
	u, err := scanUser(s.r.QueryRowContext(ctx, s.q(`SELECT `+userCols+` FROM users WHERE id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("User")
	}
	if err != nil {
		return nil, fmt.Errorf("store: user: %w", err)
	}
	return u, nil
}

// Users lists staff accounts by name.
func (s *Store) Users(ctx context.Context) ([]studio.User, error) {
	return queryList(ctx, s, "users", `SELECT `+userCols+` FROM users ORDER BY name, email`, scanUser)
}

// UserChange is an edit of a staff account: nil fields stay as they are.
type UserChange struct {
	Name         *string
	Role         *studio.Role
	Disabled     *bool
	PasswordHash *string
	// KeepSession is the digest of a session a password change leaves open
	// (the one of a person changing their own password); "" ends them all.
	KeepSession string
}

// UpdateUser applies ch to a staff account in one transaction and returns
// the account as stored. Disabling ends all its sessions, a new password
// all but KeepSession; sessions live in the database, so this holds on
// every instance at once. A change that would leave no active admin is a
// conflict naming the field ("role" or "disabled").
func (s *Store) UpdateUser(ctx context.Context, id string, ch UserChange) (*studio.User, error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("store: update user: %w", err)
	}
	defer tx.Rollback()
	var admins []string
	if ch.Role != nil || ch.Disabled != nil {
		// Lock the active admins, always in id order, before the account
		// itself: two admins demoting each other at once then run one after
		// the other, and the second sees the first's change (PostgreSQL
		// re-reads locked rows; SQLite has one writer anyway).
		if admins, err = s.lockActiveAdmins(ctx, tx); err != nil {
			return nil, err
		}
	}
	u, err := scanUser(tx.QueryRowContext(ctx, s.q(`SELECT `+userCols+` FROM users WHERE id = ?`+s.forUpdate()), id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("User")
	}
	if err != nil {
		return nil, fmt.Errorf("store: update user: %w", err)
	}
	wasAdmin := u.Role == studio.RoleAdmin && !u.Disabled
	if ch.Name != nil {
		u.Name = *ch.Name
	}
	if ch.Role != nil {
		u.Role = *ch.Role
	}
	if ch.Disabled != nil {
		u.Disabled = *ch.Disabled
	}
	if ch.PasswordHash != nil {
		u.PasswordHash = *ch.PasswordHash
	}
	if wasAdmin && (u.Role != studio.RoleAdmin || u.Disabled) && !otherThan(admins, u.ID) {
		field, verb := "role", "made a designer"
		if u.Disabled {
			field, verb = "disabled", "disabled"
		}
		return nil, &studio.Error{Code: studio.ECodeConflict, Field: field,
			Message: fmt.Sprintf("%s is the last active admin and cannot be %s. Make another account admin first.", u.Name, verb)}
	}
	if _, err := tx.ExecContext(ctx, s.q(`UPDATE users SET name = ?, role = ?, disabled = ?, password_hash = ? WHERE id = ?`),
		u.Name, string(u.Role), u.Disabled, u.PasswordHash, u.ID); err != nil {
		return nil, fmt.Errorf("store: update user: %w", err)
	}
	switch {
	case u.Disabled:
		_, err = tx.ExecContext(ctx, s.q(`DELETE FROM sessions WHERE user_id = ?`), u.ID)
	case ch.PasswordHash != nil:
		_, err = tx.ExecContext(ctx, s.q(`DELETE FROM sessions WHERE user_id = ? AND id_digest <> ?`), u.ID, ch.KeepSession)
	}
	if err != nil {
		return nil, fmt.Errorf("store: update user: end sessions: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("store: update user: %w", err)
	}
	return u, nil
}

// lockActiveAdmins returns the ids of the enabled admins, locked until the
// end of tx on PostgreSQL.
func (s *Store) lockActiveAdmins(ctx context.Context, tx *sql.Tx) ([]string, error) {
	rows, err := tx.QueryContext(ctx, s.q(`SELECT id FROM users WHERE role = ? AND disabled = ? ORDER BY id`+s.forUpdate()),
		string(studio.RoleAdmin), false)
	if err != nil {
		return nil, fmt.Errorf("store: lock admins: %w", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("store: lock admins: %w", err)
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// forUpdate locks the rows a SELECT reads, where the database can.
func (s *Store) forUpdate() string {
	if s.dialect == postgres {
		return " FOR UPDATE"
	}
	return ""
}

func otherThan(ids []string, id string) bool {
	for _, x := range ids {
		if x != id {
			return true
		}
	}
	return false
}

// Session is a staff login as the database keeps it: only a digest of the id.
type Session struct {
	User       *studio.User
	CreatedAt  time.Time
	LastSeenAt time.Time
}

// CreateSession records a session under the digest of its id.
func (s *Store) CreateSession(ctx context.Context, digest, userID string) error {
	now := fmtTime(s.now())
	_, err := s.w.ExecContext(ctx, s.q(`INSERT INTO sessions (id_digest, user_id, created_at, last_seen_at) VALUES (?, ?, ?, ?)`),
		digest, userID, now, now)
	if err != nil {
		return fmt.Errorf("store: create session: %w", err)
	}
	return nil
}

// SessionByDigest finds a live session and its (enabled) user.
func (s *Store) SessionByDigest(ctx context.Context, digest string) (*Session, error) {
	row := s.r.QueryRowContext(ctx, s.q(`SELECT u.id, u.email, u.name, u.role, u.password_hash, u.created_at, u.disabled,
		s.created_at, s.last_seen_at FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_digest = ? AND u.disabled = ?`), digest, false)
	var u studio.User
	var uc, sc, sl string
	err := row.Scan(&u.ID, &u.Email, &u.Name, &u.Role, &u.PasswordHash, &uc, &u.Disabled, &sc, &sl)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Session")
	}
	if err != nil {
		return nil, fmt.Errorf("store: session: %w", err)
	}
	u.CreatedAt = parseTime(uc)
	return &Session{User: &u, CreatedAt: parseTime(sc), LastSeenAt: parseTime(sl)}, nil
}

// TouchSession moves a session's idle clock forward.
func (s *Store) TouchSession(ctx context.Context, digest string) error {
	if _, err := s.w.ExecContext(ctx, s.q(`UPDATE sessions SET last_seen_at = ? WHERE id_digest = ?`), fmtTime(s.now()), digest); err != nil {
		return fmt.Errorf("store: touch session: %w", err)
	}
	return nil
}

// DeleteSession ends a session on the server.
func (s *Store) DeleteSession(ctx context.Context, digest string) error {
	if _, err := s.w.ExecContext(ctx, s.q(`DELETE FROM sessions WHERE id_digest = ?`), digest); err != nil {
		return fmt.Errorf("store: delete session: %w", err)
	}
	return nil
}

// DeleteSessionsBefore removes sessions idle since before idle or created
// before absolute.
func (s *Store) DeleteSessionsBefore(ctx context.Context, idle, absolute time.Time) error {
	_, err := s.w.ExecContext(ctx, s.q(`DELETE FROM sessions WHERE last_seen_at < ? OR created_at < ?`), fmtTime(idle), fmtTime(absolute))
	if err != nil {
		return fmt.Errorf("store: expire sessions: %w", err)
	}
	return nil
}

func isUniqueViolation(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "UNIQUE constraint failed") || strings.Contains(msg, "SQLSTATE 23505")
}

func isForeignKeyViolation(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "FOREIGN KEY constraint failed") || strings.Contains(msg, "SQLSTATE 23503")
}

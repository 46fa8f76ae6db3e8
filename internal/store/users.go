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
	rows, err := s.r.QueryContext(ctx, `SELECT `+userCols+` FROM users ORDER BY name, email`)
	if err != nil {
		return nil, fmt.Errorf("store: users: %w", err)
	}
	defer rows.Close()
	users := []studio.User{}
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("store: users: %w", err)
		}
		users = append(users, *u)
	}
	return users, rows.Err()
}

// SetUserDisabled enables or disables an account; disabling ends its sessions.
func (s *Store) SetUserDisabled(ctx context.Context, id string, disabled bool) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: disable user: %w", err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, s.q(`UPDATE users SET disabled = ? WHERE id = ?`), disabled, id)
	if err != nil {
		return fmt.Errorf("store: disable user: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("User")
	}
	if disabled {
		if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM sessions WHERE user_id = ?`), id); err != nil {
			return fmt.Errorf("store: disable user: %w", err)
		}
	}
	return tx.Commit()
}

// SetPassword replaces a user's password hash and ends their sessions.
func (s *Store) SetPassword(ctx context.Context, id, hash string) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: set password: %w", err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, s.q(`UPDATE users SET password_hash = ? WHERE id = ?`), hash, id)
	if err != nil {
		return fmt.Errorf("store: set password: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("User")
	}
	if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM sessions WHERE user_id = ?`), id); err != nil {
		return fmt.Errorf("store: set password: %w", err)
	}
	return tx.Commit()
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

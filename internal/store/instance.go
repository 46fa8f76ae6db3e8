package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// SecretCheck records check as the database's secret check unless one is
// recorded already, and returns the recorded one. Instances that start
// together all get the value of the first to commit.
func (s *Store) SecretCheck(ctx context.Context, check string) (string, error) {
	if _, err := s.w.ExecContext(ctx, s.q(`INSERT INTO instance_state (name, value) VALUES ('secret_check', ?)
		ON CONFLICT (name) DO NOTHING`), check); err != nil {
		return "", fmt.Errorf("store: secret check: %w", err)
	}
	var got string
	if err := s.w.QueryRowContext(ctx, `SELECT value FROM instance_state WHERE name = 'secret_check'`).Scan(&got); err != nil {
		return "", fmt.Errorf("store: secret check: %w", err)
	}
	return got, nil
}

// HasSecretCheck reports whether the database has recorded a secret check.
func (s *Store) HasSecretCheck(ctx context.Context) (bool, error) {
	var n int
	if err := s.w.QueryRowContext(ctx, `SELECT COUNT(*) FROM instance_state WHERE name = 'secret_check'`).Scan(&n); err != nil {
		return false, fmt.Errorf("store: secret check: %w", err)
	}
	return n > 0, nil
}

// OldestLinkDigest returns the id and token digest of the oldest client
// link, or ok false when there is none: a database that already has links
// but no secret check (made before the check existed) tells the secret
// they were made with through them.
func (s *Store) OldestLinkDigest(ctx context.Context) (id, digest string, ok bool, err error) {
	err = s.w.QueryRowContext(ctx, `SELECT id, token_digest FROM client_links ORDER BY created_at, id LIMIT 1`).Scan(&id, &digest)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", false, nil
	}
	if err != nil {
		return "", "", false, fmt.Errorf("store: secret check: %w", err)
	}
	return id, digest, true, nil
}

// ProbeWrite proves that the database takes writes now: it commits an
// update of one small row (a full disk or a read-only database fails it,
// where a ping or a rolled-back insert would not).
func (s *Store) ProbeWrite(ctx context.Context) error {
	_, err := s.w.ExecContext(ctx, s.q(`INSERT INTO instance_state (name, value) VALUES ('health_probe', ?)
		ON CONFLICT (name) DO UPDATE SET value = excluded.value`), fmtTime(s.now()))
	if err != nil {
		return fmt.Errorf("store: write probe: %w", err)
	}
	return nil
}

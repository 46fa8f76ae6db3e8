package store

import (
	"context"
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

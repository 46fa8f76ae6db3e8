package store

import (
	"context"
	"errors"
	"fmt"
	"os"
)

// ErrBackupPostgres is Backup's answer on PostgreSQL, which pg_dump backs up.
var ErrBackupPostgres = errors.New("store: backup: a PostgreSQL database is backed up with pg_dump (see docs/DEPLOY.md)")

// Backup writes a consistent copy of the SQLite database to path, a file
// that must not exist yet: it is created (mode 0600, as it holds password
// hashes and sessions) before anything is copied, so two backups never
// write one file and an existing file is never overwritten. VACUUM INTO
// reads one snapshot while the server goes on serving; writes wait for it
// only as long as the copy takes (the writer connection is busy meanwhile).
func (s *Store) Backup(ctx context.Context, path string) error {
	if s.dialect == postgres {
		return ErrBackupPostgres
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("store: backup: %s exists already: name a new file", path)
	}
	if err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	f.Close()
	if _, err := s.w.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		os.Remove(path)
		return fmt.Errorf("store: backup: %w", err)
	}
	// VACUUM INTO writes without syncing: make the copy durable before
	// anyone deletes the database it came from.
	f, err = os.Open(path)
	if err == nil {
		err = f.Sync()
		f.Close()
	}
	if err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	return nil
}

package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"atrium/internal/studio"
)

func TestExistingRenderings(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		p := seedProject(t, s, "Hillside")
		a := seedRendering(t, s, p.ID, "", "A")
		b := seedRendering(t, s, p.ID, "", "B")
		ids := []string{a.ID, "0123456789abcdef0123456789abcdef", b.ID, "x"}
		for range 600 { // more than one batch
			ids = append(ids, NewID())
		}
		got, err := s.ExistingRenderings(ctx, ids)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || !got[a.ID] || !got[b.ID] {
			t.Errorf("ExistingRenderings = %v, want %s and %s", got, a.ID, b.ID)
		}
		if got, err := s.ExistingRenderings(ctx, nil); err != nil || len(got) != 0 {
			t.Errorf("ExistingRenderings(nil) = %v, %v", got, err)
		}
	})
}

// A backup is a database that opens and holds the data; an existing file
// is never overwritten; PostgreSQL says to use pg_dump.
func TestBackup(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := NewTestSQLite(t)
	u := seedUser(t, s, "ana@studio.example", studio.RoleAdmin)
	p := seedProject(t, s, "Hillside")
	seedRendering(t, s, p.ID, "", "Kitchen")

	path := filepath.Join(t.TempDir(), "backup.db")
	if err := s.Backup(ctx, path); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("backup file: %v, %v; want mode 0600", fi, err)
	}
	b, err := Open(ctx, "sqlite:"+path, "")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	var check string
	if err := b.r.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Errorf("integrity_check of the backup = %q, %v", check, err)
	}
	if got, err := b.User(ctx, u.ID); err != nil || got.Email != u.Email {
		t.Errorf("the backup's user: %+v, %v", got, err)
	}
	if rs, err := b.renderings(ctx, p.ID, false); err != nil || len(rs) != 1 || rs[0].Title != "Kitchen" {
		t.Errorf("the backup's renderings: %+v, %v", rs, err)
	}

	before, _ := os.ReadFile(path)
	if err := s.Backup(ctx, path); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Errorf("a backup over an existing file = %v, want a refusal", err)
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Error("a refused backup changed the existing file")
	}
	if err := s.Backup(ctx, filepath.Join(t.TempDir(), "no-such-folder", "b.db")); err == nil {
		t.Error("a backup into a missing folder succeeded")
	}

	pg := NewTestPostgres(t)
	if err := pg.Backup(ctx, filepath.Join(t.TempDir(), "pg.db")); !errors.Is(err, ErrBackupPostgres) {
		t.Errorf("Backup on PostgreSQL = %v, want ErrBackupPostgres", err)
	}
}

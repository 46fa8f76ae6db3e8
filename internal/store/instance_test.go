package store

import (
	"context"
	"fmt"
	"sync"
	"testing"
)

// Instances that start together with different secrets on one database
// all read back the same recorded check: the first to commit wins and no
// instance records its own beside it.
func TestSecretCheckFirstWins(t *testing.T) {
	t.Parallel()
	for _, db := range []string{"sqlite", "postgres"} {
		t.Run(db, func(t *testing.T) {
			ctx := context.Background()
			url, dir := "", t.TempDir()
			if db == "postgres" {
				url = testPostgresSchema(t)
			}
			const n = 6
			stores := make([]*Store, n)
			for i := range stores {
				s, err := Open(ctx, url, dir)
				if err != nil {
					t.Fatal(err)
				}
				defer s.Close()
				if err := s.Migrate(ctx); err != nil {
					t.Fatal(err)
				}
				stores[i] = s
			}
			got := make([]string, n)
			errs := make([]error, n)
			var wg sync.WaitGroup
			for i, s := range stores {
				wg.Go(func() { got[i], errs[i] = s.SecretCheck(ctx, fmt.Sprintf("check-%d", i)) })
			}
			wg.Wait()
			for i := range n {
				if errs[i] != nil {
					t.Fatalf("instance %d: %v", i, errs[i])
				}
				if got[i] != got[0] {
					t.Errorf("instance %d read %q, instance 0 %q: want one recorded value", i, got[i], got[0])
				}
			}
			// Later starts keep it.
			if again, err := stores[0].SecretCheck(ctx, "another"); err != nil || again != got[0] {
				t.Errorf("a later start read %q (%v), want %q", again, err, got[0])
			}
			var rows int
			stores[0].r.QueryRowContext(ctx, `SELECT COUNT(*) FROM instance_state WHERE name = 'secret_check'`).Scan(&rows)
			if rows != 1 {
				t.Errorf("%d secret_check rows, want 1", rows)
			}
		})
	}
}

// ProbeWrite commits: the probe row changes with each call.
func TestProbeWrite(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		read := func() string {
			var v string
			if err := s.r.QueryRowContext(ctx, `SELECT value FROM instance_state WHERE name = 'health_probe'`).Scan(&v); err != nil {
				t.Fatal(err)
			}
			return v
		}
		before := read()
		if err := s.ProbeWrite(ctx); err != nil {
			t.Fatal(err)
		}
		if after := read(); after == before || after == "" {
			t.Errorf("probe row %q -> %q, want a new committed value", before, after)
		}
	})
}

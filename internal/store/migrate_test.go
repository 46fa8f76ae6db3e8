package store

import (
	"context"
	"sync"
	"testing"
)

// TestMigrateConcurrently starts several instances on one fresh PostgreSQL
// schema at once, as a load balancer's instances do: each migration is
// applied once and none of them fails.
func TestMigrateConcurrently(t *testing.T) {
	t.Parallel()
	url := testPostgresSchema(t)
	ctx := context.Background()
	const n = 4
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		s, err := Open(ctx, url, "")
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		wg.Go(func() { errs[i] = s.Migrate(ctx) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("instance %d: %v", i, err)
		}
	}
	s, err := Open(ctx, url, "")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var rows, versions int
	if err := s.r.QueryRowContext(ctx, `SELECT COUNT(*), COUNT(DISTINCT version) FROM schema_migrations`).Scan(&rows, &versions); err != nil {
		t.Fatal(err)
	}
	if rows != versions || rows == 0 {
		t.Errorf("schema_migrations has %d rows for %d versions, want one each", rows, versions)
	}
}

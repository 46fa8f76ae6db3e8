package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"
)

// pgURL is the PostgreSQL server the contract suite also runs against.
func pgURL() string {
	if u := os.Getenv("ATRIUM_TEST_POSTGRES"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
}

// eachStore runs fn against a fresh SQLite store and a fresh PostgreSQL
// store (its own schema). Under CI=true a missing PostgreSQL fails the run.
func eachStore(t *testing.T, fn func(t *testing.T, s *Store)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, NewTestSQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, NewTestPostgres(t)) })
}

// NewTestSQLite opens a migrated SQLite store in a temp folder.
func NewTestSQLite(t testing.TB) *Store {
	t.Helper()
	ctx := context.Background()
	s, err := Open(ctx, "", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return s
}

// NewTestPostgres opens a migrated PostgreSQL store in a schema of its own,
// dropped at the end of the test.
func NewTestPostgres(t testing.TB) *Store {
	t.Helper()
	ctx := context.Background()
	admin, err := sql.Open("pgx", pgURL())
	if err == nil {
		err = admin.PingContext(ctx)
	}
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("PostgreSQL is required under CI: %v", err)
		}
		t.Skipf("PostgreSQL not reachable: %v", err)
	}
	schema := "t_" + strings.ToLower(NewID()[:16])
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
		admin.Close()
	})
	sep := "?"
	if strings.Contains(pgURL(), "?") {
		sep = "&"
	}
	s, err := Open(ctx, fmt.Sprintf("%s%ssearch_path=%s", pgURL(), sep, schema), "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return s
}

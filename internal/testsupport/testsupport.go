// Package testsupport holds what the tests of several packages share: the
// rule that a missing tool skips locally but fails under CI, and a fresh
// PostgreSQL schema per test. Only tests import it.
package testsupport

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
)

// DefaultPostgresURL is the test server of README: 127.0.0.1:5432, user
// postgres, trust auth, database test. ATRIUM_TEST_POSTGRES overrides it.
const DefaultPostgresURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// CI reports whether the tests run under CI=true, where nothing may skip.
func CI() bool { return os.Getenv("CI") == "true" }

// Missing skips the test for a missing tool or server, except under CI,
// where it fails it: CI installs everything the tests need.
func Missing(t testing.TB, format string, args ...any) {
	t.Helper()
	if CI() {
		t.Fatalf("required under CI=true: "+format, args...)
	}
	t.Skipf(format, args...)
}

// PostgresURL is the URL of the test PostgreSQL server.
func PostgresURL() string {
	if u := os.Getenv("ATRIUM_TEST_POSTGRES"); u != "" {
		return u
	}
	return DefaultPostgresURL
}

// PostgresSchema makes an empty schema, dropped when the test ends, and
// returns a database URL whose search_path is that schema. Without a
// reachable server the test is skipped (failed under CI).
func PostgresSchema(t testing.TB) string {
	t.Helper()
	ctx := context.Background()
	base := PostgresURL()
	admin, err := sql.Open("pgx", base)
	if err == nil {
		err = admin.PingContext(ctx)
	}
	if err != nil {
		if admin != nil {
			admin.Close()
		}
		Missing(t, "PostgreSQL not reachable: %v", err)
	}
	var b [8]byte
	rand.Read(b[:])
	schema := "t_" + hex.EncodeToString(b[:])
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
		admin.Close()
	})
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return base + sep + "search_path=" + schema
}

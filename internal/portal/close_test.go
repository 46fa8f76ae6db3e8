package portal

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"atrium/internal/files"
	"atrium/internal/live"
	"atrium/internal/store"
	"atrium/internal/studio"
	"atrium/internal/testsupport"
)

// TestCloseHonoursContext: while the database holds up the commit of a
// queued access row, Close returns the context's error when it ends; the
// row is still committed once the database lets go.
func TestCloseHonoursContext(t *testing.T) {
	t.Parallel()
	for _, db := range []string{"sqlite", "postgres"} {
		t.Run(db, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			dir := t.TempDir()
			dbURL, driver, lockURL, lock := "", "sqlite3", "file:"+filepath.Join(dir, "atrium.db")+"?_pragma=busy_timeout(10000)", "BEGIN IMMEDIATE"
			if db == "postgres" {
				dbURL = testsupport.PostgresSchema(t)
				driver, lockURL, lock = "pgx", dbURL, "BEGIN; LOCK TABLE client_access_log IN EXCLUSIVE MODE"
			}
			st, err := store.Open(ctx, dbURL, dir)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			if err := st.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			fs, err := files.NewLocal(filepath.Join(dir, "files"))
			if err != nil {
				t.Fatal(err)
			}
			p := &studio.Project{Name: "Hillside", ClientName: "Jane"}
			if err := st.CreateProject(ctx, p); err != nil {
				t.Fatal(err)
			}
			l, _, err := st.IssueLink(ctx, studio.LinkInput{ProjectID: p.ID}, []byte("close test secret"), time.Now())
			if err != nil {
				t.Fatal(err)
			}
			s, err := New(Config{}, st, fs, live.NewMemory(), nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
			if err != nil {
				t.Fatal(err)
			}

			// Another connection takes the write lock.
			other, err := sql.Open(driver, lockURL)
			if err != nil {
				t.Fatal(err)
			}
			defer other.Close()
			conn, err := other.Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			if _, err := conn.ExecContext(ctx, lock); err != nil {
				t.Fatal(err)
			}
			// A row is queued (Log returns at once: its context has ended).
			gone, cancel := context.WithCancel(ctx)
			cancel()
			ev := studio.AccessEvent{LinkID: l.ID, ProjectID: p.ID, Action: studio.ActionView, IP: "192.0.2.1", At: time.Now().UTC()}
			if err := s.access.Log(gone, ev); !errors.Is(err, context.Canceled) {
				t.Fatalf("Log with an ended context: %v", err)
			}

			short, stop := context.WithTimeout(ctx, 50*time.Millisecond)
			defer stop()
			if err := s.Close(short); !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("Close while the commit is held up = %v, want the context's error", err)
			}
			if _, err := conn.ExecContext(ctx, "ROLLBACK"); err != nil {
				t.Fatal(err)
			}
			if err := s.Close(ctx); err != nil {
				t.Fatalf("Close once the database lets go: %v", err)
			}
			logs, err := st.AccessEvents(ctx, l.ID, 0, 10)
			if err != nil {
				t.Fatal(err)
			}
			if len(logs) != 1 {
				t.Errorf("%d access rows after Close, want the queued one", len(logs))
			}
		})
	}
}

// Package store keeps Atrium's data in SQLite (embedded, the default) or
// PostgreSQL behind one Store. Queries are written once in portable SQL with
// '?' placeholders; only the migrations have a folder per dialect.
package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"atrium/internal/studio"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	_ "github.com/ncruces/go-sqlite3/driver"
)

//go:embed migrations
var migrations embed.FS

type dialect int

const (
	sqlite dialect = iota
	postgres
)

// Store is the database. It is safe for concurrent use.
type Store struct {
	w       *sql.DB // writes (SQLite: the one writer connection)
	r       *sql.DB // reads (SQLite: a read-only pool; PostgreSQL: same as w)
	dialect dialect
	now     func() time.Time

	clientLink lazyStmt  // LinkForClient's query, prepared once (links.go)
	links      LinkCache // LinkForClient's answers, on PostgreSQL (linkcache.go)

	anonIPs atomic.Bool // ATRIUM_ANONYMIZE_IPS (accessstats.go)
}

// Open connects to dbURL: "" or "sqlite:PATH" for SQLite (default: atrium.db
// in dataDir), "postgres://..." for PostgreSQL. It does not migrate.
func Open(ctx context.Context, dbURL, dataDir string) (*Store, error) {
	s := &Store{now: func() time.Time { return micro(time.Now()) }}
	switch {
	case strings.HasPrefix(dbURL, "postgres://"), strings.HasPrefix(dbURL, "postgresql://"):
		db, err := sql.Open("pgx", dbURL)
		if err != nil {
			return nil, fmt.Errorf("store: open postgres: %w", err)
		}
		db.SetMaxOpenConns(16)
		db.SetMaxIdleConns(16)
		db.SetConnMaxIdleTime(5 * time.Minute)
		s.w, s.r, s.dialect = db, db, postgres
	case dbURL == "" || strings.HasPrefix(dbURL, "sqlite:") || strings.HasPrefix(dbURL, "file:"):
		path := strings.TrimPrefix(strings.TrimPrefix(dbURL, "sqlite:"), "file:")
		if path == "" {
			if err := os.MkdirAll(dataDir, 0o700); err != nil {
				return nil, fmt.Errorf("store: data folder: %w", err)
			}
			path = filepath.Join(dataDir, "atrium.db")
		}
		if err := s.openSQLite(path); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("store: unsupported database URL scheme (want postgres:// or sqlite:)")
	}
	if err := s.Ping(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// openSQLite opens one writer connection and a read-only pool on the same
// file. WAL lets readers run beside the writer; synchronous=FULL makes every
// commit durable (group commit keeps that affordable).
func (s *Store) openSQLite(path string) error {
	base := "file:" + (&url.URL{Path: path}).EscapedPath() +
		"?_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=journal_mode(wal)&_pragma=synchronous(full)"
	w, err := sql.Open("sqlite3", base+"&_txlock=immediate")
	if err != nil {
		return fmt.Errorf("store: open sqlite: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	// Create the file and switch to WAL before readers open it read-only.
	if _, err := w.Exec("PRAGMA user_version"); err != nil {
		w.Close()
		return fmt.Errorf("store: open sqlite %s: %w", path, err)
	}
	r, err := sql.Open("sqlite3", base+"&_pragma=query_only(1)&_txlock=deferred")
	if err != nil {
		w.Close()
		return fmt.Errorf("store: open sqlite readers: %w", err)
	}
	r.SetMaxOpenConns(8)
	r.SetMaxIdleConns(8)
	r.SetConnMaxLifetime(0)
	s.w, s.r, s.dialect = w, r, sqlite
	return nil
}

// Close closes the database.
func (s *Store) Close() error {
	err := s.w.Close()
	if s.r != s.w {
		err = errors.Join(err, s.r.Close())
	}
	return err
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	if err := s.r.PingContext(ctx); err != nil {
		return fmt.Errorf("store: ping: %w", err)
	}
	// SQLite's writer is a connection of its own: one that cannot be had
	// within the timeout (stuck behind a lock, say) is unhealthy too.
	if s.w != s.r {
		if err := s.w.PingContext(ctx); err != nil {
			return fmt.Errorf("store: ping writer: %w", err)
		}
	}
	return nil
}

// Dialect names the database: "sqlite" or "postgres".
func (s *Store) Dialect() string {
	if s.dialect == postgres {
		return "postgres"
	}
	return "sqlite"
}

// SetClock sets the clock that stamps stored times (created, updated,
// deactivated, last seen); nil means time.Now. Give the store the server's
// clock. Call it before the store is shared.
func (s *Store) SetClock(clock studio.Clock) { s.now = func() time.Time { return micro(clock.Now()) } }

// micro is t in UTC at the precision the database keeps, so that a time
// returned by a create or an update equals the one read back later.
func micro(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// Migrate applies the embedded migrations not yet recorded, each in its own
// transaction.
func (s *Store) Migrate(ctx context.Context) error {
	if err := s.inMigrationTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`)
		return err
	}); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	dir := "migrations/" + s.Dialect()
	entries, err := fs.ReadDir(migrations, dir)
	if err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	for _, e := range entries {
		name := e.Name()
		num, _, ok := strings.Cut(name, "_")
		version, err := strconv.Atoi(num)
		if !ok || err != nil || !strings.HasSuffix(name, ".sql") {
			return fmt.Errorf("store: migrate: bad migration name %q", name)
		}
		body, err := migrations.ReadFile(dir + "/" + name)
		if err != nil {
			return fmt.Errorf("store: migrate: %w", err)
		}
		if err := s.applyMigration(ctx, version, string(body)); err != nil {
			return fmt.Errorf("store: migrate %s: %w", name, err)
		}
	}
	// What SQL cannot compute alike on both databases is filled in here.
	return s.fillSearchKeys(ctx)
}

func (s *Store) applyMigration(ctx context.Context, version int, body string) error {
	return s.inMigrationTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM schema_migrations WHERE version = ?`), version).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
		if _, err := tx.ExecContext(ctx, body); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, s.q(`INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`),
			version, fmtTime(s.now()))
		return err
	})
}

// inMigrationTx runs fn in a transaction that, on PostgreSQL, first takes an
// advisory lock for this schema: instances started together then apply each
// migration once, one after the other, instead of failing on "already
// exists". SQLite's single writer connection serializes them already.
func (s *Store) inMigrationTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if s.dialect == postgres {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtext('atrium_migrate:' || current_schema()))`); err != nil {
			return err
		}
	}
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// q rewrites '?' placeholders to PostgreSQL's $n. Queries hold no literal '?'.
func (s *Store) q(query string) string {
	if s.dialect != postgres {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 8)
	n := 0
	for i := 0; i < len(query); i++ {
		if query[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(query[i])
	}
	return b.String()
}

// NewID returns a fresh opaque id: 16 random bytes in hex.
func NewID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("store: crypto/rand failed: " + err.Error())
	}
	return hex.EncodeToString(b[:])
}

const timeLayout = "2006-01-02T15:04:05.000000Z"

func fmtTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func fmtTimePtr(t *time.Time) any {
	if t == nil {
		return nil
	}
	return fmtTime(*t)
}

func parseTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}

func parseTimePtr(ns sql.NullString) *time.Time {
	if !ns.Valid || ns.String == "" {
		return nil
	}
	t := parseTime(ns.String)
	return &t
}

// nullStr stores "" as NULL, for optional references.
func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullInt(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}

func intPtr(n sql.NullInt64) *int64 {
	if !n.Valid {
		return nil
	}
	v := n.Int64
	return &v
}

// notFound is the error for an unknown id of the named thing ("Project").
func notFound(what string) error {
	return fmt.Errorf("store: find %s: %w", strings.ToLower(what),
		studio.Errorf(studio.ECodeNotFound, "%s not found.", what))
}

// rowScanner is what the scan functions read from: *sql.Row or *sql.Rows.
type rowScanner = interface{ Scan(...any) error }

// queryList runs query on the read pool and scans every row with scan:
// the loop the store's list calls share. what names the call in errors.
func queryList[T any](ctx context.Context, s *Store, what, query string, scan func(rowScanner) (*T, error), args ...any) ([]T, error) {
	rows, err := s.r.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	defer rows.Close()
	list := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("store: %s: %w", what, err)
		}
		list = append(list, *v)
	}
	return list, rows.Err()
}

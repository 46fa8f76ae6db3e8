package store

import (
	"context"
	"errors"
	"strings"
	"testing"

	"atrium/internal/studio"
	"atrium/internal/testsupport"

	_ "github.com/jackc/pgx/v5/stdlib"
)

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
	s, err := Open(ctx, testPostgresSchema(t), "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return s
}

// testPostgresSchema makes an empty schema, dropped at the end of the test,
// and returns the database URL that uses it.
func testPostgresSchema(t testing.TB) string {
	t.Helper()
	return testsupport.PostgresSchema(t)
}

// Seeding helpers shared by the contract tests and the benchmarks.

func seedUser(t testing.TB, s *Store, email string, role studio.Role) *studio.User {
	t.Helper()
	u := &studio.User{Email: email, Name: strings.Split(email, "@")[0], Role: role, PasswordHash: "x"}
	if err := s.CreateUser(context.Background(), u); err != nil {
		t.Fatalf("create user %s: %v", email, err)
	}
	return u
}

func seedProject(t testing.TB, s *Store, name string) *studio.Project {
	t.Helper()
	p := &studio.Project{Name: name, ClientName: "Client of " + name}
	if err := s.CreateProject(context.Background(), p); err != nil {
		t.Fatalf("create project %s: %v", name, err)
	}
	return p
}

func seedRoom(t testing.TB, s *Store, projectID, name string) *studio.Room {
	t.Helper()
	r, err := s.CreateRoom(context.Background(), projectID, name)
	if err != nil {
		t.Fatalf("create room %s: %v", name, err)
	}
	return r
}

// fakeRendering is a rendering row whose file keys point at nothing: the
// store never reads the files.
func fakeRendering(projectID, roomID, title string) *studio.Rendering {
	id := NewID()
	return &studio.Rendering{ID: id, ProjectID: projectID, RoomID: roomID, Title: title,
		Status: studio.RenderingDraft, FileKey: "renderings/" + id + "/original.jpg", ContentType: "image/jpeg",
		Bytes: 1234, Width: 6000, Height: 4000, SHA256: strings.Repeat("ab", 32),
		ThumbKey: "renderings/" + id + "/thumb.jpg", PreviewKey: "renderings/" + id + "/preview.jpg"}
}

func seedRendering(t testing.TB, s *Store, projectID, roomID, title string) *studio.Rendering {
	t.Helper()
	r := fakeRendering(projectID, roomID, title)
	if err := s.CreateRendering(context.Background(), r); err != nil {
		t.Fatalf("create rendering %s: %v", title, err)
	}
	return r
}

// wantCode fails unless err is a domain error with the code (and, when
// field is not empty, the field).
func wantCode(t *testing.T, what string, err error, code, field string) {
	t.Helper()
	var se *studio.Error
	if !errors.As(err, &se) {
		t.Errorf("%s: err = %v, want %s", what, err, code)
		return
	}
	if se.Code != code || (field != "" && se.Field != field) {
		t.Errorf("%s: err = %s (field %q), want %s (field %q)", what, se.Code, se.Field, code, field)
	}
}

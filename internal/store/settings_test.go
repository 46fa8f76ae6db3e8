package store

import (
	"context"
	"strings"
	"testing"
)

func TestSettings(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		st, err := s.Settings(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if st.Name != "Atrium Studio" || st.AccentColor != "#7a5c3e" || st.HasLogo || st.LogoKey != "" {
			t.Errorf("default settings = %+v", st)
		}
		if st.UpdatedAt.IsZero() {
			t.Error("default settings have no updatedAt")
		}

		st.Name, st.AccentColor, st.ContactEmail, st.ContactPhone = "Oak & Ash", "#112233", "hello@oak.test", "+44 20 1234"
		st.LogoKey = "studio/logo-1/thumb.jpg"
		if err := s.UpdateSettings(ctx, st); err != nil {
			t.Fatal(err)
		}
		got, err := s.Settings(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := *st
		want.UpdatedAt = got.UpdatedAt
		if *got != want || !got.HasLogo {
			t.Errorf("after update: %+v\nwant %+v", *got, want)
		}

		got.LogoKey = ""
		if err := s.UpdateSettings(ctx, got); err != nil {
			t.Fatal(err)
		}
		if again, _ := s.Settings(ctx); again.HasLogo || again.LogoKey != "" {
			t.Errorf("logo not removed: %+v", again)
		}
	})
}

// Migrate runs at every start: a second run must change nothing and fail
// on nothing.
func TestMigrateTwice(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		p := seedProject(t, s, "Survives")
		for i := range 2 {
			if err := s.Migrate(ctx); err != nil {
				t.Fatalf("Migrate again (%d): %v", i+1, err)
			}
		}
		var n int
		if err := s.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		entries, err := migrations.ReadDir("migrations/" + s.Dialect())
		if err != nil {
			t.Fatal(err)
		}
		if n != len(entries) {
			t.Errorf("schema_migrations has %d rows, want %d (one per file)", n, len(entries))
		}
		if _, err := s.Project(ctx, p.ID); err != nil {
			t.Errorf("data lost by a second Migrate: %v", err)
		}
		if st, err := s.Settings(ctx); err != nil || st.Name != "Atrium Studio" {
			t.Errorf("settings after Migrate twice = %+v, %v", st, err)
		}
		if err := s.Ping(ctx); err != nil {
			t.Error(err)
		}
	})
}

// A database URL of an unknown kind is refused with a clear error.
func TestOpenRefusesUnknownScheme(t *testing.T) {
	t.Parallel()
	_, err := Open(context.Background(), "mysql://localhost/x", t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "unsupported database URL") {
		t.Errorf("Open(mysql://...) err = %v, want unsupported database URL", err)
	}
}

package main

import (
	"context"
	"errors"
	"flag"
	"os"
	"strings"
	"testing"

	"atrium/internal/auth"
	"atrium/internal/store"
	"atrium/internal/testsupport"
)

// eachDatabase runs fn with ATRIUM_DATABASE_URL set to a fresh SQLite
// database and to a fresh PostgreSQL schema (skipped without a server,
// except under CI=true).
func eachDatabase(t *testing.T, fn func(t *testing.T)) {
	t.Run("sqlite", func(t *testing.T) {
		t.Setenv("ATRIUM_DATA", t.TempDir())
		t.Setenv("ATRIUM_DATABASE_URL", "")
		fn(t)
	})
	t.Run("postgres", func(t *testing.T) {
		url := testsupport.PostgresSchema(t)
		t.Setenv("ATRIUM_DATA", t.TempDir())
		t.Setenv("ATRIUM_DATABASE_URL", url)
		fn(t)
	})
}

func openTestStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), os.Getenv("ATRIUM_DATABASE_URL"), os.Getenv("ATRIUM_DATA"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestUserLifecycleCommands(t *testing.T) {
	eachDatabase(t, func(t *testing.T) {
		ctx := context.Background()
		if _, errOut, err := runCLI(t, "", "user", "--help"); err != nil ||
			!strings.Contains(errOut, "user list") || !strings.Contains(errOut, "user set-password EMAIL") {
			t.Errorf("user --help: %v\n%s", err, errOut)
		}
		for _, cmd := range []string{"list", "disable", "enable", "set-password"} {
			_, errOut, err := runCLI(t, "", "user", cmd, "--help")
			if !errors.Is(err, flag.ErrHelp) || !strings.Contains(errOut, "Usage: atrium user "+cmd) || !strings.Contains(errOut, "ATRIUM_DATA") {
				t.Errorf("user %s --help: %v\n%s", cmd, err, errOut)
			}
		}
		if _, _, err := runCLI(t, "a long enough password\n", "user", "create", "--email", "ana@studio.example", "--name", "Ana", "--role", "admin"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := runCLI(t, "a long enough password\n", "user", "create", "--email", "bea@studio.example", "--name", "Bea"); err != nil {
			t.Fatal(err)
		}
		st := openTestStore(t)
		bea, err := st.UserByEmail(ctx, "bea@studio.example")
		if err != nil {
			t.Fatal(err)
		}
		if err := st.CreateSession(ctx, "bea-session", bea.ID); err != nil {
			t.Fatal(err)
		}

		out, _, err := runCLI(t, "", "user", "list")
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"EMAIL", "ana@studio.example", "admin", "bea@studio.example", "designer", "active", bea.ID} {
			if !strings.Contains(out, want) {
				t.Errorf("user list lacks %q:\n%s", want, out)
			}
		}

		out, _, err = runCLI(t, "", "user", "disable", "BEA@studio.example")
		if err != nil || !strings.Contains(out, "disabled") {
			t.Fatalf("disable: %v %q", err, out)
		}
		if u, _ := st.User(ctx, bea.ID); !u.Disabled {
			t.Error("not disabled")
		}
		if _, err := st.SessionByDigest(ctx, "bea-session"); err == nil {
			t.Error("a disabled account kept its session")
		}
		if out, _, _ := runCLI(t, "", "user", "list"); !strings.Contains(out, "disabled") {
			t.Errorf("user list does not show the disabled account:\n%s", out)
		}
		if _, _, err := runCLI(t, "", "user", "enable", bea.ID); err != nil {
			t.Fatalf("enable by id: %v", err)
		}
		if u, _ := st.User(ctx, bea.ID); u.Disabled {
			t.Error("still disabled")
		}

		tests := []struct {
			stdin string
			args  []string
			want  string
		}{
			{"", []string{"disable", "ana@studio.example"}, "last active admin"},
			{"", []string{"disable"}, "exactly one account"},
			{"", []string{"disable", "a@b.example", "c@d.example"}, "exactly one account"},
			{"", []string{"enable", "nobody@studio.example"}, "not found"},
			{"qwertyuiopasdf\n", []string{"set-password", "bea@studio.example"}, "simple sequence"},
			{"Password1234\n", []string{"set-password", "bea@studio.example"}, "common passwords"},
			{"short\n", []string{"set-password", "bea@studio.example"}, "at least 12"},
			{"a long enough\x00password\n", []string{"set-password", "bea@studio.example"}, "UTF-8 text without NUL"},
			{"a long enough \xff\xfe password\n", []string{"set-password", "bea@studio.example"}, "UTF-8 text without NUL"},
			{"a long enough\x00password\n", []string{"create", "--email", "cy@studio.example", "--name", "Cy"}, "UTF-8 text without NUL"},
			{"", []string{"set-password", "bea@studio.example"}, "no password"},
			{"a long enough password\n", []string{"set-password", "nobody@studio.example"}, "not found"},
			{"", []string{"frobnicate"}, "unknown user command"},
		}
		for _, tt := range tests {
			_, _, err := runCLI(t, tt.stdin, append([]string{"user"}, tt.args...)...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("user %v: err = %v, want it to mention %q", tt.args, err, tt.want)
			}
		}
		if u, _ := st.User(ctx, bea.ID); !auth.CheckPassword(u.PasswordHash, "a long enough password") {
			t.Error("a refused password was set")
		}
		if _, err := st.UserByEmail(ctx, "cy@studio.example"); err == nil {
			t.Error("an account was created with a refused password")
		}

		if err := st.CreateSession(ctx, "bea-session-2", bea.ID); err != nil {
			t.Fatal(err)
		}
		out, _, err = runCLI(t, "  the blue armchair by the fire  \n", "user", "set-password", "bea@studio.example")
		if err != nil || !strings.Contains(out, "bea@studio.example") {
			t.Fatalf("set-password: %v %q", err, out)
		}
		if u, _ := st.User(ctx, bea.ID); !auth.CheckPassword(u.PasswordHash, "  the blue armchair by the fire  ") {
			t.Error("the new password (spaces and all) does not check")
		}
		if _, err := st.SessionByDigest(ctx, "bea-session-2"); err == nil {
			t.Error("a session outlived set-password")
		}
	})
}

// user create applies the rules of the API and the admin form: a bad
// email, name or role is refused with the flag's name, every one at once,
// and no account is made.
func TestUserCreateAppliesTheStudioRules(t *testing.T) {
	eachDatabase(t, func(t *testing.T) {
		if _, _, err := runCLI(t, "", "migrate"); err != nil {
			t.Fatal(err)
		}
		_, _, err := runCLI(t, "a long enough password\n", "user", "create", "--email", "not an email", "--name", "Ann")
		if err == nil || err.Error() != "--email must be an email address." {
			t.Errorf("bad email: err = %v, want %q", err, "--email must be an email address.")
		}
		_, _, err = runCLI(t, "short\n", "user", "create", "--email", "ann@studio", "--name", "Ann", "--role", "boss")
		want := []string{"--email must be an email address.", "--role must be admin or designer.", "at least 12 characters"}
		for _, w := range want {
			if err == nil || !strings.Contains(err.Error(), w) {
				t.Errorf("three bad fields: err = %v, want it to say %q", err, w)
			}
		}
		if err != nil && !strings.HasPrefix(err.Error(), want[0]) {
			t.Errorf("three bad fields: err = %q, want the email first", err)
		}
		if users, err := openTestStore(t).Users(context.Background()); err != nil || len(users) != 0 {
			t.Errorf("after refused creates: %d accounts (%v), want none", len(users), err)
		}
	})
}

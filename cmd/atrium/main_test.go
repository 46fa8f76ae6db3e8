package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"atrium/internal/store"
)

func runCLI(t *testing.T, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	err = run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), err
}

func TestHelpListsCommandsAndSettings(t *testing.T) {
	out, _, err := runCLI(t, "", "--help")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"serve", "demo", "migrate", "user create", "link create", "storage sweep", "backup FILE", "ATRIUM_DATABASE_URL", "ATRIUM_SECRET", "ATRIUM_TRUSTED_PROXIES", "s3://BUCKET"} {
		if !strings.Contains(out, want) {
			t.Errorf("atrium --help lacks %q", want)
		}
	}
	for _, cmd := range [][]string{{"serve", "--help"}, {"demo", "--help"}, {"migrate", "--help"}, {"user", "create", "--help"}, {"storage", "sweep", "--help"}, {"backup", "--help"}} {
		_, errOut, err := runCLI(t, "", cmd...)
		if !errors.Is(err, flag.ErrHelp) {
			t.Errorf("%v: err = %v, want flag.ErrHelp", cmd, err)
		}
		if !strings.Contains(errOut, "ATRIUM_DATA") || !strings.Contains(errOut, "-data") {
			t.Errorf("%v --help does not explain flags and settings:\n%s", cmd, errOut)
		}
	}
	if _, _, err := runCLI(t, "", "frobnicate"); err == nil {
		t.Error("unknown command accepted")
	}
}

func TestUserCreateReadsPasswordFromStdin(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("ATRIUM_DATA", dir)
	t.Setenv("ATRIUM_DATABASE_URL", "")
	out, _, err := runCLI(t, "a long enough password\n", "user", "create", "--email", "Ana@Studio.example", "--name", "Ana", "--role", "admin")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "ana@studio.example") {
		t.Errorf("output %q does not name the account", out)
	}
	st, err := store.Open(context.Background(), "", dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	u, err := st.UserByEmail(context.Background(), "ana@studio.example")
	if err != nil {
		t.Fatal(err)
	}
	if u.Role != "admin" || !strings.HasPrefix(u.PasswordHash, "$argon2id$") {
		t.Errorf("user = %+v", u)
	}

	tests := []struct {
		name  string
		stdin string
		args  []string
		want  string
	}{
		{"short password", "short\n", []string{"--email", "b@x.example", "--name", "B"}, "at least 12"},
		{"no password", "", []string{"--email", "b@x.example", "--name", "B"}, "no password"},
		{"bad role", "a long enough password\n", []string{"--email", "b@x.example", "--name", "B", "--role", "boss"}, "admin or designer"},
		{"missing email", "a long enough password\n", []string{"--name", "B"}, "required"},
		{"name not UTF-8", "a long enough password\n", []string{"--email", "b@x.example", "--name", "B\xff"}, "name must be UTF-8 text"},
		{"duplicate", "a long enough password\n", []string{"--email", "ana@studio.example", "--name", "A"}, "already exists"},
	}
	for _, tt := range tests {
		_, _, err := runCLI(t, tt.stdin, append([]string{"user", "create"}, tt.args...)...)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want it to mention %q", tt.name, err, tt.want)
		}
	}
}

func TestSecretIsGeneratedOnceWithMode0600(t *testing.T) {
	dir := t.TempDir()
	c := &config{DataDir: dir}
	a, err := c.loadSecret()
	if err != nil {
		t.Fatal(err)
	}
	b, err := c.loadSecret()
	if err != nil {
		t.Fatal(err)
	}
	if string(a) != string(b) || len(a) < 32 {
		t.Errorf("secret changed between loads or is short: %q %q", a, b)
	}
	fi, err := os.Stat(filepath.Join(dir, "secret"))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("secret mode = %v, want 0600", fi.Mode().Perm())
	}
	c = &config{DataDir: dir, Secret: "too short"}
	if _, err := c.loadSecret(); err == nil {
		t.Error("short ATRIUM_SECRET accepted")
	}
}

func TestMigrateIsRepeatable(t *testing.T) {
	t.Setenv("ATRIUM_DATA", t.TempDir())
	t.Setenv("ATRIUM_DATABASE_URL", "")
	for range 2 {
		if out, _, err := runCLI(t, "", "migrate"); err != nil || !strings.Contains(out, "migrations applied") {
			t.Fatalf("migrate: %v %q", err, out)
		}
	}
}

// A limit of 0 or less is refused with the setting's name, not replaced by
// the default behind the operator's back.
func TestLimitOfZeroIsAnError(t *testing.T) {
	for _, name := range []string{"ATRIUM_MAX_UPLOAD_MB", "ATRIUM_DECODE_MEMORY_MB", "ATRIUM_MAX_CONNS_PER_IP", "ATRIUM_MAX_STREAMS_PER_IP", "ATRIUM_MAX_STREAMS"} {
		t.Run(name, func(t *testing.T) {
			t.Setenv("ATRIUM_DATA", t.TempDir())
			t.Setenv("ATRIUM_DATABASE_URL", "")
			t.Setenv(name, "0")
			_, _, err := runCLI(t, "", "serve", "--addr", "127.0.0.1:0")
			if err == nil || !strings.Contains(err.Error(), name) {
				t.Errorf("serve with %s=0: %v, want an error naming it", name, err)
			}
		})
	}
}

func TestBadNumberInEnvironmentIsAnError(t *testing.T) {
	t.Setenv("ATRIUM_DATA", t.TempDir())
	t.Setenv("ATRIUM_DATABASE_URL", "")
	t.Setenv("ATRIUM_MAX_UPLOAD_MB", "200MB")
	_, _, err := runCLI(t, "", "serve", "--addr", "127.0.0.1:0")
	if err == nil || !strings.Contains(err.Error(), "ATRIUM_MAX_UPLOAD_MB") {
		t.Errorf("serve with ATRIUM_MAX_UPLOAD_MB=200MB: %v, want an error naming the variable", err)
	}
}

// ATRIUM_SHUTDOWN_TIMEOUT takes a Go duration or whole seconds; anything
// else, or a value out of range, stops serve with the setting's name.
func TestShutdownTimeoutSetting(t *testing.T) {
	for _, tt := range []struct {
		value string
		want  time.Duration // 0: refused
	}{
		{"", 30 * time.Second},
		{"45s", 45 * time.Second},
		{"90", 90 * time.Second},
		{"2m", 2 * time.Minute},
		{"0", 0},
		{"500ms", 0},
		{"2h", 0},
		{"soon", 0},
	} {
		t.Setenv("ATRIUM_SHUTDOWN_TIMEOUT", tt.value)
		var c config
		fs := newFlagSet("serve", "serve", io.Discard)
		c.flags(fs, true)
		if err := fs.Parse(nil); err != nil {
			t.Fatal(err)
		}
		c.DataDir = t.TempDir()
		_, err := c.webConfig([]byte(secretA))
		if tt.want == 0 {
			if err == nil || !strings.Contains(err.Error(), "ATRIUM_SHUTDOWN_TIMEOUT") {
				t.Errorf("%q: err = %v, want one naming ATRIUM_SHUTDOWN_TIMEOUT", tt.value, err)
			}
			continue
		}
		if err != nil || c.ShutdownTimeout != tt.want {
			t.Errorf("%q: %v, %v; want %v", tt.value, c.ShutdownTimeout, err, tt.want)
		}
	}
}

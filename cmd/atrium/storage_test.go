package main

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"atrium/internal/files"
	"atrium/internal/store"
	"atrium/internal/studio"
	"atrium/internal/testsupport"
)

// TestMain stops the package's test S3 server once every test has run.
func TestMain(m *testing.M) {
	code := m.Run()
	testsupport.StopS3()
	os.Exit(code)
}

// testStorage is a storage the commands can be pointed at: its setting,
// the Storage itself, and a way to make an object look old.
type testStorage struct {
	url string
	st  files.Storage
	age func(t *testing.T, key string, at time.Time)
}

// eachStorage runs fn with ATRIUM_STORAGE_URL set to a local folder and
// to a bucket of the test S3 server (with its credentials in the
// environment, as a deployment would have them).
func eachStorage(t *testing.T, fn func(t *testing.T, s testStorage)) {
	t.Run("local", func(t *testing.T) {
		dir := t.TempDir()
		t.Setenv("ATRIUM_STORAGE_URL", dir)
		st, err := files.NewLocal(dir)
		if err != nil {
			t.Fatal(err)
		}
		fn(t, testStorage{url: dir, st: st, age: func(t *testing.T, key string, at time.Time) {
			if err := os.Chtimes(filepath.Join(dir, key), at, at); err != nil {
				t.Fatal(err)
			}
		}})
	})
	t.Run("s3", func(t *testing.T) {
		b := testsupport.S3(t)
		url := b.StorageURL("atrium/files")
		t.Setenv("ATRIUM_STORAGE_URL", url)
		for _, kv := range b.Env() {
			k, v, _ := strings.Cut(kv, "=")
			t.Setenv(k, v)
		}
		c := config{StorageURL: url}
		st, err := c.openFiles()
		if err != nil {
			t.Fatal(err)
		}
		fn(t, testStorage{url: url, st: st, age: func(t *testing.T, key string, at time.Time) {
			if err := os.Chtimes(filepath.Join(b.Dir, "atrium/files", key), at, at); err != nil {
				t.Fatal(err)
			}
		}})
	})
}

// `atrium storage sweep` removes the old files of renderings without a
// row, and nothing else: not the files of a rendering with a row, not a
// young orphan, not the logo; --dry-run only says what would go.
func TestStorageSweepCommand(t *testing.T) {
	eachDatabase(t, func(t *testing.T) {
		eachStorage(t, func(t *testing.T, s testStorage) {
			ctx := context.Background()
			if _, _, err := runCLI(t, "", "migrate"); err != nil {
				t.Fatal(err)
			}
			db := openTestStore(t)
			p := &studio.Project{Name: "Hillside", ClientName: "Jane"}
			if err := db.CreateProject(ctx, p); err != nil {
				t.Fatal(err)
			}
			kept := &studio.Rendering{ID: store.NewID(), ProjectID: p.ID, Title: "Kitchen", Status: studio.RenderingDraft,
				FileKey: "k", ContentType: "image/jpeg", Bytes: 1, Width: 1, Height: 1, SHA256: strings.Repeat("0", 64)}
			if err := db.CreateRendering(ctx, kept); err != nil {
				t.Fatal(err)
			}
			orphan, young := store.NewID(), store.NewID()
			old := time.Now().Add(-3 * time.Hour)
			var all []string
			for _, k := range []string{
				"renderings/" + kept.ID + "/original.jpg", "renderings/" + kept.ID + "/thumb.jpg",
				"renderings/" + orphan + "/original.jpg", "renderings/" + orphan + "/preview.jpg",
				"renderings/" + young + "/original.jpg", "studio/logo-" + orphan + "/original.png",
			} {
				if _, err := s.st.Put(ctx, k, strings.NewReader("bytes")); err != nil {
					t.Fatal(err)
				}
				if !strings.Contains(k, young) {
					s.age(t, k, old)
				}
				all = append(all, k)
			}
			stored := func() []string {
				var got []string
				s.st.List(ctx, "", func(o files.ObjectInfo) error { got = append(got, o.Key); return nil })
				return got
			}
			if info, err := s.st.Stat(ctx, all[0]); err != nil || time.Since(info.ModTime) < 2*time.Hour {
				t.Fatalf("aging the test objects failed: %+v, %v", info, err)
			}

			out, errOut, err := runCLI(t, "", "storage", "sweep", "--dry-run")
			if err != nil {
				t.Fatalf("storage sweep --dry-run: %v\n%s", err, errOut)
			}
			if !strings.Contains(out, "would remove (dry run) 2 orphan files, 10 bytes") {
				t.Errorf("dry run said %q", out)
			}
			for _, k := range all[2:4] {
				if !strings.Contains(errOut, k) {
					t.Errorf("the dry run does not name %s:\n%s", k, errOut)
				}
			}
			if got := stored(); len(got) != len(all) {
				t.Errorf("the dry run left %v, want all of %v", got, all)
			}

			out, errOut, err = runCLI(t, "", "storage", "sweep")
			if err != nil {
				t.Fatalf("storage sweep: %v\n%s", err, errOut)
			}
			if !strings.Contains(out, "removed 2 orphan files") || strings.Count(errOut, "removed orphan file") != 2 {
				t.Errorf("sweep said %q, logged:\n%s", out, errOut)
			}
			want := slices.Concat(all[:2], all[4:])
			got := stored()
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("after the sweep: %v, want %v", got, want)
			}
		})
	})
}

// `atrium backup FILE` writes a SQLite copy that opens and holds the data,
// never over an existing file; on PostgreSQL it points to pg_dump.
func TestBackupCommand(t *testing.T) {
	eachDatabase(t, func(t *testing.T) {
		ctx := context.Background()
		if _, _, err := runCLI(t, "a long enough password\n", "user", "create", "--email", "ana@studio.example", "--name", "Ana", "--role", "admin"); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), "atrium-backup.db")
		out, _, err := runCLI(t, "", "backup", path)
		if os.Getenv("ATRIUM_DATABASE_URL") != "" {
			if err == nil || !strings.Contains(err.Error(), "pg_dump") {
				t.Errorf("backup on PostgreSQL = %v, want a pointer to pg_dump", err)
			}
			return
		}
		if err != nil || !strings.Contains(out, "backup written to "+path) {
			t.Fatalf("backup: %q, %v", out, err)
		}
		b, err := store.Open(ctx, "sqlite:"+path, "")
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		users, err := b.Users(ctx)
		if err != nil || len(users) != 1 || users[0].Email != "ana@studio.example" {
			t.Errorf("the backup's users: %+v, %v", users, err)
		}
		if _, _, err := runCLI(t, "", "backup", path); err == nil || !strings.Contains(err.Error(), "exists already") {
			t.Errorf("a backup over an existing file = %v, want a refusal", err)
		}
		if _, _, err := runCLI(t, "", "backup"); err == nil {
			t.Error("backup without a FILE succeeded")
		}
	})
}

// A storage URL that cannot work stops the command with an error naming
// the setting.
func TestBadStorageURL(t *testing.T) {
	b := testsupport.S3(t)
	t.Setenv("ATRIUM_DATA", t.TempDir())
	t.Setenv("ATRIUM_DATABASE_URL", "")
	for _, kv := range b.Env() {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	for _, tc := range []struct{ url, want string }{
		{"gs://bucket/x", "gs:// is not supported"},
		{"s3://Bad_Bucket/x", "not a valid bucket name"},
		{"s3://bucket/x?regoin=eu-west-3", `unknown parameter "regoin"`},
		{"s3://bucket/x?endpoint=127.0.0.1:9000", "is not an http:// or https:// URL"},
		{"s3://no-such-bucket/x?endpoint=" + b.Endpoint + "&path_style=true", "does not take writes"},
		{"file://", "names no folder"},
	} {
		_, _, err := runCLI(t, "", "storage", "sweep", "--storage-url", tc.url)
		if err == nil || !strings.Contains(err.Error(), "ATRIUM_STORAGE_URL") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("--storage-url %s: %v, want an error naming ATRIUM_STORAGE_URL and saying %q", tc.url, err, tc.want)
		}
	}
}

// serve takes its storage from ATRIUM_STORAGE_URL, S3 included, answers
// /healthz with the storage's state, and sweeps orphans as it starts.
func TestServeSweepsAtStart(t *testing.T) {
	eachStorage(t, func(t *testing.T, s testStorage) {
		ctx := context.Background()
		t.Setenv("ATRIUM_DATA", t.TempDir())
		t.Setenv("ATRIUM_DATABASE_URL", "")
		orphan := "renderings/" + store.NewID() + "/original.jpg"
		young := "renderings/" + store.NewID() + "/original.jpg"
		for _, k := range []string{orphan, young} {
			if _, err := s.st.Put(ctx, k, strings.NewReader("bytes")); err != nil {
				t.Fatal(err)
			}
		}
		s.age(t, orphan, time.Now().Add(-2*time.Hour))
		in, err := startServe(t)
		if err != nil {
			t.Fatal(err)
		}
		addr := regexp.MustCompile(`addr=(\S+)`).FindStringSubmatch(in.log.String())
		if addr == nil {
			t.Fatalf("no address in the log:\n%s", in.log.String())
		}
		if health := get(t, "http://"+addr[1]+"/healthz", http.StatusOK); !strings.Contains(health, `"storage":"ok"`) {
			t.Errorf("/healthz = %s", health)
		}
		for deadline := time.Now().Add(10 * time.Second); ; {
			if _, err := s.st.Stat(ctx, orphan); errors.Is(err, files.ErrNotFound) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("serve did not sweep the orphan at start:\n%s", in.log.String())
			}
			time.Sleep(20 * time.Millisecond)
		}
		if _, err := s.st.Stat(ctx, young); err != nil {
			t.Errorf("serve's sweep took a young file: %v", err)
		}
		// The line is written just after the file is gone: give it a moment.
		for deadline := time.Now().Add(5 * time.Second); !strings.Contains(in.log.String(), "removed orphan file"); time.Sleep(20 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Errorf("the deletion is not logged:\n%s", in.log.String())
				break
			}
		}
	})
}

package main

import (
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestSweepLeftovers(t *testing.T) {
	data := t.TempDir()
	tmp, storage := filepath.Join(data, "tmp"), filepath.Join(data, "files")
	old := time.Now().Add(-2 * time.Hour)
	write := func(path string, mtime time.Time) string {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(path, mtime, mtime); err != nil {
			t.Fatal(err)
		}
		return path
	}
	gone := []string{
		write(filepath.Join(tmp, "atrium-upload-1"), old),
		write(filepath.Join(storage, "renderings", "a", ".tmp-123"), old),
	}
	kept := []string{
		write(filepath.Join(tmp, "atrium-upload-2"), time.Now()),                 // an upload in progress
		write(filepath.Join(storage, "renderings", "a", ".tmp-456"), time.Now()), // a write in progress
		write(filepath.Join(storage, "renderings", "a", "original.jpg"), old),    // an object
		write(filepath.Join(storage, "renderings", "a", "thumb.jpg"), old),       // an object
	}
	sweepLeftovers(tmp, storage, time.Now(), slog.New(slog.NewTextHandler(io.Discard, nil)))
	for _, p := range gone {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s was left: %v", p, err)
		}
	}
	for _, p := range kept {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s was removed: %v", p, err)
		}
	}
}

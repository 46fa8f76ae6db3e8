package files

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestLocalRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, dir := newLocal(t)
	data := []byte("the whole object")
	n, err := st.Put(ctx, "renderings/ab12/xyz.jpg", bytes.NewReader(data))
	if err != nil || n != int64(len(data)) {
		t.Fatalf("Put = %d, %v; want %d, nil", n, err, len(data))
	}
	obj, err := st.Open(ctx, "renderings/ab12/xyz.jpg")
	if err != nil {
		t.Fatal(err)
	}
	if obj.Size() != int64(len(data)) {
		t.Errorf("Size = %d, want %d", obj.Size(), len(data))
	}
	if time.Since(obj.ModTime()) > time.Minute {
		t.Errorf("ModTime = %v, want about now", obj.ModTime())
	}
	if _, err := obj.Seek(4, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(obj)
	if err != nil {
		t.Fatal(err)
	}
	if want := data[4:]; !bytes.Equal(got, want) {
		t.Errorf("read after seek = %q, want %q", got, want)
	}
	if err := obj.Close(); err != nil {
		t.Fatal(err)
	}

	if _, err := st.Put(ctx, "renderings/ab12/xyz.jpg", strings.NewReader("v2")); err != nil {
		t.Fatal(err)
	}
	if got := readAll(t, filepath.Join(dir, "renderings/ab12/xyz.jpg")); string(got) != "v2" {
		t.Errorf("after overwrite = %q, want %q", got, "v2")
	}

	for range 2 { // deleting twice is fine
		if err := st.Delete(ctx, "renderings/ab12/xyz.jpg"); err != nil {
			t.Fatalf("Delete: %v", err)
		}
	}
	if _, err := st.Open(ctx, "renderings/ab12/xyz.jpg"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Open after Delete: got %v, want ErrNotFound", err)
	}
	if _, err := st.Open(ctx, "renderings/ab12"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Open of a folder: got %v, want ErrNotFound", err)
	}
	if left := leftovers(t, dir); len(left) != 0 {
		t.Errorf("after Delete the folder holds %v, want nothing", left)
	}
}

func TestLocalRejectsBadKeys(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, dir := newLocal(t)
	for _, key := range []string{
		"", "/etc/passwd", "../outside", "a/../../b", "a/..", "..", "a//b", "a/", "/a",
		`a\b`, `..\x`, "a/./b", ".", ".hidden", "a/.tmp-123", "a\x00b", "a/b..c",
	} {
		if _, err := st.Put(ctx, key, strings.NewReader("x")); err == nil {
			t.Errorf("Put(%q) succeeded, want an error", key)
		}
		if _, err := st.Open(ctx, key); err == nil || errors.Is(err, ErrNotFound) {
			t.Errorf("Open(%q) = %v, want a bad-key error", key, err)
		}
		if err := st.Delete(ctx, key); err == nil {
			t.Errorf("Delete(%q) succeeded, want an error", key)
		}
	}
	if left := leftovers(t, dir); len(left) != 0 {
		t.Errorf("the folder holds %v, want nothing", left)
	}
	if left := leftovers(t, filepath.Dir(dir)); len(left) != 1 {
		t.Errorf("something was written beside the folder: %v", left)
	}
}

// A Put whose reader fails leaves no object, and keeps the old one intact.
func TestLocalPutIsAtomic(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, dir := newLocal(t)
	broken := func() io.Reader {
		return io.MultiReader(strings.NewReader("half an obj"), errReader{errors.New("connection reset")})
	}
	if _, err := st.Put(ctx, "a/new.bin", broken()); err == nil {
		t.Fatal("Put from a failing reader succeeded")
	}
	if _, err := st.Open(ctx, "a/new.bin"); !errors.Is(err, ErrNotFound) {
		t.Errorf("after a failed Put, Open = %v, want ErrNotFound", err)
	}
	if left := leftovers(t, dir); len(left) != 0 {
		t.Errorf("after a failed Put the folder holds %v, want nothing", left)
	}

	if _, err := st.Put(ctx, "a/old.bin", strings.NewReader("old")); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Put(ctx, "a/old.bin", broken()); err == nil {
		t.Fatal("Put from a failing reader succeeded")
	}
	if got := readAll(t, filepath.Join(dir, "a/old.bin")); string(got) != "old" {
		t.Errorf("after a failed overwrite = %q, want %q", got, "old")
	}
	if left := leftovers(t, dir); len(left) != 2 { // a/ and a/old.bin
		t.Errorf("the folder holds %v, want only a/old.bin", left)
	}

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := st.Put(cancelled, "a/c.bin", strings.NewReader("x")); !errors.Is(err, context.Canceled) {
		t.Errorf("Put with a cancelled context = %v, want context.Canceled", err)
	}
}

func TestLocalPing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, dir := newLocal(t)
	if err := st.Ping(ctx); err != nil {
		t.Fatalf("Ping: %v", err)
	}
	if left := leftovers(t, dir); len(left) != 0 {
		t.Errorf("Ping left %v behind", left)
	}
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if err := st.Ping(ctx); err == nil {
		t.Error("Ping with the folder gone succeeded, want an error")
	}
}

func TestNewLocalCreatesPrivateFolder(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data", "files")
	if _, err := NewLocal(dir); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got&0o077 != 0 {
		t.Errorf("folder mode = %v, want no access for group or others", got)
	}
}

package files

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// tempPrefix marks files that are still being written. Keys may not have a
// segment starting with ".", so a temp file can never be mistaken for an
// object, and a crash leaves only dot-files that are safe to sweep.
const tempPrefix = ".tmp-"

// Local is a Storage in a folder on the local disk.
type Local struct {
	dir string
}

var _ Storage = (*Local)(nil)

// NewLocal returns a Storage rooted at dir, creating it (0700) if needed.
func NewLocal(dir string) (*Local, error) {
	if dir == "" {
		return nil, errors.New("files: local storage needs a folder")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("files: local storage: %w", err)
	}
	if err := os.MkdirAll(abs, 0o700); err != nil {
		return nil, fmt.Errorf("files: local storage: %w", err)
	}
	return &Local{dir: abs}, nil
}

// checkKey refuses any key that could name something outside the folder or
// collide with a temp file. Keys come from the app, not from users, so a bad
// one is a bug worth failing loudly on.
func checkKey(key string) error {
	bad := key == "" ||
		strings.HasPrefix(key, "/") ||
		strings.ContainsAny(key, "\\\x00") ||
		strings.Contains(key, "..") ||
		filepath.IsAbs(key)
	if !bad {
		for seg := range strings.SplitSeq(key, "/") {
			if seg == "" || strings.HasPrefix(seg, ".") {
				bad = true
				break
			}
		}
	}
	if bad {
		return fmt.Errorf("files: invalid key %q", key)
	}
	return nil
}

func (l *Local) path(key string) (string, error) {
	if err := checkKey(key); err != nil {
		return "", err
	}
	return filepath.Join(l.dir, filepath.FromSlash(key)), nil
}

// Put writes to a temp file beside the target, syncs it and renames it into
// place, so readers see either the old object, the whole new one, or none.
func (l *Local) Put(ctx context.Context, key string, r io.Reader) (int64, error) {
	p, err := l.path(key)
	if err != nil {
		return 0, err
	}
	if err := ctx.Err(); err != nil {
		return 0, fmt.Errorf("files: put %s: %w", key, err)
	}
	dir := filepath.Dir(p)
	f, err := l.createTemp(dir)
	if err != nil {
		return 0, fmt.Errorf("files: put %s: %w", key, err)
	}
	n, err := io.Copy(f, ctxReader{ctx, r})
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), p)
	}
	if err != nil {
		os.Remove(f.Name())
		l.prune(dir)
		return 0, fmt.Errorf("files: put %s: %w", key, err)
	}
	// The rename is durable only once the folder itself is synced.
	if err := syncDir(dir); err != nil {
		os.Remove(p)
		return 0, fmt.Errorf("files: put %s: %w", key, err)
	}
	return n, nil
}

// createTemp retries because a concurrent Delete may prune a freshly made,
// still empty folder before the temp file lands in it.
func (l *Local) createTemp(dir string) (*os.File, error) {
	var err error
	for range 3 {
		if err = os.MkdirAll(dir, 0o700); err == nil {
			var f *os.File
			if f, err = os.CreateTemp(dir, tempPrefix+"*"); err == nil {
				return f, nil
			}
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	return nil, err
}

// Open returns the object at key; the caller closes it.
func (l *Local) Open(ctx context.Context, key string) (Object, error) {
	p, err := l.path(key)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("files: open %s: %w", key, err)
	}
	f, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("files: open %s: %w", key, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("files: open %s: %w", key, err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("files: open %s: %w", key, err)
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("files: open %s: %w", key, ErrNotFound)
	}
	return &localObject{File: f, size: fi.Size(), mod: fi.ModTime()}, nil
}

// Stat describes the object at key.
func (l *Local) Stat(ctx context.Context, key string) (ObjectInfo, error) {
	p, err := l.path(key)
	if err != nil {
		return ObjectInfo{}, err
	}
	if err := ctx.Err(); err != nil {
		return ObjectInfo{}, fmt.Errorf("files: stat %s: %w", key, err)
	}
	fi, err := os.Stat(p)
	if errors.Is(err, fs.ErrNotExist) || err == nil && !fi.Mode().IsRegular() {
		return ObjectInfo{}, fmt.Errorf("files: stat %s: %w", key, ErrNotFound)
	}
	if err != nil {
		return ObjectInfo{}, fmt.Errorf("files: stat %s: %w", key, err)
	}
	return ObjectInfo{Key: key, Size: fi.Size(), ModTime: fi.ModTime()}, nil
}

// List walks the folder under prefix. Temp files and anything else whose
// name is not a valid key (dot-files) are not objects and are skipped.
func (l *Local) List(ctx context.Context, prefix string, fn func(ObjectInfo) error) error {
	root := l.dir
	if i := strings.LastIndex(prefix, "/"); i >= 0 {
		if err := checkKey(prefix[:i]); err != nil {
			return fmt.Errorf("files: list %s: %w", prefix, err)
		}
		root = filepath.Join(l.dir, filepath.FromSlash(prefix[:i]))
	}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil // gone meanwhile, or never made: nothing to list
			}
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		rel, _ := filepath.Rel(l.dir, p)
		key := filepath.ToSlash(rel)
		if d.IsDir() {
			if p != root && strings.HasPrefix(d.Name(), ".") {
				return fs.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() || !strings.HasPrefix(key, prefix) || checkKey(key) != nil {
			return nil
		}
		fi, err := d.Info()
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		return fn(ObjectInfo{Key: key, Size: fi.Size(), ModTime: fi.ModTime()})
	})
	if err != nil {
		return fmt.Errorf("files: list %s: %w", prefix, err)
	}
	return nil
}

// Delete removes key and then any folders it leaves empty, so a failed
// upload leaves no trace at all.
func (l *Local) Delete(ctx context.Context, key string) error {
	p, err := l.path(key)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("files: delete %s: %w", key, err)
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("files: delete %s: %w", key, err)
	}
	l.prune(filepath.Dir(p))
	return nil
}

// prune removes empty folders from dir up to (not including) the root.
// os.Remove refuses a folder that is not empty, which is exactly the check
// wanted; any error just stops the walk.
func (l *Local) prune(dir string) {
	for dir != l.dir && strings.HasPrefix(dir, l.dir+string(filepath.Separator)) {
		if os.Remove(dir) != nil {
			return
		}
		dir = filepath.Dir(dir)
	}
}

// pingProbe is what Ping writes: one disk block, so that a disk without a
// free block fails the probe even where an empty file could still be made.
var pingProbe = make([]byte, 4096)

// Ping writes a small probe file in the folder, syncs it and removes it:
// a missing or read-only folder or a full disk fails it.
func (l *Local) Ping(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("files: ping: %w", err)
	}
	f, err := os.CreateTemp(l.dir, tempPrefix+"ping-*")
	if err != nil {
		return fmt.Errorf("files: ping: %w", err)
	}
	name := f.Name()
	_, err = f.Write(pingProbe)
	if err == nil {
		err = f.Sync() // where delayed allocation meets a full disk
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if rerr := os.Remove(name); err == nil {
		err = rerr
	}
	if err != nil {
		return fmt.Errorf("files: ping: %w", err)
	}
	return nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

type localObject struct {
	*os.File
	size int64
	mod  time.Time
}

func (o *localObject) Size() int64        { return o.size }
func (o *localObject) ModTime() time.Time { return o.mod }

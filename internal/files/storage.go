// Package files is where uploaded bytes live and where images get their
// derived sizes: a Storage holds objects under slash-separated keys (a local
// folder, or a bucket of an S3-compatible object store), and Ingest turns an
// untrusted upload into a stored original plus a JPEG thumbnail and preview,
// or into a clear error that leaves nothing behind.
package files

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"
)

// ErrNotFound is returned by Storage.Open and Storage.Stat for a key that
// holds no object.
var ErrNotFound = errors.New("files: not found")

// RenderingsPrefix starts the key of every file of a rendering: a rendering
// with id ID keeps all its sizes under RenderingsPrefix+ID+"/". Nothing else
// lives there, which is what lets SweepOrphans judge each object by its id.
const RenderingsPrefix = "renderings/"

// RenderingKeyPrefix is the key prefix Ingest is given for rendering id.
func RenderingKeyPrefix(id string) string { return RenderingsPrefix + id }

// Storage is where bytes live: a local folder (Local) or an S3-compatible
// bucket (S3). Both pass one contract suite (storage_contract_test.go).
type Storage interface {
	// Put stores r under key atomically: the whole object appears, or
	// nothing does. It returns the number of bytes written. It streams:
	// an object is never held whole in memory.
	Put(ctx context.Context, key string, r io.Reader) (int64, error)
	// Open returns the object for reading and seeking (for
	// http.ServeContent); ErrNotFound if missing. Seeking costs no
	// transfer: reading after a seek fetches from that offset on.
	Open(ctx context.Context, key string) (Object, error)
	// Stat describes the object at key without reading it; ErrNotFound
	// if missing.
	Stat(ctx context.Context, key string) (ObjectInfo, error)
	// Delete removes key; deleting a missing key is not an error.
	Delete(ctx context.Context, key string) error
	// List calls fn for every object whose key starts with prefix, in no
	// promised order, and stops at fn's first error, which it returns.
	List(ctx context.Context, prefix string, fn func(ObjectInfo) error) error
	// Ping checks that the storage takes writes now (used by /healthz):
	// it stores a small probe object durably and removes it again, so
	// that a full disk or a read-only bucket fails it.
	Ping(ctx context.Context) error
}

// Object is a stored object opened for reading.
type Object interface {
	io.ReadSeekCloser
	Size() int64
	ModTime() time.Time
}

// ObjectInfo describes a stored object.
type ObjectInfo struct {
	Key     string
	Size    int64
	ModTime time.Time
}

// DeletePrefix removes every object whose key starts with prefix, and
// reports the first failure after trying them all.
func DeletePrefix(ctx context.Context, st Storage, prefix string) error {
	if prefix == "" {
		return errors.New("files: delete prefix: refusing to delete everything")
	}
	var keys []string
	if err := st.List(ctx, prefix, func(o ObjectInfo) error {
		keys = append(keys, o.Key)
		return nil
	}); err != nil {
		return fmt.Errorf("files: delete prefix %s: %w", prefix, err)
	}
	var errs []error
	for _, k := range keys {
		errs = append(errs, st.Delete(ctx, k))
	}
	return errors.Join(errs...)
}

// DeleteRendering removes every stored size of rendering id (the original,
// the preview and the thumbnail, and any size added later), whatever their
// names.
func DeleteRendering(ctx context.Context, st Storage, id string) error {
	if err := checkKey(RenderingKeyPrefix(id)); err != nil || id == "" {
		return fmt.Errorf("files: delete rendering: invalid id %q", id)
	}
	return DeletePrefix(ctx, st, RenderingKeyPrefix(id)+"/")
}

// ctxReader stops a long copy once the request that started it is gone,
// so an abandoned upload does not keep writing to disk.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

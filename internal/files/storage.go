// Package files is where uploaded bytes live and where images get their
// derived sizes: a Storage holds objects under slash-separated keys (a local
// folder today, S3-compatible storage later), and Ingest turns an untrusted
// upload into a stored original plus a JPEG thumbnail and preview, or into a
// clear error that leaves nothing behind.
package files

import (
	"context"
	"errors"
	"io"
	"time"
)

// ErrNotFound is returned by Storage.Open for a key that holds no object.
var ErrNotFound = errors.New("files: not found")

// Storage is where bytes live. Local folder now, S3 later.
type Storage interface {
	// Put stores r under key atomically: the whole object appears, or
	// nothing does. It returns the number of bytes written.
	Put(ctx context.Context, key string, r io.Reader) (int64, error)
	// Open returns the object for reading and seeking (for
	// http.ServeContent); ErrNotFound if missing.
	Open(ctx context.Context, key string) (Object, error)
	// Delete removes key; deleting a missing key is not an error.
	Delete(ctx context.Context, key string) error
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

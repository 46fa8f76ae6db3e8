package main

import (
	"context"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"atrium/internal/files"
	"atrium/internal/store"
	"atrium/internal/studio"
	"atrium/internal/web"
)

// staleAfter is how old a leftover file must be before it is swept: older
// than any upload still in progress, on this instance or another sharing the
// folder.
const staleAfter = time.Hour

// sweepLeftovers removes what a crash can leave on disk: uploads spooled in
// tempDir (a folder that is all Atrium's), and half-written files (".tmp-*")
// in the local storage folder, if there is one.
func sweepLeftovers(tempDir, storageDir string, now time.Time, log *slog.Logger) {
	sweep := func(dir string, match func(name string) bool) {
		if dir == "" {
			return
		}
		n := 0
		filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !match(d.Name()) {
				return nil
			}
			if info, err := d.Info(); err == nil && now.Sub(info.ModTime()) > staleAfter {
				if os.Remove(path) == nil {
					n++
				}
			}
			return nil
		})
		if n > 0 {
			log.Info("removed files left by an interrupted upload", "folder", dir, "files", n)
		}
	}
	sweep(tempDir, func(string) bool { return true })
	sweep(storageDir, func(name string) bool { return strings.HasPrefix(name, ".tmp-") })
}

// expireSessions deletes sessions past their idle or absolute timeout at
// start and then every hour, until ctx ends. Expired sessions are refused
// anyway; this keeps the table from growing.
func expireSessions(ctx context.Context, st *store.Store, cfg web.Config, log *slog.Logger) {
	cfg = cfg.Defaults()
	every(ctx, time.Hour, func() {
		now := cfg.Clock.Now()
		if err := st.DeleteSessionsBefore(ctx, now.Add(-cfg.SessionIdle), now.Add(-cfg.SessionAbsolute)); err != nil && ctx.Err() == nil {
			log.Warn("expiring sessions", "err", err)
		}
	})
}

// every runs do at once and then every interval, until ctx ends: the
// shape of each housekeeping task of serve.
func every(ctx context.Context, interval time.Duration, do func()) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		do()
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// sweepOrphans removes the stored files of renderings that have no row
// (files.SweepOrphans: a crash between storing an upload and recording it)
// at start and then daily, until ctx ends. Several instances may sweep at
// once: each deletion is of an old file no row will ever name.
func sweepOrphans(ctx context.Context, st *store.Store, fstore files.Storage, log *slog.Logger) {
	every(ctx, 24*time.Hour, func() {
		res, err := files.SweepOrphans(ctx, fstore, files.Sweep{Existing: st.ExistingRenderings, Log: log})
		if err != nil && ctx.Err() == nil {
			log.Warn("storage sweep", "err", err)
		} else if res.Deleted > 0 || res.Uploads > 0 {
			log.Info("storage sweep done", "objects", res.Objects, "deleted", res.Deleted, "bytes", res.Bytes, "uploads_aborted", res.Uploads)
		}
	})
}

// pruneAccessLog deletes access log rows older than days (0: keep them)
// at start and then daily, until ctx ends. The links' lifetime counts,
// unique visitors and daily totals stay (store.PruneAccessLog). Several
// instances may prune at once: a second prune finds nothing to do.
func pruneAccessLog(ctx context.Context, st *store.Store, days int, clock studio.Clock, log *slog.Logger) {
	if days <= 0 {
		return
	}
	every(ctx, 24*time.Hour, func() {
		cutoff := clock.Now().UTC().AddDate(0, 0, -days)
		n, err := st.PruneAccessLog(ctx, cutoff)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Warn("pruning the access log", "err", err)
		case n > 0:
			log.Info("pruned the access log", "rows", n, "before", cutoff.Format(time.DateOnly))
		}
	})
}

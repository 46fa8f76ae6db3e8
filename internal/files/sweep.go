package files

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// OrphanAge is how old a rendering's file must be before the sweep may take
// it for an orphan: older than any upload still between storing its files
// and inserting its row, on any instance.
const OrphanAge = time.Hour

// sweepBatch is how many rendering ids the sweep asks about at once.
const sweepBatch = 500

// Sweep says what SweepOrphans does.
type Sweep struct {
	// Existing returns which of ids have a rendering row.
	Existing func(ctx context.Context, ids []string) (map[string]bool, error)
	Now      time.Time     // zero: time.Now()
	MinAge   time.Duration // zero: OrphanAge
	DryRun   bool          // log what would go, delete nothing
	Log      *slog.Logger
	batch    int // ids a lookup asks about; 0: sweepBatch (tests set fewer)
}

// SweepResult counts what a sweep saw and did.
type SweepResult struct {
	Objects int   // objects under RenderingsPrefix
	Orphans int   // of them, old enough and without a row
	Bytes   int64 // the orphans' size
	Deleted int   // orphans deleted (0 in a dry run)
	Uploads int   // unfinished multipart uploads aborted (or found, in a dry run)
}

// staleUploads is a storage that can hold unfinished uploads (S3).
type staleUploads interface {
	AbortStaleUploads(ctx context.Context, before time.Time, dryRun bool, log func(key string, begun time.Time, err error)) (int, error)
}

// SweepOrphans removes the files a crash can leave between storing a
// rendering's files and inserting its row: objects under RenderingsPrefix
// (renderings/ID/...) older than MinAge whose ID has no row. It touches
// nothing outside that prefix, no object of a rendering that has a row,
// and no young object. On S3 it also aborts the multipart uploads under
// the prefix begun more than MinAge ago (a process killed mid-upload).
// Each deletion is logged. A failed deletion is
// logged and counted out; the sweep goes on, and returns the first error
// only for a failed listing or lookup.
func SweepOrphans(ctx context.Context, st Storage, sw Sweep) (SweepResult, error) {
	if sw.Now.IsZero() {
		sw.Now = time.Now()
	}
	if sw.MinAge <= 0 {
		sw.MinAge = OrphanAge
	}
	if sw.batch <= 0 {
		sw.batch = sweepBatch
	}
	if sw.Log == nil {
		sw.Log = slog.New(slog.DiscardHandler)
	}
	var res SweepResult
	pending := map[string][]ObjectInfo{} // id -> its old objects
	var order []string
	flush := func() error {
		if len(order) == 0 {
			return nil
		}
		found, err := sw.Existing(ctx, order)
		if err != nil {
			return err
		}
		for _, id := range order {
			if found[id] {
				continue
			}
			for _, o := range pending[id] {
				res.Orphans++
				res.Bytes += o.Size
				age := sw.Now.Sub(o.ModTime).Round(time.Second)
				if sw.DryRun {
					sw.Log.Info("storage sweep: would remove orphan file", "key", o.Key, "bytes", o.Size, "age", age)
					continue
				}
				if err := st.Delete(ctx, o.Key); err != nil {
					sw.Log.Error("storage sweep: remove orphan file", "key", o.Key, "err", err)
					continue
				}
				res.Deleted++
				sw.Log.Info("storage sweep: removed orphan file", "key", o.Key, "bytes", o.Size, "age", age)
			}
		}
		clear(pending)
		order = order[:0]
		return nil
	}
	err := st.List(ctx, RenderingsPrefix, func(o ObjectInfo) error {
		res.Objects++
		id, rest, ok := strings.Cut(strings.TrimPrefix(o.Key, RenderingsPrefix), "/")
		if !ok || id == "" || rest == "" || sw.Now.Sub(o.ModTime) < sw.MinAge {
			return nil // not a rendering's file, or too young to judge
		}
		if _, seen := pending[id]; !seen {
			if len(order) == sw.batch {
				if err := flush(); err != nil {
					return err
				}
			}
			order = append(order, id)
		}
		pending[id] = append(pending[id], o)
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return res, fmt.Errorf("files: sweep: %w", err)
	}
	if su, ok := st.(staleUploads); ok {
		res.Uploads, err = su.AbortStaleUploads(ctx, sw.Now.Add(-sw.MinAge), sw.DryRun, func(key string, begun time.Time, err error) {
			age := sw.Now.Sub(begun).Round(time.Second)
			switch {
			case err != nil:
				sw.Log.Error("storage sweep: abort unfinished upload", "key", key, "err", err)
			case sw.DryRun:
				sw.Log.Info("storage sweep: would abort unfinished upload", "key", key, "age", age)
			default:
				sw.Log.Info("storage sweep: aborted unfinished upload", "key", key, "age", age)
			}
		})
		if err != nil {
			return res, fmt.Errorf("files: sweep: %w", err)
		}
	}
	return res, nil
}

package web

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"

	"golang.org/x/sync/semaphore"

	"atrium/internal/files"
	"atrium/internal/studio"
)

// decodeBudget admits image decodes against one amount of memory. Each
// decode takes what its header says it will need (files.DecodeCost) and
// gives it back when done; a decode that does not fit waits, in order of
// arrival, so a large image is not passed over forever by small ones.
// Counting slots instead let four 800 MB decodes run at once.
type decodeBudget struct {
	size    int64
	sem     *semaphore.Weighted
	inUse   atomic.Int64
	waiting atomic.Int64
}

func newDecodeBudget(size int64) *decodeBudget {
	return &decodeBudget{size: size, sem: semaphore.NewWeighted(size)}
}

// decodeBudgetHook, set by tests only, sees each acquire and release.
var decodeBudgetHook func(b *decodeBudget, acquire bool, n int64)

// acquire waits until cost fits, or ctx ends. The caller calls release.
// A cost over the whole budget is refused at once with 413 too_large: no
// amount of waiting would make room for it.
func (b *decodeBudget) acquire(ctx context.Context, cost files.Cost) (release func(), err error) {
	n := cost.Bytes
	if n > b.size {
		return nil, tooCostly(cost, b.size)
	}
	b.waiting.Add(1)
	err = b.sem.Acquire(ctx, n)
	b.waiting.Add(-1)
	if err != nil {
		return nil, err
	}
	b.inUse.Add(n)
	if h := decodeBudgetHook; h != nil {
		h(b, true, n)
	}
	return func() {
		if h := decodeBudgetHook; h != nil {
			h(b, false, n)
		}
		b.inUse.Add(-n)
		b.sem.Release(n)
	}, nil
}

func tooCostly(c files.Cost, budget int64) error {
	hint := "Save it with fewer pixels"
	switch {
	case strings.Contains(c.Kind, "16-bit"):
		hint += " or at 8 bits per channel"
	case strings.Contains(c.Kind, "progressive"):
		hint += " or as a baseline (not progressive) JPEG"
	}
	return &studio.Error{Code: studio.ECodeTooLarge, Field: "file", Message: fmt.Sprintf(
		"The image (%d × %d pixels, %s) needs about %d MB of memory to process, more than the %d MB this server allows. %s.",
		c.Width, c.Height, c.Kind, mbCeil(c.Bytes), budget>>20, hint)}
}

func mbCeil(n int64) int64 { return (n + 1<<20 - 1) >> 20 }

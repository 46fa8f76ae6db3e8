package store

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"
)

// Moves of renderings of one project at once (drag and drop in two tabs,
// or two people) all succeed, one after the other: none fails on a
// deadlock, and the positions stay 1..N, each once.
func TestMoveRenderingConcurrent(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		p := seedProject(t, s, "Hillside")
		at := time.Date(2026, 11, 3, 9, 0, 0, 0, time.UTC)
		var ids []string
		for i := range 8 {
			ids = append(ids, approvedRendering(t, s, p.ID, "", fmt.Sprint("R", i), at.Add(time.Duration(i)*time.Hour)).ID)
		}
		var wg sync.WaitGroup
		errs := make(chan error, len(ids)*10)
		for i, id := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for j := range 10 {
					delta := 1
					if (i+j)%2 == 0 {
						delta = -1
					}
					if _, err := s.MoveRendering(ctx, id, delta); err != nil {
						errs <- err
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Errorf("concurrent move: %v", err)
		}
		d, err := s.Project(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		list, err := s.renderings(ctx, d.ID, false)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[int]bool{}
		for _, r := range list {
			if r.Position < 1 || r.Position > len(list) || seen[r.Position] {
				t.Errorf("position %d of %s: not one of 1..%d once", r.Position, r.Title, len(list))
			}
			seen[r.Position] = true
		}
	})
}

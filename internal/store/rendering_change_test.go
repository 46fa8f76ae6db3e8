package store

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"atrium/internal/studio"
)

// TestChangeRenderingLosesNoEdit: edits of one rendering that land at the
// same moment, each read from the row and written back whole, all survive
// (issue 13: no edit is ever silently discarded). Each adds a letter to the
// description; with a read outside the write, most letters would be lost.
func TestChangeRenderingLosesNoEdit(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		l := newTestLink(t, s)
		rd := approvedRendering(t, s, l.ProjectID, "", "Island", time.Date(2026, 11, 3, 9, 0, 0, 0, time.UTC))
		const n = 12
		concurrently(t, n, func(i int) error {
			_, err := s.ChangeRendering(ctx, rd.ID, "", func(r *studio.Rendering) error {
				r.Description += string(rune('a' + i))
				if i%3 == 0 {
					r.Position = i // another field, as drag and drop writes
				}
				return nil
			})
			return err
		})
		got, err := s.Rendering(ctx, rd.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Description) != n {
			t.Errorf("description %q: %d of %d edits kept", got.Description, len(got.Description), n)
		}
		for i := range n {
			if !strings.ContainsRune(got.Description, rune('a'+i)) {
				t.Errorf("edit %d lost: %q", i, got.Description)
			}
		}
		// A change that fails saves nothing.
		_, err = s.ChangeRendering(ctx, rd.ID, "", func(r *studio.Rendering) error {
			r.Title = "Nope"
			return studio.Invalid("title", "no")
		})
		if studio.ErrorCode(err) != studio.ECodeInvalidInput {
			t.Errorf("failing change: %v", err)
		}
		if got, _ := s.Rendering(ctx, rd.ID); got.Title != "Island" {
			t.Errorf("a failed change saved the title %q", got.Title)
		}
		_, err = s.ChangeRendering(ctx, "0123456789abcdef0123456789abcdef", "", func(*studio.Rendering) error { return nil })
		wantCode(t, "unknown rendering", err, studio.ECodeNotFound, "")
	})
}

// TestChangePhaseLosesNoEdit: concurrent edits of one phase's different
// fields all survive (the API's PATCH /api/phases/{id}).
func TestChangePhaseLosesNoEdit(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		l := newTestLink(t, s)
		room := seedRoom(t, s, l.ProjectID, "Kitchen")
		if len(room.Phases) == 0 {
			t.Fatal("the room has no phases")
		}
		id := room.Phases[0].ID
		const n = 12
		concurrently(t, n, func(i int) error {
			_, _, err := s.ChangePhase(ctx, id, "", func(ph *studio.Phase) error {
				ph.InternalNotes += string(rune('a' + i))
				return nil
			})
			return err
		})
		got, _, err := s.Phase(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.InternalNotes) != n {
			t.Errorf("notes %q: %d of %d edits kept", got.InternalNotes, len(got.InternalNotes), n)
		}
	})
}

// TestChangeProjectLosesNoEdit: concurrent edits of one project's
// different fields all survive (the project forms, the API, archiving).
func TestChangeProjectLosesNoEdit(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		l := newTestLink(t, s)
		const n = 12
		concurrently(t, n, func(i int) error {
			_, err := s.ChangeProject(ctx, l.ProjectID, "", func(p *studio.Project) error {
				p.InternalNotes += string(rune('a' + i))
				if i == 5 {
					p.Archived = true
				}
				return nil
			})
			return err
		})
		got, err := s.Project(ctx, l.ProjectID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.InternalNotes) != n || !got.Archived {
			t.Errorf("notes %q (%d of %d edits kept), archived %v", got.InternalNotes, len(got.InternalNotes), n, got.Archived)
		}
		_, err = s.ChangeProject(ctx, "0123456789abcdef0123456789abcdef", "", func(*studio.Project) error { return nil })
		wantCode(t, "unknown project", err, studio.ECodeNotFound, "")
	})
}

// concurrently runs edit(0) … edit(n-1) at the same moment and fails the
// test for each error.
func concurrently(t *testing.T, n int, edit func(i int) error) {
	t.Helper()
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { errs[i] = edit(i) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("edit %d: %v", i, err)
		}
	}
}

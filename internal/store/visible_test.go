package store

import (
	"context"
	"testing"
	"time"

	"atrium/internal/studio"
)

// updatedAt is part of the client view: internal edits must not move it,
// client-visible ones must.
func TestUpdatedAtMovesOnlyOnClientVisibleChanges(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		clock := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
		s.SetClock(func() time.Time { clock = clock.Add(time.Minute); return clock })
		p := &studio.Project{Name: "Loft", ClientName: "Sam"}
		if err := s.CreateProject(ctx, p); err != nil {
			t.Fatal(err)
		}
		room, err := s.CreateRoom(ctx, p.ID, "Kitchen")
		if err != nil {
			t.Fatal(err)
		}
		r := &studio.Rendering{ID: NewID(), ProjectID: p.ID, Title: "Island", Status: studio.RenderingDraft,
			FileKey: "k", ContentType: "image/jpeg", ThumbKey: "t", PreviewKey: "p", Width: 10, Height: 10}
		if err := s.CreateRendering(ctx, r); err != nil {
			t.Fatal(err)
		}
		updatedAt := func() time.Time {
			got, err := s.Project(ctx, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			return got.UpdatedAt
		}
		steps := []struct {
			name    string
			change  func() error
			visible bool
		}{
			{"phase notes", func() error {
				ph := room.Phases[0]
				ph.InternalNotes = "secret"
				c := int64(5)
				ph.CostCents = &c
				return s.UpdatePhase(ctx, &ph, p.ID, "")
			}, false},
			{"phase status", func() error {
				ph := room.Phases[0]
				ph.Status, ph.CompletedAt = studio.StatusCompleted, "2026-11-01"
				return s.UpdatePhase(ctx, &ph, p.ID, "")
			}, true},
			{"draft title", func() error { r.Title = "Island v2"; return s.UpdateRendering(ctx, r, "") }, false},
			{"approval", func() error {
				at := clock
				r.Status, r.ApprovedAt = studio.RenderingApproved, &at
				return s.UpdateRendering(ctx, r, "")
			}, true},
			{"approved rendering notes", func() error { r.InternalNotes = "secret"; return s.UpdateRendering(ctx, r, "") }, false},
			{"project notes and budget", func() error {
				got, _ := s.Project(ctx, p.ID)
				b := int64(99)
				got.InternalNotes, got.BudgetCents = "secret", &b
				return s.UpdateProject(ctx, got, "")
			}, false},
			{"project name", func() error {
				got, _ := s.Project(ctx, p.ID)
				got.Name = "Harbor Loft"
				return s.UpdateProject(ctx, got, "")
			}, true},
		}
		for _, st := range steps {
			before := updatedAt()
			if err := st.change(); err != nil {
				t.Fatalf("%s: %v", st.name, err)
			}
			if moved := updatedAt().After(before); moved != st.visible {
				t.Errorf("%s: updatedAt moved = %v, want %v", st.name, moved, st.visible)
			}
		}
	})
}

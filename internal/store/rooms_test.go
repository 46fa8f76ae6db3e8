package store

import (
	"context"
	"testing"

	"atrium/internal/studio"
)

func TestRoomsHaveFivePhasesInOrder(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		p := seedProject(t, s, "Hillside")
		other := seedProject(t, s, "Other")
		names := []string{"Kitchen", "Living room", "Bath"}
		for _, n := range names {
			r := seedRoom(t, s, p.ID, n)
			if len(r.Phases) != len(studio.PhaseKinds) {
				t.Fatalf("CreateRoom(%s) returned %d phases, want %d", n, len(r.Phases), len(studio.PhaseKinds))
			}
		}
		seedRoom(t, s, other.ID, "Elsewhere") // positions count per project

		d, err := s.ProjectDetail(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Rooms) != len(names) {
			t.Fatalf("detail has %d rooms, want %d", len(d.Rooms), len(names))
		}
		for i, r := range d.Rooms {
			if r.Name != names[i] || r.Position != i+1 || r.ProjectID != p.ID {
				t.Errorf("room %d = %q at %d of %s, want %q at %d of %s", i, r.Name, r.Position, r.ProjectID, names[i], i+1, p.ID)
			}
			if len(r.Phases) != 5 {
				t.Errorf("room %q has %d phases, want 5", r.Name, len(r.Phases))
				continue
			}
			for j, ph := range r.Phases {
				if ph.Kind != studio.PhaseKinds[j] || ph.Status != studio.StatusNotStarted || ph.RoomID != r.ID {
					t.Errorf("room %q phase %d = %s/%s of %s, want %s/not_started of %s",
						r.Name, j, ph.Kind, ph.Status, ph.RoomID, studio.PhaseKinds[j], r.ID)
				}
				if ph.CompletedAt != "" || ph.AssigneeID != "" || ph.CostCents != nil {
					t.Errorf("new phase %s carries data: %+v", ph.Kind, ph)
				}
			}
		}

		renamed, err := s.RenameRoom(ctx, d.Rooms[1].ID, "Lounge")
		if err != nil {
			t.Fatal(err)
		}
		if renamed.Name != "Lounge" || renamed.Position != 2 || len(renamed.Phases) != 5 {
			t.Errorf("RenameRoom = %+v", renamed)
		}
		_, err = s.RenameRoom(ctx, NewID(), "x")
		wantCode(t, "rename unknown room", err, studio.ECodeNotFound, "")
		_, err = s.CreateRoom(ctx, NewID(), "x")
		wantCode(t, "room of unknown project", err, studio.ECodeNotFound, "")
	})
}

func TestUpdatePhase(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		ana := seedUser(t, s, "ana@studio.test", studio.RoleDesigner)
		p := seedProject(t, s, "Hillside")
		room := seedRoom(t, s, p.ID, "Kitchen")

		ph, projectID, err := s.Phase(ctx, room.Phases[2].ID)
		if err != nil {
			t.Fatal(err)
		}
		if projectID != p.ID || ph.Kind != studio.PhaseApproval {
			t.Errorf("Phase = %s of project %s, want approval of %s", ph.Kind, projectID, p.ID)
		}
		cost := int64(125_00)
		ph.Status, ph.CompletedAt = studio.StatusCompleted, "2026-10-02"
		ph.AssigneeID, ph.DueDate, ph.CostCents, ph.InternalNotes = ana.ID, "2026-10-15", &cost, "client was slow"
		if err := s.UpdatePhase(ctx, ph, p.ID, ""); err != nil {
			t.Fatal(err)
		}
		got, _, err := s.Phase(ctx, ph.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != studio.StatusCompleted || got.CompletedAt != "2026-10-02" || got.AssigneeID != ana.ID ||
			got.DueDate != "2026-10-15" || got.CostCents == nil || *got.CostCents != cost || got.InternalNotes != "client was slow" {
			t.Errorf("after update: %+v", got)
		}

		// Clearing the optional references stores NULLs again.
		got.AssigneeID, got.CostCents, got.Status, got.CompletedAt = "", nil, studio.StatusInProgress, ""
		if err := s.UpdatePhase(ctx, got, p.ID, ""); err != nil {
			t.Fatal(err)
		}
		cleared, _, _ := s.Phase(ctx, ph.ID)
		if cleared.AssigneeID != "" || cleared.CostCents != nil || cleared.Status != studio.StatusInProgress {
			t.Errorf("after clearing: %+v", cleared)
		}

		bad := *cleared
		bad.AssigneeID = NewID()
		wantCode(t, "unknown assignee", s.UpdatePhase(ctx, &bad, p.ID, ""), studio.ECodeInvalidInput, "assigneeId")
		// The refused update left the phase as it was.
		if after, _, _ := s.Phase(ctx, ph.ID); after.AssigneeID != "" {
			t.Errorf("refused update changed the assignee to %q", after.AssigneeID)
		}

		unknown := *cleared
		unknown.ID = NewID()
		wantCode(t, "unknown phase", s.UpdatePhase(ctx, &unknown, p.ID, ""), studio.ECodeNotFound, "")
		_, _, err = s.Phase(ctx, NewID())
		wantCode(t, "Phase(unknown)", err, studio.ECodeNotFound, "")
	})
}

// A room's phases saved together are saved all or not at all.
func TestUpdatePhasesIsAtomic(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		p := seedProject(t, s, "Hillside")
		room := seedRoom(t, s, p.ID, "Kitchen")
		other := seedRoom(t, s, seedProject(t, s, "Elsewhere").ID, "Hall")

		got, err := s.Room(ctx, room.ID)
		if err != nil || got.ProjectID != p.ID || len(got.Phases) != 5 {
			t.Fatalf("Room = %+v, %v; want 5 phases of %s", got, err, p.ID)
		}
		phases := func(r *studio.Room) []*studio.Phase {
			var out []*studio.Phase
			for i := range r.Phases {
				out = append(out, &r.Phases[i])
			}
			return out
		}
		edit := phases(got)
		edit[0].Status, edit[0].CompletedAt = studio.StatusCompleted, "2026-10-02"
		edit[1].Status = studio.StatusInProgress
		edit[4].AssigneeID = NewID() // no such staff member: the whole save fails
		wantCode(t, "one unknown assignee", s.UpdatePhases(ctx, p.ID, edit, ""), studio.ECodeInvalidInput, "assigneeId")
		if after, _ := s.Room(ctx, room.ID); after.Phases[0].Status != studio.StatusNotStarted || after.Phases[1].Status != studio.StatusNotStarted {
			t.Errorf("a refused save changed phases: %+v", after.Phases[:2])
		}

		// A phase of another project is not found, and nothing is saved.
		edit[4].AssigneeID = ""
		stray := other.Phases[0]
		stray.Status = studio.StatusSkipped
		wantCode(t, "a phase of another project", s.UpdatePhases(ctx, p.ID, append(edit, &stray), ""), studio.ECodeNotFound, "")
		if after, _ := s.Room(ctx, room.ID); after.Phases[0].Status != studio.StatusNotStarted {
			t.Errorf("a refused save changed phase 0 to %s", after.Phases[0].Status)
		}

		if err := s.UpdatePhases(ctx, p.ID, edit, ""); err != nil {
			t.Fatal(err)
		}
		after, _ := s.Room(ctx, room.ID)
		if after.Phases[0].Status != studio.StatusCompleted || after.Phases[0].CompletedAt != "2026-10-02" ||
			after.Phases[1].Status != studio.StatusInProgress || after.Progress != 20 {
			t.Errorf("after save: %+v (progress %d)", after.Phases[:2], after.Progress)
		}
		_, err = s.Room(ctx, NewID())
		wantCode(t, "Room(unknown)", err, studio.ECodeNotFound, "")
	})
}

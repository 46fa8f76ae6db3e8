package store

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"atrium/internal/studio"
)

// Hiding a room while it is renamed at the same moment (two tabs, two
// people) keeps it hidden: an edit of one field never writes back the
// other as it was before the concurrent edit.
func TestUpdateRoomConcurrentHideAndRename(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		p := seedProject(t, s, "Hillside")
		room := seedRoom(t, s, p.ID, "Kitchen")
		hide, show := true, false
		for round := range 30 {
			if _, err := s.UpdateRoom(ctx, room.ID, studio.RoomInput{Hidden: &show}); err != nil {
				t.Fatal(err)
			}
			var wg sync.WaitGroup
			for i := range 5 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					in := studio.RoomInput{Hidden: &hide}
					if i > 0 {
						name := fmt.Sprint("Kitchen ", round, "-", i)
						in = studio.RoomInput{Name: &name}
					}
					if _, err := s.UpdateRoom(ctx, room.ID, in); err != nil {
						t.Error(err)
					}
				}()
			}
			wg.Wait()
			got, err := s.Room(ctx, room.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !got.Hidden {
				t.Fatalf("round %d: the room was hidden while renamed, and is shown again (%q)", round, got.Name)
			}
		}
	})
}

// A room hidden at the same moment as it is deleted: if the hide went
// through, the deletion saw it, and the room's approved renderings do not
// come out roomless, that is shown to clients.
func TestDeleteRoomConcurrentHide(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		p := seedProject(t, s, "Hillside")
		hide := true
		for round := range 30 {
			room := seedRoom(t, s, p.ID, fmt.Sprint("Room ", round))
			rd := approvedRendering(t, s, p.ID, room.ID, "R", time.Now().UTC())
			var wg sync.WaitGroup
			var hideErr, deleteErr error
			wg.Add(2)
			go func() { defer wg.Done(); _, hideErr = s.UpdateRoom(ctx, room.ID, studio.RoomInput{Hidden: &hide}) }()
			go func() { defer wg.Done(); _, deleteErr = s.DeleteRoom(ctx, room.ID, "") }()
			wg.Wait()
			if deleteErr != nil {
				t.Fatal(deleteErr)
			}
			got, err := s.Rendering(ctx, rd.ID)
			if err != nil {
				t.Fatal(err)
			}
			if hideErr == nil && got.Status == studio.RenderingApproved {
				t.Fatalf("round %d: the room was hidden, then deleted, and its rendering is shown to clients", round)
			}
		}
	})
}

// A rendering of a hidden room approved at the same moment as the room is
// deleted: either the approval fails (no room any more) or the deletion
// sees it and takes it back to review; it never comes out approved and
// roomless, that is shown to clients.
func TestDeleteHiddenRoomConcurrentApproval(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		p := seedProject(t, s, "Hillside")
		for round := range 30 {
			room, err := s.AddRoom(ctx, p.ID, fmt.Sprint("Room ", round), true)
			if err != nil {
				t.Fatal(err)
			}
			rd := seedRendering(t, s, p.ID, room.ID, "R")
			var wg sync.WaitGroup
			var deleteErr error
			wg.Add(2)
			go func() {
				defer wg.Done()
				at := time.Now().UTC()
				rd.Status, rd.ApprovedAt = studio.RenderingApproved, &at
				s.UpdateRendering(ctx, rd, "") // fails when the room went first
			}()
			go func() { defer wg.Done(); _, deleteErr = s.DeleteRoom(ctx, room.ID, "") }()
			wg.Wait()
			if deleteErr != nil {
				t.Fatal(deleteErr)
			}
			if _, err := s.ApprovedRendering(ctx, p.ID, rd.ID); err == nil {
				t.Fatalf("round %d: a rendering approved in a hidden room as it was deleted is shown to clients", round)
			}
		}
	})
}

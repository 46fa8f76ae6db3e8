package store

import (
	"context"
	"fmt"
	"sync"
	"testing"

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

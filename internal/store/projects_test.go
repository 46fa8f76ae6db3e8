package store

import (
	"context"
	"errors"
	"testing"

	"atrium/internal/studio"
)

func TestProjectRoundTrip(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		u := &studio.User{Email: "Ana@Studio.test", Name: "Ana", Role: studio.RoleAdmin, PasswordHash: "x"}
		if err := s.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		budget := int64(1_500_000)
		p := &studio.Project{Name: "Hillside", ClientName: "Jane", BudgetCents: &budget, CreatedBy: u.ID, TargetDate: "2027-03-01"}
		if err := s.CreateProject(ctx, p); err != nil {
			t.Fatal(err)
		}
		room, err := s.CreateRoom(ctx, p.ID, "Kitchen")
		if err != nil {
			t.Fatal(err)
		}
		if len(room.Phases) != 5 {
			t.Fatalf("room has %d phases, want 5", len(room.Phases))
		}
		ph := room.Phases[0]
		ph.Status, ph.CompletedAt = studio.StatusCompleted, "2026-10-02"
		if err := s.UpdatePhase(ctx, &ph, p.ID, ""); err != nil {
			t.Fatal(err)
		}
		d, err := s.ProjectDetail(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := d.OverallProgress, 20; got != want {
			t.Errorf("progress = %d, want %d", got, want)
		}
		if d.BudgetCents == nil || *d.BudgetCents != budget {
			t.Errorf("budget = %v, want %d", d.BudgetCents, budget)
		}
		if got := d.Rooms[0].Phases[0].CompletedAt; got != "2026-10-02" {
			t.Errorf("completedAt = %q", got)
		}
		list, err := s.Projects(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 || list[0].OverallProgress != 20 {
			t.Errorf("Projects = %+v", list)
		}
		_, err = s.Project(ctx, "nope")
		if studio.ErrorCode(err) != studio.ECodeNotFound {
			t.Errorf("unknown project: err = %v, want not_found", err)
		}
		if err := s.CreateUser(ctx, &studio.User{Email: "ana@studio.test", Name: "x", Role: studio.RoleDesigner, PasswordHash: "x"}); studio.ErrorCode(err) != studio.ECodeConflict {
			t.Errorf("duplicate email: err = %v", err)
		}
		var se *studio.Error
		if _, err := s.CreateRoom(ctx, "nope", "x"); !errors.As(err, &se) || se.Code != studio.ECodeNotFound {
			t.Errorf("room of unknown project: err = %v", err)
		}
	})
}

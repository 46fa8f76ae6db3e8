package store

import (
	"context"
	"testing"
	"time"

	"atrium/internal/studio"
)

func TestProjectCreateAndUpdate(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		clock := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
		s.SetClock(func() time.Time { clock = clock.Add(time.Second); return clock })
		ana := seedUser(t, s, "ana@studio.test", studio.RoleAdmin)

		p := &studio.Project{Name: "Hillside", ClientName: "Jane Doe", ClientEmail: "jane@example.com",
			Address: "1 Hill Rd", InternalNotes: "likes oak", StartDate: "2026-10-01", TargetDate: "2027-03-01", CreatedBy: ana.ID}
		if err := s.CreateProject(ctx, p); err != nil {
			t.Fatal(err)
		}
		if !validHexID(p.ID) || p.CreatedAt.IsZero() || !p.UpdatedAt.Equal(p.CreatedAt) {
			t.Errorf("created project id=%q createdAt=%v updatedAt=%v", p.ID, p.CreatedAt, p.UpdatedAt)
		}
		got, err := s.Project(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.BudgetCents != nil {
			t.Errorf("budget = %d, want nil (no budget given)", *got.BudgetCents)
		}
		want := *p
		want.CreatedAt, want.UpdatedAt = got.CreatedAt, got.UpdatedAt
		if *got != want {
			t.Errorf("Project = %+v\nwant %+v", *got, want)
		}
		if !got.CreatedAt.Equal(p.CreatedAt) {
			t.Errorf("createdAt = %v, want %v", got.CreatedAt, p.CreatedAt)
		}

		// Set a budget, then clear it again: NULL survives the round trip.
		budget := int64(0)
		got.BudgetCents = &budget
		got.Address = "2 Hill Rd"
		if err := s.UpdateProject(ctx, got, ""); err != nil {
			t.Fatal(err)
		}
		again, _ := s.Project(ctx, p.ID)
		if again.BudgetCents == nil || *again.BudgetCents != 0 || again.Address != "2 Hill Rd" {
			t.Errorf("after update: budget=%v address=%q, want 0 and 2 Hill Rd", again.BudgetCents, again.Address)
		}
		again.BudgetCents = nil
		if err := s.UpdateProject(ctx, again, ""); err != nil {
			t.Fatal(err)
		}
		if final, _ := s.Project(ctx, p.ID); final.BudgetCents != nil {
			t.Errorf("cleared budget = %d, want nil", *final.BudgetCents)
		}

		// A project without a creator (e.g. made from the CLI) is fine.
		orphan := &studio.Project{Name: "No owner", ClientName: "X"}
		if err := s.CreateProject(ctx, orphan); err != nil {
			t.Errorf("project without creator: %v", err)
		}
		wantCode(t, "update unknown project", s.UpdateProject(ctx, &studio.Project{ID: NewID(), Name: "x", ClientName: "y"}, ""),
			studio.ECodeNotFound, "")
		_, err = s.ProjectDetail(ctx, NewID())
		wantCode(t, "detail of unknown project", err, studio.ECodeNotFound, "")
	})
}

func TestProjectsListWithProgress(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		clock := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
		s.SetClock(func() time.Time { clock = clock.Add(time.Second); return clock })

		empty, err := s.Projects(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if empty == nil || len(empty) != 0 {
			t.Errorf("Projects on an empty store = %#v, want an empty, non-nil list", empty)
		}

		// a: no rooms (0). b: 2 rooms, 3 of 10 completed, 2 skipped: 3/8 = 38.
		// c: one room, all skipped (0). Updated last: b, then c, then a.
		seedProject(t, s, "A")
		c := seedProject(t, s, "C")
		b := seedProject(t, s, "B")
		for _, name := range []string{"Kitchen", "Bath"} {
			seedRoom(t, s, b.ID, name)
		}
		roomC := seedRoom(t, s, c.ID, "Hall")
		for _, ph := range roomC.Phases {
			ph.Status = studio.StatusSkipped
			if err := s.UpdatePhase(ctx, &ph, c.ID, ""); err != nil {
				t.Fatal(err)
			}
		}
		d, err := s.ProjectDetail(ctx, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		set := func(room, i int, st studio.PhaseStatus) {
			ph := d.Rooms[room].Phases[i]
			ph.Status = st
			if st == studio.StatusCompleted {
				ph.CompletedAt = "2026-11-01"
			}
			if err := s.UpdatePhase(ctx, &ph, b.ID, ""); err != nil {
				t.Fatal(err)
			}
		}
		set(0, 0, studio.StatusCompleted)
		set(0, 1, studio.StatusCompleted)
		set(1, 0, studio.StatusCompleted)
		set(1, 1, studio.StatusInProgress)
		set(1, 3, studio.StatusSkipped)
		set(1, 4, studio.StatusSkipped)

		list, err := s.Projects(ctx)
		if err != nil {
			t.Fatal(err)
		}
		type row struct {
			name     string
			progress int
		}
		want := []row{{"B", 38}, {"C", 0}, {"A", 0}}
		if len(list) != len(want) {
			t.Fatalf("Projects returned %d projects, want %d", len(list), len(want))
		}
		for i, w := range want {
			if got := (row{list[i].Name, list[i].OverallProgress}); got != w {
				t.Errorf("Projects[%d] = %+v, want %+v", i, got, w)
			}
		}

		d, err = s.ProjectDetail(ctx, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		if d.OverallProgress != 38 {
			t.Errorf("detail overallProgress = %d, want 38", d.OverallProgress)
		}
		if got := []int{d.Rooms[0].Progress, d.Rooms[1].Progress}; got[0] != 40 || got[1] != 33 {
			t.Errorf("room progress = %v, want [40 33]", got)
		}
		// The detail carries empty lists, never null, for the JSON API.
		if d.Team == nil || d.Comments == nil || d.Renderings == nil {
			t.Errorf("detail lists: team=%v comments=%v renderings=%v, want non-nil", d.Team, d.Comments, d.Renderings)
		}
	})
}

func TestTeam(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		ana := seedUser(t, s, "ana@studio.test", studio.RoleDesigner)
		p := seedProject(t, s, "Hillside")
		if err := s.AddTeamMember(ctx, &studio.TeamMember{ProjectID: p.ID, UserID: ana.ID, Role: "designer"}); err != nil {
			t.Fatal(err)
		}
		// Adding again changes the role instead of failing.
		if err := s.AddTeamMember(ctx, &studio.TeamMember{ProjectID: p.ID, UserID: ana.ID, Role: "lead designer"}); err != nil {
			t.Fatal(err)
		}
		d, err := s.ProjectDetail(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Team) != 1 || d.Team[0].Role != "lead designer" || d.Team[0].Name != "ana" || d.Team[0].Email != ana.Email {
			t.Errorf("team = %+v, want ana as lead designer", d.Team)
		}
		err = s.AddTeamMember(ctx, &studio.TeamMember{ProjectID: p.ID, UserID: NewID(), Role: "x"})
		wantCode(t, "unknown team member", err, studio.ECodeInvalidInput, "userId")
	})
}
